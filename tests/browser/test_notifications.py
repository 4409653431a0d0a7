"""Notifications in the browser: the unread count, the list, preferences, and an admin's webhooks."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from sharebound import bootstrap
from sharebound.services import agreements, orgs, partnerships
from tests.browser.test_journeys import PASSWORD
from tests.factories import terms_json


def _nda_waiting_for_globex(core: bootstrap.App) -> str:
    _, alice = orgs.create_org(core.uow(), handle="acme", name="Acme Sensors", admin_name="Alice Archer",
                               admin_email="alice@acme.example", admin_password=PASSWORD)
    _, grace = orgs.create_org(core.uow(), handle="globex", name="Globex", admin_name="Grace Hopper",
                               admin_email="grace@globex.example", admin_password=PASSWORD)
    partnership = partnerships.propose_partnership(core.uow(), alice.id, name="Joint sensor",
                                                   purpose="new_product", invite=["globex"])
    partnerships.accept_partnership(core.uow(), grace.id, partnership.id)
    today = core.clock().date()
    return agreements.draft_agreement(core.uow(), alice.id, partnership.id, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat())).id


def test_a_signer_sees_the_unread_count_follows_the_notification_and_marks_it_read(
    core: bootstrap.App, people: Any
) -> None:
    agreement_id = _nda_waiting_for_globex(core)
    grace = people()

    page = grace.sign_in("grace@globex.example", PASSWORD)
    expect(page.locator("nav")).to_contain_text("Notifications (1 unread)")
    page.click("nav a:has-text('Notifications')")
    expect(page.locator("tr.unread")).to_contain_text(
        "The NDA in Joint sensor (version 1) waits for your signature")
    grace.shot("notifications")
    page.click("tr.unread a")
    page.wait_for_url(f"**/agreements/{agreement_id}")
    page.go_back()
    page.click("button:has-text('Mark all read')")
    expect(page.locator("p.notice[role=status]")).to_contain_text("Marked read")
    expect(page.locator("tr.unread")).to_have_count(0)
    expect(page.locator("nav")).not_to_contain_text("unread")


def test_preferences_are_chosen_per_kind(core: bootstrap.App, people: Any) -> None:
    _nda_waiting_for_globex(core)
    grace = people()

    page = grace.sign_in("grace@globex.example", PASSWORD)
    page.goto(grace.server.url + "/notifications/preferences")
    page.check("#mentioned-weekly")
    page.check("#disclosed_to_me-off")
    page.click("button:has-text('Save preferences')")

    expect(page.locator("p.notice[role=status]")).to_contain_text("saved")
    expect(page.locator("#mentioned-weekly")).to_be_checked()
    expect(page.locator("#disclosed_to_me-off")).to_be_checked()
    expect(page.locator("#signature_needed-instant")).to_be_checked()
    grace.shot("notification-preferences")


def test_an_admin_adds_a_webhook_after_a_bad_url_and_sees_its_secret_once(core: bootstrap.App,
                                                                          people: Any) -> None:
    _nda_waiting_for_globex(core)
    grace = people()

    page = grace.sign_in("grace@globex.example", PASSWORD)
    page.click("nav a:has-text('Webhooks')")
    page.fill("#url", "ftp://hooks.globex.example/sharebound")
    page.click("button:has-text('Add the webhook')")
    expect(page.locator("#url-error")).to_contain_text("must be an http:// or https:// URL")
    page.fill("#url", "https://hooks.globex.example/sharebound")
    page.check("#kind-signature_needed")
    page.click("button:has-text('Add the webhook')")

    expect(page.locator("#secret")).to_be_visible()
    assert page.locator("#secret-value").input_value().startswith("whsec_")
    expect(page.locator("#undelivered")).to_be_visible()
    grace.shot("admin-webhooks")
    page.goto(grace.server.url + "/admin/webhooks")
    expect(page.locator("#secret-value")).to_have_count(0)
    expect(page.locator("article")).to_contain_text("https://hooks.globex.example/sharebound")
