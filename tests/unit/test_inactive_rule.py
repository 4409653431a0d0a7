"""The `inactive` reason: a deactivated person is refused by both rules, and nothing else moves."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sharebound.domain.rules import decide_access, decide_disclosure, may_receive
from tests.factories import NOW, make_disclosure, make_item, make_person, make_terms, signed_agreement

GRACE = make_person("globex", "Grace")
ALICE = make_person("acme", "Alice")
LATER = NOW + timedelta(days=1)


def test_a_deactivated_recipient_is_refused_access_with_the_reason_inactive() -> None:
    agreement = signed_agreement()
    disclosure = make_disclosure(agreement=agreement)

    decision = decide_access(person=replace(GRACE, active=False), disclosure=disclosure,
                             agreement=agreement, action="view", now=LATER)

    assert decision.codes == ("inactive",) and not decision.not_found
    assert "grace@globex.example is inactive" in decision.reasons[0].message


def test_a_reactivated_recipient_is_allowed_again() -> None:
    agreement = signed_agreement()
    disclosure = make_disclosure(agreement=agreement)

    decision = decide_access(person=replace(GRACE, active=True), disclosure=disclosure,
                             agreement=agreement, action="view", now=LATER)

    assert decision.allowed


def test_inactive_comes_with_the_other_reasons_and_a_stranger_still_gets_not_found() -> None:
    agreement = signed_agreement()
    disclosure = make_disclosure(agreement=agreement)
    inactive = replace(GRACE, active=False)

    late = decide_access(person=inactive, disclosure=disclosure, agreement=agreement,
                         action="view", now=disclosure.expires_at + timedelta(days=1))
    stranger = decide_access(person=replace(make_person("globex", "Hank"), active=False),
                             disclosure=disclosure, agreement=agreement, action="view", now=LATER)

    assert late.codes == ("inactive", "expired")
    assert stranger.not_found


def test_a_deactivated_person_of_the_discloser_no_longer_sees_what_their_org_gave() -> None:
    agreement = signed_agreement()
    disclosure = make_disclosure(agreement=agreement)

    decision = decide_access(person=replace(ALICE, active=False), disclosure=disclosure,
                             agreement=agreement, action="view", now=LATER)

    assert decision.codes == ("inactive",)


def test_a_new_disclosure_naming_a_deactivated_person_is_refused_with_inactive() -> None:
    agreement = signed_agreement()
    inactive = replace(GRACE, active=False)

    decision = decide_disclosure(discloser="acme", item=make_item(), agreement=agreement,
                                 recipients=[inactive], actions=["view"],
                                 expires_at=LATER + timedelta(days=10), now=LATER)

    assert decision.codes == ("inactive",)
    assert decision.reasons[0].term == "recipients"
    assert not may_receive("acme", inactive, make_terms())
    assert may_receive("acme", GRACE, make_terms())
