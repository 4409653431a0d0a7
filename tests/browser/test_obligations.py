"""Obligations in Chromium: acme demands its information back, globex's admin sees it on home,
certifies with her password, and acme reads the certification; globex's admin reads the org's
received register."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from sharebound import bootstrap
from sharebound.services import agreements, copies, disclosures, items, orgs, partnerships
from sharebound.services.disclosures import DisclosureDraft
from tests.factories import sign_as, terms_json

PASSWORD = "correct horse battery"


def _signed_and_downloaded(core: bootstrap.App) -> tuple[str, str]:
    """acme and globex with an NDA in force; gina downloaded a note acme disclosed:
    (partnership id, agreement id)."""
    _, alice = orgs.create_org(core.uow(), handle="acme", name="Acme Sensors", admin_name="Alice Archer",
                               admin_email="alice@acme.example", admin_password=PASSWORD)
    _, grace = orgs.create_org(core.uow(), handle="globex", name="Globex", admin_name="Grace Green",
                               admin_email="grace@globex.example", admin_password=PASSWORD)
    gina = orgs.add_person(core.uow(), grace.id, org="globex", name="Gina Gray",
                           email="gina@globex.example", roles=["member"], password=PASSWORD)
    partnership = partnerships.propose_partnership(core.uow(), alice.id, name="Joint thermal sensor",
                                                   purpose="new_product", invite=["globex"])
    partnerships.accept_partnership(core.uow(), grace.id, partnership.id)
    today = core.clock().date()
    agreement = agreements.draft_agreement(core.uow(), alice.id, partnership.id, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat()))
    for person in (alice, grace):
        sign_as(core.uow(), person.id, agreement.id, digest=agreement.current.digest, title="CEO",
                password=PASSWORD)
    item = items.add_item(core.uow(), alice.id, title="Thermal test results", classification="confidential",
                          topics=["thermal"], content=b"Drift under 0.2 K after 500 h at 85 C.")
    made = disclosures.disclose(core.uow(), alice.id, DisclosureDraft(
        item_id=item.id, agreement_id=agreement.id, recipients=[gina.email], actions=["view", "download"]))
    copies.download_disclosure(core.uow(), gina.id, made.id)
    return partnership.id, agreement.id


def test_acme_demands_return_globex_certifies_and_acme_reads_the_certification(
        core: bootstrap.App, people: Any) -> None:
    partnership_id, agreement_id = _signed_and_downloaded(core)
    alice, grace = people(), people()

    # alice demands acme's information back from the agreement page
    page = alice.sign_in("alice@acme.example", PASSWORD)
    alice.go(f"/agreements/{agreement_id}")
    page.select_option("#notice-kind", "demand_return")
    page.fill("#notice-body", "The evaluation is over: please return or destroy every copy.")
    page.click("button:has-text('Give the notice')")
    expect(page.locator("[role=status]")).to_contain_text("Notice given")
    expect(page.locator("#notices table")).to_contain_text("Demand for return or destruction")

    # grace sees what globex received, the notice and the return due on home
    page = grace.sign_in("grace@globex.example", PASSWORD)
    expect(page.locator(".attention")).to_contain_text("Demand for return or destruction")
    expect(page.locator(".attention")).to_contain_text("globex returns or destroys its copies")
    grace.go(f"/partnerships/{partnership_id}")
    received = page.locator(".columns > div").nth(1)
    expect(received.locator("h3")).to_have_text("globex received")
    expect(received).to_contain_text("Thermal test results")
    expect(received).to_contain_text("to Gina Gray")
    grace.go(f"/agreements/{agreement_id}")
    expect(page.locator("#copies")).to_contain_text("acme demanded its information back")
    page.fill("#statement", "Gina's copy was deleted from her laptop and the shared drive.")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Certify for globex')")
    expect(page.locator("[role=status]")).to_contain_text("Certified")
    grace.shot("return-certified")

    # alice reads the certification in full, and who opened what
    page = alice.go(f"/agreements/{agreement_id}")
    expect(page.locator("#owed")).to_contain_text("globex certified on")
    expect(page.locator("#owed")).to_contain_text(
        "Gina's copy was deleted from her laptop and the shared drive.")
    alice.shot("returns-owed")
    page.click("a:has-text('Access report')")
    expect(page.locator("table.access-report")).to_contain_text("Gina Gray (globex)")
    assert alice.console_errors == [] and grace.console_errors == []
