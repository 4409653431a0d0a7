"""What view only shows of a spreadsheet or a deck, never the file itself:

- XLSX: each sheet's first rows and columns as plain strings (the page escapes them into an
  HTML table), its XML read as a stream (lxml) that stops at the view's limits, with a note
  where the sheet is cut; dates shown as dates (the cell's number format says which); a
  formula shows the result Excel saved with it, or its text when there is none (formulas
  are never evaluated here);
- PPTX: each slide's text, a paragraph a line, and its pictures (PNG and JPEG), numbered
  across the deck, to be fetched one by one re-encoded and stamped (`slide_picture`).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import pptx
from lxml import etree  # type: ignore[import-untyped]  # why: it ships no type hints
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from pptx.enum.shapes import MSO_SHAPE_TYPE

from sharebound.adapters import ooxml, text_office
from sharebound.adapters.stamping.errors import StampError

_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
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
    """The sheets' first `max_rows` rows and `max_columns` columns, as text, each sheet's XML
    read as a stream that stops after them (openpyxl's read-only mode first walks a whole
    sheet that does not state its size: 40 s for 150,000 rows)."""
    source.seek(0)
    try:
        with zipfile.ZipFile(source) as archive:
            book = text_office.xml(archive, "xl/workbook.xml")
            strings = text_office.shared_strings(archive)
            dates = _date_styles(archive)
            epoch = _epoch(book)
            shown = []
            for name, part in text_office.workbook_sheets(archive, book):
                if not part.startswith("xl/worksheets/"):
                    shown.append(SheetView(name, (), "a chart sheet: view only shows no charts"))
                    continue
                reading = _Reading(strings, dates, epoch)
                shown.append(_sheet(archive, name, part, reading, max_rows, max_columns))
            return tuple(shown)
    except ooxml.BROKEN as error:
        raise StampError("the XLSX is damaged: it cannot be shown") from error


@dataclass(frozen=True)
class _Reading:
    strings: list[str]
    dates: frozenset[int]  # the cell styles (`s`) whose number format is a date or a time
    epoch: dt.datetime


def _sheet(archive: zipfile.ZipFile, name: str, part: str, reading: _Reading, max_rows: int,
           max_columns: int) -> SheetView:
    rows: list[tuple[str, ...]] = []
    more_rows = more_columns = False
    for row in text_office.iter_elements(archive, part, _S + "row"):
        number = int(row.get("r") or len(rows) + 1)
        while len(rows) < min(number - 1, max_rows):  # rows the sheet leaves out are empty
            rows.append(())
        if number > max_rows:
            more_rows = True
            break
        cells: list[str] = []
        for cell in row.iter(_S + "c"):
            column = _column(cell.get("r"), len(cells))
            if column >= max_columns:
                more_columns = more_columns or bool(_shown(cell, reading))
                continue
            cells += [""] * (column - len(cells))
            cells.append(_shown(cell, reading))
        rows.append(tuple(cells))
        row.clear()
    while rows and not any(rows[-1]):
        rows.pop()
    width = max((len(r) for r in rows), default=0)
    cut = [f"truncated at {max_rows:,} rows"] if more_rows else []
    cut += [f"only the first {max_columns} columns are shown"] if more_columns else []
    return SheetView(name, tuple(r + ("",) * (width - len(r)) for r in rows), "; ".join(cut) or None)


_PAST_LAST_COLUMN = 16_384  # why: 0-based, one past XFD


def _column(reference: str | None, following: int) -> int:
    """The 0-based column of a cell reference ("AB12" is 27), or the next one when it has none."""
    letters = "".join(c for c in reference or "" if c.isalpha()).upper()
    if not letters:
        return following
    if len(letters) > 3 or not letters.isascii():  # why: XFD (3 letters) is Excel's last column;
        return _PAST_LAST_COLUMN  # a longer one would only make a huge number, then be cut anyway
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def _shown(cell: etree._Element, reading: _Reading) -> str:
    """What Excel shows, as far as we know without evaluating: the saved result (a date as a
    date), or a formula's text when nothing was saved with it."""
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(_S + "t"))
    value = cell.find(_S + "v")
    text = (value.text or "") if value is not None else ""
    if not text:
        formula = cell.find(_S + "f")
        return f"={formula.text}" if formula is not None and formula.text else ""
    if kind == "s":
        index = int(text) if text.strip().isdigit() else len(reading.strings)
        return reading.strings[index] if index < len(reading.strings) else ""
    if kind == "b":
        return "TRUE" if text.strip() == "1" else "FALSE"
    if kind in ("str", "e") or int(cell.get("s") or 0) not in reading.dates:
        return text
    try:
        moment = (reading.epoch + dt.timedelta(days=float(text))).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return text
    if moment.time() == dt.time():
        return moment.date().isoformat()
    return moment.isoformat(sep=" ", timespec="minutes" if moment.second == 0 else "seconds")


def _date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    if "xl/styles.xml" not in archive.namelist():
        return frozenset()
    styles = text_office.xml(archive, "xl/styles.xml")
    custom = {int(f.get("numFmtId") or 0): str(f.get("formatCode") or "") for f in styles.iter(_S + "numFmt")}
    found = set()
    formats = styles.find(_S + "cellXfs")
    for index, xf in enumerate(formats if formats is not None else []):
        number = int(xf.get("numFmtId") or 0)
        code = custom.get(number) or BUILTIN_FORMATS.get(number, "")
        if number in range(14, 23) or number in range(45, 48) or (code and is_date_format(code)):
            found.add(index)
    return frozenset(found)


def _epoch(book: etree._Element) -> dt.datetime:
    properties = book.find(_S + "workbookPr")
    if properties is not None and properties.get("date1904") in ("1", "true"):
        return dt.datetime(1904, 1, 1, tzinfo=dt.UTC)
    return dt.datetime(1899, 12, 30, tzinfo=dt.UTC)  # why: Excel's day 0 (its 1900 has a 29 February)


def slides(source: BinaryIO, max_pictures: int) -> tuple[SlideView, ...]:
    """Each slide's text and the numbers of its pictures that view only shows."""
    try:
        return _slides(_open_deck(source), max_pictures)
    except StampError:
        raise
    except Exception as error:  # why: a shape or picture python-pptx cannot read; the deck cannot be shown
        raise StampError("the PPTX is damaged: it cannot be shown") from error


def _slides(deck: Any, max_pictures: int) -> tuple[SlideView, ...]:
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
    try:
        return _picture(_open_deck(source), number)
    except StampError:
        raise
    except Exception as error:  # why: as above, a picture python-pptx cannot read is not shown
        raise StampError("the PPTX is damaged: its picture cannot be shown") from error


def _picture(deck: Any, number: int) -> bytes | None:
    counted = 0
    for slide in deck.slides:
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
    except Exception as error:  # why: whatever python-pptx trips on, the deck cannot be shown
        raise StampError("the PPTX is damaged: it cannot be shown") from error
