"""Differential check: `decide_disclosure` and the same rule written in Cedar agree.

Hypothesis generates cases over the valid value space (terms through `parse_terms`, agreements
through `new_agreement` / `sign` / `amend` / `terminate`, items, people, times around the
term), deliberately biased so that a third to a half of the cases are allowed; each case is decided by
both and must get the same answer and the same set of reason codes. The Cedar side is in
`tests/unit/cedar_model.py`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import cedarpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharebound.domain.agreements import ENDED, Agreement, new_agreement
from sharebound.domain.classification import Classification
from sharebound.domain.decisions import Decision
from sharebound.domain.items import Item
from sharebound.domain.orgs import Person, Role
from sharebound.domain.rules import decide_disclosure
from sharebound.domain.terms import AgreementTerms, Kind, RecipientMode
from tests.factories import NOW, make_item, make_person, make_terms, signed_agreement, standard_of
from tests.unit.cedar_model import POLICIES, SCHEMA, cedar_request, reason_codes

ORGS = ("acme", "globex", "initech")
OUTSIDER = "umbrella"  # never a party
ANY_ORG = (*ORGS, OUTSIDER)
TOPICS = ("thermal", "pricing", "roadmap", "sensors")
NAMES = ("grace", "hal", "ivy")
ROLES = tuple(r.value for r in Role)
ACTIONS = ("view", "download")
CREATED_AT = datetime(2026, 10, 1, tzinfo=UTC)
SIGNED_AT = datetime(2026, 11, 15, 9, 30, tzinfo=UTC)
EFFECTIVE_DATES = (date(2026, 12, 1), date(2027, 2, 1))
TERM_ENDS = (date(2027, 1, 15), date(2027, 6, 1), date(2027, 12, 1), date(2028, 6, 1))
SPAN_START = datetime(2026, 11, 1, tzinfo=UTC)
SPAN_SECONDS = int((datetime(2028, 9, 1, tzinfo=UTC) - SPAN_START).total_seconds())

POLICY_SET = cedarpy.PolicySet.from_str(POLICIES)
CEDAR_SCHEMA = cedarpy.Schema.from_str(SCHEMA)


def email(name: str, org: str) -> str:
    return f"{name}@{org}.example"


def likely(draw: st.DrawFn, chance_in_10: int = 8) -> bool:
    """True most of the time: biases a draw towards the value that keeps a case allowed."""
    return draw(st.integers(0, 9)) < chance_in_10


def subset(draw: st.DrawFn, pool: tuple[str, ...], min_size: int = 0) -> list[str]:
    return draw(st.lists(st.sampled_from(pool), min_size=min_size, max_size=len(pool), unique=True))


@st.composite
def terms_for(draw: st.DrawFn, parties: list[str]) -> AgreementTerms:
    kind = draw(st.sampled_from([Kind.MUTUAL, Kind.ONE_WAY]))
    disclosing: list[str] = []
    if kind is Kind.ONE_WAY:  # a non-empty proper subset of the parties
        disclosing = draw(st.lists(st.sampled_from(parties), min_size=1, max_size=len(parties) - 1,
                                   unique=True))
    effective = draw(st.sampled_from(EFFECTIVE_DATES))
    term_end = draw(st.one_of(st.none(), st.sampled_from([d for d in TERM_ENDS if d > effective])))
    topics_allowed = subset(draw, TOPICS) if draw(st.booleans()) else []
    topics_excluded = [t for t in subset(draw, TOPICS) if t not in topics_allowed]
    mode = draw(st.sampled_from(list(RecipientMode)))
    recipients: dict[str, Any] = {"mode": mode.value}
    if mode is RecipientMode.ROLES:
        recipients["roles"] = subset(draw, ROLES, min_size=1)
    elif mode is RecipientMode.NAMED:
        pool = tuple(email(n, o) for o in parties for n in NAMES)
        recipients["people"] = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True))
    return make_terms(
        kind=kind.value,
        parties=parties,
        disclosing_parties=disclosing,
        effective_date=effective.isoformat(),
        term_end=term_end.isoformat() if term_end else None,
        notice={p: f"legal@{p}.example" for p in parties},
        schedule={
            "ceiling": draw(st.sampled_from(["internal", "confidential"])),
            "topics_allowed": topics_allowed,
            "topics_excluded": topics_excluded,
            "recipients": recipients,
            "actions": subset(draw, ACTIONS, min_size=1),
            "max_access_days": draw(st.one_of(st.sampled_from([1, 30, 90, 365, 3650]),
                                              st.integers(1, 3650))),
        },
    )


def sign_all(agreement: Agreement, at: datetime, orgs: list[str] | None = None) -> Agreement:
    current = agreement.current
    for org in orgs if orgs is not None else current.terms.parties:
        agreement, _ = agreement.sign(org=org, person_id=f"per_{org}_signer", name="Sam Signer",
                                      title="General Counsel", digest=current.digest, at=at)
    return agreement


def a_moment(draw: st.DrawFn) -> datetime:
    return SPAN_START + timedelta(seconds=draw(st.integers(0, SPAN_SECONDS)))


@st.composite
def agreements(draw: st.DrawFn) -> Agreement:
    parties = sorted(draw(st.lists(st.sampled_from(ORGS), min_size=2, max_size=3, unique=True)))
    terms = draw(terms_for(parties))
    agreement = new_agreement("agr_1", "prt_1", terms, by="per_acme_alice", at=CREATED_AT,
                              standard=standard_of(terms))
    signing = "all" if likely(draw, 9) else draw(st.sampled_from(["some", "none"]))
    if signing == "all":
        agreement = sign_all(agreement, SIGNED_AT)
    elif signing == "some":
        agreement = sign_all(agreement, SIGNED_AT, parties[: draw(st.integers(1, len(parties) - 1))])
    amendment = draw(st.sampled_from(["none", "none", "none", "pending", "signed"]))
    if amendment != "none":
        at = SIGNED_AT + timedelta(days=1)
        amended = draw(terms_for(parties))
        if amended.canonical() != agreement.current.terms.canonical() and agreement.status(at) not in ENDED:
            agreement = agreement.amend(amended, by="per_acme_alice", at=at,
                                        standard=standard_of(amended))
            if amendment == "signed":
                agreement = sign_all(agreement, at)
    if not likely(draw, 9):
        at = a_moment(draw)
        if agreement.status(at) not in ENDED:
            agreement = agreement.terminate(org=parties[0], person_id=f"per_{parties[0]}_signer",
                                            reason="the project ended", at=at)
    return agreement


def person(org: str, name: str, roles: list[str]) -> Person:
    # Built directly, not with make_person, so that a person with no role can occur.
    return Person(id=f"per_{org}_{name}", org=org, name=name.title(), email=email(name, org),
                  roles=frozenset(Role(r) for r in roles), created_at=NOW)


@dataclass(frozen=True)
class Case:
    discloser: str
    item: Item
    agreement: Agreement
    recipients: list[Person]
    actions: list[str]
    expires_at: datetime
    now: datetime
    findings: tuple[str, ...]

    def kwargs(self) -> dict[str, Any]:
        return {"discloser": self.discloser, "item": self.item, "agreement": self.agreement,
                "recipients": self.recipients, "actions": self.actions,
                "expires_at": self.expires_at, "now": self.now, "findings": self.findings}


@st.composite
def cases(draw: st.DrawFn) -> Case:
    agreement = draw(agreements())
    terms = agreement.governing_version(NOW).terms
    schedule = terms.schedule
    disclosers = [p for p in terms.parties if terms.may_disclose(p)]
    discloser = draw(st.sampled_from(disclosers if likely(draw) else ANY_ORG))
    owner = discloser if likely(draw, 9) else draw(st.sampled_from(ANY_ORG))
    topic_pool = tuple(t for t in TOPICS if t not in schedule.topics_excluded
                       and (not schedule.topics_allowed or t in schedule.topics_allowed))
    if topic_pool and likely(draw):
        topics = subset(draw, topic_pool, min_size=1 if schedule.topics_allowed else 0)
    else:
        topics = [] if draw(st.booleans()) else subset(draw, TOPICS)
    classification = draw(st.sampled_from(
        [c for c in Classification if not c.exceeds(schedule.ceiling)] if likely(draw)
        else list(Classification)))
    item = replace(make_item(owner=owner, classification=classification),
                   topics=frozenset(topics))

    receivers = [p for p in terms.parties if p != discloser
                 and (terms.kind is Kind.MUTUAL or p not in terms.disclosing_parties)]
    non_receivers = [p for p in terms.parties if p not in receivers]
    recipients = []
    if schedule.recipients.mode is RecipientMode.NAMED:  # prefer orgs with people named
        receivers = [o for o in receivers if any(e.endswith(f"@{o}.example")
                                                 for e in schedule.recipients.people)] or receivers
    for _ in range(draw(st.integers(0, 3) if not likely(draw, 9) else st.integers(1, 3))):
        if receivers and likely(draw):
            org = draw(st.sampled_from(receivers))
        elif non_receivers and likely(draw, 6):  # the discloser itself, or a disclosing party
            org = draw(st.sampled_from(non_receivers))
        else:
            org = draw(st.sampled_from(ANY_ORG))
        if schedule.recipients.mode is RecipientMode.NAMED and likely(draw):
            named = [e for e in sorted(schedule.recipients.people) if e.endswith(f"@{org}.example")]
            name = named[0].split("@")[0] if named else draw(st.sampled_from(NAMES))
        else:
            name = draw(st.sampled_from(NAMES))
        if schedule.recipients.mode is RecipientMode.ROLES and likely(draw):
            roles = [*subset(draw, ROLES), sorted(schedule.recipients.roles)[0]]
        else:
            roles = [] if not likely(draw, 7) else subset(draw, ROLES, min_size=1)
        recipients.append(person(org, name, sorted(set(roles))))

    permitted = tuple(sorted(a.value for a in schedule.actions))
    if likely(draw, 9):
        actions = subset(draw, permitted, min_size=1)
    else:
        actions = draw(st.lists(st.sampled_from([*ACTIONS, "print", "View"]), max_size=3))

    ends_at = terms.ends_at
    moment = draw(st.integers(0, 9))
    if moment < 4:  # within the term
        term_seconds = int(((ends_at or terms.starts_at + timedelta(days=400)) - terms.starts_at)
                           .total_seconds())
        now = terms.starts_at + timedelta(seconds=draw(st.integers(0, term_seconds - 1)))
    elif moment < 8 and ends_at is not None:  # the term ends within the longest access window
        now = max(terms.starts_at, ends_at - timedelta(
            seconds=draw(st.integers(1, schedule.max_access_days * 86_400))))
    else:
        now = a_moment(draw)
    longest = now + timedelta(days=schedule.max_access_days)
    latest = min(longest, ends_at) if ends_at is not None else longest
    edges = [latest, latest + timedelta(microseconds=1), now, now + timedelta(microseconds=1),
             longest, longest + timedelta(microseconds=1)]
    if ends_at is not None:
        edges += [ends_at, ends_at + timedelta(microseconds=1)]
    window = draw(st.integers(0, 9))
    if latest > now and window < 4:  # a window the terms allow
        span = (latest - now) // timedelta(microseconds=1)
        expires_at = now + timedelta(microseconds=draw(st.integers(1, span)))
    elif window < 8:  # on an edge, to the microsecond
        expires_at = draw(st.sampled_from(edges))
    else:
        expires_at = now + timedelta(
            seconds=draw(st.integers(-2 * 86_400, (schedule.max_access_days + 5) * 86_400)))
    findings = () if likely(draw, 9) else ("the content gate found an API key",)
    return Case(discloser, item, agreement, recipients, actions, expires_at, now, findings)


def cedar_decide(case: Case) -> cedarpy.AuthzResult:
    request, entities = cedar_request(**case.kwargs())
    result = cedarpy.is_authorized(request, POLICY_SET, entities, schema=CEDAR_SCHEMA)
    # A forbid that errors is skipped by Cedar, which would allow silently: never accept that.
    assert result.diagnostics.errors == [], result.diagnostics.errors
    return result


def check_agree(case: Case) -> Decision:
    """Both sides give the same answer and the same set of reason codes; ours is returned."""
    ours = decide_disclosure(**case.kwargs())
    cedar = cedar_decide(case)
    assert ours.allowed == cedar.allowed, (ours.codes, cedar.diagnostics.id_annotations_by_reason)
    codes = reason_codes(cedar.diagnostics.reasons, cedar.diagnostics.id_annotations_by_reason)
    assert set(ours.codes) == codes
    return ours


def test_policies_validate_against_the_schema() -> None:
    result = cedarpy.validate_policies(POLICIES, CEDAR_SCHEMA)
    assert result.validation_passed, result.errors


def test_python_rule_and_cedar_agree_on_generated_cases() -> None:
    outcomes: Counter[bool] = Counter()
    codes: Counter[str] = Counter()

    @settings(max_examples=300, deadline=None, database=None)
    @given(cases())
    def agree(case: Case) -> None:
        decision = check_agree(case)
        outcomes[decision.allowed] += 1
        codes.update(set(decision.codes))

    agree()
    # The generator must reach both answers and every reason, or the agreement means little.
    assert outcomes[True] >= 40 and outcomes[False] >= 40, outcomes
    assert set(codes) == {"owner", "party", "in_force", "ceiling", "topics", "recipients",
                          "actions", "window", "content"}, codes


BASE = {"discloser": "acme", "item": make_item(), "agreement": signed_agreement(),
        "recipients": [make_person()], "actions": ["view"], "now": NOW,
        "expires_at": NOW + timedelta(days=30)}


@pytest.mark.parametrize(("change", "codes"), [
    ({}, set()),
    ({"discloser": "globex"}, {"owner", "recipients"}),
    ({"discloser": "initech"}, {"owner", "party"}),
    ({"item": make_item(classification=Classification.RESTRICTED)}, {"ceiling"}),
    ({"item": make_item(topics={"pricing"})}, {"topics"}),
    ({"recipients": []}, {"recipients"}),
    ({"recipients": [make_person(org="acme")]}, {"recipients"}),
    ({"recipients": [person("globex", "grace", [])]}, set()),  # all_members: roles don't matter
    ({"recipients": [make_person(org="initech")]}, {"recipients"}),
    ({"actions": []}, {"actions"}),
    ({"actions": ["print"]}, {"actions"}),
    ({"expires_at": NOW}, {"window"}),
    ({"expires_at": NOW + timedelta(days=90, microseconds=1)}, {"window"}),
    ({"expires_at": NOW + timedelta(days=90)}, set()),
    ({"now": datetime(2027, 11, 30, tzinfo=UTC),
      "expires_at": datetime(2027, 12, 1, tzinfo=UTC)}, set()),
    ({"now": datetime(2027, 11, 30, tzinfo=UTC),
      "expires_at": datetime(2027, 12, 1, 0, 0, 1, tzinfo=UTC)}, {"window"}),
    ({"now": datetime(2027, 12, 1, tzinfo=UTC),
      "expires_at": datetime(2027, 12, 2, tzinfo=UTC)}, {"in_force", "window"}),
    ({"findings": ("a secret",)}, {"content"}),
])
def test_known_cases(change: dict[str, Any], codes: set[str]) -> None:
    kwargs = {**BASE, **change}
    ours = decide_disclosure(**kwargs)
    cedar = cedar_decide(Case(**{"findings": (), **kwargs}))
    assert set(ours.codes) == codes
    assert reason_codes(cedar.diagnostics.reasons, cedar.diagnostics.id_annotations_by_reason) == codes
    assert ours.allowed == cedar.allowed == (not codes)


def test_roles_mode_needs_one_allowed_role_per_recipient() -> None:
    terms = make_terms(schedule={"recipients": {"mode": "roles", "roles": ["signer", "admin"]}})
    kwargs = {**BASE, "agreement": signed_agreement(terms)}
    for roles, allowed in [(["signer"], True), (["admin", "member"], True), (["member"], False),
                           ([], False)]:
        case = Case(**{**kwargs, "findings": (),
                       "recipients": [person("globex", "grace", ["admin"]),
                                      person("globex", "hal", roles)]})
        assert check_agree(case).allowed is allowed, roles
