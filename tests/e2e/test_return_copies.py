"""Copies to return or destroy, over HTTP: the agreement page lists a receiving org's
downloads once the agreement ends, and its admin certifies them with a plain form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from sharebound.services import agreements, copies, disclosures
from sharebound.services.disclosures import DisclosureDraft
from tests.e2e.conftest import WORLD_PASSWORD, sign_in, sign_in_page
from tests.integration.world import World

PASSWORD = WORLD_PASSWORD




def _ended_with_a_download(world: World) -> tuple[str, str]:
    """An agreement under which gina downloaded a stamped note, then terminated: (agreement, copy id)."""
    agreement = world.signed()
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["view", "download"]))
    copy = copies.download_disclosure(world.uow(), world.gina.id, made.id)
    agreements.terminate_agreement(world.uow(), world.alice.id, agreement.id, reason="Project over")
    assert copy.copy_id is not None
    return agreement.id, copy.copy_id


def _browser(client: TestClient, email: str) -> TestClient:
    return sign_in_page(client, email, PASSWORD)


def test_the_api_lists_the_receiving_orgs_copies_and_certifies_them_once(
        client: TestClient, world: World) -> None:
    agreement_id, copy_id = _ended_with_a_download(world)
    grace = sign_in(client, "grace@globex.example", PASSWORD)

    listed = grace.get(f"/agreements/{agreement_id}/copies").json()
    certified = grace.post(f"/agreements/{agreement_id}/copies/certify",
                           json={"statement": "Deleted everywhere.", "password": PASSWORD},
                           headers={"User-Agent": "certifier/1.0"})
    again = grace.post(f"/agreements/{agreement_id}/copies/certify",
                       json={"statement": "Again.", "password": PASSWORD})
    alice = sign_in(client, "alice@acme.example", PASSWORD)
    owed = alice.get(f"/agreements/{agreement_id}/returns").json()

    assert [c["copy_id"] for c in listed["copies"]] == [copy_id]
    assert listed["ended_at"] and listed["due_at"] and listed["complete"] and not listed["overdue"]
    assert certified.status_code == 200
    assert certified.json()["certification"]["copies"] == 1
    assert again.status_code == 409
    assert [o["org"] for o in owed] == ["globex"]
    assert owed[0]["certification"]["statement"] == "Deleted everywhere."
    assert owed[0]["certification"]["user_agent"] == "certifier/1.0"
    assert owed[0]["certification"]["copy_list"] == [c["access_id"] for c in owed[0]["copies"]]


def test_certifying_without_the_password_is_a_403_naming_it(client: TestClient, world: World) -> None:
    agreement_id, _ = _ended_with_a_download(world)
    grace = sign_in(client, "grace@globex.example", PASSWORD)

    answer = grace.post(f"/agreements/{agreement_id}/copies/certify", json={"statement": "Gone."})

    assert answer.status_code == 403 and list(answer.json()["errors"]) == ["password"]
    assert grace.get(f"/agreements/{agreement_id}/copies").json()["certification"] is None


def test_the_agreement_page_lists_the_copies_and_a_signer_certifies_with_a_form(
        client: TestClient, world: World) -> None:
    agreement_id, copy_id = _ended_with_a_download(world)
    grace = _browser(client, "grace@globex.example")

    page = grace.get(f"/agreements/{agreement_id}").text
    form = dict(re.findall(r'name="(csrf|form_id)" value="([^"]+)"', page))
    done = grace.post(f"/agreements/{agreement_id}/copies/certify",
                      data={**form, "statement": "Shredded the printouts.", "password": PASSWORD})
    after = grace.get(f"/agreements/{agreement_id}").text

    assert "Copies to return or destroy" in page and copy_id in page
    assert 'action="/agreements/' in page and "Certify for globex" in page
    assert done.status_code == 200
    assert "Certified on" in after and "Shredded the printouts." in after
    assert "Certify for globex" not in after


def test_a_member_sees_no_certify_form_and_the_discloser_sees_the_copies_owed_to_it(
        client: TestClient, world: World) -> None:
    agreement_id, copy_id = _ended_with_a_download(world)

    gina = _browser(client, "gina@globex.example").get(f"/agreements/{agreement_id}").text
    client.cookies.clear()
    alice = _browser(client, "alice@acme.example").get(f"/agreements/{agreement_id}").text

    assert copy_id in gina and "Certify for" not in gina
    assert "No copies were downloaded." in alice  # acme itself owes nothing back
    assert "Copies owed back to acme" in alice and copy_id in alice and "Not certified yet." in alice
