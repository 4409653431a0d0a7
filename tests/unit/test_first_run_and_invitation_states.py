"""The first-run checklist's ticks, and a partner invitation's states: pure rules, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sharebound.domain.partner_invitations import InvitationState, PartnerInvitation
from sharebound.domain.partnerships import Membership, Partnership, PartnershipStatus, Purpose
from sharebound.services.home import first_run
from tests.factories import NOW

INVITED = PartnerInvitation(id="pin_1", partnership_id="prt_1", proposer="acme", email="pat@u.example",
                            invited_by="per_1", created_at=NOW, expires_at=NOW + timedelta(days=7))
ALONE = Partnership(id="prt_1", name="Supply", purpose=Purpose.OTHER, proposer="acme",
                    members=(Membership("acme", NOW),), created_at=NOW)


def test_each_step_ticks_from_its_own_fact_and_links_where_it_is_done() -> None:
    steps = first_run(people=True, partnerships=[ALONE], nda=False, items=True, disclosure=False)

    assert [(s.key, s.done) for s in steps] == [("people", True), ("partnership", True), ("nda", False),
                                                ("items", True), ("disclosure", False)]
    assert {s.key: s.link for s in steps}["nda"] == "/partnerships/prt_1"


def test_the_checklist_is_gone_once_every_step_is_done() -> None:
    assert first_run(people=True, partnerships=[ALONE], nda=True, items=True, disclosure=True) == []


def test_an_invitation_is_pending_until_it_is_taken_revoked_or_its_last_moment_passes() -> None:
    last = INVITED.expires_at

    assert INVITED.state(last - timedelta(seconds=1)) is InvitationState.PENDING
    assert INVITED.state(last) is InvitationState.EXPIRED
    assert INVITED.why_not_usable(NOW) is None


def test_taken_and_revoked_win_over_expired_and_each_says_why() -> None:
    taken = replace(INVITED, accepted_at=NOW, accepted_org="umbrella")
    revoked = replace(INVITED, revoked_at=NOW, revoked_by="per_1")
    later = INVITED.expires_at + timedelta(days=1)

    assert (taken.state(later), revoked.state(later)) == (InvitationState.ACCEPTED, InvitationState.REVOKED)
    assert "already used" in (taken.why_not_usable(later) or "")
    assert "withdrawn" in (revoked.why_not_usable(later) or "")
    assert "expired" in (INVITED.why_not_usable(later) or "")


def test_a_proposal_to_emails_only_is_proposed_until_an_org_joins_and_accepts() -> None:
    joined = ALONE.invite("umbrella")

    assert ALONE.status is PartnershipStatus.PROPOSED
    assert joined.orgs == ("acme", "umbrella") and joined.status is PartnershipStatus.PROPOSED
    assert joined.invite("umbrella") == joined
    assert joined.accept("umbrella", NOW).status is PartnershipStatus.ACTIVE

