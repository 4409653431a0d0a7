"""Office Open XML packages (DOCX, XLSX, PPTX): which one a ZIP is, and whether it is safe to open.

The kind comes from the content type `[Content_Types].xml` gives the package's main part
(`xl/workbook.xml` is only where Excel usually puts it): a workbook with macros (XLSM, PPTM)
is told apart from one without by that content type alone, whatever the file is called.

`problem_with_package` reads only the ZIP's directory and the few XML parts it must (content
types, relationships, the sheets' rows, streamed and counted), never loading the document
whole: a sheet of a million rows is refused after counting, not after building a million rows.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

import pptx
from lxml import etree  # type: ignore[import-untyped]  # why: it ships no type hints

from sharebound.adapters.zip_reading import _declared_entries
from sharebound.domain.limits import (
    MAX_OFFICE_MEDIA_BYTES,
    MAX_SHEET_ROWS,
    MAX_SLIDES,
    MAX_SPREADSHEET_CELLS,
)
from sharebound.domain.media_types import DOCX, OTHER, PPTM, PPTX, XLSM, XLSX

# why so many kinds: zipfile, zlib and lxml raise each of these on a damaged or odd package (an
# encrypted entry is a RuntimeError, an unknown compression method a NotImplementedError)
BROKEN = (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, KeyError, RuntimeError,
          NotImplementedError, etree.XMLSyntaxError)
_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": XLSM,
    "application/vnd.ms-excel.template.macroEnabled.main+xml": XLSM,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": PPTM,
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml": PPTM,
}
_MOST_CONTENT_TYPES = 1_048_576  # why: a real [Content_Types].xml is a few KB; past 1 MB it is no index
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_HYPERLINK = "/hyperlink"  # why: a link a reader clicks; it fetches nothing by itself
# why: libxml2 would otherwise fetch a DTD or expand entities a hostile file declares
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
NAMES = {DOCX: "a Word document", XLSX: "an Excel workbook", PPTX: "a PowerPoint presentation"}


def kind(file: BinaryIO) -> str | None:
    """DOCX, XLSX, XLSM, PPTX or PPTM when `file` (a seekable ZIP) is that Office package; OTHER
    for another Office package; None when it is no Office package. The position is kept at 0."""
    try:
        if _declared_entries(file) > 100_000:  # why: no document has that many parts; don't list them
            return None
        with zipfile.ZipFile(file) as archive:
            if "[Content_Types].xml" not in archive.namelist():
                return None
            found = kind_of(archive) if not oversized(archive) else _kind_by_names(archive.namelist())
            if found is None and "word/document.xml" in archive.namelist():
                return DOCX
    except BROKEN:
        return DOCX if _names_docx(file) else None
    finally:
        file.seek(0)
    return found or OTHER


def oversized(archive: zipfile.ZipFile) -> bool:
    """Whether its [Content_Types].xml is too big to be read (`package_problem` refuses it)."""
    return archive.getinfo("[Content_Types].xml").file_size > _MOST_CONTENT_TYPES


def _kind_by_names(names: list[str]) -> str | None:
    """The kind its parts' names suggest, for a package whose content types are not read (it is
    then refused, naming them, by `package_problem`; or as macros, when it has a macro project)."""
    macros = any(posixpath.basename(n) == "vbaProject.bin" for n in names)
    if any(n.startswith("xl/") for n in names):
        return XLSM if macros else XLSX
    if any(n.startswith("ppt/") for n in names):
        return PPTM if macros else PPTX
    return DOCX if any(n.startswith("word/") for n in names) else None


def _names_docx(file: BinaryIO) -> bool:
    """Whether the ZIP has a Word document's parts (a DOCX whose content types are damaged
    is still a DOCX: the checks then say what is wrong with it)."""
    try:
        with zipfile.ZipFile(file) as archive:
            return {"[Content_Types].xml", "word/document.xml"} <= set(archive.namelist())
    except BROKEN:
        return False
    finally:
        file.seek(0)


@dataclass(frozen=True)
class PackageLimits:
    parts: int
    unpacked_bytes: int
    cells: int = MAX_SPREADSHEET_CELLS
    sheet_rows: int = MAX_SHEET_ROWS
    slides: int = MAX_SLIDES
    media_bytes: int = MAX_OFFICE_MEDIA_BYTES


# why: XML compresses about 10:1 and images not at all; a part that grows a hundredfold (and is
# big enough to matter) is a zip bomb, not a document
BOMB_RATIO, BOMB_FLOOR = 100, 1024 * 1024


def package_problem(archive: zipfile.ZipFile, limits: PackageLimits, noun: str) -> str | None:
    """What is wrong with the package's directory: too many parts, a zip bomb, too big unpacked."""
    parts = archive.infolist()
    if len(parts) > limits.parts:
        return f"is {noun} of {len(parts)} parts; the most we accept is {limits.parts}"
    if "[Content_Types].xml" in archive.namelist() and oversized(archive):
        found = archive.getinfo("[Content_Types].xml").file_size
        return (f"is {noun} whose [Content_Types].xml (the list of its parts' types) is "
                f"{size(found)}; a real one is a few KB, and the most we read is "
                f"{size(_MOST_CONTENT_TYPES)}: open it in its program, save it again and upload again")
    # zipfile never unpacks more than a part declares, so the declared sizes bound the work
    bomb = next((p for p in parts if p.file_size > BOMB_FLOOR
                 and p.file_size > BOMB_RATIO * max(p.compress_size, 1)), None)
    if bomb is not None:
        return (f"is a zip bomb, not {noun}: its part {bomb.filename} would grow from "
                f"{size(bomb.compress_size)} to {size(bomb.file_size)} when unpacked")
    unpacked = sum(p.file_size for p in parts)
    if unpacked > limits.unpacked_bytes:
        return (f"is {noun} that would unpack to {size(unpacked)}; the most we unpack "
                f"is {size(limits.unpacked_bytes)}")
    return None


def problem_with_office(file: BinaryIO, media_type: str, limits: PackageLimits) -> str | None:
    """Why the XLSX or PPTX in `file` cannot be handled safely, or None (XLSM and PPTM never can)."""
    if media_type in (XLSM, PPTM):
        return macros(media_type)
    noun = NAMES[media_type]
    damaged = (f"is a damaged {noun.split(' ', 1)[1]}: it cannot be read as "
               f"{'an' if media_type == XLSX else 'a'} {media_type_word(media_type)} (zip) file")
    try:
        with zipfile.ZipFile(file) as archive:
            problem = package_problem(archive, limits, noun)
            if problem is not None:
                return problem
            found = kind_of(archive)
            if found in (XLSM, PPTM):  # declared as the plain kind, but its content says macros
                return macros(found)
            if found != media_type:
                return f"is not {noun}: it has no {media_type_word(media_type)} main part"
            problem = _big_media(archive, limits, noun) or (
                _slides(archive, limits) if media_type == PPTX else None)
            if problem is not None:
                return problem
            if archive.testzip() is not None:  # every part unpacks (within the bounds above) to its checksum
                return damaged
            problem = _linked(archive, noun) or (_sheets(archive, limits) if media_type == XLSX else None)
            if problem is not None:
                return problem
    except BROKEN:
        return damaged
    if media_type == PPTX:  # what stamping and view only open it with must open it too
        file.seek(0)
        try:
            pptx.Presentation(file)
        except Exception:  # why: whatever python-pptx trips on, the deck cannot be stamped or shown
            return damaged
    return None


def macros(media_type: str) -> str:
    word, plain = ("an Excel workbook", "Excel Workbook (.xlsx)") if media_type == XLSM else (
        "a PowerPoint presentation", "PowerPoint Presentation (.pptx)")
    return (f"is {word} with macros ({media_type_word(media_type)}): a macro would run on the "
            f"recipient's computer, so we do not accept macros; save it as {plain} and upload again")


def media_type_word(media_type: str) -> str:
    return {DOCX: "DOCX", XLSX: "XLSX", XLSM: "XLSM", PPTX: "PPTX", PPTM: "PPTM"}[media_type]


def kind_of(archive: zipfile.ZipFile) -> str | None:
    """The kind its main part's content type names, or None."""
    info = archive.getinfo("[Content_Types].xml")
    if info.file_size > _MOST_CONTENT_TYPES:
        return None
    root = etree.fromstring(archive.read(info), PARSER)
    for override in root.iter(_CT + "Override"):
        found = _MAIN_TYPES.get(str(override.get("ContentType", "")).strip())
        if found is not None:
            return found
    return None


def _linked(archive: zipfile.ZipFile, noun: str) -> str | None:
    """Links to other files that the reader's program would open (external workbooks, linked
    pictures or objects): refused, since they fetch or expose what is outside the document."""
    if any(n.startswith("xl/externalLinks/") for n in archive.namelist()):
        return (f"is {noun} with links to other workbooks (external links): break the links "
                "(in Excel: Data, Edit Links, Break Link) and upload again")
    for name in archive.namelist():
        if not name.endswith(".rels"):
            continue
        for rel in etree.fromstring(archive.read(name), PARSER).iter(_RELS + "Relationship"):
            if rel.get("TargetMode") == "External" and not str(rel.get("Type", "")).endswith(_HYPERLINK):
                return (f"is {noun} that links to a file outside it ({str(rel.get('Target', ''))[:200]}): "
                        "embed what it links to, or remove the link, and upload again")
    return None


def _big_media(archive: zipfile.ZipFile, limits: PackageLimits, noun: str) -> str | None:
    for info in archive.infolist():
        inside = f"/{info.filename}"
        if ("/media/" in inside or "/embeddings/" in inside) and info.file_size > limits.media_bytes:
            found, most = size(info.file_size), size(limits.media_bytes)
            if found == most:  # why: "50 MB; the most we accept is 50 MB" would read as no reason
                found, most = f"{info.file_size:,} bytes", f"{limits.media_bytes:,} bytes"
            return (f"is {noun} whose embedded file {posixpath.basename(info.filename)} is "
                    f"{found}; the most we accept for one embedded file is "
                    f"{most}: make it smaller, or share it as a file of its own")
    return None


def sheet_parts(archive: zipfile.ZipFile) -> list[str]:
    return sorted(n for n in archive.namelist()
                  if n.startswith("xl/worksheets/") and n.endswith(".xml") and n.count("/") == 2)


_ROW = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_CHUNK = 1_048_576  # why: unpack a sheet 1 MiB at a time: memory stays flat however long it is
_OVERLAP = 64  # why: longer than any tag name a row or a cell starts with, prefix included


def _count(data: bytes, name: bytes, pattern: re.Pattern[bytes]) -> int:
    """How many `<name` elements start in `data`: by bytes.count (fast) where the XML writes
    no namespace prefixes, as Excel does; by the pattern where it does."""
    if b":" + name in data:
        return len(pattern.findall(data))
    if name == b"row":  # why: rowBreaks is the one other sheet element whose name starts with "row"
        return data.count(b"<row") - data.count(b"<rowBreaks")
    return data.count(b"<c ") + data.count(b"<c>") + data.count(b"<c/")


def _sheets(archive: zipfile.ZipFile, limits: PackageLimits) -> str | None:
    """Rows and cells counted as each sheet's XML streams past, in the raw bytes (a parser
    building elements took seconds for 200,000 rows; counting takes a fraction of one)."""
    cells = 0
    for name in sheet_parts(archive):
        rows, tail = 0, b""
        with archive.open(name) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                window = tail + chunk
                # why: a tag cut by the chunk's end is counted with the next chunk
                done = len(window) if not chunk else max(0, window.rfind(b"<", len(window) - _OVERLAP))
                counted = window[:done]
                rows += _count(counted, b"row", _ROW)
                cells += _count(counted, b"c", _CELL)
                tail = window[done:]
                if rows > limits.sheet_rows:
                    return (f"is an Excel workbook with a sheet of more than {limits.sheet_rows:,} rows "
                            f"({posixpath.basename(name)}); the most we accept is "
                            f"{limits.sheet_rows:,} rows a sheet: split it, or share it as CSV")
                if cells > limits.cells:
                    return (f"is an Excel workbook of more than {limits.cells:,} cells; the most "
                            f"we accept is {limits.cells:,} cells: split it, or share it as CSV")
                if not chunk:
                    break
    return None


def _slides(archive: zipfile.ZipFile, limits: PackageLimits) -> str | None:
    slides = [n for n in archive.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml")]
    if len(slides) > limits.slides:
        return (f"is a PowerPoint presentation of {len(slides)} slides; the most we accept is "
                f"{limits.slides}: split it into several presentations")
    return None


def size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    return f"{count / 1_048_576:,.0f} MB" if count >= 1_048_576 else f"{count / 1024:,.0f} KB"
