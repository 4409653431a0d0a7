"""The partnership page's read model reads each thing once (its people, agreements, both
registers' related rows, the charts' and the health card's counts) and shows what each part's
own use case reads alone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sharebound.domain.orgs import Person
from sharebound.domain.paging import FIRST_PAGE, PageRequest
from sharebound.domain.reciprocity import parse_window
from sharebound.services import disclosures, messages, partnerships, reciprocity, requests
from sharebound.services.agreements import agreements_in
from sharebound.services.disclosures import DisclosureDraft
from sharebound.services.messages import feed_in
from sharebound.services.pages.partnership import Filters, Paging, partnership_page
from sharebound.services.register import register_views_in
from sharebound.services.requests import requests_page_in
from tests.conftest import FakeClock
from tests.integration.world import World


def _give(world: World, by: Person, agreement_id: str, to: list[str], level: str = "internal") -> str:
    item = world.note(by=by, classification=level)
    return disclosures.disclose(world.uow(), by.id, DisclosureDraft(
        item_id=item, agreement_id=agreement_id, recipients=to, actions=["view"])).id


def _history(world: World, clock: FakeClock) -> None:
    nda = world.signed()
    for n in range(3):
        _give(world, world.mia, nda.id, ["gina@globex.example"], "public" if n else "confidential")
        clock.advance(hours=5)
        _give(world, world.gina, nda.id, ["alice@acme.example"] if n % 2 else ["mia@acme.example"])
        clock.advance(hours=5)
    asked = requests.open_request(world.uow(), world.alice.id, world.partnership.id, title="Specs?",
                                  due_on=clock().date() + timedelta(days=3))
    requests.answer_request(world.uow(), world.grace.id, asked.id,
                            [_give(world, world.gina, nda.id, ["alice@acme.example"])])
    messages.post_message(world.uow(), world.gina.id, world.partnership.id, body="Hello @mia",
                          classification="public")
    clock.advance(days=2)


@pytest.mark.parametrize("who", ["alice", "mia", "grace"])
@pytest.mark.parametrize(("filtered", "paging"), [
    (False, Paging()), (False, Paging(given=PageRequest(limit=2), received=PageRequest(limit=2))),
    (True, Paging(given=PageRequest(limit=2))),
])
def test_the_partnership_page_shows_what_each_part_reads_alone(
    world: World, clock: FakeClock, who: str, filtered: bool, paging: Paging,
) -> None:
    _history(world, clock)
    person: Person = getattr(world, who)
    filters = Filters(classification="public") if filtered else Filters()

    page = partnership_page(world.uow(), person.id, world.partnership.id, filters, paging)

    uow = world.uow()
    with uow.reading():
        partnership = uow.partnerships.get(world.partnership.id)
        assert partnership is not None
        given = register_views_in(uow, person, "given", partnership.id, paging.given, filters.query())
        received = register_views_in(uow, person, "received", partnership.id, paging.received,
                                     filters.query())
        feed = feed_in(uow, person, partnership.id, FIRST_PAGE, threads=True)
        asked = requests_page_in(uow, person, partnership.id, FIRST_PAGE)
        agreements = agreements_in(uow, person, partnership.id)
    people = partnerships.partner_people(world.uow(), person.id, world.partnership.id)
    window = parse_window(None, None, None, clock().date())
    charts = reciprocity.partnership_reciprocity(world.uow(), person.id, world.partnership.id)
    health = reciprocity.partnership_health(world.uow(), person.id, world.partnership.id)

    inside = page.inside
    assert inside is not None
    assert (inside.given, inside.received) == (given, received)
    assert given.rows or received.rows  # something to compare (the filter keeps one side)
    assert filtered or (given.rows and received.rows)
    assert inside.feed == feed and inside.requests == asked and inside.agreements == agreements
    assert inside.people == people and people and all(p.org != person.org for p in people)
    assert inside.give_and_take == charts and charts.flows.window == window
    assert inside.health == health
    assert health.facts.last_given is not None and health.facts.last_received is not None
