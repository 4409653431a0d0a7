"""Single sign-on against a real OpenID provider (oidc-provider on loopback), through the app's
pages and API in process, on SQLite and PostgreSQL: every refusal changes nothing."""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sharebound.adapters.db.tables import events, people, web_sessions
from sharebound.bootstrap import App
from sharebound.domain.errors import ReauthenticationRequired
from sharebound.services import reauth, second_factors, sso
from sharebound.web import create_app
from tests.conftest import FakeClock
from tests.e2e.conftest import Api, csrf_of, sign_up
from tests.oidc_provider import OidcProvider, path_of, sso_settings


@pytest.fixture(scope="module")
def running_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    """One provider for the module (Node takes a second to start); each test resets it."""
    with OidcProvider(tmp_path_factory.mktemp("oidc"), ["http://testserver/sso/callback"]) as running:
        yield running


@pytest.fixture
def provider(running_provider: OidcProvider) -> OidcProvider:
    running_provider.tamper("")
    return running_provider


@pytest.fixture
def core(app: App, clock: FakeClock) -> App:
    clock.now = datetime.now(UTC)  # why: the provider's tokens carry real times
    return replace(app, settings=app.settings.model_copy(update={
        "open_signup": True, "sso_allow": "127.0.0.1, ::1", "base_url": "http://testserver"}))


@pytest.fixture
def client(core: App) -> Iterator[TestClient]:
    with TestClient(create_app(core=core), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture
def admin(client: TestClient, provider: OidcProvider) -> Api:
    """acme's admin, with the test provider set up as acme's SSO (JIT on)."""
    api = sign_up(client, "acme", "root@acme.example")
    answer = api.put("/orgs/acme/sso", json=sso_settings(provider.issuer))
    assert answer.status_code == 200, answer.text
    return api


def start(client: TestClient, email: str) -> str:
    """Press "Continue with SSO" on the sign-in page: where the app sends the browser."""
    csrf = csrf_of(client.get("/login").text)
    answer = client.post("/login/sso", data={"csrf": csrf, "email": email, "next": "/items"},
                         follow_redirects=False)
    assert answer.status_code == 200, answer.text
    return html.unescape(answer.text.split('id="continue" href="')[1].split('"')[0])


def counts(core: App) -> tuple[int, int, int]:
    with core.engine.connect() as connection:
        return tuple(connection.execute(select(func.count()).select_from(t)).scalar_one()
                     for t in (people, web_sessions, events))  # type: ignore[return-value]


def test_the_authorization_request_carries_pkce_s256_state_nonce_and_the_registered_redirect(
        admin: Api, client: TestClient, provider: OidcProvider) -> None:
    url = start(client, "Bob@Acme.example")

    query = parse_qs(urlsplit(url).query)
    assert url.startswith(provider.issuer + "/auth?")
    assert query["response_type"] == ["code"] and query["client_id"] == ["sharebound-test"]
    assert query["redirect_uri"] == ["http://testserver/sso/callback"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 43 and len(query["nonce"][0]) >= 43
    assert "sb_sso" in client.cookies


def test_a_new_person_signs_in_through_the_provider_and_gets_the_mapped_roles(
        admin: Api, client: TestClient, provider: OidcProvider, core: App) -> None:
    back = provider.sign_in(start(client, "alice@acme.example"), "alice")

    answer = client.get(path_of(back), follow_redirects=False)

    assert answer.status_code == 303 and answer.headers["location"] == "/items"
    me = client.get("/items")
    assert me.status_code == 200 and "Alice Admin" in me.text
    person = next(p for p in admin.get("/orgs/acme/people").json()["items"]
                  if p["email"] == "alice@acme.example")
    assert sorted(person["roles"]) == ["admin", "signer"]
    with core.engine.connect() as connection:
        logged = set(connection.execute(select(events.c.kind)).scalars())
    assert {"person_provisioned", "sso_signed_in", "sso_configured"} <= logged


def test_a_person_no_rule_matches_is_a_member(admin: Api, client: TestClient, provider: OidcProvider) -> None:
    client.get(path_of(provider.sign_in(start(client, "bob@acme.example"), "bob")))

    person = next(p for p in admin.get("/orgs/acme/people").json()["items"]
                  if p["email"] == "bob@acme.example")
    assert person["roles"] == ["member"]


@pytest.mark.parametrize(("mode", "says"), [
    ("signature", "not signed with its keys"),
    ("audience", "wrong audience"),
    ("issuer", "wrong issuer"),
    ("nonce", "wrong nonce"),
    ("expired", "expired"),
])
def test_a_tampered_id_token_is_refused_and_changes_nothing(
        admin: Api, client: TestClient, provider: OidcProvider, core: App, mode: str, says: str) -> None:
    back = provider.sign_in(start(client, "bob@acme.example"), "bob")
    provider.tamper(mode)
    before = counts(core)

    answer = client.get(path_of(back), follow_redirects=False)

    assert answer.status_code == 401
    assert "Single sign-on refused" in answer.text and says in answer.text
    assert counts(core) == before
    assert client.get("/items", follow_redirects=False).headers["location"].startswith("/login")


def test_a_callback_with_a_state_this_browser_did_not_start_is_refused(
        admin: Api, client: TestClient, provider: OidcProvider, core: App) -> None:
    back = provider.sign_in(start(client, "bob@acme.example"), "bob")
    query = parse_qs(urlsplit(back).query)
    before = counts(core)

    wrong_state = client.get(f"/sso/callback?code={query['code'][0]}&state=forged", follow_redirects=False)
    client.cookies.delete("sb_sso")
    other_browser = client.get(path_of(back), follow_redirects=False)

    assert wrong_state.status_code == other_browser.status_code == 401
    assert "not one this browser started" in other_browser.text
    assert counts(core) == before


def test_a_state_is_used_once(admin: Api, client: TestClient, provider: OidcProvider) -> None:
    back = provider.sign_in(start(client, "bob@acme.example"), "bob")
    assert client.get(path_of(back), follow_redirects=False).status_code == 303

    again = client.get(path_of(back), follow_redirects=False)

    assert again.status_code == 401 and "not one this browser started" in again.text


@pytest.mark.parametrize(("account", "says"), [
    ("eve", "has not verified this email"),
    ("mallory", "not on a domain of the organization"),
])
def test_an_unverified_or_foreign_email_is_refused_and_nobody_is_created(
        admin: Api, client: TestClient, provider: OidcProvider, core: App, account: str, says: str) -> None:
    back = provider.sign_in(start(client, "eve@acme.example"), account)
    before = counts(core)

    answer = client.get(path_of(back), follow_redirects=False)

    assert answer.status_code == 401 and says in answer.text
    assert counts(core) == before


def test_without_jit_an_unknown_person_is_not_created(
        admin: Api, client: TestClient, provider: OidcProvider, core: App) -> None:
    assert admin.put("/orgs/acme/sso", json=sso_settings(provider.issuer, jit=False)).status_code == 200
    back = provider.sign_in(start(client, "bob@acme.example"), "bob")
    before = counts(core)

    answer = client.get(path_of(back), follow_redirects=False)

    assert answer.status_code == 401 and "ask its admin" in answer.text
    assert counts(core) == before


def test_required_sso_refuses_passwords_the_same_way_whether_or_not_the_account_exists(
        admin: Api, client: TestClient, provider: OidcProvider) -> None:
    required = sso_settings(provider.issuer, require_sso=True)
    assert admin.put("/orgs/acme/sso", json=required).status_code == 200

    known = client.post("/api/v1/auth/token", json={"email": "root@acme.example",
                                                    "password": "a long passphrase"})
    unknown = client.post("/api/v1/auth/token", json={"email": "nobody@acme.example", "password": "x"})
    page = client.post("/login", data={"csrf": csrf_of(client.get("/login").text),
                                       "email": "root@acme.example", "password": "a long passphrase"})

    assert known.status_code == unknown.status_code == 401
    assert known.json()["type"].endswith("/sso_required")
    said, also = known.json(), unknown.json()
    assert (said["type"], said["detail"]) == (also["type"], also["detail"])
    assert page.status_code == 401 and "single sign-on" in page.text and 'id="password"' not in page.text


def test_the_settings_never_show_the_secret_and_keep_it_when_left_out(
        admin: Api, provider: OidcProvider, core: App) -> None:
    body = sso_settings(provider.issuer, domains=["acme.example", "acme-labs.example"])
    del body["client_secret"]

    answer = admin.put("/orgs/acme/sso", json=body)

    assert answer.status_code == 200
    shown = admin.get("/orgs/acme/sso").json()
    assert shown["client_secret_set"] is True and "client_secret" not in shown
    assert shown["domains"] == ["acme-labs.example", "acme.example"]
    assert shown["redirect_uri"] == "http://testserver/sso/callback"
    with core.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT client_secret FROM sso_providers").scalar_one()
    assert "a-client-secret" not in stored


def test_bad_settings_are_refused_naming_each_field_and_change_nothing(
        admin: Api, provider: OidcProvider) -> None:
    answer = admin.put("/orgs/acme/sso", json=sso_settings(
        "ftp://idp.example", domains=["not a domain"],
        role_mapping=[{"claim": "aud", "value": "x", "roles": ["admin"]}]))
    unreachable = admin.put("/orgs/acme/sso", json=sso_settings("https://10.0.0.1"))

    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"issuer", "domains", "role_mapping[0].claim"}
    assert unreachable.status_code == 422 and "private address" in unreachable.text
    assert admin.get("/orgs/acme/sso").json()["issuer"] == provider.issuer


def test_a_domain_belongs_to_one_org(admin: Api, client: TestClient, provider: OidcProvider) -> None:
    other = sign_up(client, "globex", "root@globex.example")

    answer = other.put("/orgs/globex/sso", json=sso_settings(provider.issuer))

    assert answer.status_code == 409


def _reauthenticated(client: TestClient, provider: OidcProvider) -> None:
    """A fresh sign-in at the provider (prompt=login, max_age=0) for the session's person, bob."""
    asked = client.get("/sso/reauth?next=/items", follow_redirects=False)
    client.get(path_of(provider.sign_in(asked.headers["location"], "bob")), follow_redirects=False)


def test_a_fresh_sso_sign_in_counts_as_reauthentication_and_a_password_one_does_not(
        admin: Api, client: TestClient, provider: OidcProvider, core: App, clock: FakeClock) -> None:
    client.get(path_of(provider.sign_in(start(client, "bob@acme.example"), "bob")))
    cookie = client.cookies["sb_session"]
    # why not fresh at once: the provider did not say when bob typed his credentials (no auth_time)
    plain = sso.reauthenticated_within(core.uow(), cookie, timedelta(minutes=5))
    clock.advance(minutes=1)
    _reauthenticated(client, provider)

    fresh = sso.reauthenticated_within(core.uow(), cookie, timedelta(minutes=5))
    clock.advance(minutes=10)
    stale = sso.reauthenticated_within(core.uow(), cookie, timedelta(minutes=5))

    assert (plain, fresh, stale) == (False, True, False)


def test_a_signer_without_a_password_confirms_a_signature_by_a_fresh_sso_sign_in(
        admin: Api, client: TestClient, provider: OidcProvider, core: App, clock: FakeClock) -> None:
    client.get(path_of(provider.sign_in(start(client, "bob@acme.example"), "bob")))
    cookie = client.cookies["sb_session"]
    clock.advance(minutes=1)
    _reauthenticated(client, provider)
    with core.uow() as uow:
        bob = uow.orgs.get_person_by_email("bob@acme.example")
        assert bob is not None
        fresh = reauth.confirm_identity(uow, bob, password=None, session_cookie=cookie)
        clock.advance(minutes=10)
        with pytest.raises(ReauthenticationRequired):
            reauth.confirm_identity(uow, bob, password=None, session_cookie=cookie)

    assert fresh == ("sso",)


def test_a_person_with_a_second_factor_gives_it_after_single_sign_on_too(
        admin: Api, client: TestClient, provider: OidcProvider, core: App, clock: FakeClock) -> None:
    client.get(path_of(provider.sign_in(start(client, "bob@acme.example"), "bob")))
    with core.uow() as uow:
        bob = uow.orgs.get_person_by_email("bob@acme.example")
    assert bob is not None
    started = second_factors.begin_totp(core.uow(), bob.id)
    second_factors.confirm_totp(core.uow(), bob.id, pyotp.TOTP(started.secret).at(clock()))
    client.cookies.clear()

    back = client.get(path_of(provider.sign_in(start(client, "bob@acme.example"), "bob")),
                      follow_redirects=False)

    assert back.status_code == 303 and back.headers["location"].startswith("/login/second-factor")
    assert client.get("/items", follow_redirects=False).status_code == 303  # not in before the code


def test_turning_sso_off_lets_passwords_in_again(
        admin: Api, client: TestClient, provider: OidcProvider) -> None:
    required = sso_settings(provider.issuer, require_sso=True)
    assert admin.put("/orgs/acme/sso", json=required).status_code == 200

    assert admin.delete("/orgs/acme/sso").status_code == 204

    again = client.post("/api/v1/auth/token", json={"email": "root@acme.example",
                                                    "password": "a long passphrase"})
    assert again.status_code == 201
    assert admin.get("/orgs/acme/sso").status_code == 404


def test_a_fresh_sign_in_at_the_provider_reauthenticates_the_session(
        admin: Api, client: TestClient, provider: OidcProvider, core: App, clock: FakeClock) -> None:
    client.get(path_of(provider.sign_in(start(client, "bob@acme.example"), "bob")))
    cookie = client.cookies["sb_session"]
    clock.advance(minutes=1)  # why: the provider's auth_time is real time; ours may move a little

    asked = client.get("/sso/reauth?next=/items", follow_redirects=False)
    query = parse_qs(urlsplit(asked.headers["location"]).query)
    back = client.get(path_of(provider.sign_in(asked.headers["location"], "bob")), follow_redirects=False)

    assert asked.status_code == 303 and query["prompt"] == ["login"] and query["max_age"] == ["0"]
    assert back.status_code == 303 and back.headers["location"] == "/items"
    assert client.cookies["sb_session"] == cookie  # the same session, signed in again
    assert sso.reauthenticated_within(core.uow(), cookie, timedelta(minutes=5))


def test_starting_sso_without_the_sign_in_forms_secret_is_refused(
        admin: Api, client: TestClient, core: App) -> None:
    client.get("/login")

    answer = client.post("/login/sso", data={"csrf": "forged", "email": "bob@acme.example"})

    assert answer.status_code == 400 and "expired" in answer.text
    with core.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM sso_logins").scalar_one() == 0


def test_sso_for_a_domain_nobody_set_up_says_so_on_the_sign_in_page(admin: Api, client: TestClient) -> None:
    csrf = csrf_of(client.get("/login").text)

    answer = client.post("/login/sso", data={"csrf": csrf, "email": "someone@elsewhere.example"})

    assert answer.status_code == 404 and "Single sign-on is not set up for this email" in answer.text
