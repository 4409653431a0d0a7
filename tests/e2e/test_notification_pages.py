"""The notification and webhook pages and API, through the real app in process."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from sharebound.bootstrap import App
from sharebound.services import agreements, orgs, partnerships
from tests.e2e.conftest import sign_in, sign_in_page
from tests.factories import terms_json

PASSWORD = "a long passphrase"


def _world(app: App) -> tuple[str, str]:
    """acme (alice) and globex (grace) with an NDA drafted by alice: grace must sign."""
    _, alice = orgs.create_org(app.uow(), handle="acme", name="Acme", admin_name="Alice",
                               admin_email="alice@acme.example", admin_password=PASSWORD)
    _, grace = orgs.create_org(app.uow(), handle="globex", name="Globex", admin_name="Grace",
                               admin_email="grace@globex.example", admin_password=PASSWORD)
    partnership = partnerships.propose_partnership(app.uow(), alice.id, name="Joint sensor",
                                                   purpose="new_product", invite=["globex"])
    partnerships.accept_partnership(app.uow(), grace.id, partnership.id)
    today = app.clock().date()
    agreement = agreements.draft_agreement(app.uow(), alice.id, partnership.id, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat()))
    return agreement.id, grace.id


def _login(client: TestClient, email: str) -> None:
    sign_in_page(client, email, PASSWORD)


def _form(page: str, action: str) -> dict[str, str]:
    """The hidden fields of the form posting to `action`."""
    form = page.split(f'action="{action}')[1].split("</form>")[0]
    return dict(re.findall(r'name="(csrf|form_id)" value="([^"]*)"', form))


def test_the_nav_counts_unread_and_the_page_marks_them_read(app: App, client: TestClient) -> None:
    agreement_id, _ = _world(app)
    _login(client, "grace@globex.example")

    home = client.get("/")
    listing = client.get("/notifications")
    client.post("/notifications/read", data=_form(listing.text, "/notifications/read"))
    after = client.get("/notifications")

    assert "(1 unread)" in home.text
    assert "waits for your signature" in listing.text and f'href="/agreements/{agreement_id}"' in listing.text
    assert "0 unread." in after.text and "(1 unread)" not in after.text


def test_the_preferences_form_saves_a_choice_per_kind(app: App, client: TestClient) -> None:
    _world(app)
    _login(client, "grace@globex.example")
    page = client.get("/notifications/preferences")

    client.post("/notifications/preferences", data={**_form(page.text, "/notifications/preferences"),
                                                    "mentioned": "weekly", "disclosed_to_me": "off"})
    api = sign_in(client, "grace@globex.example", PASSWORD)

    chosen = api.get("/me/notification-preferences").json()["preferences"]
    assert (chosen["mentioned"], chosen["disclosed_to_me"], chosen["request_due"]) == (
        "weekly", "off", "instant")


def test_an_admin_adds_a_webhook_sees_its_secret_once_and_a_bad_url_names_url(app: App,
                                                                               client: TestClient) -> None:
    _world(app)
    _login(client, "grace@globex.example")
    page = client.get("/admin/webhooks")

    bad = client.post("/admin/webhooks", data={**_form(page.text, "/admin/webhooks"),
                                               "url": "ftp://hooks.example/in"})
    good = client.post("/admin/webhooks", data={**_form(bad.text, "/admin/webhooks"),
                                                "url": "https://hooks.example/in", "kinds": "mentioned"})
    later = client.get("/admin/webhooks")

    assert bad.status_code == 422 and "must be an http:// or https:// URL" in bad.text
    assert good.status_code == 200 and "whsec_" in good.text
    assert "https://hooks.example/in" in later.text and "whsec_" not in later.text


def test_the_api_refuses_a_webhook_pointing_at_the_app_itself(app: App, client: TestClient) -> None:
    _world(app)
    api = sign_in(client, "grace@globex.example", PASSWORD)
    base = app.settings.base_url

    answer = api.post("/orgs/globex/webhooks", json={"url": f"{base}/api/v1/x", "kinds": []})
    made = api.post("/orgs/globex/webhooks", json={"url": "https://hooks.example/in"})
    listed = api.get("/orgs/globex/webhooks")

    assert answer.status_code == 422 and list(answer.json()["errors"]) == ["url"]
    assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
    assert "secret" not in listed.json()[0]


def test_the_api_lists_unread_notifications_and_marks_them_read(app: App, client: TestClient) -> None:
    _world(app)
    api = sign_in(client, "grace@globex.example", PASSWORD)

    unread = api.get("/notifications", params={"unread": "true"}).json()
    left = api.post("/notifications/read", json={"ids": [unread["items"][0]["id"]]}).json()

    assert unread["unread"] == 1 and unread["items"][0]["kind"] == "signature_needed"
    assert left == {"unread": 0}
    assert api.get("/notifications", params={"unread": "true"}).json()["items"] == []
