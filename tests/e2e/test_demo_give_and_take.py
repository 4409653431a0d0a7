"""The demo makes the give-and-take charts meaningful: weeks of sharing both ways, requests
answered late; and the numbers its partnership page shows match the register."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from sharebound.bootstrap import App
from sharebound.demo import DEMO_PASSWORD, build_demo
from sharebound.domain.limits import PAGE_MAX
from sharebound.domain.paging import PageRequest
from sharebound.services import reciprocity, register
from tests.e2e.conftest import sign_in_page


def test_the_demos_partnership_page_counts_what_its_register_lists(app: App, client: TestClient) -> None:
    build_demo(app)
    with app.uow() as uow:
        alice = uow.orgs.get_person_by_email("alice@acme.example")
        mia = uow.orgs.get_person_by_email("mia@acme.example")
        sensor = next(p for p in uow.partnerships.list_for_org("acme") if p.name == "Joint thermal sensor")
    assert alice is not None and mia is not None
    sign_in_page(client, "alice@acme.example", DEMO_PASSWORD)

    page = client.get(f"/partnerships/{sensor.id}").text
    whole = PageRequest(limit=PAGE_MAX)  # why: the demo shares far fewer than a page holds
    given = register.list_register(app.uow(), alice.id, direction="given", partnership_id=sensor.id,
                                   request=whole)
    received = register.list_register(app.uow(), alice.id, direction="received",
                                      partnership_id=sensor.id, request=whole)
    assert given.after is None and received.after is None
    seen = reciprocity.partnership_reciprocity(app.uow(), alice.id, sensor.id)

    shown = re.search(r'data-index="count">[^<]*</span>\s*<br>'
                      r'<span class="muted">given (\d+), received (\d+)', page)
    assert shown is not None, page
    assert (int(shown[1]), int(shown[2])) == (len(given.rows), len(received.rows))
    assert len(received.rows) > len(given.rows) >= 3
    weeks = [b for b in seen.flows.buckets if b.pair.given or b.pair.received]
    assert len(weeks) >= 4  # shared over several weeks
    assert seen.asked_by_us.answered >= 1 and seen.asked_of_us.answered >= 1
    assert seen.asked_of_us.median_to_answer is not None
    assert 'data-chart="flows"' in page and 'data-health="last_received"' in page
    # the demo's notice to acme: its admin answers it; a member neither sees nor counts it
    assert reciprocity.partnership_health(app.uow(), alice.id, sensor.id).facts.notices_waiting == 1
    assert reciprocity.partnership_health(app.uow(), mia.id, sensor.id).facts.notices_waiting == 0
