"""What view only shows of a spreadsheet or a deck, never the file itself:

- XLSX: each sheet's first rows and columns as plain strings (the page escapes them into an
  HTML table), read as a stream (openpyxl's read-only mode) up to the view's limits, with a
  note where the sheet is cut; a formula shows the result Excel saved with it, or its text
  when there is none (formulas are never evaluated here);
- PPTX: each slide's text, a paragraph a line, and its pictures (PNG and JPEG), numbered
  across the deck, to be fetched one by one re-encoded and stamped (`slide_picture`).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import openpyxl
import pptx
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.exc import PackageNotFoundError

from sharebound.adapters.stamping.errors import StampError
from sharebound.adapters.stamping.xlsx import quiet

SHOWN_PICTURES = frozenset({"image/png", "image/jpeg"})  # why: what the image stamp re-encodes


@dataclass(frozen=True)
class SheetView:
    name: str
    rows: tuple[tuple[str, ...], ...]
    cut: str | None = None  # "truncated at 500 rows", or why the sheet is not shown


@dataclass(frozen=True)
class SlideView:
    number: int
    lines: tuple[str, ...]
    pictures: tuple[int, ...]  # numbers of the deck's pictures shown (1-based, across slides)
    hidden_pictures: int = 0  # pictures of a type view only cannot show, or past the limit


def sheets(source: BinaryIO, max_rows: int, max_columns: int) -> tuple[SheetView, ...]:
    """The sheets' first `max_rows` rows and `max_columns` columns, as text."""
    formulas, values = _open_read_only(source, data_only=False), _open_read_only(source, data_only=True)
    try:
        shown = []
        for sheet in formulas.worksheets:
            if not hasattr(sheet, "iter_rows"):
                shown.append(SheetView(sheet.title, (), "a chart sheet: view only shows no charts"))
                continue
            written = sheet.iter_rows(max_row=max_rows + 1, max_col=max_columns + 1)
            cached = values[sheet.title].iter_rows(max_row=max_rows + 1, max_col=max_columns + 1,
                                                   values_only=True)
            rows: list[tuple[str, ...]] = []
            more_rows, more_columns = False, False
            for row, saved in zip(written, cached, strict=False):
                if len(rows) == max_rows:
                    more_rows = True
                    break
                cells = [_shown(cell, value) for cell, value in zip(row, saved, strict=False)]
                more_columns = more_columns or any(cells[max_columns:])
                rows.append(tuple(cells[:max_columns]))
            while rows and not any(rows[-1]):
                rows.pop()
            width = max((_used(r) for r in rows), default=0)
            cut = [f"truncated at {max_rows:,} rows"] if more_rows else []
            cut += [f"only the first {max_columns} columns are shown"] if more_columns else []
            shown.append(SheetView(sheet.title, tuple(r[:width] for r in rows), "; ".join(cut) or None))
        return tuple(shown)
    finally:
        formulas.close()
        values.close()


def _open_read_only(source: BinaryIO, *, data_only: bool) -> Any:
    source.seek(0)
    try:
        with quiet():
            return openpyxl.load_workbook(source, read_only=True, data_only=data_only, keep_links=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise StampError("the XLSX is damaged: it cannot be shown") from error


def _shown(cell: Any, saved: Any) -> str:
    written = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" and saved is None:
        value = written  # never calculated: the formula's text
    else:
        value = saved if saved is not None else written
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def _used(row: tuple[str, ...]) -> int:
    return max((i + 1 for i, text in enumerate(row) if text), default=0)


def slides(source: BinaryIO, max_pictures: int) -> tuple[SlideView, ...]:
    """Each slide's text and the numbers of its pictures that view only shows."""
    deck = _open_deck(source)
    shown, counted = [], 0
    for number, slide in enumerate(deck.slides, start=1):
        lines = [p.text for shape in _shapes(slide.shapes) if shape.has_text_frame
                 for p in shape.text_frame.paragraphs if p.text.strip()]
        lines += [line for shape in _shapes(slide.shapes) if shape.has_table
                  for line in _table_lines(shape)]
        pictures, hidden = [], 0
        for picture in _pictures(slide.shapes):
            if picture.image.content_type in SHOWN_PICTURES and counted < max_pictures:
                counted += 1
                pictures.append(counted)
            else:
                hidden += 1
        shown.append(SlideView(number, tuple(lines), tuple(pictures), hidden))
    return tuple(shown)


def slide_picture(source: BinaryIO, number: int, max_pictures: int) -> bytes | None:
    """The bytes of the deck's picture `number` (as `slides` numbers them), or None."""
    if not 1 <= number <= max_pictures:
        return None
    counted = 0
    for slide in _open_deck(source).slides:
        for picture in _pictures(slide.shapes):
            if picture.image.content_type in SHOWN_PICTURES:
                counted += 1
                if counted == number:
                    return bytes(picture.image.blob)
    return None


def _shapes(shapes: Any) -> Iterator[Any]:
    """Every shape, those inside groups too, in drawing order."""
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _shapes(shape.shapes)
        else:
            yield shape


def _pictures(shapes: Any) -> Iterator[Any]:
    for shape in _shapes(shapes):
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
            yield shape


def _table_lines(shape: Any) -> Iterator[str]:
    for row in shape.table.rows:
        yield "\t".join(cell.text for cell in row.cells)


def _open_deck(source: BinaryIO) -> Any:
    source.seek(0)
    try:
        return pptx.Presentation(source)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise StampError("the PPTX is damaged: it cannot be shown") from error
