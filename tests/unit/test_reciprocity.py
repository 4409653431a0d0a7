"""The give-and-take numbers: periods, breakdowns, the balance index, medians and the
suggestions, as pure functions (properties with Hypothesis, plus the edges by example)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharebound.domain.classification import Classification
from sharebound.domain.errors import InvalidInput
from sharebound.domain.reciprocity import (
    WEIGHTS,
    HealthFacts,
    Pair,
    Period,
    RequestFlow,
    Side,
    Tally,
    Window,
    balance_index,
    days,
    give_and_take,
    median,
    parse_window,
    period_start,
    periods,
    quarter_start,
    what_would_help,
)

TODAY = date(2026, 12, 7)
LEVELS = [Classification.PUBLIC, Classification.INTERNAL, Classification.CONFIDENTIAL]
counts = st.integers(min_value=0, max_value=10_000)
tallies = st.lists(st.builds(
    Tally, side=st.sampled_from(Side), day=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    classification=st.sampled_from(LEVELS),
    topics=st.frozensets(st.sampled_from(["thermal", "optics", "pricing"]), max_size=3),
    count=st.integers(min_value=1, max_value=50)), max_size=40)
windows = st.builds(lambda a, b, p: Window(min(a, b), max(a, b), p),
                    st.dates(date(2026, 1, 1), date(2026, 12, 31)),
                    st.dates(date(2026, 1, 1), date(2026, 12, 31)), st.sampled_from(Period))


@given(counts, counts)
def test_the_index_lies_between_0_and_1_and_swapping_sides_gives_its_complement(g: int, r: int) -> None:
    index, swapped = balance_index(g, r), balance_index(r, g)

    if g + r == 0:
        assert index is None and swapped is None
    else:
        assert index is not None and swapped is not None
        assert 0 <= index <= 1
        assert index + swapped == pytest.approx(1)


def test_the_index_reads_0_for_only_received_half_for_even_and_1_for_only_given() -> None:
    assert (balance_index(0, 5), balance_index(3, 3), balance_index(5, 0)) == (0, 0.5, 1)
    with pytest.raises(ValueError, match="never negative"):
        balance_index(-1, 2)


@given(tallies, windows)
def test_every_breakdown_adds_up_to_the_disclosures_counted_in_the_window(
    found: list[Tally], window: Window
) -> None:
    inside = [t for t in found if window.start <= t.day <= window.end]

    result = give_and_take(found, window)

    expected = Pair(sum(t.count for t in inside if t.side is Side.GIVEN),
                    sum(t.count for t in inside if t.side is Side.RECEIVED))
    assert result.total == expected
    assert _sum(b.pair for b in result.buckets) == expected
    assert _sum(p for _, p in result.by_classification) == expected
    assert result.weighted == Pair(
        sum(t.count * WEIGHTS[t.classification] for t in inside if t.side is Side.GIVEN),
        sum(t.count * WEIGHTS[t.classification] for t in inside if t.side is Side.RECEIVED))
    assert result.weighted_index is None or 0 <= result.weighted_index <= 1
    assert all(topic_pair.given <= expected.given for _, topic_pair in result.by_topic)


@given(tallies, windows)
def test_swapping_every_disclosures_side_swaps_the_index(found: list[Tally], window: Window) -> None:
    swapped = [Tally(Side.RECEIVED if t.side is Side.GIVEN else Side.GIVEN, t.day, t.classification,
                     t.topics, t.count) for t in found]

    one, other = give_and_take(found, window), give_and_take(swapped, window)

    if one.index is None:
        assert other.index is None
    else:
        assert other.index is not None and one.index + other.index == pytest.approx(1)
        assert one.weighted_index is not None and other.weighted_index is not None
        assert one.weighted_index + other.weighted_index == pytest.approx(1)


@given(windows)
def test_periods_cover_the_window_each_starting_a_week_or_a_month(window: Window) -> None:
    starts = periods(window)

    assert starts[0] <= window.start and starts[-1] <= window.end
    assert starts == sorted(set(starts))
    assert all(period_start(s, window.period) == s for s in starts)
    if window.period is Period.WEEK:
        assert all(s.weekday() == 0 for s in starts)
    else:
        assert all(s.day == 1 for s in starts)


def test_empty_periods_show_as_zero_bars_and_weeks_are_labelled_by_their_monday() -> None:
    window = Window(date(2026, 11, 18), date(2026, 12, 7), Period.WEEK)
    one = Tally(Side.GIVEN, date(2026, 12, 2), Classification.INTERNAL, frozenset(), 2)

    result = give_and_take([one], window)

    assert [(b.label, b.pair) for b in result.buckets] == [
        ("2026-11-16", Pair()), ("2026-11-23", Pair()), ("2026-11-30", Pair(2, 0)),
        ("2026-12-07", Pair())]
    assert result.by_topic == (("(no topic)", Pair(2, 0)),)


def test_a_window_defaults_to_twelve_weeks_or_months_up_to_today() -> None:
    weeks = parse_window(None, None, None, TODAY)
    months = parse_window(None, "2026-03-15", "month", TODAY)

    assert (weeks.start, weeks.end, weeks.period) == (date(2026, 9, 21), TODAY, Period.WEEK)
    assert len(periods(weeks)) == 12
    assert (months.start, months.end) == (date(2025, 4, 1), date(2026, 3, 15))
    assert len(periods(months)) == 12


@pytest.mark.parametrize(("start", "end", "period", "errors"), [
    ("2026-12-07", "2026-12-01", None, {"to": "must be on or after from"}),
    (None, None, "year", {"period": "must be week or month"}),
    ("12/01/2026", "soon", "day", {"period": "must be week or month", "to": "must be a date, YYYY-MM-DD",
                                   "from": "must be a date, YYYY-MM-DD"}),
    ("2020-01-01", "2026-12-01", None, {"from": "the window may span at most 1098 days"}),
])
def test_a_bad_window_names_every_bad_field(start: str | None, end: str | None, period: str | None,
                                            errors: dict[str, str]) -> None:
    with pytest.raises(InvalidInput) as bad:
        parse_window(start, end, period, TODAY)

    assert bad.value.errors == errors


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=30))
def test_the_median_has_as_many_durations_at_or_below_it_as_at_or_above(seconds: list[int]) -> None:
    durations = [timedelta(seconds=s) for s in seconds]

    middle = median(durations)

    assert middle is not None
    assert sum(d <= middle for d in durations) >= len(durations) / 2
    assert sum(d >= middle for d in durations) >= len(durations) / 2


def test_no_answer_has_no_median_and_reads_as_a_dash() -> None:
    assert median([]) is None
    assert (days(None), days(timedelta(hours=36)), days(timedelta(days=1))) == ("—", "1.5 days", "1.0 day")


def test_the_quarter_starts_on_the_first_of_january_april_july_or_october() -> None:
    assert [quarter_start(date(2026, m, 15)).month for m in (1, 3, 4, 8, 12)] == [1, 1, 4, 7, 10]


def _facts(**changes: object) -> HealthFacts:
    facts = dict(today=TODAY, quarter=Pair(3, 3), asked_by_us=RequestFlow(), asked_of_us=RequestFlow(),
                 last_given=datetime(2026, 12, 1), last_received=None, nda_ends=date(2027, 12, 1),
                 in_force=True, copies_due=0, copies_due_on=None, notices_waiting=0)
    facts.update(changes)
    return HealthFacts(**facts)  # type: ignore[arg-type]


@pytest.mark.parametrize(("changes", "tip"), [
    ({"quarter": Pair(1, 9)}, "You have received 9 and given 1 this quarter: is there something you "
                              "could share back?"),
    ({"quarter": Pair(6, 1)}, "You have given 6 and received 1 this quarter: ask your partner for "
                              "what you need with a request."),
    ({"quarter": Pair(0, 0)}, "Nothing was shared either way this quarter: the NDA is in force, so "
                              "share what helps the partnership."),
    ({"asked_of_us": RequestFlow(asked=2, open=2, overdue=2)},
     "2 requests asked of you are overdue: answer or decline."),
    ({"notices_waiting": 1}, "1 notice to your organization waits for an answer."),
    ({"copies_due": 1, "copies_due_on": date(2027, 1, 5)}, "1 return of copies is due by 2027-01-05."),
    ({"nda_ends": date(2027, 1, 31)}, "The NDA ends on 2027-01-31: renew it, or plan the return of copies."),
])
def test_what_would_help_names_the_number_behind_each_suggestion(changes: dict[str, object],
                                                                 tip: str) -> None:
    assert what_would_help(_facts(**changes)) == [tip]


def test_an_even_quarter_with_nothing_pending_needs_no_suggestion() -> None:
    assert what_would_help(_facts(quarter=Pair(2, 1))) == []


def _sum(pairs: object) -> Pair:
    total = Pair()
    for p in pairs:  # type: ignore[attr-defined]
        total = Pair(total.given + p.given, total.received + p.received)
    return total
