"""An export as a PDF: a title page, then a table whose header row is repeated on every page.

fpdf2 keeps a whole document in memory until it writes it (measured: ~1.1 KB a row, so
100,000 rows would hold ~115 MB). To bound that, the rows are rendered `SLICE_ROWS` at a time,
each slice its own small fpdf2 document written to a temporary file and freed, and the slices
are then joined page by page with pikepdf (qpdf), which reads each page's content from its file
as it writes the result. So memory holds one slice of rows (~6 MB peak, plus qpdf's page
dictionaries), whatever the export's size; docs/exports.md has the figures. The house's Noto fonts
(adapters/stamping/fonts.py) print any name as written; a long value wraps onto more lines
without losing a character.
"""

from __future__ import annotations

import gc
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import islice
from typing import IO, BinaryIO, cast

import pikepdf
from fpdf import FPDF

from sharebound.adapters.executed_pdf import wrap
from sharebound.adapters.stamping.fonts import installed

SLICE_ROWS = 2000  # why: ~60 pages per fpdf2 document, ~5 MB of memory while it is built
MARGIN = 10  # mm
SIZE = 7  # pt; why: ten columns across a landscape A4 page stay readable
LINE = 3.2  # mm between lines at that size
BASELINE = 2.4  # mm from a line's top to its baseline
PAD = 1.0  # mm between columns
#: Columns of a fixed width (mm), so that an id or a time is never cut; the others share the
#: rest of the page by their weight (1 unless named).
FIXED: dict[str, float] = {"disclosure_id": 52, "access_id": 52, "disclosed_at": 26, "accessed_at": 26,
         "direction": 13, "state": 11, "classification": 16, "agreement_version": 12,
         "action": 13, "copy_id": 22}
WEIGHTS = {"item_title": 2.0, "recipients": 1.7, "disclosed_by": 1.3, "person_email": 1.3}


@dataclass(frozen=True)
class TitlePage:
    heading: str
    lines: Sequence[str]


@dataclass(frozen=True)
class PdfTable:
    columns: Sequence[str]
    rows: Iterable[Sequence[str]]  # read once, a slice at a time


class _Pdf(FPDF):
    columns: Sequence[str] = ()
    widths: Sequence[float] = ()
    first_page = 1  # the number this document's first page has in the whole export
    footer_text = ""
    plain: frozenset[int] = frozenset()  # the characters the first font draws

    def header(self) -> None:
        if self.columns:
            _cells(self, list(self.columns), self.widths, header=True)

    def footer(self) -> None:
        self.set_y(-8)
        self.cell(0, LINE, f"{self.footer_text} · page {self.first_page + self.page_no() - 1}",
                  align="C")


def write_pdf(title: TitlePage, table: PdfTable, out: IO[bytes]) -> int:
    """Write the export to `out`; answers how many pages it has."""
    rows = iter(table.rows)
    with ExitStack() as stack:
        parts: list[BinaryIO] = []
        pages = 0
        first = True
        while True:
            chunk = list(islice(rows, SLICE_ROWS))
            if not chunk and not first:
                break
            part = stack.enter_context(tempfile.TemporaryFile())
            pages += _slice(part, title if first else None, table.columns, chunk, pages + 1)
            gc.collect()  # why: an fpdf2 document is a web of cycles; free each slice's now
            parts.append(part)
            first = False
            if len(chunk) < SLICE_ROWS:
                break
        joined = pikepdf.new()
        for written in parts:
            written.seek(0)
            joined.pages.extend(stack.enter_context(pikepdf.open(written)).pages)
        joined.docinfo["/Title"] = title.heading
        joined.docinfo["/Producer"] = "Sharebound (fpdf2, pikepdf)"
        joined.save(cast(BinaryIO, out))  # why: pikepdf writes any binary file object
        return pages


def _slice(out: IO[bytes], title: TitlePage | None, columns: Sequence[str],
           rows: list[Sequence[str]], first_page: int) -> int:
    text = "".join(c for row in rows for c in row) + "".join(columns)
    if title is not None:
        text += title.heading + "".join(title.lines)
    pdf = _setup(text)
    try:
        pdf.first_page = first_page
        pdf.footer_text = "Sharebound export"
        if title is not None:
            pdf.add_page()
            _title(pdf, title)
        pdf.widths = column_widths(columns, pdf.w - 2 * MARGIN)
        pdf.columns = columns
        pdf.add_page()
        for row in rows:
            _cells(pdf, row, pdf.widths)
        out.write(bytes(pdf.output()))
        return pdf.page_no()
    finally:  # why: fpdf2 reads each font file lazily and keeps it open until closed
        for font in pdf.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()


def column_widths(columns: Sequence[str], usable: float) -> list[float]:
    rest = usable - sum(FIXED.get(c, 0.0) for c in columns)
    total = sum(WEIGHTS.get(c, 1.0) for c in columns if c not in FIXED) or 1.0
    return [FIXED[c] if c in FIXED else rest * WEIGHTS.get(c, 1.0) / total for c in columns]


_WIDTHS: dict[str, dict[str, float]] = {}  # per font: each character's width at SIZE


def _cells(pdf: _Pdf, cells: Sequence[str], widths: Sequence[float], *, header: bool = False) -> None:
    """One table row: each cell wrapped to its column; a row taller than what is left of the
    page goes on over the page break, line by line (the header repeats there)."""
    cache = _WIDTHS.setdefault(pdf.font_family, {})
    lines = [[p for line in c.split("\n") for p in wrap(line, w - PAD, cache, pdf)]
             for c, w in zip(cells, widths, strict=True)]
    bottom = pdf.h - MARGIN - 4
    for k in range(max(len(c) for c in lines)):
        if pdf.get_y() + LINE > bottom and not header:
            pdf.add_page()
        y = pdf.get_y()
        x = float(MARGIN)
        for pieces, width in zip(lines, widths, strict=True):
            if k < len(pieces) and pieces[k]:
                if pdf.plain.issuperset(map(ord, pieces[k])):  # why: text() is ~7x faster than cell()
                    pdf.text(x, y + BASELINE, pieces[k])
                else:  # a character of a fallback font (Arabic, Hebrew, CJK): cell() finds it
                    pdf.set_xy(x, y)
                    pdf.cell(width - PAD, LINE, pieces[k])
            x += width
        pdf.set_xy(MARGIN, y + LINE)
    y = pdf.get_y() + 0.4
    pdf.set_draw_color(80 if header else 200)
    pdf.line(MARGIN, y, pdf.w - MARGIN, y)
    pdf.set_xy(MARGIN, y + 0.6)


def _title(pdf: _Pdf, title: TitlePage) -> None:
    pdf.set_font(size=16)
    pdf.multi_cell(0, 8, title.heading, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(size=10)
    for line in title.lines:
        pdf.multi_cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(size=SIZE)


def _setup(text: str) -> _Pdf:
    pdf = _Pdf(orientation="landscape", format="A4", unit="mm")
    pdf.set_producer("Sharebound (fpdf2)")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    first, *rest = installed()
    missing = {ord(c) for c in set(text)} - first.characters
    names = []  # why only the fonts the text needs: each one added costs its subsetting
    for font in (first, *(f for f in rest if missing & f.characters)):
        pdf.add_font(font.name, fname=str(font.path))
        names.append(font.name)
    pdf.set_font(names[0], size=SIZE)
    pdf.plain = first.characters
    if len(names) > 1:
        pdf.set_fallback_fonts(names[1:])
    return pdf
