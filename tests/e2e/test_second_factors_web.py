"""Second factors through the real app: the API (token, signing, policy) and the pages (the
sign-in second step, the enrolment step a policy sends people to)."""

from __future__ import annotations

import re

import pyotp
from fastapi.testclient import TestClient

from sharebound.domain.esign import CURRENT_STATEMENT
from sharebound.services import second_factors
from tests.conftest import FakeClock
from tests.e2e.conftest import WORLD_PASSWORD, csrf_of, sign_in
from tests.integration.world import World

ALICE = "alice@acme.example"


def api_enrol(client: TestClient, clock: FakeClock, email: str) -> pyotp.TOTP:
    api = sign_in(client, email, WORLD_PASSWORD)
    started = api.post("/me/totp")
    assert started.status_code == 201, started.text
    app = pyotp.TOTP(started.json()["secret"])
    confirmed = api.post("/me/totp/confirm", json={"code": app.at(clock())})
    assert confirmed.status_code == 200 and len(confirmed.json()["recovery_codes"]) == 10
    clock.advance(seconds=30)  # why: the confirming code is used up; the next step's counts
    return app


def test_a_token_for_a_person_with_a_factor_takes_its_code(client: TestClient, world: World,
                                                           clock: FakeClock) -> None:
    app = api_enrol(client, clock, ALICE)

    without = client.post("/api/v1/auth/token", json={"email": ALICE, "password": WORLD_PASSWORD})
    with_code = client.post("/api/v1/auth/token", json={"email": ALICE, "password": WORLD_PASSWORD,
                                                        "totp_code": app.at(clock())})

    assert without.status_code == 422 and "totp_code" in without.json()["errors"]
    assert without.json()["type"].endswith("second_factor_required")
    assert with_code.status_code == 201


def test_signing_by_the_api_asks_for_a_fresh_factor(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    app = api_enrol(client, clock, ALICE)
    api_token = client.post("/api/v1/auth/token", json={"email": ALICE, "password": WORLD_PASSWORD,
                                                        "totp_code": app.at(clock())}).json()["token"]
    headers = {"Authorization": f"Bearer {api_token}"}
    agreement = world.draft()
    path = f"/api/v1/agreements/{agreement.id}/sign"
    body = {"digest": agreement.current.digest, "title": "CEO", "password": WORLD_PASSWORD}
    consented = client.post("/api/v1/me/e-sign-consent", json={"statement_sha256": CURRENT_STATEMENT.sha256},
                            headers=headers)
    assert consented.status_code in (200, 201), consented.text

    refused = client.post(path, json=body, headers=headers)
    clock.advance(seconds=30)
    signed = client.post(path, json={**body, "second_factor": {"code": app.at(clock())}}, headers=headers)
    again = client.post(path, json={**body, "second_factor": {"code": app.at(clock())}}, headers=headers)

    assert refused.status_code == 422 and "second_factor" in refused.json()["errors"]
    assert signed.status_code == 200, signed.text
    assert [s["org"] for s in signed.json()["signatures"]] == ["acme"]
    assert again.status_code in (409, 422)


def test_only_an_admin_sets_the_policy_by_the_api(client: TestClient, world: World) -> None:
    grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)
    gina = sign_in(client, "gina@globex.example", WORLD_PASSWORD)

    assert gina.put("/orgs/globex/second-factor-policy", json={"applies_to": "everyone"}).status_code == 403
    assert grace.put("/orgs/acme/second-factor-policy", json={"applies_to": "everyone"}).status_code == 404
    assert grace.put("/orgs/globex/second-factor-policy", json={"applies_to": "sometimes"}).status_code == 422
    answer = grace.put("/orgs/globex/second-factor-policy", json={"applies_to": "admins_and_signers"})

    assert answer.status_code == 200 and answer.json() == {"applies_to": "admins_and_signers"}
    assert gina.get("/me/second-factors").json()["required"] is False
    assert grace.get("/me").status_code == 401  # her token was revoked: she has no factor


def _login(client: TestClient, email: str) -> str:
    form = {"csrf": csrf_of(client.get("/login").text), "email": email, "password": WORLD_PASSWORD,
            "next": "/items"}
    answer = client.post("/login", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return str(answer.headers["location"])


def test_signing_in_on_the_pages_takes_the_second_step_before_any_page(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    app = api_enrol(client, clock, ALICE)

    assert _login(client, ALICE) == "/login/second-factor?next=%2Fitems"
    assert client.get("/items", follow_redirects=False).headers["location"] == "/login/second-factor"
    step = client.get("/login/second-factor?next=/items")
    first_cookie = client.cookies["sb_session"]
    wrong = client.post("/login/second-factor", data={"csrf": csrf_of(step.text), "code": "000000",
                                                      "next": "/items"}, follow_redirects=False)
    done = client.post("/login/second-factor", data={"csrf": csrf_of(step.text), "code": app.at(clock()),
                                                     "next": "/items"}, follow_redirects=False)

    assert wrong.status_code == 422 and "wrong" in wrong.text
    assert done.status_code == 303 and done.headers["location"] == "/items"
    assert client.cookies["sb_session"] != first_cookie
    assert client.get("/items").status_code == 200


def test_a_policy_sends_a_person_without_a_factor_to_set_one_up_first(
    client: TestClient, world: World, clock: FakeClock
) -> None:
    second_factors.set_policy(world.uow(), world.grace.id, "globex", "everyone")

    assert _login(client, "gina@globex.example") == "/account/security?next=%2Fitems"
    assert client.get("/items", follow_redirects=False).headers["location"] == "/account/security"
    security = client.get("/account/security")
    assert "requires a second factor" in security.text
    begun = client.post("/account/totp", data={"csrf": csrf_of(security.text), "next": "/items"})
    secret = re.search(r'id="totp-secret" class="digest">([A-Z2-7]+)<', begun.text)
    assert secret is not None
    done = client.post("/account/totp/confirm", data={"csrf": csrf_of(begun.text), "next": "/items",
                                                      "code": pyotp.TOTP(secret.group(1)).at(clock())})

    assert done.status_code == 200 and 'id="recovery-codes"' in done.text
    assert client.get("/items").status_code == 200
