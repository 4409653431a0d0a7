"""Bulk upload with each file's own classification and topics: the page's rows (as its script
sends them), the same fields on the API, and the whole upload's values where a row is empty
or the browser runs no script."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from sharebound.services import folders
from tests.e2e.conftest import WORLD_PASSWORD, csrf_of, sign_in, sign_in_page
from tests.integration.world import World

FILES = [("files", ("a.txt", b"alpha", "text/plain")), ("files", ("b.txt", b"beta", "text/plain")),
         ("files", ("c.txt", b"gamma", "text/plain"))]


def _stored(world: World) -> dict[str, tuple[str, list[str]]]:
    rows = folders.library(world.uow(), world.alice.id).rows
    return {r.name: (r.item.classification.value, sorted(r.item.topics)) for r in rows if r.item}


def _form(client: TestClient) -> dict[str, str]:
    page = client.get("/items").text
    return {"csrf": csrf_of(page), "form_id": page.split('name="form_id" value="')[1].split('"')[0]}


def test_the_upload_page_stores_each_files_own_classification_and_topics(
        client: TestClient, world: World) -> None:
    sign_in_page(client, world.alice.email, WORLD_PASSWORD)
    page = client.get("/items").text
    assert 'id="bulk-per-file"' in page and "/static/uploads.js" in page

    answer = client.post("/items/upload", files=FILES, data={
        **_form(client), "classification": "internal", "topics": "specs",
        "per_file.a.txt.classification": "confidential", "per_file.a.txt.topics": "pricing, specs",
        "per_file.b.txt.classification": "", "per_file.b.txt.topics": "thermal",
        "per_file.c.txt.classification": "", "per_file.c.txt.topics": ""})

    assert answer.status_code == 200, answer.text
    assert _stored(world) == {"a.txt": ("confidential", ["pricing", "specs"]),
                              "b.txt": ("internal", ["thermal"]), "c.txt": ("internal", ["specs"])}


def test_without_the_script_the_whole_uploads_values_apply_to_every_file(
        client: TestClient, world: World) -> None:
    sign_in_page(client, world.alice.email, WORLD_PASSWORD)

    answer = client.post("/items/upload", files=FILES, data={
        **_form(client), "classification": "confidential", "topics": "specs"})

    assert answer.status_code == 200, answer.text
    assert _stored(world) == {name: ("confidential", ["specs"]) for name in ("a.txt", "b.txt", "c.txt")}


def test_a_bad_per_file_value_is_named_and_nothing_is_stored(client: TestClient, world: World) -> None:
    sign_in_page(client, world.alice.email, WORLD_PASSWORD)

    answer = client.post("/items/upload", files=FILES, data={
        **_form(client), "classification": "internal",
        "per_file.a.txt.classification": "secret", "per_file.z.txt.topics": "x"})

    assert answer.status_code == 422
    assert "a.txt.classification: must be" in answer.text
    assert _stored(world) == {}


def test_the_api_takes_the_same_per_file_fields_beside_the_per_file_json(
        client: TestClient, world: World) -> None:
    alice = sign_in(client, world.alice.email, WORLD_PASSWORD)
    data: dict[str, Any] = {"classification": "internal", "topics": "specs",
                            "per_file": '{"a.txt": {"topics": ["pricing"]}, "c.txt": {"topics": ["x"]}}',
                            "per_file.a.txt.classification": "confidential",
                            "per_file.c.txt.topics": "thermal"}

    answer = alice.post("/items/bulk", files=FILES, data=data)

    assert answer.status_code == 200, answer.text
    assert _stored(world) == {"a.txt": ("confidential", ["pricing"]), "b.txt": ("internal", ["specs"]),
                              "c.txt": ("internal", ["thermal"])}
