"""Stamps for text whose grammar forbids a stamp line: a comment where the format allows one.

- XML and SVG: `<!-- stamp -->` right after the XML declaration (which must stay first), or
  before everything when there is none; `--` in the stamp is written `- -` (a comment may
  not hold it).
- STEP (ISO 10303-21): `/* stamp */` on the line after `ISO-10303-21;` (which must stay the
  first line); `*/` in the stamp is written `* /`.

The copy keeps the file's encoding and byte order mark, never switching them (an XML
declaration names its encoding; a BOM before `ISO-10303-21;` breaks a STEP file): a stamp
character the encoding has no place for is written as a character reference (`&#321;`) in
XML; a STEP comment is ASCII, other characters written as STEP's own `\\X2\\0141\\X0\\`.
The copy id is ASCII, so `sharebound trace` finds it either way. JSON has no comments and
is never stamped (`domain.media_types`).
"""

from __future__ import annotations

import re
from typing import BinaryIO

from sharebound.adapters import encodings
from sharebound.adapters.stamping.errors import StampError
from sharebound.domain.media_types import MARKUP_TYPES, STEP
from sharebound.domain.stamps import Stamp

STEP_HEADER = "ISO-10303-21;"
_DECLARATION = re.compile(r"<\?xml\b.*?\?>", re.DOTALL)


def stamp_structured(source: BinaryIO, media_type: str, stamp: Stamp) -> bytes:
    """The XML, SVG or STEP file in `source` with the stamp as a comment, in its own encoding."""
    data = source.read()
    decoded = encodings.decode(data)
    if decoded is None:
        raise StampError("the file is not text in an encoding we can read")
    if media_type in MARKUP_TYPES:
        return decoded.bom + stamp_markup(decoded.text, stamp).encode(decoded.encoding, "xmlcharrefreplace")
    assert media_type == STEP
    return decoded.bom + stamp_step(decoded.text, stamp).encode(decoded.encoding)


def stamp_markup(text: str, stamp: Stamp) -> str:
    line = re.sub(r"-(?=-)", "- ", stamp.line())
    comment = f"<!-- {line} -->"
    declaration = _DECLARATION.match(text)
    if declaration is None:
        return f"{comment}\n{text}"
    end = declaration.end()
    return f"{text[:end]}\n{comment}{text[end:]}"


def stamp_step(text: str, stamp: Stamp) -> str:
    if not text.startswith(STEP_HEADER):
        raise StampError(f"the STEP file does not start with {STEP_HEADER}")
    # why: STEP readers expect ASCII (ISO 10303-21 before edition 3): other characters are
    # written as STEP's own \X2\ escapes, the stamp's middle dots as bars
    line = "".join(_step_char(c) for c in stamp.line().replace("*/", "* /").replace("\u00b7", "|"))
    first = len(STEP_HEADER)
    newline = "\r\n" if "\r\n" in text[:4096] else "\n"
    if text[first:first + 2] == "\r\n":
        first += 2
    elif text[first:first + 1] in ("\n", "\r"):
        first += 1
    else:  # why: the header may be followed by HEADER; on the same line; give the comment its own
        return f"{text[:first]}{newline}/* {line} */{newline}{text[first:]}"
    return f"{text[:first]}/* {line} */{newline}{text[first:]}"


def _step_char(char: str) -> str:
    code = ord(char)
    if code < 0x80:
        return char
    return f"\\X2\\{code:04X}\\X0\\" if code <= 0xFFFF else f"\\X4\\{code:08X}\\X0\\"
