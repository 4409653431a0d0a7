"""The content gate reads every part of an XLSX or a PPTX: text in a part no reader was written
for (orphan sheets, unreferenced shared strings, SmartArt, notes masters, connections…) is read
generically, and a part of no type it knows is reported, never silently skipped."""

from __future__ import annotations

import io
import zipfile

import pytest

from sharebound.adapters import ooxml, secrets
from sharebound.adapters.filetypes import detect, problem_with
from sharebound.adapters.stamping.office_view import _column
from sharebound.adapters.text_extract import extract
from sharebound.domain.gate import term_findings
from sharebound.domain.media_types import XLSM
from sharebound.services import disclosures, gate, items
from sharebound.services.disclosures import DisclosureDraft
from tests.integration.world import World
from tests.office_files import PPTX, XLSX, make_pptx, make_xlsx, with_parts

TERM = "Project Nightjar"
_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
SECRET = "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + "a" * 86 + "=="


def _part(package: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return archive.read(name)


def _with_unreferenced_string() -> bytes:
    """A workbook whose first cell shows shared string 0; string 1 no cell shows."""
    book = make_xlsx()
    sheet = _part(book, "xl/worksheets/sheet1.xml").replace(
        b'<c r="A1" t="inlineStr"><is><t>Item</t></is></c>', b'<c r="A1" t="s"><v>0</v></c>')
    strings = _xml("sst", f"<si><t>Item</t></si><si><r><t>{TERM[:7]}</t></r><r><t>{TERM[7:]}</t></r></si>")
    return with_parts(book, {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": strings})


def _xml(root: str, body: str, namespace: str = _S) -> bytes:
    return f'<?xml version="1.0"?><{root} xmlns="{namespace}" xmlns:a="{_A}">{body}</{root}>'.encode()


XLSX_CASES = {
    "unreferenced-shared-string": _with_unreferenced_string(),
    "orphan-sheet": with_parts(make_xlsx(), {"xl/worksheets/sheet9.xml": _xml(
        "worksheet",
        f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{TERM}</t></is></c></row></sheetData>')}),
    "table": with_parts(make_xlsx(), {"xl/tables/table1.xml": _xml(
        "table", f'<tableColumns count="1"><tableColumn id="1" name="{TERM} cost"/></tableColumns>')}),
    "slicer-cache": with_parts(make_xlsx(), {"xl/slicerCaches/slicerCache1.xml": _xml(
        "slicerCacheDefinition", f'<data><tabular><items><i x="0" s="1"/></items></tabular></data>'
        f'<extLst><ext uri="{{X}}"><x15:slicerCacheHideItemsWithNoData xmlns:x15="urn:x15" '
        f'caption="{TERM}"/></ext></extLst>', "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main")}),
}
PPTX_CASES = {
    "smartart": with_parts(make_pptx(), {"ppt/diagrams/data1.xml": _xml(
        "dgm:dataModel",
        f"<dgm:ptLst><dgm:pt><dgm:t><a:p><a:r><a:t>{TERM}</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst>",
        "http://schemas.openxmlformats.org/drawingml/2006/diagram").replace(
            b'xmlns="', b'xmlns:dgm="')}),
    "notes-master": with_parts(make_pptx(), {"ppt/notesMasters/notesMaster1.xml": _xml(
        "p:notesMaster", f"<a:p><a:r><a:t>{TERM}</a:t></a:r></a:p>",
        "http://schemas.openxmlformats.org/presentationml/2006/main").replace(b'xmlns="', b'xmlns:p="')}),
    "handout-master": with_parts(make_pptx(), {"ppt/handoutMasters/handoutMaster1.xml": _xml(
        "p:handoutMaster", f"<a:p><a:r><a:t>{TERM}</a:t></a:r></a:p>",
        "http://schemas.openxmlformats.org/presentationml/2006/main").replace(b'xmlns="', b'xmlns:p="')}),
    "tags": with_parts(make_pptx(), {"ppt/tags/tag1.xml": _xml(
        "p:tagLst", f'<p:tag name="CODENAME" val="{TERM}"/>',
        "http://schemas.openxmlformats.org/presentationml/2006/main").replace(b'xmlns="', b'xmlns:p="')}),
}


@pytest.mark.parametrize(("media_type", "content"),
                         [(XLSX, c) for c in XLSX_CASES.values()] + [(PPTX, c) for c in PPTX_CASES.values()],
                         ids=list(XLSX_CASES) + list(PPTX_CASES))
def test_a_crown_jewel_term_in_a_part_no_reader_was_written_for_is_found(
    media_type: str, content: bytes,
) -> None:
    assert problem_with(content, media_type) is None  # a valid file
    read = extract(content, media_type)

    found = term_findings(read.pages, [TERM])

    assert read.complete and not read.unknown
    assert len(found) == 1 and TERM in found[0].message


def test_a_secret_in_a_workbooks_connection_string_is_found() -> None:
    content = with_parts(make_xlsx(), {"xl/connections.xml": _xml(
        "connections",
        f'<connection id="1" name="Sales"><dbPr connection="{SECRET}" command="Sales"/></connection>')})

    hits = list(secrets.find_secrets(extract(content, XLSX).pages))

    assert hits and all(where.part == "part xl/connections.xml" for _, where in hits)


def test_a_part_of_no_type_the_gate_reads_is_reported_as_unread() -> None:
    model = bytes(range(256)) * 64 + TERM.encode("utf-16-le")  # a data model: binary
    content = with_parts(make_xlsx(), {"xl/model/item.data": model})

    read = extract(content, XLSX)

    assert any("item.data" in what and "xl/model/item.data" in what for what in read.unknown)


def test_pictures_fonts_and_printer_settings_are_not_reported() -> None:
    content = with_parts(make_xlsx(), {"xl/printerSettings/printerSettings1.bin": bytes(range(256)),
                                       "xl/fonts/font1.odttf": bytes(range(256))})

    read = extract(content, XLSX)

    assert read.complete and not read.unknown and not read.problems


def test_an_unreferenced_shared_string_refuses_the_disclosure(world: World) -> None:
    gate.CACHE.clear()
    gate.add_term(world.uow(), world.alice.id, "acme", TERM)
    item = items.add_item(world.uow(), world.mia.id, title="Plan", classification="internal",
                          topics=["thermal"], content=XLSX_CASES["unreferenced-shared-string"],
                          kind="file", media_type=XLSX)

    decision = disclosures.check_disclosure(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item.id, agreement_id=world.signed().id, recipients=["gina@globex.example"],
        actions=["view"]))

    found = [r.message for r in decision.reasons if r.code == "content"]
    assert len(found) == 1 and TERM in found[0] and "shared strings no cell shows" in found[0]


# --- [Content_Types].xml padded past what is read -------------------------------------------------

def _padded(package: bytes) -> bytes:
    types = _part(package, "[Content_Types].xml")
    padding = b"<!--" + b" " * (1_100_000) + b"-->"
    return with_parts(package, {"[Content_Types].xml": types.replace(b"</Types>", padding + b"</Types>")})


def test_a_macro_workbook_with_padded_content_types_is_still_refused_as_macros() -> None:
    book = make_xlsx()
    macro = with_parts(book, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(512)})

    content = _padded(macro)

    assert detect(io.BytesIO(content)) == XLSM
    assert "with macros" in (problem_with(content, XLSM) or "")


@pytest.mark.parametrize(("media_type", "make"), [(XLSX, make_xlsx), (PPTX, make_pptx)], ids=["xlsx", "pptx"])
def test_padded_content_types_are_refused_naming_them(media_type: str, make: type) -> None:
    content = _padded(make())

    assert detect(io.BytesIO(content)) == media_type
    assert "[Content_Types].xml" in (problem_with(content, media_type) or "")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert ooxml.oversized(archive)


# --- view only: cell references --------------------------------------------------------------------

def test_a_column_reference_longer_than_excels_last_column_is_past_it_not_a_huge_number() -> None:
    assert [_column(r, 0) for r in ("A1", "Z9", "AB12", "XFD1")] == [0, 25, 27, 16383]
    assert _column("A" * 10_000 + "1", 0) == _column("AAAA1", 0) == 16384
    assert _column(None, 4) == 4
