"""Properties of the two rules and of versioned terms, over generated agreements.

(a) decide_disclosure allows exactly when an independently written checker finds every
    term holds, and refuses with exactly the codes of the terms the checker finds broken.
(b) a recipient never gets access after revocation, at or after expiry, or at or after
    the agreement's termination or term end.
(c) any change to any term changes the digest, and no signature carries over to it.
(d) parse_terms answers any JSON with terms or InvalidTerms, never another error, and the
    terms it accepts survive a round trip through their canonical JSON.

The checker reads the generated terms *as JSON* and never calls the domain's helpers
(no `may_disclose`, `status`, `exceeds`, `ends_at`...).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sharebound.domain.agreements import Agreement, Signature, new_agreement
from sharebound.domain.classification import Classification
from sharebound.domain.disclosures import Disclosure, Revocation
from sharebound.domain.errors import DigestMismatch, InvalidTerms
from sharebound.domain.items import Item, ItemKind, ItemVersion
from sharebound.domain.orgs import Person, Role
from sharebound.domain.rules import decide_access, decide_disclosure
from sharebound.domain.terms import Action, parse_terms

PROPERTY = settings(max_examples=200, deadline=None, database=None,  # why: write nothing outside tests/
                    suppress_health_check=[HealthCheck.too_slow])

HANDLES = ("acme", "globex", "initech")
OUTSIDER = "hooli"
TOPICS = ("pricing", "thermal", "roadmap")
ROLES = ("admin", "signer", "member")
EMAILS = ("ann@x.example", "bob@x.example", "cat@x.example", "dan@x.example")
ACTIONS = ("view", "download")
KINDS = ("mutual", "one_way")
MODES = ("all_members", "roles", "named")
RANK = {"public": 0, "internal": 1, "confidential": 2, "restricted": 3}
ZONES = (UTC, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30)),
         timezone(timedelta(hours=14)))
T_CREATED = datetime(2025, 1, 1, tzinfo=UTC)


def midnight(day: str | None) -> datetime | None:
    """A YYYY-MM-DD string from the terms JSON, as that day's 00:00 UTC."""
    return None if day is None else datetime.combine(date.fromisoformat(day), time.min, tzinfo=UTC)


def often(draw: st.DrawFn, times_in_ten: int) -> bool:
    """True `times_in_ten` times in ten; the likelier answer first, as sampled_from favours it."""
    choices = (True,) * times_in_ten + (False,) * (10 - times_in_ten)
    return draw(st.sampled_from(choices if times_in_ten >= 5 else choices[::-1]))


def subsets(values: tuple[str, ...] | list[str], min_size: int = 0) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), min_size=min_size, unique=True) if values else st.just([])


# -- terms as JSON ----------------------------------------------------------------------


@st.composite
def recipients_json(draw: st.DrawFn, mode: str | None = None) -> dict[str, Any]:
    mode = mode or draw(st.sampled_from(MODES))
    if mode == "roles":
        return {"mode": mode, "roles": sorted(draw(subsets(ROLES, 1)))}
    if mode == "named":
        return {"mode": mode, "people": sorted(draw(subsets(EMAILS, 1)))}
    return {"mode": mode}


@st.composite
def terms_json(draw: st.DrawFn, kind: str | None = None, mode: str | None = None) -> dict[str, Any]:
    parties = sorted(draw(subsets(HANDLES, 2)))
    kind = kind or draw(st.sampled_from(KINDS))
    disclosing = []
    if kind == "one_way":
        disclosing = sorted(draw(st.lists(st.sampled_from(parties), min_size=1,
                                          max_size=len(parties) - 1, unique=True)))
    effective = draw(st.dates(date(2026, 1, 1), date(2028, 12, 31)))
    term_end = draw(st.none() | st.integers(1, 800).map(lambda d: effective + timedelta(days=d)))
    allowed = sorted(draw(subsets(TOPICS)))
    excluded = sorted(draw(subsets([t for t in TOPICS if t not in allowed])))
    return {
        "kind": kind, "parties": parties, "disclosing_parties": disclosing,
        "purpose": draw(st.sampled_from(["Evaluate a joint sensor product", "Price a bundle"])),
        "effective_date": effective.isoformat(),
        "term_end": term_end.isoformat() if term_end else None,
        "confidentiality_years": draw(st.none() | st.integers(1, 99)),
        "governing_law": draw(st.sampled_from(["Delaware", "England and Wales"])),
        "courts": draw(st.sampled_from(["New Castle County, Delaware", "London"])),
        "notice": {p: f"legal@{p}.example" for p in parties},
        "schedule": {
            "ceiling": draw(st.sampled_from(["internal", "confidential"])),
            "topics_allowed": allowed,
            "topics_excluded": excluded,
            "recipients": draw(recipients_json(mode)),
            "actions": sorted(draw(subsets(ACTIONS, 1))),
            "watermark_downloads": draw(st.booleans()),
            "max_access_days": draw(st.integers(1, 400) | st.sampled_from([1, 3650])),
            "return_days": draw(st.integers(0, 365)),
        },
    }


# -- agreements, as the parties made them -------------------------------------------------


@dataclass(frozen=True)
class AgreementFacts:
    """What happened to an agreement, kept apart from the Agreement the domain builds."""

    data: dict[str, Any]  # the in-force (latest fully signed, else only) version's terms JSON
    agreement: Agreement
    fully_signed: bool
    terminated_at: datetime | None


def moment(draw: st.DrawFn, anchor: datetime, low_days: int, high_days: int) -> datetime:
    """An instant near `anchor`, in a random time zone; whole days half the time."""
    if draw(st.booleans()):
        offset = timedelta(days=draw(st.integers(low_days, high_days)))
    else:
        offset = timedelta(microseconds=draw(st.integers(low_days * 86_400_000_000,
                                                         high_days * 86_400_000_000)))
    return (anchor + offset).astimezone(draw(st.sampled_from(ZONES)))


def sign_all(agreement: Agreement, orgs: list[str], at: datetime) -> Agreement:
    for org in orgs:
        agreement, _ = agreement.sign(org=org, person_id=f"per_{org}_signer", name="Sam", title="CEO",
                                      digest=agreement.current.digest, at=at)
    return agreement


@st.composite
def agreements(
    draw: st.DrawFn, *, amend: bool = False, mode: str | None = None, settled: bool = False,
) -> AgreementFacts:
    """Signed by every party 9 times in 10, terminated 2 in 10; `settled`: always signed, never
    terminated (it may still have expired, or not be effective yet, at a given moment)."""
    data = draw(terms_json(None, mode))
    terms = parse_terms(data)
    start = midnight(data["effective_date"])
    assert start is not None
    signed_at = start - timedelta(days=draw(st.integers(0, 60)))
    fully_signed = settled or often(draw, 9)
    signers = data["parties"] if fully_signed else draw(
        st.lists(st.sampled_from(data["parties"]), max_size=len(data["parties"]) - 1, unique=True))
    agreement = sign_all(new_agreement("agr_1", "prt_1", terms, by="per_x", at=signed_at),
                         signers, signed_at)
    if amend and fully_signed and draw(st.booleans()):
        # An amendment of term_end and actions, signed by all, some, or none of the parties.
        new = copy.deepcopy(data)
        new["term_end"] = draw(st.none() | st.integers(1, 800).map(
            lambda d: (date.fromisoformat(data["effective_date"]) + timedelta(days=d)).isoformat()))
        new["schedule"]["actions"] = sorted(draw(subsets(ACTIONS, 1)))
        if new != data:
            agreement = agreement.amend(parse_terms(new), by="per_x", at=signed_at)
            amend_signers = draw(subsets(data["parties"]))
            agreement = sign_all(agreement, sorted(amend_signers), signed_at)
            if set(amend_signers) == set(data["parties"]):
                data = new
    terminated_at = None
    if not settled and often(draw, 2):
        at = moment(draw, start, -30, 900)
        end = midnight(data["term_end"])
        if not (fully_signed and end is not None and at >= end):  # an expired NDA cannot be terminated
            agreement = agreement.terminate(org=data["parties"][0], person_id="per_x", reason="Over", at=at)
            terminated_at = at
    return AgreementFacts(data, agreement, fully_signed, terminated_at)


def checker_in_force(facts: AgreementFacts, now: datetime) -> bool:
    start, end = midnight(facts.data["effective_date"]), midnight(facts.data["term_end"])
    assert start is not None
    return (
        facts.fully_signed
        and start <= now
        and (end is None or now < end)
        and (facts.terminated_at is None or now < facts.terminated_at)
    )


# -- (a) decide_disclosure against the checker ------------------------------------------


@dataclass(frozen=True)
class Attempt:
    facts: AgreementFacts
    discloser: str
    item: Item
    recipients: tuple[Person, ...]
    actions: tuple[str, ...]
    now: datetime
    expires_at: datetime
    findings: tuple[str, ...]


def person(draw: st.DrawFn, index: int, orgs: list[str], roles: list[str], emails: list[str]) -> Person:
    return Person(
        id=f"per_{index}", org=draw(st.sampled_from(orgs)), name=f"P{index}",
        email=draw(st.sampled_from(emails)),
        roles=frozenset(Role(r) for r in draw(st.lists(st.sampled_from(roles), min_size=1, unique=True))),
        created_at=T_CREATED,
    )


PARTS = ("none", "agreement", "discloser", "owner", "classification", "topics", "recipients",
         "actions", "now", "expires_at", "findings", "all")


@st.composite
def attempts(draw: st.DrawFn, mode: str, loose: str) -> Attempt:
    """An attempt aimed at what the terms allow, except the `loose` part, drawn freely
    ("none": nothing loose, so most are allowed; "all": everything loose)."""
    facts = draw(agreements(mode=mode, settled=loose not in ("agreement", "all")))
    data, schedule = facts.data, facts.data["schedule"]
    every_org = [*HANDLES, OUTSIDER]

    def aimed(part: str) -> bool:
        return loose not in (part, "all")

    may_disclose = [p for p in data["parties"] if data["kind"] == "mutual" or p in data["disclosing_parties"]]
    discloser = draw(st.sampled_from(may_disclose if aimed("discloser") else every_org))
    owner = discloser if aimed("owner") else draw(st.sampled_from(every_org))

    ceiling = RANK[schedule["ceiling"]]
    levels = [c for c in RANK if RANK[c] <= ceiling] if aimed("classification") else list(RANK)
    classification = Classification(draw(st.sampled_from(levels)))

    if aimed("topics"):
        pool = [t for t in (schedule["topics_allowed"] or TOPICS) if t not in schedule["topics_excluded"]]
        topics = draw(subsets(pool, 1 if schedule["topics_allowed"] else 0))
    else:
        topics = draw(subsets(TOPICS))
    item = Item(id="itm_1", owner=owner, kind=ItemKind.NOTE, title="T", classification=classification,
                topics=frozenset(topics),
                versions=(ItemVersion(1, "ab" * 32, 1, "text/plain", None, T_CREATED, "per_x"),),
                created_at=T_CREATED)

    receiving = [p for p in data["parties"] if p != discloser
                 and (data["kind"] == "mutual" or p not in data["disclosing_parties"])]
    rules = schedule["recipients"]
    count = st.integers(1, 3)
    if aimed("recipients") and receiving:
        roles, emails = rules.get("roles", list(ROLES)), rules.get("people", list(EMAILS))
        recipients = [person(draw, i, receiving, roles, emails) for i in range(draw(count))]
    elif receiving and draw(st.booleans()):  # the right orgs, any roles and emails
        recipients = [person(draw, i, receiving, list(ROLES), list(EMAILS)) for i in range(draw(count))]
    else:
        recipients = [person(draw, i, every_org, list(ROLES), list(EMAILS))
                      for i in range(draw(st.integers(0, 3)))]

    actions = (draw(subsets(schedule["actions"], 1)) if aimed("actions")
               else draw(st.lists(st.sampled_from([*ACTIONS, "print"]), max_size=3)))

    start, end = midnight(data["effective_date"]), midnight(data["term_end"])
    assert start is not None
    term_days = (end - start).days if end is not None else 900
    if not aimed("now"):
        now = moment(draw, start, -20, 900)
    elif draw(st.booleans()):
        now = moment(draw, start, 0, term_days - 1)
    else:  # within the longest access window of the term end, where both limits matter
        now = moment(draw, start, max(term_days - schedule["max_access_days"], 0), term_days - 1)

    longest = now + timedelta(days=schedule["max_access_days"])
    limit = min(longest, end) if end is not None else longest
    if aimed("expires_at") and limit > now:
        span = int((limit - now) / timedelta(microseconds=1))
        expires_at = now + timedelta(microseconds=draw(st.integers(1, span) | st.just(span)))
    else:
        candidates = [now, longest, longest + timedelta(microseconds=1), now - timedelta(days=1)]
        if end is not None:
            candidates += [end, end + timedelta(microseconds=1)]
        expires_at = draw(st.sampled_from(candidates) | st.integers(-86_400, 500 * 86_400).map(
            lambda s: now + timedelta(seconds=s)))
    expires_at = expires_at.astimezone(draw(st.sampled_from(ZONES)))

    findings = () if aimed("findings") else tuple(draw(st.lists(st.sampled_from(["malware", "key"]))))
    return Attempt(facts, discloser, item, tuple(recipients), tuple(actions), now, expires_at, findings)


def broken_terms(attempt: Attempt) -> set[str]:
    """The codes of every term the attempt breaks, judged from the terms JSON alone."""
    data, schedule = attempt.facts.data, attempt.facts.data["schedule"]
    broken = set()
    if attempt.item.owner != attempt.discloser:
        broken.add("owner")
    one_way = data["kind"] == "one_way"
    if attempt.discloser not in data["parties"] or (one_way and attempt.discloser not in
                                                     data["disclosing_parties"]):
        broken.add("party")
    if not checker_in_force(attempt.facts, attempt.now):
        broken.add("in_force")
    level = attempt.item.classification.value
    if level == "restricted" or RANK[level] > RANK[schedule["ceiling"]]:
        broken.add("ceiling")
    topics, allowed = set(attempt.item.topics), set(schedule["topics_allowed"])
    if topics & set(schedule["topics_excluded"]) or (allowed and (not topics or not topics <= allowed)):
        broken.add("topics")

    def receives(p: Person) -> bool:
        rules = schedule["recipients"]
        return (
            p.org in data["parties"] and p.org != attempt.discloser
            and not (one_way and p.org in data["disclosing_parties"])
            and (rules["mode"] != "roles" or bool({r.value for r in p.roles} & set(rules["roles"])))
            and (rules["mode"] != "named" or p.email in rules["people"])
        )

    if not attempt.recipients or not all(receives(p) for p in attempt.recipients):
        broken.add("recipients")
    if not attempt.actions or not set(attempt.actions) <= set(schedule["actions"]):
        broken.add("actions")
    end = midnight(data["term_end"])
    if not (attempt.now < attempt.expires_at
            <= attempt.now + timedelta(days=schedule["max_access_days"])
            and (end is None or attempt.expires_at <= end)):
        broken.add("window")
    if attempt.findings:
        broken.add("content")
    return broken


@pytest.mark.parametrize("loose", PARTS)
@pytest.mark.parametrize("mode", MODES)
@settings(PROPERTY, max_examples=9)
@given(data=st.data())
def test_disclosure_is_allowed_exactly_when_every_term_holds(
    mode: str, loose: str, data: st.DataObject,
) -> None:
    attempt = data.draw(attempts(mode, loose))

    decision = decide_disclosure(
        discloser=attempt.discloser, item=attempt.item, agreement=attempt.facts.agreement,
        recipients=attempt.recipients, actions=attempt.actions, expires_at=attempt.expires_at,
        now=attempt.now, findings=attempt.findings,
    )
    broken = broken_terms(attempt)

    if decision.allowed:
        assert broken == set(), f"allowed although {sorted(broken)} do not hold"
    if broken:
        assert not decision.allowed, f"allowed although {sorted(broken)} do not hold"
    assert set(decision.codes) == broken


# -- (b) no access after the end ----------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    facts: AgreementFacts
    disclosure: Disclosure
    recipient: Person
    action: str
    now: datetime


@st.composite
def visits(draw: st.DrawFn) -> Visit:
    facts = draw(agreements(amend=True))
    data = facts.data
    start = midnight(data["effective_date"])
    assert start is not None
    discloser = data["parties"][0]
    made_at = moment(draw, start, 0, 400)
    version = facts.agreement.signed_version or facts.agreement.current
    disclosure = Disclosure(
        id="dsc_1", partnership_id="prt_1", item_id="itm_1", item_version=1, item_sha256="ab" * 32,
        discloser=discloser, disclosed_by="per_x", agreement_id="agr_1",
        agreement_version=version.number, agreement_digest=version.digest,
        recipients=frozenset({"per_r", "per_other"}),
        actions=frozenset(Action(a) for a in draw(subsets(ACTIONS, 1))),
        created_at=made_at, expires_at=moment(draw, made_at, 0, 120),
    )
    if draw(st.booleans()):
        revoked_at = moment(draw, made_at, 0, 120)
        disclosure = replace(disclosure, revocation=Revocation("per_x", "Oops", revoked_at))
    recipient = Person(id="per_r", org=draw(st.sampled_from([p for p in data["parties"] if p != discloser])),
                       name="R", email="r@x.example", roles=frozenset({Role.MEMBER}), created_at=T_CREATED)
    action = draw(st.sampled_from([*ACTIONS, "print"]))
    if often(draw, 5):
        now = moment(draw, made_at, -5, 600)
    else:  # while the disclosure runs, so that access is sometimes granted
        span = int((disclosure.expires_at - made_at) / timedelta(microseconds=1))
        now = made_at + timedelta(microseconds=draw(st.integers(0, max(span - 1, 0))))
    return Visit(facts, disclosure, recipient, action, now)


@PROPERTY
@given(visits())
def test_a_recipient_never_has_access_after_the_end(visit: Visit) -> None:
    disclosure, now = visit.disclosure, visit.now
    end = midnight(visit.facts.data["term_end"])

    decision = decide_access(person=visit.recipient, disclosure=disclosure,
                             agreement=visit.facts.agreement, action=visit.action, now=now)

    ended = (
        (disclosure.revocation is not None and now >= disclosure.revocation.at)
        or now >= disclosure.expires_at
        or (visit.facts.terminated_at is not None and now >= visit.facts.terminated_at)
        or (end is not None and now >= end)
    )
    if ended:
        assert not decision.allowed
        assert decision.reasons != ()
    elif (checker_in_force(visit.facts, now) and visit.action in disclosure.actions
          and visit.action in visit.facts.data["schedule"]["actions"]):
        assert decision.allowed
    else:
        assert not decision.allowed


@settings(PROPERTY, max_examples=100)
@given(visits(), st.sampled_from(["per_stranger", "per_x"]))
def test_a_non_recipient_never_learns_the_disclosure_exists(visit: Visit, person_id: str) -> None:
    stranger = replace(visit.recipient, id=person_id)

    decision = decide_access(person=stranger, disclosure=visit.disclosure,
                             agreement=visit.facts.agreement, action=visit.action, now=visit.now)

    assert decision.not_found
    assert decision.reasons == ()


# -- (c) every change is a new version to sign --------------------------------------------


def other_text(draw: st.DrawFn, current: str) -> str:
    return draw(st.sampled_from([current + " and nothing else", "Another purpose", "Ohio", "Paris"]))


FIELDS = (
    "kind", "parties", "disclosing_parties", "purpose", "effective_date", "term_end",
    "confidentiality_years", "governing_law", "courts", "notice", "schedule.ceiling",
    "schedule.topics_allowed", "schedule.topics_excluded", "schedule.recipients",
    "schedule.actions", "schedule.watermark_downloads", "schedule.max_access_days",
    "schedule.return_days",
)


@st.composite
def mutations(draw: st.DrawFn, field: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(terms JSON in canonical shape, the same with `field` changed to another valid value)."""
    base = parse_terms(draw(terms_json("one_way" if field == "disclosing_parties" else None))).to_json()
    new = copy.deepcopy(base)
    schedule = new["schedule"]
    effective = date.fromisoformat(new["effective_date"])
    if field == "kind":
        if new["kind"] == "mutual":
            new["kind"], new["disclosing_parties"] = "one_way", [draw(st.sampled_from(new["parties"]))]
        else:
            new["kind"], new["disclosing_parties"] = "mutual", []
    elif field == "parties":
        if len(new["parties"]) > 2 and draw(st.booleans()):
            gone = draw(st.sampled_from(new["parties"]))
            new["parties"].remove(gone)
            del new["notice"][gone]
            new["disclosing_parties"] = [p for p in new["disclosing_parties"] if p != gone]
            if new["kind"] == "one_way" and set(new["disclosing_parties"]) in (set(), set(new["parties"])):
                new["disclosing_parties"] = [new["parties"][0]]  # one discloses, one receives
        else:
            new["parties"] = sorted([*new["parties"], "umbrella"])
            new["notice"]["umbrella"] = "legal@umbrella.example"
    elif field == "disclosing_parties":
        receiving = [p for p in new["parties"] if p not in new["disclosing_parties"]]
        if len(new["parties"]) == 2:  # the roles swap
            new["disclosing_parties"] = receiving
        else:
            new["disclosing_parties"] = sorted(draw(st.lists(
                st.sampled_from(new["parties"]), min_size=1, max_size=len(new["parties"]) - 1, unique=True)))
    elif field in ("purpose", "governing_law", "courts"):
        new[field] = other_text(draw, new[field])
    elif field == "effective_date":
        new[field] = (effective - timedelta(days=draw(st.integers(1, 400)))).isoformat()
    elif field == "term_end":
        new[field] = draw(st.none() | st.integers(1, 900).map(
            lambda d: (effective + timedelta(days=d)).isoformat()))
    elif field == "confidentiality_years":
        new[field] = draw(st.none() | st.integers(1, 99))
    elif field == "notice":
        party = draw(st.sampled_from(new["parties"]))
        new["notice"][party] = draw(st.sampled_from(["ceo", "nda", "legal2"])) + f"@{party}.example"
    elif field == "schedule.ceiling":
        schedule["ceiling"] = "internal" if schedule["ceiling"] == "confidential" else "confidential"
    elif field in ("schedule.topics_allowed", "schedule.topics_excluded"):
        key = field.removeprefix("schedule.")
        other = "topics_excluded" if key == "topics_allowed" else "topics_allowed"
        schedule[key] = sorted(draw(subsets([t for t in TOPICS if t not in schedule[other]])))
    elif field == "schedule.recipients":
        schedule["recipients"] = draw(recipients_json())
    elif field == "schedule.actions":
        schedule["actions"] = sorted(draw(subsets(ACTIONS, 1)))
    elif field == "schedule.watermark_downloads":
        schedule["watermark_downloads"] = not schedule["watermark_downloads"]
    elif field == "schedule.max_access_days":
        schedule["max_access_days"] = draw(st.integers(1, 3650))
    else:
        schedule["return_days"] = draw(st.integers(0, 365))
    assume(new != base)
    return base, new


@pytest.mark.parametrize("field", FIELDS)
@settings(PROPERTY, max_examples=10)
@given(data=st.data())
def test_any_change_to_the_terms_is_a_new_version_every_party_signs_again(
    field: str, data: st.DataObject,
) -> None:
    base, new = data.draw(mutations(field))
    old_terms = parse_terms(base)
    try:
        new_terms = parse_terms(new)
    except InvalidTerms as invalid:  # pragma: no cover - the mutations are built valid
        pytest.fail(f"the mutation does not parse: {invalid.errors}")
    signed_at = datetime(2025, 6, 1, tzinfo=UTC)
    agreement = sign_all(new_agreement("agr_1", "prt_1", old_terms, by="per_x", at=signed_at),
                         list(old_terms.parties), signed_at)

    if set(new_terms.parties) == set(old_terms.parties):
        amended = agreement.amend(new_terms, by="per_x", at=signed_at)
    else:  # an amendment keeps the parties; a new version still needs fresh signatures
        amended = replace(agreement, versions=(*agreement.versions, replace(
            agreement.current, number=2, terms=new_terms, digest=new_terms.digest)))
    old_version, new_version = amended.version(1), amended.version(2)
    forged = Signature(version=2, digest=old_version.digest, org=old_terms.parties[0],
                       person_id="per_x", name="Sam", title="CEO", signed_at=signed_at)

    assert new_terms.to_json() == new  # the mutation is in canonical shape: the change is real
    assert new_terms.canonical() != old_terms.canonical()
    assert new_terms.digest != old_terms.digest
    assert new_version.digest == new_terms.digest
    assert amended.signatures_of(new_version) == ()
    assert not amended.is_fully_signed(new_version)
    assert not replace(amended, signatures=(*amended.signatures, forged)).is_fully_signed(new_version)
    assert amended.signed_version is old_version
    assert amended.pending_amendment is new_version
    with pytest.raises(DigestMismatch):
        amended.sign(org=old_terms.parties[0], person_id="per_x", name="Sam", title="CEO",
                     digest=old_version.digest, at=signed_at)


@settings(PROPERTY, max_examples=100)
@given(terms_json(), st.randoms(use_true_random=False))
def test_order_of_lists_and_keys_never_changes_the_digest(data: dict[str, Any], random: Any) -> None:
    shuffled = copy.deepcopy(data)
    for values in (shuffled["parties"], shuffled["disclosing_parties"], shuffled["schedule"]["actions"],
                   shuffled["schedule"]["topics_allowed"], shuffled["schedule"]["topics_excluded"]):
        random.shuffle(values)
    notice = list(shuffled["notice"].items())
    random.shuffle(notice)
    shuffled["notice"] = dict(notice)

    assert parse_terms(shuffled).digest == parse_terms(data).digest


# -- (d) any JSON in, terms or InvalidTerms out ---------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 4000) | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "acme", "view", "roles", "internal", "2026-12-01", "x@y.example"])
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)
PLACES = (*(("top", k) for k in ("kind", "parties", "disclosing_parties", "purpose", "effective_date",
                                 "term_end", "confidentiality_years", "notice", "schedule")),
          *(("schedule", k) for k in ("ceiling", "topics_allowed", "topics_excluded", "recipients",
                                      "actions", "watermark_downloads", "max_access_days")),
          ("recipients", "mode"), ("recipients", "roles"), ("recipients", "people"))


@settings(PROPERTY, max_examples=150)
@given(terms_json(), st.sampled_from(PLACES), JSON)
def test_any_json_in_any_term_is_refused_or_accepted_never_a_crash(
    data: dict[str, Any], place: tuple[str, str], value: object,
) -> None:
    where, key = place
    target = {"top": data, "schedule": data["schedule"], "recipients": data["schedule"]["recipients"]}[where]
    target[key] = value

    try:
        terms = parse_terms(data)
    except InvalidTerms as invalid:
        assert invalid.errors
        return
    assert parse_terms(json.loads(terms.canonical())) == terms
