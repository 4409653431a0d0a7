"""Passages copied from an org's own `restricted` items, found by word shingles.

Every run of `SHINGLE_WORDS` consecutive words of a text (normalized: lower case, letters
and digits only, invisible characters removed) is hashed to 64 bits (`domain/shingle_hash.py`);
a restricted item stores the set of its own as its fingerprints. Here in plain Python: the
reference of the gate's fast path, `adapters/shingling.py` (NumPy).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from sharebound.domain.gate import Finding, FindingKind, Page, Where, visible
from sharebound.domain.shingle_hash import combine, shingle_hashes, word_hash

#: A normalized word: letters and digits (the same as the markings' words in gate.py).
_WORD = re.compile(r"[^\W_]+")


# why: 8 words are rarely shared by chance between texts (an ordinary phrase is shorter),
# yet short enough that a pasted paragraph yields many shingles even after small edits.
SHINGLE_WORDS = 8
# why: a copied passage is at least this many words in a row (a long sentence); shared
# boilerplate (a footer, a salutation) is shorter. Tested both ways in tests/unit/test_gate.py.
MIN_COPIED_WORDS = 20


class ShingleRun(Protocol):
    """The shingle hashes of a text, in order: the reference `Shingles` below, or the NumPy
    arrays of `adapters/shingling.py` (the gate's fast path), which give the same answers."""

    def __len__(self) -> int: ...

    def distinct(self) -> set[int]:
        """The distinct hashes (what a restricted item stores as its fingerprints)."""
        ...

    def hits(self, wanted: Collection[int]) -> list[tuple[int, int]]:
        """(index, hash) of each shingle whose hash is in `wanted`, in order."""
        ...

    def where(self, index: int) -> Where:
        """Where the shingle at `index` starts (its first word)."""
        ...


@dataclass(frozen=True, slots=True)
class Shingles:
    """The shingle hashes of a text, in order, and where each starts (the reference)."""

    hashes: tuple[int, ...]
    starts: tuple[Where, ...]

    def __len__(self) -> int:
        return len(self.hashes)

    def distinct(self) -> set[int]:
        return set(self.hashes)

    def hits(self, wanted: Collection[int]) -> list[tuple[int, int]]:
        return [(index, value) for index, value in enumerate(self.hashes) if value in wanted]

    def where(self, index: int) -> Where:
        return self.starts[index]


def shingle_hash(words: Sequence[str]) -> int:
    """A signed 64-bit hash of a run of normalized words (fits a SQL BIGINT)."""
    return combine([word_hash(w) for w in words])


def words_of(pages: Iterable[Page]) -> Iterator[tuple[str, Where]]:
    """The normalized words (lower case, letters and digits only) and where each is."""
    for page in pages:
        for number, line in enumerate(visible(page.text).splitlines(), start=1):
            where = page.where(number)
            for word in _WORD.findall(line.lower()):
                yield word, where


def shingles(pages: Iterable[Page], k: int = SHINGLE_WORDS) -> Shingles:
    """Every run of `k` words of the text, hashed (the same words as `words_of`), in plain
    Python: the reference of the gate's fast path (`adapters/shingling.py`)."""
    words: list[str] = []
    places: list[Where] = []
    findall = _WORD.findall
    for page in pages:
        for number, line in enumerate(visible(page.text).lower().splitlines(), start=1):
            found = findall(line)
            if found:
                words += found
                places += [page.where(number)] * len(found)
    hashes = tuple(shingle_hashes(words, k))
    return Shingles(hashes, tuple(places[:len(hashes)]))


def fingerprints(pages: Iterable[Page]) -> set[int]:
    """What is stored for a restricted item: the set of its shingle hashes."""
    return set(shingles(pages).hashes)


def copy_findings(
    text: ShingleRun, owners: Mapping[int, Iterable[str]], titles: Mapping[str, str],
    k: int = SHINGLE_WORDS, min_words: int = MIN_COPIED_WORDS,
) -> list[Finding]:
    """Passages of `text` copied from restricted items. `owners` maps a hash to the items
    (ids) it belongs to, `titles` an item id to its title.

    Matched shingles of one item less than `k` apart join one passage (a word changed
    here and there breaks at most `k` shingles); a passage of at least `min_words` words
    covered by matched shingles is a copy."""
    matched: dict[str, list[int]] = {}
    for index, value in text.hits(owners.keys()):
        for item in owners.get(value, ()):
            matched.setdefault(item, []).append(index)
    found = []
    for item, indexes in matched.items():
        passage = _longest_passage(indexes, k)
        if passage[0] >= min_words:
            where = text.where(passage[1])
            found.append(Finding(
                FindingKind.COPY, where,
                f"about {passage[0]} words from {where} on are copied from the restricted item "
                f"\u201c{titles.get(item, item)}\u201d"))
    return sorted(found, key=lambda f: f.message)


def _longest_passage(indexes: list[int], k: int) -> tuple[int, int]:
    """(words covered, first shingle index) of the largest passage among sorted `indexes`."""
    best = (0, indexes[0])
    start, covered, end = indexes[0], 0, indexes[0]  # end: one past the last covered word
    for index in indexes:
        if index - end > k:  # a gap wider than one changed word: a new passage
            if covered > best[0]:
                best = (covered, start)
            start, covered, end = index, 0, index
        covered += index + k - max(end, index)
        end = index + k
    return max(best, (covered, start), key=lambda b: b[0])
