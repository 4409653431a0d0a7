"""Search: what a query means, how a text becomes index terms, and the snippet a hit shows.

A query is words and "quoted phrases", nothing else: every result has them all (a phrase's
words in a row), in its title, topics or text. Operators of the databases' own query
languages (FTS5's `NEAR`, `*`, `-`; PostgreSQL's `&`, `!`, `:*`) mean nothing here: they are
punctuation, so a query cannot have a syntax error. What has no word at all, or is too
long, is a `BadSearchQuery` naming `q`.

Blind index (docs/encryption.md): the database must not hold an item's text in clear, so the
index holds, for each word, a keyed hash of it under a key of the item's owner (`term`): a
word of 12 letters `a`-`p`, which both SQLite FTS5 and PostgreSQL's `simple` configuration
keep as one token. A query is hashed the same way under the key of each org whose
information the caller may see; the words match, the database never sees them.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.errors import BadSearchQuery
from sharebound.domain.limits import MAX_SEARCH_QUERY, MAX_SEARCH_TERMS, MAX_SEARCH_WORDS

WORD = re.compile(r"[^\W_]+")  # letters and digits; `_`, `-` and the rest separate words
TERM_BYTES = 6  # why: 48 bits; a clash only makes a false hit, which visibility still filters
_LETTERS = "abcdefghijklmnop"  # why letters only: no tokenizer splits or reads them as a number
SNIPPET_CHARS = 240  # why: two lines of a result list
_BEFORE = 60  # why: a little context before the first hit


def fold(word: str) -> str:
    """A word as the index compares it: case-folded, accents removed ("Café" is "cafe")."""
    if word.isascii():  # why: most words; NFKD and casefold change nothing there but the case
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words_of(text: str) -> list[str]:
    return [w for m in WORD.finditer(text) if (w := fold(m.group()))]


def indexable(text: str) -> tuple[str, list[str]]:
    """The part of `text` the index holds (its first `MAX_SEARCH_WORDS` words) and its words."""
    found: list[str] = []
    end = 0
    for match in WORD.finditer(text):
        if len(found) >= MAX_SEARCH_WORDS:
            return text[:end], found
        if word := fold(match.group()):
            found.append(word)
        end = match.end()
    return text, found


def term(key: bytes, word: str) -> str:
    """The index term of a (folded) word under an org's search key."""
    digest = hmac.new(key, word.encode("utf-8"), hashlib.sha256).digest()[:TERM_BYTES]
    return "".join(_LETTERS[b >> 4] + _LETTERS[b & 15] for b in digest)


def terms(key: bytes, words: Iterable[str]) -> str:
    """The index terms of `words`, in order, separated by spaces (what a column holds)."""
    return " ".join(term(key, w) for w in words)


@dataclass(frozen=True)
class Grant:
    """What a recipient may read under one agreement now: its disclosures to them that permit
    one of `actions`, neither revoked nor expired, and not closed by a demand to return (one
    made by `discloser` at or before the demand, `demands`: (discloser, demanded_at))."""

    agreement_id: str
    actions: frozenset[str]
    demands: tuple[tuple[str, datetime], ...] = ()


@dataclass(frozen=True)
class Readable:
    """The disclosures to `person_id` a search may look in, decided in SQL (the access rule's
    terms, `rules.actions_open_under` per agreement) rather than row by row; and `also`, by id
    (re-shares to them as a representative, decided one by one: a few)."""

    person_id: str
    now: datetime
    grants: tuple[Grant, ...]
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    """What to look for: each part a word, or the words of a phrase (in a row)."""

    parts: tuple[tuple[str, ...], ...]

    @property
    def words(self) -> frozenset[str]:
        return frozenset(w for part in self.parts for w in part)

    def text(self) -> str:
        """The query as it is understood, e.g. `sensor "thermal test"`."""
        return " ".join(p[0] if len(p) == 1 else '"' + " ".join(p) + '"' for p in self.parts)


def parse_query(text: object) -> Query:
    """Words and "quoted phrases" (an unclosed quote runs to the end); anything else that
    is not a letter or a digit separates words. `BadSearchQuery` naming `q` otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise BadSearchQuery({"q": "is required: type a word to search for"})
    if len(text) > MAX_SEARCH_QUERY:
        raise BadSearchQuery({"q": f"is at most {MAX_SEARCH_QUERY} characters"})
    parts: list[tuple[str, ...]] = []
    for index, segment in enumerate(text.split('"')):
        found = words_of(segment)
        if index % 2:  # inside quotes: one phrase
            parts.extend([tuple(found)] if found else [])
        else:
            parts.extend((w,) for w in found)
    unique = tuple(dict.fromkeys(parts))
    if not unique:
        raise BadSearchQuery({"q": "has no word to search for (letters or digits)"})
    if sum(len(p) for p in unique) > MAX_SEARCH_TERMS:
        raise BadSearchQuery({"q": f"has more than {MAX_SEARCH_TERMS} words: leave some out"})
    return Query(unique)


def fts5_match(query: Query, keys: Sequence[bytes]) -> str:
    """The FTS5 MATCH expression: every part, under any of `keys`. Only our own terms and
    quotes: never a character the caller typed."""
    return " AND ".join(
        "(" + " OR ".join('"' + terms(key, part) + '"' for key in keys) + ")" for part in query.parts)


def tsquery(query: Query, keys: Sequence[bytes]) -> str:
    """The PostgreSQL `to_tsquery('simple', …)` text of the same query."""
    return " & ".join(
        "(" + " | ".join("(" + " <-> ".join(term(key, w) for w in part) + ")" for key in keys) + ")"
        for part in query.parts)


def found_in_labels(query: Query, *labels: str) -> bool:
    """Whether every part of `query` is in one of `labels` (a title, the topics): a hit that
    is not was found in its text. Only what the caller already sees is compared."""
    label_words = [words_of(label) for label in labels]
    return all(any(_has_run(found, part) for found in label_words) for part in query.parts)


def _has_run(words: Sequence[str], part: tuple[str, ...]) -> bool:
    size = len(part)
    return any(tuple(words[i:i + size]) == part for i in range(len(words) - size + 1))


def highlight(text: str, words: frozenset[str]) -> str:
    """`text` as HTML (escaped), each of `words` in it marked `<mark>…</mark>`."""
    out: list[str] = []
    last = 0
    for match in WORD.finditer(text):
        if fold(match.group()) in words:
            out += [html.escape(text[last:match.start()]), "<mark>",
                    html.escape(match.group()), "</mark>"]
            last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def snippet(text: str, words: frozenset[str], width: int = SNIPPET_CHARS) -> str:
    """About `width` characters of `text` around its first hit (its start when none), as
    escaped HTML with the hits marked; "…" where it was cut."""
    start = 0
    for match in WORD.finditer(text):
        if fold(match.group()) in words:
            start = max(0, match.start() - _BEFORE)
            break
    if start:
        space = text.find(" ", start, start + 20)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    shown = " ".join(text[start:end].split())
    return (("…" if start else "") + highlight(shown, words)
            + ("…" if end < len(text) else ""))
