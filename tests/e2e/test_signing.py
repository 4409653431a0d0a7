"""Signing through the API and the pages: consent first, the password at each signature, the
evidence from the request (address, user agent), and the executed copy to download."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.e2e.conftest import WORLD_PASSWORD, consent_to_e_sign, csrf_of, sign_in, sign_in_page
from tests.integration.world import World

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"


def test_the_api_asks_for_consent_then_the_password_and_records_where_the_signature_came_from(
    client: TestClient, world: World,
) -> None:
    agreement = world.draft()
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    path = f"/agreements/{agreement.id}/sign"
    body = {"digest": agreement.current.digest, "title": "CEO"}

    no_consent = alice.post(path, json={**body, "password": WORLD_PASSWORD})
    consent_to_e_sign(alice)
    again = alice.post("/me/e-sign-consent", json={
        "statement_sha256": alice.get("/me/e-sign-consent").json()["statement_sha256"]})
    no_password = alice.post(path, json=body)
    wrong = alice.post(path, json={**body, "password": "not it"})
    signed = alice.post(path, json={**body, "password": WORLD_PASSWORD}, headers={"User-Agent": USER_AGENT})

    assert [a.status_code for a in (no_consent, again, no_password, wrong, signed)] == [
        409, 409, 403, 403, 200], signed.text
    assert no_password.json()["errors"] == {
        "password": "is required: type your password (or, if you sign in through single sign-on, "
                    "confirm with your identity provider first) to confirm it is you"}
    assert wrong.json()["errors"] == {"password": "is not your password"}
    evidence = signed.json()["signatures"][0]["evidence"]
    assert (evidence["methods"], evidence["address"], evidence["user_agent"], evidence["email"]) == (
        ["password"], "testclient", USER_AGENT, "alice@acme.example")


def test_the_api_withdraws_a_consent_and_refuses_a_statement_not_read(
    client: TestClient, world: World,
) -> None:
    gina = sign_in(client, "gina@globex.example", WORLD_PASSWORD)

    unread = gina.post("/me/e-sign-consent", json={"statement_sha256": "0" * 64})
    nothing = gina.post("/me/e-sign-consent/withdraw")
    consent_to_e_sign(gina)
    withdrawn = gina.post("/me/e-sign-consent/withdraw")
    state = gina.get("/me/e-sign-consent").json()

    assert [a.status_code for a in (unread, nothing, withdrawn)] == [422, 409, 200]
    assert state["consent"] is None and state["last"]["withdrawn_at"] is not None
    assert "right to withdraw" in state["statement"].lower()


def test_every_party_downloads_the_executed_copy_by_the_api_and_the_page(
    client: TestClient, world: World,
) -> None:
    agreement = world.signed()
    gina = sign_in(client, "gina@globex.example", WORLD_PASSWORD)

    by_api = gina.get(f"/agreements/{agreement.id}/executed-copy")
    sign_in_page(client, "alice@acme.example", WORLD_PASSWORD)
    page = client.get(f"/agreements/{agreement.id}")
    by_page = client.get(f"/agreements/{agreement.id}/executed-copy")

    assert by_api.status_code == 200 and by_api.headers["content-type"] == "application/pdf"
    assert f'href="/agreements/{agreement.id}/executed-copy"' in page.text
    assert by_page.content == by_api.content


def test_the_page_asks_for_consent_then_signs_with_the_password(client: TestClient, world: World) -> None:
    agreement = world.draft()
    sign_in_page(client, "alice@acme.example", WORLD_PASSWORD)
    page = client.get(f"/agreements/{agreement.id}").text
    assert 'action="/agreements/' + agreement.id + '/sign"' not in page  # consent comes first
    sha = re.search(r'name="statement_sha256" value="([0-9a-f]{64})"', page)
    assert sha is not None

    client.post(f"/agreements/{agreement.id}/e-sign-consent", data={
        "csrf": csrf_of(page), "form_id": "f1", "statement_sha256": sha.group(1)})
    page = client.get(f"/agreements/{agreement.id}").text
    wrong = client.post(f"/agreements/{agreement.id}/sign", data={
        "csrf": csrf_of(page), "form_id": "f2", "digest": agreement.current.digest, "title": "CEO",
        "password": "not it"})
    signed = client.post(f"/agreements/{agreement.id}/sign", data={
        "csrf": csrf_of(page), "form_id": "f3", "digest": agreement.current.digest, "title": "CEO",
        "password": WORLD_PASSWORD}, headers={"User-Agent": USER_AGENT})

    assert 'name="password" type="password"' in page
    assert "Not signed: is not your password" in wrong.text
    assert "Signed." in signed.text
    assert "confirmed by password" in signed.text and USER_AGENT in signed.text
