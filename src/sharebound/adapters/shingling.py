"""The content gate's word shingles without a Python step per word: its fast paths.

The same words and the same hashes as the plain-Python reference (`domain.copies.shingles`
and `domain.shingle_hash`), proved equal by tests/unit/test_gate_fast_path.py. Two ways:

- compiled (`sharebound/domain/_scan.c`, built by `pip install` where a C compiler is at hand):
  one pass over the text's characters for the words and their hashes, one for the shingles;
  about 150 times faster than the reference;
- NumPy, where the extension was not built: about 25 times faster than the reference. For
  each page, in a few array passes:

1. normalize as the reference does (`visible`, `str.lower`), then read the text as an array
   of code points (bytes when it is ASCII, UTF-32 otherwise);
2. classify every code point at once (two comparisons for ASCII, a lookup table of the
   Basic Multilingual Plane otherwise): part of a word (what ``[^\\W_]`` matches) or not;
3. find the words' starts and ends where the class changes;
4. hash every word: a prefix sum of ``code * WORD_BASE**position`` (uint64 arithmetic
   wraps modulo 2**64 as the reference's masks do), differenced at each word's ends and
   brought back to its first character by the inverse power; then `mix64`;
5. combine `k` consecutive word hashes into each shingle's, in `k` shifted array sums.

A shingle's place (page and line) is worked out only for the few that are reported: the
line breaks (what `str.splitlines` splits at) before its first word are counted then.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from numpy.typing import NDArray

from sharebound.domain.copies import SHINGLE_WORDS
from sharebound.domain.gate import Page, Where, visible
from sharebound.domain.shingle_hash import MASK, MIX_1, MIX_2, SHINGLE_BASE, WORD_BASE

try:
    from sharebound.domain import _scan
except ImportError:  # why: the extension's build is optional (pyproject.toml); NumPy then
    _scan = None  # type: ignore[assignment]

#: Whether the compiled pass is here (tests/unit/test_gate_fast_path.py checks both ways).
COMPILED = _scan is not None

U64 = np.uint64
#: Characters hashed in one prefix sum: bounds the size of the arrays a page needs at once.
CHUNK = 1 << 16

#: What `str.splitlines` breaks at besides "\n", "\v", "\f", "\r" and "\x1c" to "\x1e".
_WIDE_BREAKS = (0x85, 0x2028, 0x2029)


@cache
def _bmp_words() -> NDArray[np.bool_]:
    """Whether each code point of the Basic Multilingual Plane is a word character, as the
    reference's pattern ``[^\\W_]`` says (built once, on the first text that is not ASCII)."""
    return np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)


def _powers(base: int, size: int) -> NDArray[np.uint64]:
    table = np.full(size, base, dtype=U64)
    table[0] = 1
    return np.cumprod(table, dtype=U64)


# why a fixed size: a table grown to the longest word seen would keep 16 bytes a character of
# it for the life of the process (160 MB after one 10-million-character token); a word longer
# than a chunk is hashed a chunk at a time instead (`_long_word`)
POWER = _powers(WORD_BASE, CHUNK)  # WORD_BASE**t modulo 2**64 for t < CHUNK
INVERSE = _powers(pow(WORD_BASE, -1, MASK + 1), CHUNK)  # and its inverse**t


def _codes(text: str) -> NDArray[np.uint8] | NDArray[np.uint32]:
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _is_word(codes: NDArray[np.uint8] | NDArray[np.uint32]) -> NDArray[np.bool_]:
    if codes.dtype == np.uint8:  # why: lower-cased ASCII: a word is [0-9a-z]; compared in place
        letters = codes - np.uint8(ord("a"))
        digits = codes - np.uint8(ord("0"))
        return (letters < 26) | (digits < 10)
    words = _bmp_words()[np.minimum(codes, 0xFFFF)]
    astral = codes > 0xFFFF
    if astral.any():
        found = np.unique(codes[astral])
        known = np.array([chr(c).isalnum() for c in found.tolist()], dtype=bool)
        words[astral] = known[np.searchsorted(found, codes[astral])]
    return words


def _line_at(codes: NDArray[np.uint8] | NDArray[np.uint32], position: int) -> int:
    """The line (1-based) of the word starting at `position`, lines counted as
    `str.splitlines` counts them ("\r\n" once: a word starts at `position`, so the text
    before it holds every such pair whole)."""
    head = codes[:position]
    # why the subtractions: unsigned arithmetic wraps, so one comparison checks a range
    marks = ((head - head.dtype.type(0x0A)) < 4) | ((head - head.dtype.type(0x1C)) < 3)
    if head.dtype != np.uint8:
        for wide in _WIDE_BREAKS:
            marks |= head == wide
    pairs = np.count_nonzero((head[:-1] == 0x0D) & (head[1:] == 0x0A))
    return int(np.count_nonzero(marks)) - int(pairs) + 1


def _word_spans(words: NDArray[np.bool_]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    padded = np.zeros(len(words) + 2, dtype=np.int8)
    padded[1:-1] = words
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return edges[0::2], edges[1::2]


def _mix(values: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """`mix64` over an array, in place."""
    values ^= values >> U64(30)
    values *= U64(MIX_1)
    values ^= values >> U64(27)
    values *= U64(MIX_2)
    values ^= values >> U64(31)
    return values


def _word_hashes(codes: NDArray[np.uint8] | NDArray[np.uint32], starts: NDArray[np.intp],
                 ends: NDArray[np.intp]) -> NDArray[np.uint64]:
    """`word_hash` of each word, in chunks of about CHUNK characters cut between words."""
    out = np.empty(len(starts), dtype=U64)
    # why one buffer for all chunks: a fresh array of megabytes costs its page faults again
    terms = np.empty(min(len(codes), CHUNK), dtype=U64)
    prefix = np.zeros(len(terms) + 1, dtype=U64)
    first = 0
    while first < len(starts):
        low = int(starts[first])
        last = max(first + 1, int(np.searchsorted(ends, low + CHUNK, side="right")))
        size = int(ends[last - 1]) - low
        if size > CHUNK:  # one word longer than a chunk (no other word ends within it)
            out[first] = _long_word(codes[low:low + size])
            first = last
            continue
        np.multiply(codes[low:low + size], POWER[:size], out=terms[:size])
        np.cumsum(terms[:size], out=prefix[1:size + 1])
        begin, end = starts[first:last] - low, ends[first:last] - low
        out[first:last] = (prefix[end] - prefix[begin]) * INVERSE[begin]
        first = last
    return _mix(out)


def _long_word(codes: NDArray[np.uint8] | NDArray[np.uint32]) -> int:
    """The polynomial (before `mix64`) of a word longer than CHUNK, a CHUNK of its characters
    at a time: piece p adds its own polynomial times WORD_BASE**(p * CHUNK), so the power
    table never needs to be longer than a chunk and the hash is the reference's."""
    step = int(POWER[CHUNK - 1]) * WORD_BASE & MASK  # WORD_BASE**CHUNK
    total, factor = 0, 1
    for low in range(0, len(codes), CHUNK):
        piece = codes[low:low + CHUNK]
        part = int(np.multiply(piece, POWER[:len(piece)], dtype=U64).sum(dtype=U64))
        total = (total + part * factor) & MASK
        factor = factor * step & MASK
    return total


def _combine(words: NDArray[np.uint64], k: int) -> NDArray[np.int64]:
    """`combine` of every run of `k` consecutive word hashes."""
    count = len(words) - k + 1
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    total = words[:count].copy()
    term = np.empty_like(total)
    power = 1
    for j in range(1, k):
        power = (power * SHINGLE_BASE) & MASK
        total += np.multiply(words[j:j + count], U64(power), out=term)
    return _mix(total).view(np.int64)


@dataclass(frozen=True, slots=True, eq=False)
class _PageWords:
    page: Page
    first: int  # the index of its first word among all the text's words
    starts: NDArray[np.int32] | NDArray[np.intp]  # where each of its words starts, normalized

    def line_of(self, word: int) -> int:
        # why: the lines are counted only for the few shingles reported, on the text again
        return _line_at(_page_codes(self.page), int(self.starts[word]))


@dataclass(frozen=True, slots=True, eq=False)
class ArrayShingles:
    """The shingle hashes of a text as a NumPy array (a `domain.copies.ShingleRun`)."""

    hashes: NDArray[np.int64]
    pages: tuple[_PageWords, ...]

    def __len__(self) -> int:
        return len(self.hashes)

    def distinct(self) -> set[int]:
        return set(np.unique(self.hashes).tolist())

    def hits(self, wanted: Collection[int]) -> list[tuple[int, int]]:
        if not wanted or not len(self.hashes):
            return []
        want = np.unique(np.fromiter(wanted, dtype=np.int64, count=len(wanted)))
        # why: a bit table of the wanted hashes' low bits (about 1 in 16 set) sorts out almost
        # every shingle in one gather; only the few left are looked up exactly.
        size = 1 << max(10, (16 * len(want)).bit_length())
        table = np.zeros(size, dtype=bool)
        table[want & (size - 1)] = True
        maybe = np.flatnonzero(table[self.hashes & (size - 1)])
        values = self.hashes[maybe]
        at = np.minimum(np.searchsorted(want, values), len(want) - 1)
        found = want[at] == values
        return list(zip(maybe[found].tolist(), values[found].tolist(), strict=True))

    def where(self, index: int) -> Where:
        page = self.pages[bisect.bisect_right([p.first for p in self.pages], index) - 1]
        return page.page.where(page.line_of(index - page.first))


def _normalized(page: Page) -> str:
    return visible(page.text).lower()


@lru_cache(maxsize=2)
def _page_codes(page: Page) -> NDArray[np.uint8] | NDArray[np.uint32]:
    """The normalized code points of a page a finding is reported on (several often are)."""
    return _codes(_normalized(page))


def _words(text: str, compiled: bool) -> tuple[NDArray[np.int64] | NDArray[np.intp], NDArray[np.uint64]]:
    """(where each word of a normalized text starts, each word's hash)."""
    if compiled and _scan is not None:
        starts, hashes = _scan.words(text)
        return np.frombuffer(starts, dtype=np.int64), np.frombuffer(hashes, dtype=U64)
    codes = _codes(text)
    begins, ends = _word_spans(_is_word(codes))
    return begins, _word_hashes(codes, begins, ends) if len(begins) else np.zeros(0, dtype=U64)


def shingles(pages: Iterable[Page], k: int = SHINGLE_WORDS, *, compiled: bool = True) -> ArrayShingles:
    """Every run of `k` words of the text, hashed: `domain.copies.shingles` without a Python
    step per word; `compiled=False` takes the NumPy path even where the extension is built."""
    hashed: list[NDArray[np.uint64]] = []
    read: list[_PageWords] = []
    count = 0
    for page in pages:
        text = _normalized(page)
        starts, words = _words(text, compiled)
        if len(starts):
            hashed.append(words)
            # why int32 when it fits: the scan is cached (services/gate.py), at 4 bytes a word
            read.append(_PageWords(page, count, starts.astype(np.int32) if len(text) < 2**31 else starts))
            count += len(starts)
    words = np.concatenate(hashed) if hashed else np.zeros(0, dtype=U64)
    if compiled and _scan is not None:
        return ArrayShingles(np.frombuffer(_scan.combine(words.data, k), dtype=np.int64), tuple(read))
    return ArrayShingles(_combine(words, k), tuple(read))
