"""Stamps that tie a copy to its recipient, and the copy ids they carry.

A copy id is 12 characters of Crockford base32 written in three groups of four
(`7QMK-4XR2-9TB5`): 11 random characters (55 bits) and one check character (Luhn mod 32),
short enough to read aloud and type, and caught when one character is mistyped or two
neighbours are swapped. Crockford's reading rules apply: case does not matter, O reads as
0 and I or L as 1.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.media_types import (
    DOCX,
    IMAGE_TYPES,
    JPEG,
    KNOWN,
    PDF,
    PNG,
    PPTX,
    TEXT_TYPES,
    UNSTAMPABLE,
    XLSX,
)
from sharebound.domain.text_search import occurrences, replay
from sharebound.domain.watermark import WatermarkTemplate, WatermarkValues, render_line

__all__ = ["DOCX", "IMAGE_TYPES", "JPEG", "PDF", "PNG", "PPTX", "STAMPABLE", "TEXT_TYPES", "XLSX",
           "CopyRecord", "Stamp", "can_stamp", "copy_id_of", "find_copy_id", "new_copy_id", "parse_copy_id",
           "stamp_text", "templated_copy_ids", "why_unstampable"]

STAMPABLE = KNOWN - UNSTAMPABLE.keys()  # other types can only be viewed (or not)

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
COPY_ID_RANDOM = 11  # why: 55 random bits; a clash is retried, and still rare at billions of copies
_VALUE = {c: i for i, c in enumerate(ALPHABET)} | {"O": 0, "I": 1, "L": 1}
_CHAR = f"[{ALPHABET}{ALPHABET.lower()}OoIiLl]"
# why: the word "copy" anchors the search, so no other 12-character run in a document matches.
_IN_TEXT = re.compile(rf"copy\s*:?\s*({_CHAR}{{4}}-{_CHAR}{{4}}-{_CHAR}{{4}})", re.IGNORECASE)
# A watermark template's line: its fields joined by " · " (STEP writes "|"), the copy id one
# of them, so "copy XXXX-XXXX-XXXX" stands alone between separators or the line's ends.
_TEMPLATED = re.compile(rf"copy[ \t]+({_CHAR}{{4}}-{_CHAR}{{4}}-{_CHAR}{{4}})", re.IGNORECASE)
_SEPARATORS = "\u00b7|"
_ALONE = re.compile(rf"\s*({_CHAR}{{4}})-?({_CHAR}{{4}})-?({_CHAR}{{4}})\s*")


@dataclass(frozen=True, slots=True)
class Stamp:
    discloser: str
    recipient_name: str
    recipient_org: str
    agreement_id: str
    agreement_version: int
    at: datetime
    copy_id: str
    recipient_email: str = ""
    ip: str | None = None  # the downloader's address, for a template that names it
    template: WatermarkTemplate | None = None  # None: the stamp as it always was

    def line(self) -> str:
        """The stamp's line: the template's fields when there is one, else who gave what to
        whom under which agreement."""
        if self.template is not None:
            return render_line(self.template, self.values())
        return (f"CONFIDENTIAL · disclosed by {self.discloser} to {self.recipient_name} "
                f"({self.recipient_org}) under agreement {self.agreement_id} "
                f"v{self.agreement_version} · {self.at.date().isoformat()} · copy {self.copy_id}")

    def short(self) -> str:
        """The few words of the diagonal or tiled mark: who, and which copy (a template's
        line, when there is one)."""
        if self.template is not None:
            return self.line()
        return f"{self.recipient_name} · {self.recipient_org} · copy {self.copy_id}"


    def values(self) -> WatermarkValues:
        return WatermarkValues(recipient_name=self.recipient_name,
                               recipient_email=self.recipient_email,
                               recipient_org=self.recipient_org, at=self.at, copy_id=self.copy_id,
                               ip=self.ip)


def can_stamp(media_type: str) -> bool:
    return media_type in STAMPABLE


def why_unstampable(media_type: str) -> str:
    """Why a file of `media_type` cannot carry a stamp, in words a person understands."""
    known = UNSTAMPABLE.get(media_type)
    if known is not None:
        return f"a {media_type} file cannot be stamped: {known}"
    return (f"a file of type {media_type} cannot be stamped (only PDF, PNG, JPEG, DOCX, XLSX, "
            "PPTX, text, Markdown, CSV, XML, SVG and STEP can)")


def stamp_text(text: str, stamp: Stamp) -> str:
    """The text between a header and a footer line naming the recipient and the copy (only
    the header, or only the footer, when the template puts the stamp there)."""
    line = stamp.line()
    body = text if text.endswith("\n") else text + "\n"
    where = stamp.template.position.value if stamp.template is not None else "diagonal"
    head = f"{line}\n\n" if where != "footer" else ""
    foot = f"\n{line}\n" if where != "header" else ""
    return f"{head}{body}{foot}"


def new_copy_id() -> str:
    return copy_id_of(secrets.randbits(5 * COPY_ID_RANDOM))


def copy_id_of(number: int) -> str:
    """The copy id whose random part is `number` (0 <= number < 32**11), with its check."""
    if not 0 <= number < 32 ** COPY_ID_RANDOM:
        raise ValueError("a copy id's number has 55 bits")
    chars = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(COPY_ID_RANDOM)))
    chars += ALPHABET[_check(chars)]
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def parse_copy_id(text: str) -> str | None:
    """The copy id `text` is (as typed: any case, dashes optional), or None if it is none."""
    found = _ALONE.fullmatch(text)
    return _canonical("".join(found.groups())) if found else None


def find_copy_id(text: str) -> str | None:
    """The first valid copy id written as `copy XXXX-XXXX-XXXX` in `text`, or None."""
    for found in _IN_TEXT.finditer(text):
        copy_id = _canonical(found.group(1).replace("-", ""))
        if copy_id is not None:
            return copy_id
    return None


def templated_copy_ids(text: str, lowered: str | None = None,
                       places: Iterable[int] | None = None) -> Iterator[tuple[int, str]]:
    """(offset, copy id) of each stamp line of a watermark template in `text`: a valid copy id
    written `copy XXXX-XXXX-XXXX` as a field of its own (between " · " separators or the
    line's ends), so a sentence that only mentions a copy id is not taken for a stamp.
    `lowered` is `text.lower()` and `places` where "copy" is in it, when the caller has them."""
    lowered = text.lower() if lowered is None else lowered
    # why: a case-insensitive pattern tries every position (50 ms for 4 MB); only the places
    # where the lower-cased text says "copy" can match (no other character folds to c, o, p
    # or y), and they keep their positions when lower-casing changed no length.
    if len(lowered) == len(text):
        matches = replay(_TEMPLATED, text, occurrences(lowered, "copy") if places is None else places)
    else:
        matches = _TEMPLATED.finditer(text)
    for found in matches:
        start = text.rfind("\n", 0, found.start()) + 1
        end = text.find("\n", found.end())
        before = text[start:found.start()].rstrip(" \t")
        after = text[found.end():len(text) if end < 0 else end].lstrip(" \t")
        if (before and before[-1] not in _SEPARATORS) or (after and after[0] not in _SEPARATORS + "\r"):
            continue
        copy_id = _canonical(found.group(1).replace("-", ""))
        if copy_id is not None:
            yield found.start(), copy_id


def _canonical(chars: str) -> str | None:
    values = [_VALUE[c] for c in chars.upper()]
    clean = "".join(ALPHABET[v] for v in values)
    if _check(clean[:-1]) != values[-1]:
        return None
    return f"{clean[:4]}-{clean[4:8]}-{clean[8:]}"


def _check(chars: str) -> int:
    """Luhn mod 32: the character that makes the whole sum divisible by 32."""
    total = 0
    for position, char in enumerate(reversed(chars)):
        value = _VALUE[char]
        if position % 2 == 0:  # why: doubled from the right, next to where the check will go
            value *= 2
            value = value // 32 + value % 32
        total += value
    return (32 - total % 32) % 32


@dataclass(frozen=True, slots=True)
class CopyRecord:
    """One stamped copy a recipient received: a download, or the pages shown by a view."""

    copy_id: str
    access_id: str
    disclosure_id: str
    person_id: str
    kind: str  # download or view
    media_type: str
    sha256: str | None  # of the stamped file; None for a view (no one file left the server)
    at: datetime
