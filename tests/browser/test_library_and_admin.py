"""The item library (with the second signer for a crown jewel) and the org admin's journey."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from sharebound import bootstrap
from sharebound.services import items, orgs
from tests.browser.test_journeys import PASSWORD


def _acme(core: bootstrap.App) -> dict[str, str]:
    """acme: alice (all roles), sam (signer), mia (member)."""
    _, alice = orgs.create_org(core.uow(), handle="acme", name="Acme Sensors", admin_name="Alice Archer",
                               admin_email="alice@acme.example", admin_password=PASSWORD)
    sam = orgs.add_person(core.uow(), alice.id, org="acme", name="Sam Stone", email="sam@acme.example",
                          roles=["signer", "member"], password=PASSWORD)
    return {"alice": alice.id, "sam": sam.id}


def test_a_note_is_added_once_and_lowering_a_crown_jewel_waits_for_a_second_signer(
    core: bootstrap.App, people: Any
) -> None:
    _acme(core)
    sam, alice = people(), people()

    page = sam.sign_in("sam@acme.example", PASSWORD)
    page.click("nav a:has-text('Items')")
    page.click("a:has-text('Add an item')")
    page.fill("#title", "Die layout")
    page.select_option("#classification", "restricted")
    page.fill("#topics", "design")
    page.fill("#body", "The crown jewel.")
    sam.shot("item-new")
    page.dblclick("button:has-text('Add the item')")
    expect(page.locator("p.notice[role=status]")).to_contain_text("added to your library")
    item_url = page.url.split("?")[0]

    page.select_option("#classification", "confidential")
    page.click("button:has-text('Change classification')")
    expect(page.locator("p.notice[role=status]")).to_contain_text("waits for a second signer")
    expect(page.locator("button:has-text('Approve')")).to_have_count(0)
    sam.shot("item-pending")

    page = alice.sign_in("alice@acme.example", PASSWORD)
    page.goto(item_url)
    page.click("button:has-text('Approve lowering to confidential')")
    expect(page.locator("p.notice[role=status]")).to_contain_text("Approved: the item is now confidential")
    page.click("nav a:has-text('Items')")
    expect(page.locator("table tbody tr")).to_have_count(1)  # the double click added one item
    alice.shot("items")


def test_an_admin_invites_a_person_who_sets_a_password_signs_in_and_gets_a_new_role(
    core: bootstrap.App, people: Any
) -> None:
    _acme(core)
    admin, newcomer = people(), people()

    page = admin.sign_in("alice@acme.example", PASSWORD)
    page.click("nav a:has-text('People')")
    page.fill("#name", "Nora North")
    page.fill("#email", "nora@acme.example")
    page.check("#new-member")
    page.click("button:has-text('Add the person')")
    link = page.locator("#invitation-url").input_value()
    admin.shot("admin-people")
    assert link.startswith("http://127.0.0.1:8000/invitations/accept?token=sbi_")

    page = newcomer.go(link.removeprefix("http://127.0.0.1:8000"))
    page.fill("#password", "a brand new passphrase")
    page.click("button:has-text('Set password')")
    expect(page.locator("#email")).to_have_value("nora@acme.example")
    newcomer.sign_in("nora@acme.example", "a brand new passphrase")
    expect(newcomer.page.locator(".who")).to_contain_text("Nora North")

    page = admin.page
    page.goto(admin.server.url + "/admin/people")
    nora = page.locator("tr", has_text="nora@acme.example")
    nora.locator("input[value=signer]").check()
    nora.locator("button:has-text('Save roles')").click()
    expect(page.locator("p.notice[role=status]")).to_contain_text("Nora North")
    with core.uow() as uow:
        person = uow.orgs.get_person_by_email("nora@acme.example")
    assert person is not None and sorted(person.roles) == ["member", "signer"]


def test_the_sign_in_page_and_a_phone_sized_home(core: bootstrap.App, people: Any) -> None:
    ids = _acme(core)
    items.add_item(core.uow(), ids["alice"], title="Integration guide", classification="internal",
                   topics=["integration"], content=b"24 V supply.")
    visitor = people()

    visitor.go("/login")
    visitor.shot("login")
    visitor.page.set_viewport_size({"width": 390, "height": 844})
    visitor.sign_in("alice@acme.example", PASSWORD)
    visitor.shot("home-phone")

    width = visitor.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing overflows sideways on a phone
