"""The transparency log over HTTP, checked as a partner's verifier would: the pinned key signs
the checkpoint, every leaf is in the tree, each opening matches its leaf, the tree only grows,
and what a party may not see stays sealed."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient

from sharebound.domain import merkle
from sharebound.domain.values import canonical_json
from sharebound.services import disclosures, messages
from sharebound.services.disclosures import DisclosureDraft
from tests.e2e.conftest import WORLD_PASSWORD, Api, sign_in
from tests.factories import CHEAP_PASSWORDS
from tests.integration.world import World


def unb64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def pinned_key(client: TestClient) -> tuple[str, bytes, bytes]:
    """(name, key hash, public key) from the instance's published vkey."""
    answer = client.get("/.well-known/sharebound-log-key")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    name, hash_hex, key = answer.text.strip().split("+", 2)  # the base64 key may hold a "+"
    raw = unb64(key)
    assert raw[0] == 0x01 and len(raw) == 33
    assert hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex() == hash_hex
    return name, bytes.fromhex(hash_hex), raw[1:]


def verified_checkpoint(api: Api, path: str, key: tuple[str, bytes, bytes]) -> tuple[str, int, bytes]:
    """(origin, size, root) of the log's checkpoint, after checking its signature."""
    answer = api.get(f"{path}/log/checkpoint")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    body, _, signatures = answer.text.partition("\n\n")
    body += "\n"
    name, hash4, public = key
    line = signatures.splitlines()[0]
    assert line.startswith(f"\u2014 {name} ")
    signature = unb64(line.split(" ")[2])
    assert signature[:4] == hash4
    Ed25519PublicKey.from_public_bytes(public).verify(signature[4:], body.encode())  # raises if bad
    origin, size, root = body.splitlines()
    kind, ident = path.strip("/").split("/")
    assert origin == f"{name}/{kind.removesuffix('s')}:{ident}"
    return origin, int(size), unb64(root)


def all_entries(api: Api, path: str) -> tuple[int, list[dict[str, Any]]]:
    answer = api.get(f"{path}/log/entries", params={"start": 0, "limit": 1000})
    assert answer.status_code == 200, answer.text
    return answer.json()["size"], answer.json()["entries"]


def test_a_partner_verifies_the_partnership_log_against_the_pinned_key(
        world: World, client: TestClient) -> None:
    key = pinned_key(client)
    grace, gina = (sign_in(client, f"{who}@globex.example", WORLD_PASSWORD) for who in ("grace", "gina"))
    path = f"/partnerships/{world.partnership.id}"
    messages.post_message(world.uow(), world.alice.id, world.partnership.id, body="hello")
    _, old_size, old_root = verified_checkpoint(grace, path, key)
    # a disclosure to gina alone: grace (same org, not a recipient) may not see its events
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=world.signed().id, recipients=["gina@globex.example"],
        actions=["view"]))
    messages.post_message(world.uow(), world.grace.id, world.partnership.id, body="thanks")

    _, size, root = verified_checkpoint(grace, path, key)
    again = grace.get(f"{path}/log/checkpoint").text
    assert again == grace.get(f"{path}/log/checkpoint").text == gina.get(f"{path}/log/checkpoint").text
    served_size, entries = all_entries(grace, path)
    leaves = [merkle.leaf_hash(unb64(e["leaf"])) for e in entries]
    assert (served_size, len(entries)) == (size, size) and size > old_size
    assert merkle.root(leaves) == root

    for entry, leaf in zip(entries, leaves, strict=True):
        proof = grace.get(f"{path}/log/proof/inclusion", params={"index": entry["index"], "size": size})
        assert proof.status_code == 200
        assert merkle.verify_inclusion(leaf, entry["index"], size, [unb64(p) for p in proof.json()["proof"]],
                                       root)
        content = json.loads(unb64(entry["leaf"]))
        assert content["seq"] == entry["index"] + 1
        assert content["log"] == f"partnership:{world.partnership.id}"
        if entry["opening"] is not None:
            opened = entry["opening"]
            assert hashlib.sha256(unb64(opened["salt"]) + canonical_json(opened["body"])).hexdigest() \
                == content["body"]
            assert (opened["body"]["log"], opened["body"]["seq"]) == (content["log"], content["seq"])

    consistency = grace.get(f"{path}/log/proof/consistency", params={"from": old_size, "to": size})
    assert consistency.status_code == 200 and consistency.json()["from"] == old_size
    assert merkle.verify_consistency(old_size, size, old_root, root,
                                     [unb64(p) for p in consistency.json()["proof"]])

    def opened_subjects(api: Api) -> set[str]:
        return {e["opening"]["body"]["subject"] for e in all_entries(api, path)[1] if e["opening"]}

    assert made.id in opened_subjects(gina)
    assert made.id not in opened_subjects(grace)
    assert len(all_entries(gina, path)[1]) == size  # every party sees every leaf, sealed or not


def test_a_log_outside_ones_partnerships_and_org_does_not_exist(world: World, client: TestClient) -> None:
    with world.uow() as uow:
        uow.auth.set_password_hash(world.ian.id, CHEAP_PASSWORDS.hash(WORLD_PASSWORD))
        uow.commit()
    ian = sign_in(client, "ian@initech.example", WORLD_PASSWORD)
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)
    for part in ("checkpoint", "entries", "proof/inclusion?index=0&size=1",
                 "proof/consistency?from=0&to=1"):
        assert ian.get(f"/partnerships/{world.partnership.id}/log/{part}").status_code == 404
    assert grace.get("/orgs/acme/log/checkpoint").status_code == 404
    assert grace.get("/orgs/acme/log/entries").status_code == 404
    assert alice.get("/partnerships/ptn_nope/log/checkpoint").status_code == 404
    own = alice.get("/orgs/acme/log/entries")
    assert own.status_code == 200 and own.json()["size"] >= 1
    assert all(e["opening"] is not None for e in own.json()["entries"])  # an admin sees them all


def test_bad_log_requests_are_refused_naming_the_parameter(world: World, client: TestClient) -> None:
    grace = sign_in(client, "grace@globex.example", WORLD_PASSWORD)
    path = f"/partnerships/{world.partnership.id}/log"
    size = grace.get(f"{path}/entries").json()["size"]
    for query, name in (
        (f"/proof/inclusion?index={size}&size={size}", "index"),
        (f"/proof/inclusion?index=0&size={size + 1}", "size"),
        (f"/proof/consistency?from={size}&to={size - 1}", "from"),
        (f"/proof/consistency?from=0&to={size + 1}", "to"),
        ("/entries?limit=1001", "limit"),
        (f"/entries?start={size + 1}", "start"),
        ("/proof/inclusion?index=-1&size=1", "index"),
    ):
        answer = grace.get(f"{path}{query}")
        assert answer.status_code == 422, (query, answer.text)
        assert name in answer.text, (query, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")


def test_a_recipient_proves_a_disclosure_is_in_the_log_by_its_id(world: World, client: TestClient) -> None:
    key = pinned_key(client)
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=world.signed().id, recipients=["gina@globex.example"],
        actions=["view"]))
    messages.post_message(world.uow(), world.grace.id, world.partnership.id, body="later")
    gina, grace = (sign_in(client, f"{who}@globex.example", WORLD_PASSWORD) for who in ("gina", "grace"))
    path = f"/partnerships/{world.partnership.id}"
    _, size, root = verified_checkpoint(gina, path, key)

    answer = gina.get(f"{path}/log/proof/inclusion", params={"disclosure": made.id})
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["disclosure"], found["size"], found["index"]) == (made.id, size, found["seq"] - 1)
    entry = gina.get(f"{path}/log/entries", params={"start": found["index"], "limit": 1}).json()["entries"][0]
    assert entry["opening"]["body"]["kind"] == "disclosure_made"
    assert entry["opening"]["body"]["subject"] == made.id
    assert merkle.verify_inclusion(merkle.leaf_hash(unb64(entry["leaf"])), found["index"], size,
                                   [unb64(p) for p in found["proof"]], root)
    older = gina.get(f"{path}/log/proof/inclusion", params={"disclosure": made.id, "size": found["seq"]})
    assert older.status_code == 200 and older.json()["size"] == found["seq"]

    # grace (globex, not a recipient) may not see it: it is not found, as an unknown id is
    for who, disclosure in ((grace, made.id), (gina, "dis_nope")):
        refused = who.get(f"{path}/log/proof/inclusion", params={"disclosure": disclosure})
        assert refused.status_code == 404, refused.text
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)  # the discloser's org may
    assert alice.get(f"{path}/log/proof/inclusion", params={"disclosure": made.id}).status_code == 200


def test_an_inclusion_proof_by_disclosure_refuses_a_mixed_or_short_request(
        world: World, client: TestClient) -> None:
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=world.signed().id, recipients=["gina@globex.example"],
        actions=["view"]))
    gina = sign_in(client, "gina@globex.example", WORLD_PASSWORD)
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    path = f"/partnerships/{world.partnership.id}/log/proof/inclusion"
    seq = gina.get(path, params={"disclosure": made.id}).json()["seq"]
    for api, url, params, name in (
            (gina, path, {"disclosure": made.id, "index": 0, "size": 1}, "disclosure"),
            (gina, path, {"disclosure": made.id, "size": seq - 1}, "size"),
            (gina, path, {"size": 1}, "index"),
            (gina, path, {"index": 0}, "size"),
            (alice, "/orgs/acme/log/proof/inclusion", {"disclosure": made.id}, "disclosure")):
        answer = api.get(url, params=params)
        assert answer.status_code == 422, (params, answer.text)
        assert name in answer.json()["errors"], (params, answer.text)
