"""What view only shows: a stamped PDF page rendered to PNG (pypdfium2), with the stamp baked
into the pixels and the copy id in the PNG's metadata (a text chunk, as a stamped PNG carries
it), so that `sharebound trace` finds the copy from a saved page image. Only the requested page
is cut out and stamped, so each page costs the same however long the document is."""

from __future__ import annotations

import io
from typing import BinaryIO

import pypdfium2  # type: ignore[import-untyped]  # why: it ships no type hints
from PIL import PngImagePlugin

from sharebound.adapters.pdfium import PDFIUM
from sharebound.adapters.stamping.errors import StampError
from sharebound.adapters.stamping.images import PNG_KEY
from sharebound.adapters.stamping.pdf import single_page, stamped_page
from sharebound.domain.stamps import Stamp

MAX_RENDER_SIDE = 4000  # why: pixels; a poster-sized page must not eat the server's memory


def render_pdf_page(source: BinaryIO, index: int, stamp: Stamp, dpi: int) -> bytes:
    """Page `index` (from 0) of the PDF in `source`, stamped, as PNG bytes at `dpi`, the copy id
    in a text chunk."""
    return _render(stamped_page(source, index, stamp), dpi, _copy_info(stamp))


def render_cut_page(one: bytes, stamp: Stamp, dpi: int) -> bytes:
    """The one-page PDF `one` (`pdf.cut_pages`), stamped, as PNG bytes at `dpi`, the copy id in
    a text chunk: `render_pdf_page` without opening the whole document again."""
    return _render(stamped_page(io.BytesIO(one), 0, stamp), dpi, _copy_info(stamp))


def _copy_info(stamp: Stamp) -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text(PNG_KEY, stamp.copy_id)
    info.add_text("Comment", stamp.line())
    return info


def render_pdf_page_as_is(source: BinaryIO, index: int, dpi: int) -> bytes:
    """Page `index` (from 0) of the PDF in `source`, unstamped, as PNG bytes at `dpi`: for a
    document shown exactly as it was signed (an executed NDA), never a copy of a disclosure."""
    return _render(single_page(source, index), dpi)


def _render(one: bytes, dpi: int, info: PngImagePlugin.PngInfo | None = None) -> bytes:
    """The first page of the PDF `one` as PNG bytes at `dpi`, with the text chunks of `info`."""
    try:
        with PDFIUM:  # why: PDFium is not thread-safe (adapters/pdfium.py)
            document = pypdfium2.PdfDocument(one)
            try:
                page = document[0]
                try:
                    width, height = page.get_size()
                    scale = min(dpi / 72, MAX_RENDER_SIDE / max(width, height, 1))
                    bitmap = page.render(scale=scale, may_draw_forms=True)
                    try:
                        image = bitmap.to_pil().copy()  # why: own the pixels before the bitmap is freed
                    finally:
                        bitmap.close()
                finally:
                    page.close()
            finally:
                document.close()
    except pypdfium2.PdfiumError as error:  # why: a page pikepdf copied may still defeat pdfium
        raise StampError("the PDF page cannot be shown") from error
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, pnginfo=info)
    return out.getvalue()
