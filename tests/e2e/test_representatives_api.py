"""Representatives and re-shares over the API: the journey, and each bad input a clear 4xx."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sharebound.services import auth, disclosures
from sharebound.services.disclosures import DisclosureDraft
from tests.e2e.conftest import WORLD_PASSWORD, sign_in
from tests.integration.test_representatives import JO, _invitation_token
from tests.integration.world import World

JO_PASSWORD = "jo's own passphrase"


def test_globex_names_acme_approves_globex_reshares_and_the_guest_downloads_the_chain(
        client: TestClient, world: World) -> None:
    agreement = world.signed()
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["view", "download"])).id
    grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    base = f"/agreements/{agreement.id}/representatives"

    named = grace.post(base, json=JO)
    assert named.status_code == 201, named.text
    rid = named.json()["id"]
    approved = alice.post(f"{base}/{rid}/approve")
    auth.accept_invitation(world.uow(), token=_invitation_token(world, JO["email"]), password=JO_PASSWORD)
    reshared = grace.post(f"/disclosures/{made}/reshares",
                          json={"representative_id": rid, "actions": ["download"]})
    jo = sign_in(client, JO["email"], JO_PASSWORD)
    copy = jo.get(f"/disclosures/{made}/content")
    seen_by_acme = alice.get(f"/disclosures/{made}/reshares").json()["items"]
    report = alice.get(f"/disclosures/{made}/accesses").json()["items"]

    assert approved.json()["state"] == "approved"
    assert reshared.status_code == 201, reshared.text
    assert reshared.json()["chain"] == [
        "acme", "globex", "Jo Smith <jo@precision.example> (Precision Parts Ltd)"]
    assert copy.status_code == 200 and "Acme → Globex to Jo Smith" in copy.text
    assert [r["id"] for r in seen_by_acme] == [reshared.json()["id"]]
    assert [(r["person_name"], r["action"]) for r in report] == [("Jo Smith", "download")]
    assert jo.get(f"/agreements/{agreement.id}").status_code == 404
    assert jo.get(f"/disclosures/{made}/reshares").status_code == 404
    assert jo.get(f"/partnerships/{world.partnership.id}").status_code == 404

    revoked = alice.post(f"/disclosures/{made}/revoke")
    assert revoked.status_code == 200
    assert jo.get(f"/disclosures/{made}/content").status_code == 403


def test_bad_representatives_and_reshares_are_clear_4xx(client: TestClient, world: World) -> None:
    agreement = world.signed()
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=["view"])).id
    grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)
    base = f"/agreements/{agreement.id}/representatives"
    rid = grace.post(base, json=JO).json()["id"]

    malformed = grace.post(base, json=JO | {"email": "jo at precision"})
    own = grace.post(base, json=JO | {"email": "gina@globex.example"})
    self_approved = grace.post(f"{base}/{rid}/approve")
    pending = grace.post(f"/disclosures/{made}/reshares",
                         json={"representative_id": rid, "actions": ["view"]})
    no_reason = grace.post(f"{base}/{rid}/decline", json={"reason": " "})
    elsewhere = grace.post(f"/agreements/{world.draft().id}/representatives/{rid}/approve")

    assert (malformed.status_code, list(malformed.json()["errors"])) == (422, ["email"])
    assert (own.status_code, own.json()["reasons"][0]["code"]) == (403, "representative")
    assert (self_approved.status_code, self_approved.json()["reasons"][0]["code"]) == (403, "party")
    assert (pending.status_code, pending.json()["reasons"][0]["code"]) == (403, "representative")
    assert no_reason.status_code == 422
    assert elsewhere.status_code == 404
