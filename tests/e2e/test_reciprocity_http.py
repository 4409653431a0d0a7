"""Give and take over HTTP: the API's numbers, its bad input, and the pages' charts (inline SVG
that the Content-Security-Policy lets through: no script, no inline style)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from sharebound.services import disclosures
from sharebound.services.disclosures import DisclosureDraft
from tests.e2e.conftest import WORLD_PASSWORD, sign_in, sign_in_page
from tests.integration.world import World


def _shared(world: World) -> None:
    """acme gives globex one note; globex gives acme two, one of them confidential."""
    nda = world.signed()
    for by, to, level in ((world.mia, "gina@globex.example", "internal"),
                          (world.gina, "alice@acme.example", "public"),
                          (world.gina, "alice@acme.example", "confidential")):
        disclosures.disclose(world.uow(), by.id, DisclosureDraft(
            item_id=world.note(by=by, classification=level), agreement_id=nda.id, recipients=[to],
            actions=["view"]))


def test_the_api_gives_each_side_its_own_give_and_take_and_health(client: TestClient, world: World) -> None:
    _shared(world)
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)
    where = f"/partnerships/{world.partnership.id}"

    ours = alice.get(f"{where}/reciprocity", params={"period": "month"})
    theirs = grace.get(f"{where}/reciprocity")
    health = alice.get(f"{where}/health")
    overview = alice.get("/reciprocity")

    assert ours.status_code == 200, ours.text
    counted = ours.json()["disclosures"]
    assert (counted["total"], counted["period"]) == ({"given": 1, "received": 2}, "month")
    assert counted["index"] == pytest.approx(1 / 3)
    assert counted["weighted"] == {"given": 2, "received": 1 + 4}
    assert theirs.json()["disclosures"]["total"] == {"given": 2, "received": 1}
    assert health.status_code == 200, health.text
    assert health.json()["quarter"] == {"given": 1, "received": 2}
    assert health.json()["nda_in_force"] is not None
    assert overview.json()["total"]["total"] == {"given": 1, "received": 2}
    assert [p["partnership_id"] for p in overview.json()["partnerships"]] == [world.partnership.id]


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"from": "2026-12-10", "to": "2026-12-01"}, "to", "must be on or after from"),
    ({"period": "year"}, "period", "must be week or month"),
    ({"from": "tomorrow"}, "from", "must be a date, YYYY-MM-DD"),
])
def test_bad_windows_get_a_422_naming_the_field(client: TestClient, world: World, query: dict[str, str],
                                                field: str, message: str) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    for path in (f"/partnerships/{world.partnership.id}/reciprocity", "/reciprocity"):
        answer = alice.get(path, params=query)

        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][field] == message


def test_an_unknown_partnership_is_not_found(client: TestClient, world: World) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    for path in ("/partnerships/prt_0nonexistent0/reciprocity", "/partnerships/prt_0nonexistent0/health"):
        assert alice.get(path).status_code == 404


def test_the_partnership_page_shows_charts_with_tables_and_the_health_panel(
    client: TestClient, world: World
) -> None:
    _shared(world)
    sign_in_page(client, "alice@acme.example", WORLD_PASSWORD)

    page = client.get(f"/partnerships/{world.partnership.id}")
    monthly = client.get(f"/partnerships/{world.partnership.id}", params={"period": "month"})
    home = client.get("/")
    bad = client.get(f"/partnerships/{world.partnership.id}", params={"period": "year"})

    assert page.status_code == 200, page.text
    html = page.text
    assert html.count('role="img"') == 3 and html.count('<table class="figures"') == 4
    assert "<script" not in html.split("<main")[1].split("</main>")[0]
    assert not re.search(r'<svg[^>]*>.*?style=', html, re.S)
    assert "given ÷ (given + received)" in html
    assert 'data-health="quarter">given 1, received 2<' in html
    assert "<strong aria-current=\"true\">month</strong>" in monthly.text
    assert 'data-chart="partnerships"' in home.text
    assert bad.status_code == 422
