"""Stamping a copy for its recipient, by media type, and reading the copy id back.

    stamp(source, media_type, stamp) -> bytes      the stamped copy (StampError if it cannot be)
    stamp_into(source, media_type, stamp, target)  the same, written to a file as it is made
    read_copy_id(source) -> str | None             the copy id a stamped copy carries

The pure parts (the Stamp, its line, the copy id's format and check) are in
`sharebound.domain.stamps`; this package only knows file formats.
"""

from __future__ import annotations

import io
from typing import BinaryIO

from sharebound.adapters import encodings
from sharebound.adapters.stamping.docx import stamp_docx
from sharebound.adapters.stamping.errors import StampError
from sharebound.adapters.stamping.images import copy_id_in_metadata, stamp_image
from sharebound.adapters.stamping.pdf import stamp_pdf_into
from sharebound.adapters.stamping.pptx import stamp_pptx
from sharebound.adapters.stamping.reading import office_copy_id, pdf_copy_id
from sharebound.adapters.stamping.structured import stamp_structured
from sharebound.adapters.stamping.text import stamp_text_file
from sharebound.adapters.stamping.xlsx import stamp_xlsx
from sharebound.domain.stamps import (
    DOCX,
    IMAGE_TYPES,
    PDF,
    PPTX,
    TEXT_TYPES,
    XLSX,
    Stamp,
    can_stamp,
    find_copy_id,
    parse_copy_id,
    why_unstampable,
)

__all__ = ["StampError", "read_copy_id", "stamp", "stamp_into"]


def stamp(source: BinaryIO, media_type: str, stamp: Stamp) -> bytes:
    """`source` (a readable file) stamped for its recipient; its format and use are kept."""
    out = io.BytesIO()
    stamp_into(source, media_type, stamp, out)
    return out.getvalue()


def stamp_into(source: BinaryIO, media_type: str, stamp: Stamp, target: BinaryIO) -> None:
    """Write `source` stamped for its recipient to `target` (a writable, seekable file). A PDF
    is written as it is made, never whole in memory (what a large download needs); the other
    formats are bounded by the upload limits and are made in memory, then written."""
    if not can_stamp(media_type):
        raise StampError(why_unstampable(media_type))
    if media_type == PDF:
        stamp_pdf_into(source, stamp, target)
        return
    if media_type in IMAGE_TYPES:
        made = stamp_image(source, stamp)
    elif media_type == DOCX:
        made = stamp_docx(source, stamp)
    elif media_type == XLSX:
        made = stamp_xlsx(source, stamp)
    elif media_type == PPTX:
        made = stamp_pptx(source, stamp)
    elif media_type in TEXT_TYPES:
        made = stamp_text_file(source, media_type, stamp)
    else:
        made = stamp_structured(source, media_type, stamp)
    target.write(made)


def read_copy_id(content: bytes) -> str | None:
    """The copy id in a stamped copy, whatever its format: metadata first, then the text
    (a PDF's pages, a DOCX's or an XLSX's headers, a PPTX's slides, a text file's lines, an
    XML or STEP comment). None when there is none."""
    if content.startswith(b"%PDF-"):
        return pdf_copy_id(content)
    if content.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        found = copy_id_in_metadata(io.BytesIO(content))
        return (parse_copy_id(found) or find_copy_id(found)) if found else None
    if content.startswith(b"PK\x03\x04"):
        return office_copy_id(content)
    return find_copy_id(encodings.decode_or_replace(content))
