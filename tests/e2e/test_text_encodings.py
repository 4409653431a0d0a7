"""Text in other encodings than UTF-8 (a Windows-1252 CSV from Excel, UTF-16 text) is accepted,
stored as uploaded, stamped in its own encoding and read by the content gate."""

from __future__ import annotations

import codecs
import csv
import io

from fastapi.testclient import TestClient

from sharebound.adapters.passwords import hash_password
from sharebound.services import gate, items, orgs
from tests.e2e.conftest import WORLD_PASSWORD, Api, sign_in
from tests.integration.world import World

GINA = "gina@globex.example"
EXCEL_CSV = "Name;Ort;Betrag\r\nCafé;Müller;12,50 €\r\n".encode("cp1252")
UTF16_TEXT = codecs.BOM_UTF16_LE + "Prüfbericht: Drift unter 0,2 K — 東京\r\n".encode("utf-16-le")


def _upload(alice: Api, name: str, content: bytes, declared: str) -> dict[str, str]:
    answer = alice.post("/items", files={"file": (name, content, declared)}, data={
        "title": "Thermal report", "classification": "confidential", "topics": "thermal"})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def _download(client: TestClient, world: World, alice: Api, item_id: str, recipient: str = GINA) -> bytes:
    agreement = world.signed(schedule={"watermark_downloads": True})
    made = alice.post("/disclosures", json={"item_id": item_id, "agreement_id": agreement.id,
                                            "recipients": [recipient], "actions": ["view", "download"]})
    assert made.status_code == 201, made.text
    answer = sign_in(client, recipient, WORLD_PASSWORD).get(f"/disclosures/{made.json()['id']}/content")
    assert answer.status_code == 200, answer.text
    return bytes(answer.content)


def test_an_excel_csv_in_windows_1252_declared_as_excel_is_a_csv_stamped_in_windows_1252(
    client: TestClient, world: World
) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    item = _upload(alice, "prices.csv", EXCEL_CSV, "application/vnd.ms-excel")

    stamped = _download(client, world, alice, item["id"])

    assert _media_type(world, item["id"]) == "text/csv"
    assert items.item_content(world.uow(), world.alice.id, item["id"]) == EXCEL_CSV
    text = stamped.decode("cp1252")  # strict: still Windows-1252, as Excel wrote it
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[:2] == [["Name", "Ort", "Betrag"], ["Café", "Müller", "12,50 €"]]
    assert "Gina" in rows[2][0] and "copy" in rows[2][0]


def test_a_utf16_text_is_stamped_in_utf16_with_its_byte_order_mark(client: TestClient, world: World) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    item = _upload(alice, "report.txt", UTF16_TEXT, "text/plain")

    stamped = _download(client, world, alice, item["id"])

    assert stamped.startswith(codecs.BOM_UTF16_LE)
    text = stamped[2:].decode("utf-16-le")
    assert "Prüfbericht: Drift unter 0,2 K — 東京" in text
    assert text.splitlines()[0].startswith("CONFIDENTIAL") and "Gina" in text


def test_a_stamp_the_files_encoding_cannot_hold_makes_the_copy_utf8_with_a_bom(
    client: TestClient, world: World
) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    item = _upload(alice, "prices.csv", EXCEL_CSV, "text/csv")
    eleni = orgs.add_person(world.uow(), world.grace.id, org="globex", name="Ελένη",
                            email="eleni@globex.example", roles=["member"])
    with world.uow() as uow:
        uow.auth.set_password_hash(eleni.id, hash_password(WORLD_PASSWORD))
        uow.commit()

    stamped = _download(client, world, alice, item["id"], "eleni@globex.example")

    assert stamped.startswith(codecs.BOM_UTF8)
    text = stamped[3:].decode("utf-8")
    assert "Café;Müller;12,50 €" in text and "Ελένη" in text


def test_the_gate_finds_a_crown_jewel_term_inside_a_utf16_file(client: TestClient, world: World) -> None:
    gate.CACHE.clear()
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    assert alice.post("/orgs/acme/crown-jewels", json={"term": "project heron"}).status_code == 201
    content = codecs.BOM_UTF16_BE + "Weekly notes\nStatus of Project Heron: on track\n".encode("utf-16-be")
    item = _upload(alice, "notes.txt", content, "text/plain")

    decision = alice.post("/disclosures/check", json={
        "item_id": item["id"], "agreement_id": world.signed().id, "recipients": [GINA],
        "actions": ["view"]}).json()

    assert decision["allowed"] is False
    assert [r["message"] for r in decision["reasons"]] == [
        "the crown-jewel term \u201cproject heron\u201d at line 2"]


def test_binary_junk_is_still_refused_as_not_a_type_we_know(client: TestClient, world: World) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    junk = codecs.BOM_UTF16_LE + bytes(range(256)) * 4

    answer = alice.post("/items", files={"file": ("junk.txt", junk, "text/plain")}, data={
        "title": "Junk", "classification": "confidential", "topics": "thermal"})

    assert answer.status_code == 422
    assert "not a type we know" in answer.text


def _media_type(world: World, item_id: str) -> str:
    with world.uow() as uow:
        item = uow.items.get(item_id)
        assert item is not None
        return str(item.current.media_type)
