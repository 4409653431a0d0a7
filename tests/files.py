"""Small real files made in code (PDF with pikepdf, PNG and JPEG with Pillow, DOCX with
python-docx), so that no binary fixture is committed."""

from __future__ import annotations

import io
import zlib
from datetime import UTC, datetime

import docx
from pikepdf import Dictionary, Name, Pdf
from PIL import Image

from sharebound.domain.stamps import Stamp, copy_id_of

PDF = "application/pdf"
PNG, JPEG = "image/png", "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def a_stamp(name: str = "Gina Green", copy_number: int = 123456789) -> Stamp:
    return Stamp(discloser="Acme", recipient_name=name, recipient_org="Globex",
                 agreement_id="agr_0123", agreement_version=2,
                 at=datetime(2026, 11, 28, 9, 30, tzinfo=UTC), copy_id=copy_id_of(copy_number))


def make_pdf(pages: int = 3, text: str = "Original text of page", *, rotate: int = 0,
             cropbox: list[float] | None = None, password: str | None = None) -> bytes:
    """A PDF whose page n reads "<text> n" in Courier, selectable."""
    pdf = Pdf.new()
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Courier))
    for number in range(1, pages + 1):
        page = pdf.add_blank_page(page_size=(612, 792))
        page.Resources = Dictionary(Font=Dictionary(F1=font))
        lines = [f"BT /F1 12 Tf 72 {700 - 14 * i} Td ({text} {number}, line {i}) Tj ET"
                 for i in range(3)]
        page.Contents = pdf.make_stream("\n".join(lines).encode())
        if rotate:
            page.Rotate = rotate
        if cropbox:
            page.CropBox = cropbox
    out = io.BytesIO()
    if password:
        from pikepdf import Encryption

        pdf.save(out, encryption=Encryption(owner=password, user=password))
    else:
        pdf.save(out)
    return out.getvalue()


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


def make_docx(paragraphs: tuple[str, ...] = ("First paragraph.", "Second <b>paragraph</b>."),
              sections: int = 1) -> bytes:
    document = docx.Document()
    for index, text in enumerate(paragraphs):
        document.add_paragraph(text)
        if index < sections - 1:
            document.add_section()
    document.sections[0].header.paragraphs[0].text = "Acme internal header"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
