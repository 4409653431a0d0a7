"""A PDF copy's stamp is built once and drawn on every page; what depends only on the fonts
and the words is made once per process (bench/bench_stamp.py measures the speed)."""

from __future__ import annotations

import io

import pikepdf

from sharebound.adapters.stamping import pdf_text as typesetting
from sharebound.adapters.stamping import stamp
from sharebound.adapters.stamping.reading import pdf_text
from tests.files import PDF, a_stamp, make_pdf


def _stamp_forms(stamped: bytes) -> list[tuple[int, int]]:
    """The Form XObject each page draws its stamp from, by object number."""
    with pikepdf.open(io.BytesIO(stamped)) as pdf:
        found = []
        for page in pdf.pages:
            xobjects = page.obj.Resources.XObject
            forms = [xobjects[name].objgen for name in list(xobjects.keys()) if name.startswith("/SbS")]
            assert len(forms) == 1
            found.append(forms[0])
        return found


def test_every_page_of_a_copy_draws_one_and_the_same_stamp_form() -> None:
    mark = a_stamp()

    stamped = stamp(io.BytesIO(make_pdf(pages=12)), PDF, mark)

    forms = _stamp_forms(stamped)
    assert len(set(forms)) == 1
    assert all(mark.copy_id in text for text in pdf_text(stamped))


def test_pages_of_another_size_or_rotation_get_a_form_of_their_own() -> None:
    mark = a_stamp()
    original = make_pdf(pages=2)
    with pikepdf.open(io.BytesIO(original)) as pdf:
        pdf.pages[1].obj.MediaBox = pikepdf.Array([0, 0, 842, 595])
        mixed = io.BytesIO()
        pdf.save(mixed)

    stamped = stamp(io.BytesIO(mixed.getvalue()), PDF, mark)

    assert len(set(_stamp_forms(stamped))) == 2
    assert all(mark.copy_id in text for text in pdf_text(stamped))


def test_a_page_that_already_names_something_sbstamp_keeps_it_and_the_stamp_gets_another_name() -> None:
    mark = a_stamp()
    with pikepdf.open(io.BytesIO(make_pdf(pages=1))) as pdf:
        own = pdf.make_stream(b"0 0 m 10 10 l S", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                              BBox=pikepdf.Array([0, 0, 10, 10]))
        pdf.pages[0].add_resource(own, pikepdf.Name.XObject, name=pikepdf.Name("/SbStamp"))
        taken = io.BytesIO()
        pdf.save(taken)

    stamped = stamp(io.BytesIO(taken.getvalue()), PDF, mark)

    with pikepdf.open(io.BytesIO(stamped)) as pdf:
        xobjects = pdf.pages[0].obj.Resources.XObject
        assert bytes(xobjects["/SbStamp"].read_bytes()) == b"0 0 m 10 10 l S"
        assert len(list(xobjects.keys())) == 2
    assert mark.copy_id in pdf_text(stamped)[0]


def test_a_second_copy_reuses_the_shaped_words_and_the_embedded_font_of_the_first() -> None:
    first, second = a_stamp(copy_number=1), a_stamp(copy_number=2)
    stamp(io.BytesIO(make_pdf()), PDF, first)
    embedded, shaped = typesetting._embedding.cache_info(), typesetting._shape_word.cache_info()

    stamped = stamp(io.BytesIO(make_pdf()), PDF, second)

    assert typesetting._embedding.cache_info().misses == embedded.misses  # no font subset or compressed again
    assert typesetting._shape_word.cache_info().hits > shaped.hits
    assert second.copy_id in pdf_text(stamped)[0]
