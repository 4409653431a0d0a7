"""The product's main journeys, in Chromium, as people would click through them."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from sharebound import bootstrap
from sharebound.services import items, orgs
from tests.factories import org_profile

PASSWORD = "correct horse battery"


def _two_orgs(core: bootstrap.App) -> dict[str, str]:
    """acme (alice: all roles) and globex (grace: all roles; gina: member), with passwords."""
    _, alice = orgs.create_org(core.uow(), handle="acme", name="Acme Sensors", admin_name="Alice Archer",
                               admin_email="alice@acme.example", admin_password=PASSWORD,
                               profile=org_profile("acme"))
    _, grace = orgs.create_org(core.uow(), handle="globex", name="Globex", admin_name="Grace Green",
                               admin_email="grace@globex.example", admin_password=PASSWORD,
                               profile=org_profile("globex"))
    gina = orgs.add_person(core.uow(), grace.id, org="globex", name="Gina Gray",
                           email="gina@globex.example", roles=["member"], password=PASSWORD)
    return {"alice": alice.id, "grace": grace.id, "gina": gina.id}


def test_two_orgs_sign_an_nda_share_a_note_refuse_a_crown_jewel_and_amend(core: bootstrap.App,
                                                                           people: Any) -> None:
    ids = _two_orgs(core)
    items.add_item(core.uow(), ids["alice"], title="Thermal test results", classification="confidential",
                   topics=["thermal"], content=b"Drift under 0.2 K after 500 h at 85 C.")
    items.add_item(core.uow(), ids["alice"], title="Die layout", classification="restricted",
                   topics=["design"], content=b"The crown jewel.")
    alice, grace, gina = people(), people(), people()

    # alice proposes a partnership to globex
    page = alice.sign_in("alice@acme.example", PASSWORD)
    alice.shot("home")
    page.click("a:has-text('Propose a partnership')")
    page.fill("#name", "Joint thermal sensor")
    page.select_option("#purpose", "new_product")
    page.fill("#invite", "globex")
    page.click("button:has-text('Propose')")
    expect(page.locator("h1")).to_have_text("Joint thermal sensor")
    partnership_url = page.url

    # grace sees it waiting for her, and accepts
    page = grace.sign_in("grace@globex.example", PASSWORD)
    expect(page.locator(".attention")).to_contain_text("Joint thermal sensor")
    page.click(".attention a:has-text('Joint thermal sensor')")
    page.click("button:has-text('Accept the partnership')")
    expect(page.locator("[role=status]")).to_contain_text("You accepted the partnership")

    # alice drafts the NDA and signs it
    page = alice.page
    page.goto(partnership_url)
    page.click("a:has-text('Draft an NDA')")
    page.fill("#purpose", "Evaluate a joint thermal sensor")
    page.fill("#governing_law", "Delaware")
    page.fill("#courts", "New Castle County, Delaware")
    page.fill("#notice-acme", "legal@acme.example")
    page.fill("#notice-globex", "legal@globex.example")
    page.fill("#topics_excluded", "pricing")
    alice.shot("agreement-form")
    page.click("button:has-text('Save the draft')")
    expect(page.locator("h1")).to_have_text("Non-disclosure agreement")
    expect(page.locator("#agreement-document")).to_contain_text("1. Acme Corporation")
    expect(page.locator("#standard-terms-text")).to_contain_text("13.8 Counterparts.")
    alice.shot("agreement-document")
    agreement_url = page.url
    digest = page.locator("input[name=digest]").input_value()
    expect(page.locator("form[action$='/sign']")).to_contain_text(digest)
    page.fill("#title", "CEO")
    page.click("button:has-text('Sign version 1')")
    expect(page.locator("p:has-text('Status')")).to_contain_text("awaiting signatures")

    # grace signs the same version: the NDA is in force
    page = grace.page
    page.goto(grace.server.url + "/")
    page.click(".attention a:has-text('version 1')")
    page.fill("#title", "General Counsel")
    page.click("button:has-text('Sign version 1')")
    expect(page.locator("p:has-text('Status')")).to_contain_text("in force")
    grace.shot("agreement")

    # alice tries the crown jewel: the preview lists the reasons, and so does the refusal
    page = alice.page
    page.goto(partnership_url)
    page.click("a.button:has-text('Disclose')")
    page.select_option("#item_id", label="Die layout (restricted; design)")
    page.check("input[value='gina@globex.example']")
    expect(page.locator("#preview")).to_contain_text("Would be refused")
    expect(page.locator("#preview")).to_contain_text("ceiling (schedule.ceiling)")
    alice.shot("disclose-preview-refused")
    page.click("button:has-text('Disclose')")
    expect(page.locator("[role=alert].refused")).to_contain_text("restricted information is a crown jewel")

    # ... then discloses the note to gina, by name
    page.select_option("#item_id", label="Thermal test results (confidential; thermal)")
    page.check("input[value='gina@globex.example']")
    expect(page.locator("#preview")).to_contain_text("Allowed")
    page.click("button:has-text('Disclose')")
    expect(page.locator("[role=status]")).to_contain_text("Disclosed")
    alice.shot("disclosure-given")

    # gina reads it
    page = gina.sign_in("gina@globex.example", PASSWORD)
    page.goto(partnership_url)
    page.click("a:has-text('Thermal test results')")
    expect(page.locator("pre.body")).to_have_text("Drift under 0.2 K after 500 h at 85 C.")
    expect(page.locator(".marking")).to_contain_text("confidential")
    gina.shot("received-item")
    gina.go(partnership_url.removeprefix(gina.server.url))
    gina.shot("partnership")

    # an amendment makes a new version that nobody has signed yet
    page = alice.page
    page.goto(agreement_url)
    page.click("a:has-text('Amend')")
    page.fill("#purpose", "Evaluate and produce a joint thermal sensor")
    page.click("button:has-text('Save the new version')")
    expect(page.locator("[role=status]")).to_contain_text("every party signs again")
    expect(page.locator("p.notice:not([role])")).to_contain_text("version 1 stays in force")
    expect(page.locator("table")).to_contain_text("not yet")
    expect(page.locator("button:has-text('Sign version 2')")).to_be_visible()
    page.click("a:has-text('changes from version 1')")
    added = page.locator("ins", has_text="Purpose")
    expect(added).to_have_text("+ Purpose: Evaluate and produce a joint thermal sensor")
    expect(page.locator("del", has_text="Purpose")).to_have_text("- Purpose: Evaluate a joint thermal sensor")
    # the refused submit answers 403, as it should; nothing else failed in the browser
    assert [e for e in alice.console_errors if "status of 403" not in e] == []


def test_a_form_error_is_shown_in_place_and_keeps_what_was_typed(core: bootstrap.App, people: Any) -> None:
    _two_orgs(core)
    alice = people()
    page = alice.sign_in("alice@acme.example", PASSWORD)

    page.click("a:has-text('Propose a partnership')")
    page.fill("#name", "Joint thermal sensor")
    page.fill("#invite", "nobody-here")
    page.click("button:has-text('Propose')")

    expect(page.locator(".field-error")).to_have_text("no organization nobody-here")
    expect(page.locator("#name")).to_have_value("Joint thermal sensor")
    expect(page.locator("#invite")).to_have_value("nobody-here")


def test_an_expired_session_sends_the_person_to_sign_in_and_back(core: bootstrap.App, people: Any) -> None:
    _two_orgs(core)
    alice = people()
    alice.sign_in("alice@acme.example", PASSWORD)
    alice.context.clear_cookies()

    page = alice.go("/items?from=test")
    expect(page.locator("h1")).to_have_text("Sign in")
    page.fill("#email", "alice@acme.example")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")

    page.wait_for_url("**/items?from=test")
