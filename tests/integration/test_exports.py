"""Exports of the register and the access report through the use case: the rows each reader
may see, the filters, the audit event, CSV injection, a PDF of every row, streaming."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from sqlalchemy import insert, select

from sharebound.adapters.db import tables
from sharebound.domain import exports as domain_exports
from sharebound.domain.audit import org_log, partnership_log
from sharebound.domain.errors import InvalidInput, NotFound
from sharebound.domain.exports import ACCESS_COLUMNS, REGISTER_COLUMNS, ExportKind, parse_ask
from sharebound.domain.ids import new_id
from sharebound.services import copies, disclosures, exports, items
from sharebound.services.disclosures import DisclosureDraft
from tests.conftest import FakeClock
from tests.integration.world import World


def _disclose(world: World, agreement_id: str, to: str, *, title: str = "Thermal test results",
              classification: str = "confidential", topics: tuple[str, ...] = ("thermal",),
              by: str | None = None) -> str:
    """A disclosure a second after the one before (the register's order is by time)."""
    clock = world.app.clock
    assert isinstance(clock, FakeClock)
    clock.advance(seconds=1)
    item = items.add_item(world.uow(), by or world.mia.id, title=title, classification=classification,
                          topics=list(topics), content=b"Drift under 0.2 K").id
    return disclosures.disclose(world.uow(), by or world.mia.id, DisclosureDraft(
        item_id=item, agreement_id=agreement_id, recipients=[to], actions=["view", "download"])).id


def _csv(world: World, actor: str | None, kind: ExportKind = ExportKind.REGISTER, *,
         agreement_id: str | None = None, partnership_id: str | None = None,
         **fields: str) -> list[dict[str, str]]:
    ask = parse_ask(kind, {"format": "csv", **fields}, agreement_id=agreement_id,
                    partnership_id=partnership_id)
    data = b"".join(exports.start_export(world.uow(), actor, ask).chunks())
    assert b"\r\n" in data and not data.startswith(b"\xef\xbb\xbf")  # CRLF, no BOM
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    assert tuple(reader.fieldnames or ()) == (REGISTER_COLUMNS if kind is ExportKind.REGISTER
                                              else ACCESS_COLUMNS)
    return list(reader)


def test_a_register_csv_has_the_documented_columns_and_each_side_s_rows(world: World) -> None:
    agreement = world.signed()
    given = _disclose(world, agreement.id, "gina@globex.example")
    received = _disclose(world, agreement.id, "mia@acme.example", by=world.grace.id)

    rows = _csv(world, world.alice.id, agreement_id=agreement.id)

    assert [(r["disclosure_id"], r["direction"]) for r in rows] == [(given, "given"), (received, "received")]
    first = rows[0]
    assert first["discloser_org"] == "acme" and first["disclosed_by"] == "mia@acme.example"
    assert first["recipients"] == "gina@globex.example" and first["recipient_orgs"] == "globex"
    assert first["classification"] == "confidential" and first["topics"] == "thermal"
    assert first["actions"] == "download; view" and first["state"] == "active"
    assert first["agreement_digest"] == agreement.current.digest
    assert first["disclosed_at"].endswith("Z")


def test_direction_classification_topic_and_dates_filter_the_rows(world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    old = _disclose(world, agreement.id, "gina@globex.example", classification="internal",
                    topics=("roadmap", "thermal"))
    day_one = clock().date()
    clock.advance(days=2)
    new = _disclose(world, agreement.id, "gina@globex.example", topics=("optics",))
    received = _disclose(world, agreement.id, "mia@acme.example", by=world.grace.id)

    def ids(**fields: str) -> list[str]:
        return [r["disclosure_id"] for r in _csv(world, world.alice.id, agreement_id=agreement.id, **fields)]

    assert ids(direction="given") == [old, new]
    assert ids(direction="received") == [received]
    assert ids(classification="internal") == [old]
    assert ids(topic="Roadmap") == [old]
    assert ids(topic="road") == []
    assert ids(to=day_one.isoformat()) == [old]
    assert ids(**{"from": (day_one + timedelta(days=1)).isoformat()}) == [new, received]


def test_a_member_exports_what_was_disclosed_to_them_and_an_admin_the_org_s(world: World) -> None:
    agreement = world.signed()
    to_gina = _disclose(world, agreement.id, "gina@globex.example")
    to_grace = _disclose(world, agreement.id, "grace@globex.example")

    gina = _csv(world, world.gina.id, agreement_id=agreement.id, direction="received")
    grace = _csv(world, world.grace.id, partnership_id=world.partnership.id, direction="received")

    assert [r["disclosure_id"] for r in gina] == [to_gina]
    assert [r["disclosure_id"] for r in grace] == [to_gina, to_grace]


def test_someone_outside_the_agreement_finds_nothing_to_export_and_nothing_is_recorded(world: World) -> None:
    agreement = world.signed()
    before = _events(world)

    for scope in ({"agreement_id": agreement.id}, {"partnership_id": world.partnership.id},
                  {"agreement_id": "agr_unknown"}):
        with pytest.raises(NotFound):
            exports.start_export(world.uow(), world.ian.id, parse_ask(ExportKind.REGISTER, {}, **scope))

    assert _events(world) == before


def test_every_export_is_an_audit_event_with_who_what_filters_rows_and_format(world: World) -> None:
    agreement = world.signed()
    _disclose(world, agreement.id, "gina@globex.example")
    _disclose(world, agreement.id, "gina@globex.example", classification="internal")

    _csv(world, world.alice.id, agreement_id=agreement.id, classification="internal", direction="given")

    with world.uow() as uow:
        event = list(uow.events.read(org_log("acme")))[-1]
        in_partnership = [e.kind for e in uow.events.read(partnership_log(world.partnership.id))]
    assert (event.kind, event.actor, event.subject) == ("export_made", world.alice.id, agreement.id)
    assert "export_made" not in in_partnership  # the partner never reads what acme exported
    assert event.data == {"report": "register", "format": "csv", "direction": "given", "rows": 1,
                          "classification": "internal"}


def test_a_title_that_starts_like_a_formula_is_written_as_text(world: World) -> None:
    agreement = world.signed()
    for title in ("=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "Plain, with comma"):
        _disclose(world, agreement.id, "gina@globex.example", title=title)

    titles = [r["item_title"] for r in _csv(world, world.alice.id, agreement_id=agreement.id)]

    assert titles == ["'=HYPERLINK(\"http://x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "Plain, with comma"]


def test_the_access_report_lists_who_opened_what_and_the_copy(world: World) -> None:
    agreement = world.signed()
    made = _disclose(world, agreement.id, "gina@globex.example")
    copies.download_disclosure(world.uow(), world.gina.id, made)

    rows = _csv(world, world.alice.id, ExportKind.ACCESS, agreement_id=agreement.id)
    mine = _csv(world, world.mia.id, ExportKind.ACCESS, agreement_id=agreement.id)  # she disclosed it
    theirs = _csv(world, world.grace.id, ExportKind.ACCESS, agreement_id=agreement.id)

    assert [(r["person_email"], r["action"], r["disclosure_id"]) for r in rows] == [
        ("gina@globex.example", "download", made)]
    assert rows[0]["copy_id"] and rows[0]["person_org"] == "globex"
    assert mine == rows and theirs == []


def test_the_operator_exports_every_row_but_names_no_direction(world: World) -> None:
    agreement = world.signed()
    _disclose(world, agreement.id, "gina@globex.example")
    _disclose(world, agreement.id, "mia@acme.example", by=world.grace.id)

    rows = _csv(world, None, agreement_id=agreement.id)

    assert [r["direction"] for r in rows] == ["", ""]
    with pytest.raises(InvalidInput) as refused:
        exports.start_export(world.uow(), None, parse_ask(
            ExportKind.REGISTER, {"direction": "given"}, agreement_id=agreement.id))
    assert "direction" in refused.value.errors


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # why: slow; its SQL is tested above
def test_a_pdf_of_2000_rows_has_every_row_and_its_title_page(world: World) -> None:
    agreement = world.signed()
    _bulk(world, agreement.id, 2000)
    ask = parse_ask(ExportKind.REGISTER, {"format": "pdf"}, agreement_id=agreement.id)

    export = exports.start_export(world.uow(), world.alice.id, ask)
    data = b"".join(export.chunks())

    document = pdfium.PdfDocument(data)
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    text = "\n".join(pages)
    assert all(f"Bulk item {n:04d}" in text for n in range(2000))
    assert agreement.current.digest in pages[0] and "Alice <alice@acme.example> of acme" in pages[0]
    assert all(p.count("disclosure_id") == 1 for p in pages[1:])  # the header on every page
    assert export.rows == 2001  # the first disclosure and its 2,000 copies


def test_a_csv_export_is_sent_in_chunks_read_batch_by_batch(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "BATCH", 100)
    monkeypatch.setattr(domain_exports, "ROWS_PER_CHUNK", 100)
    agreement = world.signed()
    _bulk(world, agreement.id, 250)
    export = exports.start_export(world.uow(), world.alice.id, parse_ask(
        ExportKind.REGISTER, {}, agreement_id=agreement.id))
    batches_read = 0
    original = export.batches

    def counted() -> Iterator[list[tuple[object, ...]]]:
        nonlocal batches_read
        for batch in original():
            batches_read += 1
            yield batch

    object.__setattr__(export, "batches", counted)
    chunks = export.chunks()
    first = next(chunks)

    assert first.startswith(b"disclosure_id,") and batches_read == 1  # before the rest is read
    rest = list(chunks)
    assert batches_read == 3 and len(rest) >= 2
    assert sum(c.count(b"\r\n") for c in [first, *rest]) == 252  # the header and 251 rows


def _events(world: World) -> int:
    with world.uow() as uow:
        count: int = uow.events.count()
    return count


def _bulk(world: World, agreement_id: str, count: int) -> None:
    """A disclosure by acme to gina, then `count` copies of it before it ("Bulk item 0000"...),
    written in one statement each (the use case would take minutes)."""
    made = disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement_id, recipients=["gina@globex.example"],
        actions=["view"]))
    with world.app.engine.begin() as connection:
        row = dict(connection.execute(select(tables.disclosures).where(
            tables.disclosures.c.id == made.id)).one()._mapping)
        ids = [new_id("dis") for _ in range(count)]
        made_at = {d: made.created_at - timedelta(seconds=count - n) for n, d in enumerate(ids)}
        connection.execute(insert(tables.disclosures), [
            {**row, "id": d, "item_title": f"Bulk item {n:04d}", "created_at": made_at[d]}
            for n, d in enumerate(ids)])
        connection.execute(insert(tables.disclosure_recipients), [
            {"disclosure_id": d, "person_id": world.gina.id, "org": world.gina.org,
             "partnership_id": row["partnership_id"], "created_at": made_at[d],
             "expires_at": row["expires_at"]} for d in ids])
