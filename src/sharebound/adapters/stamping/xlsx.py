"""XLSX stamps (openpyxl): the recipient in the header and the footer of every sheet (odd,
even and first pages alike, so whichever the workbook prints shows it), the copy id as the
`identifier` core property and the `SharboundCopy` custom property.

The workbook is loaded as written (not `data_only`): formulas stay formulas, never evaluated;
their cached results are dropped, and Excel computes them again on opening. Excel holds a
header or footer to 255 characters, codes included: the stamp is the short form (recipient,
org, copy) in the header and the full line in the footer, shortened to fit; `&` is written
`&&`, since a lone one starts a formatting code.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

import openpyxl
from openpyxl.packaging.custom import StringProperty

from sharebound.adapters.stamping.errors import StampError
from sharebound.domain.stamps import Stamp

COPY_PROPERTY = "SharboundCopy"  # why: the name the image stamps use for the same value
MAX_HEADER = 255  # why: Excel refuses (calls the file damaged) a longer header or footer
_CODE = 2  # why: a section starts with its code, &L, &C or &R
_VARIANTS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")


def stamp_xlsx(source: BinaryIO, stamp: Stamp) -> bytes:
    workbook = _open(source)
    for sheet in workbook.worksheets:
        parts = _header_footer(sheet)
        for variant in _VARIANTS:
            part = getattr(parts, variant)
            # why: the 255 characters hold all three sections, each with its code (&L, &C, &R)
            room = MAX_HEADER - _length(part.left) - _length(part.right) - 3 * _CODE
            center = part.center
            room -= _length(center) - len(center.text or "")  # its font, size and colour codes
            center.text = _joined(_fitted(stamp, room, full=variant.endswith("Footer")), center.text, room)
    properties = workbook.custom_doc_props
    for existing in [p for p in properties if p.name == COPY_PROPERTY]:
        properties.props.remove(existing)
    properties.append(StringProperty(name=COPY_PROPERTY, value=stamp.copy_id))
    workbook.properties.identifier = stamp.copy_id
    out = io.BytesIO()
    with quiet():
        workbook.save(out)
    return out.getvalue()


def _length(section: Any) -> int:
    """The characters a header's section takes, codes included (none when it is empty)."""
    return len(str(section)) if section.text else 0


def _header_footer(sheet: Any) -> Any:
    """A worksheet's HeaderFooter, or a chart sheet's (openpyxl names them differently)."""
    return sheet.HeaderFooter if hasattr(sheet, "HeaderFooter") else sheet.headerFooter


def _escaped(text: str) -> str:
    return text.replace("&", "&&")


def _fitted(stamp: Stamp, room: int, *, full: bool) -> str:
    """The stamp in `room` characters: the whole line (footers) or the short form (headers),
    else the copy id first and as much of the short form as fits."""
    for text in ([stamp.line()] if full else []) + [stamp.short()]:
        if len(_escaped(text)) <= room:
            return _escaped(text)
    shortest = _escaped(f"copy {stamp.copy_id} \u00b7 {stamp.short()}")[:max(room, 0)]
    return shortest.removesuffix("&") if shortest.endswith("&") and not shortest.endswith("&&") else shortest


def _joined(stamp_text: str, existing: str | None, room: int) -> str:
    """The stamp first; the sheet's own text after it where both fit, else the stamp alone."""
    if existing and len(stamp_text) + 1 + len(existing) <= room:
        return f"{stamp_text}\n{existing}"
    return stamp_text


def _open(source: BinaryIO) -> Any:
    try:
        with quiet():
            return openpyxl.load_workbook(source, data_only=False, keep_vba=False, keep_links=True,
                                          rich_text=True)
    except Exception as error:  # why: whatever openpyxl trips on (it was not opened on upload), no stamp
        raise StampError("the XLSX is damaged: it cannot be stamped") from error


@contextmanager
def quiet() -> Iterator[None]:
    """openpyxl warns of each extension it does not read (data validation lists, slicers)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        yield
