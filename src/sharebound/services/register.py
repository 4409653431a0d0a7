"""The disclosure register as people read it: with titles, recipients, state and content."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

from sharebound.domain.agreements import Agreement
from sharebound.domain.audit import partnership_log
from sharebound.domain.classification import Classification
from sharebound.domain.decisions import Reason
from sharebound.domain.disclosures import EVERYTHING, Disclosure, DisclosureState, RegisterFilter
from sharebound.domain.events import EventKind
from sharebound.domain.items import ItemKind
from sharebound.domain.orgs import Person
from sharebound.domain.paging import FIRST_PAGE, Page, PageRequest
from sharebound.domain.rules import decide_access
from sharebound.domain.witnesses import witnessed
from sharebound.services.accesses import queue_access
from sharebound.services.common import actor
from sharebound.services.disclosures import (
    demanded_at,
    guest_reshare,
    register_of,
    visible_disclosure,
)
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DisclosureView:
    disclosure: Disclosure
    state: DisclosureState
    item_title: str
    item_kind: ItemKind
    classification: Classification
    topics: frozenset[str]
    media_type: str
    recipients: tuple[Person, ...]
    # "confidential until 2030-12-01" (from its agreement version), or, for an item flagged a
    # trade secret, "protected as long as it remains a trade secret"
    confidentiality: str = ""
    body: str | None = None  # a note's text, for a recipient allowed to view it now
    refusal: tuple[Reason, ...] = field(default=())  # why a recipient may not view it now
    copies: int = 0  # stamped copies made of it (downloads and views)
    demanded_at: datetime | None = None  # the discloser demanded it back from the reader's org
    # "witnessed by globex, 2026-12-07 09:14": the partners' witnesses whose latest cosigned
    # checkpoint of the partnership's log covers the disclosure's event; "" when none yet
    witnessed: str = ""


def list_register(
    uow: UnitOfWork, actor_id: str, *, direction: str = "given", partnership_id: str | None = None,
    request: PageRequest = FIRST_PAGE,
) -> Page[DisclosureView]:
    """One page of the register, newest first, with titles, recipients and states: what the
    org gave, or what it received (all of it for its admins and signers, else what was
    disclosed to the reader)."""
    with uow.reading():
        return register_views_in(uow, actor(uow, actor_id), direction, partnership_id, request)


def register_views_in(
    uow: UnitOfWork, person: Person, direction: str, partnership_id: str | None,
    request: PageRequest = FIRST_PAGE, only: RegisterFilter = EVERYTHING,
) -> Page[DisclosureView]:
    """`list_register` inside a transaction the caller owns: a fixed number of queries
    whatever the page's size (its rows, recipients, items, agreements, copies, demands)."""
    found = register_of(uow, person, direction, partnership_id, request, only)
    return found.with_rows(views_of(uow, person, found.rows))


def both_registers_in(
    uow: UnitOfWork, person: Person, partnership_id: str, given: PageRequest = FIRST_PAGE,
    received: PageRequest = FIRST_PAGE, only: RegisterFilter = EVERYTHING,
) -> tuple[Page[DisclosureView], Page[DisclosureView]]:
    """A page of what the org gave and one of what it received in a partnership, as
    `register_views_in` reads each, with one query per related table for both pages (a
    partnership page shows both)."""
    gave = register_of(uow, person, "given", partnership_id, given, only)
    got = register_of(uow, person, "received", partnership_id, received, only)
    views = views_of(uow, person, gave.rows + got.rows)
    return gave.with_rows(views[:len(gave.rows)]), got.with_rows(views[len(gave.rows):])


def views_of(uow: UnitOfWork, person: Person, found: list[Disclosure]) -> list[DisclosureView]:
    """The views of these disclosures as `person` reads a list of them, in one query per
    related table (never one per row)."""
    if not found:
        return []
    counts = uow.disclosures.copy_counts([d.id for d in found])
    demands = uow.returns.demanded_of(person.org)
    facts = uow.items.version_facts((d.item_id, d.item_version) for d in found)
    people = uow.orgs.people_by_ids(p for d in found for p in d.recipients)
    agreements = uow.agreements.get_many(d.agreement_id for d in found)
    now = uow.clock()
    labels = witnessed_labels(uow, found)
    until: dict[tuple[str, int], str] = {}  # why: a page's rows share a few agreement versions
    for d in found:
        if (key := (d.agreement_id, d.agreement_version)) not in until:
            until[key] = agreements[d.agreement_id].confidentiality(now, d.agreement_version)
    return [_view_from(d, facts[(d.item_id, d.item_version)], people,
                       until[(d.agreement_id, d.agreement_version)], now,
                       copies=counts.get(d.id, 0), demanded_at=demands.get((d.agreement_id, d.discloser)),
                       witnessed=labels.get(d.id, ""))
            for d in found]


class Registered(Protocol):
    """A register entry as `witnessed_labels` reads it: a disclosure, or an exported row."""

    @property
    def id(self) -> str: ...

    @property
    def partnership_id(self) -> str: ...


def witnessed_labels(uow: UnitOfWork, found: Sequence[Registered]) -> dict[str, str]:
    """Who witnessed each disclosure's event (one query, and one more per partnership in the
    list that a witness cosigned): the latest cosigned checkpoint of the partnership's log that
    covers it ("witnessed by …")."""
    labels: dict[str, str] = {}
    logs = {partnership_log(p): p for p in sorted({d.partnership_id for d in found})}
    for log, latest in uow.witnesses.latest_of(list(logs)).items():
        partnership_id = logs[log]
        ids = [d.id for d in found if d.partnership_id == partnership_id]
        for subject, seq in uow.witnesses.made_at(log, EventKind.DISCLOSURE_MADE.value, ids).items():
            covered = witnessed(latest, seq)
            if covered is not None:
                labels[subject] = covered.label()
    return labels


def view_disclosure(uow: UnitOfWork, actor_id: str, disclosure_id: str) -> DisclosureView:
    """A disclosure as its discloser or a recipient sees it; a recipient's view of a note is
    recorded (queued, services/accesses.py) before the body is answered. The read takes no
    write lock."""
    with uow.reading():
        person = actor(uow, actor_id)
        viewed = view_disclosure_in(uow, person, disclosure_id)
    return record_view(uow, person, viewed)


@dataclass(frozen=True)
class Viewed:
    """A view, and the disclosure whose view is to be recorded once the read has ended."""

    view: DisclosureView
    opened: Disclosure | None = None  # a recipient opened a note's body: record it


def record_view(uow: UnitOfWork, person: Person, viewed: Viewed) -> DisclosureView:
    """Outside the read's transaction: queue the view of a note's body, then give the view."""
    if viewed.opened is not None:
        queue_access(uow, person, viewed.opened, "view", uow.clock())
    return viewed.view


def view_disclosure_in(uow: UnitOfWork, person: Person, disclosure_id: str) -> Viewed:
    """`view_disclosure` inside a transaction the caller owns (it may only read): the view,
    and what `record_view` must record after that transaction ends."""
    disclosure = visible_disclosure(uow, person, disclosure_id)
    demand = demanded_at(uow, person, disclosure)
    agreement = uow.agreements.get(disclosure.agreement_id)
    assert agreement is not None  # a foreign key guarantees it
    now = uow.clock()
    view = replace(_view(uow, disclosure, agreement, now), demanded_at=demand,
                   copies=uow.disclosures.copy_counts([disclosure.id]).get(disclosure.id, 0),
                   witnessed=witnessed_labels(uow, [disclosure]).get(disclosure.id, ""))
    if guest_reshare(uow, person, disclosure) is not None:
        # a representative: not the receiving org's people, and content only as a stamped copy
        return Viewed(replace(view, recipients=(), copies=0))
    if view.item_kind is not ItemKind.NOTE:
        return Viewed(view)
    decision = decide_access(person=person, disclosure=disclosure, agreement=agreement,
                             action="view", now=now, demanded_at=demand)
    if not decision.allowed:
        return Viewed(replace(view, refusal=decision.reasons))
    content = uow.blobs.get(disclosure.item_sha256, org=disclosure.discloser)
    body = content.decode("utf-8", errors="replace")
    opened = disclosure if person.org != disclosure.discloser else None
    return Viewed(replace(view, body=body), opened)


TRADE_SECRET = "protected as long as it remains a trade secret"


def _view(uow: UnitOfWork, disclosure: Disclosure, agreement: Agreement, now: datetime) -> DisclosureView:
    version = (disclosure.item_id, disclosure.item_version)
    facts = uow.items.version_facts([version])[version]  # a foreign key guarantees it
    return _view_from(disclosure, facts, uow.orgs.people_by_ids(disclosure.recipients),
                      agreement.confidentiality(now, disclosure.agreement_version), now)


def _view_from(disclosure: Disclosure, facts: tuple[ItemKind, bool, str], people: dict[str, Person],
               confidentiality: str, now: datetime, *, copies: int = 0,
               demanded_at: datetime | None = None, witnessed: str = "") -> DisclosureView:
    """`confidentiality`: what its agreement version says (an item flagged a trade secret says
    more)."""
    kind, trade_secret, media_type = facts
    return DisclosureView(
        disclosure=disclosure, state=disclosure.state(now), item_title=disclosure.item_title,
        item_kind=kind, classification=disclosure.classification, topics=disclosure.topics,
        media_type=media_type,
        recipients=tuple(people[p] for p in sorted(disclosure.recipients) if p in people),
        confidentiality=TRADE_SECRET if trade_secret else confidentiality,
        copies=copies, demanded_at=demanded_at, witnessed=witnessed)
