"""Copies to return or destroy: when an agreement ends, the receiving org gets the list of the
copies its people downloaded under it, and certifies once that they are gone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sharebound.domain.agreements import Agreement
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from sharebound.services import agreements, copies, disclosures, returns
from sharebound.services.audit import partnership_events
from sharebound.services.disclosures import DisclosureDraft
from sharebound.services.register import view_disclosure
from tests.conftest import FakeClock
from tests.integration.world import World, changes_nothing

GINA, GRACE = "gina@globex.example", "grace@globex.example"
PASSWORD = "a long passphrase"


def _with_password(world: World) -> None:
    """grace signs the certification with her password (re-authentication)."""
    with world.uow() as uow:
        uow.auth.set_password_hash(world.grace.id, world.app.passwords.hash(PASSWORD))
        uow.commit()


def _downloaded(world: World, agreement: Agreement, *, by: str = GINA) -> str:
    """acme discloses a note under the agreement and the recipient downloads it: the disclosure id."""
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=[by], actions=["view", "download"]))
    person = world.gina if by == GINA else world.grace
    copies.download_disclosure(world.uow(), person.id, made.id)
    return made.id


def _terminated(world: World, agreement: Agreement) -> None:
    agreements.terminate_agreement(world.uow(), world.alice.id, agreement.id, reason="Project over")


def test_after_termination_the_receiving_org_lists_every_download_with_its_copy_id_and_due_date(
        world: World, clock: FakeClock) -> None:
    agreement = world.signed(schedule={"return_days": 10})
    first = _downloaded(world, agreement)
    clock.advance(minutes=1)
    second = _downloaded(world, agreement, by=GRACE)
    _terminated(world, agreement)

    found = returns.copies_to_return(world.uow(), world.grace.id, agreement.id)

    assert [c.disclosure_id for c in found.copies] == [first, second]
    assert [c.person_name for c in found.copies] == [world.gina.name, world.grace.name]
    assert all(c.copy_id and c.sha256 for c in found.copies)
    assert found.complete and found.certification is None
    assert found.ended_at == clock.now and found.due_at == clock.now + timedelta(days=10)
    assert not found.is_overdue(clock.now)
    assert found.is_overdue(clock.now + timedelta(days=10))


def test_a_member_who_is_not_admin_or_signer_sees_only_their_own_downloads(world: World) -> None:
    agreement = world.signed()
    mine = _downloaded(world, agreement)
    _downloaded(world, agreement, by=GRACE)

    found = returns.copies_to_return(world.uow(), world.gina.id, agreement.id)

    assert [c.disclosure_id for c in found.copies] == [mine] and not found.complete


def test_an_unstamped_download_is_on_the_list_without_a_copy_id(world: World) -> None:
    agreement = world.signed(schedule={"watermark_downloads": False})
    made = _downloaded(world, agreement)

    found = returns.copies_to_return(world.uow(), world.grace.id, agreement.id)

    assert [(c.disclosure_id, c.copy_id, c.sha256) for c in found.copies] == [(made, None, None)]


def test_the_discloser_org_has_nothing_to_return_and_views_are_not_copies(world: World) -> None:
    agreement = world.signed()
    _downloaded(world, agreement)
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=[GINA], actions=["view"]))
    view_disclosure(world.uow(), world.gina.id, made.id)

    assert returns.copies_to_return(world.uow(), world.alice.id, agreement.id).copies == ()
    assert len(returns.copies_to_return(world.uow(), world.grace.id, agreement.id).copies) == 1


def test_an_expired_agreement_ends_at_its_term_end(world: World, clock: FakeClock) -> None:
    agreement = world.signed(term_end=(clock.now.date() + timedelta(days=5)).isoformat())
    _downloaded(world, agreement)
    clock.advance(days=6)

    found = returns.copies_to_return(world.uow(), world.grace.id, agreement.id)

    assert found.ended_at is not None and found.ended_at.date() == clock.now.date() - timedelta(days=1)
    assert found.due_at == found.ended_at + timedelta(days=30)


def test_certifying_records_the_statement_once_and_an_event_both_parties_see(world: World) -> None:
    agreement = world.signed()
    _downloaded(world, agreement)
    _terminated(world, agreement)
    _with_password(world)

    done = returns.certify_returned(world.uow(), world.grace.id, agreement.id,
                                    statement="  Deleted from every laptop. ", password=PASSWORD)

    assert done.certification is not None
    assert (done.certification.statement, done.certification.copies) == ("Deleted from every laptop.", 1)
    log = [(e.kind, dict(e.data))
           for e in partnership_events(world.uow(), world.alice.id, world.partnership.id)]
    assert ("copies_certified", {"org": "globex", "copies": 1}) in log
    with changes_nothing(world), pytest.raises(Conflict, match="already certified"):
        returns.certify_returned(world.uow(), world.grace.id, agreement.id, statement="again",
                                 password=PASSWORD)


def test_certifying_before_the_end_by_a_member_or_from_outside_changes_nothing(world: World) -> None:
    agreement = world.signed()
    _downloaded(world, agreement)

    with changes_nothing(world), pytest.raises(Conflict, match="has not ended"):
        returns.certify_returned(world.uow(), world.grace.id, agreement.id, statement="done")
    _terminated(world, agreement)
    with changes_nothing(world):
        with pytest.raises(PermissionDenied):
            returns.certify_returned(world.uow(), world.gina.id, agreement.id, statement="done")
        with pytest.raises(NotFound):
            returns.certify_returned(world.uow(), world.ian.id, agreement.id, statement="done")
        with pytest.raises(NotFound):
            returns.copies_to_return(world.uow(), world.ian.id, agreement.id)
        with pytest.raises(InvalidInput, match="statement"):
            returns.certify_returned(world.uow(), world.grace.id, agreement.id, statement="   ")
