"""The library's folder forms over HTTP, as a browser without JavaScript posts them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from sharebound.services import folders
from tests.e2e.conftest import WORLD_PASSWORD, csrf_of, sign_in_page
from tests.integration.world import World


def _post(client: TestClient, path: str, **fields: str) -> str:
    page = client.get("/items").text
    form_id = page.split('name="form_id" value="')[1].split('"')[0]
    answer = client.post(path, data={"csrf": csrf_of(page), "form_id": form_id, **fields},
                         follow_redirects=True)
    assert answer.status_code == 200, answer.text
    return answer.text


def _numbers(world: World) -> list[tuple[str, str]]:
    return [(r.number, r.name) for r in folders.library(world.uow(), world.alice.id).rows]


def test_folders_are_made_renamed_moved_and_deleted_from_the_library_page(
    client: TestClient, world: World,
) -> None:
    sign_in_page(client, world.alice.email, WORLD_PASSWORD)
    _post(client, "/folders/new", name="Specs")
    _post(client, "/folders/new", name="Reports")
    specs, reports = (r.id for r in folders.library(world.uow(), world.alice.id).folder_rows())

    _post(client, f"/folders/{reports}/edit", name="Test reports", parent_id=specs, index="")
    refused = _post(client, f"/folders/{specs}/edit", name="", parent_id=reports, index="")
    shown = client.get("/items").text

    assert _numbers(world) == [("1", "Specs"), ("1.1", "Test reports")]
    assert "own subfolders" in refused
    assert '<td class="number">1.1</td>' in shown
    assert "not empty" not in _post(client, f"/folders/{reports}/delete")
    assert _numbers(world) == [("1", "Specs")]


def test_an_item_moves_into_a_folder_from_its_page(client: TestClient, world: World) -> None:
    sign_in_page(client, world.alice.email, WORLD_PASSWORD)
    box = folders.create_folder(world.uow(), world.alice.id, "Box")
    note = world.note(by=world.alice)
    page = client.get(f"/items/{note}").text
    form_id = page.split('name="form_id" value="')[1].split('"')[0]

    answer = client.post(f"/items/{note}/edit", data={
        "csrf": csrf_of(page), "form_id": form_id, "title": "Thermal test results", "topics": "thermal",
        "body": "Drift under 0.2 K", "folder_id": box.id}, follow_redirects=True)

    assert answer.status_code == 200, answer.text
    assert _numbers(world) == [("1", "Box"), ("1.1", "Thermal test results")]
