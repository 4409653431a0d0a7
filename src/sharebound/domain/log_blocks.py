"""Checking one log in blocks, each on its own (`audit verify --jobs N`), with the findings of
`log_check.check_log` over the whole log, the same event named with the same words.

The log's leaves are cut into blocks of 2**k leaves, aligned on multiples of 2**k, so each full
block is one complete subtree of RFC 9162's tree and a block never needs a hash from another:

    leaves  [0 .. 2**k) [2**k .. 2·2**k) ... [j·2**k .. head)      (the last may be short)
    block        0            1                 j

`check_block` checks a block's rows as `check_log` checks rows (each event's hash, salt and
leaf; each row's link to the row before), except the link from its first row to the block
before, which it hands back (`first_prev`) with its last row's hash; it also hands back the
hashes of its complete subtrees and, at each checkpoint's size inside it, the root of its
leaves so far. `combine` then walks the blocks in order, as `check_log` walks the rows:
the links between blocks, each checkpoint's root (the subtrees before the block, folded with
the block's own root), the first problem found, and the same checks at the end.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sharebound.domain.audit import GENESIS, ChainProblem
from sharebound.domain.log_check import (
    SignedCheckpoint,
    StoredEvent,
    check_log,
    end_problem,
    leaf_of,
    quoted,
    rewritten,
    unsigned_checkpoint,
    why_not,
)
from sharebound.domain.merkle import frontier_root, node_hash

_sha256 = hashlib.sha256

#: why: distinct kinds and actors quoted and kept at once, at most (a cache, bounded)
QUOTED_MAX = 4096

#: why: 2**14 leaves a block: big enough that a task's fixed cost (a query, a process hop) is
#: small beside its rows, small enough that two or more blocks share out a log of 50,000 events
BLOCK = 1 << 14


@dataclass(frozen=True, slots=True)
class BlockResult:
    """What a block's rows showed: enough for `combine` to carry on where the block before ended."""

    start: int  # the leaf index of its first leaf: its rows are seq start + 1 to end
    end: int
    first_seq: int | None  # the seq of the first row read (None: the block has no rows)
    first_prev: str | None  # the first row's previous hash, when its seq is start + 1
    count: int  # the rows that held, from seq start + 1 on
    last_hash: str | None  # the hash of the last row that held
    problem: ChainProblem | None  # the first problem inside, but a broken link to the block before
    stack: tuple[bytes, ...]  # the complete subtrees of leaves [start, start + count)
    roots: tuple[tuple[int, bytes], ...]  # (checkpoint size, the root of leaves [start, size))
    #: the first stored node of the lowest level inside the block that does not hash its
    #: children: (level, problem), checked only when the rows held
    tree: tuple[int, ChainProblem] | None = None


def plan(head_seq: int, block: int = BLOCK) -> list[tuple[int, int]]:
    """The blocks of a log of `head_seq` events: (start, end) leaf indexes, 2**k aligned."""
    if block < 1 or block & (block - 1):
        raise ValueError("a block is a power of two leaves")
    return [(start, min(start + block, head_seq)) for start in range(0, head_seq, block)]


#: The complete subtrees a block's rows made, level by level from 1: at each level in index
#: order from the block's first (subtrees complete left to right), so a list, not a dict
Made = list[list[bytes]]


def check_block(log: str, start: int, end: int, rows: Iterable[Sequence[Any]],
                sizes: Iterable[int] = (), made: Made | None = None,
                leaves: Mapping[int, bytes] | None = None) -> BlockResult:
    """Check the block's rows (seq start + 1 to end, in seq order; the first block's may begin
    lower), as `check_log` would, and say where they stopped. Into `made`, when given, the
    hash of each complete subtree above the leaves the rows make, for `check_block_levels`.
    With `leaves` (the block's stored leaves by index), rows end before their stored leaf
    (`StoredEvent` without its last column); without, they are `StoredEvent`s."""
    log_json = json.dumps(log, ensure_ascii=False)
    # why: a log's kinds and actors repeat, so each is quoted once (body_bytes does it each row)
    seen: dict[str | None, str] = {None: "null"}
    log_prefix = f'","log":{log_json},"seq":'.encode()
    wanted = set(sizes)
    roots: list[tuple[int, bytes]] = []
    first_seq: int | None = None
    first_prev: str | None = None
    prev_hash, expected, problem = "", start + 1, None
    stack: list[bytes] = []  # why no prefix: aligned, the block's merges stay inside it
    for row in rows:
        seq = row[0]
        if seq != expected:
            if first_seq is None:  # the first row is not the block's first: `combine` names it
                first_seq = seq
            else:
                problem = ChainProblem(log, expected, f"event {expected} is missing or out of "
                                                      f"order (found {seq})")
            break
        if first_seq is None:
            first_seq, first_prev = seq, row[6]
        elif row[6] != prev_hash:
            problem = ChainProblem(log, seq, "its previous hash does not match the event before")
            break
        kind, actor = row[2], row[3]
        if (who := seen.get(actor)) is None:
            who = seen[actor] = quoted(actor)
        if (what := seen.get(kind)) is None:
            what = seen[kind] = quoted(kind)
        if len(seen) > QUOTED_MAX:
            seen = {None: "null"}
        # the canonical body as log_check.body_bytes builds it, inline
        body = (f'{{"actor":{who},"at":"{row[1]}","data":{row[5]},"kind":{what},"log":{log_json},'
                f'"seq":{seq},"subject":{quoted(row[4])}}}').encode()
        if _sha256(row[6].encode("ascii") + body).hexdigest() != row[7]:
            problem = ChainProblem(log, seq, why_not(log, (*row[:9], None)))
            break
        leaf = leaf_of(log, log_prefix, seq, row[8], body, row[9] if leaves is None else leaves.get(seq - 1))
        if isinstance(leaf, ChainProblem):
            problem = leaf
            break
        h, i = leaf, seq - 1 - start  # why from the block's start: its merges end at its top
        if made is None:
            while i & 1:
                h = node_hash(stack.pop(), h)
                i >>= 1
        else:
            level = 0
            while i & 1:
                h = node_hash(stack.pop(), h)
                i, level = i >> 1, level + 1
                if len(made) < level:
                    made.append([])
                made[level - 1].append(h)
        stack.append(h)
        if seq in wanted:
            roots.append((seq, frontier_root(stack)))
        prev_hash, expected = row[7], expected + 1
    return BlockResult(start=start, end=end, first_seq=first_seq, first_prev=first_prev,
                       count=expected - start - 1, last_hash=prev_hash or None, problem=problem,
                       stack=tuple(stack), roots=tuple(roots))


def combine(log: str, head_seq: int | None, frontier: Sequence[bytes],
            checkpoints: Sequence[SignedCheckpoint], blocks: Sequence[BlockResult],
            block: int = BLOCK) -> ChainProblem | None:
    """The first problem of the log from its blocks' results (in order, as `plan` cut them),
    or None: what `check_log` finds over the same rows, line for line."""
    pending = sorted(checkpoints, key=lambda c: c.size)
    if (unsigned := unsigned_checkpoint(log, pending)) is not None:
        return unsigned
    at_size = iter(pending)
    due = next(at_size, None)
    last_good = 0
    prev_hash, expected = GENESIS, 1
    prefix: list[bytes] = []  # the complete subtrees of the full blocks so far
    stack: list[bytes] = []  # the right edge of the tree recomputed so far
    for n, result in enumerate(blocks):
        if expected != result.start + 1 or result.first_seq != expected:
            # the rows stopped before this block's first event: the next row is the first row
            # of this block or of a later one, as check_log would read it
            found = next((b.first_seq for b in blocks[n:] if b.first_seq is not None), None)
            if found is None:
                break
            return ChainProblem(log, expected, f"event {expected} is missing or out of order "
                                               f"(found {found})")
        if result.first_prev != prev_hash:
            return ChainProblem(log, expected, "its previous hash does not match the event before")
        roots = dict(result.roots)
        held = result.start + result.count
        while due is not None and result.start < due.size <= held:
            if frontier_root([*prefix, roots[due.size]]) != due.root:
                return ChainProblem(log, last_good + 1, rewritten(due.size, last_good))
            last_good = due.size
            due = next(at_size, None)
        if result.problem is not None:
            return result.problem
        assert result.last_hash is not None  # why: its first row held
        prev_hash, expected = result.last_hash, held + 1
        if result.count == block:  # a full block is one complete subtree: merge it in
            h, i = result.stack[0], result.start // block
            while i & 1:
                h = node_hash(prefix.pop(), h)
                i >>= 1
            prefix.append(h)
            stack = list(prefix)
        else:  # a short block is the last whose rows held: the rows end in it
            stack = [*prefix, *result.stack]
    return end_problem(log, expected, head_seq, due, frontier, stack)


def check_block_levels(log: str, levels: int, result: BlockResult, leaves: Mapping[int, bytes],
                       made: Made,
                       read: Callable[[int], Iterable[tuple[int, bytes]]]) -> tuple[int, ChainProblem] | None:
    """What `check_level` finds first, level 1 to `levels`, over one block's stored nodes, with
    each level read once: `leaves` are the block's stored leaves, `made` the subtrees
    `check_block` hashed from its rows (`result`), `read(level)` the block's stored nodes of a
    level in order. A stored node whose stored children are the ones the rows made is the one
    they made, or wrong: one comparison, not a hash again. Any other is hashed from its stored
    children, as `check_level` does."""
    below: Mapping[int, bytes] = leaves
    base = result.start
    for level in range(1, levels + 1):
        here: dict[int, bytes] = {}
        ours = made[level - 1] if level <= len(made) else []
        under = made[level - 2] if 1 < level <= len(made) + 1 else []
        base >>= 1
        for idx, h in read(level):
            here[idx] = h
            left, right = below.get(2 * idx), below.get(2 * idx + 1)
            at = idx - base
            # why no comparison at level 1: check_block compared each stored leaf with its row's
            if 0 <= at < len(ours) and (level == 1 or (left == under[2 * at]
                                                       and right == under[2 * at + 1])):
                holds = h == ours[at]
            else:
                holds = left is not None and right is not None and node_hash(left, right) == h
            if not holds:
                first = (idx << level) + 1
                return level, ChainProblem(log, first, f"the tree's node over events {first} to "
                                                       f"{(idx + 1) << level} does not match its "
                                                       "children")
        below = here
    return None


def first_tree_problem(blocks: Iterable[BlockResult]) -> ChainProblem | None:
    """The tree problem `check_level` level by level finds first: the lowest level's, and at
    that level the first block's (each stored node is checked against its own children only)."""
    found = [b.tree for b in blocks if b.tree is not None]
    return min(found, key=lambda t: t[0])[1] if found else None


def check_log_in_blocks(log: str, rows: Sequence[StoredEvent], head_seq: int,
                        frontier: Sequence[bytes], checkpoints: Sequence[SignedCheckpoint],
                        block: int = BLOCK) -> ChainProblem | None:
    """`check_log` by blocks over rows in memory (sorted by seq): what the parallel path does
    with one query a block, for tests. Rows past the head go the whole log's way, as there."""
    if any(row[0] > head_seq for row in rows):
        return check_log(log, rows, head_seq, frontier, checkpoints)
    sizes = [c.size for c in checkpoints]
    results = []
    for n, (start, end) in enumerate(plan(head_seq, block)):
        inside = [r for r in rows if (n == 0 or r[0] > start) and r[0] <= end]
        leaves = {r[0] - 1: r[9] for r in inside if r[9] is not None}  # as a worker reads them
        results.append(check_block(log, start, end, [r[:9] for r in inside],
                                   [s for s in sizes if start < s <= end], None, leaves))
    return combine(log, head_seq, frontier, checkpoints, results, block)
