"""Small real files made in code (PDF with pikepdf, PNG and JPEG with Pillow, DOCX with
python-docx), so that no binary fixture is committed; the stamping, tracing and content-gate
tests share them (the bad-input corpus has its own maker: tests/corpus/make_corpus.py)."""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from datetime import UTC, datetime

import docx
from pikepdf import Dictionary, Encryption, Name, Pdf
from PIL import Image

from sharebound.domain.media_types import DOCX, JPEG, PDF, PNG
from sharebound.domain.stamps import Stamp, copy_id_of

__all__ = ["DOCX", "JPEG", "PDF", "PNG", "a_stamp", "lines_pdf", "make_docx", "make_image", "make_pdf",
           "make_png_bomb"]


def a_stamp(name: str = "Gina Green", copy_number: int = 123456789) -> Stamp:
    return Stamp(discloser="Acme", recipient_name=name, recipient_org="Globex",
                 agreement_id="agr_0123", agreement_version=2,
                 at=datetime(2026, 11, 28, 9, 30, tzinfo=UTC), copy_id=copy_id_of(copy_number))


def make_pdf(pages: int = 3, text: str = "Original text of page", *, rotate: int = 0,
             cropbox: list[float] | None = None, password: str | None = None) -> bytes:
    """A PDF whose page n reads "<text> n, line i" (i = 0, 1, 2) in Courier, selectable."""
    return lines_pdf([[f"{text} {number}, line {i}" for i in range(3)] for number in range(1, pages + 1)],
                     font="Courier", rotate=rotate, cropbox=cropbox, password=password)


def lines_pdf(pages: Sequence[Sequence[str]], *, font: str = "Helvetica", rotate: int = 0,
              cropbox: list[float] | None = None, password: str | None = None) -> bytes:
    """A PDF whose page n shows the lines pages[n-1], top to bottom, 14 points apart."""
    pdf = Pdf.new()
    shared = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name(f"/{font}")))
    for lines in pages:
        page = pdf.add_blank_page(page_size=(612, 792))
        page.Resources = Dictionary(Font=Dictionary(F1=shared))
        shown = " ".join(f"({_escape(line)}) Tj T*" for line in lines)
        page.Contents = pdf.make_stream(f"BT /F1 12 Tf 14 TL 72 700 Td {shown} ET".encode("latin-1"))
        if rotate:
            page.Rotate = rotate
        if cropbox:
            page.CropBox = cropbox
    out = io.BytesIO()
    pdf.save(out, encryption=Encryption(owner=password, user=password) if password else False)
    return out.getvalue()


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_image(kind: str = "PNG", size: tuple[int, int] = (320, 240)) -> bytes:
    image = Image.new("RGB", size, (200, 220, 240))
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def make_png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A tiny PNG whose header claims a huge picture: a decompression bomb's first bytes."""
    small = bytearray(make_image("PNG", (1, 1)))
    ihdr = 8 + 4  # why: after the signature and the chunk's length
    small[ihdr + 4:ihdr + 12] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    small[ihdr + 17:ihdr + 21] = zlib.crc32(bytes(small[ihdr:ihdr + 17])).to_bytes(4, "big")
    return bytes(small)


def make_docx(paragraphs: Sequence[str] = ("First paragraph.", "Second <b>paragraph</b>."), *,
              sections: int = 1, table: Sequence[Sequence[str]] = (), header: str = "",
              footer: str = "") -> bytes:
    """A DOCX of `paragraphs` (the first `sections - 1` each ending a section), then a table."""
    document = docx.Document()
    for index, text in enumerate(paragraphs):
        document.add_paragraph(text)
        if index < sections - 1:
            document.add_section()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
