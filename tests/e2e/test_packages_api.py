"""Folders, ZIP import and package disclosures over the JSON API, end to end: import a ZIP of
folders, disclose a folder as one package, the recipient reads it as a tree and downloads one
ZIP of stamped copies, each recorded; all-or-nothing by default, `allowed_only` on request."""

from __future__ import annotations

import hashlib
import io
import zipfile

from fastapi.testclient import TestClient

from sharebound.services import folders
from tests.e2e.conftest import WORLD_PASSWORD, sign_in
from tests.integration.world import World
from tests.zips import build, sample_files


def _import(api: object, data: bytes, **fields: str) -> dict[str, object]:
    answer = api.post("/items/import", files={"file": ("package.zip", data, "application/zip")},  # type: ignore[attr-defined]
                      data={"classification": "internal", "topics": "specs", **fields})
    assert answer.status_code == 200, answer.text
    return answer.json()  # type: ignore[no-any-return]


def test_a_folder_disclosed_as_one_package_downloads_as_one_zip_of_stamped_copies(
    client: TestClient, world: World,
) -> None:
    agreement = world.signed()
    alice = sign_in(client, world.alice.email, WORLD_PASSWORD)
    gina = sign_in(client, world.gina.email, WORLD_PASSWORD)
    report = _import(alice, build(sample_files(9)))
    specs = next(r for r in alice.get("/folders").json()["rows"] if r["name"] == "Specs")

    made = alice.post("/packages", json={"folder_id": specs["id"], "agreement_id": agreement.id,
                                         "recipients": [world.gina.email],
                                         "actions": ["view", "download"]})
    assert report["stored"] == 9
    assert made.status_code == 201, made.text
    package = gina.get(f"/packages/{made.json()['id']}").json()
    zipped = gina.get(f"/packages/{package['id']}/content")

    assert [(i["number"], i["path"]) for i in package["items"]] == [
        ("1.1.1", ["1 Specs", "1.1 Mechanical"]), ("1.1.2", ["1 Specs", "1.1 Mechanical"]),
        ("1.1.3", ["1 Specs", "1.1 Mechanical"]), ("1.2.1", ["1 Specs", "1.2 Electrical"]),
        ("1.2.2", ["1 Specs", "1.2 Electrical"])]
    assert zipped.status_code == 200 and zipped.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(zipped.content))
    names = archive.namelist()
    assert names[0] == "1 Specs/1.1 Mechanical/1.1.1 drawing-0004.png" and len(names) == 5
    with world.uow() as uow:
        recorded = {c.sha256 for i in package["items"] for c in uow.copies.of_disclosure(i["disclosure_id"])}
        register = [d for d in uow.disclosures.given_by("acme") if d.package_id == package["id"]]
    assert {hashlib.sha256(archive.read(n)).hexdigest() for n in names} == recorded  # each a recorded copy
    assert all(world.gina.name in archive.read(n).decode() for n in names if n.endswith(".txt"))
    assert len(register) == 5


def test_a_package_is_all_or_nothing_unless_only_the_allowed_items_are_asked_for(
    client: TestClient, world: World,
) -> None:
    agreement = world.signed()
    alice = sign_in(client, world.alice.email, WORLD_PASSWORD)
    _import(alice, build([("Box/a.txt", b"alpha"), ("Box/b.txt", b"beta")]),
            per_file='{"Box/b.txt": {"topics": ["pricing"]}}')
    box = folders.library(world.uow(), world.alice.id).folder_rows()[0]
    asked = {"folder_id": box.id, "agreement_id": agreement.id, "recipients": [world.gina.email],
             "actions": ["view"]}

    refused = alice.post("/packages", json=asked)
    partial = alice.post("/packages", json={**asked, "allowed_only": True})

    assert refused.status_code == 403
    assert [(i["title"], i["allowed"]) for i in refused.json()["items"]] == [
        ("a.txt", True), ("b.txt", False)]
    assert refused.json()["reasons"][0]["code"] == "topics"
    assert "1.2 b.txt" in refused.json()["reasons"][0]["message"]
    assert partial.status_code == 201, partial.text
    assert [i["title"] for i in partial.json()["items"]] == ["a.txt"]
    assert [i["title"] for i in partial.json()["left_out"]] == ["b.txt"]


def test_a_package_with_a_view_only_file_is_not_zipped_and_names_it(client: TestClient, world: World) -> None:
    agreement = world.signed()
    alice = sign_in(client, world.alice.email, WORLD_PASSWORD)
    gina = sign_in(client, world.gina.email, WORLD_PASSWORD)
    report = _import(alice, build([("a.txt", b"alpha")]))
    made = alice.post("/packages", json={"item_ids": [report["files"][0]["item_id"]],  # type: ignore[index]
                                         "agreement_id": agreement.id,
                                         "recipients": [world.gina.email], "actions": ["view"]})

    answer = gina.get(f"/packages/{made.json()['id']}/content")

    assert answer.status_code == 403
    assert answer.json()["items"][0]["title"] == "a.txt"
    assert answer.json()["reasons"][0]["code"] == "actions"


def test_a_bulk_upload_over_the_api_reports_each_file(client: TestClient, world: World) -> None:
    alice = sign_in(client, world.alice.email, WORLD_PASSWORD)

    answer = alice.post("/items/bulk", data={"classification": "internal"}, files=[
        ("files", ("a.txt", b"alpha", "text/plain")),
        ("files", ("b.pdf", b"not a pdf", "application/pdf"))])

    assert answer.status_code == 200, answer.text
    assert [(f["path"], f["outcome"]) for f in answer.json()["files"]] == [
        ("a.txt", "stored"), ("b.pdf", "refused")]
