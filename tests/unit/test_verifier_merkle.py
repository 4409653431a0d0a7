"""The standalone verifier's RFC 9162 checks: the reference vectors, then every proof of every
tree up to a few hundred leaves verifies and any altered proof fails (Hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sharebound_verify.merkle import (
    EMPTY_ROOT,
    RootBuilder,
    leaf_hash,
    node_hash,
    root_of,
    verify_consistency,
    verify_inclusion,
)
from tests.vectors import CONSISTENCY, INCLUSION, LEAVES, ROOTS
from tests.verifier_fakes import consistency_proof, proof_path

HASHES = [leaf_hash(leaf) for leaf in LEAVES]
PROPERTY = settings(max_examples=300, deadline=None, database=None)  # why: write nothing outside tests/
BIG = [leaf_hash(i.to_bytes(4, "big")) for i in range(400)]  # why: "tree sizes up to some hundreds"


def test_the_empty_tree_and_every_reference_size_hash_to_the_rfc_roots() -> None:
    assert root_of([]) == EMPTY_ROOT == bytes.fromhex(
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    for size in range(1, 9):
        assert root_of(HASHES[:size]) == ROOTS[size - 1]


def test_leaf_and_node_hashes_use_the_rfc_prefixes() -> None:
    assert leaf_hash(b"") == ROOTS[0]
    assert node_hash(HASHES[0], HASHES[1]) == ROOTS[1]


def test_the_reference_inclusion_proofs_verify_and_match_the_recursive_definition() -> None:
    for (index, size), proof_hex in INCLUSION.items():
        proof = [bytes.fromhex(h) for h in proof_hex]
        assert proof_path(index, HASHES[:size]) == proof
        assert verify_inclusion(HASHES[index], index, size, proof, ROOTS[size - 1])
        assert not verify_inclusion(HASHES[index], index + 1, size, proof, ROOTS[size - 1])


def test_the_reference_consistency_proofs_verify_and_match_the_recursive_definition() -> None:
    for (first, second), proof_hex in CONSISTENCY.items():
        proof = [bytes.fromhex(h) for h in proof_hex]
        assert consistency_proof(first, HASHES[:second]) == proof
        assert verify_consistency(first, second, ROOTS[first - 1], ROOTS[second - 1], proof)
        assert not verify_consistency(first, second, ROOTS[first], ROOTS[second - 1], proof)


def test_degenerate_consistency_cases_follow_the_rfc() -> None:
    assert verify_consistency(4, 4, ROOTS[3], ROOTS[3], [])
    assert not verify_consistency(4, 4, ROOTS[3], ROOTS[4], [])
    assert not verify_consistency(4, 4, ROOTS[3], ROOTS[3], [ROOTS[0]])
    assert verify_consistency(0, 8, EMPTY_ROOT, ROOTS[7], [])
    assert not verify_consistency(0, 8, ROOTS[0], ROOTS[7], [])
    assert not verify_consistency(6, 8, ROOTS[5], ROOTS[7], [])
    assert not verify_consistency(8, 6, ROOTS[7], ROOTS[5], [])


def test_malformed_proofs_fail_without_raising() -> None:
    proof = proof_path(5, HASHES)
    assert not verify_inclusion(HASHES[5], 5, 8, [*proof[:1], b"short", *proof[2:]], ROOTS[7])
    assert not verify_inclusion(HASHES[5], 8, 8, proof, ROOTS[7])
    assert not verify_inclusion(HASHES[5], -1, 8, proof, ROOTS[7])
    assert not verify_inclusion(b"x" * 31, 5, 8, proof, ROOTS[7])


def test_the_streaming_root_matches_the_recursive_root_at_every_size() -> None:
    builder = RootBuilder()
    for size, hashed in enumerate(BIG[:130], 1):
        builder.append_hash(hashed)
        assert builder.root() == root_of(BIG[:size]) == _recursive_root(BIG[:size])


def _recursive_root(hashes: list[bytes]) -> bytes:
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node_hash(_recursive_root(hashes[:k]), _recursive_root(hashes[k:]))


def _alter(proof: list[bytes], how: int, where: int) -> list[bytes]:
    """A different proof: a flipped bit, one hash dropped, one added, or two swapped."""
    altered = list(proof)
    spot = where % max(len(altered), 1)
    if how == 0 and altered:
        altered[spot] = bytes([altered[spot][0] ^ 1]) + altered[spot][1:]
    elif how == 1 and altered:
        del altered[spot]
    elif how == 2 or not altered:
        altered.insert(spot, BIG[where % len(BIG)])
    else:
        altered[spot], altered[-1] = altered[-1], altered[spot]
    return altered


@PROPERTY
@given(st.integers(1, 400), st.data(), st.integers(0, 3), st.integers(0, 1000))
def test_every_inclusion_proof_verifies_and_any_altered_one_fails(
        size: int, data: st.DataObject, how: int, where: int) -> None:
    index = data.draw(st.integers(0, size - 1))
    hashes, root = BIG[:size], root_of(BIG[:size])
    proof = proof_path(index, hashes)

    assert verify_inclusion(hashes[index], index, size, proof, root)
    altered = _alter(proof, how, where)
    if altered != proof:
        assert not verify_inclusion(hashes[index], index, size, altered, root)
    if size > 1:
        assert not verify_inclusion(hashes[index], index ^ 1 if index ^ 1 < size else index - 1,
                                    size, proof, root)


@PROPERTY
@given(st.integers(1, 400), st.data(), st.integers(0, 3), st.integers(0, 1000))
def test_every_consistency_proof_verifies_and_any_altered_one_fails(
        second: int, data: st.DataObject, how: int, where: int) -> None:
    first = data.draw(st.integers(1, second))
    old, new = root_of(BIG[:first]), root_of(BIG[:second])
    proof = consistency_proof(first, BIG[:second])

    assert verify_consistency(first, second, old, new, proof)
    altered = _alter(proof, how, where)
    if altered != proof:
        assert not verify_consistency(first, second, old, new, altered)
    if first < second:
        assert not verify_consistency(first, second, root_of(BIG[1:first + 1]), new, proof)
