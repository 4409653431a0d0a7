"""Encryption at rest: blobs, webhook secrets and crown-jewel terms are sealed on disk under a
data key wrapped by the KEK; dedup works per org; the KEK rotates; older plaintext still reads."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from sharebound.adapters.blobs import LocalBlobStore
from sharebound.adapters.db.repositories.webhooks import Webhook
from sharebound.adapters.db.tables import crown_jewel_terms, webhooks
from sharebound.adapters.keys import Kek, KeyProblem, KeyRing
from sharebound.bootstrap import App
from sharebound.domain.classification import Classification
from sharebound.domain.ids import new_id
from sharebound.domain.items import Item, ItemKind, ItemVersion
from sharebound.services import blobs, gate, items, keys
from tests.integration.world import World

SECRET_TEXT = b"Project Nightjar: the crown jewel that must never be read from a backup"


def _everything_on_disk(app: App) -> bytes:
    return b"".join(p.read_bytes() for p in app.settings.blobs_dir.rglob("*") if p.is_file())


def test_an_items_content_is_sealed_on_disk_and_reads_back_in_clear(world: World) -> None:
    item = world.note(body=SECRET_TEXT.decode())

    assert SECRET_TEXT not in _everything_on_disk(world.app)
    assert items.item_content(world.uow(), world.mia.id, item) == SECRET_TEXT


def test_the_same_file_dedups_within_an_org_and_is_stored_apart_across_orgs(world: World) -> None:
    store = world.app.blobs
    content = os.urandom(1000)
    sha256 = hashlib.sha256(content).hexdigest()

    twice = {store.put(content, org="acme").sha256, store.put(content, org="acme").sha256}
    store.put(content, org="globex")

    assert twice == {sha256}  # callers keep the plaintext SHA-256
    names = list(store.names())
    assert len(names) == 2 and sha256 not in names  # the disk does not name the known file
    assert store.name_of(sha256, org="acme") != store.name_of(sha256, org="globex")


def _hook(org: str, secret: str) -> Webhook:
    return Webhook(id=new_id("whk"), org=org, url="https://hooks.example.com/in", kinds=frozenset(),
                   secret=secret, old_secret=None, old_secret_until=None, created_by="nobody",
                   created_at=_now(), deleted_at=None)


def _now():  # type: ignore[no-untyped-def]
    from tests.conftest import NOW
    return NOW


def test_webhook_secrets_and_crown_jewel_terms_are_sealed_in_their_columns(world: World) -> None:
    term = gate.add_term(world.uow(), world.alice.id, "acme", "Nightjar")
    hook = replace(_hook("acme", "whsec_the-signing-secret"), created_by=world.alice.id)
    with world.uow() as uow:
        uow.webhooks.add(hook)
        uow.commit()

    with world.app.engine.connect() as connection:
        stored_secret = connection.execute(select(webhooks.c.secret)).scalar_one()
        stored_term = connection.execute(select(crown_jewel_terms.c.term, crown_jewel_terms.c.term_key)).one()
    assert "the-signing-secret" not in stored_secret and stored_secret.startswith("enc1:")
    assert "nightjar" not in (stored_term.term + stored_term.term_key).casefold()
    with world.uow().reading() as uow:
        assert uow.webhooks.get(hook.id) == hook
        assert [t.term for t in uow.gate.terms("acme")] == [term.term] == ["Nightjar"]
        assert uow.gate.term_exists("acme", "NIGHTJAR")


def test_a_sealed_value_moved_to_another_row_does_not_open(world: World) -> None:
    first = replace(_hook("acme", "secret-one"), created_by=world.alice.id)
    second = replace(_hook("acme", "secret-two"), created_by=world.alice.id)
    with world.uow() as uow:
        uow.webhooks.add(first)
        uow.webhooks.add(second)
        uow.commit()
    with world.app.engine.begin() as connection:
        sealed_first = connection.execute(select(webhooks.c.secret).where(webhooks.c.id == first.id)).scalar()
        connection.execute(webhooks.update().where(webhooks.c.id == second.id).values(secret=sealed_first))

    with pytest.raises(KeyProblem, match="fails authentication"), world.uow().reading() as uow:
        uow.webhooks.get(second.id)


def test_rotating_the_kek_rewraps_the_data_keys_and_everything_still_reads(world: World) -> None:
    item = world.note(body=SECRET_TEXT.decode())
    gate.add_term(world.uow(), world.alice.id, "acme", "Nightjar")
    blob_files = {p: p.read_bytes() for p in world.app.settings.blobs_dir.rglob("*") if p.is_file()}
    new = Kek(os.urandom(32))

    assert keys.rotate(world.uow(), new) == 1

    assert {p: p.read_bytes() for p in blob_files} == blob_files  # blobs are not re-encrypted
    with pytest.raises(KeyProblem, match="does not open"):
        KeyRing(world.app.engine, world.app.keys.kek, world.app.clock).ensure()
    ring = KeyRing(world.app.engine, new, world.app.clock)
    ring.ensure()
    rotated = replace(world.app, keys=ring, blobs=LocalBlobStore(world.app.settings.blobs_dir, ring))
    assert items.item_content(rotated.uow(), world.mia.id, item) == SECRET_TEXT
    with rotated.uow().reading() as uow:
        assert [t.term for t in uow.gate.terms("acme")] == ["Nightjar"]


def test_data_stored_in_clear_before_encryption_still_reads_and_is_then_sealed(world: World) -> None:
    plain_store = LocalBlobStore(world.app.settings.blobs_dir)  # as the store wrote before
    stored = plain_store.put(SECRET_TEXT, org="acme")
    with world.uow() as uow:
        now = uow.clock()
        version = ItemVersion(number=1, sha256=stored.sha256, size=stored.size, media_type="text/plain",
                              filename="old.txt", created_at=now, created_by=world.mia.id)
        item = Item(id=new_id("itm"), owner="acme", kind=ItemKind.FILE, title="Old report",
                    classification=Classification.CONFIDENTIAL, topics=frozenset(),
                    versions=(version,), created_at=now)
        uow.items.add(item)
        uow.commit()
    with world.app.engine.begin() as connection:  # a term and a secret from before encryption
        connection.execute(insert(crown_jewel_terms).values(
            id="cjt_old", org="acme", term="Nightjar", term_key="nightjar", added_by=world.alice.id,
            added_at=now))
        connection.execute(insert(webhooks).values(
            id="whk_old", org="acme", url="https://hooks.example.com/in", kinds="", secret="old-plain-secret",
            created_by=world.alice.id, created_at=now))

    assert items.item_content(world.uow(), world.mia.id, item.id) == SECRET_TEXT
    assert keys.plaintext_blobs(world.uow()) == [("acme", stored.sha256)]
    assert keys.seal_columns(world.uow()) == keys.Sealed(webhooks=1, terms=1)
    assert keys.encrypt_existing(world.uow()) == 1

    assert SECRET_TEXT not in _everything_on_disk(world.app)
    assert keys.plaintext_blobs(world.uow()) == []
    assert items.item_content(world.uow(), world.mia.id, item.id) == SECRET_TEXT
    assert blobs.check_blobs(world.uow()).healthy
    with world.uow().reading() as uow:
        assert uow.webhooks.get("whk_old").secret == "old-plain-secret"  # type: ignore[union-attr]
        assert uow.gate.term_exists("acme", "nightjar")
    with world.app.engine.connect() as connection:
        assert "plain" not in connection.execute(select(webhooks.c.secret)).scalar_one()


def test_a_key_of_the_wrong_length_is_refused_by_name(tmp_path: Path) -> None:
    from sharebound.adapters.keys import parse_key

    with pytest.raises(KeyProblem, match="SHAREBOUND_KEY: a key is 32 bytes"):
        parse_key(base64.b64encode(b"short").decode(), "SHAREBOUND_KEY")
