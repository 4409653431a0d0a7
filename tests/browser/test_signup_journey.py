"""Issue 13's journey in Chromium: a visitor signs an org up, invites a supplier by email (the
email arrives at a real SMTP server), the supplier follows the link, creates its org and accepts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from playwright.sync_api import expect

from sharebound import bootstrap
from sharebound.services.worker import run_pass
from tests.browser.conftest import LiveServer
from tests.integration.servers import smtp_server

PASSWORD = "correct horse battery"


@pytest.fixture
def open_server(core: bootstrap.App) -> Iterator[tuple[bootstrap.App, LiveServer]]:
    opened = replace(core, settings=core.settings.model_copy(update={"open_signup": True}))
    with LiveServer(opened) as live:
        yield opened, live


def test_a_visitor_signs_up_invites_a_supplier_by_email_who_joins_and_accepts(
    open_server: tuple[bootstrap.App, LiveServer], people: Any,
) -> None:
    core, live = open_server
    visitor, supplier = people(), people()
    visitor.server = supplier.server = live

    # a visitor signs an organization up, from the sign-in page
    page = visitor.go("/login")
    page.click("a:has-text('Sign your organization up')")
    page.fill("#org-name", "Acme Sensors")
    page.fill("#org-handle", "acme")
    page.fill("#org-legal-name", "Acme Sensors, Inc.")
    page.fill("#admin-name", "Alice Archer")
    page.fill("#admin-email", "alice@acme.example")
    page.fill("#admin-password", PASSWORD)
    visitor.shot("signup")
    page.click("button:has-text('Create the organization')")
    expect(page.locator("h1")).to_have_text("Acme Sensors")
    expect(page.locator(".checklist li.todo")).to_have_count(5)
    visitor.shot("home-first-steps")

    # and proposes a partnership to a supplier that is not on the instance, by email
    page.click(".checklist a:has-text('Propose a partnership')")
    page.fill("#name", "Sensor housings supply")
    page.select_option("#purpose", "cost_efficiency")
    page.fill("#invite_emails", "pat@umbrella.example")
    page.click("button:has-text('Propose')")
    expect(page.locator("h1")).to_have_text("Sensor housings supply")
    expect(page.locator("#invitations + table .invitation-state")).to_have_text("pending")
    partnership_url = page.url
    visitor.shot("partnership-invited-by-email")

    # the worker sends the invitation; it arrives at the SMTP server
    with smtp_server() as (inbox, port):
        worker = replace(core, settings=core.settings.model_copy(update={
            "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_tls": "none", "base_url": live.url}))
        run_pass(worker, "browser-test-worker", schedules=False)
    [email] = [m for m in inbox.messages if m["To"] == "pat@umbrella.example"]
    assert email["Subject"] == "Sharebound: Acme Sensors invites you to Sensor housings supply"
    link = re.search(r"http://\S+/join/\S+", inbox.parts(email)["text/plain"])
    assert link is not None

    # the supplier follows the link, creates its org (the address is the invited one) ...
    page = supplier.page
    page.goto(link.group(0))
    expect(page.locator("h1")).to_contain_text("Acme Sensors invites you")
    expect(page.locator("#admin-email")).to_have_value("pat@umbrella.example")
    page.fill("#org-name", "Umbrella Housings")
    page.fill("#org-handle", "umbrella")
    page.fill("#admin-name", "Pat Park")
    page.fill("#admin-password", PASSWORD)
    supplier.shot("join-from-invitation")
    page.click("button:has-text('Create the organization and see the proposal')")

    # ... finds the proposal waiting on its home, and accepts it
    expect(page.locator(".attention")).to_contain_text("Sensor housings supply")
    supplier.shot("joined-home")
    page.click(".attention a:has-text('Sensor housings supply')")
    page.click("button:has-text('Accept the partnership')")
    expect(page.locator("[role=status]")).to_contain_text("You accepted the partnership")
    expect(page.locator("p.muted").first).to_contain_text("active")

    # the visitor sees the invitation taken, and the partnership active
    page = visitor.page
    page.goto(partnership_url)
    expect(page.locator("#invitations + table .invitation-state")).to_have_text("accepted (umbrella)")
    expect(page.locator("p.muted").first).to_contain_text("active")
    visitor.shot("partnership-joined")

    # the link works once
    page = supplier.page
    page.goto(link.group(0))
    expect(page.locator("[role=alert]")).to_contain_text("already used")
    assert visitor.console_errors == []
    gone = "Failed to load resource: the server responded with a status of 410 (Gone)"
    assert supplier.console_errors == [gone]  # the used link's page, and nothing else
