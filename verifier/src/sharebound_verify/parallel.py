"""Fetching and checking a log's entries with several processes (`--jobs N`): the same checks,
findings and root as one process.

The entries are cut into blocks of 2**k, each starting at a multiple of 2**k, so that a whole
block is one complete subtree of RFC 9162's tree: its root needs no leaf from another block.
Each worker fetches its block's pages and checks them (`check.check_entries`: each leaf, each
opening re-derived, the block's root and its roots at the stored checkpoint's size); the
parent folds the blocks' roots, in order, into the tree's root and raises the first finding a
single process would have met, in the order it would have met it:

    entries  [0, 2**k)  [2**k, 2·2**k)  ...  [j·2**k, size)
             block 0    block 1              block j (may be short)

Memory stays bounded: each worker holds one page and O(log n) hashes; the parent, a root per
block until it folds it.
"""

from __future__ import annotations

import multiprocessing
import pickle
import sys
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from sharebound_verify.check import (
    EntriesResult,
    Finding,
    check_entries,
    pages,
    truncation,
)
from sharebound_verify.client import FetchError, Transport
from sharebound_verify.merkle import EMPTY_ROOT, node_hash

#: (log, the log's API path, start, end, the snapshot sizes inside (start, end])
Task = tuple[str, str, int, int, tuple[int, ...]]
#: what a worker hands back: ("ok", result) | ("finding", (code, kind, message, index))
#: | ("unreachable", message)
Outcome = tuple[str, Any]

_transport: Transport | None = None  # the worker process's transport (set by `_start`)


def _start(transport: Transport) -> None:
    global _transport  # why: one transport per worker process, given when it starts
    _transport = transport


def _check(task: Task) -> Outcome:
    log, base, start, end, snapshots = task
    assert _transport is not None
    try:
        return "ok", check_entries(log, start, end, pages(_transport, base, end, start), snapshots)
    except Finding as finding:  # why a tuple: an exception with its own arguments does not pickle
        return "finding", (finding.code, finding.kind, finding.message, finding.index)
    except FetchError as exc:
        return "unreachable", str(exc)


def blocks(size: int, block: int) -> list[tuple[int, int]]:
    if block < 1 or block & (block - 1):
        raise ValueError("a block is a power of two entries")
    return [(start, min(start + block, size)) for start in range(0, size, block)]


def _fold(prefix: Sequence[bytes], last: bytes) -> bytes:
    """The root of the tree whose right edge is `prefix` (whole blocks, merged) then `last`."""
    value = last
    for left in reversed(prefix):
        value = node_hash(left, value)
    return value


def combine(size: int, block: int, outcomes: Iterable[tuple[tuple[int, int], Outcome]],
            snapshots: Iterable[int] = ()) -> EntriesResult:
    """The whole log's result from its blocks' outcomes, in order; raises the first finding."""
    wanted = set(snapshots)
    root_at = {0: EMPTY_ROOT} if 0 in wanted else {}
    prefix: list[bytes] = []  # the roots of the whole blocks so far, merged as a right edge
    root, count, opened, last_opened, last_leaf = EMPTY_ROOT, 0, 0, None, b""
    for (start, end), (kind, value) in outcomes:
        if kind == "finding":
            code, what, message, index = value
            raise Finding(code, what, message, index)
        if kind == "unreachable":
            raise FetchError(value)
        result: EntriesResult = value
        for at, local in result.root_at.items():
            root_at[at] = _fold(prefix, local)
        if result.count:
            root = _fold(prefix, result.root)
        count, opened = count + result.count, opened + result.opened
        if result.last_opened is not None:
            last_opened, last_leaf = result.last_opened, result.last_opened_leaf
        if result.count < end - start:  # the server stopped serving inside this block
            raise truncation(size, count)
        if end - start == block:  # a whole block is one subtree: merge it into the right edge
            merged, i = result.root, start // block
            while i & 1:
                merged = node_hash(prefix.pop(), merged)
                i >>= 1
            prefix.append(merged)
    return EntriesResult(root, count, opened, last_opened, last_leaf, root_at)


def start_method() -> str:
    """fork on Linux in a process of one thread: a worker starts at once (forking a process
    with threads may deadlock; elsewhere fork is unsafe with the system's libraries); else
    spawn, which needs a transport that pickles, as HttpTransport does."""
    return ("fork" if sys.platform.startswith("linux") and threading.active_count() == 1
            else "spawn")


def can_run(transport: Transport) -> bool:
    """Whether worker processes can be given this transport (a spawned one gets it pickled)."""
    if start_method() == "fork":
        return True
    try:
        pickle.dumps(transport)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    return True


def verify_in_blocks(transport: Transport, base: str, log: str, size: int, snapshots: Iterable[int],
                     jobs: int, block: int) -> EntriesResult:
    """`check.verify_entries` over the first `size` entries, by `jobs` worker processes."""
    wanted = sorted(set(snapshots))
    cut = blocks(size, block)
    tasks: list[Task] = [(log, base, start, end, tuple(s for s in wanted if start < s <= end))
                         for start, end in cut]
    with multiprocessing.get_context(start_method()).Pool(jobs, initializer=_start,
                                                          initargs=(transport,)) as pool:
        # why imap: the parent folds each block's root as it comes, in order, and stops at the
        # first finding; the pool is ended at once then
        return combine(size, block, zip(cut, pool.imap(_check, tasks), strict=True), wanted)
