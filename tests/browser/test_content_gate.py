"""The content gate in Chromium: the disclose form's live preview shows what the gate found,
and an admin registers a crown-jewel term from the admin navigation."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from sharebound import bootstrap
from sharebound.services import agreements, items, orgs, partnerships
from tests.factories import sign_as, terms_json

PASSWORD = "correct horse battery"
JEWEL = ("The Kestrel die uses a three layer stack with the thermal sensor placed under the heat "
         "spreader so that drift stays below two tenths of a kelvin after five hundred hours.")


def _world(core: bootstrap.App) -> tuple[str, str]:
    """acme and globex with an NDA in force; acme's crown jewel and a note pasting from it."""
    _, alice = orgs.create_org(core.uow(), handle="acme", name="Acme Sensors", admin_name="Alice Archer",
                               admin_email="alice@acme.example", admin_password=PASSWORD)
    _, grace = orgs.create_org(core.uow(), handle="globex", name="Globex", admin_name="Grace Green",
                               admin_email="grace@globex.example", admin_password=PASSWORD)
    partnership = partnerships.propose_partnership(core.uow(), alice.id, name="Joint sensor",
                                                   purpose="new_product", invite=["globex"])
    partnerships.accept_partnership(core.uow(), grace.id, partnership.id)
    today = core.clock().date()
    nda = agreements.draft_agreement(core.uow(), alice.id, partnership.id, terms_json(
        effective_date=today.isoformat(), term_end=today.replace(year=today.year + 1).isoformat()))
    for signer in (alice, grace):
        sign_as(core.uow(), signer.id, nda.id, digest=nda.current.digest, title="CEO", password=PASSWORD)
    items.add_item(core.uow(), alice.id, title="Die layout", classification="restricted",
                   topics=["design"], content=JEWEL.encode())
    note = items.add_item(core.uow(), alice.id, title="Weekly update", classification="confidential",
                          topics=["thermal"], content=f"Hi Grace,\n{JEWEL}".encode())
    return partnership.id, note.id


def test_the_live_preview_shows_the_content_gates_findings(core: bootstrap.App, people: Any) -> None:
    partnership, note = _world(core)
    alice = people()

    page = alice.sign_in("alice@acme.example", PASSWORD)
    page.goto(f"{alice.server.url}/disclose?partnership={partnership}&item={note}")
    page.check("input[name=recipients]")

    preview = page.locator("#preview")
    expect(preview).not_to_contain_text("name at least one recipient")  # the preview followed the form
    expect(preview).to_contain_text("The content gate found")
    expect(preview).to_contain_text("\u201cDie layout\u201d")
    expect(preview).to_contain_text("line 2")
    alice.shot("disclose-content-gate")
    assert alice.console_errors == []


def test_an_admin_registers_a_crown_jewel_term_from_the_admin_navigation(
    core: bootstrap.App, people: Any
) -> None:
    _world(core)
    alice = people()

    page = alice.sign_in("alice@acme.example", PASSWORD)
    page.click("nav a:has-text('Crown jewels')")
    page.fill("#term", "Project Kestrel")
    page.click("button:has-text('Register the term')")

    expect(page.locator("[role=status]")).to_contain_text("is registered")
    expect(page.locator("table")).to_contain_text("Project Kestrel")
    alice.shot("crown-jewels")
    page.click("button:has-text('Remove')")
    expect(page.locator(".empty")).to_contain_text("No term is registered yet")
