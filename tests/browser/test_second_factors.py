"""Second factors in Chromium: an authenticator app set up and used at sign-in (its codes
computed with pyotp), a passkey registered and used with Chromium's virtual authenticator
(CDP WebAuthn), and signing an NDA asking for the factor.

The app is served at http://localhost:<port> here, not 127.0.0.1: a passkey's RP id must be
a host name (the app's, from SHAREBOUND_BASE_URL), and http://localhost is a secure context.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from sharebound import bootstrap
from sharebound.adapters.db.tables import events
from sharebound.config import Settings
from sharebound.services import agreements, orgs, partnerships
from tests.browser.conftest import LiveServer, Person
from tests.conftest import TEST_WEBHOOK_ALLOW
from tests.factories import terms_json
from tests.integration.servers import free_port

PASSWORD = "correct horse battery"


class LocalhostServer(LiveServer):
    """The live server, reached by the name `localhost` on the port the settings name."""

    def __init__(self, core: bootstrap.App, port: int) -> None:
        super().__init__(core)
        self.server.config.port = self.port = port
        self.url = f"http://localhost:{port}"


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def local_core(tmp_path: Path, sqlite_template: Path, port: int) -> Iterator[bootstrap.App]:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(sqlite_template, data / "sharebound.db")
    built = bootstrap.build(Settings(data_dir=data, webhook_allow=TEST_WEBHOOK_ALLOW,
                                     base_url=f"http://localhost:{port}"))
    yield built
    built.close()


@pytest.fixture
def alice(browser: Browser, local_core: bootstrap.App, port: int) -> Iterator[Person]:
    with LocalhostServer(local_core, port) as live:
        person = Person(browser, live)  # type: ignore[arg-type]
        yield person
        person.close()


def _agreement_to_sign(core: bootstrap.App) -> str:
    """acme (alice: all roles) and globex in an accepted partnership, with an NDA drafted."""
    _, alice = orgs.create_org(core.uow(), handle="acme", name="Acme Sensors", admin_name="Alice Archer",
                               admin_email="alice@acme.example", admin_password=PASSWORD)
    _, grace = orgs.create_org(core.uow(), handle="globex", name="Globex", admin_name="Grace Green",
                               admin_email="grace@globex.example", admin_password=PASSWORD)
    partnership = partnerships.propose_partnership(core.uow(), alice.id, name="Joint sensor",
                                                   purpose="new_product", invite=["globex"])
    partnerships.accept_partnership(core.uow(), grace.id, partnership.id)
    today = date.today()
    return agreements.draft_agreement(core.uow(), alice.id, partnership.id, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat())).id


def _signed_with(core: bootstrap.App) -> list[Any]:
    with core.engine.connect() as connection:
        rows = connection.execute(select(events.c.data).where(events.c.kind == "agreement_signed")).all()
    return [row.data for row in rows]


def _sign_out(person: Person) -> None:
    person.page.click("button:has-text('Sign out')")
    person.page.wait_for_url("**/login")


def test_an_authenticator_app_is_set_up_and_asked_for_at_sign_in_and_signing(
    alice: Person, local_core: bootstrap.App
) -> None:
    agreement_id = _agreement_to_sign(local_core)
    page = alice.sign_in("alice@acme.example", PASSWORD)

    page.click("a:has-text('Security')")
    page.click("button:has-text('Set up an authenticator app')")
    app = pyotp.TOTP(page.locator("#totp-secret").inner_text().strip())
    first = app.now()
    page.fill("#totp-code", first)
    page.click("button:has-text('Confirm')")
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    recovery = codes.nth(0).inner_text().strip()
    alice.shot("second-factors-recovery-codes")

    _sign_out(alice)
    page.goto(alice.server.url + "/login")
    page.fill("#email", "alice@acme.example")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/login/second-factor**")
    expect(page.locator("h1")).to_have_text("Confirm it is you")
    page.fill("#code", first)  # the code used to confirm: refused, a code counts once
    page.click("button:has-text('Continue')")
    expect(page.locator("[role=alert]")).to_contain_text("used already")
    page.fill("#code", app.at(time.time() + 30))  # the next step's code: within the window
    page.click("button:has-text('Continue')")
    expect(page.locator("nav[aria-label=Main]")).to_be_visible()

    page.goto(alice.server.url + f"/agreements/{agreement_id}")
    page.click("button:has-text('I consent to electronic records and signatures')")
    page.fill("#title", "CEO")
    page.fill("#password", PASSWORD)
    page.fill("#second_factor_code", "000000")
    page.click("button:has-text('Sign version 1')")
    expect(page.locator("[role=status]")).to_contain_text("Not signed: the second factor is wrong")
    page.fill("#title", "CEO")
    page.fill("#password", PASSWORD)
    page.fill("#second_factor_code", recovery)
    page.click("button:has-text('Sign version 1')")
    expect(page.locator("[role=status]")).to_contain_text("Signed.")
    assert '"methods":["password","recovery_code"]' in _signed_with(local_core)[0].replace(" ", "")


def test_a_passkey_is_registered_and_used_at_sign_in_and_signing(
    alice: Person, local_core: bootstrap.App
) -> None:
    agreement_id = _agreement_to_sign(local_core)
    page = alice.page
    cdp = alice.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True}})
    alice.sign_in("alice@acme.example", PASSWORD)

    page.goto(alice.server.url + "/account/security")
    page.fill("#passkey-name", "Laptop")
    page.click("button:has-text('Add a passkey')")
    expect(page.locator("[role=status]").first).to_contain_text("The passkey “Laptop” is registered")
    expect(page.locator("#passkeys ~ table td").first).to_have_text("Laptop")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator["authenticatorId"]})
    assert len(credentials["credentials"]) == 1
    alice.shot("second-factors-passkey")

    _sign_out(alice)
    page.fill("#email", "alice@acme.example")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/login/second-factor**")
    page.click("button:has-text('Use your passkey')")
    expect(page.locator("nav[aria-label=Main]")).to_be_visible()

    page.goto(alice.server.url + f"/agreements/{agreement_id}")
    page.click("button:has-text('I consent to electronic records and signatures')")
    page.fill("#title", "CEO")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Use your passkey instead')")
    expect(page.locator("p[role=status]")).to_contain_text("Signed.")
    assert '"methods":["password","webauthn"]' in _signed_with(local_core)[0].replace(" ", "")
    assert alice.console_errors == []
