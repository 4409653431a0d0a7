"""DOCX and PDF files that hide a text where a reader does not look first: a tracked change,
a content control, a text box, a footnote, a comment, a header, the properties; a PDF's
annotations, form fields, metadata, bookmarks and embedded files. Built in code (python-docx,
lxml, pikepdf), so that no binary fixture is committed."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from xml.sax.saxutils import escape

import docx
import pikepdf
from pikepdf import Array, Dictionary, Name

from tests.files import lines_pdf

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f'xmlns:w="{W_NS}"'
_RUN = '<w:r><w:t xml:space="preserve">{}</w:t></w:r>'


def _body_xml(place: str, text: str) -> str:
    t = escape(text)
    return {
        "tracked insertion": f'<w:p {_W}><w:ins w:id="91" w:author="Mia" w:date="2026-01-01T00:00:00Z">'
                             f"{_RUN.format(t)}</w:ins></w:p>",
        "tracked deletion": f'<w:p {_W}><w:del w:id="92" w:author="Mia" w:date="2026-01-01T00:00:00Z">'
                            f'<w:r><w:delText xml:space="preserve">{t}</w:delText></w:r></w:del></w:p>',
        "content control": f'<w:sdt {_W}><w:sdtPr><w:alias w:val="Summary"/></w:sdtPr><w:sdtContent>'
                           f"<w:p>{_RUN.format(t)}</w:p></w:sdtContent></w:sdt>",
        "text box": f'<w:p {_W} xmlns:v="urn:schemas-microsoft-com:vml"><w:r><w:pict><v:shape>'
                    f"<v:textbox><w:txbxContent><w:p>{_RUN.format(t)}</w:p></w:txbxContent>"
                    "</v:textbox></v:shape></w:pict></w:r></w:p>",
    }[place]


_NOTES = {  # part name, root, one entry, content type's tail, relationship's tail
    "footnote": ("word/footnotes.xml", "footnotes", "footnote", "footnotes", "footnotes"),
    "endnote": ("word/endnotes.xml", "endnotes", "endnote", "endnotes", "endnotes"),
    "comment": ("word/comments.xml", "comments", "comment", "comments", "comments"),
}
BODY_PLACES = ("tracked insertion", "tracked deletion", "content control", "text box")
DOCX_PLACES = (*BODY_PLACES, "footnote", "endnote", "comment", "header", "even page footer",
               "properties", "embedded file")


def docx_hiding(text: str, place: str, visible: str = "Meeting notes: nothing to see here.") -> bytes:
    """A DOCX whose visible body is `visible`, with `text` in `place` (one of DOCX_PLACES)."""
    document = docx.Document()
    document.add_paragraph(visible)
    if place == "header":
        document.sections[0].header.paragraphs[0].text = text
    elif place == "even page footer":
        document.settings.odd_and_even_pages_header_footer = True
        document.sections[0].even_page_footer.paragraphs[0].text = text
    elif place == "properties":
        document.core_properties.comments = text
    out = io.BytesIO()
    document.save(out)
    content = out.getvalue()
    if place in BODY_PLACES:
        return _rewrite(content, "word/document.xml", lambda xml: xml.replace(
            "<w:sectPr", _body_xml(place, text) + "<w:sectPr", 1))
    if place in _NOTES:
        return _with_notes(content, place, text)
    if place == "embedded file":
        return _with_part(content, "word/embeddings/notes.docx", docx_hiding(text, "footnote"))
    return content


def _with_notes(content: bytes, place: str, text: str) -> bytes:
    name, root, entry, kind, rel = _NOTES[place]
    extra = ' w:author="Mia" w:initials="M"' if entry == "comment" else ""
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{root} {_W}>'
           f'<w:{entry} w:id="1"{extra}><w:p>{_RUN.format(escape(text))}</w:p></w:{entry}></w:{root}>')
    content = _with_part(content, name, xml.encode())
    content = _rewrite(content, "[Content_Types].xml", lambda x: x.replace("</Types>", (
        f'<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-officedocument.'
        f'wordprocessingml.{kind}+xml"/></Types>')))
    return _rewrite(content, "word/_rels/document.xml.rels", lambda x: x.replace("</Relationships>", (
        f'<Relationship Id="rId991" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/{rel}" Target="{name.split("/", 1)[1]}"/></Relationships>')))


def _rewrite(content: bytes, part: str, change: Callable[[str], str]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == part:
                data = change(data.decode()).encode()
            target.writestr(info.filename, data)
    return out.getvalue()


def _with_part(content: bytes, part: str, data: bytes) -> bytes:
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(part, data)
    return out.getvalue()


PDF_PLACES = ("comment annotation", "rich text annotation", "form field", "document information",
              "XMP metadata", "bookmark", "embedded file", "file attachment annotation",
              "embedded DOCX footnote")


def pdf_hiding(text: str, place: str, visible: str = "Meeting notes: nothing to see here.",
               attachment: bytes | None = None) -> bytes:
    """A one-page PDF showing `visible`, with `text` in `place` (one of PDF_PLACES)."""
    with pikepdf.open(io.BytesIO(lines_pdf([[visible]]))) as pdf:
        page = pdf.pages[0]
        if place == "comment annotation":
            _annotate(pdf, page, Dictionary(Type=Name.Annot, Subtype=Name.Text, Rect=[50, 50, 70, 70],
                                            Contents=pikepdf.String(text)))
        elif place == "rich text annotation":
            rich = f'<body xmlns="http://www.w3.org/1999/xhtml"><p>{escape(text)}</p></body>'
            _annotate(pdf, page, Dictionary(Type=Name.Annot, Subtype=Name.FreeText, Rect=[50, 50, 70, 70],
                                            DA=pikepdf.String("/Helv 0 Tf"), RC=pikepdf.String(rich)))
        elif place == "form field":
            field = pdf.make_indirect(Dictionary(
                Type=Name.Annot, Subtype=Name.Widget, FT=Name.Tx, T=pikepdf.String("summary"),
                V=pikepdf.String(text), Rect=[0, 0, 0, 0], P=page.obj))
            _annotate(pdf, page, field)
            pdf.Root.AcroForm = Dictionary(Fields=Array([field]))
        elif place == "document information":
            pdf.docinfo[Name.Subject] = pikepdf.String(text)
        elif place == "XMP metadata":
            with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                meta["dc:description"] = text
        elif place == "bookmark":
            with pdf.open_outline() as outline:
                outline.root.append(pikepdf.OutlineItem(text, 0))
        elif place in {"embedded file", "embedded DOCX footnote"}:
            data = attachment or (docx_hiding(text, "footnote") if place == "embedded DOCX footnote"
                                  else text.encode())
            name = "notes.docx" if place == "embedded DOCX footnote" else "notes.txt"
            pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, data, filename=name)
        elif place == "file attachment annotation":
            spec = pikepdf.AttachedFileSpec(pdf, attachment or text.encode(), filename="notes.txt")
            _annotate(pdf, page, Dictionary(Type=Name.Annot, Subtype=Name.FileAttachment,
                                            Rect=[50, 50, 70, 70], FS=spec.obj))
        else:
            raise ValueError(place)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _annotate(pdf: pikepdf.Pdf, page: pikepdf.Page, annot: Dictionary) -> None:
    annots = page.obj.get("/Annots")
    if annots is None:
        page.obj.Annots = Array()
    page.obj.Annots.append(pdf.make_indirect(annot) if not annot.is_indirect else annot)
