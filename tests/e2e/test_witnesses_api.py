"""An org's witness key and the cosignatures its verifier posts, over the API."""

from __future__ import annotations

import re
import struct
import time
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sharebound.adapters.db.tables import events, log_cosignatures
from sharebound_verify.note import COSIGNER, NOTE_SIGNER, SigningKey
from tests.e2e.conftest import WORLD_PASSWORD, Api, sign_in, sign_in_page
from tests.factories import CHEAP_PASSWORDS
from tests.integration.notify_helpers import disclose
from tests.integration.world import World


def signed_checkpoint(api: Api, world: World) -> str:
    """The body of the partnership log's latest checkpoint, as the server signed it."""
    note = api.get(f"/partnerships/{world.partnership.id}/log/checkpoint").text
    return note.partition("\n\n")[0] + "\n"


@pytest.fixture
def grace(client: TestClient, world: World) -> Api:
    return sign_in(client, world.grace.email, WORLD_PASSWORD)


@pytest.fixture
def witness(grace: Api) -> SigningKey:
    key = SigningKey.generate("globex.example/witness", COSIGNER)
    answer = grace.put("/orgs/globex/witness-key", json={"vkey": key.vkey.text()})
    assert answer.status_code == 200, answer.text
    return key


def cosigned(text: str, key: SigningKey, timestamp: int | None = None) -> str:
    return text + "\n" + key.cosign(text, timestamp or int(time.time())).line()


def test_an_admin_registers_the_witness_key_and_it_is_audited(
        grace: Api, witness: SigningKey, world: World) -> None:
    answer = grace.get("/orgs/globex/witness-key").json()

    assert (answer["name"], answer["vkey"]) == ("globex.example/witness", witness.vkey.text())
    with world.app.engine.begin() as connection:
        kinds = connection.execute(select(events.c.kind, events.c.data).where(
            events.c.log == "org:globex").order_by(events.c.seq.desc())).first()
    assert kinds is not None and kinds.kind == "witness_key_registered"


@pytest.mark.parametrize(("vkey", "message"), [
    ("", "is required"),
    ("name-only", "is not <name>+<8 hex digits>+<base64 key>"),
    (SigningKey.generate("globex.example/witness", NOTE_SIGNER).vkey.text(), "not an Ed25519 cosigner key"),
    (SigningKey.generate("w", COSIGNER).vkey.text().replace("w+", "v+", 1), "key hash does not match"),
], ids=["empty", "no parts", "an instance key", "a wrong key hash"])
def test_a_key_that_is_not_a_witness_vkey_is_refused_naming_it(grace: Api, vkey: str, message: str) -> None:
    answer = grace.put("/orgs/globex/witness-key", json={"vkey": vkey})

    assert answer.status_code == 422
    assert message in answer.text
    assert grace.get("/orgs/globex/witness-key").status_code == 404


def test_only_an_admin_of_the_org_registers_its_witness_key(client: TestClient, world: World) -> None:
    gina = sign_in(client, world.gina.email, WORLD_PASSWORD)
    alice = sign_in(client, world.alice.email, WORLD_PASSWORD)
    vkey = SigningKey.generate("w", COSIGNER).vkey.text()

    assert gina.put("/orgs/globex/witness-key", json={"vkey": vkey}).status_code == 403
    assert alice.put("/orgs/globex/witness-key", json={"vkey": vkey}).status_code == 404


def test_a_member_posts_the_witness_cosignature_of_a_signed_checkpoint(
        client: TestClient, world: World, witness: SigningKey) -> None:
    gina = sign_in(client, world.gina.email, WORLD_PASSWORD)
    text = signed_checkpoint(gina, world)

    answer = gina.post(f"/partnerships/{world.partnership.id}/log/cosignatures",
                       content=cosigned(text, witness, 1_796_000_000),
                       headers={"Content-Type": "text/plain"})

    size = int(text.split("\n")[1])
    assert answer.status_code == 201, answer.text
    assert answer.json() == {"witness": "globex", "size": size, "timestamp": 1_796_000_000}
    served = gina.get(f"/partnerships/{world.partnership.id}/log/checkpoint").text
    assert served.startswith(text + "\n\u2014 ")
    assert served.endswith(witness.cosign(text, 1_796_000_000).line())  # after the instance's
    with world.app.engine.begin() as connection:
        stored = connection.execute(select(log_cosignatures)).one()
        last = connection.execute(select(events.c.kind, events.c.subject).where(
            events.c.log == "org:globex").order_by(events.c.seq.desc())).first()
    assert stored.line == witness.cosign(text, 1_796_000_000).line()
    assert last is not None and tuple(last) == ("checkpoint_cosigned", world.partnership.id)


def test_a_cosignature_that_does_not_hold_is_refused_and_nothing_is_stored(
        client: TestClient, world: World, witness: SigningKey) -> None:
    grace = sign_in(client, world.grace.email, WORLD_PASSWORD)
    text = signed_checkpoint(grace, world)
    path = f"/partnerships/{world.partnership.id}/log/cosignatures"
    other = SigningKey.generate(witness.name, COSIGNER)
    size = int(text.split("\n")[1])
    unsigned = text.replace(f"\n{size}\n", f"\n{size + 1}\n")
    good = witness.cosign(text, 1_796_000_000)
    redated = replace(good, data=struct.pack(">Q", 1_796_000_001) + good.data[8:])
    tampered = text + "\n" + redated.line()
    cases = {
        "has no cosignature/v1 line by globex's witness key": cosigned(text, other),
        "is not a checkpoint this server signed": cosigned(unsigned, witness),
        "does not verify with the witness key": tampered,
        "in the future": cosigned(text, witness, int(world.app.clock().timestamp()) + 86_400),
        "is not a signed note": text,
    }

    for message, note in cases.items():
        answer = grace.post(path, content=note, headers={"Content-Type": "text/plain"})
        assert answer.status_code == 422 and message in answer.text, (message, answer.text)

    with world.app.engine.begin() as connection:
        assert connection.execute(select(log_cosignatures)).all() == []


def test_without_a_registered_key_or_outside_the_partnership_there_is_no_cosigning(
        client: TestClient, world: World) -> None:
    key = SigningKey.generate("acme.example/witness", COSIGNER)
    alice = sign_in(client, world.alice.email, WORLD_PASSWORD)
    text = signed_checkpoint(alice, world)
    with world.uow() as uow:
        uow.auth.set_password_hash(world.ian.id, CHEAP_PASSWORDS.hash(WORLD_PASSWORD))
        uow.commit()
    ian = sign_in(client, world.ian.email, WORLD_PASSWORD)
    path = f"/partnerships/{world.partnership.id}/log/cosignatures"

    assert alice.post(path, content=cosigned(text, key), headers={"Content-Type": "text/plain"}
                      ).status_code == 409
    assert ian.post(path, content=cosigned(text, key), headers={"Content-Type": "text/plain"}
                    ).status_code == 404


def test_the_register_shows_who_witnessed_a_disclosure_once_a_checkpoint_covering_it_is_cosigned(
        client: TestClient, world: World, grace: Api, witness: SigningKey) -> None:
    made = disclose(world, world.signed().id)
    alice = sign_in(client, world.alice.email, WORLD_PASSWORD)
    assert alice.get(f"/disclosures/{made.id}").json()["witnessed"] == ""
    text = signed_checkpoint(grace, world)  # its size covers the disclosure's event
    at = int(datetime(2026, 12, 7, 9, 14, tzinfo=UTC).timestamp())
    disclose(world, world.signed().id, title_body="made after the checkpoint")

    answer = grace.post(f"/partnerships/{world.partnership.id}/log/cosignatures",
                        content=cosigned(text, witness, at), headers={"Content-Type": "text/plain"})

    assert answer.status_code == 201, answer.text
    register = alice.get("/disclosures", params={"partnership": world.partnership.id,
                                                 "direction": "given"}).json()
    assert sorted(d["witnessed"] for d in register["items"]) == [
        "", "witnessed by globex, 2026-12-07 09:14"]
    assert alice.get(f"/disclosures/{made.id}").json()["witnessed"] == "witnessed by globex, 2026-12-07 09:14"
    page = sign_in_page(client, world.alice.email, WORLD_PASSWORD).get(
        f"/partnerships/{world.partnership.id}").text
    assert page.count("witnessed by globex, 2026-12-07 09:14") == 1


def test_an_admin_registers_the_witness_key_on_the_admin_page(client: TestClient, world: World) -> None:
    sign_in_page(client, world.grace.email, WORLD_PASSWORD)
    key = SigningKey.generate("globex.example/witness", COSIGNER)
    page = client.get("/admin/witness")
    assert page.status_code == 200 and "No witness key is registered." in page.text
    hidden = dict(re.findall(r'name="(csrf|form_id)" value="([^"]+)"', page.text))

    refused = client.post("/admin/witness", data={**hidden, "vkey": "not a key"})
    assert refused.status_code == 422 and "is not &lt;name&gt;+" in refused.text
    hidden = dict(re.findall(r'name="(csrf|form_id)" value="([^"]+)"', refused.text))
    saved = client.post("/admin/witness", data={**hidden, "vkey": key.vkey.text()}, follow_redirects=False)

    assert saved.status_code == 303
    shown = client.get(saved.headers["location"]).text
    assert "The witness key is registered." in shown and key.vkey.text() in shown
