"""Watermark templates: validation names each bad value, the copy id is always written, and
any valid template renders to one line that tracing reads."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import WATERMARK_MAX_PT, WATERMARK_MIN_OPACITY, WATERMARK_MIN_PT
from sharebound.domain.stamps import Stamp, copy_id_of, find_copy_id, stamp_text
from sharebound.domain.watermark import (
    SAMPLE,
    Position,
    WatermarkField,
    WatermarkValues,
    make_template,
    render_line,
    resolve,
    template_note,
    template_of,
)

VALUES = WatermarkValues(recipient_name="Jo Smith", recipient_email="jo@globex.example",
                         recipient_org="Globex", at=datetime(2026, 12, 7, 5, 30, tzinfo=UTC),
                         copy_id=copy_id_of(987654321), ip="198.51.100.4")

fields_st = st.lists(st.sampled_from(list(WatermarkField)), unique=True)
templates_st = st.builds(
    lambda fields, position, size, opacity, text: make_template(
        [f.value for f in fields], position.value, size, opacity,
        text if WatermarkField.CUSTOM_TEXT in fields else ""),
    fields_st, st.sampled_from(list(Position)),
    st.floats(min_value=WATERMARK_MIN_PT, max_value=WATERMARK_MAX_PT),
    st.floats(min_value=WATERMARK_MIN_OPACITY, max_value=1.0),
    st.text(alphabet=st.characters(categories=["L", "N", "Zs", "P"]), min_size=1, max_size=50)
    .filter(lambda t: t.strip() != ""))
# why one line: names and orgs are single-line fields (domain.values.single_line)
one_line = st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
                   min_size=1, max_size=40)
values_st = st.builds(
    WatermarkValues, recipient_name=one_line,
    recipient_email=st.emails(), recipient_org=one_line,
    at=st.datetimes(timezones=st.just(UTC)), copy_id=st.integers(0, 32**11 - 1).map(copy_id_of),
    ip=st.one_of(st.none(), st.ip_addresses().map(str)))


def test_a_footer_template_writes_the_chosen_fields_in_their_order_then_the_copy_id() -> None:
    template = make_template(["recipient_email", "recipient_name", "ip", "custom_text"], "footer",
                             8, 0.5, "Do not forward")

    line = render_line(template, VALUES)

    assert line == (f"jo@globex.example · Jo Smith · IP 198.51.100.4 · Do not forward · "
                     f"copy {VALUES.copy_id}")
    assert template.written[-1] is WatermarkField.COPY_ID
    assert template_note(template) is not None  # the preview says the copy id was added


def test_a_chosen_copy_id_stays_where_it_was_put_and_no_note_is_needed() -> None:
    template = make_template(["copy_id", "datetime"], "header", 10, 1.0)

    assert render_line(template, VALUES) == f"copy {VALUES.copy_id} · 2026-12-07 05:30 UTC"
    assert template_note(template) is None


@given(templates_st, values_st)
def test_any_valid_template_renders_one_line_that_tracing_reads_back(template, values) -> None:  # type: ignore[no-untyped-def]
    line = render_line(template, values)

    assert WatermarkField.COPY_ID in template.written
    assert "\n" not in line and f"copy {values.copy_id}" in line
    assert find_copy_id(f"copy {values.copy_id}") == values.copy_id


@given(templates_st)
def test_a_template_survives_the_store_unchanged(template) -> None:  # type: ignore[no-untyped-def]
    assert template_of(template.data()) == template


@given(templates_st, values_st)
def test_a_stamp_with_a_template_keeps_the_copy_id_in_its_text_copy(template, values) -> None:  # type: ignore[no-untyped-def]
    stamp = Stamp(discloser="Acme", recipient_name=values.recipient_name,
                  recipient_org=values.recipient_org, agreement_id="agr_1", agreement_version=1,
                  at=values.at, copy_id=values.copy_id, recipient_email=values.recipient_email,
                  ip=values.ip, template=template)

    text = stamp_text("body\n", stamp)

    assert f"copy {values.copy_id}" in text
    assert text.startswith(stamp.line()) == (template.position is not Position.FOOTER)
    assert text.rstrip("\n").endswith(stamp.line()) == (template.position is not Position.HEADER)


@pytest.mark.parametrize(("given_values", "field", "says"), [
    ({"fields": ["name"]}, "fields", "'name' is not a field"),
    ({"fields": ["ip", "ip"]}, "fields", "ip is chosen twice"),
    ({"fields": "ip"}, "fields", "must be a list"),
    ({"position": "margin"}, "position", "diagonal, footer or header"),
    ({"size": WATERMARK_MAX_PT + 1}, "size", "from 4 to 72 pt"),
    ({"size": "big"}, "size", "must be a number"),
    ({"size": float("nan")}, "size", "from 4 to 72 pt"),
    ({"opacity": 0.01}, "opacity", "from 0.05 to 1"),
    ({"opacity": True}, "opacity", "must be a number"),
    ({"fields": ["custom_text"]}, "custom_text", "is required when custom_text"),
    ({"custom_text": "Hello"}, "custom_text", "not one of the fields"),
    ({"fields": ["custom_text"], "custom_text": "two\nlines"}, "custom_text", "one line"),
    ({"fields": ["custom_text"], "custom_text": "x" * 201}, "custom_text", "at most 200"),
])
def test_a_bad_value_is_refused_naming_its_field(given_values: dict[str, object], field: str,
                                                 says: str) -> None:
    data: dict[str, object] = {"fields": ["recipient_name"], "position": "footer", "size": 9,
                               "opacity": 0.5, "custom_text": ""} | given_values

    with pytest.raises(InvalidInput) as refused:
        make_template(data["fields"], data["position"], data["size"], data["opacity"],
                      data["custom_text"])

    assert says in refused.value.errors[field]


def test_every_bad_value_is_named_at_once() -> None:
    with pytest.raises(InvalidInput) as refused:
        make_template(["nope"], "margin", 1000, 5)

    assert set(refused.value.errors) == {"fields", "position", "size", "opacity"}


def test_the_agreements_template_wins_over_the_orgs_and_none_means_the_default_stamp() -> None:
    org = make_template(["recipient_name"], "footer", 8, 1.0)
    agreement = make_template(["recipient_email"], "header", 8, 1.0)

    assert resolve(agreement, org) is agreement
    assert resolve(None, org) is org
    assert resolve(None, None) is None


def test_the_preview_sample_carries_a_valid_copy_id() -> None:
    assert find_copy_id(f"copy {SAMPLE.copy_id}") == SAMPLE.copy_id
