"""Representatives and re-shares: the receiving party's need-to-know circle outside its org.

A receiving org names a **representative** (a contractor, an affiliate, an adviser) under an
agreement in force; a disclosing party's admin or signer approves or declines. An approved
representative is a **guest**: a person of a guest org of their own (named after their
organization), party of no partnership, so they see nothing but what is re-shared to them.

A **re-share** gives a received disclosure to an approved representative, never wider than the
original: its classification, topics and actions within the schedule in force, its actions
within the original's, its window ending no later than the original's, never a crown jewel.
The chain is discloser → receiving org → representative; a re-share is its own row linked to
the original disclosure (`disclosure_id`), and the guest's accesses and copies are recorded
against the original, so the discloser's access report and the receiving org's copies to
return include them.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sharebound.domain.agreements import Agreement
from sharebound.domain.classification import Classification
from sharebound.domain.decisions import NOT_FOUND, Decision, Reason
from sharebound.domain.disclosures import Disclosure, DisclosureState
from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_EMAIL, MAX_NAME, MAX_NOTE
from sharebound.domain.orgs import Person
from sharebound.domain.rules import _ceiling, _in_force, _topics_of
from sharebound.domain.terms import Action, AgreementTerms, Kind
from sharebound.domain.values import is_email, multi_line, normalize_email, require_aware, single_line

GUEST_HANDLE_PREFIX = "rep-"  # why: names a guest org at a glance in the database and the log


class RepresentativeState(StrEnum):
    PENDING = "pending"  # named, awaiting the discloser's decision
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # by the receiving org: the guest's access ends


@dataclass(frozen=True, slots=True)
class NewRepresentative:
    """What the receiving org says of a representative, checked."""

    organization: str
    name: str
    email: str
    reason: str


@dataclass(frozen=True, slots=True)
class Representative:
    id: str
    agreement_id: str
    partnership_id: str
    org: str  # the receiving org that named them
    organization: str  # the representative's own organization, as named
    name: str
    email: str
    reason: str  # why they need to know
    state: RepresentativeState
    named_by: str
    named_at: datetime
    decided_org: str | None = None  # the disclosing party that approved or declined
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str = ""
    withdrawn_by: str | None = None
    withdrawn_at: datetime | None = None
    person_id: str | None = None  # the guest's account, from approval on

    @property
    def label(self) -> str:
        """How stamps and reports name them: "Jo Smith <jo@pp.example> (Precision Parts Ltd)"."""
        return f"{self.name} <{self.email}> ({self.organization})"


@dataclass(frozen=True, slots=True)
class Reshare:
    """A received disclosure given on to an approved representative: its own register row,
    linked to the original (`disclosure_id`)."""

    id: str
    disclosure_id: str
    representative_id: str
    org: str  # the receiving org that re-shared
    shared_by: str
    actions: frozenset[Action]
    created_at: datetime
    expires_at: datetime
    note: str = ""

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at


def parse_representative(fields: Mapping[str, object]) -> NewRepresentative:
    """The fields as sent (API JSON or a form) in, or `InvalidInput` naming every bad field."""
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for key, limit in (("organization", MAX_NAME), ("name", MAX_NAME), ("email", MAX_EMAIL)):
        value = fields.get(key)
        if not isinstance(value, str) or not value.strip():
            errors[key] = "is required"
            continue
        try:
            values[key] = single_line(key, value, limit)
        except InvalidInput as bad:
            errors.update(bad.errors)
    if "email" in values:
        values["email"] = normalize_email(values["email"])
        if not is_email(values["email"]):
            errors["email"] = "must be an email address"
    reason = fields.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        errors["reason"] = "is required: why they need to know"
    else:
        try:
            values["reason"] = multi_line("reason", reason, MAX_NOTE).strip()
        except InvalidInput as bad:
            errors.update(bad.errors)
    if errors:
        raise InvalidInput(errors)
    return NewRepresentative(**values)


def decide_naming(*, org: str, agreement: Agreement, email_org: str | None, now: datetime) -> Decision:
    """May `org` name a representative whose address belongs to a person of `email_org` (None:
    no account, or one outside the agreement) under `agreement` now?"""
    terms = agreement.governing_version(now).terms
    reasons = [*_receiving_party(org, terms), *_in_force(agreement, now)]
    if email_org is not None and email_org in terms.parties:
        reasons.append(Reason(
            "representative", "parties",
            "a representative is not a member of a party: people of the partnership's own "
            "organizations are recipients, not representatives"))
    return Decision(tuple(reasons))


def decide_decision(*, org: str, representative: Representative, agreement: Agreement,
                    now: datetime) -> Decision:
    """May `org` approve or decline `representative`? Only another party, one that may
    disclose under the agreement, while it is in force (the service checks that the
    representative still awaits a decision)."""
    terms = agreement.governing_version(now).terms
    reasons: list[Reason] = [*_in_force(agreement, now)]
    if org == representative.org:
        reasons.append(Reason("party", "representatives",
                              "an organization cannot approve its own representative: the "
                              "disclosing party decides"))
    elif org not in terms.parties or not terms.may_disclose(org):
        reasons.append(Reason("party", "disclosing_parties",
                              f"{org} discloses nothing under this agreement"))
    return Decision(tuple(reasons))


def decide_reshare(
    *, org: str, disclosure: Disclosure, representative: Representative, agreement: Agreement,
    actions: Collection[str], expires_at: datetime, now: datetime, demanded_at: datetime | None,
    classification: Classification | None = None,
) -> Decision:
    """May `org` (a receiving org of `disclosure`) re-share it to `representative` for
    `actions` until `expires_at`? Never wider than the original; every failing reason.

    `classification`: the item's label now, when its owner raised it since (a crown jewel
    now is never re-shared); the disclosure's own label otherwise."""
    now = require_aware(now)
    expires_at = require_aware(expires_at, "expires_at")
    terms = agreement.governing_version(now).terms
    reasons: list[Reason] = []
    if representative.org != org or representative.agreement_id != disclosure.agreement_id:
        reasons.append(Reason("representative", "representatives",
                              f"{representative.name} is not {org}'s representative under this "
                              "disclosure's agreement"))
    elif representative.state is not RepresentativeState.APPROVED:
        reasons.append(Reason("representative", "representatives",
                              f"{representative.name} is {representative.state.value}, not approved"))
    elif representative.decided_org != disclosure.discloser:
        reasons.append(Reason("representative", "representatives",
                              f"{disclosure.discloser} has not approved {representative.name}: "
                              "the discloser of the information approves who receives it"))
    state = disclosure.state(now)
    if state is DisclosureState.REVOKED:
        reasons.append(Reason("revoked", "revocation", "the discloser revoked this disclosure"))
    elif state is DisclosureState.EXPIRED:
        reasons.append(Reason("expired", "expires_at", "the access window of this disclosure has ended"))
    if demanded_at is not None and disclosure.created_at <= demanded_at <= now:
        reasons.append(Reason("demanded", "notice.demand_return",
                              f"{disclosure.discloser} demanded its information back"))
    reasons.extend(_in_force(agreement, now))
    label = disclosure.classification
    if classification is not None and classification.exceeds(label):
        label = classification
    reasons.extend(_ceiling(label, terms))
    reasons.extend(_topics_of(disclosure.topics, terms))
    reasons.extend(_actions(actions, disclosure, terms))
    reasons.extend(_window(expires_at, now, disclosure))
    return Decision(tuple(reasons))


def decide_reshare_access(
    *, person: Person, reshare: Reshare, representative: Representative, disclosure: Disclosure,
    agreement: Agreement, action: str, now: datetime, demanded_at: datetime | None,
) -> Decision:
    """May the representative's guest `person` do `action` on the re-shared `disclosure` now?
    Anyone else: NOT_FOUND. The original's revocation, expiry or demand ends the re-share too."""
    now = require_aware(now)
    if representative.person_id != person.id or reshare.representative_id != representative.id:
        return NOT_FOUND
    reasons: list[Reason] = []
    if not person.active:
        reasons.append(Reason("inactive", "recipients", f"{person.email} is inactive"))
    if representative.state is RepresentativeState.WITHDRAWN:
        reasons.append(Reason("withdrawn", "representatives",
                              f"{representative.org} withdrew this representative"))
    state = disclosure.state(now)
    if state is DisclosureState.REVOKED:
        reasons.append(Reason("revoked", "revocation", "the discloser revoked this disclosure"))
    elif state is DisclosureState.EXPIRED or reshare.expired(now):
        reasons.append(Reason("expired", "expires_at", "the access window of this re-share has ended"))
    if demanded_at is not None and disclosure.created_at <= demanded_at <= now:
        reasons.append(Reason("demanded", "notice.demand_return",
                              f"{disclosure.discloser} demanded its information back on "
                              f"{demanded_at:%Y-%m-%d}: return or destroy every copy"))
    reasons.extend(_in_force(agreement, now))
    if action not in {a.value for a in Action}:
        reasons.append(Reason("actions", "actions", f"{action!r} is not an action (view, download)"))
    elif action not in reshare.actions or action not in disclosure.actions:
        reasons.append(Reason("actions", "actions", f"this re-share does not permit {action}"))
    return Decision(tuple(reasons))


def _receiving_party(org: str, terms: AgreementTerms) -> Iterator[Reason]:
    if org not in terms.parties:
        yield Reason("party", "parties", f"{org} is not a party of this agreement")
    elif terms.kind is Kind.ONE_WAY and org in terms.disclosing_parties:
        yield Reason("party", "disclosing_parties",
                     "only a receiving party names representatives, and under this one-way "
                     f"agreement {org} is a disclosing party")


def _actions(actions: Collection[str], disclosure: Disclosure, terms: AgreementTerms) -> Iterator[Reason]:
    if not actions:
        yield Reason("actions", "schedule.actions", "name at least one action (view, download)")
        return
    permitted = {a.value for a in terms.schedule.actions}
    for action in sorted(set(actions)):
        if action not in {a.value for a in Action}:
            yield Reason("actions", "schedule.actions", f"{action!r} is not an action (view, download)")
        elif action not in disclosure.actions:
            yield Reason("actions", "actions",
                         f"the original disclosure does not permit {action}: a re-share is never wider")
        elif action not in permitted:
            yield Reason("actions", "schedule.actions", f"the agreement does not permit {action}")


def _window(expires_at: datetime, now: datetime, disclosure: Disclosure) -> Iterator[Reason]:
    if expires_at <= now:
        yield Reason("window", "expires_at", "access must end in the future")
    elif expires_at > disclosure.expires_at:
        yield Reason("window", "expires_at",
                     "a re-share ends no later than the original disclosure, "
                     f"{disclosure.expires_at:%Y-%m-%d %H:%M} UTC")
