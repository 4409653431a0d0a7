"""The core journey through the use cases, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from sharebound.domain.errors import NotFound, Refused
from sharebound.services import agreements, audit, copies, disclosures, items, register
from sharebound.services.disclosures import DisclosureDraft
from tests.conftest import FakeClock
from tests.factories import sign_as
from tests.integration.world import World


def test_a_signed_nda_lets_acme_disclose_and_the_recipient_view(world: World) -> None:
    agreement = world.signed()
    item_id = world.note()

    disclosure = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item_id, agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["view"]))
    viewed = register.view_disclosure(world.uow(), world.gina.id, disclosure.id)  # as the API shows it

    assert disclosure.agreement_digest == agreement.current.digest
    assert disclosure.recipients == {world.gina.id}
    assert viewed.body is not None
    with world.uow() as uow:
        assert [a.person_id for a in uow.disclosures.accesses(disclosure.id)] == [world.gina.id]
    received = register.list_register(world.uow(), world.gina.id, direction="received").rows
    given = register.list_register(world.uow(), world.alice.id, direction="given").rows
    assert [v.disclosure.id for v in received] == [v.disclosure.id for v in given] == [disclosure.id]
    assert audit.verify_audit(world.uow()) == []


def test_a_restricted_item_is_refused_with_its_reasons_creates_nothing_and_is_recorded(
    world: World,
) -> None:
    agreement = world.signed()
    item_id = world.note(classification="restricted", topics=("pricing",))

    with pytest.raises(Refused) as refused:
        disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
            item_id=item_id, agreement_id=agreement.id, recipients=["gina@globex.example"],
            actions=["view"]))

    assert refused.value.decision.codes == ("ceiling", "topics")
    assert register.list_register(world.uow(), world.mia.id, direction="given").rows == []
    with world.uow() as uow:
        last = list(uow.events.read("org:acme"))[-1]
    assert (last.kind, last.subject) == ("disclosure_refused", item_id)
    assert last.data == {"agreement": agreement.id, "codes": ["ceiling", "topics"]}


def test_nothing_is_disclosed_before_every_party_signs(world: World) -> None:
    agreement = world.draft()
    sign_as(world.uow(), world.sam.id, agreement.id,
                              digest=agreement.current.digest, title="GC")

    decision = disclosures.check_disclosure(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["view"]))

    assert decision.codes == ("in_force",)
    assert decision.reasons[0].term == "signatures"


def test_access_ends_at_once_on_revocation_and_on_termination(world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    draft = DisclosureDraft(item_id=world.note(), agreement_id=agreement.id,
                            recipients=["gina@globex.example"], actions=["view"])
    revoked = disclosures.disclose(world.uow(), world.mia.id, draft)
    kept = disclosures.disclose(world.uow(), world.mia.id, draft)

    disclosures.revoke_disclosure(world.uow(), world.mia.id, revoked.id, reason="sent too early")
    with pytest.raises(Refused) as after_revoke:
        copies.open_view(world.uow(), world.gina.id, revoked.id)
    clock.advance(seconds=1)
    agreements.terminate_agreement(world.uow(), world.grace.id, agreement.id, reason="project ended")
    with pytest.raises(Refused) as after_termination:
        copies.open_view(world.uow(), world.gina.id, kept.id)

    assert after_revoke.value.decision.codes == ("revoked",)
    assert after_termination.value.decision.codes == ("in_force",)


def test_a_non_recipient_is_told_the_disclosure_does_not_exist(world: World) -> None:
    agreement = world.signed()
    disclosure = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["view"]))

    for outsider in (world.grace, world.ian):
        with pytest.raises(NotFound):
            copies.open_view(world.uow(), outsider.id, disclosure.id)
    with pytest.raises(NotFound):
        register.view_disclosure(world.uow(), world.ian.id, disclosure.id)
    # globex's admin answers for what globex received: she sees it on its register, not its content
    assert register.view_disclosure(world.uow(), world.grace.id, disclosure.id).body is None


def test_lowering_a_crown_jewel_needs_a_second_signer(world: World) -> None:
    item_id = world.note(by=world.sam, classification="restricted")

    asked = items.reclassify_item(world.uow(), world.sam.id, item_id, "confidential")
    still = items.get_item(world.uow(), world.sam.id, item_id)
    approved = items.approve_reclassification(world.uow(), world.alice.id, asked.pending.id)

    assert asked.pending is not None and still.classification == "restricted"
    assert approved.classification == "confidential"
    with world.uow() as uow:
        last = list(uow.events.read("org:acme"))[-1]
    assert last.data["requested_by"] == world.sam.id and last.data["approved_by"] == world.alice.id


def test_recipients_keep_seeing_the_item_as_it_was_disclosed_not_as_it_was_renamed(world: World) -> None:
    from sharebound.services import register

    agreement = world.signed()
    item_id = world.note()
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item_id, agreement_id=agreement.id, recipients=["gina@globex.example"], actions=["view"]))

    items.update_item(world.uow(), world.mia.id, item_id, title="Acquisition target: Globex",
                      topics=["deals"], classification="restricted")
    seen = register.view_disclosure(world.uow(), world.gina.id, made.id)

    assert (seen.item_title, seen.classification, seen.topics) == (
        "Thermal test results", "confidential", frozenset({"thermal"}))


def test_a_confidential_message_is_withheld_once_its_agreement_has_ended(world: World,
                                                                         clock: FakeClock) -> None:
    from sharebound.services import messages

    agreement = world.signed()
    messages.post_message(world.uow(), world.mia.id, world.partnership.id, body="Prototype is late",
                          classification="confidential")
    clock.advance(seconds=1)
    messages.post_message(world.uow(), world.mia.id, world.partnership.id, body="Hello all")
    clock.advance(seconds=1)
    agreements.terminate_agreement(world.uow(), world.grace.id, agreement.id, reason="project ended")

    feed = messages.list_messages(world.uow(), world.gina.id, world.partnership.id)

    assert [(m.body, m.withheld) for m in feed] == [("", True), ("Hello all", False)]


def test_a_disclosure_s_events_are_for_its_discloser_and_recipients_only(world: World) -> None:
    from sharebound.services import audit as audit_service

    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=world.signed().id, recipients=["gina@globex.example"],
        actions=["view"]))

    def subjects(person_id: str) -> set[str]:
        return {e.subject for e in audit_service.partnership_events(world.uow(), person_id,
                                                                    world.partnership.id)}

    assert made.id in subjects(world.alice.id) and made.id in subjects(world.gina.id)
    assert made.id not in subjects(world.grace.id)  # globex, but not a recipient


def test_on_sqlite_reading_never_waits_for_a_writer(world: World) -> None:
    from sharebound.services import orgs

    if world.app.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL readers never wait for writers")
    with world.uow() as writer:  # BEGIN IMMEDIATE: holds SQLite's write lock
        writer.orgs.get_org("acme")

        people = orgs.list_people(world.uow(), world.alice.id, "acme").rows

    assert [p.email for p in people] == ["alice@acme.example", "mia@acme.example", "sam@acme.example"]
