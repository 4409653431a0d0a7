"""Give and take and health through the services, on a real database: the numbers a viewer
gets are counted from their org's own register and what reached it, never a partner's
disclosures to a third org."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

import pytest
from sqlalchemy import delete, event, select

from sharebound.adapters.db.tables import disclosure_days
from sharebound.domain.agreements import Agreement
from sharebound.domain.errors import InvalidInput, NotFound
from sharebound.domain.orgs import Person
from sharebound.domain.partnerships import Partnership
from sharebound.domain.reciprocity import Pair, parse_window
from sharebound.services import agreements, disclosures, partnerships, reciprocity, register, requests
from sharebound.services.disclosures import DisclosureDraft
from tests.conftest import FakeClock
from tests.factories import sign_as, terms_json
from tests.integration.world import World

NOTICE = {"acme": "legal@acme.example", "globex": "legal@globex.example",
          "initech": "legal@initech.example"}


def _consortium(world: World) -> tuple[Partnership, Agreement]:
    """acme, globex and initech in one partnership, with a three-party NDA in force."""
    consortium = partnerships.propose_partnership(world.uow(), world.alice.id, name="Consortium",
                                                  purpose="other", invite=["globex", "initech"])
    partnerships.accept_partnership(world.uow(), world.grace.id, consortium.id)
    partnerships.accept_partnership(world.uow(), world.ian.id, consortium.id)
    today = world.app.clock().date()
    terms = terms_json(parties=["acme", "globex", "initech"], notice=NOTICE,
                       effective_date=today.isoformat(),
                       term_end=today.replace(year=today.year + 1).isoformat())
    agreement = agreements.draft_agreement(world.uow(), world.alice.id, consortium.id, terms)
    digest = agreement.current.digest
    for signer in (world.sam, world.grace, world.ian):
        agreement = sign_as(world.uow(), signer.id, agreement.id, digest=digest, title="GC")
    return consortium, agreement


def _give(world: World, by: Person, agreement: Agreement, to: list[str], level: str = "internal",
          topics: tuple[str, ...] = ("thermal",)) -> str:
    item = world.note(by=by, classification=level, topics=topics)
    return disclosures.disclose(world.uow(), by.id, DisclosureDraft(
        item_id=item, agreement_id=agreement.id, recipients=to, actions=["view"])).id


def test_a_viewer_counts_what_its_org_gave_and_received_never_a_partners_gifts_to_a_third(
    world: World, clock: FakeClock
) -> None:
    consortium, nda = _consortium(world)
    _give(world, world.gina, nda, ["mia@acme.example"], "confidential", ("thermal", "optics"))
    _give(world, world.gina, nda, ["ian@initech.example"])  # globex to initech: not acme's business
    clock.advance(days=8)
    _give(world, world.mia, nda, ["gina@globex.example"], "public", ())
    _give(world, world.mia, nda, ["gina@globex.example", "ian@initech.example"])

    seen = reciprocity.partnership_reciprocity(world.uow(), world.alice.id, consortium.id)
    by_ian = reciprocity.partnership_reciprocity(world.uow(), world.ian.id, consortium.id)
    by_sam_member = reciprocity.partnership_reciprocity(world.uow(), world.sam.id, consortium.id)

    assert seen.flows.total == Pair(given=2, received=1)
    assert [b.pair for b in seen.flows.buckets if b.pair != Pair()] == [Pair(0, 1), Pair(2, 0)]
    assert dict(seen.flows.by_classification)["confidential"] == Pair(0, 1)
    assert dict(seen.flows.by_topic) == {"thermal": Pair(1, 1), "optics": Pair(0, 1),
                                         "(no topic)": Pair(1, 0)}
    assert seen.flows.weighted == Pair(given=1 + 2, received=4)
    assert seen.flows.index == pytest.approx(2 / 3)
    assert by_ian.flows.total == Pair(given=0, received=2)  # one from globex, one from acme
    assert by_sam_member.flows.total == seen.flows.total  # a signer answers for the org
    for person in (world.alice, world.mia):
        for direction, count in (("given", seen.flows.total.given), ("received", None)):
            listed = register.list_register(world.uow(), person.id, direction=direction,
                                            partnership_id=consortium.id)
            mine = reciprocity.partnership_reciprocity(world.uow(), person.id, consortium.id)
            expected = count if count is not None else mine.flows.total.received
            assert len(listed.rows) == expected == (mine.flows.total.given if direction == "given"
                                              else mine.flows.total.received)


def test_the_counts_kept_as_disclosures_are_made_are_those_the_upgrade_counts_from_the_register(
    world: World, clock: FakeClock
) -> None:
    _, nda = _consortium(world)
    _give(world, world.gina, nda, ["mia@acme.example", "alice@acme.example", "ian@initech.example"],
          "confidential", ("thermal", "optics"))
    _give(world, world.gina, nda, ["mia@acme.example"], "confidential", ("optics", "thermal"))
    clock.advance(days=1)
    _give(world, world.mia, nda, ["gina@globex.example"], "public", ())
    every = select(disclosure_days).order_by(*disclosure_days.primary_key.columns)
    with world.app.engine.begin() as connection:
        kept = connection.execute(every).all()
        connection.execute(delete(disclosure_days))
        import_module("sharebound.adapters.db.migrations.versions.0035_disclosure_days").backfill(connection)
        counted = connection.execute(every).all()

    assert counted == kept
    assert sum(row.n for row in kept if row.audience == "") == 3  # given, once each
    assert {row.audience: row.n for row in kept if row.discloser == "globex" and row.n == 2} == {
        "": 2, "org:acme": 2, f"person:{world.mia.id}": 2}  # two of acme's people saw the first: once


def test_a_member_counts_only_what_reached_them(world: World) -> None:
    nda = world.signed()
    _give(world, world.gina, nda, ["sam@acme.example"])
    _give(world, world.gina, nda, ["mia@acme.example"])

    mia = reciprocity.partnership_reciprocity(world.uow(), world.mia.id, world.partnership.id)
    alice = reciprocity.partnership_reciprocity(world.uow(), world.alice.id, world.partnership.id)

    assert (mia.whole_org, mia.flows.total.received) == (False, 1)
    assert (alice.whole_org, alice.flows.total.received) == (True, 2)


def test_requests_each_way_with_the_median_time_to_answer_and_the_overdue_ones(
    world: World, clock: FakeClock
) -> None:
    nda = world.signed()
    today = clock().date()
    asked = [requests.open_request(world.uow(), world.alice.id, world.partnership.id, title=f"Ask {n}",
                                   due_on=today + timedelta(days=3)) for n in range(3)]
    requests.open_request(world.uow(), world.grace.id, world.partnership.id, title="Their ask",
                          due_on=today + timedelta(days=1))
    for hours, request in zip((24, 72), asked[:2], strict=True):
        clock.advance(hours=hours)
        given = _give(world, world.gina, nda, ["alice@acme.example"])
        requests.answer_request(world.uow(), world.grace.id, request.id, [given])
    clock.advance(days=5)

    seen = reciprocity.partnership_reciprocity(world.uow(), world.alice.id, world.partnership.id)
    health = reciprocity.partnership_health(world.uow(), world.alice.id, world.partnership.id)

    assert (seen.asked_by_us.asked, seen.asked_by_us.answered, seen.asked_by_us.open) == (3, 2, 1)
    assert seen.asked_by_us.median_to_answer == timedelta(hours=(24 + 96) / 2)
    assert (seen.asked_of_us.asked, seen.asked_of_us.overdue) == (1, 1)
    assert health.facts.asked_of_us.overdue == 1 and health.facts.asked_by_us.overdue == 1
    assert health.facts.last_received is not None and health.facts.last_given is None
    assert health.facts.nda_ends == nda.current.terms.term_end
    assert any("asked of you is overdue" in tip for tip in health.hints)


def test_health_suggests_sharing_back_when_the_quarter_is_lopsided(world: World) -> None:
    nda = world.signed()
    for _ in range(4):
        _give(world, world.gina, nda, ["alice@acme.example"])

    health = reciprocity.partnership_health(world.uow(), world.alice.id, world.partnership.id)

    assert health.facts.quarter == Pair(given=0, received=4)
    assert "You have received 4 and given 0 this quarter" in " ".join(health.hints)
    assert health.confidentiality.startswith("confidential until")


def test_the_overview_lists_each_partnership_and_their_sum(world: World) -> None:
    nda = world.signed()
    consortium, three = _consortium(world)
    _give(world, world.mia, nda, ["gina@globex.example"])
    _give(world, world.gina, three, ["alice@acme.example"])

    overview = reciprocity.reciprocity_overview(world.uow(), world.alice.id, period="month")

    assert {p.id: g.total for p, g in overview.rows} == {
        world.partnership.id: Pair(1, 0), consortium.id: Pair(0, 1)}
    assert overview.total.total == Pair(1, 1)


def test_bad_windows_and_strangers_are_refused(world: World) -> None:
    with pytest.raises(InvalidInput) as backwards:
        reciprocity.partnership_reciprocity(world.uow(), world.alice.id, world.partnership.id,
                                            start="2026-12-10", end="2026-12-01")
    with pytest.raises(InvalidInput) as unknown:
        reciprocity.partnership_reciprocity(world.uow(), world.alice.id, world.partnership.id,
                                            period="year", start="yesterday")
    with pytest.raises(NotFound):
        reciprocity.partnership_health(world.uow(), world.ian.id, world.partnership.id)

    assert backwards.value.errors == {"to": "must be on or after from"}
    assert unknown.value.errors == {"period": "must be week or month", "from": "must be a date, YYYY-MM-DD"}


def test_the_counts_take_the_same_few_queries_however_much_was_shared(world: World) -> None:
    nda = world.signed()

    def statements() -> list[str]:
        seen: list[str] = []

        def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
            seen.append(statement)
        event.listen(world.app.engine, "before_cursor_execute", count)
        try:
            reciprocity.partnership_reciprocity(world.uow(), world.alice.id, world.partnership.id)
        finally:
            event.remove(world.app.engine, "before_cursor_execute", count)
        return seen

    _give(world, world.gina, nda, ["alice@acme.example"])
    few = statements()
    for n in range(5):
        _give(world, world.gina if n % 2 else world.mia, nda,
              ["alice@acme.example"] if n % 2 else ["gina@globex.example"], topics=(f"topic{n}",))
    many = statements()

    assert len(many) == len(few)
    assert sum("GROUP BY" in s for s in many) == 1 + 1  # given and received in one, requests


@pytest.mark.parametrize("period", [None, "month"])
def test_the_charts_and_the_health_card_read_together_are_what_each_reads_alone(
    world: World, clock: FakeClock, period: str | None
) -> None:
    nda = world.signed()
    old = requests.open_request(world.uow(), world.alice.id, world.partnership.id, title="Old ask",
                                due_on=clock().date() + timedelta(days=3))
    requests.answer_request(world.uow(), world.grace.id, old.id,
                            [_give(world, world.gina, nda, ["alice@acme.example"])])
    _give(world, world.mia, nda, ["gina@globex.example"], "public", ())
    clock.advance(days=100)  # why: past the 12 weeks of the weekly charts, within their 12 months
    new = requests.open_request(world.uow(), world.alice.id, world.partnership.id, title="New ask",
                                due_on=clock().date() + timedelta(days=1))
    clock.advance(hours=48)
    requests.answer_request(world.uow(), world.grace.id, new.id,
                            [_give(world, world.gina, nda, ["alice@acme.example"])])
    requests.open_request(world.uow(), world.grace.id, world.partnership.id, title="Their ask",
                          due_on=clock().date() + timedelta(days=1))
    clock.advance(days=2)
    uow = world.uow()

    with uow.reading():
        alice = uow.orgs.get_person(world.alice.id)
        partnership = uow.partnerships.get(world.partnership.id)
        assert alice is not None and partnership is not None
        window = parse_window(None, None, period, clock().date())
        together = reciprocity.reciprocity_and_health_in(uow, alice, partnership, window)
    apart = (reciprocity.partnership_reciprocity(world.uow(), world.alice.id, world.partnership.id,
                                                 period=period),
             reciprocity.partnership_health(world.uow(), world.alice.id, world.partnership.id))

    assert together == apart
    charts, health = together
    assert health.facts.asked_by_us.asked == 2 and health.facts.asked_of_us.overdue == 1
    assert charts.asked_by_us.asked == (2 if period == "month" else 1)
    assert charts.flows.total == (Pair(given=1, received=2) if period == "month" else Pair(received=1))
