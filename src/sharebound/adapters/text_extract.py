"""The text of a stored item, page by page, for the content gate.

- PDF (pypdfium2): one `Page` per page, numbered; every handle closed as soon as it is read.
- DOCX (python-docx): paragraphs, table cells, headers and footers, as one unnumbered page
  whose lines are numbered (a DOCX has no fixed pages).
- Text, Markdown, CSV (and notes): decoded in their own encoding (`adapters.encodings`: UTF-8,
  UTF-16, Windows-1252...), by line.
- PNG, JPEG: the text of their metadata (PNG text chunks, a JPEG comment, EXIF's image
  description), one item a line: where a stamped copy carries its stamp line. The pixels
  are never decoded.
- Anything else (unknown types): nothing to scan.

Bounded: reading stops after `max_pages` pages or `max_chars` characters, and says so
(`complete=False`). A file that cannot be read (damaged, encrypted) gives no pages and the
reason (`unreadable`): the gate then refuses, since it cannot vouch for what it did not read.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sharebound.adapters import encodings
from sharebound.adapters.filetypes import DOCX, PDF, TEXT_TYPES
from sharebound.adapters.pdfium import PDFIUM
from sharebound.domain.gate import Page
from sharebound.domain.media_types import IMAGE_TYPES

# why: 2,000 pages is a very long report; reading more would hold a request for minutes.
MAX_PAGES = 2000
# why: 10 million characters is ~1,700 pages of dense prose; scanning it takes seconds.
MAX_CHARS = 10_000_000


@dataclass(frozen=True, slots=True)
class Limits:
    """How much text the gate reads (settings SHAREBOUND_GATE_MAX_PAGES and _MAX_CHARS)."""

    max_pages: int = MAX_PAGES
    max_chars: int = MAX_CHARS


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Extracted:
    pages: tuple[Page, ...]
    complete: bool = True  # False: a limit stopped the reading before the end
    unreadable: str | None = None  # why the text could not be read at all

    @property
    def chars(self) -> int:
        return sum(len(p.text) for p in self.pages)


NOTHING = Extracted(())


def extract(content: bytes, media_type: str, *, max_pages: int = MAX_PAGES,
            max_chars: int = MAX_CHARS) -> Extracted:
    """The text of `content`, read as `media_type` (its type detected from its content)."""
    if media_type in TEXT_TYPES:
        return _text(content, max_chars)
    if media_type == PDF:
        return _pdf(content, max_pages, max_chars)
    if media_type == DOCX:
        return _docx(content, max_chars)
    if media_type in IMAGE_TYPES:
        return _image(content, max_chars)
    return NOTHING


EXIF_DESCRIPTION = 0x010E  # why: EXIF's ImageDescription tag


def _image(content: bytes, max_chars: int) -> Extracted:
    from PIL import Image  # why: imported when needed

    texts: list[str] = []
    try:
        with Image.open(io.BytesIO(content)) as image:  # reads the headers, decodes no pixel
            for key, value in image.info.items():
                if isinstance(value, str):  # PNG text chunks read before the pixels
                    texts.append(value)
                elif key == "comment" and isinstance(value, bytes):
                    texts.append(value.decode("utf-8", errors="replace"))
            described = image.getexif().get(EXIF_DESCRIPTION)
            if isinstance(described, str) and described not in texts:
                texts.append(described)
    except Exception:  # why: the upload checks decoded it whole; metadata we cannot read is none
        return NOTHING
    text = "\n".join(t for part in texts for t in part.splitlines())
    return Extracted((Page(text[:max_chars]),), complete=len(text) <= max_chars) if text else NOTHING


def _text(content: bytes, max_chars: int) -> Extracted:
    text = encodings.decode_or_replace(content)
    complete = len(text) <= max_chars
    return Extracted((Page(text[:max_chars]),), complete=complete)


def _pdf(content: bytes, max_pages: int, max_chars: int) -> Extracted:
    with PDFIUM:  # why: PDFium is not thread-safe (adapters/pdfium.py)
        return _pdf_locked(content, max_pages, max_chars)


def _pdf_locked(content: bytes, max_pages: int, max_chars: int) -> Extracted:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]  # why: it ships no type hints

    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as error:
        return Extracted((), unreadable=_pdf_problem(str(error)))
    pages: list[Page] = []
    chars, complete = 0, True
    try:
        count = len(document)
        if count == 0:  # why: no page to read is no proof of no text (another reader may find some)
            return Extracted((), unreadable="the PDF has no page this reader can open")
        for index in range(count):
            if index >= max_pages or chars >= max_chars:
                complete = False
                break
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_bounded()
                finally:
                    textpage.close()
            finally:
                page.close()
            # why: PDFium ends lines with CR LF; keep one line break per line
            text = text.replace("\r\n", "\n").replace("\r", "\n")[:max_chars - chars]
            chars += len(text)
            pages.append(Page(text, index + 1))
    except pdfium.PdfiumError as error:
        return Extracted((), unreadable=_pdf_problem(str(error)))
    finally:
        document.close()
    return Extracted(tuple(pages), complete=complete)


def _pdf_problem(message: str) -> str:
    if "password" in message.lower():
        return "the PDF is encrypted"
    return "the PDF is damaged"


def _docx(content: bytes, max_chars: int) -> Extracted:
    import docx  # why: imported when needed

    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as error:  # why: a malformed package raises many kinds (lxml, zip, xml)
        return Extracted((), unreadable=f"the DOCX is damaged ({type(error).__name__})")
    lines: list[str] = []
    chars, complete = 0, True
    for line in _docx_lines(document):
        if chars + len(line) > max_chars:
            complete = False
            break
        lines.append(line)
        chars += len(line) + 1
    return Extracted((Page("\n".join(lines)),), complete=complete)


def _docx_lines(document: object) -> Iterator[str]:
    """Headers, then the body (paragraphs and tables in order), then footers."""
    from docx.document import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    assert isinstance(document, Document)
    seen: set[int] = set()
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header):
            if not part.is_linked_to_previous and id(part.part) not in seen:
                seen.add(id(part.part))
                yield from _paragraph_lines(p.text for p in part.paragraphs)
                for table in part.tables:
                    yield from _table_lines(table)
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield from _paragraph_lines([block.text])
        elif isinstance(block, Table):
            yield from _table_lines(block)
    for section in document.sections:
        for part in (section.footer, section.first_page_footer, section.even_page_footer):  # type: ignore[assignment]
            if not part.is_linked_to_previous and id(part.part) not in seen:
                seen.add(id(part.part))
                yield from _paragraph_lines(p.text for p in part.paragraphs)


def _paragraph_lines(texts: Iterable[str]) -> Iterator[str]:
    for text in texts:
        yield from text.splitlines() or [""]


def _table_lines(table: object) -> Iterator[str]:
    """A table row as one line, its cells apart (tab-separated), nested tables after it."""
    from docx.table import Table

    assert isinstance(table, Table)
    for row in table.rows:
        cells = []
        for cell in row.cells:
            cells.append(" ".join(p.text for p in cell.paragraphs))
        yield "\t".join(cells)
        for cell in row.cells:
            for inner in cell.tables:
                yield from _table_lines(inner)
