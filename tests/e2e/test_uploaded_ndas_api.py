"""Bring your own NDA through the API and the pages: upload, metadata, view only."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.corpus import corpus_file
from tests.e2e.conftest import WORLD_PASSWORD, sign_in, sign_in_page
from tests.integration.world import World

PDF_TYPE = "application/pdf"


def _form(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="(csrf|form_id)" value="([^"]+)"', page))


def test_an_uploaded_nda_is_read_by_the_partner_view_only_and_never_downloaded(
    client: TestClient, world: World,
) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)
    path = f"/partnerships/{world.partnership.id}/agreement-documents"

    made = alice.post(path, files={"file": ("signed nda.pdf", corpus_file("valid.pdf"), PDF_TYPE)})
    document = made.json()
    metadata = grace.get(f"/agreement-documents/{document['id']}")
    content = grace.get(f"/agreement-documents/{document['id']}/content")
    first_page = grace.get(content.json()["pages"][0].removeprefix("/api/v1"))

    assert made.status_code == 201, made.text
    assert document["governing_document"] == {
        "kind": "uploaded", "document_id": document["id"], "sha256": document["sha256"],
        "filename": "signed nda.pdf", "media_type": PDF_TYPE}
    assert metadata.json() == document
    assert content.json()["all_pages"] == 3 and len(content.json()["pages"]) == 3
    assert (first_page.status_code, first_page.headers["content-type"]) == (200, "image/png")
    assert first_page.headers["cache-control"] == "no-store"
    assert [d["id"] for d in grace.get(path).json()] == [document["id"]]


def test_an_encrypted_pdf_is_a_422_naming_the_file(client: TestClient, world: World) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    refused = alice.post(f"/partnerships/{world.partnership.id}/agreement-documents",
                         files={"file": ("locked.pdf", corpus_file("encrypted-password.pdf"), PDF_TYPE)})

    assert refused.status_code == 422
    assert refused.json()["errors"]["file"].startswith("locked.pdf is a PDF protected by a password")


def test_a_member_may_not_upload_and_an_outsider_sees_no_document(client: TestClient, world: World) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    gina = sign_in(client, "gina@globex.example", WORLD_PASSWORD)
    path = f"/partnerships/{world.partnership.id}/agreement-documents"
    document = alice.post(path, files={"file": ("nda.pdf", corpus_file("valid.pdf"), PDF_TYPE)}).json()

    denied = gina.post(path, files={"file": ("nda.pdf", corpus_file("valid.pdf"), PDF_TYPE)})

    assert denied.status_code == 403
    assert client.get(f"/api/v1/agreement-documents/{document['id']}").status_code == 401
    assert gina.get(f"/agreement-documents/{document['id']}/content").status_code == 200


def test_the_pages_upload_an_nda_and_show_it_as_page_images(client: TestClient, world: World) -> None:
    browser = sign_in_page(client, "alice@acme.example", WORLD_PASSWORD)
    new = f"/partnerships/{world.partnership.id}/agreement-documents/new"
    assert "Bring your own NDA" in browser.get(f"/partnerships/{world.partnership.id}").text

    bad = browser.post(new, data=_form(browser.get(new).text),
                       files={"file": ("nda.pdf", corpus_file("truncated.pdf"), PDF_TYPE)})
    done = browser.post(new, data=_form(browser.get(new).text),
                        files={"file": ("nda.pdf", corpus_file("valid.pdf"), PDF_TYPE)},
                        follow_redirects=False)
    shown = browser.get(done.headers["location"])

    assert bad.status_code == 422 and "nda.pdf is a damaged PDF" in bad.text
    assert done.status_code == 303 and done.headers["location"].startswith("/agreement-documents/doc_")
    assert shown.text.count('class="page"') == 3
    image = browser.get(re.findall(r'src="(/agreement-documents/[^"]+\.png)"', shown.text)[0])
    assert image.headers["content-type"] == "image/png"
    assert "Map it to a sharing schedule" in shown.text
