"""XLSX stamps, written into the package's XML: the recipient in the header and the footer of
every sheet (odd, even and first pages alike, so whichever the workbook prints shows it), the
copy id as the `identifier` core property and the `SharboundCopy` custom property.

Only those parts change; every other part is copied as it is, so formulas stay formulas with
the results Excel saved beside them (never evaluated), and charts, shapes, pivot tables and
extensions stay as they were. A sheet's rows are never parsed: the sheet is parsed with its
`sheetData` left out, and the rows are put back as they were, so a stamp costs about a copy
of the file (openpyxl's load and save took 7 s for 80,000 cells, and dropped shapes).

Excel holds a header or footer to 255 characters, codes included: the stamp is the short form
(recipient, org, copy) in the header and the full line in the footer, shortened to fit, in the
centre section, the sheet's own centre text after it where it fits; `&` is written `&&`,
since a lone one starts a formatting code.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import BinaryIO

from lxml import etree  # type: ignore[import-untyped]  # why: it ships no type hints

from sharebound.adapters import ooxml, text_office
from sharebound.adapters.stamping.errors import StampError
from sharebound.domain.stamps import Stamp

COPY_PROPERTY = "SharboundCopy"  # why: the name the image stamps use for the same value
MAX_HEADER = 255  # why: Excel refuses (calls the file damaged) a longer header or footer
_VARIANTS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")
# The elements a worksheet or chart sheet may hold after headerFooter (ECMA-376 CT_Worksheet,
# CT_Chartsheet): a new headerFooter goes before the first of them
_AFTER = frozenset({"rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors",
                    "smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture",
                    "oleObjects", "controls", "webPublishItems", "tableParts", "extLst"})
_SHEET_DATA = re.compile(rb"<((?:[\w.-]+:)?sheetData)\b")
_CODE = re.compile(r"&&|&[LCR]")
_DC = "{http://purl.org/dc/elements/1.1/}"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # why: the one format id custom properties use
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"


def stamp_xlsx(source: BinaryIO, stamp: Stamp) -> bytes:
    try:
        with zipfile.ZipFile(source) as archive:
            return _stamped(archive, stamp)
    except ooxml.BROKEN as error:
        raise StampError("the XLSX is damaged: it cannot be stamped") from error


def _stamped(archive: zipfile.ZipFile, stamp: Stamp) -> bytes:
    names = archive.namelist()
    book = text_office.xml(archive, "xl/workbook.xml")
    changed = {part: _stamp_sheet(archive.read(part), stamp)
               for _, part in text_office.workbook_sheets(archive, book) if part}
    if "docProps/core.xml" in names:
        changed["docProps/core.xml"] = _core(archive.read("docProps/core.xml"), stamp.copy_id)
    if "docProps/custom.xml" in names:
        changed["docProps/custom.xml"] = _custom(archive.read("docProps/custom.xml"), stamp.copy_id)
    else:
        changed["docProps/custom.xml"] = _custom(None, stamp.copy_id)
        changed["[Content_Types].xml"] = _with_custom_type(archive.read("[Content_Types].xml"))
        changed["_rels/.rels"] = _with_custom_rel(archive.read("_rels/.rels"))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            data = changed.pop(info.filename, None)
            target.writestr(info, archive.read(info) if data is None else data, zipfile.ZIP_DEFLATED)
        for name, data in changed.items():  # parts the package did not have (custom properties)
            target.writestr(name, data)
    return out.getvalue()


def without_rows(data: bytes) -> tuple[bytes, bytes, bytes]:
    """(the sheet with an empty placeholder for its rows, the placeholder, the rows as written):
    the rest of a sheet is small, its rows may be tens of MB."""
    found = _SHEET_DATA.search(data)
    if found is None:
        return data, b"", b""
    close = data.rfind(b"sheetData>")
    end = close + len(b"sheetData>") if close > found.end() else data.index(b"/>", found.end()) + 2
    placeholder = b"<" + found.group(1) + b"/>"
    return data[:found.start()] + placeholder + data[end:], placeholder, data[found.start():end]


def _stamp_sheet(data: bytes, stamp: Stamp) -> bytes:
    """The sheet with the stamp in its headerFooter; its rows (sheetData) are never parsed."""
    data, placeholder, rows = without_rows(data)
    root = etree.fromstring(data, ooxml.PARSER)
    _header_footer(root, stamp)
    tree = root.getroottree()
    written = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=tree.docinfo.standalone)
    if placeholder:
        if written.count(placeholder) != 1:
            raise StampError("the XLSX sheet cannot be stamped: its rows could not be put back")
        written = written.replace(placeholder, rows, 1)
    return bytes(written)


def _header_footer(root: etree._Element, stamp: Stamp) -> None:
    ns = root.tag.split("}", 1)[0] + "}" if root.tag.startswith("{") else ""
    parts = root.find(ns + "headerFooter")
    if parts is None:
        parts = etree.Element(ns + "headerFooter")
        after = next((child for child in root if etree.QName(child).localname in _AFTER), None)
        if after is None:
            root.append(parts)
        else:
            after.addprevious(parts)
    texts = {}
    for variant in _VARIANTS:
        existing = parts.find(ns + variant)
        texts[variant] = existing.text or "" if existing is not None else ""
        if existing is not None:
            parts.remove(existing)
    for variant in _VARIANTS:  # why: the schema fixes their order
        element = etree.SubElement(parts, ns + variant)
        element.text = _with_stamp(texts[variant], stamp, footer=variant.endswith("Footer"))


def _with_stamp(coded: str, stamp: Stamp, *, footer: bool) -> str:
    """A header's or footer's text with the stamp first in its centre section."""
    sections = _sections(coded)
    room = MAX_HEADER - sum(len(text) + 2 for key, text in sections.items() if key != "C" and text) - 2
    own = sections.get("C", "")
    mark = _fitted(stamp, room, full=footer)
    sections["C"] = f"{mark}\n{own}" if own and len(mark) + 1 + len(own) <= room else mark
    return "".join(f"&{key}{sections[key]}" for key in "LCR" if sections.get(key))


def _sections(coded: str) -> dict[str, str]:
    """The left, centre and right sections of a header (text before any code is the centre's)."""
    sections: dict[str, str] = {}
    key, start = "C", 0
    for code in _CODE.finditer(coded):
        if code.group() == "&&":
            continue
        sections[key] = sections.get(key, "") + coded[start:code.start()]
        key, start = code.group()[1], code.end()
    sections[key] = sections.get(key, "") + coded[start:]
    return sections


def _escaped(text: str) -> str:
    return text.replace("&", "&&")


def _fitted(stamp: Stamp, room: int, *, full: bool) -> str:
    """The stamp in `room` characters: the whole line (footers) or the short form (headers),
    else the copy id first and as much of the short form as fits."""
    for text in ([stamp.line()] if full else []) + [stamp.short()]:
        if len(_escaped(text)) <= room:
            return _escaped(text)
    shortest = _escaped(f"copy {stamp.copy_id} \u00b7 {stamp.short()}")[:max(room, 0)]
    return shortest[:-1] if re.search(r"(?<!&)(&&)*&$", shortest) else shortest


def _core(data: bytes, copy_id: str) -> bytes:
    root = etree.fromstring(data, ooxml.PARSER)
    identifier = root.find(_DC + "identifier")
    if identifier is None:
        identifier = etree.SubElement(root, _DC + "identifier", nsmap={"dc": _DC[1:-1]})
    identifier.text = copy_id
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _custom(data: bytes | None, copy_id: str) -> bytes:
    root = (etree.fromstring(data, ooxml.PARSER) if data is not None
            else etree.Element(f"{{{_CUSTOM}}}Properties", nsmap={None: _CUSTOM, "vt": _VT}))
    for old in [p for p in root if p.get("name") == COPY_PROPERTY]:
        root.remove(old)
    pids = [int(p.get("pid")) for p in root if str(p.get("pid", "")).isdigit()]
    prop = etree.SubElement(root, f"{{{_CUSTOM}}}property", fmtid=_FMTID,
                            pid=str(max(pids, default=1) + 1), name=COPY_PROPERTY)
    etree.SubElement(prop, f"{{{_VT}}}lpwstr").text = copy_id
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _with_custom_type(data: bytes) -> bytes:
    root = etree.fromstring(data, ooxml.PARSER)
    ns = root.tag.split("}", 1)[0] + "}"
    etree.SubElement(root, ns + "Override", PartName="/docProps/custom.xml", ContentType=_CUSTOM_TYPE)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _with_custom_rel(data: bytes) -> bytes:
    root = etree.fromstring(data, ooxml.PARSER)
    ns = root.tag.split("}", 1)[0] + "}"
    taken = {rel.get("Id") for rel in root}
    number = 1
    while f"rIdSharebound{number}" in taken:
        number += 1
    etree.SubElement(root, ns + "Relationship", Id=f"rIdSharebound{number}", Type=_CUSTOM_REL,
                     Target="docProps/custom.xml")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))
