"""A stamped download of a PDF of several MiB over a real server (uvicorn on loopback): the
copy is stamped into a spool file on disk, streamed from it in chunks of at most 1 MiB, hashed
as recorded, and the spool file is gone once the response ends, also when the client leaves
early; a package's ZIP copies the spool in pieces."""

from __future__ import annotations

import hashlib
import http.client
import io
import json
import os
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pikepdf import Dictionary, Name, Pdf

from sharebound.adapters.stamping.reading import pdf_text
from sharebound.bootstrap import App
from sharebound.domain.stamps import parse_copy_id
from sharebound.services import disclosures, items
from sharebound.services.disclosures import DisclosureDraft
from sharebound.web import create_app
from sharebound.web.downloads import COPY_HEADER, SPOOL_CHUNK
from tests.e2e.conftest import WORLD_PASSWORD, sign_in
from tests.integration.servers import AppServer
from tests.integration.world import World

GINA = "gina@globex.example"
PAGES = 12  # why: 12 MB, well over what a spool keeps in memory (adapters/spool.IN_MEMORY)


def _scanned_pdf(pages: int) -> bytes:
    """A PDF of `pages` pages, each one 1 MB image (random bytes declared as a JPEG: qpdf
    copies them as they are, as it does a scan's)."""
    pdf = Pdf.new()
    for _ in range(pages):
        page = pdf.add_blank_page(page_size=(612, 792))
        image = pdf.make_stream(os.urandom(1_000_000), Type=Name.XObject, Subtype=Name.Image,
                                Width=1000, Height=1000, ColorSpace=Name.DeviceGray,
                                BitsPerComponent=8, Filter=Name.DCTDecode)
        page.Resources = Dictionary(XObject=Dictionary(Im0=image))
        page.Contents = pdf.make_stream(b"q 612 0 0 792 0 0 cm /Im0 Do Q")
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _spool_files(app: App) -> list[str]:
    """The files of this process open in the instance's spool folder (unnamed: `… (deleted)`)."""
    folder, found = str(app.settings.spool_dir), []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # why: closed between the listing and the look
            continue
        if target.startswith(folder + "/"):
            found.append(target)
    return found


@dataclass
class _Recorder:
    """The app, recording the size of each body message it sends, and the spool files open
    when the first one goes out."""

    app: Any
    spool_files: Callable[[], list[str]]
    bodies: list[int] = field(default_factory=list)
    open_at_start: list[str] = field(default_factory=list)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def recording(message: Any) -> None:
            if message["type"] == "http.response.body" and scope["path"].endswith("/content"):
                if not self.bodies:
                    self.open_at_start = self.spool_files()
                self.bodies.append(len(message.get("body", b"")))
            await send(message)

        await self.app(scope, receive, recording)


@dataclass
class _Served:
    port: int
    recorder: _Recorder
    url: str
    headers: dict[str, str]

    @contextmanager
    def get(self, extra: dict[str, str] | None = None) -> Iterator[http.client.HTTPResponse]:
        """The download's response, its body still unread; the connection closes at the end."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("GET", self.url, headers={**self.headers, **(extra or {})})
            yield connection.getresponse()
        finally:
            connection.close()


@pytest.fixture
def served(app: App, world: World) -> Iterator[_Served]:
    agreement = world.signed(schedule={"watermark_downloads": True})
    item = items.add_item(world.uow(), world.alice.id, title="Scanned test report",
                          classification="confidential", topics=["thermal"],
                          content=_scanned_pdf(PAGES), kind="file", media_type="application/pdf",
                          filename="scan.pdf")
    made = disclosures.disclose(world.uow(), world.alice.id, DisclosureDraft(
        item_id=item.id, agreement_id=agreement.id, recipients=[GINA], actions=["download"]))
    recorder = _Recorder(create_app(core=app), lambda: _spool_files(app))
    with AppServer(recorder) as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        connection.request("POST", "/api/v1/auth/token", headers={"Content-Type": "application/json"},
                           body=json.dumps({"email": GINA, "password": WORLD_PASSWORD}))
        token = connection.getresponse()
        assert token.status == 201
        bearer = json.loads(token.read())["token"]
        connection.close()
        yield _Served(server.port, recorder, f"/api/v1/disclosures/{made.id}/content",
                      {"Authorization": f"Bearer {bearer}"})


def _gone(app: App) -> bool:
    deadline = time.monotonic() + 10  # why: the server's thread closes the file after its last send
    while _spool_files(app):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_stamped_pdf_of_several_mib_is_streamed_from_a_spool_file_that_is_removed_afterwards(
    app: App, world: World, served: _Served
) -> None:
    with served.get() as answer:
        body = answer.read()

    assert answer.status == 200
    assert len(served.recorder.open_at_start) == 1  # the copy waited on disk, in the spool folder
    sent = [size for size in served.recorder.bodies if size]
    assert len(sent) >= PAGES and max(sent) <= SPOOL_CHUNK and sum(sent) == len(body)
    assert int(answer.headers["content-length"]) == len(body)
    copy_id = parse_copy_id(answer.headers[COPY_HEADER])
    assert copy_id is not None
    with world.uow().reading() as uow:
        record = uow.copies.get(copy_id)
    assert record is not None and record.sha256 == hashlib.sha256(body).hexdigest()
    assert answer.headers[COPY_HEADER] in pdf_text(body)[-1]
    assert _gone(app)
    assert not list(Path(app.settings.spool_dir).iterdir())  # unnamed: nothing ever shows in the folder


def test_the_spool_file_is_removed_when_the_client_leaves_early(
    app: App, world: World, served: _Served
) -> None:
    with served.get() as answer:
        first = answer.read(64 * 1024)
        copy_id = parse_copy_id(answer.headers[COPY_HEADER])
    # the connection closed with most of the copy unread

    assert first.startswith(b"%PDF-") and len(served.recorder.open_at_start) == 1
    assert _gone(app)
    with world.uow().reading() as uow:  # the copy was recorded before a byte went out
        assert copy_id is not None and uow.copies.get(copy_id) is not None


def test_a_range_of_a_stamped_copy_gets_the_whole_copy_since_each_request_is_a_new_copy(
    app: App, served: _Served
) -> None:
    with served.get({"Range": "bytes=1024-"}) as answer:
        body = answer.read()

    # a resumed download would splice two copies with different ids: it gets the whole one
    assert answer.status == 200 and body.startswith(b"%PDF-")
    assert int(answer.headers["content-length"]) == len(body) > 1024
    assert answer.headers["accept-ranges"] == "none" and "content-range" not in answer.headers
    assert _gone(app)


def test_a_package_zip_copies_a_large_stamped_pdf_from_its_spool_in_pieces(
    app: App, world: World, client: TestClient
) -> None:
    agreement = world.signed(schedule={"watermark_downloads": True})
    item = items.add_item(world.uow(), world.alice.id, title="Scanned appendix",
                          classification="confidential", topics=["thermal"],
                          content=_scanned_pdf(6), kind="file", media_type="application/pdf",
                          filename="appendix.pdf")
    alice = sign_in(client, world.alice.email, WORLD_PASSWORD)
    gina = sign_in(client, GINA, WORLD_PASSWORD)
    made = alice.post("/packages", json={"item_ids": [item.id], "agreement_id": agreement.id,
                                         "recipients": [GINA], "actions": ["download"]})
    assert made.status_code == 201, made.text

    zipped = gina.get(f"/packages/{made.json()['id']}/content")

    assert zipped.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(zipped.content))
    (name,) = archive.namelist()
    copy = archive.read(name)
    with world.uow().reading() as uow:
        disclosure_id = uow.disclosures.given_by("acme")[0].id
        (record,) = uow.copies.of_disclosure(disclosure_id)
    assert record.sha256 == hashlib.sha256(copy).hexdigest() and len(copy) > 6_000_000
    assert record.copy_id in pdf_text(copy)[-1]
    assert _gone(app)
