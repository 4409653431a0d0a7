"""The export's rules without a database: the options parsed (every bad one named), the CSV
form (RFC 4180) and spreadsheet formulas neutralised, whatever the text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharebound.domain.errors import InvalidInput
from sharebound.domain.exports import (
    FORMULA_STARTS,
    ROWS_PER_CHUNK,
    ExportDirection,
    ExportFormat,
    ExportKind,
    cell,
    csv_chunks,
    neutralised,
    parse_ask,
    printed,
)


def _refused(kind: ExportKind = ExportKind.REGISTER, **fields: str) -> dict[str, str]:
    with pytest.raises(InvalidInput) as refused:
        parse_ask(kind, fields, agreement_id="agr_1")
    return refused.value.errors


def test_nothing_asked_is_the_whole_register_as_csv() -> None:
    ask = parse_ask(ExportKind.REGISTER, {}, partnership_id="prt_1")

    assert ask.format is ExportFormat.CSV and ask.filters.direction is ExportDirection.BOTH
    assert ask.filters.described() == {"direction": "both"}


def test_the_filters_are_read_and_a_topic_normalized() -> None:
    ask = parse_ask(ExportKind.REGISTER, {"format": "pdf", "from": "2026-01-01", "to": "2026-01-31",
                                          "direction": "received", "classification": "internal",
                                          "topic": "  Thermal   Drift "}, agreement_id="agr_1")

    assert ask.format is ExportFormat.PDF
    assert ask.filters.date_from == date(2026, 1, 1) and ask.filters.topic == "thermal drift"
    assert ask.filters.ends == datetime(2026, 2, 1, tzinfo=UTC)  # the last day is included


def test_every_bad_option_is_named_at_once() -> None:
    errors = _refused(format="xlsx", **{"from": "2026-02-01", "to": "2026-01-01"}, direction="sideways",
                      classification="secret")

    assert set(errors) == {"format", "to", "direction", "classification"}
    assert "wrong way round" in errors["to"] and "csv or pdf" in errors["format"]


@pytest.mark.parametrize("day", ["2026-13-01", "01/02/2026", "2026-1-1", "yesterday", "2026-01-01T00:00"])
def test_a_day_not_written_yyyy_mm_dd_is_refused(day: str) -> None:
    assert "from" in _refused(**{"from": day})


@pytest.mark.parametrize("topic", ["a\x00b", "two\nlines", "x" * 65, "%", "--"])
def test_a_topic_that_no_item_can_carry_is_refused(topic: str) -> None:
    assert "topic" in _refused(topic=topic)


def test_the_access_report_is_only_of_what_was_given() -> None:
    assert "direction" in _refused(ExportKind.ACCESS, direction="received")
    assert parse_ask(ExportKind.ACCESS, {}, agreement_id="agr_1").filters.direction is ExportDirection.GIVEN


def test_an_export_is_of_an_agreement_or_a_partnership() -> None:
    with pytest.raises(InvalidInput):
        parse_ask(ExportKind.REGISTER, {}, agreement_id="agr_1", partnership_id="prt_1")


@given(st.text())
def test_no_cell_starts_like_a_formula(text: str) -> None:
    written = neutralised(text)

    assert not written.startswith(FORMULA_STARTS) or written.startswith("'")
    assert written in (text, "'" + text)


@given(st.lists(st.lists(st.text(), min_size=3, max_size=3), max_size=30))
def test_the_csv_reads_back_as_written_with_crlf_line_ends(rows: list[list[str]]) -> None:
    data = b"".join(csv_chunks(("a", "b", "c"), [rows]))

    read = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))

    assert read == [["a", "b", "c"], *[[neutralised(c) for c in row] for row in rows]]
    assert data.endswith(b"\r\n")


def test_the_rows_are_sent_in_chunks_as_they_come() -> None:
    rows = [[str(n)] for n in range(ROWS_PER_CHUNK * 2 + 1)]

    chunks = list(csv_chunks(("n",), [rows[:ROWS_PER_CHUNK], rows[ROWS_PER_CHUNK:]]))

    assert len(chunks) == 3


def test_values_are_written_plainly() -> None:
    at = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)

    assert cell(at) == "2026-12-07T09:30:00Z" and printed(at) == "2026-12-07 09:30:00Z"
    assert cell(None) == "" and cell(("b", "a")) == "a; b" and cell(3) == "3"
    assert cell(("-x", "a")) == "'-x; a"
