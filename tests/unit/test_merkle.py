"""The RFC 9162 Merkle tree: reference vectors, and every proof of every small tree verifies
while every altered one fails; proofs from stored subtrees equal the reference proofs."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from sharebound.domain.merkle import (
    EMPTY_ROOT,
    append_leaf,
    append_siblings,
    completed_nodes,
    consistency_proof,
    consistency_ranges,
    frontier_root,
    hash_ranges,
    inclusion_proof,
    inclusion_ranges,
    leaf_hash,
    needed_nodes,
    pack,
    root,
    subtrees,
    unpack,
    verify_consistency,
    verify_inclusion,
)
from tests.vectors import CONSISTENCY, INCLUSION, LEAVES, ROOTS

HASHES = [leaf_hash(leaf) for leaf in LEAVES]


def stored_nodes(leaves: list[bytes]) -> dict[tuple[int, int], bytes]:
    """The node table an append-only store builds, one leaf at a time."""
    nodes: dict[tuple[int, int], bytes] = {}
    for index, h in enumerate(leaves):
        assert set(append_siblings(index)) <= nodes.keys()
        nodes.update(completed_nodes(index, h, nodes))
    return nodes


def test_the_empty_tree_and_every_reference_root_match_rfc_6962() -> None:
    assert root([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()
    for size in range(1, 9):
        assert root(HASHES[:size]) == ROOTS[size - 1]


def test_the_reference_inclusion_proofs_are_produced_and_verify() -> None:
    for (index, size), expected in INCLUSION.items():
        proof = inclusion_proof(HASHES[:size], index)
        assert [p.hex() for p in proof] == expected
        assert verify_inclusion(HASHES[index], index, size, proof, ROOTS[size - 1])


def test_the_reference_consistency_proofs_are_produced_and_verify() -> None:
    for (old, new), expected in CONSISTENCY.items():
        proof = consistency_proof(HASHES[:new], old)
        assert [p.hex() for p in proof] == expected
        assert verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], proof)


def test_degenerate_consistency_proofs_are_empty_and_only_accept_matching_roots() -> None:
    assert verify_consistency(4, 4, ROOTS[3], ROOTS[3], [])
    assert not verify_consistency(4, 4, ROOTS[3], ROOTS[4], [])
    assert not verify_consistency(4, 4, ROOTS[3], ROOTS[3], [ROOTS[0]])
    assert verify_consistency(0, 8, EMPTY_ROOT, ROOTS[7], [])
    assert not verify_consistency(0, 8, ROOTS[0], ROOTS[7], [])
    assert not verify_consistency(8, 6, ROOTS[7], ROOTS[5], CONSISTENCY[(6, 8)])
    assert not verify_consistency(6, 8, ROOTS[5], ROOTS[7], [])


def test_malformed_hashes_are_refused_not_raised() -> None:
    proof = inclusion_proof(HASHES, 5)
    assert not verify_inclusion(HASHES[5][:31], 5, 8, proof, ROOTS[7])
    assert not verify_inclusion(HASHES[5], 5, 8, [proof[0][:31], *proof[1:]], ROOTS[7])
    assert not verify_inclusion(HASHES[5], 8, 8, proof, ROOTS[7])
    assert not verify_inclusion(HASHES[5], -1, 8, proof, ROOTS[7])


def tree(size: int) -> list[bytes]:
    return [leaf_hash(i.to_bytes(4, "big")) for i in range(size)]


BIG = tree(300)
BIG_NODES = stored_nodes(BIG)


def flipped(proof: list[bytes], at: int) -> list[bytes]:
    altered = list(proof)
    altered[at] = bytes([altered[at][0] ^ 1]) + altered[at][1:]
    return altered


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_inclusion_proof_verifies_and_every_altered_one_fails(data: st.DataObject) -> None:
    size = data.draw(st.integers(1, len(BIG)))
    index = data.draw(st.integers(0, size - 1))
    leaves, top = BIG[:size], root(BIG[:size])
    proof = inclusion_proof(leaves, index)
    assert hash_ranges(inclusion_ranges(index, size), BIG_NODES) == proof
    assert len(needed_nodes(inclusion_ranges(index, size))) <= 2 * size.bit_length()
    assert verify_inclusion(leaves[index], index, size, proof, top)
    for at in range(len(proof)):
        assert not verify_inclusion(leaves[index], index, size, flipped(proof, at), top)
        assert not verify_inclusion(leaves[index], index, size, proof[:at] + proof[at + 1:], top)
    assert not verify_inclusion(leaves[index], index, size, [*proof, EMPTY_ROOT], top)
    for other in {index - 1, index + 1} & set(range(size)):
        if leaves[other] != leaves[index]:
            assert not verify_inclusion(leaves[index], other, size, proof, top)
    # A wrong size claims another tree: the proof does not lead to that tree's root.
    if size < len(BIG):
        assert not verify_inclusion(leaves[index], index, size + 1, proof, root(BIG[:size + 1]))
    if index < size - 1:
        assert not verify_inclusion(leaves[index], index, size - 1, proof, root(BIG[:size - 1]))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_consistency_proof_verifies_and_every_altered_one_fails(data: st.DataObject) -> None:
    size = data.draw(st.integers(1, len(BIG)))
    old = data.draw(st.integers(0, size))
    old_root, new_root = root(BIG[:old]), root(BIG[:size])
    proof = consistency_proof(BIG[:size], old)
    assert hash_ranges(consistency_ranges(old, size), BIG_NODES) == proof
    assert verify_consistency(old, size, old_root, new_root, proof)
    for at in range(len(proof)):
        assert not verify_consistency(old, size, old_root, new_root, flipped(proof, at))
        assert not verify_consistency(old, size, old_root, new_root, proof[:at] + proof[at + 1:])
    assert not verify_consistency(old, size, old_root, new_root, [*proof, EMPTY_ROOT])
    if 0 < old < size:
        assert not verify_consistency(old, size, old_root, root([*BIG[:size - 1], EMPTY_ROOT]),
                                      proof)
        if size < len(BIG):
            assert not verify_consistency(old, size + 1, old_root, root(BIG[:size + 1]), proof)
        if old > 1:
            assert not verify_consistency(old - 1, size, old_root, new_root, proof)


def test_appending_to_the_frontier_builds_the_same_nodes_and_roots() -> None:
    frontier: list[bytes] = []
    nodes: dict[tuple[int, int], bytes] = {}
    for size, h in enumerate(BIG[:70]):
        made, frontier = append_leaf(size, frontier, h)
        nodes.update(made)
        assert frontier_root(frontier) == root(BIG[:size + 1])
        assert unpack(pack(frontier)) == frontier
        assert [nodes[n] for n in subtrees(0, size + 1)] == frontier
    assert nodes == stored_nodes(BIG[:70])


def test_a_million_leaf_proof_needs_logarithmically_many_nodes() -> None:
    size = 1_000_000
    for index in (0, 1, 499_999, 999_999):
        ranges = inclusion_ranges(index, size)
        assert len(ranges) <= 20
        assert len(needed_nodes(ranges)) <= 40
    assert len(needed_nodes(consistency_ranges(123_457, size))) <= 40
