"""The content gate through the app: the dry run and the disclose page's preview show its
findings with where they are; an org's admins manage its crown-jewel terms (API and page)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from sharebound.bootstrap import App
from sharebound.services import gate, items
from tests.e2e.conftest import csrf_of, sign_in_page
from tests.e2e.matrix_world import PASSWORD, MatrixWorld, build_matrix_world

SECRET_PARAGRAPH = (
    "The Osprey bias network trims its offset at start up from a fuse map that only the "
    "factory programs during the final test of every wafer lot, with a margin of three "
    "percent kept for ageing over ten years of service in the field."
)


def _world(app: App) -> MatrixWorld:
    gate.CACHE.clear()
    world = build_matrix_world(app)
    items.add_item(app.uow(), world.people["admin"].id, title="Osprey trim procedure",
                   classification="restricted", topics=["design"], content=SECRET_PARAGRAPH.encode())
    return world


def _note(client: TestClient, world: MatrixWorld, body: str) -> str:
    answer = client.post("/api/v1/items", headers=world.headers("member"), json={
        "title": "Weekly update", "body": body, "classification": "confidential", "topics": ["thermal"]})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def _check(client: TestClient, world: MatrixWorld, item_id: str) -> Any:
    answer = client.post("/api/v1/disclosures/check", headers=world.headers("member"), json={
        "item_id": item_id, "agreement_id": world.agreement, "recipients": ["gina@globex.example"],
        "actions": ["view"]})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_the_dry_run_returns_the_content_findings_with_where_they_are(app: App, client: TestClient) -> None:
    world = _world(app)
    note = _note(client, world, f"Hi Gina,\nthe trim works like this:\n{SECRET_PARAGRAPH}")

    decision = _check(client, world, note)

    assert decision["allowed"] is False
    assert [(r["code"], r["term"]) for r in decision["reasons"]] == [("content", "content")]
    message = decision["reasons"][0]["message"]
    assert "line 3" in message and "\u201cOsprey trim procedure\u201d" in message

    refused = client.post("/api/v1/disclosures", headers=world.headers("member"), json={
        "item_id": note, "agreement_id": world.agreement, "recipients": ["gina@globex.example"],
        "actions": ["view"]})
    assert refused.status_code == 403 and refused.json()["reasons"][0]["code"] == "content"


def test_an_admin_registers_a_term_the_gate_then_refuses_and_removes_it(
    app: App, client: TestClient
) -> None:
    world = _world(app)
    note = _note(client, world, "Status of Project Heron: on track")
    assert _check(client, world, note)["allowed"] is True

    added = client.post("/api/v1/orgs/acme/crown-jewels", headers=world.headers("admin"),
                        json={"term": "project heron"})
    assert added.status_code == 201 and added.json()["term"] == "project heron"
    listed = client.get("/api/v1/orgs/acme/crown-jewels", headers=world.headers("admin")).json()
    assert [t["term"] for t in listed["items"]] == ["project heron"]
    assert client.post("/api/v1/orgs/acme/crown-jewels", headers=world.headers("admin"),
                       json={"term": "PROJECT  HERON"}).status_code == 409
    assert [r["message"] for r in _check(client, world, note)["reasons"]] == [
        "the crown-jewel term \u201cproject heron\u201d at line 1"]

    removed = client.delete(f"/api/v1/orgs/acme/crown-jewels/{added.json()['id']}",
                            headers=world.headers("admin"))
    assert removed.status_code == 204 and _check(client, world, note)["allowed"] is True


def _sign_in(client: TestClient, email: str) -> str:
    """Sign in on the pages; the CSRF secret of the session, as the next page carries it."""
    sign_in_page(client, email, PASSWORD)
    return csrf_of(client.get("/admin/crown-jewels" if email.startswith("alice") else "/items").text)


def test_the_disclose_pages_preview_shows_the_content_findings(app: App, client: TestClient) -> None:
    world = _world(app)
    note = _note(client, world, f"Update\n{SECRET_PARAGRAPH}")
    csrf = _sign_in(client, "mia@acme.example")

    preview = client.post("/disclose/preview", data={
        "csrf": csrf, "item_id": note, "agreement_id": world.agreement,
        "recipients": "gina@globex.example", "actions": "view"})

    assert preview.status_code == 200
    assert "The content gate found" in preview.text
    assert "line 2" in preview.text and "Osprey trim procedure" in preview.text


def test_the_crown_jewels_page_adds_and_removes_terms_for_admins_only(app: App, client: TestClient) -> None:
    _world(app)
    csrf = _sign_in(client, "alice@acme.example")

    added = client.post("/admin/crown-jewels", data={"csrf": csrf, "form_id": "form-add-0001",
                                                     "term": "Kestrel Mark II"})
    assert added.status_code == 200 and "Kestrel Mark II" in added.text
    assert added.headers["cache-control"] == "no-store"  # the terms are secrets: never kept
    bad = client.post("/admin/crown-jewels", data={"csrf": csrf, "form_id": "form-add-0002", "term": "  "})
    assert bad.status_code == 422 and "is required" in bad.text
    term_id = added.text.split('id="term-')[1].split('"')[0]
    removed = client.post(f"/admin/crown-jewels/{term_id}/remove",
                          data={"csrf": csrf, "form_id": "form-remove-0001"})
    assert removed.status_code == 200 and "The term is removed." in removed.text
    assert "Kestrel Mark II" not in removed.text
    with app.uow() as uow:
        assert uow.gate.terms("acme") == []

    client.cookies.clear()
    _sign_in(client, "mia@acme.example")
    assert client.get("/admin/crown-jewels").status_code == 403  # mia is a member, not an admin
