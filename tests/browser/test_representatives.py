"""Representatives in Chromium: globex receives a drawing, names its contract manufacturer,
acme approves, globex re-shares, the manufacturer (a guest, signing in with the emailed
invitation) reads it stamped with the chain, acme sees the re-share and its access on its
report, acme revokes and both accesses end."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import expect
from sqlalchemy import select

from sharebound import bootstrap
from sharebound.adapters.db.repositories.outbox import _entry as outbox_entry
from sharebound.adapters.db.tables import outbox
from sharebound.services import agreements, disclosures, items, orgs, partnerships, representatives
from sharebound.services.disclosures import DisclosureDraft
from sharebound.services.worker import _representative_email
from tests.factories import sign_as, terms_json

PASSWORD = "correct horse battery"
DRAWING = "Housing drawing rev B"


def _drawing_received(core: bootstrap.App) -> tuple[str, str]:
    """acme and globex with an NDA in force; acme disclosed a drawing to gina: (agreement id,
    disclosure id)."""
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
    item = items.add_item(core.uow(), alice.id, title=DRAWING, classification="confidential",
                          topics=["thermal"], content=b"Housing: 42 x 18 mm, wall 1.2 mm, M3 bosses.")
    made = disclosures.disclose(core.uow(), alice.id, DisclosureDraft(
        item_id=item.id, agreement_id=agreement.id, recipients=[gina.email], actions=["view", "download"]))
    return agreement.id, made.id


def _emailed_link(core: bootstrap.App) -> str:
    """The link in the invitation email, rendered by the worker from its outbox row."""
    with core.engine.connect() as connection:
        rows = list(connection.execute(select(outbox)))
    [row] = [r for r in rows if json.loads(r.payload).get("kind") == representatives.EMAIL_KIND]
    email = _representative_email(core, outbox_entry(row))
    assert email is not None and email.to == "jo@precision.example"
    return next(line for line in email.text.splitlines() if "/invitations/accept?" in line)


def test_globex_reshares_a_drawing_to_its_contract_manufacturer_and_acme_revokes_it(
        core: bootstrap.App, people: Any) -> None:
    agreement_id, disclosure_id = _drawing_received(core)
    alice, grace, jo = people(), people(), people()

    # grace names globex's contract manufacturer on the agreement page
    page = grace.sign_in("grace@globex.example", PASSWORD)
    grace.go(f"/agreements/{agreement_id}")
    page.fill("#rep-organization", "Precision Parts Ltd")
    page.fill("#rep-name", "Jo Smith")
    page.fill("#rep-email", "jo@precision.example")
    page.fill("#rep-reason", "Machines the housing from the drawing")
    page.click("button:has-text('Name a representative')")
    expect(page.locator("[role=status]")).to_contain_text("Representative named")

    # alice approves: jo is invited by email
    page = alice.sign_in("alice@acme.example", PASSWORD)
    alice.go(f"/agreements/{agreement_id}")
    page.click("button:has-text('Approve Jo Smith')")
    expect(page.locator("[role=status]")).to_contain_text("Approved")
    expect(page.locator("table.representatives")).to_contain_text("approved by acme")

    # grace re-shares the drawing from its page
    page = grace.go(f"/disclosures/{disclosure_id}")
    page.select_option("#reshare-to", label="Jo Smith <jo@precision.example> (Precision Parts Ltd)")
    page.click("button:has-text('Re-share')")
    expect(page.locator("[role=status]")).to_contain_text("Re-shared")

    # jo sets a password with the emailed link, signs in and reads the stamped drawing
    page = jo.page
    page.goto(_emailed_link(core).replace(core.settings.base_url.rstrip("/"), jo.server.url))
    page.fill("#password", "jo's own long passphrase")
    page.click("button:has-text('Set password')")
    jo.sign_in("jo@precision.example", "jo's own long passphrase")
    expect(page.locator("table.shared-with-me")).to_contain_text(DRAWING)
    expect(page.locator("nav[aria-label=Main]")).not_to_contain_text("Items")
    page.click(f"a:has-text('{DRAWING}')")
    expect(page.locator(".stamp")).to_contain_text(
        "disclosed by Acme Sensors → Globex to Jo Smith <jo@precision.example> (Precision Parts Ltd)")
    expect(page.locator("pre.body")).to_contain_text("wall 1.2 mm")
    jo.shot("representative-reads-reshare")

    # alice sees the re-share and jo's access, then revokes the original
    page = alice.go(f"/disclosures/{disclosure_id}")
    expect(page.locator("table.reshares")).to_contain_text(
        "acme → globex → Jo Smith <jo@precision.example> (Precision Parts Ltd)")
    page.click("a:has-text('Access report')")
    expect(page.locator("table.access-report")).to_contain_text(
        "Jo Smith (Precision Parts Ltd, representative of globex)")
    alice.go(f"/disclosures/{disclosure_id}")
    page.click("button:has-text('Revoke access now')")
    expect(page.locator("[role=status]")).to_contain_text("Revoked")

    # both accesses end: the representative's and globex's recipient's
    page = jo.go(f"/disclosures/{disclosure_id}")
    expect(page.locator(".refused")).to_contain_text("revoked")
    gina = people()
    page = gina.sign_in("gina@globex.example", PASSWORD)
    gina.go(f"/disclosures/{disclosure_id}")
    expect(page.locator(".refused")).to_contain_text("revoked")
    assert alice.console_errors == [] and grace.console_errors == [] and jo.console_errors == []
