"""Spreadsheets and decks made in the tests (openpyxl, python-pptx): no file comes from outside."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Sequence

import openpyxl
import pptx
from openpyxl.comments import Comment
from pptx.util import Inches

from tests.files import make_image

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def make_xlsx(*, sheets: Sequence[str] = ("Figures", "Costs"), rows: int = 3, comment: str = "",
              header: str = "", cell: str = "") -> bytes:
    """A workbook of `sheets`, each with `rows` rows of numbers and a SUM formula under them;
    `comment` on A1 of the first sheet, `header` as its own page header, `cell` in its B1."""
    workbook = openpyxl.Workbook()
    for index, name in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        sheet.append(["Item", cell or "Amount"])
        for row in range(rows):
            sheet.append([f"line {row + 1}", (row + 1) * 10])
        sheet.append(["Total", f"=SUM(B2:B{rows + 1})"])
    first = workbook.worksheets[0]
    if comment:
        first["A1"].comment = Comment(comment, "Alice")
    if header:
        first.oddHeader.left.text = header
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def make_pptx(slides: Sequence[str] = ("Roadmap", "Prices"), *, notes: str = "", picture: bool = False,
              table: Sequence[Sequence[str]] = ()) -> bytes:
    """A deck of one titled slide per text in `slides`; `notes` on the first slide's notes, a
    PNG picture on each slide, `table` on the last slide."""
    deck = pptx.Presentation()
    for title in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        slide.shapes.title.text = title
        if picture:
            slide.shapes.add_picture(io.BytesIO(make_image("PNG", (200, 120))), Inches(1), Inches(2))
    if notes:
        deck.slides[0].notes_slide.notes_text_frame.text = notes
    if table:
        grid = deck.slides[len(slides) - 1].shapes.add_table(
            len(table), len(table[0]), Inches(1), Inches(4), Inches(6), Inches(1)).table
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                grid.cell(r, c).text = text
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def with_parts(package: bytes, parts: dict[str, bytes], *, stored: bool = False) -> bytes:
    """The package with `parts` added or replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info), zipfile.ZIP_DEFLATED)
        for name, data in parts.items():
            target.writestr(name, data, zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED, 1)
    return out.getvalue()


def sheet_of_rows(rows: int) -> bytes:
    """A worksheet part of `rows` rows, one number a row (numbers that vary, so that the part
    compresses like a real sheet, not like a zip bomb)."""
    body = "".join([f'<row r="{n}"><c><v>{n * 7919 % 100003}</v></c></row>' for n in range(1, rows + 1)])
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>').encode()


def million_rows_xlsx() -> bytes:
    return with_parts(make_xlsx(sheets=("Export",)), {"xl/worksheets/sheet1.xml": sheet_of_rows(1_000_000)})


def pptx_with_media(size: int) -> bytes:
    """A deck holding a video-like embedded file of `size` random bytes (incompressible)."""
    return with_parts(make_pptx(), {"ppt/media/media1.mp4": os.urandom(size)}, stored=True)
