"""PDF stamps (pikepdf): a light diagonal mark and a footer line on every page, and the copy
id in the document's metadata (Info and XMP).

The stamp is drawn in the stamp fonts (`fonts.py`: Latin, Greek, Cyrillic, Arabic, Hebrew,
CJK), shaped and embedded as subsets with a ToUnicode map (`pdf_text.py`), so that a name in
any script prints as written and the stamp's text is itself extractable; the page's own
content streams are untouched (only wrapped in q/Q so that a stray graphics state cannot skew
the stamp), so its text stays selectable. The stamp is drawn in the page's visible box
(CropBox, else MediaBox) and turned with the page's /Rotate, so that it reads upright where
the reader shows it.

With a watermark template (`stamp.template`, docs/watermarks.md) the page carries its one
line instead: across the page, or along its foot or head, at the template's size (smaller
where it would not fit) and opacity.

The stamp is built once per copy and page shape: a Form XObject holding the marks and its own
resources (the fonts, the transparency), one for each distinct box and rotation (a document's
pages are mostly alike, so mostly one). Each page only names it in its resources and draws it
with a stream that every page naming it alike shares (`q /SbStamp Do Q`).
"""

from __future__ import annotations

import io
import math
from typing import BinaryIO

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

from sharebound.adapters.stamping.errors import StampError
from sharebound.adapters.stamping.fonts import Font
from sharebound.adapters.stamping.pdf_attachments import drop_attachments
from sharebound.adapters.stamping.pdf_text import Typeset
from sharebound.domain.stamps import Stamp
from sharebound.domain.watermark import Position, WatermarkTemplate

INFO_KEY = "/SharboundCopy"
XMP_KEY = "pdfx:SharboundCopy"  # why: pdfx is XMP's namespace for a document's own properties
DIAGONAL_MAX_PT = 54  # why: legible on A4 without hiding the page
DIAGONAL_ALPHA = 0.16  # why: light enough to read through, dark enough to survive a photocopy
FOOTER_PT = 7.0  # why: the size of a page's fine print
MARGIN_PT = 14.0  # why: inside the unprintable margin of most printers
FORM_NAME = "/SbStamp"  # the stamp's name in a page's resources, unless the page has one so named


def stamp_pdf(source: BinaryIO, stamp: Stamp) -> bytes:
    """A copy of the PDF in `source` with every page stamped; StampError if it cannot be."""
    out = io.BytesIO()
    stamp_pdf_into(source, stamp, out)
    return out.getvalue()


def stamp_pdf_into(source: BinaryIO, stamp: Stamp, target: BinaryIO) -> None:
    """Write the stamped copy of the PDF in `source` to `target` (a writable file) as qpdf
    makes it: the pages' streams are read from `source` as they are written, so that neither
    the original nor the copy is ever whole in memory. StampError if it cannot be stamped
    (then `target` may hold part of a copy: the caller throws it away)."""
    try:
        with Pdf.open(source) as pdf:
            if pdf.is_encrypted:
                raise StampError("the PDF is encrypted: it cannot be stamped")
            _stamp_pages(pdf, stamp)
            drop_attachments(pdf)  # why: an embedded file would travel unstamped
            _set_metadata(pdf, stamp.copy_id)
            pdf.save(target, fix_metadata_version=False)
    except pikepdf.PasswordError as error:
        raise StampError("the PDF is encrypted: it cannot be stamped") from error
    except (pikepdf.PdfError, pikepdf.ForeignObjectError, ValueError, KeyError) as error:
        raise StampError("the PDF is damaged: it cannot be stamped") from error


def stamped_page(source: BinaryIO, index: int, stamp: Stamp) -> bytes:
    """A one-page PDF: page `index` (from 0) of `source`, stamped (for rendering one page).

    Saved before the source closes: a copied page's streams are read from the source lazily.
    """
    try:
        with Pdf.open(source) as whole:
            if whole.is_encrypted:
                raise StampError("the PDF is encrypted: it cannot be shown")
            with Pdf.new() as one:
                one.pages.append(whole.pages[index])
                _stamp_pages(one, stamp)
                out = io.BytesIO()
                one.save(out)
                return out.getvalue()
    except pikepdf.PasswordError as error:
        raise StampError("the PDF is encrypted: it cannot be shown") from error
    except (pikepdf.PdfError, pikepdf.ForeignObjectError, ValueError, KeyError, IndexError) as error:
        raise StampError("the PDF is damaged: it cannot be shown") from error


def cut_pages(source: BinaryIO, index: int, count: int) -> list[bytes]:
    """Pages `index` (from 0) to `index + count - 1` of `source`, each as a one-page PDF as it
    is (fewer at the end of the document); StampError if page `index` does not exist."""
    try:
        with Pdf.open(source) as whole:
            if whole.is_encrypted:
                raise StampError("the PDF is encrypted: it cannot be shown")
            if not 0 <= index < len(whole.pages):
                raise StampError("the PDF has no such page")
            cut = []
            for number in range(index, min(len(whole.pages), index + count)):
                page = whole.pages[number]
                with Pdf.new() as one:
                    one.pages.append(page)
                    out = io.BytesIO()
                    one.save(out)
                    cut.append(out.getvalue())
            return cut
    except pikepdf.PasswordError as error:
        raise StampError("the PDF is encrypted: it cannot be shown") from error
    except (pikepdf.PdfError, pikepdf.ForeignObjectError, ValueError, KeyError, IndexError) as error:
        raise StampError("the PDF is damaged: it cannot be shown") from error


def single_page(source: BinaryIO, index: int) -> bytes:
    """A one-page PDF: page `index` (from 0) of `source` as it is (for rendering one page)."""
    try:
        with Pdf.open(source) as whole:
            if whole.is_encrypted:
                raise StampError("the PDF is encrypted: it cannot be shown")
            with Pdf.new() as one:
                one.pages.append(whole.pages[index])
                out = io.BytesIO()
                one.save(out)
                return out.getvalue()
    except pikepdf.PasswordError as error:
        raise StampError("the PDF is encrypted: it cannot be shown") from error
    except (pikepdf.PdfError, pikepdf.ForeignObjectError, ValueError, KeyError, IndexError) as error:
        raise StampError("the PDF is damaged: it cannot be shown") from error


def page_count(source: BinaryIO) -> int:
    return page_outline(source)[0]


def page_outline(source: BinaryIO) -> tuple[int, tuple[float, float]]:
    """How many pages the PDF has, and its first page's size in points as a reader shows it
    (turned by /Rotate): what a viewer lays out its page placeholders by."""
    try:
        with Pdf.open(source) as pdf:
            if pdf.is_encrypted:
                raise StampError("the PDF is encrypted: it cannot be shown")
            count = len(pdf.pages)
            if count == 0:
                return 0, (612.0, 792.0)  # why: US Letter, for a document with nothing to lay out
            first = pdf.pages[0]
            x0, y0, x1, y1 = _box(first)
            width, height = x1 - x0, y1 - y0
            return count, ((height, width) if _rotation(first) in (90, 270) else (width, height))
    except pikepdf.PasswordError as error:
        raise StampError("the PDF is encrypted: it cannot be shown") from error
    except (pikepdf.PdfError, ValueError, KeyError) as error:
        raise StampError("the PDF is damaged: it cannot be shown") from error


def copy_id_in_metadata(pdf: Pdf) -> str | None:
    found = pdf.docinfo.get(INFO_KEY) if pdf.trailer.get("/Info") is not None else None
    if found is not None:
        return str(found)
    try:
        meta = pdf.open_metadata()
        value = meta.get(XMP_KEY)
    except Exception:  # why: XMP in the wild is often malformed; the page text is the fallback
        return None
    return str(value) if value else None


def _stamp_pages(pdf: Pdf, stamp: Stamp) -> None:
    mark, line = stamp.short(), stamp.line()
    typeset = Typeset(pdf, [mark, line])
    names = {font: f"/F{index}" for index, font in enumerate(typeset.fonts)}
    alpha = stamp.template.opacity if stamp.template is not None else DIAGONAL_ALPHA
    resources = pdf.make_indirect(Dictionary(  # why: indirect, so that every form shares it
        Font=Dictionary({names[font]: obj for font, obj in typeset.fonts.items()}),
        ExtGState=Dictionary(G0=Dictionary(Type=Name.ExtGState, ca=alpha, CA=alpha))))
    opening = _indirect(pdf, b"q\n")
    forms: dict[tuple[tuple[float, float, float, float], int], pikepdf.Stream] = {}
    draws: dict[str, pikepdf.Stream] = {}
    for page in pdf.pages:
        box, rotate = _box(page), _rotation(page)
        form = forms.get((box, rotate))
        if form is None:
            content = (_content(box, rotate, typeset, names, "/G0", mark, line)
                       if stamp.template is None else
                       _templated(box, rotate, typeset, names, "/G0", line, stamp.template))
            form = forms[box, rotate] = _indirect(pdf, content)
            form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, Array(list(box))
            form.Resources = resources
        name = _placed(page, form)
        if name not in draws:  # why: the page's own content may leave its state changed: Q first
            draws[name] = _indirect(pdf, b"Q\nq " + name.encode() + b" Do Q\n")
        page.contents_add(opening, prepend=True)
        page.contents_add(draws[name])


def _placed(page: pikepdf.Page, form: pikepdf.Stream) -> str:
    """The name `page`'s resources give the stamp `form`: FORM_NAME unless already taken."""
    xobjects = page.resources.get(Name.XObject)
    if xobjects is not None and FORM_NAME in xobjects:
        if xobjects[FORM_NAME].objgen == form.objgen:  # why: pages may share one resources dictionary
            return FORM_NAME
        return str(page.add_resource(form, Name.XObject, prefix="SbS", replace_existing=False))
    try:
        return str(page.add_resource(form, Name.XObject, name=Name(FORM_NAME), replace_existing=False))
    except ValueError:  # the name is taken by a font or an image of the page
        return str(page.add_resource(form, Name.XObject, prefix="SbS", replace_existing=False))


def _content(box: tuple[float, float, float, float], rotate: int, typeset: Typeset,
             names: dict[Font, str], gs: str, mark: str, line: str) -> bytes:
    shown_w, shown_h, cm = _shown(box, rotate)
    angle = math.atan2(shown_h, shown_w)
    diagonal = math.hypot(shown_w, shown_h)
    mark_em, line_em = max(0.5, typeset.lines[mark].width), max(0.5, typeset.lines[line].width)
    size = min(DIAGONAL_MAX_PT, 0.8 * diagonal / mark_em)
    half = mark_em * size / 2
    cos, sin = math.cos(angle), math.sin(angle)
    tx = shown_w / 2 - half * cos + 0.35 * size * sin
    ty = shown_h / 2 - half * sin - 0.35 * size * cos
    # why: at least half a point, so a tiny page still carries an extractable footer
    footer = max(0.5, min(FOOTER_PT, (shown_w - 2 * MARGIN_PT) / line_em))
    return b"\n".join([
        b"q", _nums(*cm) + b" cm",
        b"q /" + gs[1:].encode() + b" gs 0.55 g BT",
        _nums(cos, sin, -sin, cos, tx, ty) + b" Tm " + typeset.operators(mark, names, size) + b" ET Q",
        b"BT 0.3 g",
        _nums(1, 0, 0, 1, MARGIN_PT, MARGIN_PT / 2) + b" Tm "
        + typeset.operators(line, names, footer) + b" ET",
        b"Q", b"",
    ])


def _templated(box: tuple[float, float, float, float], rotate: int, typeset: Typeset,
               names: dict[Font, str], gs: str, line: str, template: WatermarkTemplate) -> bytes:
    """A template's stamp: its one line across the page, or along its foot or its head, at
    the template's size (smaller where the line would not fit) and opacity."""
    shown_w, shown_h, cm = _shown(box, rotate)
    em = max(0.5, typeset.lines[line].width)
    if template.position is Position.DIAGONAL:
        angle = math.atan2(shown_h, shown_w)
        size = max(0.5, min(template.size, 0.8 * math.hypot(shown_w, shown_h) / em))
        half = em * size / 2
        cos, sin = math.cos(angle), math.sin(angle)
        matrix = (cos, sin, -sin, cos, shown_w / 2 - half * cos + 0.35 * size * sin,
                  shown_h / 2 - half * sin - 0.35 * size * cos)
    else:
        # why: at least half a point, so a tiny page still carries an extractable line
        size = max(0.5, min(template.size, (shown_w - 2 * MARGIN_PT) / em))
        y = MARGIN_PT / 2 if template.position is Position.FOOTER else shown_h - MARGIN_PT / 2 - size
        matrix = (1, 0, 0, 1, MARGIN_PT, y)
    return b"\n".join([
        b"q", _nums(*cm) + b" cm",
        b"/" + gs[1:].encode() + b" gs 0.3 g BT",
        _nums(*matrix) + b" Tm " + typeset.operators(line, names, size) + b" ET",
        b"Q", b"",
    ])


def _shown(box: tuple[float, float, float, float], rotate: int
           ) -> tuple[float, float, tuple[float, ...]]:
    """The page as the reader shows it (width, height, origin bottom left), and the matrix that
    maps it into user space."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    return {
        0: (w, h, (1, 0, 0, 1, x0, y0)),
        90: (h, w, (0, 1, -1, 0, x0 + w, y0)),
        180: (w, h, (-1, 0, 0, -1, x0 + w, y0 + h)),
        270: (h, w, (0, -1, 1, 0, x0, y0 + h)),
    }[rotate]


def _indirect(pdf: Pdf, data: bytes) -> pikepdf.Stream:
    """A stream object shared by every page that draws the same thing."""
    made = pdf.make_indirect(pdf.make_stream(data))
    assert isinstance(made, pikepdf.Stream)
    return made


def _box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    box = [float(v) for v in page.cropbox]
    return (min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3]))


def _rotation(page: pikepdf.Page) -> int:
    node: pikepdf.Object | None = page.obj
    while node is not None:  # why: /Rotate is inherited from the page tree
        if "/Rotate" in node:
            return int(node.Rotate) % 360 // 90 * 90
        node = node.get("/Parent")
    return 0


def _set_metadata(pdf: Pdf, copy_id: str) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta[XMP_KEY] = copy_id
    pdf.docinfo[Name(INFO_KEY)] = copy_id


def _nums(*values: float) -> bytes:
    return b" ".join(f"{v:.4f}".rstrip("0").rstrip(".").encode() if v != int(v) else str(int(v)).encode()
                     for v in values)

