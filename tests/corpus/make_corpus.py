"""Writes the bad-input corpus next to this script: `python tests/corpus/make_corpus.py`.

Every file is made here from scratch (no file comes from outside), small enough to commit;
the README says what each one is and the answer the app must give. Run it again to rebuild
them; the tests read the committed files.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pikepdf
import pptx
from PIL import Image

HERE = Path(__file__).parent
FIXED_TIME = (2026, 1, 1, 0, 0, 0)  # why: zip entries carry a date; a fixed one keeps files identical


# PDFs


def _pdf(pages: int = 3, encryption: pikepdf.Encryption | None = None) -> bytes:
    pdf = pikepdf.new()
    content = pdf.make_stream(b"BT /F1 24 Tf 40 700 Td (Sharebound bad-input corpus) Tj ET")
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                              BaseFont=pikepdf.Name.Helvetica)
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    for _ in range(pages):  # every page shares one content stream: 5,000 pages stay small
        pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 792], Contents=content, Resources=resources)))
    out = io.BytesIO()
    pdf.save(out, deterministic_id=encryption is None, encryption=encryption or False,
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


def _raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF written by hand, object by object, with a correct cross-reference table: what is
    wrong with it is only what the objects say."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def deeply_nested_pdf() -> bytes:
    depth = 10_000  # why: far past qpdf's 500 levels and Python's recursion limit of 1,000
    deep = b"[" * depth + b"]" * depth
    return _raw_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Deep " + deep + b" >>"])


def deep_page_tree_pdf() -> bytes:
    depth = 1000  # why: a page tree a thousand levels deep, where real ones have three or four
    nodes = [b"<< /Type /Pages %s/Kids [%d 0 R] /Count 1 >>"
             % (b"/Parent %d 0 R " % (level + 1) if level else b"", level + 3) for level in range(depth)]
    page = b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] >>" % (depth + 1)
    return _raw_pdf([CATALOG, *nodes, page])


def page_tree_loop_pdf() -> bytes:
    return _raw_pdf([CATALOG, b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"])


def corrupt_pdf() -> bytes:
    valid = _pdf()
    middle = len(valid) // 3
    return valid[:20] + bytes((b * 7 + 3) % 256 for b in valid[20:-middle]) + valid[-middle:]


# Images


def _png(width: int, height: int, rows: Callable[[int], bytes] | None = None) -> bytes:
    """A 1-bit grey PNG of one colour, written by hand: zlib squeezes its rows of zeros a
    thousandfold, so the file is tiny whatever the size it declares."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def _photo(kind: str) -> bytes:
    image = Image.linear_gradient("L").resize((320, 200)).convert("RGB")
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def jpeg_declaring_a_bomb() -> bytes:
    """A real small JPEG whose frame header (SOF0) is changed to claim 60000 by 60000 pixels."""
    jpeg = bytearray(_photo("JPEG"))
    sof = jpeg.index(b"\xff\xc0")
    jpeg[sof + 5:sof + 9] = struct.pack(">HH", 60000, 60000)
    return bytes(jpeg)


def corrupt_png() -> bytes:
    png = bytearray(_photo("PNG"))
    start = png.index(b"IDAT") + 40
    png[start:start + 64] = bytes(64)  # the compressed pixels are garbled; the checksum no longer fits
    return bytes(png)


def corrupt_jpeg() -> bytes:
    jpeg = bytearray(_photo("JPEG"))
    table = jpeg.index(b"\xff\xc4")  # the first Huffman table: its code counts become nonsense
    jpeg[table + 5:table + 21] = b"\xff" * 16
    return bytes(jpeg)


# Word documents


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), data, zipfile.ZIP_DEFLATED, 9)
    return out.getvalue()


CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/content-types"/>')


def valid_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Sharebound bad-input corpus")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A Word-shaped zip whose document.xml unpacks from about 50 KB to 50 MB of blanks."""
    body = b'<?xml version="1.0"?><w:document>' + b" " * (50 * 1024 * 1024) + b"</w:document>"
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "word/document.xml": body})


def no_document_docx() -> bytes:
    return _zip({"[Content_Types].xml": CONTENT_TYPES, "word/styles.xml": b"<w:styles/>"})


def broken_zip_docx() -> bytes:
    whole = _zip({"[Content_Types].xml": CONTENT_TYPES,
                  "word/document.xml": b"<w:document>" + b"text " * 2000 + b"</w:document>"})
    return whole[: len(whole) // 2]  # cut off: the zip's directory, at its end, is gone


# Spreadsheets and slides

XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
PPTM_MAIN = "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"


def _parts(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def valid_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    sheet.append(["Sharebound bad-input corpus", 2, 3])
    sheet["D1"] = "=SUM(B1:C1)"
    out = io.BytesIO()
    workbook.save(out)
    return _zip(_parts(out.getvalue()))


def valid_pptx() -> bytes:
    deck = pptx.Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = "Sharebound bad-input corpus"
    out = io.BytesIO()
    deck.save(out)
    return _zip(_parts(out.getvalue()))


def _retyped(package: bytes, main: str, macro_main: str, project: str) -> bytes:
    """The package with its main part's content type saying macros, and a (dummy) VBA project."""
    parts = _parts(package)
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(main.encode(), macro_main.encode())
    parts[project] = b"not a real VBA project: the content type alone says macros"
    return _zip(parts)


def external_link_xlsx() -> bytes:
    """A workbook whose formulas would read another workbook on a file server."""
    parts = _parts(valid_xlsx())
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    parts["xl/externalLinks/externalLink1.xml"] = (
        b'<?xml version="1.0"?><externalLink ' + ns + b'><externalBook r:id="rId1" xmlns:r="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships"/></externalLink>')
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/externalLinkPath" Target="file:///\\\\fileserver\\prices.xlsx" '
        b'TargetMode="External"/></Relationships>')
    return _zip(parts)


def linked_picture_pptx() -> bytes:
    """A deck whose slide shows a picture fetched from a web server each time it opens."""
    parts = _parts(valid_pptx())
    name = "ppt/slides/_rels/slide1.xml.rels"
    parts[name] = parts[name].replace(b"</Relationships>", (
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="http://tracker.example/pixel.png" TargetMode="External"/>'
        b"</Relationships>"))
    return _zip(parts)


def zip_bomb_xlsx() -> bytes:
    """An Excel-shaped zip whose sheet unpacks from about 50 KB to 50 MB of blanks."""
    types = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             b'content-types"><Override PartName="/xl/workbook.xml" ContentType="' + XLSX_MAIN.encode()
             + b'"/></Types>')
    body = b'<?xml version="1.0"?><worksheet>' + b" " * (50 * 1024 * 1024) + b"</worksheet>"
    return _zip({"[Content_Types].xml": types, "xl/workbook.xml": b"<workbook/>",
                 "xl/worksheets/sheet1.xml": body})


# The corpus


FILES: dict[str, Callable[[], bytes]] = {
    "valid.pdf": _pdf,
    "truncated.pdf": lambda: _pdf()[: len(_pdf()) * 2 // 3],
    "corrupt.pdf": corrupt_pdf,
    "encrypted-password.pdf": lambda: _pdf(encryption=pikepdf.Encryption(user="open sesame", owner="owner")),
    "encrypted-restrictions.pdf": lambda: _pdf(encryption=pikepdf.Encryption(
        user="", owner="owner", allow=pikepdf.Permissions(modify_other=False, extract=False))),
    "5000-pages.pdf": lambda: _pdf(pages=5000),
    "deeply-nested.pdf": deeply_nested_pdf,
    "deep-page-tree.pdf": deep_page_tree_pdf,
    "page-tree-loop.pdf": page_tree_loop_pdf,
    "valid.png": lambda: _photo("PNG"),
    "bomb-20000x20000.png": lambda: _png(20_000, 20_000),
    "bomb-9000x9000.png": lambda: _png(9_000, 9_000),
    "bomb-60000x60000.jpg": jpeg_declaring_a_bomb,
    "truncated.png": lambda: _photo("PNG")[:-100],
    "corrupt.png": corrupt_png,
    "valid.jpg": lambda: _photo("JPEG"),
    "truncated.jpg": lambda: _photo("JPEG")[: len(_photo("JPEG")) // 2],
    "corrupt.jpg": corrupt_jpeg,
    "valid.docx": valid_docx,
    "zip-bomb.docx": zip_bomb_docx,
    "no-document-xml.docx": no_document_docx,
    "broken-zip.docx": broken_zip_docx,
    "valid.xlsx": valid_xlsx,
    "valid.pptx": valid_pptx,
    "macros.xlsm": lambda: _retyped(valid_xlsx(), XLSX_MAIN, XLSM_MAIN, "xl/vbaProject.bin"),
    "macros-named.xlsx": lambda: _retyped(valid_xlsx(), XLSX_MAIN, XLSM_MAIN, "xl/vbaProject.bin"),
    "macros.pptm": lambda: _retyped(valid_pptx(), PPTX_MAIN, PPTM_MAIN, "ppt/vbaProject.bin"),
    "external-link.xlsx": external_link_xlsx,
    "linked-picture.pptx": linked_picture_pptx,
    "zip-bomb.xlsx": zip_bomb_xlsx,
    "broken-zip.pptx": lambda: valid_pptx()[: len(valid_pptx()) // 2],
    "empty.pdf": lambda: b"",
    "empty.txt": lambda: b"",
    "text-declared-as.pdf": lambda: b"Just some text, not a PDF at all.\n",
    "jpeg-declared-as.png": lambda: _photo("JPEG"),
}


def main(folder: Path = HERE) -> None:
    for name, make in FILES.items():
        (folder / name).write_bytes(make())
        print(f"{name:28} {(folder / name).stat().st_size:>8} bytes")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
