"""A new user's journey through the JSON API alone, as the docs describe it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.corpus import corpus_file
from tests.e2e.conftest import sign_through_api, sign_up
from tests.factories import terms_json


def test_two_orgs_sign_an_nda_share_a_note_and_see_a_crown_jewel_refused(client: TestClient) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")
    globex = sign_up(client, "globex", "grace@globex.example")

    partnership = acme.post("/partnerships", json={
        "name": "Joint sensor", "purpose": "new_product", "invite": ["globex"]}).json()
    accepted = globex.post(f"/partnerships/{partnership['id']}/accept")
    terms = terms_json(effective_date="2027-01-01", term_end="2028-01-01")
    agreement = acme.post(f"/partnerships/{partnership['id']}/agreements", json={"terms": terms}).json()
    for party in (acme, globex):
        signed = sign_through_api(party, agreement["id"], agreement["digest"])
        assert signed.status_code == 200, signed.text
    note = acme.post("/items", json={"title": "Thermal test results", "body": "Drift under 0.2 K",
                                     "classification": "confidential", "topics": ["thermal"]}).json()
    jewel = acme.post("/items", json={"title": "Die layout", "body": "The crown jewel",
                                      "classification": "restricted", "topics": ["design"]}).json()
    ask = {"item_id": note["id"], "agreement_id": agreement["id"],
           "recipients": ["grace@globex.example"], "actions": ["view"]}
    check = acme.post("/disclosures/check", json=ask).json()
    disclosure = acme.post("/disclosures", json=ask)
    refused = acme.post("/disclosures", json={**ask, "item_id": jewel["id"]})
    received = globex.get(f"/disclosures/{disclosure.json()['id']}").json()

    assert accepted.json()["status"] == "active"
    assert signed.json()["status"] == "in_force"
    assert check == {"allowed": True, "reasons": []}
    assert disclosure.status_code == 201, disclosure.text
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["reasons"] == [{
        "code": "ceiling", "term": "schedule.ceiling",
        "message": "restricted information is a crown jewel: it is never disclosed"}]
    assert received["body"] == "Drift under 0.2 K"
    assert received["agreement_digest"] == agreement["digest"]


def test_errors_are_problem_documents_naming_what_is_wrong(client: TestClient) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")

    unknown_field = acme.post("/partnerships", json={"name": "X", "purpose": "other",
                                                      "invite": ["globex"], "colour": "red"})
    malformed = acme.post("/items", content=b"{not json", headers={"content-type": "application/json"})
    missing = acme.get("/items/itm_0000")
    anonymous = client.get("/api/v1/me")
    huge = acme.post("/items", content=b"x" * 2_000_000, headers={"content-type": "application/json"})

    assert unknown_field.status_code == 422
    assert unknown_field.json()["errors"] == {"colour": "is not a field of this request"}
    assert malformed.status_code == 422
    assert missing.status_code == 404 and missing.json()["title"] == "Not found"
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == "Bearer"
    assert huge.status_code == 413
    for answer in (unknown_field, malformed, missing, anonymous, huge):
        assert set(answer.json()) >= {"type", "title", "status", "detail"}
        assert "Traceback" not in answer.text and "SELECT" not in answer.text


def test_every_answer_carries_the_security_headers(client: TestClient) -> None:
    answer = client.get("/api/docs")

    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert "<script>" not in answer.text and "cdn" not in answer.text.lower()


def test_an_upload_whose_declared_type_its_content_contradicts_is_refused(client: TestClient) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")

    fake = acme.post("/items", files={"file": ("report.pdf", b"just some text", "application/pdf")},
                     data={"title": "Report", "classification": "internal"})
    scan = corpus_file("valid.pdf")
    real = acme.post("/items", files={"file": ("scan.bin", scan, "application/octet-stream")},
                     data={"title": "Scan", "classification": "internal"})

    assert fake.status_code == 422
    assert fake.json()["errors"] == {"file": "is declared as application/pdf but its content is text/plain"}
    assert real.status_code == 201 and real.json()["versions"][0]["media_type"] == "application/pdf"
    assert [i["title"] for i in acme.get("/items").json()["items"]] == ["Scan"]
