"""Every text a PDF carries, for the content gate.

- The pages' text (pypdfium2, under the PDFium lock): one `Page` per page, numbered; every
  handle closed as soon as it is read.
- What is not drawn on a page (pikepdf): annotations' contents and rich text (comments,
  sticky notes, popups, free text), form fields' values (AcroForm and XFA), the document
  information and XMP metadata, bookmarks; each a page named by its part ("annotations").
- Embedded files (the EmbeddedFiles name tree, FileAttachment annotations) are returned to
  the caller, which reads each by its own type. A stream is unpacked to at most
  `max_file_bytes`: a flate bomb stops there.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator

import pikepdf
from lxml import etree  # type: ignore[import-untyped]  # why: it ships no type hints

from sharebound.adapters.pdfium import PDFIUM
from sharebound.adapters.text_docx import Attachment
from sharebound.domain.gate import Page

# why: a form has tens of fields, a long document hundreds of bookmarks; past these, a
# file is built to make the gate walk forever
MAX_OBJECTS = 100_000
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class PdfUnreadable(Exception):
    """The PDF cannot be read at all (the message says why, in words)."""


def read_pages(content: bytes, max_pages: int, max_chars: int) -> tuple[list[Page], bool]:
    """The pages' text, and whether every page was read; PdfUnreadable when none can be."""
    with PDFIUM:  # why: PDFium is not thread-safe (adapters/pdfium.py)
        return _pages_locked(content, max_pages, max_chars)


def _pages_locked(content: bytes, max_pages: int, max_chars: int) -> tuple[list[Page], bool]:
    import pypdfium2 as pdfium  # type: ignore[import-untyped]  # why: it ships no type hints

    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError as error:
        raise PdfUnreadable(_pdf_problem(str(error))) from error
    pages: list[Page] = []
    chars, complete = 0, True
    try:
        count = len(document)
        if count == 0:  # why: no page to read is no proof of no text (another reader may find some)
            raise PdfUnreadable("the PDF has no page this reader can open")
        for index in range(count):
            if index >= max_pages or chars >= max_chars:
                complete = False
                break
            page = document[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_bounded()
                finally:
                    textpage.close()
            finally:
                page.close()
            # why: PDFium ends lines with CR LF; keep one line break per line
            text = text.replace("\r\n", "\n").replace("\r", "\n")[:max_chars - chars]
            chars += len(text)
            pages.append(Page(text, index + 1))
    except pdfium.PdfiumError as error:
        raise PdfUnreadable(_pdf_problem(str(error))) from error
    finally:
        document.close()
    return pages, complete


def _pdf_problem(message: str) -> str:
    if "password" in message.lower():
        return "the PDF is encrypted"
    return "the PDF is damaged"


def read_extras(content: bytes, max_file_bytes: int) -> tuple[list[Page], list[Attachment]]:
    """The text off the pages, and the embedded files; PdfUnreadable when pikepdf cannot
    read the PDF."""
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            pages: list[Page] = []
            attachments: list[Attachment] = []
            for index, page in enumerate(pdf.pages):
                lines = list(_annotation_lines(page.obj, attachments, index + 1, max_file_bytes))
                if lines:
                    pages.append(Page("\n".join(lines), index + 1, "annotations"))
            root = pdf.Root
            parts = [
                ("form fields", list(_form_lines(root))),
                ("document information", list(_info_lines(pdf.trailer))),
                ("XMP metadata", _xml_lines(_stream(root.get("/Metadata"), max_file_bytes))),
                ("bookmarks", list(_outline_lines(root))),
            ]
            pages += [Page("\n".join(lines), None, part) for part, lines in parts if lines]
            for name, spec in _name_tree(root.get("/Names", pikepdf.Dictionary()).get("/EmbeddedFiles")):
                _attach(spec, name, "the PDF's attachments", attachments, max_file_bytes)
            return pages, attachments
    except PdfUnreadable:
        raise
    except Exception as error:  # why: whatever pikepdf trips on, the rest cannot be vouched for
        raise PdfUnreadable("the PDF's annotations, forms or attachments cannot be read") from error


def _text(value: object) -> str:
    if isinstance(value, pikepdf.String):
        return str(value)
    if isinstance(value, pikepdf.Name):
        return str(value)[1:]
    if isinstance(value, pikepdf.Array):
        return "\n".join(_text(v) for v in value)
    return ""


def _annotation_lines(page: pikepdf.Object, attachments: list[Attachment], number: int,
                      max_file_bytes: int) -> Iterator[str]:
    for annot in list(page.get("/Annots", pikepdf.Array()))[:MAX_OBJECTS]:
        if not isinstance(annot, pikepdf.Dictionary):
            continue
        for key in ("/T", "/Subj", "/Contents"):
            yield from _text(annot.get(key)).splitlines()
        rich = annot.get("/RC")
        if rich is not None:  # XHTML rich text: a string or a stream
            data = _stream(rich, max_file_bytes) if isinstance(rich, pikepdf.Stream) else bytes(rich)
            yield from _xml_lines(data) or _text(rich).splitlines()
        if annot.get("/Subtype") == pikepdf.Name.FileAttachment and "/FS" in annot:
            _attach(annot.FS, "", f"a file attached to page {number}", attachments, max_file_bytes)


def _form_lines(root: pikepdf.Object) -> Iterator[str]:
    form = root.get("/AcroForm")
    if not isinstance(form, pikepdf.Dictionary):
        return
    stack = list(form.get("/Fields", pikepdf.Array()))
    seen = 0
    while stack and seen < MAX_OBJECTS:  # why: a loop of /Kids must end
        seen += 1
        field = stack.pop()
        if not isinstance(field, pikepdf.Dictionary):
            continue
        for key in ("/V", "/DV", "/TU"):
            yield from _text(field.get(key)).splitlines()
        stack.extend(field.get("/Kids", pikepdf.Array()))
    xfa = form.get("/XFA")  # an XFA form's data and template, as XML
    streams = [xfa] if isinstance(xfa, pikepdf.Stream) else [
        x for x in (xfa if isinstance(xfa, pikepdf.Array) else []) if isinstance(x, pikepdf.Stream)]
    for stream in streams:
        yield from _xml_lines(stream.read_bytes())


def _info_lines(trailer: pikepdf.Object) -> Iterator[str]:
    info = trailer.get("/Info")
    if isinstance(info, pikepdf.Dictionary):
        for key in sorted(info.keys()):
            yield from _text(info.get(key)).splitlines()


def _outline_lines(root: pikepdf.Object) -> Iterator[str]:
    outlines = root.get("/Outlines")
    if not isinstance(outlines, pikepdf.Dictionary):
        return
    stack = [outlines.get("/First")]
    seen = 0
    while stack and seen < MAX_OBJECTS:
        seen += 1
        entry = stack.pop()
        if not isinstance(entry, pikepdf.Dictionary):
            continue
        yield from _text(entry.get("/Title")).splitlines()
        stack += [entry.get("/Next"), entry.get("/First")]


def _name_tree(node: object, depth: int = 0) -> Iterator[tuple[str, pikepdf.Object]]:
    """(name, value) of a PDF name tree, depth-bounded."""
    if not isinstance(node, pikepdf.Dictionary) or depth > 32:  # why: a real tree is 2-3 deep
        return
    names = list(node.get("/Names", pikepdf.Array()))
    for i in range(0, min(len(names), 2 * MAX_OBJECTS) - 1, 2):
        yield _text(names[i]), names[i + 1]
    for kid in list(node.get("/Kids", pikepdf.Array()))[:MAX_OBJECTS]:
        yield from _name_tree(kid, depth + 1)


def _attach(spec: pikepdf.Object, name: str, where: str, attachments: list[Attachment],
            max_file_bytes: int) -> None:
    if not isinstance(spec, pikepdf.Dictionary):
        return
    files = spec.get("/EF")
    if not isinstance(files, pikepdf.Dictionary):
        return
    label = _text(spec.get("/UF")) or _text(spec.get("/F")) or name or "unnamed"
    for key in ("/UF", "/F"):  # why: both may be given; a reader opens either
        stream = files.get(key)
        if isinstance(stream, pikepdf.Stream):
            attachments.append(Attachment(label, _stream(stream, max_file_bytes), where))
            return


def _stream(stream: object, max_bytes: int) -> bytes:
    """A stream's data, unpacked to at most `max_bytes` + 1 bytes (more says: too large)."""
    if not isinstance(stream, pikepdf.Stream):
        return b""
    filters = stream.get("/Filter")
    if filters == pikepdf.Name.FlateDecode and "/DecodeParms" not in stream:
        return zlib.decompressobj().decompress(stream.read_raw_bytes(), max_bytes + 1)
    if filters is None:
        return stream.read_raw_bytes()[:max_bytes + 1]
    return stream.read_bytes()[:max_bytes + 1]


def _xml_lines(data: bytes) -> list[str]:
    if not data.strip():
        return []
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return [line for line in data.decode("utf-8", errors="replace").splitlines() if line.strip()]
    return [line.strip() for text in root.itertext() for line in text.splitlines() if line.strip()]
