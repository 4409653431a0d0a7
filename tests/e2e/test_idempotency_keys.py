"""`Idempotency-Key` on the API's POSTs: a retry creates nothing twice and gets the same answer."""

from __future__ import annotations

import hashlib
import json

import pytest
from fastapi.testclient import TestClient

from sharebound.bootstrap import App
from sharebound.domain.idempotency import KeyScope
from sharebound.services import idempotency
from tests.conftest import FakeClock
from tests.e2e.conftest import WORLD_PASSWORD, Api, sign_in
from tests.integration.world import World


@pytest.fixture
def alice(client: TestClient, world: World) -> Api:
    return sign_in(client, "alice@acme.example", WORLD_PASSWORD)


def _disclosure(world: World) -> dict[str, object]:
    agreement = world.signed()
    return {"item_id": world.note(), "agreement_id": agreement.id,
            "recipients": ["gina@globex.example"], "actions": ["view"]}


def _given(alice: Api) -> list[dict[str, object]]:
    answer = alice.get("/disclosures", params={"direction": "given"})
    assert answer.status_code == 200, answer.text
    items: list[dict[str, object]] = answer.json()["items"]
    return items


def test_a_retried_disclosure_with_the_same_key_creates_one_and_gets_the_same_answer(
        alice: Api, world: World) -> None:
    ask = _disclosure(world)

    first = alice.post("/disclosures", json=ask, headers={"Idempotency-Key": "retry-1"})
    again = alice.post("/disclosures", json=ask, headers={"Idempotency-Key": "retry-1"})

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert [d["id"] for d in _given(alice)] == [first.json()["id"]]


def test_without_a_key_a_retry_makes_a_second_disclosure(alice: Api, world: World) -> None:
    ask = _disclosure(world)

    alice.post("/disclosures", json=ask)
    alice.post("/disclosures", json=ask)

    assert len(_given(alice)) == 2


def test_a_retried_upload_creates_one_item_even_with_a_new_multipart_boundary(alice: Api) -> None:
    def upload() -> object:  # each call draws its own boundary, as a retrying client does
        return alice.post("/items", files={"file": ("notes.txt", b"drift under 0.2 K", "text/plain")},
                          data={"title": "Notes", "classification": "internal"},
                          headers={"Idempotency-Key": "upload-7"})

    first, again = upload(), upload()

    assert (first.status_code, again.status_code) == (201, 201)  # type: ignore[attr-defined]
    assert again.json()["id"] == first.json()["id"]  # type: ignore[attr-defined]
    assert [i["title"] for i in alice.get("/items").json()["items"]].count("Notes") == 1


def test_the_same_key_with_another_body_is_422_naming_the_header_and_changes_nothing(
        alice: Api, world: World) -> None:
    ask = _disclosure(world)
    first = alice.post("/disclosures", json=ask, headers={"Idempotency-Key": "k"})

    other = alice.post("/disclosures", json={**ask, "note": "changed"}, headers={"Idempotency-Key": "k"})

    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["errors"]
    assert [d["id"] for d in _given(alice)] == [first.json()["id"]]


def test_a_duplicate_while_the_first_is_still_running_is_409(alice: Api, world: World, app: App) -> None:
    ask = _disclosure(world)
    # the first request claimed the key and is still running (another process)
    idempotency.begin(app.uow(), KeyScope(world.alice.id, "POST", "/api/v1/disclosures", "busy"), "idk_first")

    duplicate = alice.post("/disclosures", json=ask, headers={"Idempotency-Key": "busy"})

    assert duplicate.status_code == 409
    assert duplicate.headers["retry-after"]
    assert _given(alice) == []


def test_a_key_left_by_a_server_that_died_is_taken_over_once_its_claim_runs_out(
        alice: Api, world: World, app: App, clock: FakeClock) -> None:
    ask = _disclosure(world)
    idempotency.begin(app.uow(), KeyScope(world.alice.id, "POST", "/api/v1/disclosures", "crash"), "idk_dead")
    clock.advance(seconds=idempotency.LEASE.total_seconds() + 1)

    retried = alice.post("/disclosures", json=ask, headers={"Idempotency-Key": "crash"})

    assert retried.status_code == 201
    assert len(_given(alice)) == 1


def test_a_key_belongs_to_its_caller_another_person_using_it_runs_their_own_request(
        client: TestClient, alice: Api) -> None:
    gina = sign_in(client, "gina@globex.example", WORLD_PASSWORD)
    note = {"title": "Same key", "body": "text", "classification": "internal"}

    mine = alice.post("/items", json=note, headers={"Idempotency-Key": "shared"})
    theirs = gina.post("/items", json=note, headers={"Idempotency-Key": "shared"})

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert "idempotent-replayed" not in theirs.headers


def test_an_answer_carrying_a_secret_is_not_kept_its_retry_says_it_was_done(
        alice: Api, app: App) -> None:
    person = {"name": "Pat", "email": "pat@acme.example", "roles": ["member"]}

    first = alice.post("/orgs/acme/people", json=person, headers={"Idempotency-Key": "pat"})
    again = alice.post("/orgs/acme/people", json=person, headers={"Idempotency-Key": "pat"})

    assert first.status_code == 201 and "invitation_url" in first.json()
    assert again.status_code == 409 and "not kept" in again.json()["detail"]
    assert "invitation" not in again.text
    with app.engine.connect() as connection:
        kept = connection.exec_driver_sql("SELECT body FROM idempotency_keys").scalars().all()
    assert kept == [None]


def test_a_malformed_key_is_422_naming_the_header(alice: Api) -> None:
    answer = alice.post("/items", json={"title": "x", "body": "y", "classification": "internal"},
                        headers={"Idempotency-Key": "x" * 300})

    assert answer.status_code == 422
    assert "Idempotency-Key" in answer.json()["errors"]
    assert alice.get("/items").json()["items"] == []


def test_a_password_route_keeps_nothing_not_even_a_hash_of_its_body(alice: Api, app: App) -> None:
    change = {"current_password": WORLD_PASSWORD, "new_password": "another long passphrase",
              "keep_tokens": True}

    answer = alice.post("/auth/password", json=change, headers={"Idempotency-Key": "pw"})

    assert answer.status_code == 204
    with app.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM idempotency_keys").scalar() == 0


def test_a_crown_jewel_term_is_not_kept_in_clear_and_fingerprints_are_keyed(alice: Api, app: App) -> None:
    body = {"term": "Project Osprey"}

    answer = alice.post("/orgs/acme/crown-jewels", json=body, headers={"Idempotency-Key": "cj"})

    assert answer.status_code == 201
    with app.engine.connect() as connection:
        kept, fingerprint = connection.exec_driver_sql(
            "SELECT body, fingerprint FROM idempotency_keys").one()
    plain = hashlib.sha256(b"application/json\n" + json.dumps(body).encode()).hexdigest()
    assert kept is None and fingerprint != plain
