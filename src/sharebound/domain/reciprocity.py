"""Give and take: what an org gave a partnership and what it received, over time, by
classification and by topic, and the balance between the two (docs/reciprocity.md).

The database counts (GROUP BY day, classification and topics); these functions turn the
counts into periods, breakdowns and indexes. Nothing here reads a clock: `today` is a
parameter.

    balance index = given ÷ (given + received)        0: only received · ½: even · 1: only given
    weighted      = the same with each disclosure counted at its classification's WEIGHT
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sharebound.domain.classification import Classification
from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_RECIPROCITY_DAYS

#: What one disclosure weighs in the weighted index, by the classification it was disclosed at.
#: why: each level up costs the discloser more to share (more review, more risk if it leaks),
#: so sharing one confidential item counts as much as four public ones. `restricted` is never
#: disclosed; it is here so that every level has a weight.
WEIGHTS: dict[Classification, int] = {
    Classification.PUBLIC: 1,
    Classification.INTERNAL: 2,
    Classification.CONFIDENTIAL: 4,
    Classification.RESTRICTED: 8,
}
NO_TOPIC = "(no topic)"  # a disclosure of an item without topics, in the by-topic breakdown
DEFAULT_WEEKS = 12  # why: a quarter of weeks, the span of a quarterly partner review
DEFAULT_MONTHS = 12  # why: a year of months shows the seasons of a partnership
QUARTER_MONTHS = 3


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"


class Side(StrEnum):
    GIVEN = "given"
    RECEIVED = "received"


@dataclass(frozen=True, slots=True)
class Tally:
    """How many disclosures one side made on one day at one classification with one set of
    topics (one row of the database's GROUP BY)."""

    side: Side
    day: date
    classification: Classification
    topics: frozenset[str]
    count: int


@dataclass(frozen=True, slots=True)
class Window:
    start: date  # the first day counted
    end: date  # the last day counted (inclusive)
    period: Period


@dataclass(frozen=True, slots=True)
class Pair:
    given: int = 0
    received: int = 0

    def add(self, side: Side, count: int) -> Pair:
        if side is Side.GIVEN:
            return Pair(self.given + count, self.received)
        return Pair(self.given, self.received + count)


@dataclass(frozen=True, slots=True)
class Bucket:
    start: date  # the period's first day (a Monday, or the 1st of a month)
    label: str  # "2026-12-07" (the week of) or "2026-12"
    pair: Pair


@dataclass(frozen=True, slots=True)
class GiveAndTake:
    window: Window
    buckets: tuple[Bucket, ...]  # every period of the window, empty ones included, oldest first
    by_classification: tuple[tuple[Classification, Pair], ...]  # public, internal, confidential
    by_topic: tuple[tuple[str, Pair], ...]  # most shared first; a disclosure counts in each topic
    total: Pair
    weighted: Pair  # each disclosure counted at WEIGHTS[classification]

    @property
    def index(self) -> float | None:
        return balance_index(self.total.given, self.total.received)

    @property
    def weighted_index(self) -> float | None:
        return balance_index(self.weighted.given, self.weighted.received)


def balance_index(given: float, received: float) -> float | None:
    """given ÷ (given + received): 0 only received, 0.5 even, 1 only given; None when nothing
    was shared either way (no balance to speak of)."""
    if given < 0 or received < 0:
        raise ValueError("counts are never negative")
    if given + received == 0:
        return None
    return given / (given + received)


def period_start(day: date, period: Period) -> date:
    if period is Period.WEEK:
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period(start: date, period: Period) -> date:
    if period is Period.WEEK:
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def label(start: date, period: Period) -> str:
    return start.isoformat() if period is Period.WEEK else start.strftime("%Y-%m")


def periods(window: Window) -> list[date]:
    """The first day of every period the window touches, oldest first."""
    found, start = [], period_start(window.start, window.period)
    while start <= window.end:
        found.append(start)
        start = next_period(start, window.period)
    return found


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // QUARTER_MONTHS * QUARTER_MONTHS + 1, 1)


def parse_window(start: str | None, end: str | None, period: str | None, today: date) -> Window:
    """The window a caller asked for (`from`, `to` as YYYY-MM-DD, `period` week or month),
    every bad field named at once. Defaults: up to today; the last 12 weeks, or 12 months."""
    errors: dict[str, str] = {}
    kind = Period.WEEK
    if period:
        if period not in {p.value for p in Period}:
            errors["period"] = "must be week or month"
        else:
            kind = Period(period)
    last, first = _day(end, "to", errors), _day(start, "from", errors)
    if errors:
        raise InvalidInput(errors)
    last = last or today
    if first is None:
        first = (period_start(last, kind) - timedelta(weeks=DEFAULT_WEEKS - 1) if kind is Period.WEEK
                 else _months_back(last.replace(day=1), DEFAULT_MONTHS - 1))
    if first > last:
        raise InvalidInput({"to": "must be on or after from"})
    if (last - first).days >= MAX_RECIPROCITY_DAYS:
        raise InvalidInput({"from": f"the window may span at most {MAX_RECIPROCITY_DAYS} days"})
    return Window(first, last, kind)


def _day(text: str | None, name: str, errors: dict[str, str]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = "must be a date, YYYY-MM-DD"
        return None


def _months_back(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def give_and_take(tallies: Iterable[Tally], window: Window) -> GiveAndTake:
    """The counts of the window's days, by period, by classification and by topic."""
    starts = periods(window)
    by_period = {s: Pair() for s in starts}
    by_level: dict[Classification, Pair] = {
        c: Pair() for c in Classification if c is not Classification.RESTRICTED}
    by_topic: dict[str, Pair] = {}
    total = weighted = Pair()
    for t in tallies:
        if not window.start <= t.day <= window.end:
            continue
        start = period_start(t.day, window.period)
        by_period[start] = by_period[start].add(t.side, t.count)
        by_level[t.classification] = by_level.get(t.classification, Pair()).add(t.side, t.count)
        for topic in sorted(t.topics) or [NO_TOPIC]:
            by_topic[topic] = by_topic.get(topic, Pair()).add(t.side, t.count)
        total = total.add(t.side, t.count)
        weighted = weighted.add(t.side, t.count * WEIGHTS[t.classification])
    topics = sorted(by_topic.items(), key=lambda kv: (-(kv[1].given + kv[1].received), kv[0]))
    return GiveAndTake(
        window=window,
        buckets=tuple(Bucket(s, label(s, window.period), by_period[s]) for s in starts),
        by_classification=tuple(by_level.items()), by_topic=tuple(topics), total=total,
        weighted=weighted)


@dataclass(frozen=True, slots=True)
class RequestFlow:
    """Requests one way: asked, and what became of them."""

    asked: int = 0
    answered: int = 0
    declined: int = 0
    open: int = 0  # overdue ones included
    overdue: int = 0  # open after their due date
    median_to_answer: timedelta | None = None  # from asked to answered; None: none answered


def median(durations: Sequence[timedelta]) -> timedelta | None:
    if not durations:
        return None
    ordered, middle = sorted(durations), len(durations) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def days(duration: timedelta | None) -> str:
    """A time to answer as the pages write it: '2.5 days'; '—' when there is none."""
    if duration is None:
        return "—"
    value = duration.total_seconds() / 86400
    return f"{value:.1f} day" + ("" if round(value, 1) == 1 else "s")


@dataclass(frozen=True, slots=True)
class HealthFacts:
    """What a partnership's health panel is made of (counts the viewer's org may see)."""

    today: date
    quarter: Pair  # given and received since the quarter began
    asked_by_us: RequestFlow
    asked_of_us: RequestFlow
    last_given: datetime | None
    last_received: datetime | None
    nda_ends: date | None  # the NDA in force's end; None: until terminated, or none in force
    in_force: bool
    copies_due: int  # returns the org owes and has not certified
    copies_due_on: date | None
    notices_waiting: int  # notices to the org not yet acknowledged or closed


SOON_DAYS = 60  # why: two months is the time it takes to renew an NDA through legal
LOPSIDED = 2  # why: one side gave at least twice what the other did...
GAP = 3  # why: ...and at least three more, so that 2 against 1 is not called lopsided


def what_would_help(facts: HealthFacts) -> list[str]:
    """A few plain suggestions from the panel's numbers, the most pressing first."""
    tips: list[str] = []
    given, received = facts.quarter.given, facts.quarter.received
    if facts.notices_waiting:
        tips.append(f"{_n(facts.notices_waiting, 'notice')} to your organization "
                    f"{_wait(facts.notices_waiting)} for an answer.")
    if facts.asked_of_us.overdue:
        tips.append(f"{_n(facts.asked_of_us.overdue, 'request')} asked of you "
                    f"{'is' if facts.asked_of_us.overdue == 1 else 'are'} overdue: answer or decline.")
    if facts.copies_due and facts.copies_due_on is not None:
        tips.append(f"{_n(facts.copies_due, 'return')} of copies "
                    f"{'is' if facts.copies_due == 1 else 'are'} due by {facts.copies_due_on.isoformat()}.")
    if facts.in_force and facts.nda_ends is not None and (facts.nda_ends - facts.today).days <= SOON_DAYS:
        tips.append(f"The NDA ends on {facts.nda_ends.isoformat()}: renew it, or plan the return "
                    "of copies.")
    if received >= LOPSIDED * given and received - given >= GAP:
        tips.append(f"You have received {received} and given {given} this quarter: is there "
                    "something you could share back?")
    elif given >= LOPSIDED * received and given - received >= GAP:
        tips.append(f"You have given {given} and received {received} this quarter: ask your "
                    "partner for what you need with a request.")
    elif facts.in_force and given + received == 0:
        tips.append("Nothing was shared either way this quarter: the NDA is in force, so share "
                    "what helps the partnership.")
    return tips


def _n(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _wait(count: int) -> str:
    return "waits" if count == 1 else "wait"
