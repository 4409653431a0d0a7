"""Spreadsheets (XLSX) and slides (PPTX): detected from their content, stamped, traced, read by
the content gate and shown in view only; bad ones refused on upload, changing nothing."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.etree import ElementTree

import openpyxl
import pptx
import pytest
from PIL import Image

from sharebound.adapters import filetypes
from sharebound.adapters.filetypes import ContentLimits, detect, problem_with
from sharebound.adapters.stamping import read_copy_id, stamp
from sharebound.adapters.text_extract import extract
from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_OFFICE_MEDIA_BYTES, MAX_VIEW_SHEET_ROWS
from sharebound.services import copies, disclosures, gate, items, trace
from sharebound.services.disclosures import DisclosureDraft
from tests.files import a_stamp
from tests.integration.world import World, changes_nothing
from tests.office_files import (
    PPTX,
    XLSX,
    make_pptx,
    make_xlsx,
    million_rows_xlsx,
    pptx_with_media,
    sheet_of_rows,
    with_parts,
)

GINA = "gina@globex.example"


def _without_properties(package: bytes) -> bytes:
    """The package with its properties emptied, as a leaker stripping metadata would leave it."""
    return with_parts(package, {"docProps/core.xml": b'<?xml version="1.0"?><cp:coreProperties xmlns:cp='
                                b'"http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>',
                                "docProps/custom.xml": b'<?xml version="1.0"?><Properties xmlns="http://'
                                b'schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'})


# --- detection ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "expected"), [(make_xlsx(), XLSX), (make_pptx(), PPTX)],
                         ids=["xlsx", "pptx"])
def test_a_workbook_and_a_deck_are_told_apart_by_their_content_whatever_their_name(
    content: bytes, expected: str
) -> None:
    assert detect(io.BytesIO(content), "archive.zip") == expected
    assert detect(io.BytesIO(content), "report.docx") == expected
    assert problem_with(content, expected) is None


# --- stamps ---------------------------------------------------------------------------------------

def test_a_stamped_xlsx_keeps_its_formulas_and_names_the_recipient_in_every_sheets_header() -> None:
    mark = a_stamp()
    original = make_xlsx(sheets=("Figures", "Costs", "Notes"), header="Acme internal")

    stamped = stamp(io.BytesIO(original), XLSX, mark)

    workbook = openpyxl.load_workbook(io.BytesIO(stamped))
    assert [s.title for s in workbook.worksheets] == ["Figures", "Costs", "Notes"]
    for sheet in workbook.worksheets:
        assert sheet["B5"].value == "=SUM(B2:B4)"  # the formula, not a number: never evaluated
        for part in (sheet.oddHeader, sheet.evenHeader, sheet.firstHeader):
            assert mark.copy_id in part.center.text and "Gina Green" in part.center.text
        for part in (sheet.oddFooter, sheet.evenFooter, sheet.firstFooter):
            assert part.center.text.startswith("CONFIDENTIAL") and mark.copy_id in part.center.text
    assert workbook.worksheets[0].oddHeader.left.text == "Acme internal"  # its own header stays
    assert workbook.properties.identifier == mark.copy_id
    assert [(p.name, p.value) for p in workbook.custom_doc_props] == [("SharboundCopy", mark.copy_id)]
    assert detect(io.BytesIO(stamped)) == XLSX and problem_with(stamped, XLSX) is None


def test_a_stamped_xlsx_changes_only_its_sheets_and_properties_and_keeps_every_other_part_as_is() -> None:
    original = make_xlsx(sheets=("Figures", "Costs"), comment="A note")

    stamped = stamp(io.BytesIO(original), XLSX, a_stamp())

    before, after = zipfile.ZipFile(io.BytesIO(original)), zipfile.ZipFile(io.BytesIO(stamped))
    changed = {n for n in before.namelist() if before.read(n) != after.read(n)}
    assert changed == {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "docProps/core.xml",
                       "docProps/custom.xml", "[Content_Types].xml", "_rels/.rels"} - (
        set() if "docProps/custom.xml" in before.namelist() else {"docProps/custom.xml"})
    assert set(after.namelist()) == set(before.namelist()) | {"docProps/custom.xml"}
    for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):  # the rows, byte for byte
        rows = before.read(name).split(b"<sheetData>")[1].split(b"</sheetData>")[0]
        assert rows in after.read(name)


def test_a_stamped_pptx_carries_a_footer_and_a_mark_on_every_slide_and_the_copy_id() -> None:
    mark = a_stamp()

    stamped = stamp(io.BytesIO(make_pptx(("Roadmap", "Prices", "Next steps"))), PPTX, mark)

    deck = pptx.Presentation(io.BytesIO(stamped))
    for slide in deck.slides:
        texts = {shape.name: shape.text_frame.text for shape in slide.shapes if shape.has_text_frame}
        assert texts["Sharebound stamp"] == mark.line()
        assert texts["Sharebound mark"] == mark.short()
    assert [s.shapes.title.text for s in deck.slides] == ["Roadmap", "Prices", "Next steps"]
    assert deck.core_properties.identifier == mark.copy_id
    assert problem_with(stamped, PPTX) is None


@pytest.mark.parametrize(("media_type", "make"), [(XLSX, make_xlsx), (PPTX, make_pptx)], ids=["xlsx", "pptx"])
def test_the_copy_id_is_read_back_from_the_properties_and_without_them_from_the_text(
    media_type: str, make: type
) -> None:
    mark = a_stamp()
    stamped = stamp(io.BytesIO(make()), media_type, mark)

    assert read_copy_id(stamped) == mark.copy_id
    assert read_copy_id(_without_properties(stamped)) == mark.copy_id
    assert read_copy_id(make()) is None


def test_a_stamp_with_an_ampersand_stays_one_header_and_fits_excels_255_characters() -> None:
    mark = a_stamp(name="Bell & Sons " + "x" * 200)

    stamped = stamp(io.BytesIO(make_xlsx(sheets=("One",))), XLSX, mark)

    sheet = ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(stamped)).read("xl/worksheets/sheet1.xml"))
    footers = [e.text or "" for e in sheet.iter()
               if e.tag.rsplit("}", 1)[-1] in {"oddHeader", "oddFooter", "evenHeader", "evenFooter",
                                               "firstHeader", "firstFooter"}]
    assert len(footers) == 6 and all(len(text) <= 255 for text in footers)
    assert all("Bell && Sons" in text and mark.copy_id in text for text in footers)
    assert read_copy_id(stamped) == mark.copy_id


# --- the content gate ------------------------------------------------------------------------------

def test_the_gate_reads_cells_formulas_comments_and_headers_of_every_sheet() -> None:
    content = make_xlsx(sheets=("Figures", "Costs"), comment="Kestrel margin is 40%",
                        header="Project Kestrel", cell="Kestrel price")

    pages = {p.part: p.text for p in extract(content, XLSX).pages}

    assert "Kestrel price" in pages["sheet \u201cFigures\u201d"]
    assert "=SUM(B2:B4)" in pages["sheet \u201cCosts\u201d"]
    assert pages["sheet \u201cFigures\u201d"].splitlines()[2] == "line 2\t20"  # line N is row N
    assert "Kestrel margin is 40%" in pages["comments"]
    assert "Project Kestrel" in pages["sheet \u201cFigures\u201d, headers and footers"]


def test_the_gate_reads_each_slides_text_tables_and_notes_by_slide() -> None:
    content = make_pptx(("Roadmap", "Prices"), notes="Say Kestrel ships in May",
                        table=[["Part", "Price"], ["K-1", "12.50"]])

    pages = {p.part: p.text for p in extract(content, PPTX).pages}

    assert pages["slide 1"] == "Roadmap"
    assert pages["slide 2"].splitlines()[:3] == ["Prices", "Part", "Price"]
    assert "Say Kestrel ships in May" in pages["notes of slide 1"]


@pytest.mark.parametrize(("media_type", "content"), [
    (XLSX, make_xlsx(comment="Project Kestrel costs")),
    (PPTX, make_pptx(notes="Project Kestrel costs")),
], ids=["xlsx-comment", "pptx-notes"])
def test_a_crown_jewel_term_in_a_comment_or_a_note_refuses_the_disclosure(
    world: World, media_type: str, content: bytes
) -> None:
    gate.CACHE.clear()
    gate.add_term(world.uow(), world.alice.id, "acme", "Project Kestrel")
    item = items.add_item(world.uow(), world.mia.id, title="Plan", classification="internal",
                          topics=["thermal"], content=content, kind="file", media_type=media_type)

    decision = disclosures.check_disclosure(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item.id, agreement_id=world.signed().id, recipients=[GINA], actions=["view"]))

    found = [r.message for r in decision.reasons if r.code == "content"]
    assert len(found) == 1 and "Project Kestrel" in found[0]
    assert ("comments" if media_type == XLSX else "notes of slide 1") in found[0]


# --- bad input -------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def million_rows() -> bytes:
    return million_rows_xlsx()


def test_a_million_row_sheet_is_refused_by_counting_before_anything_is_loaded(
    world: World, million_rows: bytes
) -> None:
    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        items.add_item(world.uow(), world.mia.id, title="Export", classification="internal", topics=[],
                       content=io.BytesIO(million_rows), kind="file", media_type=XLSX, filename="export.xlsx")

    assert refused.value.errors["file"].startswith(
        "is an Excel workbook with a sheet of more than 200,000 rows (sheet1.xml)")


def test_a_workbook_over_the_cell_limit_is_refused_naming_it() -> None:
    content = with_parts(make_xlsx(sheets=("A",)), {"xl/worksheets/sheet1.xml": sheet_of_rows(2000)})

    problem = problem_with(content, XLSX, ContentLimits(spreadsheet_cells=1500))

    assert problem is not None and "of more than 1,500 cells" in problem


def test_a_deck_with_embedded_media_over_the_limit_is_refused_naming_the_file(world: World) -> None:
    content = pptx_with_media(2 * 1_048_576)

    problem = problem_with(content, PPTX, ContentLimits(office_media_bytes=1_048_576))

    assert problem == ("is a PowerPoint presentation whose embedded file media1.mp4 is 2 MB; the most "
                       "we accept for one embedded file is 1 MB: make it smaller, or share it as a file "
                       "of its own")
    assert problem_with(content, PPTX) is None  # 2 MB is within the default limit


def test_a_deck_with_a_video_over_50_mb_is_refused_by_the_use_case_storing_nothing(world: World) -> None:
    content = pptx_with_media(MAX_OFFICE_MEDIA_BYTES + 1)

    with changes_nothing(world), pytest.raises(InvalidInput) as refused:
        items.add_item(world.uow(), world.mia.id, title="Launch", classification="internal", topics=[],
                       content=io.BytesIO(content), kind="file", media_type=PPTX, filename="launch.pptx")

    assert refused.value.errors == {"file": (
        "is a PowerPoint presentation whose embedded file media1.mp4 is 52,428,801 bytes; the most we "
        "accept for one embedded file is 52,428,800 bytes: make it smaller, or share it as a file of "
        "its own")}


def test_a_deck_with_more_slides_than_the_limit_is_refused() -> None:
    problem = problem_with(make_pptx(("a", "b", "c")), PPTX, ContentLimits(slides=2))

    assert problem is not None and "of 3 slides; the most we accept is 2" in problem


def test_a_damaged_sheet_is_refused_as_damaged() -> None:
    content = make_xlsx()
    cut = content[: len(content) - 200]

    assert problem_with(cut, XLSX) is not None
    assert "damaged" in (problem_with(cut, XLSX) or "")
    assert filetypes.detect(io.BytesIO(cut)) == filetypes.OTHER


# --- view only -------------------------------------------------------------------------------------

def _share(world: World, content: bytes, media_type: str) -> str:
    item = items.add_item(world.uow(), world.alice.id, title="Figures", classification="confidential",
                          topics=["thermal"], content=content, kind="file", media_type=media_type,
                          filename="figures")
    return disclosures.disclose(world.uow(), world.alice.id, DisclosureDraft(
        item_id=item.id, agreement_id=world.signed().id, recipients=[GINA], actions=["view"])).id


def test_view_only_shows_each_sheet_as_rows_of_text_with_saved_results_or_formulas(world: World) -> None:
    disclosure = _share(world, make_xlsx(sheets=("Figures", "Costs"), cell="<b>bold</b>"), XLSX)

    viewing = copies.open_view(world.uow(), world.gina.id, disclosure)

    assert [s.name for s in viewing.sheets] == ["Figures", "Costs"]
    first = viewing.sheets[0]
    assert first.rows[0] == ("Item", "<b>bold</b>")  # the template escapes it
    assert first.rows[-1] == ("Total", "=SUM(B2:B4)")  # no saved result: its formula, not evaluated
    assert first.cut is None and viewing.problem is None


def test_view_only_shows_dates_as_dates_and_leaves_out_no_column_between_cells(world: World) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["D1"] = dt.datetime(2026, 11, 28), True
    sheet["B2"] = dt.datetime(2026, 11, 28, 9, 30)
    out = io.BytesIO()
    workbook.save(out)
    disclosure = _share(world, out.getvalue(), XLSX)

    viewing = copies.open_view(world.uow(), world.gina.id, disclosure)

    assert viewing.sheets[0].rows == (("2026-11-28", "", "", "TRUE"), ("", "2026-11-28 09:30", "", ""))


def test_view_only_cuts_a_long_sheet_and_says_where(world: World) -> None:
    content = with_parts(make_xlsx(sheets=("Long",)),
                         {"xl/worksheets/sheet1.xml": sheet_of_rows(MAX_VIEW_SHEET_ROWS + 10)})
    disclosure = _share(world, content, XLSX)

    viewing = copies.open_view(world.uow(), world.gina.id, disclosure)

    assert len(viewing.sheets[0].rows) == MAX_VIEW_SHEET_ROWS
    assert viewing.sheets[0].cut == f"truncated at {MAX_VIEW_SHEET_ROWS} rows"


def test_view_only_shows_slides_text_and_their_pictures_stamped(world: World) -> None:
    disclosure = _share(world, make_pptx(("Roadmap", "Prices"), picture=True), PPTX)

    viewing = copies.open_view(world.uow(), world.gina.id, disclosure)
    png = copies.page_image(world.uow(), world.gina.id, disclosure, viewing.copy_id, 2)

    assert [(s.number, s.lines, s.pictures) for s in viewing.slides] == [
        (1, ("Roadmap",), (1,)), (2, ("Prices",), (2,))]
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (200, 120)
    assert image.text["SharboundCopy"] == viewing.copy_id  # type: ignore[attr-defined]


@pytest.mark.parametrize(("media_type", "make"), [(XLSX, make_xlsx), (PPTX, make_pptx)], ids=["xlsx", "pptx"])
def test_a_stamped_download_is_traced_to_its_recipient(world: World, media_type: str, make: type) -> None:
    item = items.add_item(world.uow(), world.alice.id, title="Figures", classification="confidential",
                          topics=["thermal"], content=make(), kind="file", media_type=media_type)
    disclosure = disclosures.disclose(world.uow(), world.alice.id, DisclosureDraft(
        item_id=item.id, agreement_id=world.signed().id, recipients=[GINA], actions=["download"]))

    copy = copies.download_disclosure(world.uow(), world.gina.id, disclosure.id)
    assert copy.content is not None
    found = trace.trace_file(world.uow(), world.alice.id, copy.content)

    assert (found.copy.copy_id, found.recipient.email, found.unchanged) == (copy.copy_id, GINA, True)
