"""DOCX stamps (python-docx): the stamp line in the header and the footer of every section
(first-page and even-page variants too, where the document uses them), and the copy id as
the document's `identifier` core property. A watermark template's header or footer position
stamps only that part, in the template's size."""

from __future__ import annotations

import io
import zipfile
from typing import BinaryIO

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Pt

from sharebound.adapters.stamping.errors import StampError
from sharebound.domain.stamps import Stamp
from sharebound.domain.watermark import Position


def stamp_docx(source: BinaryIO, stamp: Stamp) -> bytes:
    document = open_docx(source)
    line = stamp.line()
    # why: a DOCX has no diagonal mark of ours; a template's diagonal stamps both, as always
    where = stamp.template.position if stamp.template is not None else Position.DIAGONAL
    size = Pt(stamp.template.size) if stamp.template is not None else None
    stamped: set[str] = set()
    for section in document.sections:
        parts = [("header", section.header), ("footer", section.footer)]
        if section.different_first_page_header_footer:
            parts += [("first header", section.first_page_header),
                      ("first footer", section.first_page_footer)]
        if document.settings.odd_and_even_pages_header_footer:
            parts += [("even header", section.even_page_header),
                      ("even footer", section.even_page_footer)]
        for kind, part in parts:
            if part.is_linked_to_previous and kind in stamped:
                continue  # why: it shows the previous section's part, which is stamped already
            is_header = kind.endswith("header")
            if (where is Position.HEADER and not is_header) or (where is Position.FOOTER and is_header):
                continue
            part.is_linked_to_previous = False
            paragraphs = part.paragraphs
            if is_header and paragraphs:
                added = paragraphs[0].insert_paragraph_before(line)
            else:
                added = part.add_paragraph(line)
            if size is not None:
                for run in added.runs:
                    run.font.size = size
            stamped.add(kind)
    document.core_properties.identifier = stamp.copy_id
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def paragraphs(source: BinaryIO) -> list[str]:
    """The body's paragraphs as text (what view only shows of a DOCX)."""
    return [p.text for p in open_docx(source).paragraphs]


def copy_id_and_headers(source: BinaryIO) -> tuple[str | None, str]:
    """The identifier property, and the text of every header and footer."""
    document = open_docx(source)
    texts: list[str] = []
    for section in document.sections:
        for part in (section.header, section.footer, section.first_page_header,
                     section.first_page_footer, section.even_page_header, section.even_page_footer):
            if not part.is_linked_to_previous:
                texts.extend(p.text for p in part.paragraphs)
    return document.core_properties.identifier or None, "\n".join(texts)


def open_docx(source: BinaryIO) -> docx.document.Document:
    try:
        return docx.Document(source)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise StampError("the DOCX is damaged: it cannot be stamped") from error
