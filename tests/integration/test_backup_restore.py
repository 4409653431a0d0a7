"""`sharebound backup` and `restore`: a small world backed up, restored into a fresh instance,
where the audit log verifies, the blobs check and a disclosure reads back; a damaged backup or
a target that is not empty is refused, naming why. The same with the backup in an S3 bucket
(moto's server on loopback)."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, make_url, text
from typer.testing import CliRunner

from sharebound import bootstrap
from sharebound.adapters import backup as backups
from sharebound.adapters.backup import Manifest
from sharebound.adapters.backup_s3 import S3Backup
from sharebound.adapters.db.engine import build_engine
from sharebound.adapters.s3blobs import PART
from sharebound.cli import app as cli
from sharebound.config import Settings
from sharebound.domain.audit import partnership_log
from sharebound.services import disclosures, items, register
from sharebound.services.disclosures import DisclosureDraft
from tests.conftest import POSTGRES_URL
from tests.integration.world import World
from tests.s3_server import s3_client_for

runner = CliRunner()
BODY = "Drift under 0.2 K, measured over six weeks"


def _use(monkeypatch: pytest.MonkeyPatch, data_dir: Path, database_url: str | None) -> None:
    monkeypatch.setenv("SHAREBOUND_DATA_DIR", str(data_dir))
    if database_url:
        monkeypatch.setenv("SHAREBOUND_DATABASE_URL", database_url)
    else:
        monkeypatch.delenv("SHAREBOUND_DATABASE_URL", raising=False)
    for name in ("SHAREBOUND_KEY", "SHAREBOUND_KEY_FILE", "SHAREBOUND_BLOB_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def fresh_database(world: World) -> Iterator[str | None]:
    """Where the restored instance keeps its database: SQLite in its data folder, or a new
    PostgreSQL database when the world is on PostgreSQL."""
    if world.app.engine.dialect.name != "postgresql":
        yield None
        return
    assert POSTGRES_URL
    admin_url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"sharebound_restore_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin_url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _disclosed(world: World) -> str:
    agreement = world.signed()
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(body=BODY), agreement_id=agreement.id,
        recipients=["gina@globex.example"], actions=["view"]))
    return made.id


def _back_up(world: World, monkeypatch: pytest.MonkeyPatch, destination: Path, *args: str) -> None:
    _use(monkeypatch, world.app.settings.data_dir, world.app.settings.database_url)
    made = runner.invoke(cli, ["backup", str(destination), *args])
    assert made.exit_code == 0, made.output


def test_a_backup_restored_into_a_fresh_instance_verifies_checks_and_reads_back(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_database: str | None
) -> None:
    disclosure_id = _disclosed(world)
    backup = tmp_path / "backup"
    _back_up(world, monkeypatch, backup)
    _use(monkeypatch, tmp_path / "restored", fresh_database)

    restored = runner.invoke(cli, ["restore", str(backup)])
    verify = runner.invoke(cli, ["audit", "verify"])
    check = runner.invoke(cli, ["blobs", "check"])

    assert restored.exit_code == 0, restored.output
    assert verify.exit_code == 0 and "every chain intact" in verify.output, verify.output
    assert check.exit_code == 0 and "0 missing, 0 corrupt" in check.output, check.output
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["keys"] is True and "keys/sharebound.key" in manifest["files"]
    # the dump and the key file are the owner's alone, as is every folder of the backup
    made = [backup, *backup.rglob("*")]
    assert all(p.stat().st_mode & 0o077 == 0 for p in made), sorted(
        (str(p), oct(p.stat().st_mode)) for p in made if p.stat().st_mode & 0o077)
    core = bootstrap.build(Settings(), clock=world.app.clock)
    try:
        seen = register.view_disclosure(core.uow(), world.gina.id, disclosure_id)
    finally:
        core.close()
    assert seen.body == BODY


def test_a_damaged_backup_is_refused_before_anything_is_restored(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _disclosed(world)
    backup = tmp_path / "backup"
    _back_up(world, monkeypatch, backup)
    blob = next((backup / "blobs").rglob("*/*/*"))
    blob.write_bytes(blob.read_bytes()[:-1])
    target = tmp_path / "restored"
    _use(monkeypatch, target, None)

    refused = runner.invoke(cli, ["restore", str(backup)])

    assert refused.exit_code == 1
    assert "does not match its SHA-256" in refused.output
    assert not target.exists()


def _altered_once_checked(monkeypatch: pytest.MonkeyPatch, source: type[Any],
                          alter: Callable[[], None]) -> None:
    """The backup's files change just after the restore checked them against the manifest
    (a bucket or a folder written to meanwhile)."""
    real = source.read_manifest

    def checked_then_altered(self: Any) -> Manifest:
        manifest = real(self)
        alter()
        return manifest

    monkeypatch.setattr(source, "read_manifest", checked_then_altered)


def _flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))


def _nothing_restored(target: Path) -> None:
    settings = Settings()
    assert settings.data_dir == target
    if not target.exists() and settings.database_url is None:
        return  # refused before the data folder was made
    assert not [p for p in target.rglob("*") if p.is_file() and len(p.name) == 64]  # no blob
    assert not settings.resolved_key_file.exists()
    engine = build_engine(settings.resolved_database_url)
    try:
        assert backups.database_is_empty(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize("altered", ["the last blob", "the key file"])
def test_a_file_altered_after_the_check_is_refused_as_it_is_restored_leaving_nothing_restored(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_database: str | None,
    altered: str
) -> None:
    _disclosed(world)
    items.add_item(world.uow(), world.mia.id, title="Second note", classification="internal",
                   topics=["thermal"], content=b"A second blob, restored before the last one")
    backup = tmp_path / "backup"
    _back_up(world, monkeypatch, backup)
    blobs = sorted(p.relative_to(backup).as_posix() for p in (backup / "blobs").rglob("*/*/*"))
    name = blobs[-1] if altered == "the last blob" else "keys/sharebound.key"
    _altered_once_checked(monkeypatch, backups.FolderBackup, lambda: _flip_last_byte(backup / name))
    target = tmp_path / "restored"
    _use(monkeypatch, target, fresh_database)

    refused = runner.invoke(cli, ["restore", str(backup)])

    assert len(blobs) == 2
    said = " ".join(refused.output.split())  # unwrapped
    assert refused.exit_code == 1, refused.output
    assert f"{name} does not match its SHA-256 in the manifest (altered since it was checked)" in said
    _nothing_restored(target)


def test_a_blob_altered_in_s3_after_the_check_is_refused_as_it_is_restored(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s3_env: str
) -> None:
    if world.app.engine.dialect.name == "postgresql":
        pytest.skip("the blobs' check does not depend on the database")
    _disclosed(world)
    client, bucket = _bucket(s3_env)
    assert _s3_backup(world, monkeypatch, s3_env, f"s3://{bucket}/b", "--with-keys").exit_code == 0
    blob = next(key for key in _objects(client, bucket, "b/") if key.startswith("blobs/"))

    def alter() -> None:
        stored = client.get_object(Bucket=bucket, Key=f"b/{blob}")["Body"].read()
        client.put_object(Bucket=bucket, Key=f"b/{blob}", Body=stored[:-1] + bytes([stored[-1] ^ 1]))

    _altered_once_checked(monkeypatch, S3Backup, alter)
    target = tmp_path / "restored"
    _use(monkeypatch, target, None)
    monkeypatch.setenv("SHAREBOUND_S3_ENDPOINT_URL", s3_env)

    refused = runner.invoke(cli, ["restore", f"s3://{bucket}/b"])

    said = " ".join(refused.output.split())
    assert refused.exit_code == 1 and f"{blob} does not match its SHA-256" in said, refused.output
    _nothing_restored(target)


def test_a_restore_into_an_instance_that_is_not_empty_needs_force(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if world.app.engine.dialect.name == "postgresql":
        pytest.skip("the same on PostgreSQL; SQLite's is cheaper to set up")
    _disclosed(world)
    backup = tmp_path / "backup"
    _back_up(world, monkeypatch, backup)
    target = tmp_path / "restored"
    _use(monkeypatch, target, None)
    assert runner.invoke(cli, ["restore", str(backup)]).exit_code == 0

    again = runner.invoke(cli, ["restore", str(backup)])
    forced = runner.invoke(cli, ["restore", str(backup), "--force"])

    assert again.exit_code == 1 and "not empty" in again.output
    assert forced.exit_code == 0, forced.output
    assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0


def test_a_backup_without_keys_restores_only_with_the_key_given(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if world.app.engine.dialect.name == "postgresql":
        pytest.skip("the keys are the same on PostgreSQL")
    _disclosed(world)
    backup = tmp_path / "backup"
    _back_up(world, monkeypatch, backup, "--without-keys")
    target = tmp_path / "restored"
    _use(monkeypatch, target, None)

    keyless = runner.invoke(cli, ["restore", str(backup)])
    touched = target.exists()
    monkeypatch.setenv("SHAREBOUND_KEY_FILE", str(world.app.settings.resolved_key_file))
    keyed = runner.invoke(cli, ["restore", str(backup)])

    assert not (backup / "keys").exists()
    assert keyless.exit_code == 1 and "SHAREBOUND_KEY_FILE" in keyless.output
    assert not touched  # nothing was restored
    assert keyed.exit_code == 0, keyed.output
    assert runner.invoke(cli, ["blobs", "check"]).exit_code == 0


def test_a_backup_restores_into_an_s3_blob_store_where_blobs_check_reads_it(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s3_bucket: str, s3_env: str
) -> None:
    if world.app.engine.dialect.name == "postgresql":
        pytest.skip("the blob store does not depend on the database")
    disclosure_id = _disclosed(world)
    backup = tmp_path / "backup"
    _back_up(world, monkeypatch, backup)
    _use(monkeypatch, tmp_path / "restored", None)
    monkeypatch.setenv("SHAREBOUND_BLOB_URL", s3_bucket)
    monkeypatch.setenv("SHAREBOUND_S3_ENDPOINT_URL", s3_env)

    restored = runner.invoke(cli, ["restore", str(backup)])
    check = runner.invoke(cli, ["blobs", "check"])

    assert restored.exit_code == 0, restored.output
    assert check.exit_code == 0 and "checked 1 blobs: 0 missing, 0 corrupt" in check.output, check.output
    core = bootstrap.build(Settings(), clock=world.app.clock)
    try:
        assert register.view_disclosure(core.uow(), world.gina.id, disclosure_id).body == BODY
    finally:
        core.close()


# --- backups in an S3 bucket (moto's server on loopback) ---

def _s3_backup(world: World, monkeypatch: pytest.MonkeyPatch, s3_env: str, where: str,
               *options: str) -> Any:
    _use(monkeypatch, world.app.settings.data_dir, world.app.settings.database_url)
    monkeypatch.setenv("SHAREBOUND_S3_ENDPOINT_URL", s3_env)
    return runner.invoke(cli, ["backup", where, *options])


def _bucket(s3_env: str) -> tuple[Any, str]:
    client = s3_client_for(s3_env)
    name = f"sb-backup-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=name)
    return client, name


def _objects(client: Any, bucket: str, prefix: str) -> dict[str, dict[str, Any]]:
    found = client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])
    return {entry["Key"][len(prefix):]: entry for entry in found}


def test_a_backup_in_s3_restored_into_a_fresh_instance_verifies_checks_and_reads_back(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s3_env: str,
    fresh_database: str | None
) -> None:
    disclosure_id = _disclosed(world)
    large = os.urandom(PART + 1234)  # why: over one part, so its upload goes in parts
    items.add_item(world.uow(), world.alice.id, title="Firmware image", classification="internal",
                   topics=[], content=large, kind="file", media_type="application/octet-stream",
                   filename="fw.bin")
    client, bucket = _bucket(s3_env)

    made = _s3_backup(world, monkeypatch, s3_env, f"s3://{bucket}/backups/2026-12-07", "--with-keys")
    _use(monkeypatch, tmp_path / "restored", fresh_database)
    monkeypatch.setenv("SHAREBOUND_S3_ENDPOINT_URL", s3_env)
    restored = runner.invoke(cli, ["restore", f"s3://{bucket}/backups/2026-12-07"])
    verify = runner.invoke(cli, ["audit", "verify"])
    check = runner.invoke(cli, ["blobs", "check"])

    assert made.exit_code == 0 and "backed up to s3://" in made.output, made.output
    objects = _objects(client, bucket, "backups/2026-12-07/")
    manifest = json.loads(client.get_object(Bucket=bucket, Key="backups/2026-12-07/manifest.json")
                          ["Body"].read())
    assert set(objects) == set(manifest["files"]) | {"manifest.json"}
    assert manifest["keys"] is True and "keys/sharebound.key" in manifest["files"]
    biggest = max(objects.values(), key=lambda entry: entry["Size"])
    assert biggest["Size"] > PART and biggest["ETag"].strip('"').endswith("-2")  # a multipart upload
    assert restored.exit_code == 0, restored.output
    assert verify.exit_code == 0 and "every chain intact" in verify.output, verify.output
    assert check.exit_code == 0 and "0 missing, 0 corrupt" in check.output, check.output
    core = bootstrap.build(Settings(), clock=world.app.clock)
    try:
        assert register.view_disclosure(core.uow(), world.gina.id, disclosure_id).body == BODY
    finally:
        core.close()


def test_a_damaged_s3_backup_is_refused_before_anything_is_restored(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s3_env: str
) -> None:
    if world.app.engine.dialect.name == "postgresql":
        pytest.skip("the manifest's check does not depend on the database")
    _disclosed(world)
    client, bucket = _bucket(s3_env)
    assert _s3_backup(world, monkeypatch, s3_env, f"s3://{bucket}/b").exit_code == 0
    blob = next(key for key in _objects(client, bucket, "b/") if key.startswith("blobs/"))
    stored = client.get_object(Bucket=bucket, Key=f"b/{blob}")["Body"].read()
    client.put_object(Bucket=bucket, Key=f"b/{blob}", Body=stored[:-1])
    client.put_object(Bucket=bucket, Key="c/manifest.json", Body=b"{}")
    target = tmp_path / "restored"
    _use(monkeypatch, target, None)
    monkeypatch.setenv("SHAREBOUND_S3_ENDPOINT_URL", s3_env)

    damaged = runner.invoke(cli, ["restore", f"s3://{bucket}/b"])
    not_one = runner.invoke(cli, ["restore", f"s3://{bucket}/c"])
    nothing = runner.invoke(cli, ["restore", f"s3://{bucket}/nothing-here"])

    said = [" ".join(answer.output.split()) for answer in (damaged, not_one, nothing)]  # unwrapped
    assert damaged.exit_code == 1 and f"{blob} does not match its SHA-256" in said[0]
    assert not_one.exit_code == 1 and "not a backup manifest" in said[1]
    assert nothing.exit_code == 1 and "holds no manifest.json" in said[2]
    assert not target.exists()


def test_a_backup_into_an_s3_prefix_that_is_not_empty_is_refused(
    world: World, monkeypatch: pytest.MonkeyPatch, s3_env: str
) -> None:
    if world.app.engine.dialect.name == "postgresql":
        pytest.skip("the same on PostgreSQL")
    client, bucket = _bucket(s3_env)
    client.put_object(Bucket=bucket, Key="taken/notes.txt", Body=b"someone else's")

    refused = _s3_backup(world, monkeypatch, s3_env, f"s3://{bucket}/taken")
    no_bucket = _s3_backup(world, monkeypatch, s3_env, "s3://no-such-bucket-here/b")

    assert refused.exit_code == 1 and "is not empty" in " ".join(refused.output.split())
    assert set(_objects(client, bucket, "taken/")) == {"notes.txt"}  # nothing was written
    assert no_bucket.exit_code == 1 and "cannot be listed" in " ".join(no_bucket.output.split())


def test_a_view_still_in_the_access_queue_is_in_the_backup_with_its_event(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_database: str | None
) -> None:
    disclosure_id = _disclosed(world)
    register.view_disclosure(world.uow(), world.gina.id, disclosure_id)  # queued, not yet moved
    backup = tmp_path / "backup"
    _back_up(world, monkeypatch, backup)
    _use(monkeypatch, tmp_path / "restored", fresh_database)

    restored = runner.invoke(cli, ["restore", str(backup)])

    assert restored.exit_code == 0, restored.output
    core = bootstrap.build(Settings(), clock=world.app.clock)
    try:
        with core.uow() as uow:
            [access] = uow.disclosures.accesses(disclosure_id)
            assert (access.person_id, uow.access_queue.size()) == (world.gina.id, 0)
            disclosure = uow.disclosures.get(disclosure_id)
            assert disclosure is not None
            events = list(uow.events.read(partnership_log(disclosure.partnership_id), subject=disclosure_id))
    finally:
        core.close()
    # recorded in access_records (the queue is empty), its event in the partnership's log
    assert [e.data["access"] for e in events if e.kind == "disclosure_accessed"] == [access.id]


def test_a_backup_into_s3_leaves_the_key_file_out_unless_asked(
    world: World, monkeypatch: pytest.MonkeyPatch, s3_env: str
) -> None:
    if world.app.engine.dialect.name == "postgresql":
        pytest.skip("the same on PostgreSQL")
    _disclosed(world)
    client, bucket = _bucket(s3_env)

    made = _s3_backup(world, monkeypatch, s3_env, f"s3://{bucket}/plain")

    assert made.exit_code == 0, made.output
    assert "no key file in it" in " ".join(made.output.split())
    manifest = json.loads(client.get_object(Bucket=bucket, Key="plain/manifest.json")["Body"].read())
    assert manifest["keys"] is False
    assert not any(name.startswith("keys/") for name in _objects(client, bucket, "plain/"))
