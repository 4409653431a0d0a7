"""`check_blobs` finds what is missing, corrupt or orphaned, comparing the store with the database."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sharebound import bootstrap
from sharebound.adapters.blobs import INCOMING
from sharebound.config import Settings
from sharebound.services import blobs, items
from tests.integration.world import World


def test_the_check_names_missing_corrupt_and_orphan_blobs(world: World) -> None:
    kept = items.get_item(world.uow(), world.mia.id, world.note(body="kept as it is"))
    lost = items.get_item(world.uow(), world.mia.id, world.note(body="deleted from the disk"))
    spoiled = items.get_item(world.uow(), world.mia.id, world.note(body="altered on the disk"))
    store, org = world.app.blobs, kept.owner
    orphan = store.name_of(store.put(b"stored, but no item refers to it", org=org).sha256, org=org)
    lost_name = store.name_of(lost.current.sha256, org=org)
    spoiled_name = store.name_of(spoiled.current.sha256, org=org)
    store.path(lost_name).unlink()
    sealed = bytearray(store.path(spoiled_name).read_bytes())
    sealed[-20] ^= 1  # one bit: authentication fails
    store.path(spoiled_name).write_bytes(bytes(sealed))

    report = blobs.check_blobs(world.uow())

    assert report.missing == [lost_name]
    assert report.corrupt == [spoiled_name]
    assert report.orphans == [orphan]
    assert store.name_of(kept.current.sha256, org=org) not in report.missing + report.corrupt + report.orphans
    assert not report.healthy


def test_an_upload_streams_into_the_store_and_keeps_its_size(world: World) -> None:
    import io

    item = items.add_item(world.uow(), world.mia.id, title="Spec", classification="internal", topics=[],
                          content=io.BytesIO(b"pin,volts\n1,3.3\n"), kind="file", media_type="text/csv",
                          filename="spec.csv", limit=1024)

    assert item.current.size == 16
    assert items.item_content(world.uow(), world.mia.id, item.id) == b"pin,volts\n1,3.3\n"


def test_an_upload_left_by_a_killed_server_is_reported_by_the_check_and_removed_at_start(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    bootstrap.init(settings).close()
    incoming = settings.blobs_dir / INCOMING
    incoming.mkdir(exist_ok=True)
    killed, running = incoming / "blob-killed", incoming / "blob-running"
    for path, age in ((killed, 2 * 3600), (running, 1)):
        path.write_bytes(b"half an upload")
        os.utime(path, (time.time() - age, time.time() - age))
    app = bootstrap.build(settings)

    report = blobs.check_blobs(app.uow(), stale_seconds=settings.incoming_stale_minutes * 60)
    app.close()
    restarted = bootstrap.init(settings)
    restarted.close()

    assert report.unfinished == ["blob-killed"]
    assert not killed.exists() and running.exists()
    assert any("unfinished upload" in notice for notice in restarted.notices)
