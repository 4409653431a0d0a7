"""Agreements: versions (canonical terms JSON), signatures and termination."""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, Label, Select, insert, literal_column, select, update

from sharebound.adapters.db.engine import READ_ONLY
from sharebound.adapters.db.repositories.esign import evidence_from_row
from sharebound.adapters.db.tables import (
    agreement_versions,
    agreements,
    partnership_members,
    signature_evidence,
    signatures,
)
from sharebound.adapters.db.where import in_list, one_of
from sharebound.domain.agreement_document import FORMAT_DOCUMENT, FORMAT_TERMS_JSON, check_document
from sharebound.domain.agreements import Agreement, AgreementVersion, Signature, Termination
from sharebound.domain.errors import DamagedRecord, InvalidInput
from sharebound.domain.terms import parse_terms
from sharebound.domain.values import sha256_hex

log = logging.getLogger("sharebound.agreements")

#: On PostgreSQL each agreement read comes with a fingerprint of its stored rows (the
#: agreement's, its versions', signatures' and their evidence's), read in the same statement:
#: each row's `xmin` (the transaction that wrote this version of the row) and `ctid` (where it
#: lies). PostgreSQL writes a new version of a row, with a new `xmin`, for every change, so
#: any row appended, altered in place or removed changes the fingerprint. An agreement already
#: assembled and checked from rows with that fingerprint is taken from `_ASSEMBLED` instead of
#: reading its versions and signatures again and checking each version against its digest: a
#: damaged record is still found on its next read (the check then runs and refuses it).
_FINGERPRINT: Label[str] = literal_column("""agreements.xmin::text || ':' || agreements.ctid::text
    || '|' || coalesce((SELECT string_agg(v.xmin::text || ':' || v.ctid::text, ',' ORDER BY v.number)
                        FROM agreement_versions v WHERE v.agreement_id = agreements.id), '')
    || '|' || coalesce((SELECT string_agg(s.xmin::text || ':' || s.ctid::text, ',' ORDER BY s.id)
                        FROM signatures s WHERE s.agreement_id = agreements.id), '')
    || '|' || coalesce((SELECT string_agg(e.xmin::text || ':' || e.ctid::text, ',' ORDER BY e.id)
                        FROM signature_evidence e WHERE e.agreement_id = agreements.id), '')""").label(
    "fingerprint")


class _Assembled:
    """Agreements assembled from rows with a known fingerprint: the most recently read
    `size`, shared by every connection of the process (the agreements are immutable values)."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._found: OrderedDict[tuple[str, str], Agreement] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> Agreement | None:
        with self._lock:
            found = self._found.get(key)
            if found is not None:
                self._found.move_to_end(key)
            return found

    def put(self, key: tuple[str, str], agreement: Agreement) -> None:
        with self._lock:
            self._found[key] = agreement
            self._found.move_to_end(key)
            while len(self._found) > self.size:
                self._found.popitem(last=False)


_ASSEMBLED = _Assembled()


class AgreementRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        # why: as for partnerships (repositories/partnerships.py), a page reads a partnership's
        # agreements (and the agreements of its registers' rows) once per part; inside a
        # read-only transaction, once
        self._read: dict[str, list[Agreement]] = {}
        self._by_id: dict[str, Agreement | None] = {}

    def add(self, agreement: Agreement) -> None:
        self.connection.execute(insert(agreements).values(
            id=agreement.id, partnership_id=agreement.partnership_id,
            created_at=agreement.versions[0].created_at))
        for version in agreement.versions:
            self.add_version(agreement.id, version)

    def add_version(self, agreement_id: str, version: AgreementVersion) -> None:
        self.connection.execute(insert(agreement_versions).values(
            agreement_id=agreement_id, number=version.number,
            terms=version.terms.canonical().decode("utf-8"), digest=version.digest,
            created_at=version.created_at, created_by=version.created_by,
            document_format=version.document_format, document=version.document))

    def add_signature(self, agreement_id: str, signature: Signature) -> None:
        self.connection.execute(insert(signatures).values(
            agreement_id=agreement_id, version=signature.version, digest=signature.digest,
            org=signature.org, person_id=signature.person_id, name=signature.name,
            title=signature.title, signed_at=signature.signed_at))

    def save_termination(self, agreement: Agreement) -> None:
        ended = agreement.termination
        assert ended is not None
        self.connection.execute(
            update(agreements).where(agreements.c.id == agreement.id).values(
                terminated_at=ended.at, terminated_by_org=ended.org,
                terminated_by=ended.person_id, termination_reason=ended.reason))

    def get(self, agreement_id: str, *, lock: bool = False) -> Agreement | None:
        """`lock`: hold the agreement's row until the transaction ends (PostgreSQL's
        FOR UPDATE; SQLite's writers already hold the database), so that a use case's checks
        stay true until it writes."""
        if not lock and self.connection.info.get(READ_ONLY, False):
            return self.get_many([agreement_id]).get(agreement_id)
        query = self._rows().where(agreements.c.id == agreement_id)
        row = self.connection.execute(query.with_for_update(of=agreements) if lock else query).first()
        if row is None:
            return None
        return self._assemble([row])[agreement_id]

    def get_many(self, agreement_ids: Iterable[str]) -> dict[str, Agreement]:
        """The agreements with these ids (those that exist), in three queries however many."""
        wanted = sorted(set(agreement_ids))
        if not wanted:
            return {}
        if not self.connection.info.get(READ_ONLY, False):
            return self._get_many(wanted)
        missing = [i for i in wanted if i not in self._by_id]
        if missing:
            found = self._get_many(missing)
            self._by_id.update({i: found.get(i) for i in missing})
        return {i: agreement for i in wanted if (agreement := self._by_id[i]) is not None}

    def _get_many(self, wanted: list[str]) -> dict[str, Agreement]:
        rows = self.connection.execute(_by_ids(self.connection.dialect.name), {"ids": wanted}).all()
        return self._assemble(rows)

    def in_partnerships_of(self, org: str) -> list[Agreement]:
        """Every agreement of every partnership `org` is a member of, in three queries."""
        m = partnership_members
        rows = self.connection.execute(self._rows().where(agreements.c.partnership_id.in_(
            select(m.c.partnership_id).where(m.c.org == org))).order_by(agreements.c.id)).all()
        return list(self._assemble(rows).values())

    def _rows(self) -> Select[Any]:
        return _rows(self.connection.dialect.name)

    def _assemble(self, rows: Sequence[Any]) -> dict[str, Agreement]:
        """The agreements of `rows`: those whose fingerprint was seen as they are, the others
        read (versions, signatures) and checked."""
        known: dict[str, Agreement] = {}
        for row in rows:
            fingerprint = getattr(row, "fingerprint", None)
            if fingerprint is not None and (found := _ASSEMBLED.get((row.id, fingerprint))) is not None:
                known[row.id] = found
        unknown = [r for r in rows if r.id not in known]
        assembled = self._read_and_check(unknown) if unknown else {}
        for row in rows:
            if row.id in assembled and getattr(row, "fingerprint", None) is not None:
                _ASSEMBLED.put((row.id, row.fingerprint), assembled[row.id])
        return {row.id: known.get(row.id) or assembled[row.id] for row in rows}

    def _read_and_check(self, rows: Sequence[Any]) -> dict[str, Agreement]:
        ids = [r.id for r in rows]
        versions: dict[str, list[AgreementVersion]] = {i: [] for i in ids}
        for v in self.connection.execute(
                select(agreement_versions)
                .where(one_of(self.connection, agreement_versions.c.agreement_id, ids))
                .order_by(agreement_versions.c.agreement_id, agreement_versions.c.number)):
            versions[v.agreement_id].append(_version(v))
        e = signature_evidence
        signed: dict[str, list[Signature]] = {i: [] for i in ids}
        for s in self.connection.execute(
                select(signatures, *[c.label(f"evidence_{c.name}") for c in e.c])
                .outerjoin(e, (e.c.agreement_id == signatures.c.agreement_id)
                           & (e.c.version == signatures.c.version) & (e.c.org == signatures.c.org))
                .where(one_of(self.connection, signatures.c.agreement_id, ids))
                .order_by(signatures.c.id)):
            signed[s.agreement_id].append(Signature(
                version=s.version, digest=s.digest, org=s.org, person_id=s.person_id,
                name=s.name, title=s.title, signed_at=s.signed_at,
                evidence=evidence_from_row(s._mapping) if s.evidence_id is not None else None))
        found = {}
        for row in rows:
            termination = None
            if row.terminated_at is not None:
                termination = Termination(org=row.terminated_by_org, person_id=row.terminated_by,
                                          reason=row.termination_reason, at=row.terminated_at)
            found[row.id] = Agreement(id=row.id, partnership_id=row.partnership_id,
                                      versions=tuple(versions[row.id]), signatures=tuple(signed[row.id]),
                                      termination=termination)
        return found

    def list_for_partnership(self, partnership_id: str) -> list[Agreement]:
        if not self.connection.info.get(READ_ONLY, False):
            return self._list_for_partnership(partnership_id)
        if partnership_id not in self._read:
            self._read[partnership_id] = self._list_for_partnership(partnership_id)
        return list(self._read[partnership_id])

    def _list_for_partnership(self, partnership_id: str) -> list[Agreement]:
        rows = self.connection.execute(
            self._rows().where(agreements.c.partnership_id == partnership_id)
            .order_by(agreements.c.created_at, agreements.c.id)).all()
        if not self.connection.info.get(READ_ONLY, False):
            found = self._assemble(rows)
            return [found[r.id] for r in rows]
        # why: each assembled once per read-only transaction (get_many's too)
        self._by_id.update(self._assemble([r for r in rows if r.id not in self._by_id]))
        return [agreement for r in rows if (agreement := self._by_id[r.id]) is not None]


def _rows(dialect: str) -> Select[Any]:
    """The agreements' rows, on PostgreSQL with their fingerprint (`_FINGERPRINT`)."""
    if dialect == "postgresql":
        return select(agreements, _FINGERPRINT)
    return select(agreements)


@cache
def _by_ids(dialect: str) -> Select[Any]:
    return _rows(dialect).where(in_list(dialect, agreements.c.id, "ids"))


def _version(row: Any) -> AgreementVersion:
    """A stored version, refused loudly unless it still hashes to the digest the parties
    signed: its document (format 2), or its terms JSON (format 1). Never re-rendered."""
    where = f"agreement {row.agreement_id} version {row.number}"
    try:
        terms = parse_terms(json.loads(row.terms))
    except (ValueError, InvalidInput) as bad:
        raise _damaged(DamagedRecord(f"{where}: its stored terms no longer read")) from bad
    document = bytes(row.document) if row.document is not None else None
    try:
        if row.document_format == FORMAT_DOCUMENT and document is not None and not terms.is_legacy:
            check_document(document, row.digest, terms, where)
        elif (row.document_format != FORMAT_TERMS_JSON or document is not None
              or terms.digest != row.digest or sha256_hex(row.terms.encode("utf-8")) != row.digest):
            raise DamagedRecord(f"{where}: its terms no longer match the digest that was signed")
    except DamagedRecord as damaged:
        raise _damaged(damaged) from None
    return AgreementVersion(number=row.number, terms=terms, digest=row.digest,
                            created_at=row.created_at, created_by=row.created_by,
                            document=document, document_format=row.document_format)


def _damaged(error: DamagedRecord) -> DamagedRecord:
    log.error("damaged agreement record: %s", error)
    return error
