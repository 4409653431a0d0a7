"""Reading the copy id back from a stamped PDF or DOCX: metadata first, then the text, so
that a copy whose metadata was stripped still leads back to its recipient."""

from __future__ import annotations

import io

import pikepdf

from sharebound.adapters import text_extract
from sharebound.adapters.filetypes import PDF
from sharebound.adapters.stamping.docx import copy_id_and_headers
from sharebound.adapters.stamping.errors import StampError
from sharebound.adapters.stamping.pdf import copy_id_in_metadata
from sharebound.domain.stamps import find_copy_id, parse_copy_id

MAX_PAGES_READ = 50  # why: every page carries the stamp; a few pages are enough to find one


def pdf_copy_id(content: bytes) -> str | None:
    try:
        with pikepdf.Pdf.open(io.BytesIO(content)) as pdf:
            written = copy_id_in_metadata(pdf)
    except pikepdf.PdfError:
        written = None
    found = parse_copy_id(written) if written else None
    return found or _pdf_text_copy_id(content)


def pdf_text(content: bytes, max_pages: int = text_extract.MAX_PAGES) -> list[str]:
    """The text of each page, read as the content gate reads it (one PDF text reader)."""
    read = text_extract.extract(content, PDF, max_pages=max_pages)
    if read.unreadable is not None:
        raise StampError(f"{read.unreadable}: its text cannot be read")
    return [page.text for page in read.pages if page.part is None]  # the pages, not the annotations


def docx_copy_id(content: bytes) -> str | None:
    try:
        written, headers = copy_id_and_headers(io.BytesIO(content))
    except StampError:
        return None
    return (parse_copy_id(written) if written else None) or find_copy_id(headers)


def _pdf_text_copy_id(content: bytes) -> str | None:
    try:
        pages = pdf_text(content, MAX_PAGES_READ)
    except StampError:
        return None
    for text in pages:
        found = find_copy_id(text)
        if found is not None:
            return found
    return None
