"""Single sign-on in Chromium against a real OpenID provider (oidc-provider on loopback): the
authorization code flow with PKCE, state and nonce; JIT provisioning with the mapped roles;
the admin's settings page; passwords refused where SSO is required."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Request as BrowserRequest

from sharebound import bootstrap
from sharebound.config import Settings
from sharebound.services import orgs, sso
from tests.browser.conftest import LiveServer, Person
from tests.integration.servers import free_port
from tests.oidc_provider import OidcProvider, sso_settings

PASSWORD = "a long passphrase for root"


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def provider(tmp_path: Path, port: int) -> Iterator[OidcProvider]:
    with OidcProvider(tmp_path, [f"http://127.0.0.1:{port}/sso/callback"]) as running:
        yield running


@pytest.fixture
def core(tmp_path: Path, sqlite_template: Path, port: int, provider: OidcProvider) -> Iterator[bootstrap.App]:
    """acme, its admin root (with a password), and the test provider as acme's SSO (JIT on)."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(sqlite_template, data / "sharebound.db")
    built = bootstrap.build(Settings(data_dir=data, sso_allow="127.0.0.1",
                                     base_url=f"http://127.0.0.1:{port}"))
    _, root = orgs.create_org(built.uow(), handle="acme", name="Acme", admin_name="Root",
                              admin_email="root@acme.example", admin_password=PASSWORD)
    sso.configure(built.uow(), root.id, "acme", sso_settings(provider.issuer), oidc=built.oidc())
    yield built
    built.close()


@pytest.fixture
def server(core: bootstrap.App, port: int) -> Iterator[LiveServer]:
    with LiveServer(core, port) as live:
        yield live


def sso_sign_in(person: Person, email: str, account: str) -> None:
    person.go("/login")
    person.page.fill("#sso-email", email)
    person.page.click("button:has-text('Continue with SSO')")
    person.page.wait_for_selector("input[name=login]")  # the provider's own sign-in form
    person.page.fill("input[name=login]", account)
    person.page.fill("input[name=password]", "whatever the provider wants")
    person.page.click("button:has-text('Sign-in')")
    person.page.wait_for_url(lambda url: url.startswith(person.server.url))


def test_a_new_person_signs_in_with_sso_and_is_created_with_the_mapped_roles(
        people: Any, server: LiveServer, core: bootstrap.App, provider: OidcProvider) -> None:
    alice: Person = people()
    sent: list[str] = []

    def remember(request: BrowserRequest) -> None:
        if request.url.startswith(provider.issuer + "/auth?"):
            sent.append(request.url)

    alice.page.on("request", remember)

    sso_sign_in(alice, "alice@acme.example", "alice")

    assert "Alice Admin · acme" in alice.page.inner_text("header")
    assert alice.page.is_visible("a[href='/admin/people']")  # admin, from groups=partner-admins
    assert "code_challenge_method=S256" in sent[0] and "state=" in sent[0] and "nonce=" in sent[0]
    with core.uow() as uow:
        person = uow.orgs.get_person_by_email("alice@acme.example")
    assert person is not None and sorted(person.roles) == ["admin", "signer"]
    alice.shot("sso-signed-in")


def test_a_callback_replayed_in_the_browser_is_refused(people: Any, server: LiveServer) -> None:
    bob: Person = people()
    callbacks: list[str] = []
    bob.page.on("request", lambda r: callbacks.append(r.url) if "/sso/callback?" in r.url else None)
    sso_sign_in(bob, "bob@acme.example", "bob")

    bob.page.goto(callbacks[0])

    assert "Single sign-on refused" in bob.page.inner_text("main")
    assert "not one this browser started" in bob.page.inner_text("main")
    bob.shot("sso-refused")


def test_an_admin_requires_sso_on_the_page_and_then_passwords_are_refused(
        people: Any, server: LiveServer) -> None:
    root: Person = people()
    root.sign_in("root@acme.example", PASSWORD)
    root.go("/admin/sso")
    assert root.page.input_value("#issuer").startswith("http://127.0.0.1:")
    assert root.page.input_value("#rules") == "groups=partner-admins: admin,signer"
    root.page.check("input[name=require_sso]")
    root.page.click("button:has-text('Save')")
    assert "settings are saved" in root.page.inner_text("main")
    root.shot("sso-admin")

    someone: Person = people()
    someone.go("/login")
    someone.page.fill("#email", "root@acme.example")
    someone.page.fill("#password", PASSWORD)
    someone.page.click("button:has-text('Sign in')")

    assert "signs in with single sign-on" in someone.page.inner_text("main")
    assert not someone.page.is_visible("#password")
    assert someone.page.is_visible("button:has-text('Continue with SSO')")
