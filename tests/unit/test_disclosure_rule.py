"""decide_disclosure: may org A disclose item I to recipients R under agreement N?

Each test starts from a disclosure the rule allows and breaks one thing, then asserts the
exact (code, term) pairs of the refusal.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sharebound.domain.agreements import Agreement, new_agreement
from sharebound.domain.classification import Classification
from sharebound.domain.decisions import Decision
from sharebound.domain.items import Item
from sharebound.domain.orgs import Person, Role
from sharebound.domain.rules import decide_disclosure, default_expiry
from tests.factories import MUTUAL_TERMS, NOW, make_item, make_person, make_terms, signed_agreement

TERM_END = datetime(2027, 12, 1, tzinfo=UTC)
GRACE = make_person("globex", "Grace")
HANK = make_person("globex", "Hank", roles={Role.SIGNER})
ALICE = make_person("acme", "Alice")
IVAN = make_person("initech", "Ivan")
THREE_PARTIES: dict[str, Any] = {
    "parties": ["acme", "globex", "initech"],
    "notice": {"acme": "legal@acme.example", "globex": "legal@globex.example",
               "initech": "legal@initech.example"},
}


def decide(
    *, discloser: str = "acme", item: Item | None = None, agreement: Agreement | None = None,
    recipients: Sequence[Person] = (GRACE,), actions: Collection[str] = ("view",),
    expires_at: datetime | None = None, now: datetime = NOW, findings: Sequence[str] = (),
) -> Decision:
    return decide_disclosure(
        discloser=discloser, item=item or make_item(), agreement=agreement or signed_agreement(),
        recipients=recipients, actions=actions,
        expires_at=expires_at or now + timedelta(days=30), now=now, findings=findings,
    )


def pairs(decision: Decision) -> list[tuple[str, str]]:
    return [(reason.code, reason.term) for reason in decision.reasons]


def under(**overrides: Any) -> Agreement:
    return signed_agreement(make_terms(**overrides))


# -- allowed ----------------------------------------------------------------------------


def test_a_disclosure_within_every_term_is_allowed() -> None:
    decision = decide(actions=("view", "download"), recipients=(GRACE, HANK))

    assert decision.allowed
    assert decision.reasons == ()
    assert not decision.not_found


# -- owner and party --------------------------------------------------------------------


def test_an_org_may_only_disclose_what_it_owns() -> None:
    decision = decide(item=make_item(owner="globex"), recipients=(GRACE,))

    assert pairs(decision) == [("owner", "item.owner")]


def test_a_non_party_may_not_disclose() -> None:
    decision = decide(discloser="initech", item=make_item(owner="initech"))

    assert pairs(decision) == [("party", "parties")]


def test_the_receiving_party_of_a_one_way_agreement_may_not_disclose() -> None:
    agreement = under(kind="one_way", disclosing_parties=["acme"])

    decision = decide(discloser="globex", item=make_item(owner="globex"), agreement=agreement,
                      recipients=(ALICE,))

    # Alice's org discloses under this agreement, so she may not receive either.
    assert pairs(decision) == [("party", "disclosing_parties"), ("recipients", "disclosing_parties")]
    assert "only acme disclose" in decision.reasons[0].message


def test_the_disclosing_party_of_a_one_way_agreement_may_disclose() -> None:
    agreement = under(kind="one_way", disclosing_parties=["acme"])

    assert decide(agreement=agreement).allowed


# -- in force, for each status that is not --------------------------------------------------


def test_a_draft_agreement_does_not_allow_disclosure() -> None:
    agreement = new_agreement("agr_1", "prt_1", make_terms(), by="per_acme_alice", at=NOW,
        standard=MUTUAL_TERMS)

    assert pairs(decide(agreement=agreement)) == [("in_force", "signatures")]


def test_an_agreement_awaiting_signatures_does_not_allow_disclosure() -> None:
    terms = make_terms()
    agreement = new_agreement("agr_1", "prt_1", terms, by="per_acme_alice", at=NOW, standard=MUTUAL_TERMS)
    agreement, _ = agreement.sign(org="acme", person_id="per_acme_sam", name="Sam", title="CEO",
                                  digest=agreement.current.digest, at=NOW)

    assert pairs(decide(agreement=agreement)) == [("in_force", "signatures")]


def test_a_signed_agreement_before_its_effective_date_does_not_allow_disclosure() -> None:
    now = datetime(2026, 11, 30, 23, 59, tzinfo=UTC)

    decision = decide(agreement=signed_agreement(at=now), now=now)

    assert pairs(decision) == [("in_force", "effective_date")]


def test_an_expired_agreement_does_not_allow_disclosure_nor_access_past_its_end() -> None:
    decision = decide(now=TERM_END, expires_at=TERM_END + timedelta(days=1))

    assert pairs(decision) == [("in_force", "term_end"), ("window", "term_end")]


def test_a_terminated_agreement_does_not_allow_disclosure() -> None:
    agreement = signed_agreement().terminate(org="globex", person_id="per_globex_signer",
                                             reason="Over", at=NOW - timedelta(hours=1))

    assert pairs(decide(agreement=agreement)) == [("in_force", "termination")]


def test_a_pending_amendment_is_not_what_is_checked_the_signed_version_is() -> None:
    agreement = signed_agreement().amend(make_terms(schedule={"ceiling": "internal"}),
                                         by="per_acme_alice", at=NOW, standard=MUTUAL_TERMS)

    assert decide(agreement=agreement).allowed


# -- ceiling ----------------------------------------------------------------------------


def test_restricted_item_is_never_disclosed() -> None:
    decision = decide(item=make_item(classification=Classification.RESTRICTED))

    assert pairs(decision) == [("ceiling", "schedule.ceiling")]
    assert "never" in decision.reasons[0].message


def test_an_item_above_the_ceiling_is_refused() -> None:
    decision = decide(item=make_item(classification=Classification.CONFIDENTIAL),
                      agreement=under(schedule={"ceiling": "internal"}))

    assert pairs(decision) == [("ceiling", "schedule.ceiling")]
    assert "confidential" in decision.reasons[0].message


@pytest.mark.parametrize(
    ("ceiling", "classification"),
    [("internal", Classification.PUBLIC), ("internal", Classification.INTERNAL),
     ("confidential", Classification.CONFIDENTIAL)],
)
def test_an_item_at_or_below_the_ceiling_is_allowed(ceiling: str, classification: Classification) -> None:
    decision = decide(item=make_item(classification=classification),
                      agreement=under(schedule={"ceiling": ceiling}))

    assert decision.allowed


# -- topics -----------------------------------------------------------------------------


def test_an_item_with_an_excluded_topic_is_refused() -> None:
    decision = decide(item=make_item(topics={"thermal", "pricing"}))

    assert pairs(decision) == [("topics", "schedule.topics_excluded")]
    assert "pricing" in decision.reasons[0].message


def test_an_item_outside_the_allowed_topics_is_refused() -> None:
    agreement = under(schedule={"topics_allowed": ["thermal"]})

    decision = decide(item=make_item(topics={"thermal", "roadmap"}), agreement=agreement)

    assert pairs(decision) == [("topics", "schedule.topics_allowed")]
    assert "roadmap" in decision.reasons[0].message


def test_an_item_within_the_allowed_topics_is_allowed() -> None:
    agreement = under(schedule={"topics_allowed": ["thermal", "roadmap"]})

    assert decide(item=make_item(topics={"thermal"}), agreement=agreement).allowed


def test_an_item_without_topics_is_refused_when_only_certain_topics_are_allowed() -> None:
    agreement = under(schedule={"topics_allowed": ["thermal"]})
    item = replace(make_item(), topics=frozenset())

    assert pairs(decide(item=item, agreement=agreement)) == [("topics", "schedule.topics_allowed")]


def test_an_item_without_topics_is_allowed_when_any_topic_is() -> None:
    assert decide(item=replace(make_item(), topics=frozenset())).allowed


def test_an_excluded_topic_outside_the_allowed_ones_gives_both_reasons() -> None:
    agreement = under(schedule={"topics_allowed": ["thermal"]})

    decision = decide(item=make_item(topics={"pricing"}), agreement=agreement)

    assert pairs(decision) == [("topics", "schedule.topics_excluded"), ("topics", "schedule.topics_allowed")]


# -- recipients -------------------------------------------------------------------------


def test_a_disclosure_needs_at_least_one_recipient() -> None:
    assert pairs(decide(recipients=())) == [("recipients", "recipients")]


def test_the_disclosers_own_people_are_not_recipients() -> None:
    decision = decide(recipients=(ALICE,))

    assert pairs(decision) == [("recipients", "parties")]
    assert "alice@acme.example" in decision.reasons[0].message


def test_a_person_of_an_org_outside_the_agreement_is_not_a_recipient() -> None:
    decision = decide(recipients=(GRACE, IVAN))

    assert pairs(decision) == [("recipients", "parties")]
    assert "ivan@initech.example" in decision.reasons[0].message


def test_a_disclosing_party_receives_nothing_under_a_one_way_agreement() -> None:
    agreement = under(kind="one_way", disclosing_parties=["acme", "initech"], **THREE_PARTIES)

    decision = decide(agreement=agreement, recipients=(GRACE, IVAN))

    assert pairs(decision) == [("recipients", "disclosing_parties")]
    assert "ivan@initech.example" in decision.reasons[0].message


def test_every_receiving_party_may_receive_under_a_multi_party_agreement() -> None:
    assert decide(agreement=under(**THREE_PARTIES), recipients=(GRACE, IVAN)).allowed


def test_recipients_must_hold_an_allowed_role_in_roles_mode() -> None:
    agreement = under(schedule={"recipients": {"mode": "roles", "roles": ["signer", "admin"]}})

    decision = decide(agreement=agreement, recipients=(GRACE, HANK))

    assert pairs(decision) == [("recipients", "schedule.recipients")]
    assert "grace@globex.example" in decision.reasons[0].message


def test_recipients_must_be_named_in_named_mode() -> None:
    agreement = under(schedule={"recipients": {"mode": "named", "people": ["Hank@globex.example"]}})

    decision = decide(agreement=agreement, recipients=(GRACE, HANK))

    assert pairs(decision) == [("recipients", "schedule.recipients")]
    assert "grace@globex.example" in decision.reasons[0].message


def test_each_failing_recipient_gets_its_own_reason() -> None:
    agreement = under(schedule={"recipients": {"mode": "roles", "roles": ["signer"]}})

    decision = decide(agreement=agreement, recipients=(ALICE, GRACE, HANK, IVAN))

    assert pairs(decision) == [("recipients", "parties"), ("recipients", "schedule.recipients"),
                               ("recipients", "parties")]


# -- actions ----------------------------------------------------------------------------


def test_a_disclosure_needs_at_least_one_action() -> None:
    assert pairs(decide(actions=())) == [("actions", "schedule.actions")]


def test_an_unknown_action_is_refused() -> None:
    decision = decide(actions=("view", "print"))

    assert pairs(decision) == [("actions", "schedule.actions")]
    assert "'print'" in decision.reasons[0].message


def test_an_action_the_agreement_does_not_permit_is_refused() -> None:
    decision = decide(actions=("view", "download"), agreement=under(schedule={"actions": ["view"]}))

    assert pairs(decision) == [("actions", "schedule.actions")]
    assert "download" in decision.reasons[0].message


# -- window -----------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [timedelta(0), timedelta(seconds=-1), timedelta(days=-3)])
def test_access_must_end_in_the_future(offset: timedelta) -> None:
    assert pairs(decide(expires_at=NOW + offset)) == [("window", "expires_at")]


def test_access_may_last_exactly_the_longest_window() -> None:
    assert decide(expires_at=NOW + timedelta(days=90)).allowed


def test_access_beyond_the_longest_window_is_refused() -> None:
    decision = decide(expires_at=NOW + timedelta(days=90, microseconds=1))

    assert pairs(decision) == [("window", "schedule.max_access_days")]


def test_access_may_last_until_the_term_end_exactly() -> None:
    now = TERM_END - timedelta(days=10)

    assert decide(now=now, expires_at=TERM_END).allowed


def test_access_beyond_the_term_end_is_refused() -> None:
    now = TERM_END - timedelta(days=10)

    decision = decide(now=now, expires_at=TERM_END + timedelta(microseconds=1))

    assert pairs(decision) == [("window", "term_end")]


def test_access_beyond_both_limits_gives_both_reasons() -> None:
    now = TERM_END - timedelta(days=10)

    decision = decide(now=now, expires_at=now + timedelta(days=91))

    assert pairs(decision) == [("window", "schedule.max_access_days"), ("window", "term_end")]


def test_an_agreement_until_terminated_has_no_term_end_limit() -> None:
    now = TERM_END - timedelta(days=10)
    agreement = under(term_end=None)

    assert decide(agreement=agreement, now=now, expires_at=now + timedelta(days=90)).allowed


def test_a_naive_expiry_is_rejected() -> None:
    with pytest.raises(ValueError, match="expires_at"):
        decide(expires_at=datetime(2027, 3, 2))


def test_a_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError, match="now"):
        decide(now=datetime(2027, 3, 1), expires_at=NOW + timedelta(days=1))


# -- content ----------------------------------------------------------------------------


def test_each_content_finding_blocks_with_its_own_reason() -> None:
    decision = decide(findings=("contains a private key", "contains a card number"))

    assert decision.reasons[0].as_dict() == {"code": "content", "term": "content",
                                             "message": "contains a private key"}
    assert pairs(decision) == [("content", "content"), ("content", "content")]


# -- every reason at once ---------------------------------------------------------------


def test_a_refusal_lists_every_failing_reason_at_once() -> None:
    agreement = signed_agreement(make_terms(schedule={"actions": ["view"]})).terminate(
        org="globex", person_id="per_globex_signer", reason="Over", at=NOW - timedelta(days=1))
    item = make_item(owner="globex", classification=Classification.RESTRICTED, topics={"pricing"})

    decision = decide(discloser="initech", item=item, agreement=agreement, recipients=(),
                      actions=("download",), expires_at=NOW, findings=("secret",))

    assert decision.codes == ("owner", "party", "in_force", "ceiling", "topics", "recipients",
                              "actions", "window", "content")
    assert not decision.allowed


def test_a_refusal_lists_several_reasons_in_rule_order() -> None:
    decision = decide(item=make_item(classification=Classification.RESTRICTED),
                      recipients=(ALICE,), actions=("print",))

    assert pairs(decision) == [("ceiling", "schedule.ceiling"), ("recipients", "parties"),
                               ("actions", "schedule.actions")]


# -- default_expiry ---------------------------------------------------------------------


def test_default_expiry_is_the_longest_window_when_the_term_ends_later() -> None:
    assert default_expiry(make_terms(), NOW) == NOW + timedelta(days=90)


def test_default_expiry_stops_at_the_term_end() -> None:
    now = TERM_END - timedelta(days=10)

    assert default_expiry(make_terms(), now) == TERM_END


def test_default_expiry_without_term_end_is_the_longest_window() -> None:
    terms = make_terms(term_end=None, schedule={"max_access_days": 7})

    assert default_expiry(terms, NOW) == NOW + timedelta(days=7)


def test_the_default_expiry_is_always_allowed_by_the_window_term() -> None:
    now = TERM_END - timedelta(days=45)
    terms = make_terms()

    assert decide(now=now, expires_at=default_expiry(terms, now)).allowed


def test_may_receive_offers_exactly_the_people_the_recipients_check_would_accept() -> None:
    from sharebound.domain.orgs import Role
    from sharebound.domain.rules import may_receive
    from tests.factories import make_person, make_terms

    terms = make_terms(schedule={"recipients": {"mode": "roles", "roles": ["signer"]}})
    signer = make_person("globex", "Gus", roles={Role.SIGNER})
    member = make_person("globex", "Gina", roles={Role.MEMBER})
    colleague = make_person("acme", "Sam", roles={Role.SIGNER})

    offered = [p.name for p in (signer, member, colleague) if may_receive("acme", p, terms)]

    assert offered == ["Gus"]


def test_a_file_that_cannot_be_stamped_is_refused_for_download_when_the_terms_ask_for_watermarks() -> None:
    from dataclasses import replace

    from sharebound.domain.rules import decide_disclosure
    from tests.factories import NOW, make_item, make_person, make_terms, signed_agreement

    blob = make_item()
    blob = replace(blob, versions=(replace(blob.current, media_type="application/octet-stream"),))
    ask = {"discloser": "acme", "item": blob, "recipients": [make_person()], "now": NOW,
           "expires_at": NOW.replace(month=4)}
    stamped = signed_agreement()
    unstamped = signed_agreement(make_terms(schedule={"watermark_downloads": False}))

    download = decide_disclosure(agreement=stamped, actions=["download"], **ask)  # type: ignore[arg-type]
    view = decide_disclosure(agreement=stamped, actions=["view"], **ask)  # type: ignore[arg-type]
    free = decide_disclosure(agreement=unstamped, actions=["download"], **ask)  # type: ignore[arg-type]

    assert [(r.code, r.term) for r in download.reasons] == [("actions", "schedule.watermark_downloads")]
    assert view.allowed and free.allowed


def test_what_the_gate_cannot_read_is_refused_unless_the_agreement_allows_unreadable_files() -> None:
    blob = make_item()
    blob = replace(blob, versions=(replace(blob.current, media_type="application/octet-stream"),))
    ask = {"discloser": "acme", "item": blob, "recipients": [make_person()], "now": NOW,
           "expires_at": NOW.replace(month=4), "actions": ["view"],
           "unreadable": ["the content gate cannot read application/octet-stream files"]}
    strict = signed_agreement(make_terms(schedule={"watermark_downloads": False}))
    lenient = signed_agreement(make_terms(schedule={"unreadable_files": "allow"}))

    refused = decide_disclosure(agreement=strict, **ask)  # type: ignore[arg-type]
    allowed = decide_disclosure(agreement=lenient, **ask)  # type: ignore[arg-type]

    assert [(r.code, r.term, r.message) for r in refused.reasons] == [(
        "content", "schedule.unreadable_files", "the content gate cannot read application/octet-stream "
        "files; the agreement does not allow unreadable files")]
    assert allowed.allowed
