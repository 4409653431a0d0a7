"""Signing in through the JSON API: tokens, limits on failed attempts, passwords, invitations,
people and roles, signup and /me."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sharebound.adapters.db.tables import api_tokens, invitations, orgs
from sharebound.bootstrap import App
from sharebound.web import create_app
from tests.conftest import FakeClock
from tests.e2e.conftest import Api, csrf_of, sign_in, sign_in_page, sign_up

PASSWORD = "a long passphrase"
NEW_PASSWORD = "another long passphrase"
TOKEN = "/api/v1/auth/token"
RATE_LIMITED = {
    "type": "https://sharebound.example/problems/rate_limited", "title": "Too many attempts",
    "status": 429, "detail": "too many failed sign-ins: wait 15 minutes and try again"}


def token_for(client: TestClient, email: str, password: str, **extra: Any) -> Any:
    return client.post(TOKEN, json={"email": email, "password": password, **extra})


@pytest.fixture
def acme(client: TestClient) -> Api:
    """alice@acme.example: acme's first admin (admin, signer, member)."""
    return sign_up(client, "acme", "alice@acme.example", PASSWORD)


@pytest.fixture
def sam(client: TestClient, acme: Api) -> Api:
    """sam@acme.example: a member of acme with a password."""
    added = acme.post("/orgs/acme/people", json={
        "name": "Sam", "email": "sam@acme.example", "roles": ["member"], "password": PASSWORD})
    assert added.status_code == 201, added.text
    return sign_in(client, "sam@acme.example", PASSWORD)


# Tokens


def test_a_right_email_and_password_get_a_bearer_token_that_signs_in(client: TestClient, acme: Api) -> None:
    answer = client.post(TOKEN, json={"email": "alice@acme.example", "password": PASSWORD, "name": "laptop"})
    token = answer.json()["token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})

    assert answer.status_code == 201
    assert set(answer.json()) == {"token", "id", "expires_at"}
    assert token.startswith("sbt_") and len(token) > 40
    assert answer.json()["id"].startswith("tok_")
    assert answer.json()["expires_at"] == "2027-05-30T12:00:00Z"  # 90 days by default
    assert me.status_code == 200 and me.json()["email"] == "alice@acme.example"


def test_the_email_is_matched_whatever_its_case_and_surrounding_spaces(client: TestClient, acme: Api) -> None:
    assert token_for(client, " Alice@ACME.example ", PASSWORD).status_code == 201


def test_a_wrong_password_is_401_with_www_authenticate(client: TestClient, acme: Api) -> None:
    answer = token_for(client, "alice@acme.example", "not the passphrase")

    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json() == {
        "type": "https://sharebound.example/problems/unauthenticated", "title": "Not authenticated",
        "status": 401, "detail": "wrong email or password"}


def test_an_unknown_email_gets_exactly_the_answer_a_wrong_password_gets(
    client: TestClient, acme: Api,
) -> None:
    wrong_password = token_for(client, "alice@acme.example", "not the passphrase")
    unknown_email = token_for(client, "nobody@acme.example", "not the passphrase")

    assert unknown_email.status_code == wrong_password.status_code == 401
    assert unknown_email.content == wrong_password.content
    assert unknown_email.headers["www-authenticate"] == wrong_password.headers["www-authenticate"]


def test_tokens_are_stored_only_as_their_sha256(client: TestClient, acme: Api, app: App) -> None:
    token = token_for(client, "alice@acme.example", PASSWORD).json()["token"]

    with app.engine.connect() as connection:
        rows = [row._asdict() for row in connection.execute(select(api_tokens))]

    assert len(rows) == 2  # the one sign_up took, and this one
    assert not [row for row in rows if any(token in str(value) for value in row.values())]
    assert hashlib.sha256(token.encode()).hexdigest() in {row["token_hash"] for row in rows}


def test_listing_tokens_shows_their_names_and_dates_but_never_a_secret(
    client: TestClient, acme: Api,
) -> None:
    laptop = token_for(client, "alice@acme.example", PASSWORD, name="laptop").json()

    answer = acme.get("/auth/tokens")

    assert answer.status_code == 200
    assert sorted(t["name"] for t in answer.json()) == ["api", "laptop"]
    assert all(set(t) == {"id", "name", "created_at", "expires_at", "revoked_at"} for t in answer.json())
    assert laptop["id"] in {t["id"] for t in answer.json()}
    assert laptop["token"] not in answer.text
    assert acme.headers["Authorization"].removeprefix("Bearer ") not in answer.text


def test_a_revoked_token_no_longer_signs_in_and_the_others_still_do(client: TestClient, acme: Api) -> None:
    laptop = token_for(client, "alice@acme.example", PASSWORD, name="laptop").json()

    revoked = acme.delete(f"/auth/tokens/{laptop['id']}")
    with_revoked = client.get("/api/v1/me", headers={"Authorization": f"Bearer {laptop['token']}"})
    listed = {t["id"]: t for t in acme.get("/auth/tokens").json()}

    assert revoked.status_code == 204 and revoked.content == b""
    assert with_revoked.status_code == 401
    assert with_revoked.headers["www-authenticate"] == "Bearer"
    assert acme.get("/me").status_code == 200
    assert listed[laptop["id"]]["revoked_at"] is not None


def test_nobody_can_revoke_a_token_of_someone_else(client: TestClient, acme: Api, sam: Api) -> None:
    laptop = token_for(client, "alice@acme.example", PASSWORD, name="laptop").json()

    answer = sam.delete(f"/auth/tokens/{laptop['id']}")

    assert answer.status_code == 404
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {laptop['token']}"}).status_code == 200


def test_a_token_with_an_expiry_stops_working_after_it(
    client: TestClient, acme: Api, clock: FakeClock,
) -> None:
    issued = token_for(client, "alice@acme.example", PASSWORD, expires_in_days=1).json()
    headers = {"Authorization": f"Bearer {issued['token']}"}

    before = client.get("/api/v1/me", headers=headers)
    clock.advance(days=2)
    after = client.get("/api/v1/me", headers=headers)

    assert issued["expires_at"] == "2027-03-02T12:00:00Z"
    assert before.status_code == 200
    assert after.status_code == 401
    assert after.json()["detail"] == "the token is invalid, expired or revoked"


def test_a_made_up_or_missing_token_is_401(client: TestClient, acme: Api) -> None:
    made_up = client.get("/api/v1/me", headers={"Authorization": "Bearer sbt_made-up"})
    missing = client.get("/api/v1/me")

    assert made_up.status_code == missing.status_code == 401
    assert made_up.headers["www-authenticate"] == missing.headers["www-authenticate"] == "Bearer"


# Limits on failed sign-ins


def test_five_failures_for_one_account_lock_it_for_15_minutes_even_with_the_right_password(
    client: TestClient, acme: Api,
) -> None:
    failures = [token_for(client, "alice@acme.example", f"wrong guess {n}").status_code for n in range(5)]

    locked = token_for(client, "alice@acme.example", PASSWORD)

    assert failures == [401] * 5
    assert locked.status_code == 429
    assert locked.headers["retry-after"] == "900"
    assert locked.headers["content-type"] == "application/problem+json"
    assert locked.json() == RATE_LIMITED


def test_four_failures_do_not_lock_an_account(client: TestClient, acme: Api) -> None:
    for n in range(4):
        token_for(client, "alice@acme.example", f"wrong guess {n}")

    assert token_for(client, "alice@acme.example", PASSWORD).status_code == 201


def test_a_locked_account_does_not_lock_another_account_until_the_address_has_20_failures(
    client: TestClient, acme: Api, sam: Api,
) -> None:
    for n in range(5):
        token_for(client, "alice@acme.example", f"wrong guess {n}")
    after_5 = token_for(client, "sam@acme.example", PASSWORD)
    for n in range(14):  # each on an account of its own: only the address counts them all
        token_for(client, f"nobody{n}@acme.example", "wrong guess")
    after_19 = token_for(client, "sam@acme.example", PASSWORD)
    token_for(client, "nobody99@acme.example", "wrong guess")
    after_20 = token_for(client, "sam@acme.example", PASSWORD)

    assert after_5.status_code == 201
    assert after_19.status_code == 201
    assert after_20.status_code == 429
    assert after_20.headers["retry-after"] == "900"
    assert after_20.json() == RATE_LIMITED


def test_the_lock_lifts_once_the_failures_are_more_than_15_minutes_old(
    client: TestClient, acme: Api, clock: FakeClock,
) -> None:
    for n in range(5):
        token_for(client, "alice@acme.example", f"wrong guess {n}")

    clock.advance(minutes=14)
    still_locked = token_for(client, "alice@acme.example", PASSWORD)
    clock.advance(minutes=2)
    lifted = token_for(client, "alice@acme.example", PASSWORD)

    assert still_locked.status_code == 429
    assert lifted.status_code == 201


def test_a_token_asked_without_a_lifetime_stops_working_after_the_default_90_days(
        client: TestClient, acme: Api, clock: FakeClock) -> None:
    token = token_for(client, "alice@acme.example", PASSWORD).json()["token"]
    headers = {"Authorization": f"Bearer {token}"}

    clock.advance(days=89)
    still = client.get("/api/v1/me", headers=headers)
    clock.advance(days=1)
    ended = client.get("/api/v1/me", headers=headers)

    assert (still.status_code, ended.status_code) == (200, 401)


def test_the_default_token_lifetime_is_a_setting(app: App, clock: FakeClock) -> None:
    short = replace(app, settings=app.settings.model_copy(update={"token_days": 7, "open_signup": True}))
    client = TestClient(create_app(core=short))
    sign_up(client, "acme", "alice@acme.example", PASSWORD)

    answer = token_for(client, "alice@acme.example", PASSWORD)

    assert answer.json()["expires_at"] == "2027-03-08T12:00:00Z"


# Passwords


def test_a_password_change_revokes_every_token_of_the_person(client: TestClient, acme: Api) -> None:
    other = sign_in(client, "alice@acme.example", PASSWORD)

    changed = acme.post("/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert changed.status_code == 204
    assert acme.get("/me").status_code == 401 and other.get("/me").status_code == 401
    assert sign_in(client, "alice@acme.example", NEW_PASSWORD).get("/me").status_code == 200


def test_a_password_change_keeps_the_tokens_when_asked_explicitly(client: TestClient, acme: Api) -> None:
    other = sign_in(client, "alice@acme.example", PASSWORD)

    changed = acme.post("/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                "keep_tokens": True})

    assert changed.status_code == 204
    assert acme.get("/me").status_code == 200 and other.get("/me").status_code == 200


def test_keep_tokens_must_be_a_boolean(acme: Api) -> None:
    answer = acme.post("/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                               "keep_tokens": "perhaps"})

    assert answer.status_code == 422 and list(answer.json()["errors"]) == ["keep_tokens"]
    assert acme.get("/me").status_code == 200


def test_changing_the_password_needs_the_current_one(acme: Api) -> None:
    answer = acme.post("/auth/password", json={"current_password": "not the passphrase",
                                               "new_password": NEW_PASSWORD})

    assert answer.status_code == 422
    assert answer.json()["errors"] == {"current_password": "is not your current password"}


def test_a_new_password_shorter_than_12_characters_is_refused(client: TestClient, acme: Api) -> None:
    answer = acme.post("/auth/password", json={"current_password": PASSWORD, "new_password": "short pass"})

    assert answer.status_code == 422
    assert answer.json()["errors"] == {"new_password": "must be at least 12 characters"}
    assert token_for(client, "alice@acme.example", PASSWORD).status_code == 201


def test_after_a_password_change_only_the_new_password_signs_in(client: TestClient, acme: Api) -> None:
    changed = acme.post("/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert changed.status_code == 204 and changed.content == b""
    assert token_for(client, "alice@acme.example", PASSWORD).status_code == 401
    assert token_for(client, "alice@acme.example", NEW_PASSWORD).status_code == 201


# Invitations


def invite(acme: Api, email: str = "mia@acme.example") -> tuple[dict[str, Any], str]:
    """Add a person without a password: the answer and the token of the invitation link."""
    added = acme.post("/orgs/acme/people", json={"name": "Mia", "email": email, "roles": ["member"]})
    assert added.status_code == 201, added.text
    url = added.json()["invitation_url"]
    return added.json(), parse_qs(urlsplit(url).query)["token"][0]


def test_a_person_added_without_a_password_sets_one_through_the_invitation_link(
    client: TestClient, acme: Api,
) -> None:
    added, token = invite(acme)
    before = token_for(client, "mia@acme.example", PASSWORD)

    accepted = client.post("/api/v1/auth/invitations/accept", json={"token": token, "password": PASSWORD})

    assert added["invitation_url"] == f"http://127.0.0.1:8000/invitations/accept?token={token}"
    assert token.startswith("sbi_")
    assert before.status_code == 401
    assert accepted.status_code == 200
    assert accepted.json() == added["person"]
    assert sign_in(client, "mia@acme.example", PASSWORD).get("/me").json()["email"] == "mia@acme.example"


def test_an_invitation_works_once(client: TestClient, acme: Api) -> None:
    _, token = invite(acme)
    client.post("/api/v1/auth/invitations/accept", json={"token": token, "password": PASSWORD})

    again = client.post("/api/v1/auth/invitations/accept", json={"token": token, "password": NEW_PASSWORD})

    assert again.status_code == 404
    assert token_for(client, "mia@acme.example", NEW_PASSWORD).status_code == 401
    assert token_for(client, "mia@acme.example", PASSWORD).status_code == 201


def test_an_invitation_expires_after_7_days(client: TestClient, acme: Api, clock: FakeClock) -> None:
    _, token = invite(acme)

    clock.advance(days=7, seconds=1)
    late = client.post("/api/v1/auth/invitations/accept", json={"token": token, "password": PASSWORD})

    assert late.status_code == 404
    assert token_for(client, "mia@acme.example", PASSWORD).status_code == 401


def test_an_invitation_still_works_on_its_seventh_day(
    client: TestClient, acme: Api, clock: FakeClock,
) -> None:
    _, token = invite(acme)

    clock.advance(days=6, hours=23)
    accepted = client.post("/api/v1/auth/invitations/accept", json={"token": token, "password": PASSWORD})

    assert accepted.status_code == 200


def test_accepting_an_invitation_with_a_short_password_is_refused_and_keeps_it(
    client: TestClient, acme: Api,
) -> None:
    _, token = invite(acme)

    short = client.post("/api/v1/auth/invitations/accept", json={"token": token, "password": "short pass"})
    accepted = client.post("/api/v1/auth/invitations/accept", json={"token": token, "password": PASSWORD})

    assert short.status_code == 422
    assert short.json()["errors"] == {"password": "must be at least 12 characters"}
    assert accepted.status_code == 200


def test_invitation_tokens_are_stored_only_as_their_sha256(acme: Api, app: App) -> None:
    _, token = invite(acme)

    with app.engine.connect() as connection:
        rows = [row._asdict() for row in connection.execute(select(invitations))]

    assert [row["token_hash"] for row in rows] == [hashlib.sha256(token.encode()).hexdigest()]
    assert not [row for row in rows if any(token in str(value) for value in row.values())]


# People and roles


def test_a_person_who_is_not_an_admin_cannot_add_people(sam: Api) -> None:
    answer = sam.post("/orgs/acme/people", json={"name": "Mia", "email": "mia@acme.example",
                                                 "roles": ["member"]})

    assert answer.status_code == 403
    assert answer.json()["title"] == "Permission denied"


def test_an_admin_of_another_organization_cannot_see_it_to_add_people(client: TestClient, acme: Api) -> None:
    globex = sign_up(client, "globex", "grace@globex.example", PASSWORD)

    answer = globex.post("/orgs/acme/people", json={"name": "Mole", "email": "mole@globex.example",
                                                    "roles": ["admin"]})

    assert answer.status_code == 404
    assert [p["email"] for p in acme.get("/orgs/acme/people").json()["items"]] == ["alice@acme.example"]


def test_an_admin_changes_the_roles_of_a_colleague(client: TestClient, acme: Api, sam: Api) -> None:
    sam_id = sam.get("/me").json()["id"]

    answer = acme.put(f"/orgs/acme/people/{sam_id}/roles", json={"roles": ["signer", "admin"]})

    assert answer.status_code == 200
    assert answer.json()["roles"] == ["admin", "signer"]
    assert sam.get("/me").json()["roles"] == ["admin", "signer"]


def test_a_person_who_is_not_an_admin_cannot_change_roles_not_even_their_own(sam: Api) -> None:
    sam_id = sam.get("/me").json()["id"]

    answer = sam.put(f"/orgs/acme/people/{sam_id}/roles", json={"roles": ["admin"]})

    assert answer.status_code == 403
    assert sam.get("/me").json()["roles"] == ["member"]


def test_the_last_admin_cannot_lose_the_admin_role(acme: Api) -> None:
    alice_id = acme.get("/me").json()["id"]

    answer = acme.put(f"/orgs/acme/people/{alice_id}/roles", json={"roles": ["signer", "member"]})

    assert answer.status_code == 409
    assert answer.json()["detail"] == "alice@acme.example is the last admin of acme"
    assert acme.get("/me").json()["roles"] == ["admin", "member", "signer"]


def test_an_admin_may_step_down_once_there_is_another_admin(acme: Api, sam: Api) -> None:
    alice_id = acme.get("/me").json()["id"]
    sam_id = sam.get("/me").json()["id"]
    acme.put(f"/orgs/acme/people/{sam_id}/roles", json={"roles": ["admin"]})

    answer = acme.put(f"/orgs/acme/people/{alice_id}/roles", json={"roles": ["member"]})

    assert answer.status_code == 200
    assert answer.json()["roles"] == ["member"]


# Signup and /me


def test_signup_is_not_there_when_open_signup_is_off(app: App) -> None:
    assert app.settings.open_signup is False
    with TestClient(create_app(core=app), base_url="http://testserver") as closed:
        answer = closed.post("/api/v1/orgs", json={
            "name": "Acme", "handle": "acme",
            "admin": {"name": "Alice", "email": "alice@acme.example", "password": PASSWORD}})

    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == "no route 'POST /api/v1/orgs' that you can see"
    with app.engine.connect() as connection:
        assert connection.execute(select(orgs)).first() is None


def test_signup_refuses_an_invalid_handle_naming_it(client: TestClient) -> None:
    answer = client.post("/api/v1/orgs", json={
        "name": "Acme", "handle": "Acme Labs!",
        "admin": {"name": "Alice", "email": "alice@acme.example", "password": PASSWORD}})

    assert answer.status_code == 422
    assert answer.json()["errors"] == {
        "handle": "must be 1-40 lower-case letters, digits and inner hyphens, e.g. acme or acme-labs"}


def test_signup_refuses_a_handle_that_is_taken(client: TestClient, acme: Api) -> None:
    answer = client.post("/api/v1/orgs", json={
        "name": "Another Acme", "handle": "acme",
        "admin": {"name": "Alan", "email": "alan@acme.example", "password": PASSWORD}})

    assert answer.status_code == 409
    assert answer.json()["detail"] == "the handle 'acme' is taken"
    assert token_for(client, "alan@acme.example", PASSWORD).status_code == 401


def test_signup_creates_the_org_and_its_first_admin_with_all_three_roles(client: TestClient) -> None:
    answer = client.post("/api/v1/orgs", json={
        "name": "Acme", "handle": "acme",
        "admin": {"name": "Alice", "email": "alice@acme.example", "password": PASSWORD}})

    assert answer.status_code == 201
    assert answer.json()["org"] == {"handle": "acme", "name": "Acme", "legal_name": None,
                                    "address": None, "notice_name": None, "notice_email": None}
    assert answer.json()["admin"]["roles"] == ["admin", "member", "signer"]


def test_me_is_the_signed_in_person(acme: Api) -> None:
    answer = acme.get("/me")

    assert answer.status_code == 200
    assert answer.json() == {"id": answer.json()["id"], "org": "acme", "name": "acme admin",
                             "email": "alice@acme.example", "roles": ["admin", "member", "signer"],
                             "active": True}
    assert answer.json()["id"].startswith("per_")


@pytest.mark.parametrize(("ticked", "tokens_work"), [(False, False), (True, True)])
def test_the_password_page_revokes_the_tokens_unless_keep_is_ticked(
        client: TestClient, acme: Api, ticked: bool, tokens_work: bool) -> None:
    page = sign_in_page(client, "alice@acme.example", PASSWORD)
    form = {"csrf": csrf_of(page.get("/password").text), "current_password": PASSWORD,
            "new_password": NEW_PASSWORD, **({"keep_tokens": "yes"} if ticked else {})}

    changed = page.post("/password", data=form)

    assert changed.status_code == 200 and "Your password is changed." in changed.text
    assert 'id="keep_tokens"' in changed.text
    assert (acme.get("/me").status_code == 200) is tokens_work
