"""The feed's replies, mentions, links to disclosures and unread markers, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from sharebound.domain.errors import InvalidInput, NotFound, Refused
from sharebound.domain.messages import Message
from sharebound.domain.orgs import Person
from sharebound.services import audit, disclosures, messages, orgs, partnerships
from sharebound.services.disclosures import DisclosureDraft
from tests.conftest import FakeClock
from tests.integration.world import World, changes_nothing


def _post(world: World, by: Person, body: str = "Samples shipped", **extra: Any) -> Message:
    return messages.post_message(world.uow(), by.id, world.partnership.id, body=body, **extra)


def _event_data(world: World, subject: str) -> dict[str, Any]:
    with world.uow() as uow:
        return next(dict(e.data) for e in uow.events.read(f"partnership:{world.partnership.id}")
                    if e.subject == subject)


def test_a_reply_answers_a_message_of_the_same_partnership(world: World, clock: FakeClock) -> None:
    first = _post(world, world.gina, "Can we get the photos?")
    clock.advance(seconds=1)

    reply = _post(world, world.mia, "Next week", reply_to=first.id)

    assert reply.reply_to == first.id
    assert messages.list_messages(world.uow(), world.grace.id, world.partnership.id) == [first, reply]
    assert _event_data(world, reply.id) == {"classification": "public", "agreement": None, "mentions": [],
                                            "reply_to": first.id, "disclosure": None}


def test_a_reply_to_a_reply_or_to_another_partnership_s_message_is_refused(world: World) -> None:
    other = partnerships.propose_partnership(world.uow(), world.alice.id, name="Other", purpose="other",
                                             invite=["initech"])
    partnerships.accept_partnership(world.uow(), world.ian.id, other.id)
    elsewhere = messages.post_message(world.uow(), world.ian.id, other.id, body="Hello acme")
    first = _post(world, world.gina)
    reply = _post(world, world.mia, reply_to=first.id)
    found = {}

    for case, target in {"elsewhere": elsewhere.id, "a reply": reply.id, "unknown": "msg_0nothing"}.items():
        with changes_nothing(world), pytest.raises(InvalidInput) as bad:
            _post(world, world.alice, reply_to=target)
        found[case] = bad.value.errors

    assert found == {"elsewhere": {"reply_to": "is not a message of this partnership"},
                     "a reply": {"reply_to": "is itself a reply: reply to the message it answers"},
                     "unknown": {"reply_to": "is not a message of this partnership"}}


def test_a_reply_follows_the_same_rules_as_any_message(world: World) -> None:
    first = _post(world, world.gina)

    with changes_nothing(world), pytest.raises(Refused) as refused:
        _post(world, world.mia, "Yield is 62%", classification="confidential", reply_to=first.id)

    assert refused.value.decision.codes == ("in_force",)


def test_mentions_resolve_to_people_of_the_accepted_orgs_only(world: World) -> None:
    # initech is invited to a second partnership of the same orgs but never accepts it
    trio = partnerships.propose_partnership(world.uow(), world.alice.id, name="Trio", purpose="other",
                                            invite=["globex", "initech"])
    partnerships.accept_partnership(world.uow(), world.grace.id, trio.id)
    body = "@gina @Sam@acme.example and @ian, @ian@initech.example, @nobody: see gina@globex.example"

    here = _post(world, world.mia, body)
    there = messages.post_message(world.uow(), world.mia.id, trio.id, body=body)

    assert here.mentions == there.mentions == (world.gina.id, world.sam.id)
    assert _event_data(world, here.id)["mentions"] == [world.gina.id, world.sam.id]
    entry = messages.read_feed(world.uow(), world.grace.id, world.partnership.id).entries[0]
    assert [(text, p.id if p else None) for text, p in entry.segments] == [
        ("@gina", world.gina.id), (" ", None), ("@Sam@acme.example", world.sam.id),
        (" and @ian, @ian@initech.example, @nobody: see gina@globex.example", None)]


def test_a_mention_of_a_shared_local_part_stays_plain_text(world: World) -> None:
    other_gina = orgs.add_person(world.uow(), world.alice.id, org="acme", name="Gina A",
                                 email="gina@acme.example", roles=["member"])

    posted = _post(world, world.grace, "@gina and @gina@acme.example")

    assert posted.mentions == (other_gina.id,)
    entry = messages.read_feed(world.uow(), world.alice.id, world.partnership.id).entries[0]
    assert [(text, p.id if p else None) for text, p in entry.segments] == [
        ("@gina and ", None), ("@gina@acme.example", other_gina.id)]


def _disclosed(world: World) -> str:
    agreement = world.signed()
    return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["view"])).id


def test_a_disclosure_link_shows_only_to_people_who_may_see_the_disclosure(world: World) -> None:
    given = _disclosed(world)

    posted = _post(world, world.gina, "Thanks for this one", disclosure_id=given)

    links = {p.name: messages.list_messages(world.uow(), p.id, world.partnership.id)[0].disclosure_id
             for p in (world.mia, world.alice, world.gina, world.grace)}
    assert links == {"Mia": given, "Alice": given, "Gina": given, "Grace": None}
    assert posted.disclosure_id == given
    assert _event_data(world, posted.id)["disclosure"] == given
    # the log names the disclosure too: its event is for those who see the disclosure
    logged = {p.name: posted.id in {e.subject for e in audit.partnership_events(
        world.uow(), p.id, world.partnership.id)} for p in (world.mia, world.gina, world.grace)}
    assert logged == {"Mia": True, "Gina": True, "Grace": False}


def test_a_link_to_a_disclosure_the_author_cannot_see_is_refused(world: World) -> None:
    given = _disclosed(world)

    for case in (given, "dis_0nothing"):
        with changes_nothing(world), pytest.raises(InvalidInput) as bad:
            _post(world, world.grace, "Look at this", disclosure_id=case)  # grace is no recipient
        assert bad.value.errors == {
            "disclosure_id": "is not a disclosure of this partnership that you can see"}


def test_unread_counts_new_messages_by_others_until_the_feed_is_read(
    world: World, clock: FakeClock,
) -> None:
    for by, body in ((world.gina, "One"), (world.grace, "Two"), (world.alice, "My own")):
        _post(world, by, body)
        clock.advance(seconds=1)

    before = messages.read_feed(world.uow(), world.alice.id, world.partnership.id)
    counts = messages.unread_counts(world.uow(), world.alice.id)
    read_at = messages.mark_read(world.uow(), world.alice.id, world.partnership.id)
    after = messages.read_feed(world.uow(), world.alice.id, world.partnership.id)
    clock.advance(minutes=5)
    _post(world, world.gina, "Three")

    assert ([e.new for e in before.entries], before.unread, counts) == (
        [True, True, False], 2, {world.partnership.id: 2})
    assert (after.unread, after.read_up_to) == (0, read_at)
    assert messages.unread_counts(world.uow(), world.alice.id) == {world.partnership.id: 1}
    # a marker is personal: mia has read nothing, and alice's message is new to her
    assert messages.unread_counts(world.uow(), world.mia.id) == {world.partnership.id: 4}


def test_the_read_marker_never_moves_back_and_outsiders_have_none(world: World, clock: FakeClock) -> None:
    at = messages.mark_read(world.uow(), world.alice.id, world.partnership.id)
    again = messages.mark_read(world.uow(), world.alice.id, world.partnership.id, up_to=at.replace(year=2000))

    assert again == at
    with changes_nothing(world), pytest.raises(NotFound):
        messages.mark_read(world.uow(), world.ian.id, world.partnership.id)
    assert messages.unread_counts(world.uow(), world.ian.id) == {}
