"""Notices as a workflow with a record: given to the other party's notice contact by email and
in the app, in the partnership's log, sent -> acknowledged -> closed, a thread, a reminded
deadline; bad notices are clear 4xx that change nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from sharebound.bootstrap import App
from sharebound.domain.agreements import Agreement
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from sharebound.services import agreements, copies, disclosures, notices
from sharebound.services.disclosures import DisclosureDraft
from sharebound.services.reminders import run_reminders
from sharebound.services.worker import run_pass
from tests.conftest import FakeClock
from tests.integration.notify_helpers import told
from tests.integration.servers import smtp_server
from tests.integration.world import World, changes_nothing

BASE = "https://sharebound.acme.example"
NEVER_QUIET = 10_000


def compelled(world: World, agreement: Agreement, **overrides: Any) -> dict[str, Any]:
    by_when = (world.app.clock() + timedelta(days=10)).date().isoformat()
    return {"kind": "compelled_disclosure", "body": "The thermal test results, under subpoena",
            "to_whom": "The District Court", "order": "Subpoena 27-CV-1234", "deadline": by_when,
            **overrides}


def mailing(world: World, port: int) -> App:
    return replace(world.app, settings=world.app.settings.model_copy(update={
        "base_url": BASE, "smtp_tls": "none", "smtp_timeout_seconds": 2.0, "smtp_host": "127.0.0.1",
        "smtp_port": port}))


def test_a_compelled_disclosure_notice_from_globex_reaches_acme_notice_contact_and_is_acknowledged(
        world: World) -> None:
    agreement = world.signed()
    with smtp_server() as (inbox, port):
        given = notices.send_notice(world.uow(), world.grace.id, agreement.id, compelled(world, agreement))
        run_pass(mailing(world, port), "test-worker", schedules=False)
        to_legal = [m for m in inbox.messages if m["To"] == "legal@acme.example"]

    assert len(to_legal) == 1
    assert to_legal[0]["Subject"].startswith("Sharebound: Notice of compelled disclosure from globex")
    text = inbox.parts(to_legal[0])["text/plain"]
    assert f"{BASE}/notices/{given.id}" in text and "subpoena" not in text.lower()  # the title only
    assert not [m for m in inbox.messages if m["To"] == "legal@globex.example"]  # not the sender's
    assert {(name, kind) for name, kind, _ in told(world) if kind == "notice_received"} == {
        ("Alice", "notice_received"), ("Sam", "notice_received")}

    acknowledged = notices.acknowledge_notice(world.uow(), world.sam.id, given.id)

    assert acknowledged.state.value == "acknowledged" and acknowledged.acknowledged_by == world.sam.id
    thread = notices.notice_thread(world.uow(), world.grace.id, given.id)
    assert [e.kind for e in thread.history] == ["notice_sent", "notice_acknowledged"]
    assert thread.notice.details == {"to_whom": "The District Court", "order": "Subpoena 27-CV-1234"}
    assert ("Grace", "notice_updated") in {(n, k) for n, k, _ in told(world)}


def test_the_discloser_responds_and_either_side_closes_then_the_thread_is_shut(world: World) -> None:
    agreement = world.signed()
    given = notices.send_notice(world.uow(), world.grace.id, agreement.id, compelled(world, agreement))

    notices.respond_to_notice(world.uow(), world.alice.id, given.id,
                              body="We will seek a protective order; disclose nothing before the 10th.")
    closed = notices.close_notice(world.uow(), world.grace.id, given.id)

    assert closed.state.value == "closed"
    thread = notices.notice_thread(world.uow(), world.alice.id, given.id)
    assert [(r.org, r.body[:20]) for r in thread.responses] == [("acme", "We will seek a prote")]
    assert [e.kind for e in thread.history] == ["notice_sent", "notice_responded", "notice_closed"]
    with changes_nothing(world):
        with pytest.raises(Conflict):
            notices.respond_to_notice(world.uow(), world.alice.id, given.id, body="More")
        with pytest.raises(Conflict):
            notices.close_notice(world.uow(), world.alice.id, given.id)
        with pytest.raises(Conflict):
            notices.acknowledge_notice(world.uow(), world.alice.id, given.id)


def test_terminating_the_agreement_gives_a_notice_of_termination(world: World) -> None:
    agreement = world.signed()
    agreements.terminate_agreement(world.uow(), world.alice.id, agreement.id, reason="Project over")

    found = notices.list_notices(world.uow(), world.grace.id, agreement.id).rows

    assert [(n.kind.value, n.from_org, n.to_orgs, n.body) for n in found] == [
        ("termination", "acme", ("globex",), "Project over")]


def test_an_unauthorized_use_notice_cites_a_traced_copy_made_under_the_agreement(world: World) -> None:
    agreement = world.signed()
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["download"]))
    copy_id = copies.download_disclosure(world.uow(), world.gina.id, made.id).copy_id
    assert copy_id

    given = notices.send_notice(world.uow(), world.alice.id, agreement.id, {
        "kind": "unauthorized_use", "body": "Found on a public forum", "copy_id": copy_id.lower()})

    assert given.details == {"copy_id": copy_id} and given.to_orgs == ("globex",)
    with changes_nothing(world), pytest.raises(InvalidInput) as bad:
        notices.send_notice(world.uow(), world.alice.id, agreement.id, {
            "kind": "unauthorized_use", "body": "Found", "copy_id": "AAAA-BBBB-CCCC"})
    assert list(bad.value.errors) == ["copy_id"]


def test_bad_notices_are_clear_errors_that_change_nothing(world: World) -> None:
    draft = world.draft()
    agreement = world.signed()

    with changes_nothing(world):
        with pytest.raises(NotFound):  # a partnership with no agreement: nothing to give notice under
            notices.send_notice(world.uow(), world.grace.id, "agr_none", compelled(world, agreement))
        with pytest.raises(Conflict, match="never signed"):
            notices.send_notice(world.uow(), world.grace.id, draft.id, compelled(world, agreement))
        with pytest.raises(InvalidInput) as bad:
            notices.send_notice(world.uow(), world.grace.id, agreement.id,
                                {"kind": "compelled_disclosure", "body": ""})
        assert set(bad.value.errors) == {"body", "to_whom", "order", "deadline"}
        with pytest.raises(InvalidInput) as bad:
            notices.send_notice(world.uow(), world.grace.id, agreement.id, {"kind": "termination"})
        assert "terminating" in bad.value.errors["kind"]
        with pytest.raises(InvalidInput) as bad:
            notices.send_notice(world.uow(), world.grace.id, agreement.id,
                                compelled(world, agreement, to="initech"))
        assert list(bad.value.errors) == ["to"]
        with pytest.raises(PermissionDenied):
            notices.send_notice(world.uow(), world.gina.id, agreement.id, compelled(world, agreement))
        with pytest.raises(NotFound):
            notices.send_notice(world.uow(), world.ian.id, agreement.id, compelled(world, agreement))


def test_a_notice_deadline_is_reminded_once_before_and_once_when_passed(
        world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    notices.send_notice(world.uow(), world.grace.id, agreement.id, compelled(
        world, agreement, deadline=(clock.now + timedelta(days=5)).date().isoformat()))

    def due() -> list[str]:
        return sorted(name for name, kind, _ in told(world) if kind == "notice_due")

    clock.advance(days=3)
    run_reminders(world.uow(), stale_days=NEVER_QUIET)
    run_reminders(world.uow(), stale_days=NEVER_QUIET)
    assert due() == ["Alice", "Sam"]  # the addressees' admins and signers
    clock.advance(days=3)
    run_reminders(world.uow(), stale_days=NEVER_QUIET)
    run_reminders(world.uow(), stale_days=NEVER_QUIET)
    assert due() == ["Alice", "Alice", "Grace", "Sam", "Sam"]  # passed: the sender's too
