"""PPTX stamps (python-pptx): on every slide a footer line naming the recipient and the copy,
and a large slanted mark across it (recipient, org, copy) that a screenshot cannot leave out;
the copy id as the `identifier` core property. Both are text boxes named `Sharebound stamp`
and `Sharebound mark`, drawn above everything else the slide holds."""

from __future__ import annotations

import io
from typing import BinaryIO

import pptx
from lxml import etree  # type: ignore[import-untyped]  # why: it ships no type hints
from pptx.dml.color import RGBColor
from pptx.presentation import Presentation
from pptx.slide import Slide
from pptx.util import Emu, Pt

from sharebound.adapters.stamping.errors import StampError
from sharebound.domain.stamps import Stamp

FOOTER_POINTS = 8  # why: small enough to stay out of the slide's way, large enough to read
MARK_POINTS = 28  # why: readable across a projected or photographed slide
MARK_ALPHA = 35_000  # why: 35% opaque (OOXML counts in thousandths of a percent): the slide shows through
SLANT = 330  # why: degrees clockwise; a diagonal no crop removes without cutting the slide
GREY = RGBColor.from_string("808080")  # type: ignore[no-untyped-call]  # why: untyped in python-pptx
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_DEFAULT_SIZE = (Emu(9_144_000), Emu(6_858_000))  # why: a 10 x 7.5 inch slide, python-pptx's default


def stamp_pptx(source: BinaryIO, stamp: Stamp) -> bytes:
    deck = _open(source)
    width = deck.slide_width or _DEFAULT_SIZE[0]
    height = deck.slide_height or _DEFAULT_SIZE[1]
    for slide in deck.slides:
        _footer(slide, stamp.line(), Emu(width), Emu(height))
        _mark(slide, stamp.short(), Emu(width), Emu(height))
    deck.core_properties.identifier = stamp.copy_id
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _footer(slide: Slide, line: str, width: Emu, height: Emu) -> None:
    margin, tall = Emu(width // 40), Emu(Pt(FOOTER_POINTS * 2.2))
    box = slide.shapes.add_textbox(margin, Emu(height - tall - margin // 2), Emu(width - 2 * margin), tall)
    box.name = "Sharebound stamp"
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = line
    run.font.size = Pt(FOOTER_POINTS)
    run.font.color.rgb = GREY


def _mark(slide: Slide, short: str, width: Emu, height: Emu) -> None:
    tall = Emu(Pt(MARK_POINTS * 2))
    box = slide.shapes.add_textbox(Emu(width // 10), Emu((height - tall) // 2), Emu(width * 8 // 10), tall)
    box.name = "Sharebound mark"
    box.rotation = SLANT
    frame = box.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = 2  # why: PP_ALIGN.CENTER; the enum's stubs type it loosely
    run = paragraph.add_run()
    run.text = short
    run.font.size = Pt(MARK_POINTS)
    run.font.bold = True
    run.font.color.rgb = GREY
    colour = run.font._rPr.find(f"{{{_A}}}solidFill/{{{_A}}}srgbClr")
    if colour is not None:  # why: python-pptx has no transparency; OOXML's alpha is a child of the colour
        etree.SubElement(colour, f"{{{_A}}}alpha").set("val", str(MARK_ALPHA))


def _open(source: BinaryIO) -> Presentation:
    try:
        return pptx.Presentation(source)
    except Exception as error:  # why: whatever python-pptx trips on, the deck cannot be stamped
        raise StampError("the PPTX is damaged: it cannot be stamped") from error
