"""The two rules, as pure functions that list every failing reason.

1. `decide_disclosure`: may org A disclose item I to recipients R under agreement N?
2. `decide_access`: may person U do action X on disclosure D now?

Reason codes are stable API: owner, party, in_force, ceiling, topics, recipients, inactive,
actions, window, content (disclosure); inactive, revoked, expired, demanded, in_force, actions
(access). `inactive` and `demanded` (added later; no older code changed meaning) name a
deactivated person and a disclosure its discloser demanded back.
Each reason names the term it comes from, as a path into the terms' JSON where it can.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import datetime, timedelta

from sharebound.domain.agreements import Agreement, AgreementStatus
from sharebound.domain.classification import Classification
from sharebound.domain.decisions import ALLOWED, NOT_FOUND, Decision, Reason
from sharebound.domain.disclosures import Disclosure, DisclosureState
from sharebound.domain.items import Item
from sharebound.domain.orgs import Person
from sharebound.domain.stamps import can_stamp, why_unstampable
from sharebound.domain.terms import Action, AgreementTerms, Kind, RecipientMode, UnreadableFiles
from sharebound.domain.values import require_aware

_ACTIONS = frozenset(a.value for a in Action)

# The term that keeps an agreement out of force, by status.
_NOT_IN_FORCE = {
    AgreementStatus.DRAFT: ("signatures", "the agreement is a draft: no party has signed it"),
    AgreementStatus.AWAITING_SIGNATURES: (
        "signatures", "the agreement is not in force: not every party has signed it"),
    AgreementStatus.SIGNED: ("effective_date", "the agreement is signed but not yet effective"),
    AgreementStatus.EXPIRED: ("term_end", "the agreement has expired"),
    AgreementStatus.TERMINATED: ("termination", "the agreement has been terminated"),
}


def decide_disclosure(
    *,
    discloser: str,
    item: Item,
    agreement: Agreement,
    recipients: Sequence[Person],
    actions: Collection[str],
    expires_at: datetime,
    now: datetime,
    findings: Sequence[str] = (),
    unreadable: Sequence[str] = (),
) -> Decision:
    """May `discloser` give `item` to `recipients` under `agreement`, until `expires_at`?

    The terms checked are those of the signed version that governs at `now` (in force, or
    not yet or no longer), or of the current draft when no version is signed, so that a
    refusal lists every reason at once. `findings` are the content gate's; `unreadable`
    says what in the item the gate has no reader for, refused unless the terms allow it.
    """
    now = require_aware(now)
    terms = agreement.governing_version(now).terms
    reasons = [
        *_owner(discloser, item),
        *_party(discloser, terms),
        *_in_force(agreement, now),
        *_ceiling(item.classification, terms),
        *_topics(item, terms),
        *_recipients(discloser, recipients, terms),
        *_actions(actions, terms),
        *_stampable(item, actions, terms),
        *_window(require_aware(expires_at, "expires_at"), now, terms),
        *(Reason("content", "content", finding) for finding in findings),
        *_unreadable(unreadable, terms),
    ]
    return Decision(tuple(reasons))


def decide_access(
    *, person: Person, disclosure: Disclosure, agreement: Agreement, action: str, now: datetime,
    demanded_at: datetime | None = None,
) -> Decision:
    """May `person` do `action` on `disclosure` now? A non-recipient gets NOT_FOUND.

    `demanded_at`: when the discloser demanded that the person's org return or destroy what
    it received under the agreement (a `demand_return` notice); what was disclosed until
    then is closed to the org from that moment."""
    now = require_aware(now)
    if person.org != disclosure.discloser and person.id not in disclosure.recipients:
        return NOT_FOUND
    unknown = () if action in _ACTIONS else (
        Reason("actions", "actions", f"{action!r} is not an action (view, download)"),)
    inactive = () if person.active else (_inactive(person),)
    if person.org == disclosure.discloser:
        # an org's own (active) people always see what their org gave
        return Decision((*inactive, *unknown))
    reasons = [*inactive]
    state = disclosure.state(now)
    if state is DisclosureState.REVOKED:
        reasons.append(Reason("revoked", "revocation", "the discloser revoked this disclosure"))
    elif state is DisclosureState.EXPIRED:
        reasons.append(Reason("expired", "expires_at", "the access window of this disclosure has ended"))
    if demanded_at is not None and disclosure.created_at <= demanded_at <= now:
        reasons.append(Reason("demanded", "notice.demand_return",
                              f"{disclosure.discloser} demanded its information back on "
                              f"{demanded_at:%Y-%m-%d}: return or destroy every copy"))
    reasons.extend(_in_force(agreement, now))
    if unknown:
        reasons.extend(unknown)
    elif action not in disclosure.actions:
        reasons.append(Reason("actions", "actions", f"this disclosure does not permit {action}"))
    else:
        in_force = agreement.in_force_version(now)
        if in_force is not None and action not in in_force.terms.schedule.actions:
            reasons.append(Reason("actions", "schedule.actions",
                                  f"the agreement in force no longer permits {action}"))
    return Decision(tuple(reasons))


def actions_open_under(*, person: Person, agreement: Agreement, now: datetime) -> frozenset[str]:
    """The actions `decide_access` can allow a recipient in another org under `agreement`
    now, before what each disclosure adds (its own actions, its state, a demand to return):
    none once the agreement is not in force or the person is inactive. A list decides its
    rows in SQL from these (services/search.py) as the rule decides each one."""
    if not person.active or any(_in_force(agreement, now)):
        return frozenset()
    in_force = agreement.in_force_version(now)
    return frozenset(a for a in _ACTIONS if in_force is None or a in in_force.terms.schedule.actions)


def decide_message(
    *, org: str, classification: Classification, agreement: Agreement | None, now: datetime,
    audience: Collection[str] = (),
) -> Decision:
    """May `org` post a message of `classification` to its partnership's feed now?

    Public messages need nothing. Anything above is information covered by the agreement
    in force, and the feed reaches every member of every org in `audience` (the
    partnership's other orgs): each must be a party of that agreement.
    """
    if classification is Classification.PUBLIC:
        return ALLOWED
    if agreement is None:
        return Decision((Reason("in_force", "agreement",
                                "no agreement is in force: only public messages may be posted"),))
    terms = agreement.governing_version(now).terms
    reasons = [*_party(org, terms), *_in_force(agreement, now), *_ceiling(classification, terms)]
    if terms.schedule.recipients.mode is not RecipientMode.ALL_MEMBERS:
        reasons.append(Reason(
            "recipients", "schedule.recipients",
            "the feed reaches every member of the partner, and this agreement limits recipients: "
            "disclose an item to the allowed people instead"))
    outside = sorted(set(audience) - set(terms.parties) - {org})
    if outside:
        reasons.append(Reason(
            "recipients", "parties",
            f"the feed reaches {', '.join(outside)}, which this agreement does not bind"))
    return Decision(tuple(reasons))


def may_receive(discloser: str, person: Person, terms: AgreementTerms) -> bool:
    """Whether `person` may be named a recipient of `discloser` under `terms` (the recipients
    check of the disclosure rule, for one person: what a form should offer)."""
    return not any(_recipients(discloser, [person], terms))


def default_expiry(terms: AgreementTerms, now: datetime) -> datetime:
    """The longest access window the terms allow from `now`."""
    longest = now + timedelta(days=terms.schedule.max_access_days)
    ends_at = terms.ends_at
    return min(longest, ends_at) if ends_at is not None else longest


def _owner(discloser: str, item: Item) -> Iterator[Reason]:
    if item.owner != discloser:
        yield Reason("owner", "item.owner", f"{discloser} does not own this item")


def _party(org: str, terms: AgreementTerms) -> Iterator[Reason]:
    if org not in terms.parties:
        yield Reason("party", "parties", f"{org} is not a party of this agreement")
    elif not terms.may_disclose(org):
        disclosing = ", ".join(sorted(terms.disclosing_parties))
        yield Reason("party", "disclosing_parties",
                     f"this one-way agreement lets only {disclosing} disclose")


def _in_force(agreement: Agreement, now: datetime) -> Iterator[Reason]:
    status = agreement.status(now)
    if status is not AgreementStatus.IN_FORCE:
        term, message = _NOT_IN_FORCE[status]
        yield Reason("in_force", term, message)


def _ceiling(classification: Classification, terms: AgreementTerms) -> Iterator[Reason]:
    ceiling = terms.schedule.ceiling
    if classification is Classification.RESTRICTED:
        yield Reason("ceiling", "schedule.ceiling",
                     "restricted information is a crown jewel: it is never disclosed")
    elif classification.exceeds(ceiling):
        yield Reason("ceiling", "schedule.ceiling",
                     f"{classification.value} is above this agreement's ceiling, {ceiling.value}")


def _topics(item: Item, terms: AgreementTerms) -> Iterator[Reason]:
    yield from _topics_of(item.topics, terms)


def _topics_of(topics: frozenset[str], terms: AgreementTerms) -> Iterator[Reason]:
    """The topics check of `topics` (an item's, or those a disclosure recorded)."""
    schedule = terms.schedule
    excluded = topics & schedule.topics_excluded
    if excluded:
        yield Reason("topics", "schedule.topics_excluded",
                     f"the agreement excludes {', '.join(sorted(excluded))}")
    if schedule.topics_allowed:
        outside = topics - schedule.topics_allowed
        if not topics:
            yield Reason("topics", "schedule.topics_allowed",
                         "the agreement allows only certain topics and this item has none")
        elif outside:
            yield Reason("topics", "schedule.topics_allowed",
                         f"{', '.join(sorted(outside))} is outside the topics the agreement allows")


def _recipients(
    discloser: str, recipients: Sequence[Person], terms: AgreementTerms
) -> Iterator[Reason]:
    if not recipients:
        yield Reason("recipients", "recipients", "name at least one recipient")
        return
    allowed = terms.schedule.recipients
    for person in recipients:
        if not person.active:
            yield _inactive(person)
        if person.org == discloser or person.org not in terms.parties:
            yield Reason("recipients", "parties",
                         f"{person.email} is not a person of another party of this agreement")
        elif terms.kind is Kind.ONE_WAY and person.org in terms.disclosing_parties:
            yield Reason("recipients", "disclosing_parties",
                         f"{person.email} belongs to a disclosing party, which receives nothing "
                         "under this one-way agreement")
        elif allowed.mode is RecipientMode.ROLES and not {r.value for r in person.roles} & allowed.roles:
            yield Reason("recipients", "schedule.recipients",
                         f"{person.email} holds none of the roles the agreement allows "
                         f"({', '.join(sorted(allowed.roles))})")
        elif allowed.mode is RecipientMode.NAMED and person.email not in allowed.people:
            yield Reason("recipients", "schedule.recipients",
                         f"{person.email} is not among the people the agreement names")


def _inactive(person: Person) -> Reason:
    return Reason("inactive", "recipients",
                  f"{person.email} is inactive: their organization deactivated them")


def _actions(actions: Collection[str], terms: AgreementTerms) -> Iterator[Reason]:
    if not actions:
        yield Reason("actions", "schedule.actions", "name at least one action (view, download)")
        return
    permitted = {a.value for a in terms.schedule.actions}
    for action in sorted(set(actions)):
        if action not in _ACTIONS:
            yield Reason("actions", "schedule.actions", f"{action!r} is not an action (view, download)")
        elif action not in permitted:
            yield Reason("actions", "schedule.actions", f"the agreement does not permit {action}")


def _stampable(item: Item, actions: Collection[str], terms: AgreementTerms) -> Iterator[Reason]:
    media_type = item.current.media_type
    if "download" in actions and terms.schedule.watermark_downloads and not can_stamp(media_type):
        yield Reason("actions", "schedule.watermark_downloads",
                     f"the agreement asks that every download carry the recipient's name, and "
                     f"{why_unstampable(media_type)}: disclose it for view only")


def _unreadable(unreadable: Sequence[str], terms: AgreementTerms) -> Iterator[Reason]:
    if terms.schedule.unreadable_files is UnreadableFiles.ALLOW:
        return
    for what in unreadable:
        yield Reason("content", "schedule.unreadable_files",
                     f"{what}; the agreement does not allow unreadable files")


def _window(expires_at: datetime, now: datetime, terms: AgreementTerms) -> Iterator[Reason]:
    if expires_at <= now:
        yield Reason("window", "expires_at", "access must end in the future")
        return
    longest = terms.schedule.max_access_days
    if expires_at > now + timedelta(days=longest):
        yield Reason("window", "schedule.max_access_days",
                     f"access may last at most {longest} days under this agreement")
    ends_at = terms.ends_at
    if ends_at is not None and expires_at > ends_at:
        yield Reason("window", "term_end",
                     f"access must end by the agreement's end, {terms.term_end}")
