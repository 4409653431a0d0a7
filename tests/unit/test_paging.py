"""The cursor and the page request: what `?limit=&after=` accept, and what they refuse."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharebound.domain.errors import BadPageRequest
from sharebound.domain.limits import PAGE_DEFAULT, PAGE_MAX
from sharebound.domain.paging import PageRequest, cut, decode_cursor, encode_cursor, parse_page_request

times = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=40)


@given(times, ids)
def test_a_cursor_gives_back_the_sort_key_it_was_made_of(at: datetime, ident: str) -> None:
    assert decode_cursor(encode_cursor((at, ident))) == (at, ident)


@given(st.integers(min_value=0, max_value=10**12))
def test_a_cursor_of_a_sequence_number_gives_it_back(seq: int) -> None:
    assert decode_cursor(encode_cursor((seq,))) == (seq,)


@pytest.mark.parametrize("text", ["", "%%%", "AQ", "Ag", "AWQyMDI2", "A" * 300, "AXgxMg"])
def test_anything_but_a_cursor_we_gave_is_a_bad_page_request_naming_after(text: str) -> None:
    with pytest.raises(BadPageRequest) as bad:
        decode_cursor(text)

    assert list(bad.value.errors) == ["after"] and bad.value.status == 400


def test_the_limit_defaults_and_is_bounded() -> None:
    assert parse_page_request() == PageRequest(limit=PAGE_DEFAULT)
    assert parse_page_request(str(PAGE_MAX)).limit == PAGE_MAX
    for wrong in ("0", str(PAGE_MAX + 1), "-1", "ten", "1.5"):
        with pytest.raises(BadPageRequest) as bad:
            parse_page_request(wrong)
        assert list(bad.value.errors) == ["limit"]


def test_a_bad_limit_and_a_bad_cursor_are_named_together() -> None:
    with pytest.raises(BadPageRequest) as bad:
        parse_page_request("0", "nonsense")

    assert sorted(bad.value.errors) == ["after", "limit"]


@given(st.integers(min_value=0, max_value=30), st.integers(min_value=1, max_value=10))
def test_cut_shows_at_most_limit_rows_and_says_more_follow_only_when_they_do(n: int, limit: int) -> None:
    rows = list(range(n, 0, -1))  # newest first, as a keyset query reads them (limit + 1 at most)
    request = PageRequest(limit=limit)

    page = cut(rows[:limit + 1], request, lambda r: (r,))

    assert page.rows == rows[:limit]
    assert (page.after is not None) == (n > limit)
    assert page.before is None
