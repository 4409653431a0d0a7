"""Re-shares: a receiving org gives a received disclosure on to an approved representative,
never wider than the original (docs/obligations.md#representatives).

A re-share is its own row linked to the original disclosure; the guest's views and downloads
are recorded against the original (services/copies.py), so they are on the discloser's access
report and on the receiving org's copies to return, and the original's revocation, expiry or
demand for return ends the re-share at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.audit import partnership_log
from sharebound.domain.disclosures import Disclosure
from sharebound.domain.errors import InvalidInput, NotFound, PermissionDenied, Refused
from sharebound.domain.events import DisclosureReshared
from sharebound.domain.ids import new_id
from sharebound.domain.limits import MAX_ID, MAX_NOTE
from sharebound.domain.orgs import Person
from sharebound.domain.paging import FIRST_PAGE, Page, PageRequest
from sharebound.domain.representatives import Representative, Reshare, decide_reshare
from sharebound.domain.terms import Action
from sharebound.domain.values import multi_line, require_aware
from sharebound.services import channels
from sharebound.services.common import actor, is_guest, record
from sharebound.services.disclosures import answers_for_org, receiving_orgs, visible_disclosure
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ReshareDraft:
    representative_id: str
    actions: tuple[str, ...]
    expires_at: datetime | None  # None: as long as the original
    note: str = ""


@dataclass(frozen=True)
class ReshareView:
    """A re-share as the register shows it: the chain and who it went to."""

    reshare: Reshare
    representative: Representative
    discloser: str  # the original's discloser
    item_title: str


@dataclass(frozen=True)
class SharedWithGuest:
    """What a representative's guest sees on their home page."""

    reshare: Reshare
    representative: Representative
    disclosure: Disclosure


def parse_reshare(fields: Mapping[str, object]) -> ReshareDraft:
    """The fields as sent (API JSON or a form) in; every bad field named at once."""
    errors: dict[str, str] = {}
    representative_id = fields.get("representative_id")
    if not isinstance(representative_id, str) or not representative_id.strip():
        errors["representative_id"] = "is required"
        representative_id = ""
    elif len(representative_id) > MAX_ID:
        errors["representative_id"] = "is not a representative's id"
    actions = fields.get("actions")
    if not isinstance(actions, list | tuple) or not all(isinstance(a, str) for a in actions):
        errors["actions"] = "must be a list of actions (view, download)"
        actions = ()
    expires_at = fields.get("expires_at")
    if isinstance(expires_at, str) and expires_at.strip():
        try:
            expires_at = require_aware(datetime.fromisoformat(expires_at), "expires_at")
        except ValueError:
            errors["expires_at"] = "must be a date-time with a time zone"
    elif isinstance(expires_at, str):
        expires_at = None
    if expires_at is not None and not isinstance(expires_at, datetime):
        errors["expires_at"] = "must be a date-time with a time zone"
    note = fields.get("note") or ""
    try:
        note = multi_line("note", note, MAX_NOTE).strip()
    except InvalidInput as bad:
        errors.update(bad.errors)
    if errors:
        raise InvalidInput(errors)
    assert expires_at is None or isinstance(expires_at, datetime)
    return ReshareDraft(representative_id.strip(), tuple(actions), expires_at, str(note))


def reshare_disclosure(uow: UnitOfWork, actor_id: str, disclosure_id: str,
                       fields: Mapping[str, object]) -> Reshare:
    """A receiving org (a recipient, or its admin or signer) re-shares to its approved
    representative; refused with every reason when it would be wider than the original."""
    draft = parse_reshare(fields)
    with uow:
        person = actor(uow, actor_id)
        disclosure = visible_disclosure(uow, person, disclosure_id)
        if not _receives(uow, person, disclosure):
            raise PermissionDenied("only the receiving organization re-shares what it received")
        representative = uow.representatives.get(draft.representative_id)
        if representative is None or representative.org != person.org:
            raise NotFound("representative", draft.representative_id)
        agreement = uow.agreements.get(disclosure.agreement_id)
        assert agreement is not None  # a foreign key guarantees it
        now = uow.clock()
        demands = uow.returns.demands(disclosure.agreement_id, org=person.org,
                                      discloser=disclosure.discloser)
        expires_at = draft.expires_at or disclosure.expires_at
        item = uow.items.get(disclosure.item_id)
        decision = decide_reshare(org=person.org, disclosure=disclosure, representative=representative,
                                  agreement=agreement, actions=draft.actions, expires_at=expires_at,
                                  now=now, demanded_at=demands[0].demanded_at if demands else None,
                                  classification=item.classification if item else None)
        if not decision.allowed:
            raise Refused(decision)
        if draft.note:  # why: the representative and the discloser read it
            channels.clear_public(uow, org=person.org, label="the note", text=draft.note)
        reshare = Reshare(id=new_id("rsh"), disclosure_id=disclosure.id,
                          representative_id=representative.id, org=person.org, shared_by=person.id,
                          actions=frozenset(Action(a) for a in draft.actions), created_at=now,
                          expires_at=expires_at, note=draft.note)
        uow.representatives.add_reshare(reshare)
        record(uow, partnership_log(disclosure.partnership_id), person.id, disclosure.id,
               DisclosureReshared(reshare=reshare.id, discloser=disclosure.discloser, org=person.org,
                                  representative=representative.id,
                                  actions=tuple(sorted(reshare.actions)), expires_at=expires_at))
        uow.commit()
    return reshare


def list_reshares(uow: UnitOfWork, actor_id: str, disclosure_id: str,
                  request: PageRequest = FIRST_PAGE) -> Page[ReshareView]:
    """Every re-share of a disclosure: for its discloser's org and the receiving org (a guest
    sees none: the disclosure's register row is not theirs)."""
    with uow.reading():
        person = actor(uow, actor_id)
        disclosure = visible_disclosure(uow, person, disclosure_id)
        if disclosure.discloser != person.org and not _receives(uow, person, disclosure):
            raise NotFound("disclosure", disclosure_id)
        found = uow.representatives.reshares_page(disclosure.id, request)
        return found.with_rows(_views_of(uow, disclosure, found.rows))


def reshares_for_discloser(uow: UnitOfWork, disclosures: list[Disclosure]) -> dict[str, list[ReshareView]]:
    """The re-shares of each of `disclosures`, by disclosure id, in the caller's transaction."""
    return {d.id: views for d in disclosures if (views := _views(uow, d))}


def guest_home(uow: UnitOfWork, actor_id: str) -> list[SharedWithGuest] | None:
    """A guest's home: what was re-shared to them; None for anyone who is not only a guest
    (a person with a role in their org reads the org's home)."""
    with uow.reading():
        if not is_guest(uow, actor(uow, actor_id)):
            return None
    return shared_with_me(uow, actor_id)


def shared_with_me(uow: UnitOfWork, actor_id: str) -> list[SharedWithGuest]:
    """What was re-shared to the person as a representative, newest first."""
    with uow.reading():
        person = actor(uow, actor_id)
        representatives = {r.id: r for r in uow.representatives.of_person(person.id)}
        shared = []
        for reshare in uow.representatives.reshares_to(list(representatives)):
            disclosure = uow.disclosures.get(reshare.disclosure_id)
            assert disclosure is not None  # a foreign key guarantees it
            shared.append(SharedWithGuest(reshare, representatives[reshare.representative_id], disclosure))
        return shared


def _receives(uow: UnitOfWork, person: Person, disclosure: Disclosure) -> bool:
    return person.id in disclosure.recipients or (
        answers_for_org(person) and person.org in receiving_orgs(uow, disclosure))


def _views(uow: UnitOfWork, disclosure: Disclosure) -> list[ReshareView]:
    return _views_of(uow, disclosure, uow.representatives.reshares_of(disclosure.id))


def _views_of(uow: UnitOfWork, disclosure: Disclosure, found: list[Reshare]) -> list[ReshareView]:
    """The re-shares with their representatives, read in one query (not one per re-share)."""
    named = uow.representatives.by_ids(r.representative_id for r in found)
    # a foreign key guarantees each representative exists
    return [ReshareView(r, named[r.representative_id], disclosure.discloser, disclosure.item_title)
            for r in found]
