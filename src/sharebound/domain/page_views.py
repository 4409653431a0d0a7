"""Page analytics of view only: which pages of a view-only PDF each recipient opened, how
often, and for how long (docs/library.md#what-view-only-records).

A page counts as opened when the server sends its image (that works without JavaScript); the
time is what the reader's browser reports while the page is on screen, a bounded beat at a time.
A report is credited at most the time that has passed since the page was last sent to the
reader or last reported by them, plus BEAT_SLACK_SECONDS (`credited_seconds`): a browser cannot
claim hours for a page it had for seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import (
    BEAT_SLACK_SECONDS,
    MAX_BEAT_PAGES,
    MAX_BEAT_SECONDS,
    MAX_VIEW_PAGE,
)


@dataclass(frozen=True, slots=True)
class PageView:
    """One page as one recipient read it, over all their views of the disclosure."""

    disclosure_id: str
    person_id: str
    page: int  # from 1
    first_seen: datetime
    last_seen: datetime
    views: int  # page images sent
    seconds: float  # on screen, as the reader's browser reported it


@dataclass(frozen=True, slots=True)
class ReaderPages:
    """What one recipient read of a disclosure: the discloser's summary row."""

    person_id: str
    pages_opened: int
    views: int
    seconds: float
    first_seen: datetime
    last_seen: datetime
    pages: tuple[PageView, ...]  # by page number


def by_reader(views: Iterable[PageView]) -> list[ReaderPages]:
    """The page views grouped per recipient, the longest reader first (then by first seen)."""
    grouped: dict[str, list[PageView]] = {}
    for view in views:
        grouped.setdefault(view.person_id, []).append(view)
    readers = [ReaderPages(
        person_id=person_id, pages_opened=len(pages), views=sum(p.views for p in pages),
        seconds=sum(p.seconds for p in pages), first_seen=min(p.first_seen for p in pages),
        last_seen=max(p.last_seen for p in pages),
        pages=tuple(sorted(pages, key=lambda p: p.page))) for person_id, pages in grouped.items()]
    return sorted(readers, key=lambda r: (-r.seconds, r.first_seen, r.person_id))


def parse_beat(pages: Sequence[str], seconds: Sequence[str]) -> Mapping[int, float]:
    """A browser's report of visible time: `pages[i]` was on screen `seconds[i]` seconds.

    Raises InvalidInput naming what is wrong: a report names at most MAX_BEAT_PAGES pages, each
    a page number once, with 0 to MAX_BEAT_SECONDS seconds (a beat is at most a minute long).
    """
    if len(pages) != len(seconds):
        raise InvalidInput({"seconds": "give one number of seconds for each page"})
    if not pages:
        raise InvalidInput({"page": "name at least one page"})
    if len(pages) > MAX_BEAT_PAGES:
        raise InvalidInput({"page": f"at most {MAX_BEAT_PAGES} pages in one report"})
    beat: dict[int, float] = {}
    for page_text, seconds_text in zip(pages, seconds, strict=True):
        page = _integer(page_text)
        if page is None or not 1 <= page <= MAX_VIEW_PAGE:
            raise InvalidInput({"page": f"{page_text[:20]!r} is not a page number"})
        if page in beat:
            raise InvalidInput({"page": f"page {page} is named twice"})
        spent = _number(seconds_text)
        if spent is None or not is_beat_seconds(spent):
            raise InvalidInput({"seconds": f"{seconds_text[:20]!r} is not a number of seconds "
                                           f"from 0 to {MAX_BEAT_SECONDS}"})
        beat[page] = round(spent, 1)
    return beat


def check_beat(beat: Mapping[int, float]) -> None:
    """InvalidInput naming the first page or seconds that a report may not hold (a page number
    from 1, a finite number of seconds from 0 to MAX_BEAT_SECONDS)."""
    for page, spent in beat.items():
        if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= MAX_VIEW_PAGE:
            raise InvalidInput({"page": f"{str(page)[:20]!r} is not a page number"})
        if isinstance(spent, bool) or not isinstance(spent, int | float) or not is_beat_seconds(spent):
            raise InvalidInput({"seconds": f"{str(spent)[:20]!r} for page {page} is not a number "
                                           f"of seconds from 0 to {MAX_BEAT_SECONDS}"})


def is_beat_seconds(spent: float) -> bool:
    """Finite, from 0 to MAX_BEAT_SECONDS (NaN compares false, so it is refused too)."""
    return 0 <= spent <= MAX_BEAT_SECONDS


def credited_seconds(claimed: float, since: datetime, now: datetime) -> float:
    """What a report claiming `claimed` seconds for a page adds to it: at most the time since
    `since` (the page last sent to the reader, or last reported by them) plus
    BEAT_SLACK_SECONDS, never below 0 (a clock behind `since` leaves only the slack)."""
    elapsed = max(0.0, (now - since).total_seconds())
    return round(max(0.0, min(claimed, elapsed + BEAT_SLACK_SECONDS)), 1)


def _integer(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 7 else None


def _number(text: str) -> float | None:
    if not text.isascii() or len(text) > 12:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None
