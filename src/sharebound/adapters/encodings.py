"""Which text encoding a file is in, the one place the upload checks, the stamps and the gate
ask (charset-normalizer underneath).

    decode(data) -> Decoded | None     the text and how to write it back; None: not text
    Decoded.encode(text) -> bytes      text written back in the file's own encoding (and BOM)

The order: a byte order mark (UTF-8, UTF-16 LE/BE, UTF-32) decides; then UTF-8; then, for a
file with no NUL byte, what charset-normalizer finds with little "chaos". Among the code pages
that read a file the same way, Windows-1252 is preferred (what Excel writes on Windows; it
reads Latin-1 text identically). Text without a BOM and with NUL bytes (UTF-16 without a BOM,
binary files) is not text to us: a reader cannot tell it from binary junk reliably.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

__all__ = ["Decoded", "decode", "decode_or_replace"]

_BOMS = (  # why: UTF-32 LE's BOM starts with UTF-16 LE's, so it is tried first
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
MAX_CHAOS = 0.1  # why: charset-normalizer's measure of mess (0-1); over a tenth is a wrong guess
PREFERRED = "cp1252"  # why: what Excel and Notepad write on Windows in the West
# C0 controls other than tab, line feed, vertical tab, form feed, carriage return; and C1 controls
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x9f]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # a Python codec name
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        """`text` in this file's encoding with its BOM; in UTF-8 with a BOM when a character of
        `text` has no place in the file's encoding (a name in another script in a cp1252 file)."""
        try:
            return self.bom + text.encode(self.encoding)
        except UnicodeEncodeError:
            return codecs.BOM_UTF8 + text.encode("utf-8")


def decode(data: bytes, *, partial: bool = False) -> Decoded | None:
    """The text `data` holds, or None when it is not text. `partial`: `data` is a file's head,
    whose last character may be cut in two."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            text = _decoded(body, encoding, partial)
            return Decoded(text, encoding, bom) if text is not None and _is_text(text) else None
    if b"\x00" in data:
        return None
    text = _decoded(data, "utf-8", partial)
    if text is not None:  # why: as before encodings were detected, valid UTF-8 is text whatever it holds
        return Decoded(text, "utf-8")
    return _guessed(data, partial)


def decode_or_replace(data: bytes) -> str:
    """The text of `data` as `decode` reads it; UTF-8 with undecodable bytes replaced when it is
    not text (what the gate and a view read of a file that passed the upload checks by its head)."""
    found = decode(data)
    return found.text if found is not None else data.decode("utf-8", errors="replace")


def _decoded(data: bytes, encoding: str, partial: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder(encoding)("strict").decode(data, final=not partial)
    except UnicodeDecodeError:
        return None


def _guessed(data: bytes, partial: bool) -> Decoded | None:
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None or best.chaos > MAX_CHAOS:
        return None
    encoding = best.encoding
    for match in matches:  # why: several code pages may read the file alike; prefer Windows-1252
        if match.chaos <= best.chaos and PREFERRED in match.could_be_from_charset:
            encoding = PREFERRED
            break
    try:
        text = codecs.getincrementaldecoder(encoding)("strict").decode(data, final=not partial)
    except (UnicodeDecodeError, LookupError):
        return None
    return Decoded(text, encoding) if _is_text(text) else None


def _is_text(text: str) -> bool:
    return _CONTROLS.search(text) is None
