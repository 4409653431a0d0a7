"""A recipient's name stamps as written in every script: Latin, Greek, Cyrillic, CJK, Arabic,
Hebrew; in a PDF as extractable text, in an image as glyphs, never as boxes."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from PIL import Image, ImageChops

from sharebound.adapters.stamping import fonts, images
from sharebound.adapters.stamping.pdf import stamp_pdf
from sharebound.adapters.stamping.reading import pdf_text
from sharebound.domain.stamps import Stamp, new_copy_id
from tests.files import make_image, make_pdf

NAMES = ["Łukasz Żółć", "Ελένη", "Дмитрий", "王小明", "محمد", "דוד"]


def _stamp(name: str) -> Stamp:
    return Stamp("Acme", name, "Globex", "agreement-1", 1, datetime(2027, 1, 1, tzinfo=UTC), new_copy_id())


@pytest.mark.parametrize("name", NAMES)
def test_a_pdf_stamp_reads_back_the_recipients_name_exactly(name: str) -> None:
    stamp = _stamp(name)

    stamped = stamp_pdf(io.BytesIO(make_pdf(pages=2)), stamp)

    pages = pdf_text(stamped)
    assert all(name in page and f"copy {stamp.copy_id}" in page for page in pages)
    assert all(stamp.short() in page for page in pages)  # the diagonal mark, name first


@pytest.mark.parametrize("name", NAMES)
def test_every_letter_of_the_name_has_a_glyph_in_the_stamp_fonts(name: str) -> None:
    for char in name.replace(" ", ""):
        assert any(ord(char) in font.characters for font in fonts.installed()), char


@pytest.mark.parametrize("name", NAMES)
def test_an_image_stamp_draws_the_name_not_missing_glyph_boxes(name: str) -> None:
    boxes = "\U000f0000" * len(name)  # a private-use character no stamp font has: drawn as boxes

    drawn, missing = images._mark(name, 40), images._mark(boxes, 40)

    assert drawn.getbbox() is not None
    if drawn.size == missing.size:
        assert ImageChops.difference(drawn, missing).getbbox() is not None
    stamped = images.stamp_image(io.BytesIO(make_image("PNG")), _stamp(name))
    assert Image.open(io.BytesIO(stamped)).format == "PNG"


def test_right_to_left_names_are_shown_in_visual_order_inside_a_left_to_right_line() -> None:
    shown = fonts.runs("to محمد (Globex)")

    assert [(run.text, run.rtl) for run in shown][1] == ("محمد", True)
    assert "".join(run.text for run in shown) == "to محمد (Globex)"
