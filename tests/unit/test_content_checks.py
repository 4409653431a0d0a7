"""A file is opened as what it claims to be, and refused in words when we cannot handle it."""

from __future__ import annotations

import io
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import Headers, UploadFile

from sharebound.adapters.filetypes import PDF, TEXT, ContentLimits, detect, problem_with
from sharebound.domain.errors import InvalidInput
from sharebound.web.uploads import MAX_NAME_BYTES, content_disposition, media_type_of, safe_filename
from tests.corpus import CASES, Case


def _answer(case: Case) -> str | None:
    """What the upload path says about a corpus file: the type check, then the content check."""
    upload = UploadFile(io.BytesIO(case.content), filename=case.name,
                        headers=Headers({"content-type": case.declared}))
    try:
        media_type = media_type_of(upload)
    except InvalidInput as bad:
        return bad.errors["file"]
    return problem_with(upload.file, media_type)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_corpus_file_gets_its_answer(case: Case) -> None:
    answer = _answer(case)

    if case.refusal is None:
        assert answer is None
    else:
        assert answer is not None and case.refusal in answer


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_check_leaves_the_file_at_its_start_for_the_store(case: Case) -> None:
    file = io.BytesIO(case.content)
    file.seek(7)

    problem_with(file, detect(file))

    assert file.tell() == 0


def test_a_deeply_nested_pdf_is_refused_even_with_little_stack() -> None:
    nested = next(c for c in CASES if c.name == "deeply-nested.pdf").content
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # why: a recursive walk of 10,000 levels would fail long before
    try:
        answer = problem_with(nested, PDF)
    finally:
        sys.setrecursionlimit(limit)

    assert answer == "is a damaged PDF: its objects are nested too deeply to be read safely"


def test_the_page_limit_is_the_one_configured() -> None:
    valid = next(c for c in CASES if c.name == "valid.pdf").content

    assert problem_with(valid, PDF, ContentLimits(pdf_pages=3)) is None
    assert problem_with(valid, PDF, ContentLimits(pdf_pages=2)) == (
        "is a PDF of 3 pages; the most we accept is 2 pages: split it into smaller documents")


def test_our_limits_are_within_pillows_and_the_setting_defaults_to_the_checks_limit() -> None:
    from PIL import Image

    from sharebound.config import Settings

    # Pillow refuses or warns only above its own limit: ours must be the lower one, so that
    # no image Pillow would open unchecked is over ours, and we never change Pillow's global.
    assert ContentLimits().image_pixels <= Image.MAX_IMAGE_PIXELS
    assert Settings.model_fields["max_pdf_pages"].default == ContentLimits().pdf_pages


def test_content_over_the_size_limit_is_refused_before_it_is_opened() -> None:
    assert problem_with(b"x" * 1025, TEXT, max_bytes=1024) == "is over the limit of 1024 bytes"
    assert problem_with(b"x" * 1024, TEXT, max_bytes=1024) is None


def test_a_docx_too_big_unpacked_is_refused_even_when_it_compresses_modestly() -> None:
    bomb = next(c for c in CASES if c.name == "zip-bomb.docx").content

    answer = problem_with(bomb, "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                          ContentLimits(docx_unpacked_bytes=1024 * 1024))

    assert answer is not None and "zip bomb" in answer


# Names


@pytest.mark.parametrize(("sent", "kept"), [
    ("report.pdf", "report.pdf"),
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\mia\\..\\secret.docx", "secret.docx"),
    ("folder/", "file"),
    ("..", "file"),
    (".", "file"),
    ("...", "file"),
    ("   ", "file"),
    ("", "file"),
    ("\x00\x01\x1b", "file"),
    ("line\nbreak\r\n.txt", "line break .txt"),
    ("nul\x00.txt", "nul.txt"),
    ("invoice\u202efdp.exe", "invoicefdp.exe"),  # the override would show it as "...exe.pdf"
    ("zero\u200bwidth.txt", "zerowidth.txt"),
    ("name. ", "name"),
    ("0 .", "0"),  # a space left before the dots Windows drops would end the name
    ("e\u0301te.txt", "\u00e9te.txt"),  # one composed character, as a Mac's decomposed name becomes
    ("Résumé \u2013 final.pdf", "Résumé \u2013 final.pdf"),
    ("a" * 5000 + ".pdf", "a" * (MAX_NAME_BYTES - 4) + ".pdf"),
    ("a" * 5000, "a" * MAX_NAME_BYTES),
    ("a" * 5000 + "." + "b" * 40, ("a" * 5000 + "." + "b" * 40)[:MAX_NAME_BYTES]),
    ("日本" * 2500 + ".pdf", "日本" * 41 + "日.pdf"),  # 3 bytes a character, never cut in the middle
])
def test_a_file_name_is_kept_safe(sent: str, kept: str) -> None:
    assert safe_filename(sent) == kept


@given(st.text(max_size=6000))
def test_a_safe_name_is_never_empty_never_a_path_and_never_holds_a_control(name: str) -> None:
    safe = safe_filename(name)

    assert safe and safe.strip(".") and len(safe.encode()) <= MAX_NAME_BYTES
    assert "/" not in safe and "\\" not in safe and safe == safe.strip()
    assert all(c.isprintable() for c in safe)
    assert unicodedata.normalize("NFC", safe) == safe


@given(st.text(max_size=600))
def test_a_content_disposition_is_one_ascii_header_line_whatever_the_name(name: str) -> None:
    header = content_disposition(name)

    assert header.isascii() and header.isprintable()
    assert header.startswith('attachment; filename="')
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback and "%" not in fallback and "\\" not in fallback
    assert header.endswith(f"filename*=UTF-8''{header.rsplit(chr(39), 1)[1]}")


def test_a_content_disposition_has_a_readable_ascii_fallback() -> None:
    assert content_disposition("Résumé.pdf") == (
        "attachment; filename=\"Resume.pdf\"; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf")
    assert content_disposition("報告.pdf").startswith('attachment; filename="download.pdf"; ')
    assert content_disposition('say "hi"\r\n.txt').startswith('attachment; filename="say _hi_ .txt"; ')
