"""Obligations over HTTP: a notice's life over the API and its page, a demand and its
certification from the pages, the access report, the received register's one meaning."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from sharebound.services import copies, disclosures
from sharebound.services.disclosures import DisclosureDraft
from tests.e2e.conftest import WORLD_PASSWORD, sign_in, sign_in_page
from tests.integration.world import World


def _tokens(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(csrf|form_id)" value="([^"]+)"', page))


def _downloaded(world: World, agreement_id: str) -> str:
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement_id, recipients=["gina@globex.example"],
        actions=["view", "download"]))
    copies.download_disclosure(world.uow(), world.gina.id, made.id)
    return made.id


def test_a_compelled_disclosure_notice_lives_over_the_api(client: TestClient, world: World) -> None:
    agreement = world.signed()
    grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    by_when = (world.app.clock() + timedelta(days=7)).date().isoformat()

    given = grace.post(f"/agreements/{agreement.id}/notices", json={
        "kind": "compelled_disclosure", "body": "The drift data", "to_whom": "A regulator",
        "order": "Order 12", "deadline": by_when})
    assert given.status_code == 201, given.text
    notice_id = given.json()["id"]
    acknowledged = alice.post(f"/notices/{notice_id}/acknowledge")
    responded = alice.post(f"/notices/{notice_id}/respond", json={"body": "We object."})
    closed = grace.post(f"/notices/{notice_id}/close")
    read = alice.get(f"/notices/{notice_id}").json()
    listed = alice.get(f"/agreements/{agreement.id}/notices").json()

    assert given.json()["deadline"].startswith((world.app.clock() + timedelta(days=8)).date().isoformat())
    assert (acknowledged.status_code, responded.status_code, closed.status_code) == (200, 201, 200)
    assert read["state"] == "closed" and [r["body"] for r in read["responses"]] == ["We object."]
    assert [h["kind"] for h in read["history"]] == [
        "notice_sent", "notice_acknowledged", "notice_responded", "notice_closed"]
    assert [n["id"] for n in listed["items"]] == [notice_id]


def test_bad_notices_are_clear_4xx(client: TestClient, world: World) -> None:
    draft = world.draft()
    grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)

    missing = grace.post("/agreements/agr_nothing/notices", json={"kind": "unauthorized_use", "body": "x"})
    unsigned = grace.post(f"/agreements/{draft.id}/notices", json={"kind": "unauthorized_use", "body": "x"})
    bad_kind = grace.post(f"/agreements/{draft.id}/notices", json={"kind": "termination"})
    no_fields = grace.post(f"/agreements/{draft.id}/notices", json={"kind": "compelled_disclosure"})

    assert (missing.status_code, unsigned.status_code) == (404, 409)
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["errors"]
    assert no_fields.status_code == 422
    assert set(no_fields.json()["errors"]) == {"body", "to_whom", "order", "deadline"}


def test_acme_demands_return_from_the_agreement_page_and_globex_certifies_with_its_password(
        client: TestClient, world: World) -> None:
    agreement = world.signed()
    made = _downloaded(world, agreement.id)
    sign_in_page(client, "alice@acme.example", WORLD_PASSWORD)
    page = client.get(f"/agreements/{agreement.id}").text

    demanded = client.post(f"/agreements/{agreement.id}/notices", data={
        **_tokens(page), "kind": "demand_return", "to": "globex", "body": "Please return all"})
    assert demanded.status_code == 200 and "Notice given" in demanded.text
    assert "Demand for return or destruction" in demanded.text
    client.cookies.clear()
    sign_in_page(client, "grace@globex.example", WORLD_PASSWORD)
    home = client.get("/").text
    theirs = client.get(f"/agreements/{agreement.id}").text
    wrong = client.post(f"/agreements/{agreement.id}/copies/certify", data={
        **_tokens(theirs), "statement": "All deleted.", "password": "not it"})
    right = client.post(f"/agreements/{agreement.id}/copies/certify", data={
        **_tokens(client.get(f"/agreements/{agreement.id}").text), "statement": "All deleted.",
        "password": WORLD_PASSWORD})
    client.cookies.clear()
    sign_in_page(client, "alice@acme.example", WORLD_PASSWORD)
    ours = client.get(f"/agreements/{agreement.id}").text
    report = client.get(f"/agreements/{agreement.id}/access-report").text

    assert "Demand for return or destruction" in home and "returns or destroys its copies" in home
    assert 'name="password"' in theirs and "demanded its information back" in theirs
    assert "Not certified: " in wrong.text and "is not your password" in wrong.text
    assert "Certified on" in right.text
    assert "globex certified on" in ours and "All deleted." in ours
    assert f'href="/disclosures/{made}"' in report and "Gina (globex)" in report and "download" in report


def test_globex_admin_reads_the_received_register_over_the_api_without_the_content(
        client: TestClient, world: World) -> None:
    agreement = world.signed()
    made = _downloaded(world, agreement.id)
    grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)
    gina = sign_in(client, "gina@globex.example", WORLD_PASSWORD)

    register = grace.get("/disclosures", params={"direction": "received"}).json()["items"]
    one = grace.get(f"/disclosures/{made}")
    content = grace.get(f"/disclosures/{made}/content")
    report = gina.get(f"/disclosures/{made}/accesses")

    assert [(d["id"], d["copies"]) for d in register] == [(made, 1)]
    assert one.status_code == 200 and one.json()["body"] is None
    assert content.status_code == 404 and report.status_code == 404
    page = sign_in_page(client, "grace@globex.example", WORLD_PASSWORD).get(f"/disclosures/{made}").text
    assert "The content is for its recipients only" in page and "Drift under 0.2 K" not in page
    assert f'/disclosures/{made}/download' not in page


def test_the_notice_page_shows_its_thread_and_the_forms_each_side_may_use(
        client: TestClient, world: World) -> None:
    agreement = world.signed()
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    notice_id = alice.post(f"/agreements/{agreement.id}/notices", json={
        "kind": "unauthorized_use", "body": "A stamped copy surfaced on a forum"}).json()["id"]

    sign_in_page(client, "grace@globex.example", WORLD_PASSWORD)
    page = client.get(f"/notices/{notice_id}").text
    acknowledged = client.post(f"/notices/{notice_id}/acknowledge", data=_tokens(page))

    assert "Notice of unauthorized use or disclosure" in page and "A stamped copy surfaced" in page
    assert "Acknowledge receipt for globex" in page and "Close the notice" in page
    assert "Acknowledged." in acknowledged.text and "Acknowledge receipt" not in acknowledged.text
    assert "acknowledged by Grace" in acknowledged.text
