"""Every text a DOCX carries, for the content gate, read from its XML (zipfile + lxml).

python-docx's paragraphs skip what a recipient still gets: runs inside tracked changes
(`w:ins`, and deleted text `w:delText`, which travels in the file until accepted), content
controls (`w:sdt`), text boxes (`w:txbxContent`), field codes, pictures' alt text. So each
part is walked element by element:

- the main document (the part the package's officeDocument relationship names): one
  unnumbered page, a paragraph a line, a table row a line (its cells tab-separated, nested
  tables after it), a text box's paragraphs after the paragraph that anchors it;
- headers, footers (every section's, first and even pages), footnotes, endnotes, comments,
  the glossary (building blocks): a page each, named by its part ("footnotes");
- the package's properties (docProps: title, subject, author, keywords, company...), custom
  XML data parts, and document variables: every text they hold, one a line;
- embedded files (`word/embeddings/`, or any other part that is not XML, a picture or a font)
  are returned to the caller, which reads each by its own type.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree  # type: ignore[import-untyped]  # why: it ships no type hints

from sharebound.domain.gate import Page

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WP_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_OFFICE_DOCUMENT = "/officeDocument"  # why: the relationship type's tail, in both OOXML dialects
#: Parts by the name of their file, and what a finding calls them.
_PARTS = [
    (re.compile(r"(^|/)header\d*\.xml$"), "header"),
    (re.compile(r"(^|/)footer\d*\.xml$"), "footer"),
    (re.compile(r"(^|/)footnotes\.xml$"), "footnotes"),
    (re.compile(r"(^|/)endnotes\.xml$"), "endnotes"),
    (re.compile(r"(^|/)comments\.xml$"), "comments"),
    (re.compile(r"(^|/)glossary/document\.xml$"), "glossary"),
]
_PROPERTIES = re.compile(r"^docProps/[^/]+\.xml$")
_CUSTOM_XML = re.compile(r"^customXml/item\d+\.xml$")
_SETTINGS = re.compile(r"(^|/)settings\.xml$")
#: Parts that carry no text of the author's (styles, themes, fonts, relationships...).
_SKIPPED = re.compile(r"\.(xml|rels)$|(^|/)fonts/|^\[Content_Types\]\.xml$")
_PICTURES = re.compile(r"(^|/)media/|^docProps/thumbnail\.")
# why: libxml2 would otherwise fetch a DTD or expand entities a hostile file declares
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file inside another, to be read by its own type; `where` says where it was found."""

    name: str
    data: bytes
    where: str
    picture: bool = False  # a picture the document shows: skipped when of a type we cannot read


class DocxError(Exception):
    """The package or one of its parts cannot be read."""


def read_docx(content: bytes, max_chars: int) -> tuple[list[Page], list[Attachment], bool]:
    """(pages, embedded files, complete) of a DOCX; DocxError when it cannot be read."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise DocxError(type(error).__name__) from error
    try:
        return _read_archive(archive, max_chars)
    # why: a part whose compressed bytes are mangled fails only when it is read
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise DocxError(type(error).__name__) from error


def _read_archive(archive: zipfile.ZipFile, max_chars: int) -> tuple[list[Page], list[Attachment], bool]:
    with archive:
        names = archive.namelist()
        main = _main_part(archive, names)
        if main not in names:
            raise DocxError("no main document")
        ordered = [main, *sorted(n for n in names if n != main)]
        pages: list[Page] = []
        attachments: list[Attachment] = []
        chars = 0
        for name in ordered:
            part, lines = _read_part(archive, name, main, attachments)
            if lines is None:
                continue
            text = "\n".join(lines)
            if chars + len(text) > max_chars:
                pages.append(Page(text[:max_chars - chars], None, part))
                return pages, attachments, False
            chars += len(text)
            if text or name == main:
                pages.append(Page(text, None, part))
    # why the order: as a page reads, headers, the body, footers; then the rest
    rank = {"header": 0, None: 1, "footer": 2}
    return sorted(pages, key=lambda p: rank.get(p.part, 3)), attachments, True


def _main_part(archive: zipfile.ZipFile, names: list[str]) -> str:
    if "_rels/.rels" in names:
        root = _parse(archive.read("_rels/.rels"))
        for rel in root:
            if str(rel.get("Type", "")).endswith(_OFFICE_DOCUMENT):
                return posixpath.normpath(str(rel.get("Target", "")).lstrip("/"))
    return "word/document.xml"


def _read_part(archive: zipfile.ZipFile, name: str, main: str,
               attachments: list[Attachment]) -> tuple[str | None, list[str] | None]:
    """(what a finding calls the part, its lines), or no lines for a part without text."""
    if name.endswith("/"):
        return None, None
    if name == main:
        return None, list(_block_lines(_parse(archive.read(name))))
    for pattern, label in _PARTS:
        if pattern.search(name):
            return label, list(_block_lines(_parse(archive.read(name))))
    if _PROPERTIES.match(name):
        return "properties", _all_text(_parse(archive.read(name)))
    if _CUSTOM_XML.match(name):
        return "custom XML data", _all_text(_parse(archive.read(name)))
    if _SETTINGS.search(name):  # document variables: text a macro or a field may show
        root = _parse(archive.read(name))
        return "document variables", [str(v.get(W + "val", "")) for v in root.iter(W + "docVar")]
    if _SKIPPED.search(name):
        return None, None
    attachments.append(Attachment(posixpath.basename(name), archive.read(name), "embedded in the document",
                                  picture=bool(_PICTURES.search(name))))
    return None, None


def _parse(data: bytes) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise DocxError("a part is not well-formed XML") from error


def _all_text(root: etree._Element) -> list[str]:
    return [line for text in root.itertext() for line in text.splitlines() if line.strip()]


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _block_lines(element: etree._Element) -> Iterator[str]:
    """The lines of the paragraphs and tables under `element`, in document order."""
    for child in element:
        yield from _element_lines(child)


def _element_lines(element: etree._Element) -> Iterator[str]:
    name = _local(element)
    if name == "p":
        yield from _paragraph_lines(element)
    elif name == "tbl":
        yield from _table_lines(element)
    elif name:
        yield from _block_lines(element)  # bodies, content controls, tracked changes, notes


def _paragraph_lines(paragraph: etree._Element) -> Iterator[str]:
    texts: list[str] = []
    inner: list[etree._Element] = []
    _runs(paragraph, texts, inner)
    yield from "".join(texts).splitlines() or [""]
    for box in inner:  # text boxes anchored in the paragraph, and pictures' alt text
        if _local(box) == "docPr":
            yield from (t for t in (box.get("title"), box.get("descr")) if t)
        else:
            yield from _block_lines(box)


def _runs(element: etree._Element, texts: list[str], inner: list[etree._Element]) -> None:
    for child in element:
        name = _local(child)
        if name in {"t", "delText", "instrText", "delInstrText"}:
            texts.append(child.text or "")
        elif name == "tab":
            texts.append("\t")
        elif name in {"br", "cr"}:
            texts.append("\n")
        elif name == "noBreakHyphen":
            texts.append("-")
        elif name == "txbxContent" or child.tag == _WP_DOC_PR:
            inner.append(child)
        elif name:
            _runs(child, texts, inner)


def _table_lines(table: etree._Element) -> Iterator[str]:
    """A row as one line, its cells tab-separated; nested tables after their row."""
    for row in _children(table, "tr"):
        cells: list[str] = []
        after: list[str] = []
        for cell in _children(row, "tc"):
            parts: list[str] = []
            for child in cell:
                if _local(child) == "tbl":
                    after.extend(_table_lines(child))
                else:
                    parts.extend(_element_lines(child))
            cells.append(" ".join(parts))
        yield "\t".join(cells)
        yield from after


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    """`element`'s children called `name`, also those wrapped in a content control or a
    tracked change (a row inside `w:sdt`/`w:sdtContent`, `w:ins`, `w:customXml`)."""
    for child in element:
        local = _local(child)
        if local == name:
            yield child
        elif local in {"sdt", "sdtContent", "ins", "del", "customXml", "moveTo", "moveFrom"}:
            yield from _children(child, name)

