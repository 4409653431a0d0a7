"""What view only shows of a DOCX (python-docx): the body in document order, paragraphs and
tables alike, and the text of the headers and footers. Plain values only: the page escapes
every string it shows (never raw HTML from the file).

    read_docx_view(source, max_chars) -> DocxView
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

import docx
from docx.section import _Footer, _Header
from docx.table import Table
from docx.text.paragraph import Paragraph

from sharebound.adapters.stamping.docx import open_docx

HEADING_LEVELS = 6  # why: Word's "Heading 7" to "Heading 9" read as the sixth level in HTML


@dataclass(frozen=True)
class DocxParagraph:
    text: str
    heading: int = 0  # 1-6 for a heading (Title is 1), 0 for body text
    listed: bool = False  # a list paragraph (shown with a bullet)


@dataclass(frozen=True)
class DocxCell:
    text: str
    span: int = 1  # columns the cell covers (merged cells)


@dataclass(frozen=True)
class DocxTable:
    rows: tuple[tuple[DocxCell, ...], ...]


@dataclass(frozen=True)
class DocxView:
    headers: tuple[str, ...] = ()
    blocks: tuple[DocxParagraph | DocxTable, ...] = ()
    footers: tuple[str, ...] = ()
    cut: bool = False  # the document is longer than what is shown


def read_docx_view(source: BinaryIO, max_chars: int) -> DocxView:
    """The DOCX in `source` as view only shows it, at most `max_chars` characters of its body
    (StampError if it cannot be read)."""
    document = open_docx(source)
    headers, footers = _parts(document)
    blocks: list[DocxParagraph | DocxTable] = []
    budget = max_chars
    cut = False
    for block in document.iter_inner_content():
        shown = _table(block) if isinstance(block, Table) else _paragraph(block)
        size = _size(shown)
        if size > budget:
            cut = True
            break
        budget -= size
        blocks.append(shown)
    return DocxView(headers=headers, blocks=tuple(blocks), footers=footers, cut=cut)


def _paragraph(paragraph: Paragraph) -> DocxParagraph:
    style = (paragraph.style.name or "") if paragraph.style is not None else ""
    heading = 0
    if style == "Title":
        heading = 1
    elif style.startswith("Heading "):
        level = style.removeprefix("Heading ").strip()
        heading = min(int(level), HEADING_LEVELS) if level.isdigit() and int(level) > 0 else 0
    return DocxParagraph(paragraph.text, heading=heading, listed=style.startswith("List"))


def _table(table: Table) -> DocxTable:
    rows: list[tuple[DocxCell, ...]] = []
    for row in table.rows:
        cells: list[DocxCell] = []
        previous = None
        for cell in row.cells:
            if previous is not None and cell._tc is previous:  # why: a merged cell repeats
                cells[-1] = DocxCell(cells[-1].text, cells[-1].span + 1)
                continue
            previous = cell._tc
            cells.append(DocxCell(cell.text))
        rows.append(tuple(cells))
    return DocxTable(tuple(rows))


def _parts(document: docx.document.Document) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The text of every header and footer the document defines, each once, in order."""
    headers: dict[str, None] = {}
    footers: dict[str, None] = {}
    for index, section in enumerate(document.sections):
        parts: list[_Header | _Footer] = [section.header, section.footer]
        if section.different_first_page_header_footer:
            parts += [section.first_page_header, section.first_page_footer]
        if document.settings.odd_and_even_pages_header_footer:
            parts += [section.even_page_header, section.even_page_footer]
        for part in parts:
            if part.is_linked_to_previous and index > 0:
                continue  # why: it shows the previous section's, already taken
            target = headers if isinstance(part, _Header) else footers
            for block in part.iter_inner_content():
                text = block.text if isinstance(block, Paragraph) else " · ".join(
                    cell.text for row in block.rows for cell in row.cells)
                if text.strip():
                    target[text] = None
    return tuple(headers), tuple(footers)


def _size(block: DocxParagraph | DocxTable) -> int:
    if isinstance(block, DocxParagraph):
        return len(block.text) + 1
    return sum(len(cell.text) + 1 for row in block.rows for cell in row) + 1
