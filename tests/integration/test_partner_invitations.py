"""Inviting a partner by email: the link's rules (bound to one address, once, until it expires,
unless revoked), what following it does, and the email that carries it (to a real SMTP server)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from sharebound.domain.partner_invitations import InvitationState
from sharebound.domain.partnerships import PartnershipStatus
from sharebound.services import partner_invitations, partnerships
from sharebound.services.partner_invitations import InvitationUnusable
from sharebound.services.worker import run_pass
from tests.conftest import FakeClock
from tests.factories import CHEAP_PASSWORDS
from tests.integration.notify_helpers import outbox_rows
from tests.integration.servers import smtp_server
from tests.integration.world import World, changes_nothing

PAT = "pat@umbrella.example"
PASSWORD = "a long passphrase"


def _propose(world: World, emails: list[str], invite: list[str] | None = None, days: int = 7) -> Any:
    return partnerships.propose_partnership(
        world.uow(), world.alice.id, name="Sensor supply", purpose="cost_efficiency",
        invite=invite or [], invite_emails=emails, invitation_days=days)


def _tokens(world: World) -> dict[str, str]:
    """The link tokens waiting in the outbox, by address (what the emails will carry)."""
    found = {}
    uow = world.uow()
    with uow.reading():
        for row in outbox_rows(world):
            payload = json.loads(row.payload)
            if payload.get("kind") == partner_invitations.EMAIL_KIND:
                found[payload["to"]] = partner_invitations.token_of(uow, payload)
    return found


def _join(world: World, token: str, handle: str = "umbrella", **overrides: Any) -> Any:
    fields: dict[str, Any] = {"handle": handle, "name": handle.title(), "admin_name": "Pat",
                              "password": PASSWORD}
    fields.update(overrides)
    return partner_invitations.join_with_new_org(world.uow(), token, **fields)


def test_a_proposal_to_an_email_waits_for_the_org_made_from_its_link_to_accept(world: World) -> None:
    made = _propose(world, [" Pat@Umbrella.example "])
    assert made.status is PartnershipStatus.PROPOSED and made.orgs == ("acme",)
    token = _tokens(world)[PAT]

    joined = _join(world, token, legal_name="Umbrella Corp.", address="1 Raccoon St")

    assert (joined.org.handle, joined.org.profile.legal_name, joined.admin.email) == (
        "umbrella", "Umbrella Corp.", PAT)
    assert sorted(joined.admin.roles) == ["admin", "member", "signer"]
    assert CHEAP_PASSWORDS.verify(_password_hash(world, joined.admin.id), PASSWORD)
    waiting = partnerships.get_partnership(world.uow(), joined.admin.id, made.id)
    assert waiting.orgs == ("acme", "umbrella") and not waiting.has_accepted("umbrella")
    accepted = partnerships.accept_partnership(world.uow(), joined.admin.id, made.id)
    assert accepted.status is PartnershipStatus.ACTIVE
    [listed] = partner_invitations.list_invitations(world.uow(), world.alice.id, made.id)
    assert (listed.state(world.app.clock()), listed.accepted_org) == (InvitationState.ACCEPTED, "umbrella")


def _password_hash(world: World, person_id: str) -> str:
    uow = world.uow()
    with uow.reading():
        found = uow.auth.password_hash(person_id)
    assert found is not None
    return found


def test_only_the_hash_of_the_token_is_stored_and_the_outbox_holds_it_sealed(world: World) -> None:
    _propose(world, [PAT])
    token = _tokens(world)[PAT]

    with world.app.engine.connect() as connection:
        dump = "\n".join(repr(row) for table in ("partner_invitations", "outbox", "events")
                         for row in connection.exec_driver_sql(f"SELECT * FROM {table}"))
    assert token not in dump and token.startswith("sbp_") and len(token) > 40


def test_an_unknown_or_tampered_link_is_refused_alike_and_changes_nothing(world: World) -> None:
    _propose(world, [PAT])
    token = _tokens(world)[PAT]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    found = []
    for bad in (tampered, "sbp_" + "x" * 43, "", "not-a-token"):
        with changes_nothing(world), pytest.raises(NotFound) as refused:
            _join(world, bad)
        found.append(str(refused.value))
        with pytest.raises(NotFound):
            partner_invitations.look_up(world.uow(), bad)
    assert len(set(found)) == 1


def test_a_link_works_once(world: World) -> None:
    _propose(world, [PAT])
    token = _tokens(world)[PAT]
    _join(world, token)

    with changes_nothing(world), pytest.raises(InvitationUnusable, match="already used"):
        _join(world, token, handle="umbrella-two")


def test_an_expired_link_is_refused(world: World, clock: FakeClock) -> None:
    made = _propose(world, [PAT], days=3)
    token = _tokens(world)[PAT]
    clock.advance(days=3)

    with changes_nothing(world), pytest.raises(InvitationUnusable, match="expired"):
        _join(world, token)
    [listed] = partner_invitations.list_invitations(world.uow(), world.alice.id, made.id)
    assert listed.state(clock()) is InvitationState.EXPIRED


def test_a_revoked_link_is_refused_and_a_revoke_is_audited(world: World) -> None:
    made = _propose(world, [PAT])
    token = _tokens(world)[PAT]
    [invitation] = partner_invitations.list_invitations(world.uow(), world.alice.id, made.id)

    revoked = partner_invitations.revoke_invitation(world.uow(), world.alice.id, invitation.id)

    assert revoked.state(world.app.clock()) is InvitationState.REVOKED
    with changes_nothing(world), pytest.raises(InvitationUnusable, match="withdrawn"):
        _join(world, token)
    with pytest.raises(Conflict):
        partner_invitations.revoke_invitation(world.uow(), world.alice.id, invitation.id)
    uow = world.uow()
    with uow.reading():
        kinds = [e.kind for e in uow.events.read(f"partnership:{made.id}")]
    assert kinds == ["partnership_proposed", "partner_invitation_sent", "partner_invitation_revoked"]


def test_only_the_proposing_orgs_admins_revoke_and_only_its_people_see_the_invitations(world: World) -> None:
    made = _propose(world, [PAT], invite=["globex"])
    partnerships.accept_partnership(world.uow(), world.grace.id, made.id)
    [invitation] = partner_invitations.list_invitations(world.uow(), world.mia.id, made.id)

    with changes_nothing(world):
        with pytest.raises(PermissionDenied):
            partner_invitations.revoke_invitation(world.uow(), world.mia.id, invitation.id)
        with pytest.raises(NotFound):
            partner_invitations.revoke_invitation(world.uow(), world.grace.id, invitation.id)
        with pytest.raises(NotFound):
            partner_invitations.list_invitations(world.uow(), world.ian.id, made.id)
    assert partner_invitations.list_invitations(world.uow(), world.grace.id, made.id) == []


def test_an_address_with_an_account_takes_the_proposal_to_its_org_after_signing_in(world: World) -> None:
    made = _propose(world, ["ian@initech.example"])  # the proposer is not told ian has an account
    token = _tokens(world)["ian@initech.example"]
    assert partner_invitations.look_up(world.uow(), token).has_account

    with changes_nothing(world), pytest.raises(Conflict, match="sign in"):
        _join(world, token)
    with changes_nothing(world), pytest.raises(InvalidInput) as other:
        partner_invitations.join_with_account(world.uow(), world.grace.id, token)
    assert "another address" in other.value.errors["token"]

    taken = partner_invitations.join_with_account(world.uow(), world.ian.id, token)

    assert taken.orgs == ("acme", "initech") and not taken.has_accepted("initech")
    accepted = partnerships.accept_partnership(world.uow(), world.ian.id, made.id)
    assert accepted.status is PartnershipStatus.ACTIVE


def test_bad_addresses_and_bad_org_fields_are_named_and_change_nothing(world: World) -> None:
    with changes_nothing(world), pytest.raises(InvalidInput) as bad:
        _propose(world, ["pat@", "pat@umbrella.example"])
    assert list(bad.value.errors) == ["invite_emails"]
    with changes_nothing(world), pytest.raises(InvalidInput) as none:
        _propose(world, [])
    assert list(none.value.errors) == ["invite"]
    _propose(world, [PAT])
    token = _tokens(world)[PAT]

    with changes_nothing(world), pytest.raises(InvalidInput) as fields:
        _join(world, token, handle="Not A Handle", name=" ", admin_name="", password="short")
    assert sorted(fields.value.errors) == ["admin.name", "admin.password", "handle", "name"]
    with changes_nothing(world), pytest.raises(Conflict, match="taken"):
        _join(world, token, handle="globex")


def test_the_email_arrives_with_the_link_and_the_worker_then_forgets_the_token(world: World) -> None:
    made = _propose(world, [PAT])
    token = _tokens(world)[PAT]
    with smtp_server() as (inbox, port):
        core = replace(world.app, settings=world.app.settings.model_copy(update={
            "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_tls": "none",
            "base_url": "https://sharebound.acme.example"}))
        report = run_pass(core, "test-worker", schedules=False)

    [message] = [m for m in inbox.messages if m["To"] == PAT]
    assert report.sent >= 1
    assert message["Subject"] == "Sharebound: Acme invites you to Sensor supply"
    text = inbox.parts(message)["text/plain"]
    assert f"https://sharebound.acme.example/join/{token}" in text
    assert "Alice of Acme" in text
    rows = [r for r in outbox_rows(world) if json.loads(r.payload).get("invitation")]
    assert [(r.state, "token" in json.loads(r.payload)) for r in rows] == [("sent", False)]
    assert _join(world, token).partnership.id == made.id


def test_an_invitation_revoked_before_the_worker_runs_is_not_sent(world: World) -> None:
    made = _propose(world, [PAT])
    [invitation] = partner_invitations.list_invitations(world.uow(), world.alice.id, made.id)
    partner_invitations.revoke_invitation(world.uow(), world.alice.id, invitation.id)
    with smtp_server() as (inbox, port):
        core = replace(world.app, settings=world.app.settings.model_copy(update={
            "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_tls": "none"}))
        run_pass(core, "test-worker", schedules=False)

    assert [m for m in inbox.messages if m["To"] == PAT] == []
    rows = [r for r in outbox_rows(world) if json.loads(r.payload).get("invitation")]
    assert [r.state for r in rows] == ["skipped"]
