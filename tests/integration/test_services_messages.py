"""The partnership feed: messages under the agreement in force, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib

import pytest

from sharebound.domain.classification import Classification
from sharebound.domain.errors import InvalidInput, NotFound, Refused
from sharebound.domain.messages import Message
from sharebound.services import agreements, messages, partnerships
from tests.conftest import FakeClock
from tests.factories import sign_as, terms_json
from tests.integration.world import World, changes_nothing


def _post(world: World, body: str = "Prototype ships Monday", classification: str = "confidential",
          by: str = "mia") -> Message:
    return messages.post_message(world.uow(), getattr(world, by).id, world.partnership.id, body=body,
                                 classification=classification)


def _reasons(refused: Refused) -> list[tuple[str, str, str]]:
    return [(r.code, r.term, r.message) for r in refused.decision.reasons]


def _last_event(world: World) -> tuple[str, str | None, str, dict[str, object]]:
    with world.uow() as uow:
        last = list(uow.events.read(f"partnership:{world.partnership.id}"))[-1]
    return last.kind, last.actor, last.subject, dict(last.data)


def test_a_public_message_needs_no_agreement(world: World, clock: FakeClock) -> None:
    posted = _post(world, body="  Hello, Globex!  ", classification="public", by="gina")

    assert (posted.org, posted.author_id, posted.body, posted.classification) == (
        "globex", world.gina.id, "Hello, Globex!", Classification.PUBLIC)
    assert (posted.agreement_id, posted.agreement_digest, posted.created_at) == (None, None, clock())
    assert messages.list_messages(world.uow(), world.alice.id, world.partnership.id) == [posted]
    assert _last_event(world) == ("message_posted", world.gina.id, posted.id,
                                  {"classification": "public", "agreement": None,
                                   "mentions": [], "reply_to": None, "disclosure": None})


def test_a_confidential_message_without_an_agreement_in_force_is_refused(world: World) -> None:
    found = {}

    def attempt(stage: str) -> None:
        with changes_nothing(world), pytest.raises(Refused) as refused:
            _post(world)
        found[stage] = _reasons(refused.value)

    attempt("no agreement")
    drafted = world.draft()
    attempt("a draft")
    sign_as(world.uow(), world.sam.id, drafted.id, digest=drafted.current.digest,
                              title="GC")
    attempt("awaiting signatures")
    ended = world.signed()
    agreements.terminate_agreement(world.uow(), world.grace.id, ended.id, reason="over")
    attempt("terminated")

    no_agreement = [("in_force", "agreement", "no agreement is in force: only public messages may be posted")]
    assert found == {"no agreement": no_agreement, "a draft": no_agreement,
                     "awaiting signatures": no_agreement, "terminated": no_agreement}


def test_a_message_under_a_signed_all_members_agreement_carries_its_id_and_digest(world: World) -> None:
    agreement = world.signed()

    posted = _post(world, classification="internal")

    assert (posted.agreement_id, posted.agreement_digest) == (agreement.id, agreement.current.digest)
    assert messages.list_messages(world.uow(), world.gina.id, world.partnership.id) == [posted]
    assert _last_event(world) == ("message_posted", world.mia.id, posted.id,
                                  {"classification": "internal", "agreement": agreement.id,
                                   "mentions": [], "reply_to": None, "disclosure": None})


def test_a_message_carries_the_signed_version_s_digest_while_an_amendment_awaits_signatures(
    world: World,
) -> None:
    agreement = world.signed()
    today = world.app.clock().date()
    agreements.amend_agreement(world.uow(), world.alice.id, agreement.id, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat(),
        purpose="Evaluate and build a joint sensor product"))

    posted = _post(world)

    assert (posted.agreement_id, posted.agreement_digest) == (agreement.id, agreement.current.digest)


@pytest.mark.parametrize(("ceiling", "classification", "message"), [
    ("internal", "confidential", "confidential is above this agreement's ceiling, internal"),
    ("confidential", "restricted", "restricted information is a crown jewel: it is never disclosed"),
])
def test_a_message_above_the_ceiling_is_refused(
    world: World, ceiling: str, classification: str, message: str,
) -> None:
    world.signed(schedule={"ceiling": ceiling})

    with changes_nothing(world), pytest.raises(Refused) as refused:
        _post(world, classification=classification)

    assert _reasons(refused.value) == [("ceiling", "schedule.ceiling", message)]


@pytest.mark.parametrize("recipients", [
    {"mode": "roles", "roles": ["signer"]}, {"mode": "named", "people": ["gina@globex.example"]},
], ids=["roles", "named"])
def test_a_confidential_message_is_refused_when_the_agreement_limits_recipients(
    world: World, recipients: dict[str, object],
) -> None:
    world.signed(schedule={"recipients": recipients})

    with changes_nothing(world), pytest.raises(Refused) as refused:
        _post(world)

    assert _reasons(refused.value) == [(
        "recipients", "schedule.recipients",
        "the feed reaches every member of the partner, and this agreement limits recipients: "
        "disclose an item to the allowed people instead")]


def test_under_a_one_way_agreement_only_the_disclosing_party_posts_above_public(world: World) -> None:
    agreement = world.signed(kind="one_way", disclosing_parties=["globex"])

    with changes_nothing(world), pytest.raises(Refused) as refused:
        _post(world, by="mia")
    from_globex = _post(world, by="gina")

    assert _reasons(refused.value) == [
        ("party", "disclosing_parties", "this one-way agreement lets only globex disclose")]
    assert from_globex.agreement_id == agreement.id


def test_the_newest_agreement_in_force_that_covers_the_message_is_the_one_recorded(
    world: World, clock: FakeClock,
) -> None:
    covering = world.signed()
    clock.advance(seconds=1)
    world.signed(purpose="A narrower evaluation",
                 schedule={"recipients": {"mode": "roles", "roles": ["signer"]}})

    posted = _post(world)

    assert (posted.agreement_id, posted.agreement_digest) == (covering.id, covering.current.digest)


def test_an_outsider_cannot_post_or_read_the_feed(world: World) -> None:
    world.signed()

    with changes_nothing(world):
        with pytest.raises(NotFound) as posting:
            messages.post_message(world.uow(), world.ian.id, world.partnership.id, body="Hi there",
                                  classification="public")
        with pytest.raises(NotFound) as reading:
            messages.list_messages(world.uow(), world.ian.id, world.partnership.id)

    for missing in (posting.value, reading.value):
        assert (missing.kind, missing.ident) == ("partnership", world.partnership.id)


def test_a_malformed_message_names_the_bad_field_and_posts_nothing(world: World) -> None:
    world.signed()
    cases: dict[str, tuple[str, str, dict[str, str]]] = {
        "empty": ("", "public", {"body": "is required"}),
        "blank": ("  \n ", "public", {"body": "is required"}),
        "too long": ("x" * 20_001, "public", {"body": "must be at most 20000 characters"}),
        "bad classification": ("Hello", "top secret", {
            "classification": "must be one of public, internal, confidential, restricted"}),
    }
    found = {}

    for case, (body, classification, _) in cases.items():
        with changes_nothing(world), pytest.raises(InvalidInput) as bad:
            _post(world, body=body, classification=classification)
        found[case] = bad.value.errors

    assert found == {case: errors for case, (_, _, errors) in cases.items()}


def test_a_confidential_message_never_reaches_a_member_of_the_partnership_outside_the_agreement(
    world: World,
) -> None:
    consortium = partnerships.propose_partnership(world.uow(), world.alice.id, name="Consortium",
                                                  purpose="other", invite=["globex", "initech"])
    partnerships.accept_partnership(world.uow(), world.grace.id, consortium.id)
    partnerships.accept_partnership(world.uow(), world.ian.id, consortium.id)
    today = world.app.clock().date()
    bilateral = agreements.draft_agreement(world.uow(), world.alice.id, consortium.id, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat()))
    for signer in (world.sam, world.grace):
        sign_as(world.uow(), signer.id, bilateral.id, digest=bilateral.current.digest,
                                  title="Counsel")
    messages.post_message(world.uow(), world.alice.id, consortium.id, body="Welcome, all three of us")

    with contextlib.suppress(Refused):  # refusing to post it is as good as keeping it from initech
        messages.post_message(world.uow(), world.mia.id, consortium.id, body="Prototype yield is 62%",
                              classification="confidential")

    assert [m.body for m in messages.list_messages(world.uow(), world.ian.id, consortium.id)] == [
        "Welcome, all three of us"]
