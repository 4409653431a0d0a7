"""`audit verify --jobs N`: the logs checked by N worker processes, one block of a log
(domain/log_blocks.py) a task, each worker reading its blocks through a connection of its own
(the rows never cross processes: only each block's few hashes come back); the parent combines
them in order into each log's first problem, as the single-process check would name it.

Memory stays bounded: a worker streams its block's rows in batches and holds the block's
leaves and subtrees (2**14 leaves at most); a block's result holds O(log block) hashes and one
root per checkpoint inside it.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from multiprocessing.pool import Pool
from typing import Any

from sqlalchemy import Engine

from sharebound.adapters.db.engine import READ_ONLY, build_engine
from sharebound.adapters.db.repositories.transparency import TransparencyLog
from sharebound.domain.audit import ChainProblem
from sharebound.domain.log_blocks import (
    BLOCK,
    BlockResult,
    Made,
    check_block,
    check_block_levels,
    combine,
    first_tree_problem,
    plan,
)
from sharebound.domain.log_check import SignedCheckpoint, check_level

#: (log, start, end, first block?, last block?, checkpoint sizes inside, levels to check, block)
Task = tuple[str, int, int, bool, bool, tuple[int, ...], int, int]

_engine: Engine | None = None  # the worker process's own engine (set by `_start`)


def _start(url: str) -> None:
    global _engine  # why: one engine per worker process, made when it starts
    _engine = build_engine(url)


def _check(task: Task) -> BlockResult:
    log, start, end, first, last, sizes, levels, block = task
    assert _engine is not None

    def bounds(level: int) -> tuple[int | None, int | None]:
        """The block's nodes of a level (the first block's and the last's, open-ended)."""
        return None if first else start >> level, None if last else (start + block) >> level

    with _engine.connect() as connection:
        connection.info[READ_ONLY] = True
        with connection.begin():
            repo = TransparencyLog(connection)
            # why the leaves apart, not joined to each row: a range read costs a fraction of a
            # lookup a row, and the level above reads them back from memory (at most a block)
            leaves = dict(repo.level(log, 0, *bounds(0)))
            # why up to `end` even in the last block: rows past the head are damage the parent
            # sends the whole log's way, or an append since the parent read the head
            rows: Iterator[tuple[Any, ...]] = repo.stored_events(
                log, None if first else start, end, with_leaf=False)
            made: Made = []
            result = check_block(log, start, end, rows, sizes, made, leaves)
            if result.problem is not None:
                return result
            tree = check_block_levels(log, levels, result, leaves, made,
                                      lambda level: repo.level(log, level, *bounds(level)))
    return result if tree is None else replace(result, tree=tree)


@contextmanager
def workers(url: str, jobs: int) -> Iterator[Pool]:
    """A pool of `jobs` processes, each with its own engine on the database at `url`."""
    # why fork on Linux in a process of one thread: a worker starts at once, without importing
    # the app again, and never touches the parent's connections, only the engine `_start`
    # makes; forking a process with threads may deadlock, and elsewhere fork is unsafe with
    # the system's libraries: spawn then
    method = ("fork" if sys.platform.startswith("linux") and threading.active_count() == 1
              else "spawn")
    pool = multiprocessing.get_context(method).Pool(jobs, initializer=_start, initargs=(url,))
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


@dataclass(frozen=True, slots=True)
class Planned:
    """A log to check in blocks: what the parent read of it, and its blocks' tasks."""

    log: str
    head_seq: int
    frontier: Sequence[bytes]
    checkpoints: Sequence[SignedCheckpoint]
    tasks: list[Task]


def planned(log: str, head_seq: int, frontier: Sequence[bytes],
            checkpoints: Sequence[SignedCheckpoint], block: int = BLOCK) -> Planned:
    """The log's blocks as tasks: a log of one block is one task (logs are shared out too)."""
    blocks = plan(head_seq, block)
    inside = min(_levels(head_seq), block.bit_length() - 1)
    sizes = sorted(c.size for c in checkpoints)
    return Planned(log, head_seq, frontier, checkpoints, [
        (log, start, end, n == 0, n == len(blocks) - 1,
         tuple(s for s in sizes if start < s <= end), inside, block)
        for n, (start, end) in enumerate(blocks)])


def _levels(head_seq: int) -> int:
    return max(head_seq, 1).bit_length() - 1  # why: the levels check_level is run on


def check_planned(pool: Pool, repo: TransparencyLog, logs: Sequence[Planned], jobs: int,
                  block: int = BLOCK) -> Iterator[ChainProblem | None]:
    """Each log's first problem (or None), in order, their blocks checked by the pool all at
    once; the tree's levels above a block are read here (a few nodes a block)."""
    tasks = [task for log in logs for task in log.tasks]
    # why chunks: many small logs cost a pipe round trip each otherwise; a few per worker at
    # a time keeps a big log's blocks shared out
    results = pool.imap(_check, tasks, chunksize=max(1, min(64, len(tasks) // (jobs * 4))))
    for log in logs:
        mine = [next(results) for _ in log.tasks]
        problem = (combine(log.log, log.head_seq, log.frontier, log.checkpoints, mine, block)
                   or first_tree_problem(mine))
        inside = min(_levels(log.head_seq), block.bit_length() - 1)
        for level in range(inside + 1, _levels(log.head_seq) + 1):
            if problem is not None:
                break
            problem = check_level(log.log, level, repo.level(log.log, level - 1),
                                  repo.level(log.log, level))
        yield problem


def default_jobs() -> int:
    return os.cpu_count() or 1


def database_url(engine: Engine) -> str | None:
    """The URL a worker process connects with; None for a database only this process sees
    (SQLite in memory)."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and (not url.database or url.database == ":memory:"
                                               or "mode=memory" in url.database):
        return None
    return str(url.render_as_string(hide_password=False))

