"""Text whose grammar forbids a stamp line (XML, SVG, STEP, JSON): the stamp goes where the
format allows a comment, or the rule explains why the file cannot be stamped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient

from sharebound.adapters.passwords import hash_password
from sharebound.services import copies, orgs, trace
from tests.e2e.conftest import WORLD_PASSWORD, Api, sign_in
from tests.integration.world import World

GINA = "gina@globex.example"
XML_FILE = (b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE parts>\n'
            b"<parts><part id=\"1\">sensor housing -- rev B</part></parts>\n")
SVG_FILE = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b'<rect width="10" height="10"/></svg>\n')
STEP_FILE = (b"ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('housing'),'2;1');\nENDSEC;\nDATA;\n"
             b"#1=CARTESIAN_POINT('',(0.,0.,0.));\nENDSEC;\nEND-ISO-10303-21;\n")
JSON_FILE = b'{"part": "housing", "tolerance_mm": 0.05, "suppliers": ["a", "b"]}\n'


def _upload(alice: Api, name: str, content: bytes, declared: str) -> dict[str, str]:
    answer = alice.post("/items", files={"file": (name, content, declared)}, data={
        "title": "Housing", "classification": "confidential", "topics": "thermal"})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def _disclose(world: World, alice: Api, item_id: str, recipient: str = GINA,
              actions: tuple[str, ...] = ("view", "download")) -> dict[str, object]:
    agreement = world.signed(schedule={"watermark_downloads": True})
    made = alice.post("/disclosures", json={"item_id": item_id, "agreement_id": agreement.id,
                                            "recipients": [recipient], "actions": list(actions)})
    return dict(made.json()) | {"status": made.status_code}


def _download(client: TestClient, world: World, alice: Api, name: str, content: bytes, declared: str,
              recipient: str = GINA) -> tuple[bytes, dict[str, str], str]:
    item = _upload(alice, name, content, declared)
    made = _disclose(world, alice, item["id"], recipient)
    assert made["status"] == 201, made
    answer = sign_in(client, recipient, WORLD_PASSWORD).get(f"/disclosures/{made['id']}/content")
    assert answer.status_code == 200, answer.text
    return bytes(answer.content), dict(answer.headers), _media_type(world, item["id"])


def test_an_xml_file_is_stamped_with_a_comment_after_its_declaration_and_still_parses(
    client: TestClient, world: World
) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    stamped, headers, media_type = _download(client, world, alice, "parts.xml", XML_FILE, "text/xml")

    assert media_type == "application/xml"
    assert stamped.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- CONFIDENTIAL')
    assert ET.fromstring(stamped).find("part").text == "sensor housing -- rev B"  # type: ignore[union-attr]
    assert headers["x-sharebound-copy"].encode() in stamped


def test_a_stamp_holding_two_dashes_or_a_name_the_encoding_cannot_hold_keeps_the_xml_well_formed(
    client: TestClient, world: World
) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    latin1 = b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<note>Caf\xe9</note>\n'
    person = orgs.add_person(world.uow(), world.grace.id, org="globex", name="Łukasz--Ελένη",
                             email="lukasz@globex.example", roles=["member"])
    with world.uow() as uow:
        uow.auth.set_password_hash(person.id, hash_password(WORLD_PASSWORD))
        uow.commit()

    stamped, _, _ = _download(client, world, alice, "note.xml", latin1, "application/xml",
                              "lukasz@globex.example")

    assert ET.fromstring(stamped).text == "Caf\xe9"
    assert b"&#321;ukasz- -" in stamped


def test_an_svg_is_stamped_with_a_comment_parses_and_is_served_only_as_an_attachment(
    client: TestClient, world: World
) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    stamped, headers, media_type = _download(client, world, alice, "logo.svg", SVG_FILE, "image/svg+xml")

    assert media_type == "image/svg+xml"
    root = ET.fromstring(stamped)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert b"<!-- CONFIDENTIAL" in stamped
    assert headers["content-disposition"].startswith("attachment;")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'; sandbox"


def test_a_step_file_keeps_its_first_line_and_carries_the_stamp_as_a_comment(
    client: TestClient, world: World
) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    stamped, headers, media_type = _download(client, world, alice, "housing.stp", STEP_FILE, "text/plain")

    assert media_type == "model/step"
    lines = stamped.decode("ascii").splitlines()
    assert lines[0] == "ISO-10303-21;"
    assert lines[1].startswith("/* CONFIDENTIAL") and lines[1].endswith("*/")
    assert headers["x-sharebound-copy"] in lines[1]
    assert lines[2:] == STEP_FILE.decode().splitlines()[1:]


def test_json_cannot_be_downloaded_under_watermarks_and_the_reason_names_json(
    client: TestClient, world: World
) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    item = _upload(alice, "part.json", JSON_FILE, "application/json")

    made = _disclose(world, alice, item["id"])

    assert _media_type(world, item["id"]) == "application/json"
    assert made["status"] == 403
    reasons = made["reasons"]
    assert isinstance(reasons, list) and [r["term"] for r in reasons] == ["schedule.watermark_downloads"]
    assert "JSON has no comments" in reasons[0]["message"]


def test_json_disclosed_for_view_only_is_shown_as_text(client: TestClient, world: World) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    item = _upload(alice, "part.json", JSON_FILE, "application/json")

    made = _disclose(world, alice, item["id"], actions=("view",))
    assert made["status"] == 201, made
    viewing = copies.open_view(world.uow(), world.gina.id, str(made["id"]))

    assert viewing.problem is None
    assert viewing.lines[0] == viewing.stamp_line
    assert any("tolerance_mm" in line for line in viewing.lines)


def test_the_gate_reads_xml_svg_step_and_json_as_text(client: TestClient, world: World) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    assert alice.post("/orgs/acme/crown-jewels", json={"term": "project heron"}).status_code == 201
    files = {"a.xml": (XML_FILE.replace(b"housing", b"Project Heron"), "application/xml"),
             "a.svg": (SVG_FILE.replace(b"<rect", b"<text>Project Heron</text><rect"), "image/svg+xml"),
             "a.step": (STEP_FILE.replace(b"housing", b"Project Heron"), "application/step"),
             "a.json": (JSON_FILE.replace(b"housing", b"Project Heron"), "application/json")}

    for name, (content, declared) in files.items():
        item = _upload(alice, name, content, declared)
        decision = alice.post("/disclosures/check", json={
            "item_id": item["id"], "agreement_id": world.signed().id, "recipients": [GINA],
            "actions": ["view"]}).json()
        assert decision["allowed"] is False, name
        assert any("project heron" in r["message"] for r in decision["reasons"]), name


def test_trace_finds_the_copy_id_in_a_stamped_xml_svg_and_step_file(client: TestClient, world: World) -> None:
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    for name, content, declared in (("p.xml", XML_FILE, "application/xml"),
                                    ("l.svg", SVG_FILE, "image/svg+xml"),
                                    ("h.step", STEP_FILE, "model/step")):
        stamped, headers, _ = _download(client, world, alice, name, content, declared)
        traced = trace.trace_file(world.uow(), world.alice.id, stamped)
        assert traced.copy.copy_id == headers["x-sharebound-copy"], name
        assert traced.unchanged is True


def _media_type(world: World, item_id: str) -> str:
    with world.uow() as uow:
        item = uow.items.get(item_id)
        assert item is not None
        return str(item.current.media_type)
