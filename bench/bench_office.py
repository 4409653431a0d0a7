"""Spreadsheets and slides: the upload check, the stamp and the gate's reading, each side by
side with the plain openpyxl / python-pptx work it builds on.

    .venv/bin/python bench/bench_office.py [--rows 150000] [--repeat 3] [--json] [--skip-slow]

- **check**: `filetypes.problem_with` on a workbook of --rows rows (accepted) and of a
  million rows (refused: rows are counted in the raw sheet bytes as they unpack), against
  openpyxl's read-only mode walking every row, what counting rows with the library costs.
- **stamp XLSX**: `stamp_xlsx` (the sheets' headers rewritten in the XML, their rows copied
  unparsed) on a workbook of 10 sheets of 2,000 rows with formulas, against openpyxl loading
  and saving it unchanged (what a stamp made with openpyxl would cost at the least).
- **stamp PPTX**: `stamp_pptx` on a 60-slide deck, against python-pptx loading and saving it.
- **view**: `office_view.sheets` (the first 500 rows of the --rows sheet, as view only shows
  them), against openpyxl's read-only mode reading the same 500 rows (which first walks the
  whole sheet when, as here, the sheet does not state its size in a `<dimension>` element).
- **gate**: `text_extract.extract` of the 10-sheet workbook, against openpyxl's read-only
  mode reading every value.

The files are made here (openpyxl, python-pptx). Each line is the best of --repeat runs
after one warmup (the two openpyxl walks of every row: one run, they take minutes). The
machine is shared: read the ratios, measured side by side in one run.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import sys
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]

import openpyxl  # noqa: E402
import pptx  # noqa: E402

from sharebound.adapters.filetypes import PPTX, XLSX, problem_with  # noqa: E402
from sharebound.adapters.stamping.office_view import sheets  # noqa: E402
from sharebound.adapters.stamping.pptx import stamp_pptx  # noqa: E402
from sharebound.adapters.stamping.xlsx import stamp_xlsx  # noqa: E402
from sharebound.adapters.text_extract import extract  # noqa: E402
from sharebound.domain.stamps import Stamp, copy_id_of  # noqa: E402

STAMP = Stamp(discloser="Acme Sensors", recipient_name="Gina Gray", recipient_org="Globex",
              agreement_id="agr_4f2b52ba15fc448d8c9e36314a20264b", agreement_version=1,
              at=datetime(2026, 11, 28, tzinfo=UTC), copy_id=copy_id_of(20_261_128))


def workbook_of_rows(rows: int) -> bytes:
    """One sheet of `rows` rows of three varied numbers (written straight as XML: openpyxl's
    writer would take longer than everything measured)."""
    base = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.title = "Export"
    book.save(base)
    body = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}"><v>{n * 7919 % 100003}</v></c>'
                   f'<c r="C{n}"><v>{n % 97}.5</v></c></row>' for n in range(1, rows + 1))
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = sheet if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info.filename, data, zipfile.ZIP_DEFLATED, 6)
    return out.getvalue()


def workbook_with_formulas(sheets: int = 10, rows: int = 2000) -> bytes:
    book = openpyxl.Workbook()
    for index in range(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = f"Region {index + 1}"
        for row in range(1, rows + 1):
            sheet.append([f"part {row}", row * 3, row * 0.5, f"=B{row}*C{row}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def deck(slides: int = 60) -> bytes:
    presentation = pptx.Presentation()
    for number in range(1, slides + 1):
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = f"Quarter review, part {number}"
        slide.placeholders[1].text = "Revenue up\nCosts flat\nThermal drift under 0.2 K"
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def best(run: Callable[[], object], repeat: int) -> float:
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def once(run: Callable[[], object]) -> float:
    """One timed run, no warmup: for a reference that takes minutes (its start-up is noise)."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def read_only_rows(content: bytes) -> int:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    count = sum(1 for sheet in book.worksheets for _ in sheet.iter_rows(values_only=True))
    book.close()
    return count


def read_only_first_rows(content: bytes, rows: int = 500) -> int:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    count = sum(1 for _ in book.worksheets[0].iter_rows(max_row=rows, max_col=50, values_only=True))
    book.close()
    return count


def round_trip_xlsx(content: bytes) -> bytes:
    out = io.BytesIO()
    openpyxl.load_workbook(io.BytesIO(content)).save(out)
    return out.getvalue()


def round_trip_pptx(content: bytes) -> bytes:
    out = io.BytesIO()
    pptx.Presentation(io.BytesIO(content)).save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=150_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--skip-slow", action="store_true",
                        help="leave out the two openpyxl walks of every row (minutes on a busy machine)")
    args = parser.parse_args()

    def slow(run: Callable[[], object]) -> float:
        return float("nan") if args.skip_slow else once(run)

    accepted, refused = workbook_of_rows(args.rows), workbook_of_rows(1_000_000)
    formulas, slides = workbook_with_formulas(), deck()
    assert problem_with(accepted, XLSX) is None and problem_with(refused, XLSX) is not None
    lines = [
        (f"check {args.rows:,} rows (accepted)", best(lambda: problem_with(accepted, XLSX), args.repeat),
         "openpyxl read-only, every row", slow(lambda: read_only_rows(accepted))),
        ("check 1,000,000 rows (refused)", best(lambda: problem_with(refused, XLSX), args.repeat),
         "openpyxl read-only, every row", slow(lambda: read_only_rows(refused))),
        (f"view the first 500 of {args.rows:,} rows", best(lambda: sheets(io.BytesIO(accepted), 500, 50),
                                                           args.repeat),
         "openpyxl read-only, 500 rows", best(lambda: read_only_first_rows(accepted), args.repeat)),
        ("stamp XLSX (10 sheets x 2,000 rows)",
         best(lambda: stamp_xlsx(io.BytesIO(formulas), STAMP), args.repeat),
         "openpyxl load + save", best(lambda: round_trip_xlsx(formulas), args.repeat)),
        ("stamp PPTX (60 slides)", best(lambda: stamp_pptx(io.BytesIO(slides), STAMP), args.repeat),
         "python-pptx load + save", best(lambda: round_trip_pptx(slides), args.repeat)),
        ("gate text of the 10-sheet workbook", best(lambda: extract(formulas, XLSX), args.repeat),
         "openpyxl read-only, every value", best(lambda: read_only_rows(formulas), args.repeat)),
        ("gate text of the 60-slide deck", best(lambda: extract(slides, PPTX), args.repeat),
         "python-pptx load", best(lambda: pptx.Presentation(io.BytesIO(slides)), args.repeat)),
    ]
    if args.json:
        print(json.dumps({"python": platform.python_version(), "lines": [
            {"ours": name, "seconds": ours, "reference": ref, "reference_seconds": theirs}
            for name, ours, ref, theirs in lines]}, indent=2))
        return
    print(f"{'ours':40} {'s':>8}   {'reference':32} {'s':>8}  ratio")
    for name, ours, ref, theirs in lines:
        print(f"{name:40} {ours:8.3f}   {ref:32} {theirs:8.3f}  {ours / theirs:5.2f}")


if __name__ == "__main__":
    main()
