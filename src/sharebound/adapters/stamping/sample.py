"""A sample page for the watermark preview: an A4 page of grey bars standing for lines of text
(no font needed), made once and stamped by the real stamping code for each preview."""

from __future__ import annotations

import functools
import io

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

A4 = (595, 842)  # points
LEFT, TOP, LINE = 72, 760, 18  # why: an inch of margin and a 13 pt line, like a letter


@functools.cache
def sample_pdf() -> bytes:
    """One A4 page: a heading bar and paragraphs of bars of varied length."""
    bars = [f"0.2 g {LEFT} {TOP} 260 14 re f".encode()]
    y = TOP - 2 * LINE
    for line in range(30):
        last = line % 6 == 5  # why: a paragraph of six lines, its last one short
        width = 210 if last else 451 - (line * 37) % 120
        bars.append(f"0.75 g {LEFT} {y} {width} 8 re f".encode())
        y -= 2 * LINE if last else LINE
    with Pdf.new() as pdf:
        contents = pdf.make_stream(b"\n".join(bars))
        page = Dictionary(Type=Name.Page, MediaBox=Array([0, 0, *A4]), Contents=contents,
                          Resources=Dictionary())
        pdf.pages.append(pikepdf.Page(pdf.make_indirect(page)))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()

