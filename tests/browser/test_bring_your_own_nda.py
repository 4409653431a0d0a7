"""Bring your own NDA in Chromium: acme uploads the NDA both orgs signed on paper, drafts the
pairing with a sharing schedule, both signers confirm it, and disclosures are enforced under it.

Screenshots go to the test's own tmp dir and, as the other browser tests', to
test-output/screenshots/ (byo-*.png)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from sharebound import bootstrap
from sharebound.services import items, orgs, partnerships
from tests.factories import org_profile
from tests.files import lines_pdf

PASSWORD = "correct horse battery"
SIGNED_NDA = lines_pdf([
    ["MUTUAL NON-DISCLOSURE AGREEMENT", "between Acme Sensors Inc. and Globex Corporation",
     "1. Confidential Information means ...", "2. Obligations of the receiving party ..."],
    ["IN WITNESS WHEREOF the parties signed this agreement on 3 March 2025.",
     "Acme Sensors Inc.: /s/ Alice Archer, CEO", "Globex Corporation: /s/ Grace Green, CEO"],
])


def _two_orgs_in_a_partnership(core: bootstrap.App) -> dict[str, str]:
    """acme (alice: all roles) and globex (grace: all roles; gina: member), partners already."""
    _, alice = orgs.create_org(core.uow(), handle="acme", name="Acme Sensors", admin_name="Alice Archer",
                               admin_email="alice@acme.example", admin_password=PASSWORD)
    _, grace = orgs.create_org(core.uow(), handle="globex", name="Globex", admin_name="Grace Green",
                               admin_email="grace@globex.example", admin_password=PASSWORD)
    gina = orgs.add_person(core.uow(), grace.id, org="globex", name="Gina Gray",
                           email="gina@globex.example", roles=["member"], password=PASSWORD)
    partnership = partnerships.propose_partnership(core.uow(), alice.id, name="Joint thermal sensor",
                                                   purpose="new_product", invite=["globex"])
    partnerships.accept_partnership(core.uow(), grace.id, partnership.id)
    for admin, handle in ((alice, "acme"), (grace, "globex")):  # fills the cover page's party details
        orgs.set_profile(core.uow(), admin.id, handle, org_profile(handle))
    return {"alice": alice.id, "grace": grace.id, "gina": gina.id, "partnership": partnership.id}


def _shot(person: Any, tmp_path: Path, name: str) -> None:
    saved = person.shot(f"byo-{name}")
    shutil.copy(saved, tmp_path / saved.name)


def test_acme_uploads_a_signed_nda_both_confirm_and_disclosures_follow_its_schedule(
    core: bootstrap.App, people: Any, tmp_path: Path,
) -> None:
    ids = _two_orgs_in_a_partnership(core)
    items.add_item(core.uow(), ids["alice"], title="Thermal test results", classification="confidential",
                   topics=["thermal"], content=b"Drift under 0.2 K after 500 h at 85 C.")
    items.add_item(core.uow(), ids["alice"], title="Price list 2027", classification="internal",
                   topics=["pricing"], content=b"Unit price 12.40 EUR at 10k.")
    nda = tmp_path / "Acme-Globex mutual NDA (signed 2025).pdf"
    nda.write_bytes(SIGNED_NDA)
    alice, grace = people(), people()
    partnership_url = f"/partnerships/{ids['partnership']}"

    # alice uploads the NDA both orgs signed on paper in 2025
    page = alice.sign_in("alice@acme.example", PASSWORD)
    alice.go(partnership_url)
    page.click("a:has-text('Bring your own NDA')")
    page.set_input_files("#file", str(nda))
    _shot(alice, tmp_path, "upload")
    page.click("button:has-text('Upload the NDA')")
    expect(page.locator("h1")).to_have_text(nda.name)
    images = page.locator("img.page")
    expect(images).to_have_count(2)
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                           arg=images.nth(0).element_handle())
    _shot(alice, tmp_path, "uploaded")

    # ... maps it to a sharing schedule and its dates: signed in 2025, pricing excluded
    page.click("a:has-text('Map it to a sharing schedule')")
    expect(page.locator("section.governing-nda")).to_contain_text(nda.name)
    page.fill("#effective_date", "2025-03-03")
    page.fill("#term_end", "2028-03-03")
    page.fill("#confidentiality_years", "3")
    page.fill("#notice-acme", "legal@acme.example")
    page.fill("#notice-globex", "legal@globex.example")
    page.fill("#topics_excluded", "pricing")
    _shot(alice, tmp_path, "pairing-form")
    page.click("button:has-text('Save the draft')")
    expect(page.locator("h1")).to_have_text("Non-disclosure agreement")
    agreement_url = page.url
    expect(page.locator("#uploaded-nda")).to_contain_text(nda.name)
    expect(page.locator("#agreement-document")).to_contain_text(
        f"The Parties confirm that the executed NDA uploaded as {nda.name}, SHA-256")
    expect(page.locator("#agreement-document")).to_contain_text("3. Topics excluded: pricing.")

    # ... and confirms it for acme (consent to electronic signatures first, then her password)
    page.click("button:has-text('I consent to electronic records and signatures')")
    page.fill("#title", "CEO")
    page.fill("#password", PASSWORD)
    _shot(alice, tmp_path, "confirm")
    page.click("button:has-text('Confirm version 1')")
    expect(page.locator("p:has-text('Status')")).to_contain_text("awaiting signatures")

    # grace reads the uploaded NDA, view only, and confirms for globex: in force at once
    page = grace.sign_in("grace@globex.example", PASSWORD)
    grace.go(agreement_url.removeprefix(grace.server.url))
    pages = page.locator("section.uploaded-nda img.page")
    expect(pages).to_have_count(2)
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0",
                           arg=pages.nth(1).element_handle())
    expect(page.locator("section.uploaded-nda").get_by_role("link", name="Download")).to_have_count(0)
    page.click("button:has-text('I consent to electronic records and signatures')")
    page.fill("#title", "General Counsel")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Confirm version 1')")
    expect(page.locator("p:has-text('Status')")).to_contain_text("in force")
    _shot(grace, tmp_path, "confirmed")

    # alice discloses within the schedule: allowed; the price list (topic pricing): refused
    page = alice.page
    alice.go(partnership_url)
    page.click("a.button:has-text('Disclose')")
    page.select_option("#item_id", label="Thermal test results (confidential; thermal)")
    page.check("input[value='gina@globex.example']")
    expect(page.locator("#preview")).to_contain_text("Allowed")
    page.click("button:has-text('Disclose')")
    expect(page.locator("[role=status]")).to_contain_text("Disclosed")
    _shot(alice, tmp_path, "disclosed-within")
    alice.go(partnership_url)
    page.click("a.button:has-text('Disclose')")
    page.select_option("#item_id", label="Price list 2027 (internal; pricing)")
    page.check("input[value='gina@globex.example']")
    expect(page.locator("#preview")).to_contain_text("Would be refused")
    page.click("button:has-text('Disclose')")
    refusal = page.locator("[role=alert].refused")
    expect(refusal).to_contain_text("topics")
    expect(refusal).to_contain_text("pricing")
    _shot(alice, tmp_path, "refused-outside")
    assert not grace.console_errors
    assert all("403" in e for e in alice.console_errors)  # why: the refused disclosure answers 403
    assert sorted(p.name for p in tmp_path.glob("byo-*.png")) == [
        "byo-confirm.png", "byo-confirmed.png", "byo-disclosed-within.png", "byo-pairing-form.png",
        "byo-refused-outside.png", "byo-upload.png", "byo-uploaded.png"]
