"""Every text an XLSX or a PPTX carries, for the content gate, read from its XML (zipfile + lxml).

XLSX:
- each sheet, in the workbook's order, a page named after it ("sheet “Costs”"), a row a
  line (line N is row N), its cells tab-separated: the value as stored (a shared string, an
  inline string, a number) and, for a formula, the formula's text after it (`=SUM(A1:A3)`),
  never evaluated; read as a stream, so a large sheet is never held whole;
- each sheet's headers and footers, comments (old and threaded), drawings' text boxes and
  shapes, charts' titles and cached labels, pivot caches (the data a pivot table was made
  from: it travels in the file even when no sheet shows it), defined names, properties;
PPTX:
- each slide, in the deck's order, a page named "slide N", a paragraph a line (tables'
  cells and grouped shapes included), and pictures' alt text; its notes ("notes of slide
  N"); comments, slide masters and layouts (their placeholder text shows on slides), charts,
  properties;
both: embedded files (`embeddings/`) are returned to the caller, which reads each by its own
type; pictures (`media/`) too, marked as pictures; every other XML part is read generically
(`generic_lines`: elements' text, attributes' values), so is what a sheet or a slide holds
outside its cells and paragraphs, and every shared string no cell shows; any other part,
neither a picture, a font nor printer settings, is returned as a file of its own (read by its
type, or reported as one the gate cannot read): no part is skipped unsaid.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator

from lxml import etree  # type: ignore[import-untyped]  # why: it ships no type hints

from sharebound.adapters import ooxml
from sharebound.adapters.text_docx import Attachment, DocxError
from sharebound.domain.gate import Page
from sharebound.domain.media_types import XLSX

_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_PICTURES = re.compile(r"(^|/)media/|^docProps/thumbnail\.")
_EMBEDDED = re.compile(r"(^|/)embeddings/")
_XLSX_PARTS = [  # (name pattern, what a finding calls it, how its text is read)
    (re.compile(r"^xl/(comments[^/]*|comments/.*|threadedComments/.*)\.xml$"), "comments", "text"),
    (re.compile(r"^xl/drawings/drawing\d*\.xml$"), "drawings", "paragraphs"),
    (re.compile(r"^xl/charts/chart\d*\.xml$"), "charts", "text"),
    (re.compile(r"^xl/pivotCache/.*\.xml$"), "pivot table data", "values"),
    (re.compile(r"^docProps/[^/]+\.xml$"), "properties", "text"),
    (re.compile(r"^customXml/item\d+\.xml$"), "custom XML data", "text"),
]
_PPTX_PARTS = [
    (re.compile(r"^ppt/(comments/.*|commentAuthors)\.xml$"), "comments", "text"),
    (re.compile(r"^ppt/slideMasters/.*\.xml$"), "slide masters", "paragraphs"),
    (re.compile(r"^ppt/slideLayouts/.*\.xml$"), "slide layouts", "paragraphs"),
    (re.compile(r"^ppt/charts/chart\d*\.xml$"), "charts", "text"),
    (re.compile(r"^docProps/[^/]+\.xml$"), "properties", "text"),
    (re.compile(r"^customXml/item\d+\.xml$"), "custom XML data", "text"),
]


class _Full(Exception):
    """The character budget is spent."""


class _Pages:
    """Pages gathered within `max_chars`; `complete` turns False when the budget stops them."""

    def __init__(self, max_chars: int) -> None:
        self.pages: list[Page] = []
        self.left = max_chars
        self.complete = True
        self.read: set[str] = {"[Content_Types].xml"}  # parts read whole (by their own reader)

    def add(self, lines: list[str] | Iterator[str], part: str, *, keep_empty: bool = False) -> None:
        kept: list[str] = []
        for line in lines:
            self.left -= len(line) + 1
            if self.left < 0:
                self.complete = False
                self._flush(kept, part)
                raise _Full
            kept.append(line)
        if keep_empty or any(line.strip() for line in kept):
            self._flush(kept, part)

    def _flush(self, lines: list[str], part: str) -> None:
        self.pages.append(Page("\n".join(lines), None, part))


def read_office(content: bytes, media_type: str, max_chars: int) -> tuple[list[Page], list[Attachment], bool]:
    """(pages, embedded files, complete) of an XLSX or PPTX; DocxError when it cannot be read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise DocxError(type(error).__name__) from error
    pages = _Pages(max_chars)
    attachments: list[Attachment] = []
    try:
        with archive:
            try:
                if media_type == XLSX:
                    _workbook(archive, pages)
                else:
                    _deck(archive, pages)
                for name in sorted(archive.namelist()):
                    if name not in pages.read:
                        _other_part(archive, name, media_type, pages, attachments)
            except _Full:
                pass
    except etree.XMLSyntaxError as error:
        raise DocxError("a part is not well-formed XML") from error
    except ooxml.BROKEN as error:
        raise DocxError(type(error).__name__) from error
    return pages.pages, attachments, pages.complete


def xml(archive: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(archive.read(name), ooxml.PARSER)


def targets(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """The relationships of `part`: id → (type's last word, the target's path in the package)."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in archive.namelist():
        return {}
    found = {}
    for rel in xml(archive, rels).iter(_RELS + "Relationship"):
        target = str(rel.get("Target", ""))
        path = (target.lstrip("/") if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target)))
        found[str(rel.get("Id", ""))] = (str(rel.get("Type", "")).rsplit("/", 1)[-1], path)
    return found


# --- XLSX -------------------------------------------------------------------------------------------

def workbook_sheets(archive: zipfile.ZipFile, book: etree._Element) -> list[tuple[str, str]]:
    """(name, part) of each sheet in the workbook's order; a chart sheet's part is under
    xl/chartsheets/, a missing one is empty."""
    found = targets(archive, "xl/workbook.xml")
    names = set(archive.namelist())
    listed = [(str(s.get("name", "")), found.get(str(s.get(_R + "id", "")), ("", ""))[1])
              for s in book.iter(_S + "sheet")]
    return [(name, part if part in names else "") for name, part in listed]


def _workbook(archive: zipfile.ZipFile, pages: _Pages) -> None:
    book = xml(archive, "xl/workbook.xml")
    strings = shared_strings(archive)
    used: set[int] = set()
    for title, part in workbook_sheets(archive, book):
        if part.startswith("xl/worksheets/") and part not in pages.read:
            pages.read.add(part)
            rest: list[etree._Element] = []
            pages.add(_sheet_rows(archive, part, strings, used, rest), f"sheet \u201c{title}\u201d",
                      keep_empty=True)
            footers = [header_text("".join(h.itertext()))
                       for h in iter_elements(archive, part, _S + "headerFooter")]
            pages.add((line for text in footers for line in _lines(text)),
                      f"sheet \u201c{title}\u201d, headers and footers")
            # its other text: data validations' lists and prompts, hyperlinks, protection's names
            pages.add([line for root in rest for line in generic_lines(root, skip=_SHEET_READ)],
                      f"sheet \u201c{title}\u201d, other text")
    pages.add([f"{d.get('name', '')}\t{d.text or ''}" for d in book.iter(_S + "definedName")],
              "defined names")
    pages.add(generic_lines(book, skip=(_S + "definedNames",)), "workbook")
    pages.read.add("xl/workbook.xml")
    # why every string: one no cell refers to still travels in the file (and any tool shows it)
    pages.add([text for index, text in enumerate(strings) if index not in used and text.strip()],
              "shared strings no cell shows")
    pages.read.add("xl/sharedStrings.xml")


def shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = xml(archive, "xl/sharedStrings.xml")
    return ["".join(t.text or "" for t in item.iter(_S + "t")) for item in root.iter(_S + "si")]


def _sheet_rows(archive: zipfile.ZipFile, part: str, strings: list[str], used: set[int],
                rest: list[etree._Element]) -> Iterator[str]:
    """Line N is row N: its cells' values (and formulas), tab-separated. The shared strings
    the cells show are added to `used`; the sheet's root (its rows emptied) to `rest`."""
    line = 0
    for row in iter_elements(archive, part, (_S + "row", _S + "worksheet")):
        if row.tag == _S + "worksheet":  # the last: the whole sheet but its rows' contents
            rest.append(row)
            return
        number = int(row.get("r") or line + 1)
        while line < number - 1:
            line += 1
            yield ""
        line = number
        cells = list(row.iter(_S + "c"))
        used.update(int((cell.findtext(_S + "v") or "").strip()) for cell in cells
                    if cell.get("t") == "s" and (cell.findtext(_S + "v") or "").strip().isdigit())
        yield "\t".join(cell_text(cell, strings) for cell in cells)
        row.clear()


def cell_text(cell: etree._Element, strings: list[str]) -> str:
    """A cell's value as stored; a formula's text after it."""
    value = cell.find(_S + "v")
    kind = cell.get("t")
    if kind == "inlineStr":
        text = "".join(t.text or "" for t in cell.iter(_S + "t"))
    elif kind == "s" and value is not None and (value.text or "").strip().isdigit():
        index = int((value.text or "").strip())
        text = strings[index] if index < len(strings) else ""
    else:
        text = value.text or "" if value is not None else ""
    formula = cell.find(_S + "f")
    if formula is not None and formula.text:
        text = f"{text} ={formula.text}".strip()
    return text


def iter_elements(archive: zipfile.ZipFile, part: str,
                  tag: str | tuple[str, ...]) -> Iterator[etree._Element]:
    """The `tag` elements of `part`, parsed as a stream."""
    with archive.open(part) as stream:
        for _, element in etree.iterparse(stream, events=("end",), tag=tag, resolve_entities=False,
                                          no_network=True, load_dtd=False, huge_tree=False):
            yield element


_CODES = re.compile(r'&(?:"[^"]*"|K[0-9A-Fa-f]{6}|\d+|[A-Za-z]|&)')


def header_text(coded: str) -> str:
    """A header's or footer's text without Excel's codes (`&L` left, `&"Arial,Bold"`, `&&` for &)."""
    return _CODES.sub(lambda code: "&" if code.group() == "&&" else " ", coded)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# --- PPTX -------------------------------------------------------------------------------------------

def slide_parts(archive: zipfile.ZipFile) -> list[str]:
    """The slides' parts in the deck's order (presentation.xml's list, through its relationships)."""
    found = targets(archive, "ppt/presentation.xml")
    deck = xml(archive, "ppt/presentation.xml")
    names = set(archive.namelist())
    ordered = [found.get(str(s.get(_R + "id", "")), ("", ""))[1] for s in deck.iter(_P + "sldId")]
    return [part for part in ordered if part in names]


def slide_lines(root: etree._Element) -> list[str]:
    """A paragraph a line, in the order the shapes are drawn; pictures' alt text after them."""
    lines = ["".join(t.text or "" for t in p.iter(_A + "t", _A + "fld")) for p in root.iter(_A + "p")]
    described = [str(c.get(k)) for c in root.iter(_P + "cNvPr") for k in ("title", "descr") if c.get(k)]
    return [line for line in lines + described if line.strip()]


def _deck(archive: zipfile.ZipFile, pages: _Pages) -> None:
    for number, part in enumerate(slide_parts(archive), start=1):
        root = xml(archive, part)
        pages.read.add(part)
        pages.add(slide_lines(root), f"slide {number}", keep_empty=True)
        pages.add(generic_lines(root, skip=_SLIDE_READ), f"slide {number}, other text")
        for kind, target in targets(archive, part).values():
            if kind == "notesSlide" and target in archive.namelist() and target not in pages.read:
                pages.read.add(target)
                notes = xml(archive, target)
                pages.add(slide_lines(notes), f"notes of slide {number}")
                pages.add(generic_lines(notes, skip=_SLIDE_READ), f"notes of slide {number}, other text")


# --- the other parts ------------------------------------------------------------------------------

def _other_part(archive: zipfile.ZipFile, name: str, media_type: str, pages: _Pages,
                attachments: list[Attachment]) -> None:
    if name.endswith("/"):
        return
    if _EMBEDDED.search(name) or _PICTURES.search(name):
        attachments.append(Attachment(posixpath.basename(name), archive.read(name),
                                      "embedded in the document", picture=bool(_PICTURES.search(name))))
        return
    for pattern, label, how in (_XLSX_PARTS if media_type == XLSX else _PPTX_PARTS):
        if pattern.search(name):
            root = xml(archive, name)
            if how == "values":  # a pivot cache keeps its data in attributes (`<s v="Acme"/>`)
                lines = [str(e.get("v")) for e in root.iter() if e.get("v")]
            elif how == "paragraphs":
                lines = slide_lines(root)
            else:
                lines = [line for text in root.itertext() for line in _lines(text)]
            pages.add(lines, label)
            return
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in posixpath.basename(name) else ""
    if extension in _NO_TEXT or name.endswith("vbaProject.bin") or _NO_TEXT_PARTS.search(name):
        return
    if extension in _IMAGES:
        attachments.append(Attachment(posixpath.basename(name), archive.read(name),
                                      "embedded in the document", picture=True))
        return
    data = archive.read(name)
    if extension in _XML:
        try:
            root = etree.fromstring(data, ooxml.PARSER)
        except etree.XMLSyntaxError:
            root = None  # why: Excel's VML is not always well-formed: read as a file of its own below
        if root is not None:
            pages.add(generic_lines(root), f"part {name}")
            return
    # a part of no type we know: read by its own type, or reported as one the gate cannot read
    attachments.append(Attachment(posixpath.basename(name), data, f"the part {name}"))


_XML = {".xml", ".rels", ".vml"}
# why: pictures, fonts and printer settings carry no text a reader sees (pictures' metadata is
# read: they are attached as pictures)
_IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".wdp", ".jxr"}
_NO_TEXT = {".fntdata", ".odttf", ".ttf", ".otf"}
_NO_TEXT_PARTS = re.compile(r"(^|/)printerSettings/[^/]+\.bin$|(^|/)fonts/[^/]+$")
# why: names and hashes that identify or protect parts, never text a reader sees
_NOISE = {"id", "Id", "uid", "embed", "link", "Type", "ContentType", "PartName", "Extension",
          "hashValue", "saltValue", "spinCount", "algorithmName", "uri", "Requires", "Ignorable"}
_SHEET_READ = (_S + "sheetData", _S + "headerFooter")
_SLIDE_READ = (_A + "t", _A + "fld")


def generic_lines(root: etree._Element, skip: tuple[str, ...] = ()) -> list[str]:
    """Every text an XML part holds, element by element: each element's text, and the values of
    its attributes that have a letter in them (`v="Acme"`, `connection="…Password=…"`),
    except those of `skip`'s elements (read elsewhere) and names that only identify parts."""
    lines: list[str] = []
    stack = [root]
    while stack:
        element = stack.pop()
        if element is not root:  # text after an element is its parent's
            lines += _lines(element.tail or "")
        if not isinstance(element.tag, str) or element.tag in skip:  # a comment, or read elsewhere
            continue
        lines += _lines(element.text or "")
        for name, value in element.attrib.items():
            local = str(name).rsplit("}", 1)[-1]
            if local in _NOISE or (local == "Target" and element.get("TargetMode") != "External"):
                continue  # why a Target inside the package: only the name of a part
            if any(c.isalpha() for c in str(value)):
                lines += _lines(str(value))
        stack.extend(reversed(element))
    return lines
