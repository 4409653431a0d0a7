"""Reading text out of files, and finding secrets in it, for the content gate."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharebound.adapters.filetypes import DOCX, PDF, PNG
from sharebound.adapters.secrets import find_secrets
from sharebound.adapters.text_extract import extract
from sharebound.domain.gate import Page, Where, secret_findings
from tests.files import lines_pdf, make_docx

PEM = """-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun
-----END RSA PRIVATE KEY-----"""
AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
_PDF = lines_pdf([["Summary", "RESTRICTED"], ["two"]])
_DOCX = make_docx(["First", "Second"], table=[["a", "b"]], header="ACME CONFIDENTIAL")
GITHUB_TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"


def _found(text: str) -> list[tuple[str, Where]]:
    return list(find_secrets([Page(text)]))


def test_a_pem_private_key_is_found_on_its_line_without_its_value() -> None:
    note = "Here is how to reach the build box:\n\n" + PEM

    found = secret_findings(_found(note))

    assert [(f.where, f.message) for f in found] == [(Where(3), "a private key at line 3: remove it")]
    assert "MIIE" not in found[0].message


@pytest.mark.parametrize(("secret", "what"), [
    (f"aws_access_key_id = {AWS_KEY_ID}", "an AWS access key"),
    (f"export GITHUB_TOKEN={GITHUB_TOKEN}", "a GitHub token"),
    ("slack: xoxb-1234567890-abcdefghijklmnop", "a Slack token"),
    ("stripe sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", "a Stripe key"),
    ("clone https://builder:hunter2hunter2@git.example.com/repo.git", "a password in a URL"),
])
def test_a_token_in_a_note_is_found_and_never_repeated(secret: str, what: str) -> None:
    found = secret_findings(_found(f"line one\n{secret}\nline three"))

    assert [f.message for f in found] == [f"{what} at line 2: remove it"]


@pytest.mark.parametrize("prose", [
    "The thermal drift stays under 0.2 K after 500 hours at 85 C.",
    "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 of the file",
    "Our password policy: at least twelve characters.",
    "The server is at 203.0.113.7 behind the firewall.",
    "item itm_0123456789abcdef0123456789abcdef under agr_fedcba9876543210fedcba9876543210",
])
def test_plain_prose_ids_and_digests_are_no_secrets(prose: str) -> None:
    assert _found(prose) == []


def test_a_secret_far_into_a_very_long_line_is_found() -> None:
    assert [w for _, w in _found("x " * 10_000 + AWS_KEY_ID + " y" * 100)] == [Where(1)]


def test_a_pdf_is_read_page_by_page_with_its_lines() -> None:
    pdf = lines_pdf([["Summary", "All fine"], ["Details"], ["Appendix", "RESTRICTED"]])

    read = extract(pdf, PDF)

    assert [(p.number, p.text.splitlines()) for p in read.pages] == [
        (1, ["Summary", "All fine"]), (2, ["Details"]), (3, ["Appendix", "RESTRICTED"])]
    assert read.complete and read.unreadable is None


def test_reading_a_pdf_stops_at_the_page_limit_and_says_so() -> None:
    read = extract(lines_pdf([["one"], ["two"], ["three"]]), PDF, max_pages=2)

    assert [p.number for p in read.pages] == [1, 2] and not read.complete


def test_reading_stops_at_the_character_limit_and_says_so() -> None:
    read = extract(b"0123456789" * 10, "text/plain", max_chars=25)

    assert read.pages[0].text == "0123456789" * 2 + "01234" and not read.complete


@pytest.mark.parametrize(("content", "why"), [
    (lines_pdf([["secret plans"]], password="open sesame"), "the PDF is encrypted"),
    (lines_pdf([["plans"]])[:200], "the PDF is damaged"),
    (b"%PDF-1.7\n" + b"\x00" * 50, "the PDF is damaged"),
    (b"", "the PDF is damaged"),
])
def test_an_encrypted_or_damaged_pdf_is_unreadable_not_a_crash(content: bytes, why: str) -> None:
    read = extract(content, PDF)

    assert (read.pages, read.unreadable) == ((), why)


def test_a_docx_gives_its_header_paragraphs_tables_and_footer_as_numbered_lines() -> None:
    document = make_docx(["First paragraph", "Second paragraph"], table=[["a", "b"], ["c", "d"]],
                         header="ACME CONFIDENTIAL", footer="Printed copy")

    read = extract(document, DOCX)

    assert [p.number for p in read.pages] == [None] * len(read.pages)
    assert [(p.part, p.text.splitlines()) for p in read.pages[:3]] == [
        ("header", ["ACME CONFIDENTIAL"]),
        (None, ["First paragraph", "Second paragraph", "a\tb", "c\td"]),
        ("footer", ["Printed copy"])]
    assert {p.part for p in read.pages[3:]} == {"properties"}  # python-docx's template: its author


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"", b"<xml/>"])
def test_a_damaged_docx_is_unreadable_not_a_crash(content: bytes) -> None:
    read = extract(content, DOCX)

    assert read.pages == () and read.unreadable is not None and "DOCX" in read.unreadable


def test_text_is_decoded_in_its_own_encoding_and_other_types_give_nothing() -> None:
    assert extract(b"caf\xe9 ok\nline", "text/plain").pages[0].text == "caf\u00e9 ok\nline"
    assert extract(b"\xff\xfe" + "caf\u00e9".encode("utf-16-le"), "text/plain").pages[0].text == "caf\u00e9"
    assert extract(b"\x89PNG\r\n\x1a\n...", PNG).pages == ()


def test_secret_lines_are_counted_as_every_other_part_of_the_gate_counts_them() -> None:
    text = "a\r\nb\x0cc\n\nkey " + AWS_KEY_ID

    assert _found(text) == [("an AWS access key", Where(len(text.splitlines())))]


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_a_mangled_pdf_or_docx_is_read_or_unreadable_never_a_crash(data: st.DataObject) -> None:
    kind, original = data.draw(st.sampled_from([(PDF, _PDF), (DOCX, _DOCX)]))
    mangled = bytearray(original)
    for at, value in data.draw(st.lists(st.tuples(st.integers(0, len(original) - 1),
                                                   st.integers(0, 255)), min_size=1, max_size=20)):
        mangled[at] = value
    cut = data.draw(st.integers(0, len(mangled)))

    read = extract(bytes(mangled[:cut]), kind)

    assert read.pages or read.unreadable is not None
