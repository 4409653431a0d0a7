"""File types come from the content; the name only where the content is ambiguous."""

from __future__ import annotations

import io
import zipfile

import pytest

from sharebound.adapters.filetypes import (
    CSV,
    DOCX,
    JPEG,
    JSON,
    MARKDOWN,
    OTHER,
    PDF,
    PNG,
    STEP,
    SVG,
    TEXT,
    XML,
    detect,
)


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("content", "expected"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", PDF),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", PNG),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG),
    (_zip(["[Content_Types].xml", "word/document.xml"]), DOCX),
    (_zip(["something.txt"]), OTHER),
    (b"PK\x03\x04 but not really a zip", OTHER),
    (b"pin,volts,amps\n1,3.3,0.1\n2,5.0,0.2\n", CSV),
    (b"# Thermal results\n\n- drift under 0.2 K\n", MARKDOWN),
    (b"Drift under 0.2 K after 500 h.\n", TEXT),
    ("Température 85 °C".encode(), TEXT),
    (b"\x00\x01\x02binary", OTHER),
    (b"\xc3\x28 invalid utf-8 is read as Windows-1252", TEXT),
    ("Name;Ort;Betrag\r\nCafé;Müller;12,50 €\r\n".encode("cp1252"), CSV),
    ("Façade à côté, naïve; déjà vu\n".encode("latin-1"), TEXT),
    (b"\xff\xfe" + "Drift unter 0,2 K\n".encode("utf-16-le"), TEXT),
    (b"\xfe\xff" + "a,b\n1,2\n3,4\n".encode("utf-16-be"), CSV),
    (b"\xef\xbb\xbf# Results\n\n- drift\n", MARKDOWN),
    ("UTF-16 without a byte order mark".encode("utf-16-le"), OTHER),
    (b"\xff\xfe" + bytes(range(256)) * 4, OTHER),
])
def test_the_type_is_judged_from_the_bytes(content: bytes, expected: str) -> None:
    file = io.BytesIO(content)

    assert detect(file) == expected
    assert file.tell() == 0  # the caller reads the file again from its start


def test_a_character_cut_by_the_sample_does_not_make_text_binary() -> None:
    from sharebound.adapters.filetypes import SAMPLE

    content = b"a" * (SAMPLE - 1) + "é".encode()  # "é" is two bytes: the sample ends inside it

    assert detect(io.BytesIO(content)) == TEXT


@pytest.mark.parametrize(("content", "name", "expected"), [
    (b"ISO-10303-21;\nHEADER;\nENDSEC;\n", "part.txt", STEP),
    (b'<?xml version="1.0"?>\n<parts><part/></parts>\n', None, XML),
    (b'<?xml version="1.0"?>\n<!-- logo -->\n<!DOCTYPE svg>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
     None, SVG),
    (b'<svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>', None, SVG),
    (b"<parts><part/></parts>\n", "parts.xml", XML),
    (b"<parts><part/></parts>\n", "parts.txt", TEXT),
    (b"<!DOCTYPE html>\n<html><body>hi</body></html>\n", "page.html", TEXT),
    (b'{"a": [1, 2], "b": {"c": null}}', None, JSON),
    (b'[{"pin": 1, "volts": 3.3}, {"pin": 2, "volts": 5.0}]\n', None, JSON),
    (b"{not json at all}\n", None, TEXT),
    (b"[Read the spec](https://example.com) first\n", None, MARKDOWN),
])
def test_structured_text_is_known_by_its_content_and_by_its_name_only_when_ambiguous(
    content: bytes, name: str | None, expected: str
) -> None:
    assert detect(io.BytesIO(content), name) == expected


def test_a_json_file_longer_than_the_sample_read_is_still_json() -> None:
    big = b'{"rows": [' + b",".join(b'{"n": %d, "text": "%s"}' % (i, b"x" * 40) for i in range(5000)) + b"]}"

    assert len(big) > 64 * 1024
    assert detect(io.BytesIO(big)) == JSON
