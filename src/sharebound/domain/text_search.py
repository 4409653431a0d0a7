"""Searching text faster than one `re` alternation can, with the very same matches.

Python's `re` searches a pattern that begins with a literal at the speed of a string search,
but tries each position in turn for an alternation of words, a case-insensitive pattern, or
one that begins with a lookbehind or a class of characters: ten to a hundred times slower.
The content gate therefore looks first for something every match must hold (a literal word)
and then asks the exact pattern only there: `replay` gives exactly `pattern.finditer`'s
matches, proved against it in tests/unit/test_gate_fast_path.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

try:
    from sharebound.domain import _scan
except ImportError:  # why: the compiled passes are optional (pyproject.toml); str.find then
    _scan = None  # type: ignore[assignment]

#: The most words `occurrences_of` looks for in one compiled pass.
MAX_WORDS = 64


def occurrences(text: str, word: str) -> Iterator[int]:
    """Every position where `word` begins in `text`, overlapping ones included."""
    find = text.find
    at = find(word)
    while at >= 0:
        yield at
        at = find(word, at + 1)


def occurrences_of(text: str, words: Sequence[str]) -> list[list[int]]:
    """`occurrences` of each of `words`: in one compiled pass over an ASCII text (a table of
    the words' first two characters), where one search a word would read the text once each."""
    if (_scan is not None and text.isascii() and len(words) <= MAX_WORDS
            and all(len(word) >= 2 and word.isascii() for word in words)):
        return _scan.find_all(text, tuple(words))
    return [list(occurrences(text, word)) for word in words]


def replay(pattern: re.Pattern[str], text: str, places: Iterable[int]) -> Iterator[re.Match[str]]:
    """The matches of `pattern.finditer(text)`, trying only `places` (in order), which must
    hold every position where `pattern` matches: finditer would fail at every other one (a
    match at a position does not depend on where the search began: `match(text, pos)` sees
    the text before `pos`, as lookbehinds need). `pattern` must not match an empty string."""
    end = 0
    match = pattern.match
    for position in places:
        if position < end:
            continue  # inside the previous match, where finditer does not look
        found = match(text, position)
        if found is not None:
            end = found.end()
            yield found
