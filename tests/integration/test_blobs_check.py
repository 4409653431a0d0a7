"""`check_blobs` finds what is missing, corrupt or orphaned, comparing the store with the database."""

from __future__ import annotations

from sharebound.services import blobs, items
from tests.integration.world import World


def test_the_check_names_missing_corrupt_and_orphan_blobs(world: World) -> None:
    kept = items.get_item(world.uow(), world.mia.id, world.note(body="kept as it is"))
    lost = items.get_item(world.uow(), world.mia.id, world.note(body="deleted from the disk"))
    spoiled = items.get_item(world.uow(), world.mia.id, world.note(body="altered on the disk"))
    store = world.app.blobs
    orphan = store.put(b"stored, but no item refers to it").sha256
    store.path(lost.current.sha256).unlink()
    store.path(spoiled.current.sha256).write_bytes(b"something else")

    report = blobs.check_blobs(world.uow())

    assert report.missing == [lost.current.sha256]
    assert report.corrupt == [spoiled.current.sha256]
    assert report.orphans == [orphan]
    assert kept.current.sha256 not in report.missing + report.corrupt + report.orphans
    assert not report.healthy


def test_an_upload_streams_into_the_store_and_keeps_its_size(world: World) -> None:
    import io

    item = items.add_item(world.uow(), world.mia.id, title="Spec", classification="internal", topics=[],
                          content=io.BytesIO(b"pin,volts\n1,3.3\n"), kind="file", media_type="text/csv",
                          filename="spec.csv", limit=1024)

    assert item.current.size == 16
    assert items.item_content(world.uow(), world.mia.id, item.id) == b"pin,volts\n1,3.3\n"
