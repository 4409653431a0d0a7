"""decide_access (may person U do action X on disclosure D now?) and decide_message."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from sharebound.domain.agreements import Agreement, new_agreement
from sharebound.domain.classification import Classification
from sharebound.domain.decisions import Decision
from sharebound.domain.disclosures import Disclosure, DisclosureState, Revocation
from sharebound.domain.orgs import Person
from sharebound.domain.rules import actions_open_under, decide_access, decide_message
from tests.factories import MUTUAL_TERMS, NOW, make_disclosure, make_person, make_terms, signed_agreement

TERM_END = datetime(2027, 12, 1, tzinfo=UTC)
GRACE = make_person("globex", "Grace")  # the recipient (per_globex_grace)
HANK = make_person("globex", "Hank")  # same org, not a recipient
ALICE = make_person("acme", "Alice")  # the discloser's own person
IVAN = make_person("initech", "Ivan")
LATER = NOW + timedelta(days=1)


def access(
    *, person: Person = GRACE, disclosure: Disclosure | None = None,
    agreement: Agreement | None = None, action: str = "view", now: datetime = LATER,
) -> Decision:
    agreement = agreement or signed_agreement()
    disclosure = disclosure or make_disclosure(agreement=agreement)
    return decide_access(person=person, disclosure=disclosure, agreement=agreement,
                         action=action, now=now)


def pairs(decision: Decision) -> list[tuple[str, str]]:
    return [(reason.code, reason.term) for reason in decision.reasons]


def revoked(disclosure: Disclosure, at: datetime) -> Disclosure:
    return replace(disclosure, revocation=Revocation(person_id="per_acme_alice", reason="Oops", at=at))


def terminated(agreement: Agreement, at: datetime) -> Agreement:
    return agreement.terminate(org="acme", person_id="per_acme_signer", reason="Over", at=at)


def with_signed_amendment(agreement: Agreement, **overrides: object) -> Agreement:
    terms = make_terms(**overrides)
    agreement = agreement.amend(terms, by="per_acme_alice", at=NOW, standard=MUTUAL_TERMS)
    for party in terms.parties:
        agreement, _ = agreement.sign(org=party, person_id=f"per_{party}_signer", name="Sam",
                                      title="CEO", digest=agreement.current.digest, at=NOW)
    return agreement


# -- decide_access ----------------------------------------------------------------------


@pytest.mark.parametrize("action", ["view", "download"])
def test_a_recipient_may_use_an_active_disclosure(action: str) -> None:
    decision = access(action=action)

    assert decision.allowed
    assert decision.reasons == ()


def test_the_disclosers_own_people_always_see_their_own_items() -> None:
    agreement = terminated(signed_agreement(), NOW + timedelta(hours=1))
    disclosure = revoked(make_disclosure(agreement=agreement, actions={"view"}), NOW + timedelta(hours=2))

    decision = access(person=ALICE, disclosure=disclosure, agreement=agreement, action="download",
                      now=TERM_END + timedelta(days=10))

    assert decision.allowed


@pytest.mark.parametrize("person", [HANK, IVAN], ids=["same org as recipient", "other org"])
def test_a_non_recipient_is_told_the_disclosure_does_not_exist(person: Person) -> None:
    decision = access(person=person)

    assert decision.not_found is True
    assert decision.reasons == ()
    assert not decision.allowed


def test_a_non_recipient_gets_not_found_even_when_other_reasons_would_apply() -> None:
    agreement = terminated(signed_agreement(), NOW)

    decision = access(person=HANK, agreement=agreement, action="print")

    assert decision.not_found is True
    assert decision.reasons == ()


def test_a_revoked_disclosure_is_refused_from_the_moment_of_revocation() -> None:
    revoked_at = NOW + timedelta(hours=5)
    disclosure = revoked(make_disclosure(), revoked_at)

    before = access(disclosure=disclosure, now=revoked_at - timedelta(microseconds=1))
    at = access(disclosure=disclosure, now=revoked_at)

    assert before.allowed
    assert pairs(at) == [("revoked", "revocation")]
    assert disclosure.state(revoked_at) is DisclosureState.REVOKED


def test_an_expired_disclosure_is_refused_from_its_expiry_exactly() -> None:
    disclosure = make_disclosure(expires_at=NOW + timedelta(days=2))

    before = access(disclosure=disclosure, now=NOW + timedelta(days=2, microseconds=-1))
    at = access(disclosure=disclosure, now=NOW + timedelta(days=2))

    assert before.allowed
    assert pairs(at) == [("expired", "expires_at")]


def test_revocation_is_reported_rather_than_expiry_when_both_apply() -> None:
    disclosure = revoked(make_disclosure(expires_at=NOW + timedelta(days=2)), NOW + timedelta(hours=1))

    assert pairs(access(disclosure=disclosure, now=NOW + timedelta(days=3))) == [("revoked", "revocation")]


def test_access_ends_when_the_agreement_is_terminated() -> None:
    agreement = terminated(signed_agreement(), NOW + timedelta(hours=1))

    decision = access(agreement=agreement, now=NOW + timedelta(hours=1))

    assert pairs(decision) == [("in_force", "termination")]


def test_access_ends_when_the_agreement_expires() -> None:
    agreement = signed_agreement()
    disclosure = make_disclosure(agreement=agreement, expires_at=TERM_END)

    decision = access(disclosure=disclosure, agreement=agreement, now=TERM_END)

    assert pairs(decision) == [("expired", "expires_at"), ("in_force", "term_end")]


def test_access_ends_at_an_amended_earlier_term_end_while_the_disclosure_still_runs() -> None:
    agreement = signed_agreement()
    disclosure = make_disclosure(agreement=agreement, expires_at=NOW + timedelta(days=60))
    agreement = with_signed_amendment(agreement, term_end="2027-04-01")

    decision = access(disclosure=disclosure, agreement=agreement, now=datetime(2027, 4, 1, tzinfo=UTC))

    assert pairs(decision) == [("in_force", "term_end")]


def test_an_action_the_disclosure_does_not_permit_is_refused() -> None:
    disclosure = make_disclosure(actions={"view"})

    decision = access(disclosure=disclosure, action="download")

    assert pairs(decision) == [("actions", "actions")]


def test_an_action_removed_by_a_later_signed_amendment_is_refused() -> None:
    agreement = signed_agreement()
    disclosure = make_disclosure(agreement=agreement, actions={"view", "download"})
    agreement = with_signed_amendment(agreement, schedule={"actions": ["view"]})

    download = access(disclosure=disclosure, agreement=agreement, action="download")
    view = access(disclosure=disclosure, agreement=agreement, action="view")

    assert pairs(download) == [("actions", "schedule.actions")]
    assert view.allowed


def test_an_unsigned_amendment_does_not_remove_an_action() -> None:
    agreement = signed_agreement()
    disclosure = make_disclosure(agreement=agreement)
    agreement = agreement.amend(make_terms(schedule={"actions": ["view"]}), by="per_acme_alice", at=NOW,
        standard=MUTUAL_TERMS)

    assert access(disclosure=disclosure, agreement=agreement, action="download").allowed


def test_an_unknown_action_is_refused() -> None:
    decision = access(action="print")

    assert pairs(decision) == [("actions", "actions")]
    assert "'print'" in decision.reasons[0].message


def test_every_failing_access_reason_is_listed() -> None:
    agreement = terminated(signed_agreement(), NOW + timedelta(hours=1))
    disclosure = revoked(make_disclosure(agreement=agreement), NOW + timedelta(hours=2))

    decision = access(disclosure=disclosure, agreement=agreement, action="print")

    assert decision.codes == ("revoked", "in_force", "actions")


def test_access_needs_an_aware_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        access(now=datetime(2027, 3, 2))


# -- decide_message ---------------------------------------------------------------------


def message(
    *, org: str = "acme", classification: Classification = Classification.INTERNAL,
    agreement: Agreement | None = None, now: datetime = NOW,
) -> Decision:
    return decide_message(org=org, classification=classification, agreement=agreement, now=now)


def test_a_public_message_needs_no_agreement() -> None:
    assert message(classification=Classification.PUBLIC, agreement=None).allowed


def test_a_public_message_is_allowed_even_after_termination() -> None:
    agreement = terminated(signed_agreement(), NOW - timedelta(days=1))

    assert message(classification=Classification.PUBLIC, agreement=agreement, org="initech").allowed


def test_a_non_public_message_needs_an_agreement() -> None:
    assert pairs(message(agreement=None)) == [("in_force", "agreement")]


@pytest.mark.parametrize("classification", [Classification.INTERNAL, Classification.CONFIDENTIAL])
def test_a_party_may_post_up_to_the_ceiling_under_an_agreement_in_force(
    classification: Classification,
) -> None:
    assert message(classification=classification, agreement=signed_agreement()).allowed


def test_a_message_needs_the_agreement_in_force() -> None:
    draft = new_agreement("agr_1", "prt_1", make_terms(), by="per_acme_alice", at=NOW, standard=MUTUAL_TERMS)
    ended = terminated(signed_agreement(), NOW - timedelta(days=1))

    assert pairs(message(agreement=draft)) == [("in_force", "signatures")]
    assert pairs(message(agreement=ended)) == [("in_force", "termination")]
    assert pairs(message(agreement=signed_agreement(), now=TERM_END)) == [("in_force", "term_end")]


def test_a_non_party_may_not_post_a_non_public_message() -> None:
    assert pairs(message(org="initech", agreement=signed_agreement())) == [("party", "parties")]


def test_the_receiving_party_of_a_one_way_agreement_may_not_post_a_non_public_message() -> None:
    agreement = signed_agreement(make_terms(kind="one_way", disclosing_parties=["acme"]))

    assert message(org="acme", agreement=agreement).allowed
    assert pairs(message(org="globex", agreement=agreement)) == [("party", "disclosing_parties")]


def test_a_message_above_the_ceiling_is_refused() -> None:
    agreement = signed_agreement(make_terms(schedule={"ceiling": "internal"}))

    decision = message(classification=Classification.CONFIDENTIAL, agreement=agreement)

    assert pairs(decision) == [("ceiling", "schedule.ceiling")]


def test_a_restricted_message_is_never_allowed() -> None:
    decision = message(classification=Classification.RESTRICTED, agreement=signed_agreement())

    assert pairs(decision) == [("ceiling", "schedule.ceiling")]


@pytest.mark.parametrize(
    "recipients",
    [{"mode": "roles", "roles": ["signer"]}, {"mode": "named", "people": ["grace@globex.example"]}],
)
def test_a_message_needs_all_members_recipients(recipients: dict[str, object]) -> None:
    agreement = signed_agreement(make_terms(schedule={"recipients": recipients}))

    assert pairs(message(agreement=agreement)) == [("recipients", "schedule.recipients")]


def test_a_refused_message_lists_every_reason() -> None:
    agreement = terminated(
        signed_agreement(make_terms(schedule={"ceiling": "internal",
                                              "recipients": {"mode": "roles", "roles": ["admin"]}})),
        NOW - timedelta(days=1))

    decision = message(org="initech", classification=Classification.CONFIDENTIAL, agreement=agreement)

    assert decision.codes == ("party", "in_force", "ceiling", "recipients")


def test_the_disclosers_own_people_may_not_do_what_is_not_an_action() -> None:
    decision = access(person=ALICE, action="print")

    assert not decision.allowed
    assert pairs(decision) == [("actions", "actions")]


# -- actions_open_under: the rule's agreement-wide part, that a search decides in SQL ----


def _as_a_search_decides(*, disclosure: Disclosure, agreement: Agreement, now: datetime,
                         demanded_at: datetime | None) -> bool:
    """services/search.py's terms (repositories/search.py `_received` in SQL), in Python."""
    open_ = actions_open_under(person=GRACE, agreement=agreement, now=now)
    closed = demanded_at is not None and demanded_at <= now and disclosure.created_at <= demanded_at
    return bool(open_ & disclosure.actions) and disclosure.state(now) is DisclosureState.ACTIVE and not closed


@pytest.mark.parametrize("actions", [{"view"}, {"download"}, {"view", "download"}])
@pytest.mark.parametrize("ends", ["in force", "terminated", "view only now", "past its term"])
@pytest.mark.parametrize("state", ["active", "revoked", "expired"])
@pytest.mark.parametrize("demand", [None, "before", "after", "to come"])
def test_what_a_search_may_read_is_what_the_access_rule_lets_a_recipient_view_or_download(
    actions: set[str], ends: str, state: str, demand: str | None
) -> None:
    agreement = signed_agreement()
    now = LATER
    if ends == "terminated":
        agreement = terminated(agreement, NOW + timedelta(hours=1))
    elif ends == "view only now":
        agreement = with_signed_amendment(agreement, schedule={"actions": ["view"]})
    elif ends == "past its term":
        now = TERM_END + timedelta(days=1)
    disclosure = make_disclosure(agreement=agreement, actions=actions,
                                 expires_at=NOW + timedelta(hours=12) if state == "expired" else TERM_END)
    if state == "revoked":
        disclosure = revoked(disclosure, NOW + timedelta(hours=2))
    demanded_at = {None: None, "before": disclosure.created_at - timedelta(hours=1),
                   "after": disclosure.created_at + timedelta(hours=1),
                   "to come": now + timedelta(days=1)}[demand]

    rule = any(decide_access(person=GRACE, disclosure=disclosure, agreement=agreement, action=action,
                             now=now, demanded_at=demanded_at).allowed for action in ("view", "download"))

    assert _as_a_search_decides(disclosure=disclosure, agreement=agreement, now=now,
                                demanded_at=demanded_at) is rule
