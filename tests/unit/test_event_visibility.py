"""Which partnership events a reader sees: none that names anything hidden from it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sharebound.domain.audit import GENESIS, Event
from sharebound.services.audit import visible

HIDDEN = {"dis_hidden", "agr_hidden"}


def _event(subject: str = "pkg_1", **data: Any) -> Event:
    return Event(log="partnership:prt_1", seq=1, at=datetime(2026, 12, 7, tzinfo=UTC), kind="k",
                 actor=None, subject=subject, data=data, prev_hash=GENESIS, hash=GENESIS)


@pytest.mark.parametrize("event", [
    _event(subject="dis_hidden"),
    _event(agreement="agr_hidden"),
    _event(disclosure="dis_hidden"),  # a message linking a hidden disclosure
    _event(disclosures=["dis_seen", "dis_hidden"]),  # a package naming one hidden disclosure
])
def test_an_event_that_names_anything_hidden_is_not_shown(event: Event) -> None:
    assert not visible(event, HIDDEN)


def test_an_event_that_names_only_what_the_reader_may_see_is_shown() -> None:
    assert visible(_event(agreement="agr_seen", disclosures=["dis_seen"], disclosure="dis_seen"), HIDDEN)
