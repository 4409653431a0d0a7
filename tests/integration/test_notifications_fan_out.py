"""Events that concern people notify them, in the event's transaction, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sharebound.domain.errors import InvalidInput
from sharebound.services import agreements, messages, notifications, requests
from tests.conftest import FakeClock
from tests.integration.notify_helpers import ask, disclose, kinds_told, outbox_rows, told
from tests.integration.world import World, changes_nothing


def test_a_disclosure_tells_its_recipient_by_title_and_queues_an_email(world: World) -> None:
    agreement = world.signed()
    before = len(told(world))

    made = disclose(world, agreement.id)

    new = [t for t in told(world) if t[1] == "disclosed_to_me"]
    assert new == [("Gina", "disclosed_to_me", "acme disclosed “Thermal test results” to you")]
    assert len(told(world)) == before + 1
    emails = [r for r in outbox_rows(world) if r.channel == "email" and r.person_id == world.gina.id]
    assert [(r.state, r.attempts) for r in emails][-1] == ("pending", 0)
    found, unread = notifications.list_notifications(world.uow(), world.gina.id)
    assert found[0].link == f"/disclosures/{made.id}" and unread == len(found)


def test_an_nda_asks_each_partys_signers_but_never_the_actor(world: World) -> None:
    world.draft()

    assert kinds_told(world) == {("Sam", "signature_needed"), ("Grace", "signature_needed")}


def test_an_nda_signed_by_all_tells_the_admins_and_signers_of_both_sides(world: World) -> None:
    world.signed()  # grace signs last

    signed = {(name, kind) for name, kind, _ in told(world) if kind == "agreement_signed"}
    assert signed == {("Alice", "agreement_signed"), ("Sam", "agreement_signed")}


def test_an_amendment_asks_for_signatures_and_tells_the_other_admins(world: World) -> None:
    agreement = world.signed()
    notifications.mark_read(world.uow(), world.grace.id, None)
    today = world.app.clock().date()
    from tests.factories import terms_json

    agreements.amend_agreement(world.uow(), world.grace.id, agreement.id, terms_json(
        purpose="A new purpose", effective_date=today.isoformat(),
        term_end=today.replace(year=today.year + 1).isoformat()))

    latest = {(n, k) for n, k, t in told(world) if "version 2" in t}
    assert latest == {("Sam", "signature_needed"), ("Alice", "signature_needed")}
    assert notifications.list_notifications(world.uow(), world.grace.id)[1] == 0


def test_a_termination_tells_the_other_partys_admins_and_signers(world: World) -> None:
    agreement = world.signed()

    agreements.terminate_agreement(world.uow(), world.sam.id, agreement.id, reason="Project over")

    ended = {(n, k) for n, k, _ in told(world) if k == "agreement_terminated"}
    assert ended == {("Alice", "agreement_terminated"), ("Grace", "agreement_terminated")}


def test_a_request_goes_to_its_assignee_or_else_the_asked_orgs_admins(world: World,
                                                                      clock: FakeClock) -> None:
    due = clock().date() + timedelta(days=10)
    agreement = world.signed()
    before = told(world)
    first = ask(world, due_on=due)
    requests.assign_request(world.uow(), world.alice.id, first, assignee="mia@acme.example")
    answer = disclose(world, agreement.id, to="gina@globex.example")
    requests.answer_request(world.uow(), world.mia.id, first, [answer.id])
    second = ask(world, due_on=due, assignee="sam@acme.example")
    requests.decline_request(world.uow(), world.alice.id, second, reason="no")
    requests.withdraw_request(world.uow(), world.gina.id, ask(world, due_on=due, title="Drawings"))

    assert [t for t in told(world) if t not in before] == sorted([
        ("Alice", "request_assigned", f"globex asks: “Thermal test results”, due {due}"),
        ("Alice", "request_assigned", f"globex asks: “Drawings”, due {due}"),
        ("Alice", "request_assigned", "globex withdrew its request: “Drawings”"),
        ("Gina", "disclosed_to_me", "acme disclosed “Thermal test results” to you"),
        ("Gina", "request_answered", "acme answered your request “Thermal test results”"),
        ("Gina", "request_answered", "acme declined your request “Thermal test results”"),
        ("Mia", "request_assigned", f"globex asks (assigned to you): “Thermal test results”, due {due}"),
        ("Sam", "request_assigned", f"globex asks: “Thermal test results”, due {due}"),
    ])


def test_a_mention_tells_the_people_named_inside_the_partnership_only(world: World) -> None:
    messages.post_message(world.uow(), world.gina.id, world.partnership.id,
                          body="@mia @gina @ian: have a look", classification="public")

    assert told(world) == [("Mia", "mentioned", "Gina mentioned you in Joint sensor")]


def test_a_kind_set_to_a_digest_or_off_queues_no_instant_email(world: World) -> None:
    notifications.set_preferences(world.uow(), world.sam.id, {"signature_needed": "daily"})
    notifications.set_preferences(world.uow(), world.grace.id, {"signature_needed": "off"})

    world.draft()

    assert kinds_told(world) == {("Sam", "signature_needed"), ("Grace", "signature_needed")}
    assert [r for r in outbox_rows(world) if r.channel == "email"] == []


def test_bad_preferences_are_refused_naming_the_kind_and_change_nothing(world: World) -> None:
    with changes_nothing(world), pytest.raises(InvalidInput) as bad:
        notifications.set_preferences(world.uow(), world.sam.id, {"signature_needed": "hourly"})

    assert list(bad.value.errors) == ["preferences.signature_needed"]


def test_marking_read_touches_only_your_own_notifications(world: World, clock: FakeClock) -> None:
    world.draft()
    sams, _ = notifications.list_notifications(world.uow(), world.sam.id)
    clock.advance(minutes=1)

    left = notifications.mark_read(world.uow(), world.grace.id, [sams[0].id])

    assert left == 1  # grace's own stays unread: sam's id is not hers to mark
    assert notifications.list_notifications(world.uow(), world.sam.id, unread=True)[1] == 1
    assert notifications.mark_read(world.uow(), world.sam.id, [sams[0].id]) == 0
    assert notifications.list_notifications(world.uow(), world.sam.id)[0][0].read_at == clock()
    assert clock() - timedelta(minutes=1) == sams[0].created_at
