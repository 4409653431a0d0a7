"""Give and take you can see: a partnership's reciprocity and health, and the same across the
viewer's partnerships (docs/reciprocity.md). Read models, one read transaction each.

Only numbers the viewer may see: what the viewer's org gave (its own register), and the
partner's side only as what reached the viewer's org ("received" as `received_for` reads it:
the org's for its admins and signers, the person's own for anyone else). Never a partner's
disclosures to a third org.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sharebound.adapters.db.repositories.reciprocity import AnswerTime, RequestCounts
from sharebound.domain.agreements import Agreement
from sharebound.domain.notices import NoticeState
from sharebound.domain.orgs import Person
from sharebound.domain.partnerships import Partnership
from sharebound.domain.reciprocity import (
    GiveAndTake,
    HealthFacts,
    Period,
    RequestFlow,
    Side,
    Tally,
    Window,
    give_and_take,
    median,
    parse_window,
    quarter_start,
    what_would_help,
)
from sharebound.domain.requests import RequestState
from sharebound.services.agreements import agreements_in
from sharebound.services.common import actor, visible_partnership
from sharebound.services.disclosures import answers_for_org
from sharebound.services.returns import obligations_in
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Reciprocity:
    partnership: Partnership
    org: str  # the viewer's org: "given" is its, "received" what reached it
    whole_org: bool  # received counts the org's (admins, signers), or only the viewer's own
    flows: GiveAndTake
    asked_by_us: RequestFlow  # requests asked in the window
    asked_of_us: RequestFlow


@dataclass(frozen=True)
class Health:
    partnership: Partnership
    facts: HealthFacts
    confidentiality: str  # "confidential until 2030-12-01", "confidential forever (perpetual)"...
    nda_id: str | None  # the agreement in force, if any
    hints: list[str]


@dataclass(frozen=True)
class Overview:
    """Give and take across the viewer's partnerships (those its org accepted)."""

    org: str
    whole_org: bool
    window: Window
    rows: list[tuple[Partnership, GiveAndTake]]
    total: GiveAndTake


def partnership_reciprocity(uow: UnitOfWork, actor_id: str, partnership_id: str, *,
                            start: str | None = None, end: str | None = None,
                            period: str | None = None) -> Reciprocity:
    """Disclosures given and received over the window, by period, classification and topic,
    with the requests asked each way; bad dates or period: `InvalidInput`."""
    with uow.reading():
        person = actor(uow, actor_id)
        partnership = visible_partnership(uow, person, partnership_id, accepted=True)
        window = parse_window(start, end, period, uow.clock().date())
        return reciprocity_in(uow, person, partnership, window)


def reciprocity_in(uow: UnitOfWork, person: Person, partnership: Partnership, window: Window) -> Reciprocity:
    """`partnership_reciprocity` inside a transaction the caller owns."""
    counted = _count(uow, person, partnership, window.start, window.end, _instants(window))
    return _reciprocity(person, partnership, window, counted)


def reciprocity_and_health_in(uow: UnitOfWork, person: Person, partnership: Partnership, window: Window,
                              last: dict[Side, datetime | None] | None = None) -> tuple[Reciprocity, Health]:
    """`reciprocity_in` and `health_in` together (the partnership page shows both): the day
    counts read once over both windows (the charts' and the quarter), and the requests once.
    `last`: when the org last gave and last received in it, if the caller read them already
    (the newest rows of its unfiltered registers)."""
    today = uow.clock().date()
    counted = _count(uow, person, partnership, min(window.start, quarter_start(today)),
                     max(window.end, today), _instants(window))
    return (_reciprocity(person, partnership, window, counted),
            _health(uow, person, partnership, counted, last))


def partnership_health(uow: UnitOfWork, actor_id: str, partnership_id: str) -> Health:
    """Last activity each way, requests open and overdue, the NDA's ends, copies due, notices
    waiting, and what would help."""
    with uow.reading():
        person = actor(uow, actor_id)
        partnership = visible_partnership(uow, person, partnership_id, accepted=True)
        return health_in(uow, person, partnership)


def health_in(uow: UnitOfWork, person: Person, partnership: Partnership) -> Health:
    """`partnership_health` inside a transaction the caller owns."""
    today = uow.clock().date()
    return _health(uow, person, partnership, _count(uow, person, partnership, quarter_start(today), today))


@dataclass(frozen=True)
class _Counted:
    """What the charts and the health card count in the database, read once for both."""

    tallies: list[Tally]  # from the first day either shows to the last
    requests: list[RequestCounts]  # every request, `in_window` those asked in the charts' window
    answers: list[AnswerTime]  # every answered request
    window: tuple[datetime, datetime] | None  # the charts' window, as instants


def _count(uow: UnitOfWork, person: Person, partnership: Partnership, start: date, end: date,
           window: tuple[datetime, datetime] | None = None) -> _Counted:
    scope = None if answers_for_org(person) else person.id
    since, until = window if window is not None else (None, None)
    return _Counted(
        tallies=uow.reciprocity.tallies(person.org, scope, start, end, [partnership.id])[partnership.id],
        requests=uow.reciprocity.request_counts(person.org, partnership.id, uow.clock().date(), since, until),
        answers=uow.reciprocity.answer_times(person.org, partnership.id), window=window)


def _reciprocity(person: Person, partnership: Partnership, window: Window, counted: _Counted) -> Reciprocity:
    assert counted.window is not None  # why: counted for this window (`_instants`)
    since, until = counted.window
    ours, theirs = _flows([c for c in counted.requests if c.in_window],
                          [a for a in counted.answers if since <= a.asked_at < until])
    return Reciprocity(partnership=partnership, org=person.org, whole_org=answers_for_org(person),
                       flows=give_and_take(counted.tallies, window), asked_by_us=ours, asked_of_us=theirs)


def _health(uow: UnitOfWork, person: Person, partnership: Partnership, counted: _Counted,
            last: dict[Side, datetime | None] | None = None) -> Health:
    now = uow.clock()
    today = now.date()
    scope = None if answers_for_org(person) else person.id
    quarter = give_and_take(counted.tallies, Window(quarter_start(today), today, Period.WEEK))
    if last is None:
        last = uow.reciprocity.last_activity(person.org, scope, partnership.id)
    ours, theirs = _flows(counted.requests, counted.answers)
    agreements = agreements_in(uow, person, partnership.id)
    in_force = _in_force(agreements, now)
    signed = in_force.in_force_version(now) if in_force else None
    owed = [o for o in obligations_in(uow, person, agreements) if o.org == person.org and o.discloser is None]
    notices = [n for n in uow.notices.open_to(person.org)  # answered by its admins and signers:
               if n.partnership_id == partnership.id and n.state is NoticeState.SENT
               ] if answers_for_org(person) else []  # others do not see them (as on home)
    facts = HealthFacts(
        today=today, quarter=quarter.total, asked_by_us=ours, asked_of_us=theirs,
        last_given=last[Side.GIVEN], last_received=last[Side.RECEIVED],
        nda_ends=signed.terms.term_end if signed else None, in_force=in_force is not None,
        copies_due=len(owed), copies_due_on=min((o.due_on for o in owed), default=None),
        notices_waiting=len(notices))
    latest = in_force or (agreements[-1] if agreements else None)
    words = latest.confidentiality(now) if latest is not None else "no NDA yet"
    return Health(partnership=partnership, facts=facts, confidentiality=words,
                  nda_id=in_force.id if in_force else None, hints=what_would_help(facts))


def reciprocity_overview(uow: UnitOfWork, actor_id: str, *, start: str | None = None,
                         end: str | None = None, period: str | None = None) -> Overview:
    """Give and take in each partnership the viewer's org accepted, and in all of them."""
    with uow.reading():
        person = actor(uow, actor_id)
        window = parse_window(start, end, period, uow.clock().date())
        return overview_in(uow, person, window)


def overview_in(uow: UnitOfWork, person: Person, window: Window) -> Overview:
    """`reciprocity_overview` inside a transaction the caller owns."""
    mine = [p for p in uow.partnerships.list_for_org(person.org) if p.has_accepted(person.org)]
    scope = None if answers_for_org(person) else person.id
    tallies = uow.reciprocity.tallies(person.org, scope, window.start, window.end, [p.id for p in mine])
    rows = [(p, give_and_take(tallies[p.id], window)) for p in mine]
    every = [t for p in mine for t in tallies[p.id]]
    return Overview(org=person.org, whole_org=scope is None, window=window, rows=rows,
                    total=give_and_take(every, window))


def _flows(counts: list[RequestCounts], answers: list[AnswerTime]) -> tuple[RequestFlow, RequestFlow]:
    flows = []
    for ours in (True, False):
        mine = [c for c in counts if c.asked_by_us is ours]
        by_state = {s: sum(c.count for c in mine if c.state is s) for s in RequestState}
        flows.append(RequestFlow(
            asked=sum(c.count for c in mine), answered=by_state[RequestState.ANSWERED],
            declined=by_state[RequestState.DECLINED], open=by_state[RequestState.OPEN],
            overdue=sum(c.overdue for c in mine),
            median_to_answer=median([a.took for a in answers if a.asked_by_us is ours])))
    return flows[0], flows[1]


def _in_force(agreements: list[Agreement], now: datetime) -> Agreement | None:
    return next((a for a in reversed(agreements) if a.is_in_force(now)), None)


def _instants(window: Window) -> tuple[datetime, datetime]:
    """The window's days as instants: from its first midnight (UTC) to the one after its last."""
    return (datetime.combine(window.start, time(), UTC),
            datetime.combine(window.end + timedelta(days=1), time(), UTC))
