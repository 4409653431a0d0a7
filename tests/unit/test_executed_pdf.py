"""The executed copy's PDF builder and the e-sign consent statement, without a database."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pikepdf
import pypdfium2
from fpdf import FPDF
from hypothesis import given, settings
from hypothesis import strategies as st

from sharebound.adapters.executed_pdf import (
    DOCUMENT_ATTACHMENT,
    ExecutedCopyContent,
    Section,
    attachments,
    build_executed_copy,
    wrap,
)
from sharebound.adapters.stamping.fonts import installed
from sharebound.domain.esign import STATEMENTS

AT = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def _content(**overrides: object) -> ExecutedCopyContent:
    fields: dict[str, object] = {
        "title": "Non-disclosure agreement between Acme (acme), Globex (globex)",
        "document": Section("The agreement document", "1. Purpose\nEvaluate a joint sensor — Ünïcode"),
        "document_bytes": "1. Purpose\nEvaluate a joint sensor — Ünïcode".encode(),
        "certificate": [("Agreement", "agr_1, version 1")],
        "signatures": [[("Name", "Sam"), ("User agent", "Mozilla/5.0 " * 30)]],
        "created_at": AT, "footer": "Agreement agr_1 · version 1"}
    fields.update(overrides)
    return ExecutedCopyContent(**fields)  # type: ignore[arg-type]


def _pages(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def test_released_consent_statements_never_change() -> None:
    # why pinned: a consent names the SHA-256 of the text the person read; a new wording is a
    # new version, never an edit of a released one
    assert {v: s.sha256 for v, s in STATEMENTS.items()} == {
        "1.0": "0cf60fd13c25428d20125c551441cf1aae5452bfb92473508b3a7591fd9c9e65"}


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(categories=("L", "N", "P", "Zs")), max_size=400),
       st.floats(min_value=5, max_value=180))
def test_a_wrapped_line_is_the_same_characters_in_pieces_no_wider_than_the_page(
    line: str, width: float,
) -> None:
    pdf = FPDF()
    font = installed()[0]
    pdf.add_font(font.name, fname=str(font.path))
    pdf.set_font(font.name, size=9.5)
    widths: dict[str, float] = {}
    try:
        pieces = wrap(line, width, widths, pdf)

        assert "".join(pieces) == line
        assert all(len(p) == 1 or pdf.get_string_width(p) <= width + 1e-6 for p in pieces)
    finally:
        for added in pdf.fonts.values():
            added.close()


def test_the_same_content_gives_the_same_bytes_with_the_document_attached() -> None:
    first, second = build_executed_copy(_content()), build_executed_copy(_content())

    assert first == second
    assert attachments(first)[DOCUMENT_ATTACHMENT] == _content().document_bytes


def test_an_uploaded_pdf_comes_first_unchanged_and_our_attachment_stays() -> None:
    uploaded = pikepdf.new()
    for _ in range(3):
        uploaded.add_blank_page(page_size=(200, 300))
    out = io.BytesIO()
    uploaded.save(out)
    ours = build_executed_copy(_content())

    merged = build_executed_copy(_content(uploaded=out.getvalue(), uploaded_extension="pdf"))

    with pikepdf.open(io.BytesIO(merged)) as pdf:
        sizes = [tuple(float(x) for x in page.mediabox) for page in pdf.pages]
    assert _pages(merged) == 3 + _pages(ours)
    assert sizes[:3] == [(0.0, 0.0, 200.0, 300.0)] * 3
    assert DOCUMENT_ATTACHMENT in attachments(merged)


def test_an_uploaded_docx_is_attached_as_uploaded() -> None:
    merged = build_executed_copy(_content(uploaded=b"PK\x03\x04 a docx", uploaded_extension="docx"))

    assert attachments(merged)["uploaded-nda.docx"] == b"PK\x03\x04 a docx"


def test_a_file_that_is_not_a_pdf_has_no_attachments() -> None:
    assert attachments(b"not a pdf") == {}
