"""Information requests: the state machine, who may do what, overdue, and new requests' checks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharebound.domain.errors import Conflict, InvalidInput, PermissionDenied
from sharebound.domain.orgs import Person, Role
from sharebound.domain.requests import (
    CLOSED,
    InformationRequest,
    RequestState,
    new_request,
    urgency,
)

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _person(name: str, org: str) -> Person:
    return Person(id=f"per_{name}", org=org, name=name.title(), email=f"{name}@{org}.example",
                  roles=frozenset({Role.MEMBER}), created_at=NOW)


GRACE, GINA = _person("grace", "globex"), _person("gina", "globex")
ALICE, MIA = _person("alice", "acme"), _person("mia", "acme")
IAN = _person("ian", "initech")


def _new(**overrides: object) -> InformationRequest:
    args: dict[str, object] = dict(
        id="req_1", partnership_id="prt_1", asker=GRACE, asked_org="acme", partners=["acme"],
        title="Thermal test results", details="Raw data, please", topic=None,
        due_on=NOW.date() + timedelta(days=7), assignee=None, now=NOW)
    args.update(overrides)
    return new_request(**args)  # type: ignore[arg-type]


def test_a_new_request_is_open_from_the_asker_s_org_to_the_asked_org() -> None:
    made = _new(assignee=MIA, topic="  Thermal ")

    assert (made.state, made.asker_org, made.asked_by, made.asked_org, made.assignee_id, made.topic) == (
        RequestState.OPEN, "globex", GRACE.id, "acme", MIA.id, "thermal")
    assert made.event_facts().data() == {
        "title": "Thermal test results", "asker": GRACE.id, "asker_org": "globex", "asked_org": "acme",
        "assignee": MIA.id, "due_on": "2026-12-08", "topic": "thermal"}


def test_a_new_request_names_every_bad_field_at_once() -> None:
    with pytest.raises(InvalidInput) as bad:
        _new(asked_org="initech", title="  ", details="x" * 5001, topic="Not a topic!",
             due_on=NOW.date() - timedelta(days=1), assignee=GINA)

    assert bad.value.errors == {
        "asked_org": "initech is not a partner organization of this partnership",
        "title": "is required",
        "details": "must be at most 5000 characters",
        "topic": "must be lowercase letters, digits, spaces, _ or - (at most 64)",
        "due_on": "must be today (2026-12-01) or later",
        "assignee": "must be a person of initech, the asked organization",
    }


def test_a_request_to_your_own_org_is_refused() -> None:
    with pytest.raises(InvalidInput) as bad:
        _new(asked_org="globex")

    assert bad.value.errors == {"asked_org": "ask a partner organization, not your own"}


def test_a_request_due_today_is_accepted_and_not_overdue_until_the_day_ends() -> None:
    made = _new(due_on=NOW.date())

    assert made.state_at(NOW.replace(hour=23, minute=59)) is RequestState.OPEN
    assert made.state_at(NOW + timedelta(days=1)) is RequestState.OVERDUE
    assert made.is_overdue(NOW + timedelta(days=1))


def test_only_the_asked_org_answers_declines_or_assigns_and_only_the_asker_withdraws() -> None:
    made = _new()

    for attempt in (lambda: made.answer(GRACE, ["dis_1"], NOW), lambda: made.decline(GINA, "no", NOW),
                    lambda: made.assign(IAN, MIA)):
        with pytest.raises(PermissionDenied, match="only people of acme, the asked organization"):
            attempt()
    with pytest.raises(PermissionDenied, match="only people of globex, which asked"):
        made.withdraw(MIA, NOW)


def test_answering_closes_the_request_with_its_disclosures() -> None:
    answered = _new().answer(MIA, ["dis_1", "dis_2", "dis_1"], NOW)

    assert (answered.state, answered.disclosures, answered.closed_at, answered.closed_by) == (
        RequestState.ANSWERED, ("dis_1", "dis_2"), NOW, MIA.id)
    assert answered.state_at(NOW + timedelta(days=30)) is RequestState.ANSWERED  # never overdue


def test_declining_needs_a_reason() -> None:
    with pytest.raises(InvalidInput) as bad:
        _new().decline(MIA, "   ", NOW)

    assert bad.value.errors == {"reason": "is required: say why the request is declined"}
    assert _new().decline(MIA, " Pricing is out of scope ", NOW).decline_reason == "Pricing is out of scope"


def test_assigning_names_a_person_of_the_asked_org_only() -> None:
    assert _new().assign(ALICE, MIA).assignee_id == MIA.id
    with pytest.raises(InvalidInput) as bad:
        _new().assign(ALICE, GINA)
    assert bad.value.errors == {"assignee": "must be a person of acme, the asked organization"}


_ACTIONS = {
    "answer": lambda r: r.answer(MIA, ["dis_1"], NOW),
    "decline": lambda r: r.decline(MIA, "out of scope", NOW),
    "withdraw": lambda r: r.withdraw(GRACE, NOW),
    "assign": lambda r: r.assign(ALICE, MIA),
}


@given(st.lists(st.sampled_from(sorted(_ACTIONS)), max_size=6))
def test_a_closed_request_takes_no_further_action_and_stays_as_it_closed(steps: list[str]) -> None:
    request = _new()
    closed_by: str | None = None
    for step in steps:
        if closed_by is not None:
            with pytest.raises(Conflict, match=f"this request is {request.state.value}"):
                _ACTIONS[step](request)
            continue
        request = _ACTIONS[step](request)
        if step != "assign":
            closed_by = step

    expected = {None: RequestState.OPEN, "answer": RequestState.ANSWERED,
                "decline": RequestState.DECLINED, "withdraw": RequestState.WITHDRAWN}[closed_by]
    assert request.state is expected
    assert (request.closed_at is not None) == (expected in CLOSED)


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
       st.integers(min_value=0, max_value=3 * 24 * 60))
def test_overdue_is_exactly_open_after_the_due_day(due_on: date, minutes: int) -> None:
    request = InformationRequest(
        id="req_1", partnership_id="prt_1", asker_org="globex", asked_by=GRACE.id, asked_org="acme",
        assignee_id=None, title="t", details="", topic=None, due_on=due_on, state=RequestState.OPEN,
        created_at=NOW)
    now = datetime.combine(due_on, datetime.min.time(), tzinfo=UTC) + timedelta(minutes=minutes - 24 * 60)

    assert request.is_overdue(now) == (now.date() > due_on)
    assert request.withdraw(GRACE, now).state_at(now) is RequestState.WITHDRAWN


def test_urgency_puts_overdue_first_then_open_by_due_date_then_closed_newest_first() -> None:
    overdue = _new(id="late", due_on=NOW.date())
    soon = _new(id="soon", due_on=NOW.date() + timedelta(days=2))
    later = _new(id="later", due_on=NOW.date() + timedelta(days=9))
    old_answer = _new(id="old").answer(MIA, ["dis_1"], NOW + timedelta(hours=1))
    new_answer = _new(id="new").decline(MIA, "no", NOW + timedelta(hours=5))
    when = NOW + timedelta(days=1)

    ordered = sorted([old_answer, later, new_answer, soon, overdue], key=lambda r: urgency(r, when))

    assert [r.id for r in ordered] == ["late", "soon", "later", "new", "old"]
