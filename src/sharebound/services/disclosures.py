"""Disclosures: check (dry run), disclose, revoke; what the register and the copies build on
(`visible_disclosure`, `register_of`, `record_access_in`): services/register.py and
services/copies.py are how people read and open them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import cast

from sharebound.domain.agreements import Agreement
from sharebound.domain.audit import org_log, partnership_log
from sharebound.domain.decisions import Decision
from sharebound.domain.disclosures import EVERYTHING, AccessRecord, Disclosure, RegisterFilter, Revocation
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Refused
from sharebound.domain.events import DisclosureAccessed, DisclosureMade, DisclosureRefused, DisclosureRevoked
from sharebound.domain.gate import FindingKind
from sharebound.domain.ids import new_id
from sharebound.domain.items import Item
from sharebound.domain.limits import MAX_NOTE, MAX_RECIPIENTS
from sharebound.domain.orgs import Person, Role
from sharebound.domain.paging import FIRST_PAGE, Page, PageRequest
from sharebound.domain.representatives import Representative, RepresentativeState, Reshare
from sharebound.domain.rules import decide_disclosure, default_expiry
from sharebound.domain.terms import MAX_ACCESS_DAYS, Action
from sharebound.domain.values import multi_line, normalize_email, require_aware
from sharebound.services import channels, gate, requests, search
from sharebound.services.common import actor, record, visible_agreement, visible_partnership
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DisclosureDraft:
    """What a person asks to disclose, before the rules have looked at it."""

    item_id: str
    agreement_id: str
    recipients: Sequence[str]  # emails
    actions: Sequence[str]
    expires_at: datetime | None = None  # None: the longest window the terms allow
    note: str = ""
    request_id: str | None = None  # an information request this disclosure answers


@dataclass(frozen=True)
class Checked:
    decision: Decision
    item: Item
    agreement: Agreement
    recipients: tuple[Person, ...]
    expires_at: datetime
    now: datetime  # the moment the rules decided at: the disclosure is made at that moment


def check_disclosure(uow: UnitOfWork, actor_id: str, draft: DisclosureDraft) -> Decision:
    """The dry run: the decision the rules would give now, with every reason. Changes nothing."""
    _validate(draft)
    # why no gate.warm: it reads the text ahead of a write lock, and a dry run takes none
    with uow.reading():
        return _check(uow, actor(uow, actor_id), draft).decision


def disclose(uow: UnitOfWork, actor_id: str, draft: DisclosureDraft) -> Disclosure:
    """Make the disclosure, or raise `Refused` and record the attempt in the discloser's log."""
    _validate(draft)
    gate.warm(uow, draft.item_id)  # why: read the text before taking the write lock
    with uow:
        person = actor(uow, actor_id)
        checked = _check(uow, person, draft)
        if not checked.decision.allowed:
            record(uow, org_log(person.org), person.id, draft.item_id, DisclosureRefused(
                agreement=draft.agreement_id, codes=tuple(sorted(set(checked.decision.codes)))))
            uow.commit()
            raise Refused(checked.decision)
        disclosure = make_in(uow, person, checked, draft.actions, draft.note)
        if draft.request_id:  # answers it in the same transaction, or nothing is disclosed
            requests.answer_in(uow, person, draft.request_id, [disclosure.id])
        uow.commit()
    return disclosure


def make_in(uow: UnitOfWork, person: Person, checked: Checked, actions: Sequence[str], note: str,
            package_id: str | None = None) -> Disclosure:
    """Record an allowed disclosure and its event inside the caller's transaction."""
    agreement, item = checked.agreement, checked.item
    version = agreement.in_force_version(checked.now)
    assert version is not None  # the rules checked it is in force
    disclosure = Disclosure(
        id=new_id("dis"), partnership_id=agreement.partnership_id, item_id=item.id,
        item_version=item.current.number, item_sha256=item.current.sha256,
        discloser=person.org, disclosed_by=person.id, agreement_id=agreement.id,
        agreement_version=version.number, agreement_digest=version.digest,
        recipients=frozenset(p.id for p in checked.recipients),
        actions=frozenset(Action(a) for a in actions), created_at=checked.now,
        expires_at=checked.expires_at, note=note.strip(), item_title=item.title,
        classification=item.classification, topics=item.topics, package_id=package_id,
    )
    uow.disclosures.add(disclosure)
    search.index_disclosure_in(uow, disclosure, item)
    record(uow, partnership_log(agreement.partnership_id), person.id, disclosure.id, DisclosureMade(
        item=item.id, item_version=disclosure.item_version, item_sha256=disclosure.item_sha256,
        agreement=agreement.id, agreement_version=version.number,
        agreement_digest=version.digest, recipients=tuple(sorted(disclosure.recipients)),
        actions=tuple(sorted(disclosure.actions)), expires_at=disclosure.expires_at,
        package=package_id))
    return disclosure


def check_in(uow: UnitOfWork, person: Person, draft: DisclosureDraft) -> Checked:
    """The rules' decision on a draft, inside the caller's transaction (a package's items)."""
    return _check(uow, person, draft)


def revoke_disclosure(uow: UnitOfWork, actor_id: str, disclosure_id: str, *, reason: str = "") -> Disclosure:
    """The discloser's org ends a disclosure's access at once."""
    if len(reason) > MAX_NOTE:
        raise InvalidInput({"reason": f"must be at most {MAX_NOTE} characters"})
    with uow:
        person = actor(uow, actor_id)
        disclosure = visible_disclosure(uow, person, disclosure_id, lock=True)
        if disclosure.discloser != person.org:
            raise PermissionDenied("only the disclosing organization can revoke a disclosure")
        if disclosure.revocation is not None:
            raise Conflict("this disclosure is already revoked")
        channels.clear_public(uow, org=person.org, label="the reason", text=reason)
        disclosure = replace(disclosure, revocation=Revocation(
            person_id=person.id, reason=reason.strip(), at=uow.clock()))
        uow.disclosures.save_revocation(disclosure)
        search.revoked_in(uow, disclosure)
        record(uow, partnership_log(disclosure.partnership_id), person.id, disclosure.id,
               DisclosureRevoked())
        uow.commit()
    return disclosure


def record_access_in(
    uow: UnitOfWork, person: Person, disclosure: Disclosure, action: str, now: datetime
) -> AccessRecord:
    """Record an access the rule allowed, inside a transaction the caller owns."""
    access = AccessRecord(id=new_id("acc"), disclosure_id=disclosure.id, person_id=person.id,
                          action=Action(action), at=now)
    uow.disclosures.add_access(access)
    record(uow, partnership_log(disclosure.partnership_id), person.id, disclosure.id,
           DisclosureAccessed(access=access.id, action=action))
    return access


def visible_disclosure(uow: UnitOfWork, person: Person, disclosure_id: str, *,
                       lock: bool = False) -> Disclosure:
    """The disclosure, for its discloser's org, its recipients, and the admins and signers of
    a receiving org (the legal receiving party: metadata only, content stays the recipients')."""
    disclosure = uow.disclosures.get(disclosure_id, lock=lock)
    if disclosure is None or not (disclosure.discloser == person.org
                                  or person.id in disclosure.recipients
                                  or (answers_for_org(person)
                                      and person.org in receiving_orgs(uow, disclosure))
                                  or _live_reshare(uow, person, disclosure)):
        raise NotFound("disclosure", disclosure_id)
    return disclosure


def _live_reshare(uow: UnitOfWork, person: Person, disclosure: Disclosure) -> bool:
    """Whether `person` is the guest of an approved representative holding an unexpired re-share
    of `disclosure`: a withdrawn one, or one whose re-share ran out, no longer sees it at all."""
    found = guest_reshare(uow, person, disclosure)
    return (found is not None and found[1].state is RepresentativeState.APPROVED
            and not found[0].expired(uow.clock()))


def guest_reshare(uow: UnitOfWork, person: Person,
                  disclosure: Disclosure) -> tuple[Reshare, Representative] | None:
    """The newest re-share of `disclosure` to a representative whose guest `person` is, if any:
    how a representative sees a disclosure (services/reshares.py)."""
    if person.org == disclosure.discloser or person.id in disclosure.recipients:
        return None
    mine = {r.id: r for r in uow.representatives.of_person(person.id)}
    if not mine:
        return None
    for reshare in uow.representatives.reshares_of(disclosure.id):  # newest first
        if reshare.representative_id in mine:
            return reshare, mine[reshare.representative_id]
    return None


def answers_for_org(person: Person) -> bool:
    """Admins and signers answer for what their org received: they see its whole register."""
    return bool(person.roles & {Role.ADMIN, Role.SIGNER})


def receiving_orgs(uow: UnitOfWork, disclosure: Disclosure) -> set[str]:
    return {p.org for p in (uow.orgs.get_person(r) for r in disclosure.recipients) if p is not None}


def received_for(uow: UnitOfWork, person: Person, partnership_id: str | None = None) -> list[Disclosure]:
    """"Received", with one meaning everywhere (register, home, partnership page, digests):
    for an org's admins and signers, everything their org received; for anyone else, what
    was disclosed to them."""
    if answers_for_org(person):
        return uow.disclosures.received_by_org(person.org, partnership_id)
    return uow.disclosures.received_by(person.id, partnership_id)


def demanded_at(uow: UnitOfWork, person: Person, disclosure: Disclosure) -> datetime | None:
    """When the discloser demanded that the person's org return what it received under the
    disclosure's agreement, if it did (the access rule's `demanded_at`)."""
    if person.org == disclosure.discloser:
        return None
    found = uow.returns.demands(disclosure.agreement_id, org=person.org, discloser=disclosure.discloser)
    return found[0].demanded_at if found else None


class Direction(StrEnum):
    GIVEN = "given"
    RECEIVED = "received"


def register_of(
    uow: UnitOfWork, person: Person, direction: str, partnership_id: str | None,
    request: PageRequest = FIRST_PAGE, only: RegisterFilter = EVERYTHING,
) -> Page[Disclosure]:
    """One page of the register, newest first (what the person's org gave, or what it
    received as `received_for` reads it), inside a transaction the caller owns:
    services/register.py `list_register` is the use case."""
    if direction not in {d.value for d in Direction}:
        raise InvalidInput({"direction": "must be given or received"})
    if partnership_id is not None:
        visible_partnership(uow, person, partnership_id, accepted=True)
    if direction == Direction.GIVEN:
        return uow.disclosures.given_page(person.org, partnership_id, request, only)
    if answers_for_org(person):
        return uow.disclosures.received_page(org=person.org, partnership_id=partnership_id, request=request,
                                             only=only)
    return uow.disclosures.received_page(person_id=person.id, partnership_id=partnership_id, request=request,
                                         only=only)


def parse_draft(fields: Mapping[str, object], now: datetime) -> DisclosureDraft:
    """The one parser of a disclosure draft, shared by the API, the pages and the CLI: the
    fields as sent (JSON values, or a form's strings) in, a draft out, or `InvalidInput`
    naming every bad field in the same words whoever sent it.

    `expires_at` is a date-time with a time zone (or its ISO text); `days` (the pages'
    "for how many days") counts from `now` instead. Neither: the longest the terms allow.
    """
    errors: dict[str, str] = {}
    expires_at = fields.get("expires_at")
    if isinstance(expires_at, str):
        try:
            expires_at = datetime.fromisoformat(expires_at) if expires_at.strip() else None
        except ValueError:
            errors["expires_at"] = "must be a date-time with a time zone"
            expires_at = None
    days = fields.get("days")
    if isinstance(days, str):
        days = days.strip() or None
    if days is not None:
        if str(days).isdigit() and 1 <= int(str(days)) <= MAX_ACCESS_DAYS:
            expires_at = now + timedelta(days=int(str(days)))
        else:
            errors["days"] = (f"must be a whole number of days from 1 to {MAX_ACCESS_DAYS}, "
                              "or empty for the longest allowed")
    note = fields.get("note")
    draft = DisclosureDraft(
        item_id=str(fields.get("item_id") or ""), agreement_id=str(fields.get("agreement_id") or ""),
        recipients=_listed(fields.get("recipients")), actions=_listed(fields.get("actions")),
        expires_at=expires_at if isinstance(expires_at, datetime) or expires_at is None else None,
        note=cast(str, "" if note is None else note),  # not text: `_problems` names it
        request_id=str(fields.get("request_id") or "") or None)
    if expires_at is not None and not isinstance(expires_at, datetime):
        errors["expires_at"] = "must be a date-time with a time zone"
    errors = {**_problems(draft), **errors}
    if errors:
        raise InvalidInput(errors)
    return draft


def _listed(value: object) -> Sequence[str]:
    """A list as sent; anything else as it is, for `_problems` to name."""
    return list(value) if isinstance(value, list | tuple) else cast(Sequence[str], value)


def _validate(draft: DisclosureDraft) -> None:
    if errors := _problems(draft):
        raise InvalidInput(errors)


def problems_of(draft: DisclosureDraft) -> dict[str, str]:
    """What is malformed in a draft's recipients, actions, expiry and note, by field."""
    return _problems(draft)


def _problems(draft: DisclosureDraft) -> dict[str, str]:
    errors = {}
    if not isinstance(draft.recipients, list | tuple) or not all(
        isinstance(r, str) for r in draft.recipients
    ):
        errors["recipients"] = "must be a list of email addresses"
    elif len(draft.recipients) > MAX_RECIPIENTS:
        errors["recipients"] = f"at most {MAX_RECIPIENTS} recipients"
    if not isinstance(draft.actions, list | tuple) or not all(isinstance(a, str) for a in draft.actions):
        errors["actions"] = "must be a list of actions (view, download)"
    if draft.expires_at is not None:
        try:
            require_aware(draft.expires_at, "expires_at")
        except (ValueError, AttributeError):
            errors["expires_at"] = "must be a date-time with a time zone"
    try:
        multi_line("note", draft.note, MAX_NOTE)
    except InvalidInput as bad:
        errors.update(bad.errors)
    return errors


def _check(uow: UnitOfWork, person: Person, draft: DisclosureDraft) -> Checked:
    agreement = visible_agreement(uow, person, draft.agreement_id)
    item = uow.items.get(draft.item_id)
    if item is None or (item.owner != person.org and not _has_received(uow, person, item.id)):
        raise NotFound("item", draft.item_id)
    emails = list(dict.fromkeys(normalize_email(r) for r in draft.recipients))
    known = uow.orgs.people_by_emails(emails)
    # why: an unknown address is refused like a stranger's, so that refusals never reveal
    # whether an address has an account here.
    recipients = tuple(known.get(e) or _stranger(e) for e in emails)
    now = uow.clock()
    expires_at = draft.expires_at or default_expiry(agreement.governing_version(now).terms, now)
    # The gate reads only what the discloser's org owns: for anyone else "owner" refuses anyway.
    found = gate.findings_for(uow, person.org, item) if item.owner == person.org else ()
    findings = [f.message for f in found if f.kind is not FindingKind.UNKNOWN_TYPE]
    unreadable = [f.message for f in found if f.kind is FindingKind.UNKNOWN_TYPE]
    if item.owner == person.org:  # the title, topics and file name travel with the item too
        for label, text in _labels(item):
            findings += [f"in {label}, {f.message}" for f in gate.text_findings(
                uow, person.org, text, item.classification)]
    if draft.note.strip():  # the note travels with the item: the gate reads it too
        findings += [f"in the note to the recipients, {f.message}" for f in gate.text_findings(
            uow, person.org, draft.note, item.classification)]
    decision = decide_disclosure(
        discloser=person.org, item=item, agreement=agreement, recipients=recipients,
        actions=draft.actions, expires_at=expires_at, now=now, findings=findings,
        unreadable=unreadable)
    return Checked(decision, item, agreement, recipients, expires_at, now)


def _labels(item: Item) -> list[tuple[str, str]]:
    """What the recipient reads of an item besides its content: its title, topics, file name."""
    labels = [("the title", item.title)]
    if item.topics:
        labels.append(("the topics", "\n".join(item.topics)))
    if item.current.filename:
        labels.append(("the file name", item.current.filename))
    return labels


def _has_received(uow: UnitOfWork, person: Person, item_id: str) -> bool:
    return any(d.item_id == item_id for d in uow.disclosures.received_by(person.id))


def _stranger(email: str) -> Person:
    return Person(id="", org="", name="", email=email, roles=frozenset(),
                  created_at=datetime.min.replace(tzinfo=UTC))
