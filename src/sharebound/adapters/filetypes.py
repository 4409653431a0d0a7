"""What a file is, from its content: PDF, PNG, JPEG, DOCX, XLSX, PPTX (and XLSM, PPTM, named
to be refused: `adapters.ooxml`), and text in any encoding
`adapters.encodings` reads: STEP (its first line `ISO-10303-21;`), XML and SVG (an XML
declaration, an `<svg` root), JSON (a value that parses), CSV, Markdown, plain. The name is
asked only where the content is ambiguous: markup without an XML declaration is XML when the
file is named `.xml`. Anything else is `application/octet-stream`.

`problem_with` then opens the content as the type it claims to be and says, in words a
person understands, why we cannot safely handle it (damaged, encrypted, too many pages,
a decompression or zip bomb, empty); it reads everything it needs from the seekable file
and leaves it at its start, so that it runs before anything is stored.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

import docx
import pikepdf
from PIL import Image

from sharebound.adapters import encodings, ooxml
from sharebound.domain.limits import MAX_OFFICE_MEDIA_BYTES, MAX_SHEET_ROWS, MAX_SLIDES, MAX_SPREADSHEET_CELLS
from sharebound.domain.media_types import (
    CSV,
    DOCX,
    JPEG,
    JSON,
    KNOWN,
    MARKDOWN,
    OTHER,
    PDF,
    PNG,
    PPTM,
    PPTX,
    STEP,
    SVG,
    TEXT,
    TEXT_TYPES,
    XLSM,
    XLSX,
    XML,
)

__all__ = ["CSV", "DOCX", "JPEG", "JSON", "KNOWN", "MARKDOWN", "OTHER", "PDF", "PNG", "PPTM", "PPTX",
           "STEP", "SVG", "TEXT", "TEXT_TYPES", "XLSM", "XLSX", "XML", "ContentLimits", "detect",
           "problem_with"]

SAMPLE = 64 * 1024  # why: enough to judge text; a file's head is what the magic numbers are in
_MARKDOWN = re.compile(r"^(#{1,6} \S|[-*+] \S|\d+\. \S|```|> \S)|\[[^\]]+\]\([^)]+\)", re.MULTILINE)


STEP_HEADER = "ISO-10303-21;"  # why: ISO 10303-21 requires it as the exchange structure's first token
# The prolog before a root element: comments, processing instructions, a DOCTYPE; then the root's name
_PROLOG = re.compile(r"\s*(?:<!--.*?-->\s*|<\?.*?\?>\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*<([\w:.-]+)",
                     re.DOTALL | re.IGNORECASE)


def detect(file: BinaryIO, name: str | None = None) -> str:
    """The media type of `file` (seekable), judged from its bytes (and `name`, the file's name,
    where they are ambiguous); the position is kept at 0."""
    file.seek(0)
    head = file.read(SAMPLE)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return ooxml.kind(file) or OTHER
    decoded = encodings.decode(head, partial=True)
    if decoded is None:
        return OTHER
    text = decoded.text
    structured = _structured(text, complete=len(head) < SAMPLE, name=name or "")
    if structured is not None:
        return structured
    if _is_csv(text):
        return CSV
    return MARKDOWN if _MARKDOWN.search(text) else TEXT


def _structured(text: str, *, complete: bool, name: str) -> str | None:
    """STEP, SVG, XML or JSON when the text is one of them, else None."""
    if text.startswith(STEP_HEADER):
        return STEP
    start = text.lstrip()
    root = _PROLOG.match(start)
    if root is not None:
        if root.group(1).rsplit(":", 1)[-1] == "svg":
            return SVG
        if start.startswith("<?xml") or name.lower().endswith(".xml"):
            return XML
        return None
    if start.startswith(("{", "[")) and _is_json(start, complete):
        return JSON
    return None


def _is_json(text: str, complete: bool) -> bool:
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        if complete:
            return False
        # why: a head cut off inside a value: valid JSON so far is JSON; an error before the cut is not
        return error.msg.startswith("Unterminated string") or error.pos >= len(text.rstrip()) - 1
    except RecursionError:  # why: nesting deeper than the parser goes; whatever it is, not for us to read
        return False
    return True


def _is_csv(text: str) -> bool:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t")
    except csv.Error:
        return False
    widths = {len(row) for row in csv.reader(lines, dialect)}
    return len(widths) == 1 and widths.pop() > 1


@dataclass(frozen=True)
class ContentLimits:
    """How much of a file we agree to open; beyond these a file is refused before it is stored."""

    # why: stamping and rendering walk every page; 2,000 pages is beyond any real disclosure
    pdf_pages: int = 2000
    # why: a 50-megapixel photo is the largest common camera's; stamping decodes the image
    # whole, at 4 bytes a pixel that is already 200 MB of memory
    image_pixels: int = 50_000_000
    # why: python-docx holds every part of a document in memory to stamp and scan it
    docx_unpacked_bytes: int = 256 * 1024 * 1024
    # why: a real document has tens of parts; thousands only make listing them slow
    docx_parts: int = 10_000
    # spreadsheets and slides (XLSX, PPTX) share the two limits above, and have these (domain/limits.py)
    spreadsheet_cells: int = MAX_SPREADSHEET_CELLS
    sheet_rows: int = MAX_SHEET_ROWS
    slides: int = MAX_SLIDES
    office_media_bytes: int = MAX_OFFICE_MEDIA_BYTES

    def package(self) -> ooxml.PackageLimits:
        return ooxml.PackageLimits(parts=self.docx_parts, unpacked_bytes=self.docx_unpacked_bytes,
                                   cells=self.spreadsheet_cells, sheet_rows=self.sheet_rows,
                                   slides=self.slides, media_bytes=self.office_media_bytes)


DEFAULT_LIMITS = ContentLimits()
_EOF_TAIL = 1024  # why: PDF readers look for %%EOF within the last 1,024 bytes


def problem_with(content: bytes | BinaryIO, media_type: str, limits: ContentLimits = DEFAULT_LIMITS,
                 max_bytes: int | None = None) -> str | None:
    """Why `content` cannot be handled safely as `media_type`, or None when it can.

    A file must be seekable; it is read from its start and left there.
    """
    file = io.BytesIO(content) if isinstance(content, bytes | bytearray) else content
    check = _CHECKS.get(media_type)
    try:
        size = file.seek(0, io.SEEK_END)
        if size == 0:
            return "is empty"
        if max_bytes is not None and size > max_bytes:
            return f"is over the limit of {max_bytes} bytes"
        file.seek(0)
        return check(file, limits) if check is not None else None
    finally:
        file.seek(0)


def _pdf(file: BinaryIO, limits: ContentLimits) -> str | None:
    file.seek(-min(_EOF_TAIL, file.seek(0, io.SEEK_END)), io.SEEK_END)
    if b"%%EOF" not in file.read():
        return ("is a damaged PDF: it ends before its last part, as if cut off while copying; "
                "upload the whole file")
    file.seek(0)
    try:
        pdf = pikepdf.open(file)
    except pikepdf.PasswordError:
        return ("is a PDF protected by a password: we cannot stamp or scan it; "
                "remove the password and upload again")
    except Exception as error:  # why: whatever the parser trips on, the file cannot be read
        return _damaged_pdf(str(error))
    with pdf:
        if pdf.is_encrypted:
            return ("is an encrypted PDF (its owner restricted what may be done with it): we cannot "
                    "stamp or scan it; remove the password and upload again")
        try:
            pages = len(pdf.pages)
            if pages > limits.pdf_pages:
                return (f"is a PDF of {pages} pages; the most we accept is {limits.pdf_pages} pages: "
                        "split it into smaller documents")
            for page in pdf.pages:  # the page tree walks, and every leaf is a page with a size
                _ = page.mediabox
        except Exception as error:  # why: as above, a page the parser cannot read is damage
            return _damaged_pdf(str(error))
        if pages == 0:
            return _damaged_pdf(" ".join(pdf.get_warnings()))
    return None


def _damaged_pdf(detail: str) -> str:
    if "nested" in detail:
        return "is a damaged PDF: its objects are nested too deeply to be read safely"
    if "Loop" in detail or "loop" in detail:
        return "is a damaged PDF: its pages refer to each other in a loop"
    return "is a damaged PDF: it cannot be opened, or its pages cannot be read"


def _image(kind: str) -> Callable[[BinaryIO, ContentLimits], str | None]:
    name = {PNG: "PNG", JPEG: "JPEG"}[kind]

    def check(file: BinaryIO, limits: ContentLimits) -> str | None:
        damaged = f"is a damaged {name} image: it cannot be decoded (it may be cut off or corrupted)"
        try:
            with Image.open(file, formats=[name]) as image:
                width, height = image.size
                if width * height > limits.image_pixels:
                    return _too_many_pixels(width * height, limits, f" ({width} by {height})")
                image.verify()  # the chunks' checksums, without decoding
            file.seek(0)
            with Image.open(file, formats=[name]) as image:
                image.load()  # every pixel decodes: nothing is cut off or garbled
        # Pillow refuses what is far over its own limit; it warns (an error under the tests'
        # warning filter) above half of it, which is still over ours.
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
            size = re.search(r"\((\d+) pixels\)", str(bomb))
            return _too_many_pixels(int(size.group(1)) if size else None, limits)
        except Exception:  # why: whatever the decoder trips on, the image cannot be read
            return damaged
        return None

    return check


def _too_many_pixels(pixels: int | None, limits: ContentLimits, size: str = "") -> str:
    counted = f"{pixels / 1_000_000:,.0f} million pixels{size}" if pixels is not None else "too many pixels"
    return (f"is an image of {counted}; the most we accept is {limits.image_pixels / 1_000_000:g} million "
            "pixels (an image that large would take too much memory to handle, and may be a "
            "decompression bomb): make it smaller")


def _docx(file: BinaryIO, limits: ContentLimits) -> str | None:
    damaged = "is a damaged Word document: it cannot be read as a DOCX (zip) file"
    try:
        with zipfile.ZipFile(file) as archive:
            problem = ooxml.package_problem(archive, limits.package(), "a Word document")
            if problem is not None:
                return problem
            if "word/document.xml" not in archive.namelist():
                return "is not a Word document: it has no word/document.xml"
            if archive.testzip() is not None:  # every part unpacks (within the bounds above) to its checksum
                return damaged
        file.seek(0)
        docx.Document(file)
    except Exception:  # why: whatever zipfile or python-docx trips on, the document cannot be read
        return damaged
    return None


def _office(file: BinaryIO, limits: ContentLimits, media_type: str) -> str | None:
    return ooxml.problem_with_office(file, media_type, limits.package())


_CHECKS: dict[str, Callable[[BinaryIO, ContentLimits], str | None]] = {
    PDF: _pdf, PNG: _image(PNG), JPEG: _image(JPEG), DOCX: _docx,
    **{kind: functools.partial(_office, media_type=kind) for kind in (XLSX, XLSM, PPTX, PPTM)},
}
