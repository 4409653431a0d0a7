"""The whole app on the S3-compatible blob store (moto's S3 server on loopback): a PDF uploaded
over HTTP, disclosed, downloaded as a stamped copy that traces back to its recipient; an
unstamped download answers a byte range from the object store."""

from __future__ import annotations

import os

import pytest
from fastapi.testclient import TestClient

from sharebound.adapters.s3blobs import S3BlobStore
from sharebound.adapters.stamping.reading import pdf_text
from sharebound.services import blobs, trace
from tests.e2e.conftest import WORLD_PASSWORD, sign_in
from tests.files import make_pdf
from tests.integration.world import World

GINA = "gina@globex.example"
S3 = pytest.mark.parametrize("blob_store", ["s3"], indirect=True)


@S3
def test_a_pdf_uploaded_to_the_s3_store_is_downloaded_as_a_stamped_copy_naming_its_recipient(
    client: TestClient, world: World
) -> None:
    assert isinstance(world.app.blobs, S3BlobStore)
    agreement = world.signed(schedule={"watermark_downloads": True})
    alice, gina = sign_in(client, "alice@acme.example", WORLD_PASSWORD), sign_in(client, GINA, WORLD_PASSWORD)
    original = make_pdf(pages=2)

    uploaded = alice.post("/items", files={"file": ("report.pdf", original, "application/pdf")},
                          data={"title": "Thermal report", "classification": "confidential",
                                "topics": "thermal"})
    made = alice.post("/disclosures", json={"item_id": uploaded.json()["id"], "agreement_id": agreement.id,
                                            "recipients": [GINA], "actions": ["view", "download"]})
    copy = gina.get(f"/disclosures/{made.json()['id']}/content")

    assert uploaded.status_code == 201, uploaded.text
    assert made.status_code == 201, made.text
    assert copy.status_code == 200
    copy_id = copy.headers["X-Sharebound-Copy"]
    assert all("Gina" in page and copy_id in page for page in pdf_text(copy.content))
    found = trace.trace_file(world.uow(), world.alice.id, copy.content)
    assert (found.copy.copy_id, found.recipient.email) == (copy_id, GINA)
    assert alice.get(f"/items/{uploaded.json()['id']}/content").content == original
    assert blobs.check_blobs(world.uow()).healthy


@S3
def test_a_byte_range_of_an_unstamped_download_comes_from_the_s3_store(
    client: TestClient, world: World
) -> None:
    agreement = world.signed(schedule={"watermark_downloads": False, "unreadable_files": "allow"})
    alice, gina = sign_in(client, "alice@acme.example", WORLD_PASSWORD), sign_in(client, GINA, WORLD_PASSWORD)
    original = os.urandom(3 * 1024 * 1024 + 77)
    uploaded = alice.post("/items", files={"file": ("fw.bin", original, "application/octet-stream")},
                          data={"title": "Firmware", "classification": "confidential", "topics": "thermal"})
    made = alice.post("/disclosures", json={"item_id": uploaded.json()["id"], "agreement_id": agreement.id,
                                            "recipients": [GINA], "actions": ["download"]})
    start, end = 1024 * 1024 - 10, 2 * 1024 * 1024 + 9  # across a segment's end

    part = gina.get(f"/disclosures/{made.json()['id']}/content", headers={"Range": f"bytes={start}-{end}"})
    whole = gina.get(f"/disclosures/{made.json()['id']}/content")

    assert part.status_code == 206
    assert part.content == original[start:end + 1]
    assert whole.status_code == 200 and whole.content == original
