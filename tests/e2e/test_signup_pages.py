"""The sign-up page, the first-run checklist, and a partner invited by email (API and pages)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sharebound.adapters.db.tables import orgs, outbox
from sharebound.bootstrap import App
from sharebound.services import partner_invitations
from sharebound.services.signup import SIGNUPS_PER_ADDRESS
from sharebound.web import create_app
from tests.e2e.conftest import Api, csrf_of, sign_in_page, sign_up

PASSWORD = "a long passphrase"
SIGNUP = {"name": "Acme Sensors", "handle": "acme", "legal_name": "Acme Sensors, Inc.",
          "address": "1 Main St, Wilmington", "admin.name": "Alice", "admin.email": "alice@acme.example",
          "admin.password": PASSWORD}


def _form_csrf(client: TestClient, path: str) -> str:
    return csrf_of(client.get(path).text)


def _sign_up_page(client: TestClient, **changes: str) -> Any:
    return client.post("/signup", data={**SIGNUP, **changes, "csrf": _form_csrf(client, "/signup")},
                       follow_redirects=False)


def _org_count(app: App) -> int:
    with app.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(orgs)).scalar_one())


def test_signing_up_on_the_page_creates_the_org_signs_the_admin_in_and_shows_the_checklist(
    client: TestClient,
) -> None:
    assert 'href="/signup"' in client.get("/login").text

    answer = _sign_up_page(client)

    assert answer.status_code == 303, answer.text
    home = client.get(answer.headers["location"])
    assert home.status_code == 200 and "Acme Sensors" in home.text
    steps = re.findall(r'class="step (done|todo)" data-step="(\w+)"', home.text)
    assert steps == [("todo", "people"), ("todo", "partnership"), ("todo", "nda"), ("todo", "items"),
                     ("todo", "disclosure")]
    assert 'href="/admin/people"' in home.text and 'href="/disclose"' in home.text


def test_the_checklist_ticks_itself_from_what_exists(client: TestClient) -> None:
    _sign_up_page(client)
    acme = Api(client, client.post("/api/v1/auth/token", json={
        "email": "alice@acme.example", "password": PASSWORD}).json()["token"])
    acme.post("/orgs/acme/people", json={"name": "Sam", "email": "sam@acme.example",
                                         "roles": ["member"], "password": PASSWORD})
    acme.post("/items", json={"title": "Specs", "body": "pins", "classification": "internal", "topics": []})

    home = client.get("/").text

    assert dict((k, v) for v, k in re.findall(r'class="step (done|todo)" data-step="(\w+)"', home)) == {
        "people": "done", "partnership": "todo", "nda": "todo", "items": "done", "disclosure": "todo"}


def test_the_sign_up_form_names_each_bad_field_and_creates_nothing(client: TestClient, app: App) -> None:
    answer = _sign_up_page(client, handle="Acme Labs!",
                           **{"admin.email": "alice@", "admin.password": "short"})

    assert answer.status_code == 422
    for field in ("handle-error", "admin-email-error", "admin-password-error"):
        assert f'id="{field}"' in answer.text
    assert _org_count(app) == 0 and "sb_session" not in answer.cookies


def test_the_sign_up_form_without_its_csrf_cookie_creates_nothing(client: TestClient, app: App) -> None:
    answer = client.post("/signup", data={**SIGNUP, "csrf": "forged"}, follow_redirects=False)

    assert answer.status_code == 400 and _org_count(app) == 0


def test_sign_up_is_closed_when_open_sign_up_is_off(app: App) -> None:
    with TestClient(create_app(core=app), base_url="http://testserver") as closed:
        page = closed.get("/signup")
        posted = closed.post("/signup", data={**SIGNUP, "csrf": "x"})
        login = closed.get("/login").text

    assert page.status_code == posted.status_code == 404
    assert "Sign-up is closed" in page.text and 'href="/signup"' not in login
    assert _org_count(app) == 0


def test_sign_ups_from_one_address_are_limited_on_the_page_and_the_api(client: TestClient, app: App) -> None:
    for n in range(SIGNUPS_PER_ADDRESS):
        sign_up(client, f"org{n}", f"admin@org{n}.example")

    api = client.post("/api/v1/orgs", json={"name": "One more", "handle": "more", "admin": {
        "name": "M", "email": "m@more.example", "password": PASSWORD}})
    page = _sign_up_page(client, handle="more2", **{"admin.email": "m2@more.example"})

    assert api.status_code == page.status_code == 429
    assert _org_count(app) == SIGNUPS_PER_ADDRESS


# --- a partner invited by email ------------------------------------------------------------------

def _tokens(app: App) -> dict[str, str]:
    found = {}
    uow = app.uow()
    with uow.reading(), app.engine.connect() as connection:
        for row in connection.execute(select(outbox.c.payload)):
            payload = json.loads(row.payload)
            if payload.get("kind") == partner_invitations.EMAIL_KIND:
                found[payload["to"]] = partner_invitations.token_of(uow, payload)
    return found


def test_the_api_invites_by_email_lists_the_invitation_and_revokes_it(client: TestClient, app: App) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")
    made = acme.post("/partnerships", json={"name": "Supply", "purpose": "other",
                                            "invite_emails": ["pat@umbrella.example"]})
    assert made.status_code == 201, made.text
    listed = acme.get(f"/partnerships/{made.json()['id']}/invitations").json()
    assert [(i["email"], i["state"]) for i in listed] == [("pat@umbrella.example", "pending")]

    revoked = acme.post(f"/partner-invitations/{listed[0]['id']}/revoke")
    again = acme.post(f"/partner-invitations/{listed[0]['id']}/revoke")

    assert (revoked.status_code, revoked.json()["state"], again.status_code) == (200, "revoked", 409)
    link = client.get(f"/join/{_tokens(app)['pat@umbrella.example']}")
    assert link.status_code == 410 and "withdrawn" in link.text


def test_the_api_names_a_bad_invite_email(client: TestClient) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")

    answer = acme.post("/partnerships", json={"name": "Supply", "purpose": "other",
                                              "invite_emails": ["not an address"]})

    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["invite_emails"]


def test_following_the_link_creates_the_org_without_open_sign_up_and_the_proposal_waits(
    client: TestClient, app: App,
) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")
    made = acme.post("/partnerships", json={"name": "Supply", "purpose": "other",
                                            "invite_emails": ["pat@umbrella.example"]}).json()
    token = _tokens(app)["pat@umbrella.example"]
    closed_app = replace(app, settings=app.settings.model_copy(update={"open_signup": False}))
    with TestClient(create_app(core=closed_app), base_url="http://testserver") as pat:
        form = pat.get(f"/join/{token}")
        assert form.status_code == 200 and "pat@umbrella.example" in form.text
        answer = pat.post(f"/join/{token}", follow_redirects=False, data={
            "csrf": csrf_of(form.text), "name": "Umbrella", "handle": "umbrella",
            "admin.name": "Pat", "admin.password": PASSWORD,
            "admin.email": "someone-else@evil.example"})  # ignored: the address is the invited one
        assert answer.status_code == 303, answer.text
        home = pat.get(answer.headers["location"]).text
        me = pat.get("/partnerships/" + made["id"]).text
        used = pat.get(f"/join/{token}")

    assert "Supply" in home and "accept it to start" in home
    assert "Accept the partnership" in me
    assert used.status_code == 410 and "already used" in used.text
    [invitation] = acme.get(f"/partnerships/{made['id']}/invitations").json()
    assert (invitation["state"], invitation["accepted_org"]) == ("accepted", "umbrella")
    pat_api = client.post("/api/v1/auth/token", json={"email": "pat@umbrella.example", "password": PASSWORD})
    assert pat_api.status_code == 201


def test_an_unknown_and_a_tampered_link_get_the_same_page(client: TestClient, app: App) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")
    acme.post("/partnerships", json={"name": "Supply", "purpose": "other",
                                     "invite_emails": ["pat@umbrella.example"]})
    token = _tokens(app)["pat@umbrella.example"]

    tampered = client.get(f"/join/{token[:-2]}xy")
    unknown = client.get("/join/sbp_unknown")
    posted = client.post(f"/join/{token[:-2]}xy", data={"csrf": "x", "handle": "umbrella"})

    assert tampered.status_code == unknown.status_code == posted.status_code == 404
    assert tampered.text == unknown.text == posted.text
    assert _org_count(app) == 1


def test_the_proposal_form_invites_by_email_and_the_partnership_page_lists_it(client: TestClient) -> None:
    _sign_up_page(client)
    form = client.get("/partnerships/new").text
    answer = client.post("/partnerships/new", follow_redirects=False, data={
        "csrf": csrf_of(form), "form_id": "f1", "name": "Supply", "purpose": "other", "invite": "",
        "invite_emails": "pat@umbrella.example, lee@stark.example"})
    assert answer.status_code == 303, answer.text

    page = client.get(answer.headers["location"]).text

    assert sorted(re.findall(r"<td>([^<]+@[^<]+)</td><td class=\"invitation-state\">(\w+)", page)) == [
        ("lee@stark.example", "pending"), ("pat@umbrella.example", "pending")]
    assert page.count('action="/partner-invitations/') == 2


def test_an_address_with_an_account_signs_in_and_takes_the_proposal_to_its_org(
    client: TestClient, app: App,
) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")
    sign_up(client, "initech", "ian@initech.example")
    made = acme.post("/partnerships", json={"name": "Supply", "purpose": "other",
                                            "invite_emails": ["ian@initech.example"]}).json()
    token = _tokens(app)["ian@initech.example"]
    with TestClient(create_app(core=app), base_url="http://testserver") as ian:
        before = ian.get(f"/join/{token}").text
        sign_in_page(ian, "ian@initech.example", PASSWORD)
        form = ian.get(f"/join/{token}").text
        forged = ian.post(f"/join/{token}/take", data={"csrf": "forged"}, follow_redirects=False)
        taken = ian.post(f"/join/{token}/take", data={"csrf": csrf_of(form)}, follow_redirects=False)
        home = ian.get("/").text

    assert "already has an account" in before and f"/login?next=/join/{token}" in before
    assert "Take the proposal to initech" in form
    assert forged.status_code == 403
    assert taken.status_code == 303 and taken.headers["location"].startswith(f"/partnerships/{made['id']}")
    assert "Supply" in home and "accept it to start" in home
