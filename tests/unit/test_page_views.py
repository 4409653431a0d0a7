"""The page analytics' pure parts: a browser's report of time on screen is checked, and page
views are summed per reader."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_BEAT_PAGES
from sharebound.domain.page_views import PageView, by_reader, check_beat, credited_seconds, parse_beat

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_a_report_gives_each_named_page_its_seconds() -> None:
    assert parse_beat(["1", "12"], ["12.46", "0"]) == {1: 12.5, 12: 0.0}


@pytest.mark.parametrize(("pages", "seconds", "field", "says"), [
    ([], [], "page", "name at least one page"),
    (["1"], [], "seconds", "one number of seconds for each page"),
    (["0"], ["1"], "page", "'0' is not a page number"),
    (["-1"], ["1"], "page", "'-1' is not a page number"),
    (["1e3"], ["1"], "page", "'1e3' is not a page number"),
    (["٣"], ["1"], "page", "is not a page number"),  # an Arabic-Indic digit is not ours
    (["1", "1"], ["1", "2"], "page", "page 1 is named twice"),
    (["1"], ["60.1"], "seconds", "from 0 to 60"),
    (["1"], ["-1"], "seconds", "from 0 to 60"),
    (["1"], ["nan"], "seconds", "from 0 to 60"),
    (["1"], ["inf"], "seconds", "from 0 to 60"),
    (["1"], ["ten"], "seconds", "from 0 to 60"),
    ([str(n) for n in range(1, MAX_BEAT_PAGES + 2)], ["1"] * (MAX_BEAT_PAGES + 1), "page",
     f"at most {MAX_BEAT_PAGES} pages"),
])
def test_a_bad_report_is_refused_naming_what_is_wrong(
    pages: list[str], seconds: list[str], field: str, says: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_beat(pages, seconds)

    assert list(refused.value.errors) == [field] and says in refused.value.errors[field]


def test_page_views_are_summed_per_reader_the_longest_reader_first() -> None:
    def view(person: str, page: int, views: int, seconds: float, minutes: int = 0) -> PageView:
        at = T0 + timedelta(minutes=minutes)
        return PageView("dis_1", person, page, at, at, views, seconds)

    readers = by_reader([view("gina", 2, 1, 5.0, 3), view("gina", 1, 2, 10.0), view("glen", 1, 1, 40.0, 1)])

    assert [(r.person_id, r.pages_opened, r.views, r.seconds) for r in readers] == [
        ("glen", 1, 1, 40.0), ("gina", 2, 3, 15.0)]
    gina = readers[1]
    assert [p.page for p in gina.pages] == [1, 2]
    assert (gina.first_seen, gina.last_seen) == (T0, T0 + timedelta(minutes=3))


@pytest.mark.parametrize(("claimed", "elapsed", "credited"), [
    (12.5, 15.0, 12.5),  # within the time that passed: as claimed
    (60.0, 5.0, 7.0),  # more than passed: the time that passed, + 2 s of slack
    (60.0, 0.0, 2.0),
    (0.0, 30.0, 0.0),
    (30.0, -10.0, 2.0),  # a clock behind the last send: the slack only
])
def test_a_report_is_credited_at_most_the_time_since_the_page_was_last_sent_or_reported(
    claimed: float, elapsed: float, credited: float
) -> None:
    assert credited_seconds(claimed, T0, T0 + timedelta(seconds=elapsed)) == credited


@pytest.mark.parametrize(("beat", "field"), [
    ({1: -0.5}, "seconds"), ({1: float("nan")}, "seconds"), ({1: float("inf")}, "seconds"),
    ({1: 61.0}, "seconds"), ({1: 10.0 ** 9}, "seconds"), ({0: 1.0}, "page"),
])
def test_a_report_given_to_the_service_is_checked_as_a_browser_s_is(
    beat: dict[int, float], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_beat(beat)

    assert list(refused.value.errors) == [field]
