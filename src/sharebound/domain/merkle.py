"""The Merkle tree of RFC 9162 §2.1 (Certificate Transparency 2.0), over leaf hashes.

    leaf hash  SHA-256(0x00 ‖ leaf bytes)
    node hash  SHA-256(0x01 ‖ left ‖ right)
    MTH(D[n])  the empty tree's is SHA-256(""); for n > 1 the left subtree holds the largest
               power of two of leaves smaller than n

Two ways to compute: over a list of leaf hashes (`root`, `inclusion_proof`,
`consistency_proof`: the reference, used by tests and small trees), and from the stored
hashes of complete subtrees (`Node` = (level, index): the 2**level leaves from
index * 2**level). Every proof element is the hash of a range of leaves; the ranges a proof
needs (`inclusion_ranges`, `consistency_ranges`) decompose into O(log n) complete subtrees
(`needed_nodes`), which a store reads in one query and `hash_ranges` folds into the proof.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

#: A complete subtree: (level, index) covers leaves [index << level, (index + 1) << level).
Node = tuple[int, int]
Range = tuple[int, int]  # leaves [start, end)


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    """The largest power of two smaller than n (n > 1): the size of the left subtree."""
    return 1 << ((n - 1).bit_length() - 1)


# --- over a list of leaf hashes (the reference) ------------------------------------------

def root(leaves: Sequence[bytes]) -> bytes:
    """MTH of the leaf hashes, iteratively: O(n) time, O(log n) memory beyond the input."""
    if not leaves:
        return EMPTY_ROOT
    stack: list[tuple[int, bytes]] = []  # (level, hash) of complete subtrees, left to right
    for h in leaves:
        level = 0
        while stack and stack[-1][0] == level:
            h = node_hash(stack.pop()[1], h)
            level += 1
        stack.append((level, h))
    h = stack.pop()[1]
    while stack:
        h = node_hash(stack.pop()[1], h)
    return h


def _mth(leaves: Sequence[bytes]) -> bytes:
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(index, D[n]) of RFC 9162 §2.1.3.1."""
    if not 0 <= index < len(leaves):
        raise ValueError(f"index {index} is outside a tree of {len(leaves)} leaves")
    if len(leaves) == 1:
        return []
    k = split(len(leaves))
    if index < k:
        return [*inclusion_proof(leaves[:k], index), _mth(leaves[k:])]
    return [*inclusion_proof(leaves[k:], index - k), _mth(leaves[:k])]


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1; empty when m is 0 or n."""
    if not 0 <= old_size <= len(leaves):
        raise ValueError(f"size {old_size} is outside a tree of {len(leaves)} leaves")
    if old_size in (0, len(leaves)):
        return []
    return _subproof(leaves, old_size, True)


def _subproof(leaves: Sequence[bytes], m: int, complete: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if complete else [_mth(leaves)]
    k = split(n)
    if m <= k:
        return [*_subproof(leaves[:k], m, complete), _mth(leaves[k:])]
    return [*_subproof(leaves[k:], m - k, False), _mth(leaves[:k])]


# --- from stored complete subtrees --------------------------------------------------------

def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The leaf ranges whose hashes form PATH(index, D[size]), in proof order."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} is outside a tree of {size} leaves")
    ranges: list[Range] = []
    start, end = 0, size
    while end - start > 1:
        k = split(end - start)
        if index < start + k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start += k
    ranges.reverse()
    return ranges


def consistency_ranges(old_size: int, size: int) -> list[Range]:
    """The leaf ranges whose hashes form PROOF(old_size, D[size]), in proof order."""
    if not 0 <= old_size <= size:
        raise ValueError(f"size {old_size} is outside a tree of {size} leaves")
    if old_size in (0, size):
        return []
    ranges: list[Range] = []
    start, end, m, complete = 0, size, old_size, True
    while m != end - start:
        k = split(end - start)
        if m <= k:
            ranges.append((start + k, end))
            end = start + k
        else:
            ranges.append((start, start + k))
            start, m, complete = start + k, m - k, False
    if not complete:
        ranges.append((start, end))
    ranges.reverse()
    return ranges


def subtrees(start: int, end: int) -> list[Node]:
    """The complete subtrees that make up leaves [start, end), left to right.

    For the ranges of RFC 9162's recursion, `start` is a multiple of a power of two at least
    end - start, so these are the binary digits of end - start, largest first.
    """
    nodes: list[Node] = []
    while start < end:
        level = (end - start).bit_length() - 1
        while start % (1 << level):
            level -= 1
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def needed_nodes(ranges: Iterable[Range]) -> set[Node]:
    return {node for start, end in ranges for node in subtrees(start, end)}


def range_hash(start: int, end: int, nodes: Mapping[Node, bytes]) -> bytes:
    """MTH(D[start:end]) from its complete subtrees (folded right to left)."""
    parts = subtrees(start, end)
    if not parts:
        return EMPTY_ROOT
    h = nodes[parts[-1]]
    for part in reversed(parts[:-1]):
        h = node_hash(nodes[part], h)
    return h


def hash_ranges(ranges: Iterable[Range], nodes: Mapping[Node, bytes]) -> list[bytes]:
    return [range_hash(start, end, nodes) for start, end in ranges]


def append_leaf(
    size: int, frontier: Sequence[bytes], leaf: bytes,
) -> tuple[list[tuple[Node, bytes]], list[bytes]]:
    """Append leaf hash `leaf` at index `size` to the tree whose right edge is `frontier` (the
    hashes of `subtrees(0, size)`, largest first): the complete subtrees it completes (the leaf
    itself first) and the new frontier. The left siblings it needs are the frontier's tail."""
    made: list[tuple[Node, bytes]] = [((0, size), leaf)]
    stack = list(frontier)
    h, level, i = leaf, 0, size
    while i & 1:
        h = node_hash(stack.pop(), h)
        level, i = level + 1, i >> 1
        made.append(((level, i), h))
    stack.append(h)
    return made, stack


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """The root of the tree whose right edge is `frontier`."""
    if not frontier:
        return EMPTY_ROOT
    h = frontier[-1]
    for part in reversed(frontier[:-1]):
        h = node_hash(part, h)
    return h


def pack(frontier: Sequence[bytes]) -> bytes:
    return b"".join(frontier)


def unpack(packed: bytes | None) -> list[bytes]:
    data = packed or b""
    return [data[i:i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]


def completed_nodes(index: int, leaf: bytes, nodes: Mapping[Node, bytes]) -> list[tuple[Node, bytes]]:
    """The complete subtrees that appending leaf hash `leaf` at `index` completes: the leaf
    itself at level 0, then each parent whose right child it closes (left siblings read from
    `nodes`, which must hold them: see `append_siblings`)."""
    made = [((0, index), leaf)]
    h, level, i = leaf, 0, index
    while i & 1:
        h = node_hash(nodes[(level, i - 1)], h)
        level, i = level + 1, i >> 1
        made.append(((level, i), h))
    return made


def append_siblings(index: int) -> list[Node]:
    """The stored left siblings `completed_nodes` needs to append the leaf at `index`."""
    siblings: list[Node] = []
    level, i = 0, index
    while i & 1:
        siblings.append((level, i - 1))
        level, i = level + 1, i >> 1
    return siblings


# --- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) ----------------------------------------

def _valid(hashes: Iterable[bytes]) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in hashes)


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes) -> bool:
    """Whether `proof` shows leaf hash `leaf` at `index` in the tree of `size` with `root_hash`."""
    if not 0 <= index < size or not _valid([leaf, root_hash, *proof]):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root_hash


def verify_consistency(old_size: int, size: int, old_root: bytes, new_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """Whether `proof` shows the tree (old_size, old_root) is a prefix of (size, new_root)."""
    if not 0 <= old_size <= size or not _valid([old_root, new_root, *proof]):
        return False
    if old_size == size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is itself a node
        path.insert(0, old_root)
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == old_root and sr == new_root and sn == 0
