"""Asking and answering in Chromium: globex asks acme, acme answers with a disclosure; the feed."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from sharebound import bootstrap
from sharebound.services import agreements, items, partnerships
from tests.browser.test_journeys import PASSWORD, _two_orgs
from tests.factories import sign_as, terms_json


def _signed_partnership(core: bootstrap.App) -> str:
    """acme and globex in an active partnership with an NDA in force; acme has the results."""
    ids = _two_orgs(core)
    partnership = partnerships.propose_partnership(core.uow(), ids["alice"], name="Joint thermal sensor",
                                                   purpose="new_product", invite=["globex"])
    partnerships.accept_partnership(core.uow(), ids["grace"], partnership.id)
    today = core.clock().date()
    agreement = agreements.draft_agreement(core.uow(), ids["alice"], partnership.id, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat()))
    for signer in ("alice", "grace"):
        sign_as(core.uow(), ids[signer], agreement.id, digest=agreement.current.digest,
                title="General Counsel", password=PASSWORD)
    items.add_item(core.uow(), ids["alice"], title="Thermal test results", classification="confidential",
                   topics=["thermal"], content=b"Drift under 0.2 K after 500 h at 85 C.")
    return f"/partnerships/{partnership.id}"


def test_globex_asks_acme_acme_answers_with_a_disclosure_and_globex_sees_it_answered(
    core: bootstrap.App, people: Any,
) -> None:
    partnership_url = _signed_partnership(core)
    grace, alice = people(), people()

    # grace of globex asks acme for the thermal test results
    grace.sign_in("grace@globex.example", PASSWORD)
    page = grace.go(partnership_url)
    page.click("a:has-text('Ask for information')")
    page.fill("#title", "Thermal test results")
    page.fill("#details", "Drift over temperature, for the enclosure design review.")
    page.fill("#topic", "thermal")
    grace.shot("requests-ask")
    page.click("button:has-text('Send the request')")
    expect(page.locator("[role=status]")).to_contain_text("Request sent")
    expect(page.locator("h1")).to_contain_text("Thermal test results")
    expect(page.locator("h1 .state")).to_have_text("open")
    request_url = page.url.partition("?")[0]

    # alice of acme sees it waiting, and answers it through the disclose form
    page = alice.sign_in("alice@acme.example", PASSWORD)
    expect(page.locator(".attention")).to_contain_text("globex asks acme")
    page.click(".attention a:has-text('Thermal test results')")
    expect(page).to_have_url(request_url)
    alice.shot("requests-received")
    page.click("a:has-text('Answer with a disclosure')")
    expect(page.locator("#answering")).to_contain_text("Answering the request Thermal test results")
    expect(page.locator("input[value='grace@globex.example']")).to_be_checked()
    page.select_option("#item_id", label="Thermal test results (confidential; thermal)")
    expect(page.locator("#preview")).to_contain_text("Allowed")
    alice.shot("requests-answer-disclose")
    page.click("button:has-text('Disclose')")
    expect(page.locator("[role=status]")).to_contain_text("the request is answered")
    expect(page.locator("h1 .state")).to_have_text("answered")

    # grace sees the request answered, and the disclosure received
    page = grace.page
    page.goto(request_url)
    expect(page.locator("h1 .state")).to_have_text("answered")
    expect(page.locator("#history + ol")).to_contain_text("answered with 1 disclosure")
    grace.shot("requests-answered")
    page.click("section[aria-labelledby=answer] a:has-text('Thermal test results')")
    expect(page.locator("pre.body")).to_have_text("Drift under 0.2 K after 500 h at 85 C.")
    page.goto(grace.server.url + partnership_url)
    expect(page.locator("section[aria-labelledby=register]")).to_contain_text("Thermal test results")
    expect(page.locator("tr.request-answered")).to_contain_text("globex → acme")
    grace.shot("requests-partnership")
    assert grace.console_errors == [] and alice.console_errors == []


def test_a_mention_and_a_reply_show_as_new_until_the_feed_is_opened(core: bootstrap.App, people: Any) -> None:
    partnership_url = _signed_partnership(core)
    grace, alice = people(), people()

    page = grace.sign_in("grace@globex.example", PASSWORD)
    page = grace.go(partnership_url)
    page.fill("#body", "@alice the drift figures look good; photos of the solder joints?")
    page.click("section[aria-labelledby=feed] > form button:has-text('Post')")
    expect(page.locator("[role=status]")).to_contain_text("Posted")

    page = alice.sign_in("alice@acme.example", PASSWORD)
    expect(page.locator("a.unread-count")).to_have_text("1 new")
    page.click("a.unread-count")
    expect(page.locator("#feed .unread-count")).to_have_text("1 new")
    expect(page.locator(".message.new .mention")).to_have_text("@alice")
    page.click("details.reply summary")
    page.fill("details.reply textarea", "@grace photos next week, after the chamber run.")
    alice.shot("requests-feed-reply")
    page.click("details.reply button:has-text('Reply')")
    expect(page.locator("[role=status]")).to_contain_text("Posted")
    expect(page.locator(".replies .message")).to_contain_text("photos next week")
    expect(page.locator(".message.new")).to_have_count(0)  # opening the feed read it

    page = grace.page
    page.goto(grace.server.url + "/")
    expect(page.locator("a.unread-count")).to_have_text("1 new")
    page.click("a.unread-count")
    expect(page.locator(".replies .message.new .mention")).to_have_text("@grace")
    assert re.search(r"#feed$", page.url)
    grace.shot("requests-feed")
