"""Export the disclosure register or the access report of an agreement or a partnership, as
CSV or PDF, streamed (docs/exports.md).

`start_export` is the use case: in one transaction it checks who may read what, counts the
rows and records the export in the partnership's audit log. The `Export` it answers then reads
its rows in keyset batches, one short read transaction each, as the bytes are sent: a CSV is
never held whole; a PDF is rendered a slice of pages at a time into a spooled file
(adapters/export_pdf.py). Rows made after the export's moment are left out, so the count in
the audit event is the count written.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sharebound.adapters.db.repositories.exports import AccessRow, Cursor, ExportQuery, RegisterRow
from sharebound.adapters.export_pdf import PdfTable, TitlePage, write_pdf
from sharebound.domain.audit import OPERATOR_LOG, org_log
from sharebound.domain.errors import InvalidInput, NotFound
from sharebound.domain.events import ExportMade
from sharebound.domain.exports import (
    ACCESS_COLUMNS,
    REGISTER_COLUMNS,
    ExportAsk,
    ExportDirection,
    ExportFormat,
    ExportKind,
    csv_chunks,
    file_name,
    printed,
)
from sharebound.domain.orgs import Person
from sharebound.services.common import actor, record, visible_agreement, visible_partnership
from sharebound.services.disclosures import answers_for_org
from sharebound.services.register import witnessed_labels
from sharebound.services.unit_of_work import UnitOfWork

BATCH = 1000  # rows per keyset query; why: few round trips, and one batch held at a time (not tuned)
SEND_CHUNK = 1024 * 1024  # bytes of a rendered PDF per chunk sent
SPOOL = 8 * 1024 * 1024  # a PDF up to this size stays in memory; a larger one goes to a temp file

#: The columns the PDF's table shows (all of them are in the CSV): what fits on a landscape page.
PDF_REGISTER = ("disclosed_at", "direction", "disclosure_id", "item_title", "classification",
                "topics", "disclosed_by", "recipients", "state", "agreement_version")
PDF_ACCESS = ("accessed_at", "action", "person_name", "person_email", "person_org", "copy_id",
              "item_title", "disclosure_id")


@dataclass(frozen=True)
class Export:
    """One export, recorded, ready to be sent: `chunks()` reads and writes it batch by batch."""

    uow: UnitOfWork
    ask: ExportAsk
    query: ExportQuery
    title: TitlePage
    rows: int  # as recorded in the audit event
    reader_org: str | None

    @property
    def file_name(self) -> str:
        return file_name(self.ask, self.query.until)

    @property
    def media_type(self) -> str:
        if self.ask.format is ExportFormat.CSV:
            return "text/csv; charset=utf-8; header=present"
        return "application/pdf"

    @property
    def columns(self) -> tuple[str, ...]:
        return REGISTER_COLUMNS if self.ask.kind is ExportKind.REGISTER else ACCESS_COLUMNS

    def batches(self) -> Iterator[list[tuple[object, ...]]]:
        """The rows as the columns say, a batch at a time, each read in its own transaction."""
        after: Cursor | None = None
        while True:
            with self.uow.reading():
                rows, last = (self._register_batch(after) if self.ask.kind is ExportKind.REGISTER
                              else self._access_batch(after))
            if rows:
                yield rows
            if last is None or len(rows) < BATCH:
                return
            after = last

    def chunks(self) -> Iterator[bytes]:
        """The file's bytes, a chunk at a time (a sync generator: run it in a worker thread)."""
        if self.ask.format is ExportFormat.CSV:
            yield from csv_chunks(self.columns, self.batches())
            return
        shown = PDF_REGISTER if self.ask.kind is ExportKind.REGISTER else PDF_ACCESS
        picks = [self.columns.index(c) for c in shown]
        table = PdfTable(columns=shown, rows=([printed(row[i]) for i in picks]
                                              for batch in self.batches() for row in batch))
        with tempfile.SpooledTemporaryFile(max_size=SPOOL) as spooled:
            write_pdf(self.title, table, spooled)
            spooled.seek(0)
            while piece := spooled.read(SEND_CHUNK):
                yield piece

    def _register_batch(self, after: Cursor | None) -> tuple[list[tuple[object, ...]], Cursor | None]:
        found = self.uow.exports.register_batch(self.query, after, BATCH)
        labels = witnessed_labels(self.uow, found)
        return ([(*self._register_row(r), labels.get(r.id, "")) for r in found],
                (found[-1].created_at, found[-1].id) if found else None)

    def _access_batch(self, after: Cursor | None) -> tuple[list[tuple[object, ...]], Cursor | None]:
        found = self.uow.exports.access_batch(self.query, after, BATCH)
        return [_access_row(r) for r in found], (found[-1].at, found[-1].id) if found else None

    def _register_row(self, r: RegisterRow) -> tuple[object, ...]:
        direction = ("" if self.reader_org is None else
                     "given" if r.discloser == self.reader_org else "received")
        until = self.query.until
        state = ("revoked" if r.revoked_at is not None and r.revoked_at <= until
                 else "expired" if until >= r.expires_at else "active")
        return (r.id, r.created_at, direction, r.discloser, r.by_email,
                tuple(e for e, _ in r.recipients), frozenset(o for _, o in r.recipients),
                r.item_id, r.item_version, r.item_title, r.item_sha256, r.classification,
                r.topics, r.actions, r.expires_at, state, r.revoked_at, r.partnership_id,
                r.agreement_id, r.agreement_version, r.agreement_digest)


def _access_row(r: AccessRow) -> tuple[object, ...]:
    return (r.id, r.at, r.action, r.name, r.email, r.org, r.copy_id, r.disclosure_id,
            r.item_title, r.classification, r.agreement_id, r.agreement_version)


def start_export(uow: UnitOfWork, actor_id: str | None, ask: ExportAsk) -> Export:
    """Check that the actor may read the report (the operator: `actor_id` None, every row),
    count its rows and record the export; the answer streams it. What the actor may not see
    does not exist (`NotFound`)."""
    with uow:
        person = actor(uow, actor_id) if actor_id is not None else None
        partnership_id, title = _scope(uow, person, ask)
        query = _query(person, ask, uow.clock())
        rows = (uow.exports.count_register(query) if ask.kind is ExportKind.REGISTER
                else uow.exports.count_accesses(query))
        f = ask.filters
        # why the exporter's own log: what an org exports, and its filters, are its business
        log = org_log(person.org) if person is not None else OPERATOR_LOG
        record(uow, log, actor_id, ask.agreement_id or partnership_id,
               ExportMade(report=ask.kind.value, format=ask.format.value, direction=f.direction.value,
                          rows=rows, date_from=f.date_from.isoformat() if f.date_from else None,
                          date_to=f.date_to.isoformat() if f.date_to else None,
                          classification=f.classification.value if f.classification else None,
                          topic=f.topic))
        uow.commit()
    by = "the operator" if person is None else f"{person.name} <{person.email}> of {person.org}"
    page = TitlePage(heading=title[0], lines=(*title[1:], *_period(ask),
                                               f"Exported by: {by}",
                                               f"Exported at: {printed(query.until)}",
                                               f"Rows: {rows}"))
    return Export(uow=uow, ask=ask, query=query, title=page, rows=rows,
                  reader_org=person.org if person else None)


def _scope(uow: UnitOfWork, person: Person | None, ask: ExportAsk) -> tuple[str, list[str]]:
    """The partnership the export is of, and the title page's first lines."""
    report = "Disclosure register" if ask.kind is ExportKind.REGISTER else "Access report"
    if ask.agreement_id is not None:
        if person is not None:
            agreement = visible_agreement(uow, person, ask.agreement_id)
        elif (found := uow.agreements.get(ask.agreement_id)) is not None:
            agreement = found
        else:
            raise NotFound("agreement", ask.agreement_id)
        partnership = uow.partnerships.get(agreement.partnership_id)
        assert partnership is not None  # a foreign key guarantees it
        agreements = [agreement]
        subject = f"Agreement {agreement.id}, partnership {partnership.name}"
    else:
        assert ask.partnership_id is not None
        if person is not None:
            partnership = visible_partnership(uow, person, ask.partnership_id, accepted=True)
        elif (known := uow.partnerships.get(ask.partnership_id)) is not None:
            partnership = known
        else:
            raise NotFound("partnership", ask.partnership_id)
        agreements = uow.agreements.list_for_partnership(partnership.id)
        subject = f"Partnership {partnership.name} ({partnership.id})"
    parties = []
    for handle in sorted({h for a in agreements for h in a.terms.parties} or set(partnership.orgs)):
        org = uow.orgs.get_org(handle)
        parties.append(f"{org.profile.legal_name or org.name} ({handle})" if org else handle)
    lines = [f"{report} of {subject}", f"Parties: {', '.join(parties)}"]
    lines += [f"Agreement {a.id}: version {a.current.number}, digest {a.current.digest}"
              for a in agreements]
    return partnership.id, lines


def _query(person: Person | None, ask: ExportAsk, now: datetime) -> ExportQuery:
    f = ask.filters
    common = {"until": now, "agreement_id": ask.agreement_id, "partnership_id": ask.partnership_id,
              "starts": f.starts, "ends": f.ends,
              "classification": f.classification.value if f.classification else None, "topic": f.topic}
    if person is None:
        if ask.kind is ExportKind.REGISTER and f.direction is not ExportDirection.BOTH:
            raise InvalidInput({"direction": "the operator belongs to no org: must be both"})
        return ExportQuery(**common)  # type: ignore[arg-type]
    whole_org = answers_for_org(person)
    if ask.kind is ExportKind.ACCESS:
        return ExportQuery(**common, org=person.org,  # type: ignore[arg-type]
                           disclosed_by=None if whole_org else person.id)
    return ExportQuery(**common, org=person.org,  # type: ignore[arg-type]
                       person_id=None if whole_org else person.id,
                       given=f.direction is not ExportDirection.RECEIVED,
                       received=f.direction is not ExportDirection.GIVEN)


def _period(ask: ExportAsk) -> Sequence[str]:
    f = ask.filters
    period = (f"Period: {f.date_from.isoformat() if f.date_from else 'the beginning'} to "
              f"{f.date_to.isoformat() if f.date_to else 'the export'} (UTC days, both included)")
    described = f.described()
    shown = ", ".join(f"{k}={v}" for k, v in described.items())
    return (period, f"Filters: {shown}")
