"""The gate reads everything the recipient gets: text hidden in a DOCX's tracked changes,
content controls, text boxes, notes, comments, headers and properties; in a PDF's
annotations, form fields, metadata, bookmarks and embedded files (read by their own type);
and a stamped PDF carries no embedded file."""

from __future__ import annotations

import io
import zipfile

import pikepdf
import pytest

from sharebound.adapters.stamping import stamp
from sharebound.adapters.text_extract import MAX_DEPTH, extract
from tests.files import DOCX, PDF, a_stamp, lines_pdf
from tests.hidden_text import DOCX_PLACES, PDF_PLACES, docx_hiding, pdf_hiding

HIDDEN = "the kestrel die keeps its fuse map in the factory"

DOCX_PARTS = {"tracked insertion": None, "tracked deletion": None, "content control": None,
              "text box": None, "footnote": "footnotes", "endnote": "endnotes", "comment": "comments",
              "header": "header", "even page footer": "footer", "properties": "properties",
              "embedded file": "embedded file \u201cnotes.docx\u201d, footnotes"}
PDF_PARTS = {"comment annotation": "annotations", "rich text annotation": "annotations",
             "form field": "form fields", "document information": "document information",
             "XMP metadata": "XMP metadata", "bookmark": "bookmarks",
             "embedded file": "embedded file \u201cnotes.txt\u201d",
             "file attachment annotation": "embedded file \u201cnotes.txt\u201d",
             "embedded DOCX footnote": "embedded file \u201cnotes.docx\u201d, footnotes"}


def _parts_with(text: str, content: bytes, media_type: str) -> list[str | None]:
    read = extract(content, media_type)
    assert read.complete and read.unreadable is None and not read.problems and not read.unknown
    return [p.part for p in read.pages if text in p.text]


@pytest.mark.parametrize("place", DOCX_PLACES)
def test_text_hidden_anywhere_in_a_docx_is_read_and_named_by_its_part(place: str) -> None:
    assert DOCX_PARTS[place] in _parts_with(HIDDEN, docx_hiding(HIDDEN, place), DOCX)


@pytest.mark.parametrize("place", PDF_PLACES)
def test_text_hidden_anywhere_in_a_pdf_is_read_and_named_by_its_part(place: str) -> None:
    assert PDF_PARTS[place] in _parts_with(HIDDEN, pdf_hiding(HIDDEN, place), PDF)


def test_a_comment_annotation_is_read_on_the_page_it_is_on() -> None:
    read = extract(pdf_hiding(HIDDEN, "comment annotation"), PDF)

    assert [(p.number, p.part) for p in read.pages if HIDDEN in p.text] == [(1, "annotations")]


def _zip(text: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("notes.txt", text)
    return out.getvalue()


def test_an_embedded_file_of_a_type_the_gate_cannot_read_is_named_not_skipped() -> None:
    read = extract(pdf_hiding(HIDDEN, "embedded file", attachment=_zip(HIDDEN)), PDF)

    assert read.unknown == ("the embedded file \u201cnotes.txt\u201d (the PDF's attachments), of type "
                            "application/octet-stream",)


def test_a_file_of_a_type_the_gate_cannot_read_says_so() -> None:
    assert extract(_zip(HIDDEN), "application/octet-stream").unknown == ("application/octet-stream files",)


def test_files_nested_deeper_than_the_gate_reads_are_a_problem_not_a_pass() -> None:
    nested = lines_pdf([["innermost"]])
    for _ in range(MAX_DEPTH + 1):
        nested = pdf_hiding("", "embedded file", attachment=nested)

    read = extract(nested, PDF)

    assert any(f"nested more than {MAX_DEPTH} files deep" in p for p in read.problems)


def test_a_damaged_embedded_file_is_a_problem_naming_it() -> None:
    read = extract(pdf_hiding("", "embedded file", attachment=lines_pdf([["x"]])[:300]), PDF)

    assert [p.split(":")[0] for p in read.problems] == [
        "the embedded file \u201cnotes.txt\u201d (the PDF's attachments)"]


@pytest.mark.parametrize("place", ["embedded file", "file attachment annotation"])
def test_a_stamped_pdf_carries_no_embedded_file(place: str) -> None:
    original = pdf_hiding(HIDDEN, place)

    stamped = stamp(io.BytesIO(original), PDF, a_stamp())

    with pikepdf.open(io.BytesIO(stamped)) as pdf:
        assert len(pdf.attachments) == 0
        annots = pdf.pages[0].obj.get("/Annots", [])
        assert all(a.get("/Subtype") != pikepdf.Name.FileAttachment for a in annots)
    assert HIDDEN not in "\n".join(p.text for p in extract(stamped, PDF).pages)
