"""The audit log after a busy day through every use case, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sharebound.adapters.db.tables import events
from sharebound.domain.errors import NotFound, Refused
from sharebound.domain.paging import PageRequest, decode_cursor
from sharebound.services import agreements, audit, copies, disclosures, items, messages, partnerships
from sharebound.services.disclosures import DisclosureDraft
from tests.conftest import FakeClock
from tests.factories import sign_as, terms_json
from tests.integration.world import World

TITLE = "Zephyr title 7731"
BODY = "Quasar body 5521"
BODY_V2 = "Quasar body 5521, second draft"
MESSAGE = "Nebula message 9917"
NOTE = "Pulsar note 4410"
SECRETS = (TITLE, BODY, BODY_V2, MESSAGE, NOTE, "Zephyr", "Quasar", "Nebula", "Pulsar")


def _busy_day(world: World, clock: FakeClock) -> None:
    """Every kind of change, by both sides: agreements, items, disclosures, refusals, messages."""
    agreement = world.signed()
    today = clock().date()
    amended = agreements.amend_agreement(world.uow(), world.grace.id, agreement.id, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat(),
        schedule={"max_access_days": 60}))
    for signer in (world.sam, world.grace):
        sign_as(world.uow(), signer.id, agreement.id, digest=amended.current.digest,
                                  title="Counsel")
    item = items.add_item(world.uow(), world.mia.id, title=TITLE, classification="restricted",
                          topics=["thermal"], content=BODY.encode())
    items.add_item_version(world.uow(), world.mia.id, item.id, content=BODY_V2.encode())
    asked = items.reclassify_item(world.uow(), world.sam.id, item.id, "confidential")
    assert asked.pending is not None
    items.approve_reclassification(world.uow(), world.alice.id, asked.pending.id)
    draft = DisclosureDraft(item_id=item.id, agreement_id=agreement.id, recipients=["gina@globex.example"],
                            actions=["view"], note=NOTE)
    clock.advance(minutes=1)
    made = disclosures.disclose(world.uow(), world.mia.id, draft)
    with pytest.raises(Refused):
        disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
            item_id=item.id, agreement_id=agreement.id, recipients=["ian@initech.example"], actions=["view"],
            note=NOTE))
    copies.open_view(world.uow(), world.gina.id, made.id)
    messages.post_message(world.uow(), world.gina.id, world.partnership.id, body=MESSAGE,
                          classification="confidential")
    messages.post_message(world.uow(), world.alice.id, world.partnership.id, body=MESSAGE)
    globex_item = items.add_item(world.uow(), world.gina.id, title=TITLE, classification="internal",
                                 topics=["optics"], content=BODY.encode())
    disclosures.disclose(world.uow(), world.gina.id, DisclosureDraft(
        item_id=globex_item.id, agreement_id=agreement.id, recipients=["mia@acme.example"],
        actions=["view", "download"], note=NOTE))
    disclosures.revoke_disclosure(world.uow(), world.alice.id, made.id, reason="superseded")
    proposal = partnerships.propose_partnership(world.uow(), world.alice.id, name="Market entry",
                                                purpose="market_access", invite=["initech"])
    partnerships.accept_partnership(world.uow(), world.ian.id, proposal.id)
    clock.advance(minutes=1)
    agreements.terminate_agreement(world.uow(), world.grace.id, agreement.id, reason="project ended")


def test_after_a_busy_day_every_log_verifies_and_is_numbered_densely_from_one(
    world: World, clock: FakeClock,
) -> None:
    _busy_day(world, clock)

    problems = audit.verify_audit(world.uow())

    assert problems == []
    with world.uow() as uow:
        heads = uow.events.heads()
        logs = {log: [e.seq for e in uow.events.read(log)] for log in heads}
        total = uow.events.count()
    assert set(logs) == {"org:acme", "org:globex", "org:initech", f"partnership:{world.partnership.id}",
                         *(f"partnership:{p.id}" for p in partnerships.list_partnerships(
                             world.uow(), world.ian.id).rows)}
    for log, seqs in logs.items():
        assert seqs == list(range(1, heads[log] + 1)), log
    assert sum(len(seqs) for seqs in logs.values()) == total


def test_events_never_carry_a_note_body_an_item_title_a_message_or_a_disclosure_note(
    world: World, clock: FakeClock,
) -> None:
    _busy_day(world, clock)

    with world.app.engine.connect() as connection:
        stored = connection.execute(select(events.c.kind, events.c.subject, events.c.data)).all()

    kinds = {row.kind for row in stored}
    assert {"item_added", "item_version_added", "disclosure_made", "disclosure_refused", "message_posted",
            "disclosure_accessed", "disclosure_revoked", "item_reclassified"} <= kinds
    leaks = [(row.kind, secret) for row in stored for secret in SECRETS
             if secret.lower() in f"{row.subject} {row.data}".lower()]
    assert leaks == []


def test_a_partnership_s_events_are_read_by_its_members_and_hidden_from_outsiders(world: World) -> None:
    agreement = world.signed()

    seen = audit.partnership_events(world.uow(), world.gina.id, world.partnership.id)
    with pytest.raises(NotFound) as missing:
        audit.partnership_events(world.uow(), world.ian.id, world.partnership.id)

    assert [(e.seq, e.kind) for e in seen] == [
        (1, "partnership_proposed"), (2, "partnership_accepted"), (3, "agreement_drafted"),
        (4, "agreement_signed"), (5, "agreement_signed")]
    assert all(e.subject == agreement.id for e in seen[2:])
    assert (missing.value.kind, missing.value.ident) == ("partnership", world.partnership.id)


def test_an_agreement_between_some_orgs_of_a_partnership_stays_out_of_the_others_log(world: World) -> None:
    trio = partnerships.propose_partnership(world.uow(), world.alice.id, name="Trio", purpose="other",
                                            invite=["globex", "initech"])
    for admin in (world.grace, world.ian):
        partnerships.accept_partnership(world.uow(), admin.id, trio.id)
    today = world.app.clock().date()
    pair = agreements.draft_agreement(world.uow(), world.alice.id, trio.id, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat()))

    seen_by_globex = {e.subject for e in audit.partnership_events(world.uow(), world.grace.id, trio.id)}
    seen_by_initech = {e.subject for e in audit.partnership_events(world.uow(), world.ian.id, trio.id)}

    assert pair.id in seen_by_globex
    assert pair.id not in seen_by_initech
    assert trio.id in seen_by_initech  # the partnership's own events stay visible to all its orgs


@pytest.mark.parametrize("limit", [1, 2, 3, 200])
def test_the_log_read_page_by_page_is_the_log_read_whole_with_the_same_events_hidden(
    world: World, limit: int,
) -> None:
    trio = partnerships.propose_partnership(world.uow(), world.alice.id, name="Trio", purpose="other",
                                            invite=["globex", "initech"])
    for admin in (world.grace, world.ian):
        partnerships.accept_partnership(world.uow(), admin.id, trio.id)
    today = world.app.clock().date()
    for _ in range(3):  # acme and globex's alone: initech skips their events a chunk at a time
        agreements.draft_agreement(world.uow(), world.alice.id, trio.id, terms_json(
            effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat()))
    whole = {p.name: [e.seq for e in audit.partnership_events(world.uow(), p.id, trio.id)]
             for p in (world.grace, world.ian)}

    paged: dict[str, list[int]] = {}
    for person in (world.grace, world.ian):
        request, paged[person.name] = PageRequest(limit=limit), []
        while True:
            page = audit.partnership_events_page(world.uow(), person.id, trio.id, request)
            assert len(page.rows) <= limit
            paged[person.name] += [e.seq for e in page.rows]
            if page.after is None:
                break
            request = PageRequest(limit=limit, after=decode_cursor(page.after))

    assert paged == whole
    assert whole["Grace"] == list(range(1, 7)) and whole["Ian"] == [1, 2, 3]
