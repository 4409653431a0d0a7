"""Reading the copy id back from a stamped PDF, DOCX, XLSX or PPTX: metadata first, then the
text (an XLSX's headers and footers, a PPTX's slides), so that a copy whose metadata was
stripped still leads back to its recipient."""

from __future__ import annotations

import io
import zipfile

import pikepdf
from lxml import etree  # type: ignore[import-untyped]  # why: it ships no type hints

from sharebound.adapters import ooxml, text_extract
from sharebound.adapters.filetypes import PDF
from sharebound.adapters.stamping.docx import copy_id_and_headers
from sharebound.adapters.stamping.errors import StampError
from sharebound.adapters.stamping.pdf import copy_id_in_metadata
from sharebound.adapters.stamping.xlsx import without_rows
from sharebound.domain.media_types import DOCX, PPTX, XLSX
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


def office_copy_id(content: bytes) -> str | None:
    """The copy id of a stamped DOCX, XLSX or PPTX (told apart by their main part)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            found = ooxml.kind_of(archive) if "[Content_Types].xml" in archive.namelist() else None
            if found in (XLSX, PPTX):
                return _package_copy_id(archive, found)
    except ooxml.BROKEN:
        return None
    return docx_copy_id(content) if found in (DOCX, None) else None


_MOST_READ = 64 * 1_048_576  # why: bytes of XML read to find a stamp; a stamped part is far smaller
_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _package_copy_id(archive: zipfile.ZipFile, kind: str) -> str | None:
    names = archive.namelist()
    written = []
    if "docProps/custom.xml" in names:
        root = _xml(archive, "docProps/custom.xml")
        written += ["".join(p.itertext()) for p in root if p.get("name") == "SharboundCopy"]
    if "docProps/core.xml" in names:
        written += [e.text or "" for e in _xml(archive, "docProps/core.xml")
                    if str(e.tag).endswith("}identifier")]
    for value in written:
        if parse_copy_id(value):
            return parse_copy_id(value)
    if kind == XLSX:  # the headers and footers of every sheet
        parts = ooxml.sheet_parts(archive)
        texts = ("".join(h.itertext()) for name in parts
                 for h in _sheet_xml(archive, name).iter(_SHEET + "headerFooter"))
    else:  # the text of every slide
        parts = sorted(n for n in names if n.startswith("ppt/slides/slide") and n.endswith(".xml"))
        texts = (" ".join(_xml(archive, name).itertext()) for name in parts)
    for text in texts:
        found = find_copy_id(text)
        if found is not None:
            return found
    return None


def _sheet_xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    """A sheet without its rows (never parsed: they may be tens of MB)."""
    return etree.fromstring(without_rows(archive.read(name))[0], ooxml.PARSER)


def _xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    if archive.getinfo(name).file_size > _MOST_READ:
        return etree.Element("skipped")
    return etree.fromstring(archive.read(name), ooxml.PARSER)


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
