"""One view-only page image of a long PDF: ours side by side with PDFium rendering the same page.

    .venv/bin/python bench/bench_view_page.py [--pages 5000] [--repeat 5] [--json]

The PDF is bench_stamp.py's (US Letter pages of 40 lines of real text), `--pages` long. Ours is
what `GET /disclosures/{id}/pages/{n}.png` runs (services/copies.page_image), in its two cases:
"cold", the page not in the page cache: open the document (pikepdf), cut page n and the next
CUT_AHEAD - 1 out as one-page PDFs (`pdf.cut_pages`), then stamp page n, render it (pypdfium2,
110 dpi) and encode the PNG with the copy id in a text chunk (`render.render_cut_page`); and
"cached", the one-page PDF already cut (the reader's next pages, another reader, a reload):
only the stamp, the render and the PNG. The reference is PDFium alone rendering page n of the
whole document at the same scale and encoding the PNG: the floor of any server-side page image
that opens the document, without the cut and the stamp. Each line is the best of --repeat runs
after one warmup, for the first, the middle and the last page: a page deep in the document
must cost what the first one does. The machine is shared: read the ratios, measured side by side in
one run. See bench/README.md.
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

import pypdfium2  # type: ignore[import-untyped]  # noqa: E402
from PIL import Image  # noqa: E402

from bench_stamp import STAMP, best, make_document  # noqa: E402
from sharebound.adapters.pdfium import PDFIUM  # noqa: E402
from sharebound.adapters.stamping.pdf import cut_pages, page_outline  # noqa: E402
from sharebound.adapters.stamping.render import render_cut_page  # noqa: E402
from sharebound.services.copies import CUT_AHEAD, VIEW_DPI  # noqa: E402


def pdfium_alone(document: bytes, index: int) -> bytes:
    with PDFIUM:
        pdf = pypdfium2.PdfDocument(document)
        try:
            page = pdf[index]
            try:
                bitmap = page.render(scale=VIEW_DPI / 72)
                try:
                    image = bitmap.to_pil().copy()
                finally:
                    bitmap.close()
            finally:
                page.close()
        finally:
            pdf.close()
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    document = make_document(args.pages)
    figures: dict[str, dict[str, float]] = {}
    outline = best(lambda: page_outline(io.BytesIO(document)), args.repeat)
    for label, number in (("first", 1), ("middle", args.pages // 2), ("last", args.pages)):
        one = cut_pages(io.BytesIO(document), number - 1, CUT_AHEAD)[0]
        ours = render_cut_page(one, STAMP, VIEW_DPI)
        assert Image.open(io.BytesIO(ours)).text["SharboundCopy"] == STAMP.copy_id

        def cold(n: int = number) -> bytes:
            return render_cut_page(cut_pages(io.BytesIO(document), n - 1, CUT_AHEAD)[0], STAMP, VIEW_DPI)

        figures[label] = {
            "page": number,
            "ours_cold": best(cold, args.repeat),
            "ours_cached": best(lambda one=one: render_cut_page(one, STAMP, VIEW_DPI), args.repeat),
            "pdfium_alone": best(lambda n=number: pdfium_alone(document, n - 1), args.repeat),
            "png_bytes": len(ours),
        }
    if args.json:
        print(json.dumps({"pages": args.pages, "bytes": len(document), "outline_seconds": outline,
                          "figures": figures, "pdfium": pypdfium2.PDFIUM_INFO.version
                          if hasattr(pypdfium2, "PDFIUM_INFO") else None}, indent=2))
        return
    print(f"one view-only page of a {args.pages}-page PDF ({len(document) / 1e6:.1f} MB), best of "
          f"{args.repeat} ({platform.python_implementation()} {platform.python_version()})")
    print(f"  {'page count and first page size (view page)':<44}{outline * 1000:8.1f} ms")
    for label, f in figures.items():
        print(f"  page {int(f['page']):>5} ({label:<6})  ours cold {f['ours_cold'] * 1000:7.1f} ms   "
              f"ours cached {f['ours_cached'] * 1000:7.1f} ms   "
              f"pdfium alone {f['pdfium_alone'] * 1000:7.1f} ms   "
              f"cold/alone {f['ours_cold'] / f['pdfium_alone']:.2f}   "
              f"cached/alone {f['ours_cached'] / f['pdfium_alone']:.2f}   {int(f['png_bytes']) / 1e3:.0f} KB")


if __name__ == "__main__":
    main()
