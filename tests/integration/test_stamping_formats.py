"""Each format stamped for real, and the stamp read back the way a reader would see it."""

from __future__ import annotations

import csv
import io

import docx
import pikepdf
import pytest
from PIL import Image, ImageChops

from sharebound.adapters.stamping import StampError, read_copy_id, stamp
from sharebound.adapters.stamping.reading import pdf_text
from sharebound.adapters.stamping.render import render_pdf_page
from tests.files import DOCX, JPEG, PDF, PNG, a_stamp, make_docx, make_image, make_pdf


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_every_pdf_page_names_the_recipient_and_keeps_its_own_text(rotate: int) -> None:
    mark = a_stamp()
    original = make_pdf(pages=4, rotate=rotate, cropbox=[30, 40, 560, 760])

    stamped = stamp(io.BytesIO(original), PDF, mark)

    pages = pdf_text(stamped)
    assert len(pages) == 4
    for number, text in enumerate(pages, start=1):
        assert "Gina Green" in text and mark.copy_id in text
        assert f"Original text of page {number}, line 0" in text


def test_a_stamped_pdf_carries_the_copy_id_in_its_info_and_xmp_metadata() -> None:
    mark = a_stamp()

    stamped = stamp(io.BytesIO(make_pdf()), PDF, mark)

    with pikepdf.open(io.BytesIO(stamped)) as pdf:
        assert str(pdf.docinfo["/SharboundCopy"]) == mark.copy_id
        assert pdf.open_metadata()["pdfx:SharboundCopy"] == mark.copy_id


@pytest.mark.parametrize("rotate", [0, 90, 270])
def test_the_footer_reads_along_the_bottom_of_the_page_as_shown(rotate: int) -> None:
    mark = a_stamp()
    stamped = stamp(io.BytesIO(make_pdf(pages=1, rotate=rotate)), PDF, mark)

    image = Image.open(io.BytesIO(render_pdf_page(io.BytesIO(stamped), 0, mark, 72))).convert("L")
    width, height = image.size
    bottom = image.crop((0, height - 12, width // 2, height))  # the footer line's strip
    top = image.crop((0, 0, width // 2, 12))

    assert (width > height) == (rotate in (90, 270))
    assert bottom.getextrema()[0] < 160  # dark footer text there
    assert top.getextrema()[0] > 200  # and nothing along the top edge


def test_an_encrypted_pdf_gives_a_clear_error() -> None:
    with pytest.raises(StampError, match="encrypted"):
        stamp(io.BytesIO(make_pdf(password="secret")), PDF, a_stamp())


def test_a_damaged_pdf_gives_a_clear_error() -> None:
    with pytest.raises(StampError, match="damaged"):
        stamp(io.BytesIO(b"%PDF-1.7\n" + b"\x00garbage" * 50), PDF, a_stamp())


@pytest.mark.parametrize(("kind", "media_type"), [("PNG", PNG), ("JPEG", JPEG)])
def test_an_image_keeps_format_and_size_gets_tiled_marks_and_carries_the_copy_id(
    kind: str, media_type: str
) -> None:
    mark = a_stamp()
    original = make_image(kind, (320, 240))

    stamped = stamp(io.BytesIO(original), media_type, mark)

    before, after = Image.open(io.BytesIO(original)), Image.open(io.BytesIO(stamped))
    assert after.format == kind and after.size == (320, 240)
    changed = ImageChops.difference(before.convert("RGB"), after.convert("RGB")).convert("L")
    assert sum(1 for v in changed.get_flattened_data() if v > 12) > 320 * 240 // 50  # marks across the image
    assert read_copy_id(stamped) == mark.copy_id


def test_a_damaged_image_gives_a_clear_error() -> None:
    with pytest.raises(StampError, match="damaged"):
        stamp(io.BytesIO(make_image("PNG")[:60]), PNG, a_stamp())


def test_a_docx_gets_the_stamp_in_every_sections_header_and_footer_and_its_identifier() -> None:
    mark = a_stamp()

    stamped = stamp(io.BytesIO(make_docx(sections=2, header="Acme internal header")), DOCX, mark)

    document = docx.Document(io.BytesIO(stamped))
    assert document.core_properties.identifier == mark.copy_id
    for section in document.sections:  # a later section shows the stamped parts it links to
        header = section.header if not section.header.is_linked_to_previous else document.sections[0].header
        assert header.paragraphs[0].text == mark.line()
        assert "Acme internal header" in [p.text for p in header.paragraphs]
        footer = section.footer if not section.footer.is_linked_to_previous else document.sections[0].footer
        assert footer.paragraphs[-1].text == mark.line()
    assert [p.text for p in document.paragraphs if p.text] == ["First paragraph.", "Second <b>paragraph</b>."]


@pytest.mark.parametrize("media_type", ["text/plain", "text/markdown"])
def test_text_gets_a_header_and_a_footer_line(media_type: str) -> None:
    mark = a_stamp()

    stamped = stamp(io.BytesIO(b"# Title\n\nBody line\n"), media_type, mark).decode()

    lines = stamped.splitlines()
    assert lines[0] == lines[-1] == mark.line()
    assert "Body line" in lines
    assert read_copy_id(stamped.encode()) == mark.copy_id


@pytest.mark.parametrize(("original", "delimiter"), [
    ("name,value\r\nA,1\r\n\"B, b\",2\r\n", ","),
    ("name;value;note\nA;1;x\nB;2;y", ";"),
])
def test_a_csv_still_parses_with_its_header_first_and_one_stamp_record_last(
    original: str, delimiter: str
) -> None:
    mark = a_stamp()

    stamped = stamp(io.BytesIO(original.encode()), "text/csv", mark).decode()

    rows = list(csv.reader(io.StringIO(stamped), delimiter=delimiter))
    assert rows[:-1] == list(csv.reader(io.StringIO(original), delimiter=delimiter))
    assert rows[-1][0] == mark.line() and len(rows[-1]) == len(rows[0])
    assert read_copy_id(stamped.encode()) == mark.copy_id


def test_a_tiny_page_still_carries_an_extractable_stamp() -> None:
    mark = a_stamp()

    stamped = stamp(io.BytesIO(make_pdf(pages=1, cropbox=[0, 0, 20, 20])), PDF, mark)

    with pikepdf.open(io.BytesIO(stamped)) as pdf:
        del pdf.trailer["/Info"]
        del pdf.Root["/Metadata"]
        stripped = io.BytesIO()
        pdf.save(stripped)
    assert read_copy_id(stripped.getvalue()) == mark.copy_id
