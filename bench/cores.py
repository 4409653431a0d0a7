"""How much a second core can give a `--jobs` line right now, on a shared machine.

bench_log.py and bench_verifier.py print it beside their `--jobs N` figures: a parallel line
can only be read against what the machine's idle cores could give any work at that moment.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import time


def _spin(count: int) -> None:
    block = b"x" * 300
    for _ in range(count):
        hashlib.sha256(block).digest()


def parallel_speedup(jobs: int, count: int = 400_000) -> float:
    """How much faster `jobs` processes do a fixed amount of pure hashing than one, now: what
    the shared machine's idle cores can give any --jobs line of the same run (1.0: none)."""
    started = time.perf_counter()
    _spin(count)
    one = time.perf_counter() - started
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        started = time.perf_counter()
        pool.map(_spin, [count // jobs] * jobs)
        many = time.perf_counter() - started
    return one / many
