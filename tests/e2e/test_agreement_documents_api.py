"""The agreement document through the API and the pages: what is signed is what is shown."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient
from sqlalchemy import update

from sharebound.adapters.db.tables import agreement_versions
from tests.e2e.conftest import WORLD_PASSWORD, csrf_of, sign_in, sign_in_page, sign_up
from tests.factories import terms_json
from tests.integration.world import World


def test_an_agreement_answers_its_document_governing_document_and_confidential_until(
        client: TestClient) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")
    globex = sign_up(client, "globex", "grace@globex.example")
    partnership = acme.post("/partnerships", json={
        "name": "Joint sensor", "purpose": "new_product", "invite": ["globex"]}).json()
    globex.post(f"/partnerships/{partnership['id']}/accept")
    terms = terms_json(effective_date="2027-01-01", term_end="2028-01-01")
    del terms["party_details"], terms["notice"]  # the org profiles fill them

    answer = acme.post(f"/partnerships/{partnership['id']}/agreements", json={"terms": terms})
    agreement = answer.json()

    assert answer.status_code == 201, answer.text
    assert hashlib.sha256(agreement["document"].encode()).hexdigest() == agreement["digest"]
    assert "1. Acme Corporation" in agreement["document"]
    assert agreement["document_format"] == 2
    assert agreement["governing_document"] == {"kind": "standard", "id": "sharebound-mutual",
                                               "version": "1.0"}
    assert agreement["standard_terms"]["sha256"] in agreement["document"]
    assert agreement["confidential_until"] == "2031-01-01"
    assert agreement["terms"]["party_details"]["globex"]["notice"]["email"] == "legal@globex.example"


def test_standard_terms_are_listed_and_read_byte_for_byte_by_anyone_signed_in(client: TestClient) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")

    listed = acme.get("/standard-terms").json()
    mutual = next(t for t in listed if t["id"] == "sharebound-mutual")
    text = acme.get(f"/standard-terms/sharebound-mutual/{mutual['version']}")
    unknown = acme.get("/standard-terms/sharebound-mutual/9.9")
    anonymous = client.get("/api/v1/standard-terms")

    assert hashlib.sha256(text.content).hexdigest() == mutual["sha256"] == text.headers["x-content-sha256"]
    assert text.headers["content-type"].startswith("text/markdown")
    assert (unknown.status_code, anonymous.status_code) == (404, 401)


def test_an_admin_sets_the_legal_profile_and_bad_fields_are_named(client: TestClient) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")
    sign_up(client, "globex", "grace@globex.example")

    saved = acme.patch("/orgs/acme", json={"legal_name": "Acme Holdings plc", "notice_email": None})
    bad = acme.patch("/orgs/acme", json={"notice_email": "not an email"})
    other = acme.patch("/orgs/globex", json={"legal_name": "Mine now"})

    assert saved.status_code == 200, saved.text
    assert (saved.json()["legal_name"], saved.json()["notice_email"]) == ("Acme Holdings plc", None)
    assert saved.json()["address"].startswith("1 Acme Way")
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"notice_email"}
    assert other.status_code == 404


def test_a_draft_without_a_legal_name_anywhere_is_refused_naming_the_field(client: TestClient) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")
    globex = sign_up(client, "globex", "grace@globex.example")
    globex.patch("/orgs/globex", json={"legal_name": "", "address": ""})
    partnership = acme.post("/partnerships", json={
        "name": "Joint sensor", "purpose": "new_product", "invite": ["globex"]}).json()
    globex.post(f"/partnerships/{partnership['id']}/accept")
    terms = terms_json(effective_date="2027-01-01", term_end="2028-01-01")
    del terms["party_details"]
    path = f"/partnerships/{partnership['id']}/agreements"

    answer = acme.post(path, json={"terms": terms})
    too_long = acme.post(path, json={"terms": terms | {"modifications": "x" * 20_001}})

    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"party_details.globex.legal_name", "party_details.globex.address",
                                            "party_details.globex.notice.address"}
    assert too_long.status_code == 422 and set(too_long.json()["errors"]) == {"terms.modifications"}


def test_the_agreement_page_shows_the_document_as_signed_and_the_standard_terms(
        client: TestClient, world: World) -> None:
    agreement = world.signed()
    sign_in_page(client, "alice@acme.example", WORLD_PASSWORD)

    page = client.get(f"/agreements/{agreement.id}").text

    assert "Sharebound Mutual NDA Standard Terms, version 1.0" in page
    assert "13.8 Counterparts." in page
    assert 'id="confidential-until"' in page and "confidential until" in page
    assert "1. Acme Corporation (Sharebound organization &#34;acme&#34;)" in page


def test_the_draft_form_is_prefilled_from_the_org_profiles_and_drafts_with_them(
        client: TestClient, world: World) -> None:
    sign_in_page(client, "alice@acme.example", WORLD_PASSWORD)
    form = client.get(f"/partnerships/{world.partnership.id}/agreements/new").text

    assert 'value="Globex Corporation"' in form
    data = {"csrf": csrf_of(form), "form_id": form.split('name="form_id" value="')[1].split('"')[0],
            "kind": "mutual", "parties": ["acme", "globex"], "purpose": "Evaluate a sensor",
            "effective_date": "2027-03-01", "term_end": "2028-03-01", "confidentiality_years": "2",
            "governing_law": "Delaware", "courts": "New Castle County",
            "governing_document.kind": "reference",
            "governing_document.name": "Bonterms Mutual NDA", "governing_document.version": "1.0",
            "governing_document.url": "https://bonterms.com/forms/mutual-nda/",
            "modifications": "Section 9.3 does not apply.",
            "schedule.ceiling": "confidential", "schedule.recipients.mode": "all_members",
            "schedule.actions": ["view"], "schedule.max_access_days": "30", "schedule.return_days": "30"}
    for org, details in (("acme", "Acme Corporation"), ("globex", "Globex Corporation")):
        data |= {f"party_details.{org}.legal_name": details,
                 f"party_details.{org}.address": "1 Way\r\nTown",
                 f"party_details.{org}.notice.name": "Counsel",
                 f"party_details.{org}.notice.email": f"legal@{org}.example",
                 f"party_details.{org}.notice.address": "1 Way\r\nTown"}

    answer = client.post(f"/partnerships/{world.partnership.id}/agreements/new", data=data,
                         follow_redirects=False)

    assert answer.status_code == 303, answer.text
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    made = alice.get(f"/agreements/{answer.headers['location'].rsplit('/', 1)[1]}").json()
    assert "Incorporated by reference: Bonterms Mutual NDA, version 1.0" in made["document"]
    assert "Section 9.3 does not apply." in made["document"]
    assert made["standard_terms"] is None


def test_a_damaged_agreement_answers_a_500_problem_saying_so(client: TestClient, world: World) -> None:
    agreement = world.signed()
    with world.app.engine.begin() as connection:
        connection.execute(update(agreement_versions).values(document=b"something else\n"))
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    answer = alice.get(f"/agreements/{agreement.id}")

    assert answer.status_code == 500
    assert answer.json()["title"] == "Agreement record is damaged"
