"""PDFium is not thread-safe; the server reads and renders PDFs from many worker threads at
once. Every use goes through one lock (adapters/pdfium.py): many threads at once must give
exactly what one thread gives (without the lock, this crashes or corrupts the process)."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

from sharebound.adapters.stamping.render import render_pdf_page
from sharebound.adapters.text_extract import extract
from sharebound.domain.media_types import PDF
from tests.files import a_stamp, make_pdf

ROUNDS = 48  # why: enough overlapping calls that unguarded pdfium fails reliably
THREADS = 8


def test_many_threads_reading_and_rendering_pdfs_get_what_one_thread_gets() -> None:
    document = make_pdf(pages=4)
    expected_text = extract(document, PDF).pages
    expected_png = render_pdf_page(io.BytesIO(document), 1, a_stamp(), 50)

    def work(round_: int) -> tuple[object, bytes | None]:
        if round_ % 2:
            return extract(document, PDF).pages, None
        return None, render_pdf_page(io.BytesIO(document), 1, a_stamp(), 50)

    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(work, range(ROUNDS)))

    assert all(text == expected_text for text, png in results if png is None)
    assert all(png == expected_png for text, png in results if png is not None)
