"""Range requests on an unstamped download: one byte range of a sealed blob (decrypted from
the segments it covers) or of a plaintext blob from before encryption, 206 with its
Content-Range; 416 when it starts past the end; several ranges of a sealed blob get it whole."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from sharebound.adapters.blobs import LocalBlobStore
from sharebound.adapters.sealed import SEGMENT
from sharebound.services import disclosures, items
from sharebound.services.disclosures import DisclosureDraft
from tests.e2e.conftest import WORLD_PASSWORD, Api, sign_in
from tests.integration.world import World

GINA = "gina@globex.example"
SIZE = 2 * SEGMENT + 12_345  # why: three segments, the last one short


@dataclass
class Shared:
    gina: Api
    url: str
    original: bytes


def _share(client: TestClient, world: World, *, sealed: bool) -> Shared:
    original = os.urandom(SIZE)
    agreement = world.signed(schedule={"watermark_downloads": False, "unreadable_files": "allow"})
    item = items.add_item(world.uow(), world.alice.id, title="Firmware", classification="confidential",
                          topics=["thermal"], content=original, kind="file",
                          media_type="application/octet-stream", filename="fw.bin")
    if not sealed:  # as the store wrote it before encryption: plaintext, named by its SHA-256
        blobs = world.app.blobs
        sha256 = item.current.sha256
        LocalBlobStore(blobs.root).put(original, org="acme")
        blobs.path(blobs.name_of(sha256, org="acme")).unlink()
        assert blobs.local_path(sha256, org="acme") is not None
    made = disclosures.disclose(world.uow(), world.alice.id, DisclosureDraft(
        item_id=item.id, agreement_id=agreement.id, recipients=[GINA], actions=["download"]))
    return Shared(sign_in(client, GINA, WORLD_PASSWORD), f"/disclosures/{made.id}/content", original)


RANGES = {
    "bytes=0-0": (0, 1),
    "bytes=100-199": (100, 200),
    f"bytes={SEGMENT - 10}-{SEGMENT + 9}": (SEGMENT - 10, SEGMENT + 10),  # across a segment's end
    f"bytes={SEGMENT + 5}-": (SEGMENT + 5, SIZE),
    "bytes=-100": (SIZE - 100, SIZE),
    f"bytes=-{SIZE + 50}": (0, SIZE),
    f"bytes=7-{SIZE * 2}": (7, SIZE),
}


@pytest.mark.parametrize("sealed", [True, False], ids=["sealed", "plaintext"])
@pytest.mark.parametrize("asked", list(RANGES))
def test_one_byte_range_of_an_unstamped_download_is_answered_206_with_its_bytes(
    client: TestClient, world: World, sealed: bool, asked: str
) -> None:
    shared = _share(client, world, sealed=sealed)
    start, end = RANGES[asked]

    answer = shared.gina.get(shared.url, headers={"Range": asked})

    assert answer.status_code == 206
    assert answer.content == shared.original[start:end]
    assert answer.headers["content-range"] == f"bytes {start}-{end - 1}/{SIZE}"
    assert answer.headers["content-length"] == str(end - start)


@pytest.mark.parametrize("sealed", [True, False], ids=["sealed", "plaintext"])
@pytest.mark.parametrize("asked", [f"bytes={SIZE}-", f"bytes={SIZE + 10}-{SIZE + 20}", "bytes=-0"])
def test_a_range_past_the_end_is_answered_416_with_the_size(
    client: TestClient, world: World, sealed: bool, asked: str
) -> None:
    shared = _share(client, world, sealed=sealed)

    answer = shared.gina.get(shared.url, headers={"Range": asked})

    assert answer.status_code == 416
    assert answer.headers["content-range"] == f"bytes */{SIZE}"
    assert answer.content == b""


@pytest.mark.parametrize("asked", ["bytes=0-9,20-29", "bytes=20-10", "items=0-9", "bytes=x-y"])
def test_several_or_unreadable_ranges_of_a_sealed_blob_get_the_whole_file(
    client: TestClient, world: World, asked: str
) -> None:
    shared = _share(client, world, sealed=True)

    answer = shared.gina.get(shared.url, headers={"Range": asked})

    assert answer.status_code == 200
    assert answer.content == shared.original
    assert answer.headers["content-length"] == str(SIZE)
    assert answer.headers["accept-ranges"] == "bytes"


def test_a_sealed_download_without_a_range_is_the_whole_file_and_offers_ranges(
    client: TestClient, world: World
) -> None:
    shared = _share(client, world, sealed=True)

    answer = shared.gina.get(shared.url)

    assert answer.status_code == 200 and answer.content == shared.original
    assert answer.headers["accept-ranges"] == "bytes"
    assert answer.headers["content-length"] == str(SIZE)
