"""Reminders fire once each: access ending, NDA ending, requests due or overdue, quiet partnerships."""

from __future__ import annotations

from datetime import timedelta

from sharebound.services import messages, requests
from sharebound.services.reminders import run_reminders
from tests.conftest import FakeClock
from tests.integration.notify_helpers import ask, disclose, told
from tests.integration.world import World


def remind(world: World, stale_days: int = 14) -> int:
    return run_reminders(world.uow(), stale_days=stale_days)


def _reminded(world: World, kind: str) -> list[tuple[str, str]]:
    return sorted((name, title) for name, k, title in told(world) if k == kind)


def test_a_quiet_partnership_reminds_both_orgs_admins_once(world: World, clock: FakeClock) -> None:
    clock.advance(days=13)
    assert remind(world) == 0

    clock.advance(days=1)
    first = remind(world)
    second = remind(world)

    assert (first, second) == (2, 0)
    assert _reminded(world, "partnership_quiet") == [
        ("Alice", "Nothing shared in Joint sensor for 14 days: ask or share something"),
        ("Grace", "Nothing shared in Joint sensor for 14 days: ask or share something")]


def test_activity_resets_the_quiet_spell(world: World, clock: FakeClock) -> None:
    clock.advance(days=10)
    messages.post_message(world.uow(), world.gina.id, world.partnership.id, body="Hello",
                          classification="public")
    clock.advance(days=10)

    assert remind(world) == 0
    clock.advance(days=4)
    assert remind(world) == 2  # a new quiet spell: reminded again


def test_the_stale_days_setting_is_obeyed(world: World, clock: FakeClock) -> None:
    clock.advance(days=3)

    assert remind(world, stale_days=3) == 2


def test_access_ending_in_seven_days_reminds_each_recipient_once(world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    made = disclose(world, agreement.id)  # the NDA's 90-day access window
    clock.now = made.expires_at - timedelta(days=8)
    remind(world)
    assert _reminded(world, "access_ending") == []

    clock.now = made.expires_at - timedelta(days=6)
    remind(world)
    remind(world)

    assert [name for name, _ in _reminded(world, "access_ending")] == ["Gina"]


def test_an_nda_ending_in_thirty_days_reminds_the_parties_admins_and_signers(world: World,
                                                                              clock: FakeClock) -> None:
    world.signed(term_end=(clock().date() + timedelta(days=40)).isoformat())
    clock.advance(days=11)
    remind(world)
    remind(world)

    assert sorted(name for name, _ in _reminded(world, "agreement_ending")) == ["Alice", "Grace", "Sam"]


def test_a_request_due_tomorrow_then_overdue_reminds_the_assignee_then_the_asker(
        world: World, clock: FakeClock) -> None:
    today = clock().date()
    ask(world, due_on=today + timedelta(days=1), assignee=world.mia.id)
    ask(world, due_on=today + timedelta(days=5), assignee=world.mia.id)  # not yet
    closed = ask(world, due_on=today + timedelta(days=1), assignee=world.sam.id)
    requests.decline_request(world.uow(), world.sam.id, closed, reason="Not ours")  # closed: never

    remind(world)
    remind(world)
    assert [n for n, _ in _reminded(world, "request_due")] == ["Mia"]

    clock.advance(days=2)
    remind(world)
    remind(world)
    assert [n for n, t in _reminded(world, "request_due") if "overdue" in t] == ["Gina", "Mia"]


def test_a_request_nobody_was_assigned_reminds_the_asked_orgs_admins(world: World, clock: FakeClock) -> None:
    ask(world, due_on=clock().date() + timedelta(days=1))

    remind(world)

    assert [n for n, _ in _reminded(world, "request_due")] == ["Alice"]
