"""File types come from the content, never from the name."""

from __future__ import annotations

import io
import zipfile

import pytest

from sharebound.adapters.filetypes import CSV, DOCX, JPEG, MARKDOWN, OTHER, PDF, PNG, TEXT, detect


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
