"""The content gate's rules: what in a text stops it from being disclosed.

Pure functions over extracted text (`Page`s of lines). Six kinds of finding, each naming
where it is (page and line) and never repeating a secret:

- `marking`: a classification marking above the item's own classification;
- `stamp`: the stamp line of a copy a partner disclosed (`CONFIDENTIAL · disclosed by …
  · copy …`, or a watermark template's line, `Jo Smith · … · copy …`): another org's
  confidential information, never ours to disclose again;
- `term`: one of the org's registered crown-jewel terms (codenames);
- `secret`: a private key or token (found by an adapter; worded here);
- `copy`: a passage copied from one of the org's own `restricted` items, found by word
  shingles: every run of `SHINGLE_WORDS` consecutive words, hashed to 64 bits
  (`domain/copies.py`);
- `unreadable`: the text could not be read (or not all of it): the gate cannot vouch for it;
- `unknown_type`: a file (or a file embedded in it) of a type the gate has no reader for:
  the disclosure rule refuses it unless the agreement allows unreadable files.

Invisible characters (zero-width spaces and joiners, soft hyphens, word joiners, byte-order
marks, direction marks, tag characters) are removed before the copy and term checks: they
change nothing a reader sees, and would otherwise cut a copied word or a codename in two.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sharebound.domain.classification import Classification
from sharebound.domain.stamps import find_copy_id, templated_copy_ids
from sharebound.domain.text_search import occurrences_of, replay


class FindingKind(StrEnum):
    MARKING = "marking"
    STAMP = "stamp"
    TERM = "term"
    SECRET = "secret"
    COPY = "copy"
    UNREADABLE = "unreadable"
    UNKNOWN_TYPE = "unknown_type"


@dataclass(frozen=True, slots=True)
class Where:
    """A place in extracted text: a line (1-based), on a page when the format has pages, in a
    part of the file when it is not the main text ("footnotes", "comments", "annotations",
    "embedded file “a.docx”, header")."""

    line: int
    page: int | None = None
    part: str | None = None

    def __str__(self) -> str:
        place = f"page {self.page}, line {self.line}" if self.page is not None else f"line {self.line}"
        return f"{self.part}, {place}" if self.part else place


@dataclass(frozen=True, slots=True)
class Page:
    """The text of one page; `number` is None for formats without pages (text, notes, DOCX);
    `part` names where in the file the text is, when it is not the main text."""

    text: str
    number: int | None = None
    part: str | None = None

    def where(self, line: int) -> Where:
        return Where(line, self.number, self.part)


@dataclass(frozen=True, slots=True)
class Finding:
    kind: FindingKind
    where: Where | None
    message: str  # a sentence for the discloser: never the secret itself


def unreadable(why: str) -> Finding:
    return Finding(FindingKind.UNREADABLE, None,
                   f"could not read the text to check it ({why}): the content gate cannot vouch for it")


def unknown_type(what: str) -> Finding:
    """`what` the gate has no reader for: "application/octet-stream files", "the embedded
    file “keys.zip” (application/octet-stream, in attachments)"."""
    return Finding(FindingKind.UNKNOWN_TYPE, None, f"the content gate cannot read {what}")


# --- invisible characters ------------------------------------------------------------------------

#: Characters that draw nothing: soft hyphen, combining grapheme joiner, Arabic letter mark,
#: Mongolian vowel separator, zero-width space/non-joiner/joiner, direction marks and
#: embeddings, word joiner and invisible operators, direction isolates, byte-order mark
#: (zero-width no-break space), and the tag characters.
INVISIBLE = re.compile("[\u00ad\u034f\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                       "\u2066-\u206f\ufeff\U000e0000-\U000e007f]")


def visible(text: str) -> str:
    """`text` without its invisible characters (line breaks are kept)."""
    if text.isascii():  # why: none of them is ASCII, and this check is a hundred times faster
        return text
    return INVISIBLE.sub("", text) if INVISIBLE.search(text) else text


# --- classification markings ----------------------------------------------------------------

#: Marking phrases, as written in capitals on a document, and the level each means.
MARKINGS: dict[str, Classification] = {
    "TOP SECRET": Classification.RESTRICTED,
    "SECRET": Classification.RESTRICTED,
    "STRICTLY CONFIDENTIAL": Classification.RESTRICTED,
    "HIGHLY CONFIDENTIAL": Classification.RESTRICTED,
    "RESTRICTED": Classification.RESTRICTED,
    "CONFIDENTIAL": Classification.CONFIDENTIAL,
    "INTERNAL USE ONLY": Classification.INTERNAL,
    "INTERNAL ONLY": Classification.INTERNAL,
    "INTERNAL USE": Classification.INTERNAL,
    "INTERNAL": Classification.INTERNAL,
}
# why: the longest phrase first, so that "TOP SECRET" is read as one marking, not "SECRET".
_PHRASES = sorted(MARKINGS, key=len, reverse=True)
_PHRASE = re.compile(r"(?<![A-Za-z])(" + "|".join(p.replace(" ", r"\s+") for p in _PHRASES)
                     + r")(?![A-Za-z])")
#: Words a marking banner may carry besides its phrase ("CONFIDENTIAL - DO NOT COPY").
_BANNER_WORDS = frozenset({
    "DO", "NOT", "DISTRIBUTE", "COPY", "FORWARD", "SHARE", "DISCLOSE", "ONLY", "USE", "FOR",
    "COMPANY", "DOCUMENT", "CLASSIFICATION", "CLASSIFIED", "PAGE", "OF", "AND", "DRAFT",
    "PROPRIETARY", "NOFORN", "REL", "TO"})
#: Parts of a line that stand apart: a dash or bar between spaces, "//", a tab, wide spaces.
_SEPARATOR = re.compile(r"\s[-\u2013\u2014|\u00b7\u2022]\s|//|\t|\s{3,}")
_LABEL = re.compile(
    r"(?i)(?<![\w])(?:security\s+|data\s+|document\s+)?(?:classification|classified|sensitivity"
    r"(?:\s+label)?|protective\s+marking|marking)\s*(?:level\s*)?[:=|]\s*"
    r"(top\s+secret|strictly\s+confidential|highly\s+confidential|restricted|secret"
    r"|confidential|internal(?:\s+use)?(?:\s+only)?|public)(?![\w])")
_BRACKETED = re.compile(r"[\[(]\s*(" + "|".join(p.replace(" ", r"\s+") for p in _PHRASES)
                        + r")\s*[\])]")
_WORD = re.compile(r"[^\W_]+")
_NEGATIONS = frozenset({"NOT", "NON", "UN"})
#: Every marking, label or banner has one of these words: other lines need no closer look.
_WORDS = "secret|confidential|restricted|internal|classifi|sensitivity|marking"
_CANDIDATE_ANY_CASE = re.compile(_WORDS, re.IGNORECASE)


def _level(phrase: str) -> Classification:
    return MARKINGS[" ".join(phrase.upper().split())]


def _banner(segment: str) -> Classification | None:
    """The level of a segment that is a marking banner: capitals only, the phrase, and at
    most one other word before it (a company's name) besides the words banners carry."""
    if any(c.islower() for c in segment):
        return None
    found = _PHRASE.search(segment)
    if found is None:
        return None
    before = _WORD.findall(segment[:found.start()])
    if before and before[-1] in _NEGATIONS:
        return None  # "NOT RESTRICTED", "NON-CONFIDENTIAL"
    after = [w for w in _WORD.findall(segment[found.end():]) if w not in _BANNER_WORDS and not w.isdigit()]
    before = [w for w in before if w not in _BANNER_WORDS and not w.isdigit()]
    phrase = " ".join(found.group(1).split())
    # why: capitals going on after the phrase are a heading ("CONFIDENTIAL INFORMATION"), and
    # a bare SECRET after other capitals is one too ("OUR SECRET"); a company's name may
    # stand before any other phrase ("ACME RESTRICTED").
    if after or len(before) > (0 if phrase == "SECRET" else 1):
        return None
    return _level(phrase)


def marking_of(line: str) -> Classification | None:
    """The highest classification a line is marked with, or None for a line that is not a
    marking. A marking is a label ("Classification: Restricted", any case), a bracketed
    phrase in capitals ("[CONFIDENTIAL]"), or a banner of capitals standing on its own
    line or apart from the rest of it ("Acme Corp — RESTRICTED — Page 3"). Prose that
    merely uses the word ("this is confidential to us") is not a marking."""
    levels = [_level(m.group(1)) for m in _LABEL.finditer(line) if m.group(1).lower() != "public"]
    levels += [_level(m.group(1)) for m in _BRACKETED.finditer(line)]
    levels += [level for part in _SEPARATOR.split(line) if (level := _banner(part.strip()))]
    return max(levels, key=lambda level: level.rank) if levels else None


_MARKING_WORDS = tuple(_WORDS.split("|"))


def _candidate_lines(text: str, lowered: str | None = None,
                     found: list[int] | None = None) -> Iterator[tuple[int, str]]:
    """(number, line) of each line that could be a marking: the lines with a marking's
    word in them, in any case; only those are read closely. `lowered` is `text.lower()` and
    `found` where the marking words are in it, when the caller has them."""
    lowered = text.lower() if lowered is None else lowered
    # why: a string search of the lower-cased text for the words is tens of times faster
    # than one alternation of them; lower-casing keeps positions unless a rare character
    # grows. (A word never spans lines, so the lines are those of the alternation's matches.)
    if len(lowered) != len(text):
        found = [match.start() for match in _CANDIDATE_ANY_CASE.finditer(text)]
    elif found is None:
        found = [at for places in occurrences_of(lowered, _MARKING_WORDS) for at in places]
    if not found:
        return
    starts, lines = line_starts(text), text.splitlines()
    for number in sorted({line_at(starts, at) for at in found}):
        yield number, lines[number - 1]


def marking_findings(pages: Iterable[Page], classification: Classification) -> list[Finding]:
    """Markings above `classification` (the first place of each level, with how many more),
    and the stamps of copies received from a partner, whatever the classification."""
    first: dict[Classification, tuple[Where, int]] = {}
    stamps: dict[tuple[str, str], tuple[Where, int]] = {}
    named: set[str | None] = set()  # the copy ids of the default stamps found
    templated: dict[str, tuple[Where, int]] = {}
    for page in pages:  # why one pass: `pages` may be a generator
        lowered = page.text.lower()
        # why one search for all: the marking words and "copy" (templated stamps) are found
        # in one pass over the text where the compiled search is at hand
        *words, copies = occurrences_of(lowered, (*_MARKING_WORDS, "copy"))
        for number, line in _candidate_lines(page.text, lowered, [at for places in words for at in places]):
            stamp = stamp_of(line)
            if stamp is not None:  # why: its CONFIDENTIAL is ours, not the author's marking
                where, count = stamps.get(stamp, (page.where(number), 0))
                stamps[stamp] = (where, count + 1)
                named.add(find_copy_id(line))
                continue
            level = marking_of(line)
            if level is not None and level.exceeds(classification):
                where, count = first.get(level, (page.where(number), 0))
                first[level] = (where, count + 1)
        for copy_id, number in _templated_stamps(page.text, lowered, copies):
            if copy_id in named:  # why: the default stamp's diagonal mark, its footer named it
                continue
            where, count = templated.get(copy_id, (page.where(number), 0))
            templated[copy_id] = (where, count + 1)
    found = [Finding(FindingKind.STAMP, where,
                     f"the stamp of a copy disclosed by {by} to {to} at {where}{_more(count)}: it is "
                     "a partner's confidential information, received under an agreement, and not "
                     "yours to disclose")
             for (by, to), (where, count) in stamps.items()]
    found += [Finding(FindingKind.STAMP, where,
                      f"the watermark of a copy received from a partner (copy {copy_id}) at "
                      f"{where}{_more(count)}: it is a partner's confidential information, received "
                      "under an agreement, and not yours to disclose")
              for copy_id, (where, count) in templated.items()]
    return found + [Finding(FindingKind.MARKING, where,
                            f"marked {level.value} at {where}{_more(count)}, above its "
                            f"classification ({classification.value})")
                    for level, (where, count) in sorted(first.items(), key=lambda kv: -kv[0].rank)]


_STAMP_LINE = re.compile(r"CONFIDENTIAL\s*\u00b7\s*disclosed by (.+?) to (.+?) under agreement ")


def _templated_stamps(text: str, lowered: str | None = None,
                      copies: list[int] | None = None) -> Iterator[tuple[str, int]]:
    """(copy id, line) of each watermark template's stamp in `text` that is not a default
    stamp line (those are found, with their names, by `stamp_of`). `lowered` is `text.lower()`
    and `copies` where "copy" is in it, when the caller has them."""
    starts: list[int] | None = None
    for offset, copy_id in templated_copy_ids(text, lowered, copies):
        starts = starts or line_starts(text)
        number = line_at(starts, offset)
        end = text.find("\n", offset)
        line = text[starts[number - 1]:len(text) if end < 0 else end]
        if stamp_of(line) is None:
            yield copy_id, number


def stamp_of(line: str) -> tuple[str, str] | None:
    """(discloser, recipient) of the stamp line a Sharebound copy carries, or None."""
    found = _STAMP_LINE.search(line)
    if found is None or find_copy_id(line[found.end():]) is None:
        return None
    return found.group(1), found.group(2)


def line_starts(text: str) -> list[int]:
    """Where each line of `text` begins, lines counted as `str.splitlines` counts them."""
    return list(itertools.accumulate((len(line) for line in text.splitlines(keepends=True)), initial=0))


def line_at(starts: list[int], position: int) -> int:
    """The (1-based) line of `position` in a text whose `line_starts` are `starts`."""
    return bisect.bisect_right(starts, position)


def _more(count: int) -> str:
    return f" (and {count - 1} more place{'s' if count > 2 else ''})" if count > 1 else ""


# --- crown-jewel terms -------------------------------------------------------------------------

MAX_TERM = 100  # why: a codename or a short phrase, not a passage (passages are fingerprinted)


@dataclass(frozen=True, slots=True)
class CrownJewelTerm:
    """A codename or phrase an org's admins registered: it never leaves the org."""

    id: str
    org: str
    term: str
    added_by: str
    added_at: datetime


def normalize_term(term: str) -> str:
    """A term as stored and compared: single spaces, no spaces around."""
    return " ".join(term.split())


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for all terms: case-insensitive, whole words, any whitespace between words."""
    cleaned = sorted({normalize_term(t) for t in terms if normalize_term(t)}, key=len, reverse=True)
    if not cleaned:
        return None
    parts = [r"\s+".join(re.escape(w) for w in t.split()) for t in cleaned]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


#: Above this many different first words, one pass of the terms' pattern is the faster.
MAX_ANCHORED_TERMS = 24


def term_matches(pattern: re.Pattern[str], text: str, terms: Sequence[str]) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)` (the pattern of `terms`): when the text and the terms are
    ASCII, tried only where a term's first word begins (found by string search in the
    lower-cased text, which then has the same positions and compares as IGNORECASE does)."""
    firsts = {normalize_term(t).split()[0].lower() for t in terms if normalize_term(t)}
    if len(firsts) > MAX_ANCHORED_TERMS or not text.isascii() or not all(t.isascii() for t in terms):
        return pattern.finditer(text)
    found = occurrences_of(text.lower(), sorted(firsts))
    return replay(pattern, text, sorted({at for places in found for at in places}))


def term_findings(pages: Iterable[Page], terms: Sequence[str]) -> list[Finding]:
    """Each registered term the text contains (a term may span a line break)."""
    pattern = term_pattern(terms)
    if pattern is None:
        return []
    canonical = {normalize_term(t).casefold(): normalize_term(t) for t in terms}
    first: dict[str, tuple[Where, int]] = {}
    for page in pages:
        starts: list[int] = []
        text = visible(page.text)
        for match in term_matches(pattern, text, terms):
            term = canonical.get(" ".join(match.group(0).split()).casefold(), match.group(0))
            starts = starts or line_starts(text)
            where, count = first.get(term, (page.where(line_at(starts, match.start())), 0))
            first[term] = (where, count + 1)
    return [Finding(FindingKind.TERM, where,
                    f"the crown-jewel term \u201c{term}\u201d at {where}{_more(count)}")
            for term, (where, count) in first.items()]


# --- secrets -------------------------------------------------------------------------------------

def secret_findings(hits: Iterable[tuple[str, Where]]) -> list[Finding]:
    """Findings for secrets an adapter found, as (what it is, where): never the value."""
    first: dict[str, tuple[Where, int]] = {}
    for what, where in hits:
        place, count = first.get(what, (where, 0))
        first[what] = (place, count + 1)
    return [Finding(FindingKind.SECRET, where, f"{what} at {where}{_more(count)}: remove it")
            for what, (where, count) in first.items()]
