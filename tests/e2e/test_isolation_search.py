"""Search in the isolation matrix's world: each caller finds exactly what they may read.

The matrix (test_isolation_matrix.py) checks that no answer of `GET /api/v1/search` carries a
secret its caller may not see; this file says what each caller does find."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sharebound.bootstrap import App
from sharebound.services import disclosures
from tests.e2e.matrix_world import CALLERS, MatrixWorld, build_matrix_world


@pytest.fixture
def world(app: App) -> MatrixWorld:
    return build_matrix_world(app)


def _found(client: TestClient, world: MatrixWorld, caller: str, q: str = "kestrel") -> set[str]:
    answer = client.get("/api/v1/search", params={"q": q}, headers=world.headers(caller))
    assert answer.status_code == (401 if caller == "anonymous" else 200), answer.text
    return {h["disclosure_id"] or h["item_id"] for h in answer.json().get("items", [])}


def test_each_caller_finds_exactly_what_they_may_read(client: TestClient, world: MatrixWorld) -> None:
    found = {caller: _found(client, world, caller) for caller in CALLERS}

    assert found == {
        "admin": {world.item, world.jewel}, "signer": {world.item, world.jewel},
        "member": {world.item, world.jewel},
        "recipient": {world.disclosure},  # what was disclosed to gina, not acme's library
        "partner": set(),  # globex's admin reads its register, not the content it received
        "outsider": set(), "anonymous": set(),
        "guest": {world.disclosure},  # jo: only what globex re-shared to jo
    }


def test_a_revoked_disclosure_leaves_the_recipients_and_the_guests_results(
    client: TestClient, world: MatrixWorld,
) -> None:
    disclosures.revoke_disclosure(world.app.uow(), world.people["admin"].id, world.disclosure,
                                  reason="sent too early")

    assert _found(client, world, "recipient") == set()
    assert _found(client, world, "guest") == set()
    assert _found(client, world, "member") == {world.item, world.jewel}


@pytest.mark.parametrize("caller", ["recipient", "guest"])
def test_a_received_or_reshared_hit_carries_no_word_of_its_text(
    client: TestClient, world: MatrixWorld, caller: str,
) -> None:
    answer = client.get("/api/v1/search", params={"q": "500"}, headers=world.headers(caller))

    [hit] = answer.json()["items"]
    assert (hit["disclosure_id"], hit["snippet_html"], hit["found_in"]) == (world.disclosure, "", "text")
    assert not any(w in answer.text for w in ("under 0.2", "85 C", "note-body"))
