"""RFC 9162 section 2.1 Merkle tree hashes and the two proof checks, written from the RFC.

- leaf hash = SHA-256(0x00 ‖ leaf), node hash = SHA-256(0x01 ‖ left ‖ right), and the empty
  tree's root is SHA-256("");
- `RootBuilder` computes the root of a stream of leaf hashes in O(log n) memory;
- `verify_inclusion` is §2.1.3.2 and `verify_consistency` is §2.1.4.2, step by step.

Both checks return a bool and never raise on a malformed proof: a proof that is not a list of
32-byte hashes is simply a proof that does not verify.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32  # why: SHA-256
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256


def leaf_hash(leaf: bytes) -> bytes:
    return _sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return _sha256(b"\x01" + left + right).digest()


class RootBuilder:
    """The tree hash of leaves appended one by one: a stack of perfect subtrees, O(log n).

    The stack holds (size, hash) of the complete subtrees that the binary digits of the count
    make; `root()` folds them right to left, which is exactly RFC 9162's split at the largest
    power of two below the size.
    """

    __slots__ = ("_stack", "size")

    def __init__(self) -> None:
        self._stack: list[tuple[int, bytes]] = []
        self.size = 0

    def append_hash(self, hashed_leaf: bytes) -> None:
        stack = self._stack
        size, value = 1, hashed_leaf
        while stack and stack[-1][0] == size:
            left = stack.pop()[1]
            value = _sha256(b"\x01" + left + value).digest()
            size *= 2
        stack.append((size, value))
        self.size += 1

    def append(self, leaf: bytes) -> None:
        self.append_hash(_sha256(b"\x00" + leaf).digest())

    def root(self) -> bytes:
        if not self._stack:
            return EMPTY_ROOT
        value = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            value = node_hash(left, value)
        return value


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    builder = RootBuilder()
    for hashed in leaf_hashes:
        builder.append_hash(hashed)
    return builder.root()


def _well_formed(proof: Sequence[bytes], *hashes: bytes) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in (*proof, *hashes))


def verify_inclusion(hashed_leaf: bytes, index: int, size: int, proof: Sequence[bytes],
                     root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does `proof` show the leaf at `index` in the tree of `size` leaves?"""
    if not _well_formed(proof, hashed_leaf, root) or not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, hashed_leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, first_root: bytes, second_root: bytes,
                       proof: Sequence[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: does `proof` show the tree of `second` leaves extends that of `first`?"""
    if not _well_formed(proof, first_root, second_root) or not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:  # why: every tree extends the empty one; its root must still be SHA-256("")
        return not proof and first_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the old root is itself a node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0
