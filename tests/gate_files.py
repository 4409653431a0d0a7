"""Documents for content-gate tests, made on the spot: PDFs with text per page, DOCX files."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf


def make_pdf(pages: Sequence[Sequence[str]], *, password: str | None = None) -> bytes:
    """A PDF whose page n shows the lines pages[n-1] in Helvetica, top to bottom."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    for lines in pages:
        shown = " ".join(f"({_escape(line)}) Tj T*" for line in lines)
        stream = pikepdf.Stream(pdf, f"BT /F1 11 Tf 14 TL 72 720 Td {shown} ET".encode("latin-1"))
        pdf.pages.append(pikepdf.Page(pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 792], Contents=pdf.make_indirect(stream),
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)))))
    out = io.BytesIO()
    encryption = pikepdf.Encryption(owner=password, user=password) if password else False
    pdf.save(out, encryption=encryption)
    return out.getvalue()


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_docx(paragraphs: Sequence[str], *, table: Sequence[Sequence[str]] = (),
              header: str = "", footer: str = "") -> bytes:
    import docx

    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if footer:
        document.sections[0].footer.paragraphs[0].text = footer
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
