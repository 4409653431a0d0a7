"""The executed copy of an agreement as a PDF: the document's text, the standard terms, and
the signature certificate, with the exact document bytes attached.

Written with fpdf2 (pure Python, maintained, embeds TrueType fonts with their Unicode maps, no
system libraries) in the house's Noto fonts (adapters/stamping/fonts.py), so that any name or
text reads back as written. Long lines are wrapped without changing a character: the pieces of
a line, joined, are the line (a break falls after a space where there is one). The output is
deterministic: the creation date is the last signature's time, and the same inputs give the
same bytes (so its SHA-256 names it).

For an uploaded NDA the executed copy is that PDF's pages followed by ours (pikepdf).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pikepdf
from fpdf import FPDF

from sharebound.adapters.stamping.fonts import installed

DOCUMENT_ATTACHMENT = "agreement-document.txt"  # the exact bytes that were signed
UPLOADED_ATTACHMENT = "uploaded-nda"  # + the upload's extension
MARGIN = 18  # mm; why: room for a binder's holes and a printer's unprintable edge
BODY_SIZE = 9.5  # pt; why: ~95 characters a line on A4, as a contract is set
LINE = 4.6  # mm between lines at that size
TAB = "    "  # why: the fonts have no tab glyph; a tab shows as four spaces (the bytes keep it)


@dataclass(frozen=True)
class Section:
    heading: str
    text: str


@dataclass(frozen=True)
class ExecutedCopyContent:
    title: str  # the first line of the first page
    document: Section  # the agreement document, as signed
    document_bytes: bytes  # attached as DOCUMENT_ATTACHMENT
    certificate: Sequence[tuple[str, str]]  # label, value: the certificate's opening rows
    signatures: Sequence[Sequence[tuple[str, str]]]  # one block of label, value rows each
    created_at: datetime  # the PDF's creation date: the last signature's time
    footer: str  # on every page, beside the page number
    standard_terms: Section | None = None  # when the governing document is a standard we ship
    uploaded: bytes | None = None  # an uploaded NDA (PDF: its pages come first; else attached)
    uploaded_extension: str = "pdf"
    extra: Sequence[Section] = field(default_factory=tuple)  # e.g. an uploaded DOCX's text


class _Pdf(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(size=7.5)
        self.cell(0, 4, f"{self.footer_text} · page {self.page_no()} of {{nb}}", align="C")


def wrap(line: str, width: float, widths: dict[str, float], pdf: FPDF) -> list[str]:
    """`line` cut into pieces no wider than `width`, whose concatenation is `line`; `widths`
    caches each character's width in `pdf`'s current font."""
    if line == "":
        return [""]
    pieces: list[str] = []
    start, used, last_space = 0, 0.0, -1
    for i, char in enumerate(line):
        if char not in widths:
            widths[char] = pdf.get_string_width(TAB if char == "\t" else char)
        w = widths[char]
        if used + w > width and i > start:
            cut = last_space + 1 if last_space >= start else i
            pieces.append(line[start:cut])
            start = cut
            used = sum(widths[c] for c in line[start:i])
            last_space = -1
        used += w
        if char == " ":
            last_space = i
    pieces.append(line[start:])
    return pieces


def _setup(created_at: datetime, title: str, footer: str, text: str) -> _Pdf:
    pdf = _Pdf(format="A4", unit="mm")
    pdf.footer_text = footer
    pdf.set_creation_date(created_at)
    pdf.set_title(title)
    pdf.set_producer("Sharebound (fpdf2)")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(True, margin=MARGIN)
    first, *rest = installed()
    missing = {ord(c) for c in set(text)} - first.characters
    # why only the fonts the text needs: each one added costs its subsetting (CJK: ~0.5 s)
    names = []
    for font in (first, *(f for f in rest if missing & f.characters)):
        pdf.add_font(font.name, fname=str(font.path))
        names.append(font.name)
    pdf.set_font(names[0], size=BODY_SIZE)
    if len(names) > 1:
        pdf.set_fallback_fonts(names[1:])
    return pdf


def _heading(pdf: FPDF, text: str, size: float = 13) -> None:
    pdf.set_font(size=size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font(size=BODY_SIZE)


def _text(pdf: FPDF, text: str, widths: dict[str, float]) -> None:
    """Every line of `text` as it is; a long line continues on the next line."""
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for line in text.split("\n"):
        for piece in wrap(line, width, widths, pdf):
            pdf.cell(0, LINE, piece.replace("\t", TAB), new_x="LMARGIN", new_y="NEXT")


def _rows(pdf: FPDF, rows: Sequence[tuple[str, str]], widths: dict[str, float]) -> None:
    label_width = 42
    width = pdf.w - pdf.l_margin - pdf.r_margin - label_width
    for label, value in rows:
        pieces = [p for line in value.split("\n") for p in wrap(line, width, widths, pdf)]
        pdf.cell(label_width, LINE, label)
        for n, piece in enumerate(pieces):
            if n:
                pdf.cell(label_width, LINE, "")
            pdf.cell(width, LINE, piece.replace("\t", TAB), new_x="LMARGIN", new_y="NEXT")


def build_executed_copy(content: ExecutedCopyContent) -> bytes:
    """The executed copy's bytes: the same content gives the same bytes."""
    sections = [content.document, *([content.standard_terms] if content.standard_terms else []),
                *content.extra]
    everything = "".join([content.title, content.footer, *(s.heading + s.text for s in sections),
                          *(k + v for k, v in content.certificate),
                          *(k + v for block in content.signatures for k, v in block)])
    pdf = _setup(content.created_at, content.title, content.footer, everything)
    try:
        widths: dict[str, float] = {}
        pdf.add_page()
        _heading(pdf, content.title, 15)
        _heading(pdf, content.document.heading)
        _text(pdf, content.document.text, widths)
        for section in sections[1:]:
            pdf.add_page()
            _heading(pdf, section.heading)
            _text(pdf, section.text, widths)
        pdf.add_page()
        _heading(pdf, "Signature certificate", 15)
        _rows(pdf, content.certificate, widths)
        for n, block in enumerate(content.signatures, start=1):
            pdf.ln(3)
            _heading(pdf, f"Signature {n}", 11)
            _rows(pdf, block, widths)
        pdf.embed_file(basename=DOCUMENT_ATTACHMENT, bytes=content.document_bytes,
                       desc="The agreement document, byte for byte as signed (UTF-8)",
                       creation_date=content.created_at, modification_date=content.created_at)
        if content.uploaded is not None and content.uploaded_extension != "pdf":
            pdf.embed_file(basename=f"{UPLOADED_ATTACHMENT}.{content.uploaded_extension}",
                           bytes=content.uploaded, desc="The uploaded NDA, as uploaded",
                           creation_date=content.created_at, modification_date=content.created_at)
        built = bytes(pdf.output())
    finally:  # why: fpdf2 reads each font file lazily and keeps it open until closed
        for font in pdf.fonts.values():
            close = getattr(font, "close", None)
            if close is not None:
                close()
    if content.uploaded is not None and content.uploaded_extension == "pdf":
        return uploaded_first(content.uploaded, built)
    return built


def uploaded_first(uploaded: bytes, ours: bytes) -> bytes:
    """An uploaded NDA's pages, unchanged, followed by our pages (with our attachments)."""
    with pikepdf.open(io.BytesIO(ours)) as base, pikepdf.open(io.BytesIO(uploaded)) as theirs:
        for n, page in enumerate(theirs.pages):
            base.pages.insert(n, page)
        out = io.BytesIO()
        base.save(out, deterministic_id=True)
        return out.getvalue()


def attachments(pdf: bytes) -> dict[str, bytes]:
    """The files embedded in a PDF, by name; a PDF that cannot be read has none."""
    try:
        with pikepdf.open(io.BytesIO(pdf)) as opened:
            return {name: spec.get_file().read_bytes() for name, spec in opened.attachments.items()}
    except (pikepdf.PdfError, ValueError):
        return {}
