"""The content gate's fingerprint function (version 2): the 64-bit hash of a run of words.

Defined here in plain Python, as the reference; `adapters/shingling.py` computes the same
values with NumPy in a few array passes (tests/unit/test_gate_fast_path.py proves them equal).
Everything is arithmetic modulo 2**64, so that both implementations agree bit for bit:

- a word (normalized: lower case, letters and digits only) is first the polynomial
  ``sum(ord(c_j) * WORD_BASE**j)`` over its characters, then mixed by `mix64`;
- a shingle of `k` words is ``mix64(sum(word_j * SHINGLE_BASE**j))``, as a signed 64-bit
  integer (it fits a SQL BIGINT).

Version 1 (until 2026-12) hashed the words joined by spaces with BLAKE2b: one hash object
per shingle, most of the gate's time. The stored fingerprints of version 1 are dropped and
recomputed by the migration that introduced version 2 (docs/content-gate.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

FINGERPRINT_VERSION = 2
MASK = (1 << 64) - 1
#: Odd, so that its powers never vanish modulo 2**64 (and it has an inverse there).
WORD_BASE = 0x100000001B3
SHINGLE_BASE = 0x9E3779B97F4A7C15
#: The two multipliers of splitmix64's finalizer.
MIX_1 = 0xBF58476D1CE4E5B9
MIX_2 = 0x94D049BB133111EB


def mix64(value: int) -> int:
    """splitmix64's finalizer: every bit of the result depends on every bit of `value`."""
    value = ((value ^ (value >> 30)) * MIX_1) & MASK
    value = ((value ^ (value >> 27)) * MIX_2) & MASK
    return value ^ (value >> 31)


def word_hash(word: str) -> int:
    """The unsigned 64-bit hash of one normalized word."""
    total, power = 0, 1
    for char in word:
        total = (total + ord(char) * power) & MASK
        power = (power * WORD_BASE) & MASK
    return mix64(total)


def signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def combine(word_hashes: Sequence[int]) -> int:
    """The signed 64-bit hash of a shingle, from the hashes of its words in order."""
    total, power = 0, 1
    for value in word_hashes:
        total = (total + value * power) & MASK
        power = (power * SHINGLE_BASE) & MASK
    return signed(mix64(total))


def shingle_hashes(words: Iterable[str], k: int) -> list[int]:
    """The hash of every run of `k` consecutive `words`, in order (the reference)."""
    cache: dict[str, int] = {}
    hashed = [cache.get(w) or cache.setdefault(w, word_hash(w)) for w in words]
    return [combine(hashed[i:i + k]) for i in range(len(hashed) - k + 1)]
