"""Return or destruction on both sides: the discloser demands its information back at any time,
access ends at once, the receiving org certifies with its password, the discloser reads the
certification and the list; reminders before, on and after the due date, each once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sharebound.domain.agreements import Agreement
from sharebound.domain.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ReauthenticationRequired,
    Refused,
)
from sharebound.domain.orgs import Person
from sharebound.services import copies, disclosures, home, notices, returns
from sharebound.services.disclosures import DisclosureDraft
from sharebound.services.reminders import run_reminders
from sharebound.services.returns import Evidence
from tests.conftest import FakeClock
from tests.integration.notify_helpers import told
from tests.integration.world import World, changes_nothing

PASSWORD = "a long passphrase"
NEVER_QUIET = 10_000  # why: no partnership_quiet reminder gets in the way of the counts


def with_password(world: World, *people: Person) -> None:
    with world.uow() as uow:
        for person in people:
            uow.auth.set_password_hash(person.id, world.app.passwords.hash(PASSWORD))
        uow.commit()


def downloaded(world: World, agreement: Agreement) -> str:
    """acme (mia) discloses a note to gina, who downloads it: the disclosure id."""
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["view", "download"]))
    copies.download_disclosure(world.uow(), world.gina.id, made.id)
    return made.id


def demand(world: World, agreement: Agreement, **fields: str) -> str:
    return notices.send_notice(world.uow(), world.alice.id, agreement.id,
                               {"kind": "demand_return", "body": "Please return everything", **fields}).id


def test_acme_demands_return_and_globex_loses_access_at_once_with_a_due_date(
        world: World, clock: FakeClock) -> None:
    agreement = world.signed(schedule={"return_days": 10})
    made = downloaded(world, agreement)

    notice_id = demand(world, agreement)

    with pytest.raises(Refused) as refused:
        copies.download_disclosure(world.uow(), world.gina.id, made)
    assert "demanded" in refused.value.decision.codes
    found = returns.copies_to_return(world.uow(), world.grace.id, agreement.id)
    assert found.ended_at is None and found.due_at == clock.now + timedelta(days=10)
    assert [(d.discloser, d.notice_id) for d in found.demands] == [("acme", notice_id)]
    assert [c.disclosure_id for c in found.copies] == [made]
    # what acme discloses after the demand is open again
    clock.advance(minutes=1)
    later = downloaded(world, agreement)
    assert later != made


def test_globex_signer_certifies_with_the_password_and_acme_reads_the_certification_and_list(
        world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    downloaded(world, agreement)
    demand(world, agreement)
    with_password(world, world.grace)

    done = returns.certify_returned(world.uow(), world.grace.id, agreement.id,
                                    statement="Deleted from every laptop.\nPrintouts shredded.",
                                    password=PASSWORD, evidence=Evidence("192.0.2.7", "Firefox"))

    assert done.certification is not None
    owed = returns.returns_owed(world.uow(), world.alice.id, agreement.id)
    assert [o.org for o in owed] == ["globex"]
    certification = owed[0].certification
    assert certification is not None
    assert certification.statement == "Deleted from every laptop.\nPrintouts shredded."
    assert (certification.person_id, certification.at) == (world.grace.id, clock.now)
    assert (certification.ip, certification.user_agent) == ("192.0.2.7", "Firefox")
    assert certification.copy_list == tuple(c.access_id for c in owed[0].copies) != ()
    with changes_nothing(world), pytest.raises(Conflict, match="already certified"):
        returns.certify_returned(world.uow(), world.grace.id, agreement.id, statement="Again",
                                 password=PASSWORD)


def test_a_wrong_or_missing_password_certifies_nothing(world: World) -> None:
    agreement = world.signed()
    downloaded(world, agreement)
    demand(world, agreement)
    with_password(world, world.grace)

    with changes_nothing(world, but=frozenset({"login_failures"})):  # a wrong password is counted
        for wrong in ("not it", ""):
            with pytest.raises(ReauthenticationRequired) as bad:
                returns.certify_returned(world.uow(), world.grace.id, agreement.id, statement="Gone",
                                         password=wrong)
            assert list(bad.value.errors) == ["password"]


def test_a_demand_by_the_receiving_org_or_a_second_demand_changes_nothing(world: World) -> None:
    agreement = world.signed()
    downloaded(world, agreement)

    with changes_nothing(world), pytest.raises(PermissionDenied, match="disclosed nothing"):
        notices.send_notice(world.uow(), world.grace.id, agreement.id, {"kind": "demand_return"})
    demand(world, agreement)
    with changes_nothing(world), pytest.raises(Conflict, match="already demanded"):
        demand(world, agreement)
    with changes_nothing(world), pytest.raises(PermissionDenied):
        notices.send_notice(world.uow(), world.mia.id, agreement.id, {"kind": "demand_return"})


def test_only_admins_and_signers_of_the_discloser_read_what_is_owed(world: World) -> None:
    agreement = world.signed()
    downloaded(world, agreement)

    with pytest.raises(PermissionDenied):
        returns.returns_owed(world.uow(), world.mia.id, agreement.id)
    with pytest.raises(NotFound):
        returns.returns_owed(world.uow(), world.ian.id, agreement.id)
    assert returns.returns_owed(world.uow(), world.grace.id, agreement.id)[0].copies == ()


def test_return_reminders_fire_before_on_and_after_the_due_date_each_once(
        world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    downloaded(world, agreement)
    due_on = (clock.now + timedelta(days=10)).date()
    demand(world, agreement, deadline=due_on.isoformat())

    def reminded() -> list[tuple[str, str]]:
        return sorted((name, title) for name, kind, title in told(world) if kind == "return_due")

    assert run_reminders(world.uow(), stale_days=NEVER_QUIET) == 0  # 10 days ahead: not yet
    clock.advance(days=4)
    assert run_reminders(world.uow(), stale_days=NEVER_QUIET) == 1  # a week ahead: grace
    assert run_reminders(world.uow(), stale_days=NEVER_QUIET) == 0
    clock.advance(days=6)  # the due day (the due time is the end of it)
    assert run_reminders(world.uow(), stale_days=NEVER_QUIET) == 1
    clock.advance(days=1)  # overdue: nobody certified
    assert (run_reminders(world.uow(), stale_days=NEVER_QUIET),
            run_reminders(world.uow(), stale_days=NEVER_QUIET)) == (1, 0)

    titles = [title for _, title in reminded()]
    assert len(titles) == 3 and all(name == "Grace" for name, _ in reminded())
    assert any("are overdue" in t for t in titles) and any("are due today" in t for t in titles)


def test_overdue_returns_show_on_both_sides_home_pages(world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    downloaded(world, agreement)
    demand(world, agreement, deadline=(clock.now + timedelta(days=2)).date().isoformat())
    clock.advance(days=5)

    theirs = home.home(world.uow(), world.grace.id).obligations
    ours = home.home(world.uow(), world.alice.id).obligations

    assert [(o.org, o.discloser, o.overdue) for o in theirs] == [("globex", None, True)]
    assert [(o.org, o.discloser, o.overdue) for o in ours] == [("globex", "acme", True)]
    assert home.home(world.uow(), world.gina.id).obligations == []  # a member answers for nothing
