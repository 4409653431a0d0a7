"""Agreement documents: the uploaded executed NDAs of a partnership."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from sharebound.adapters.db.tables import agreement_documents
from sharebound.domain.uploaded_ndas import UploadedNda


class UploadedNdaRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, document: UploadedNda) -> None:
        self.connection.execute(insert(agreement_documents).values(
            id=document.id, partnership_id=document.partnership_id, org=document.org,
            filename=document.filename, media_type=document.media_type, size=document.size,
            sha256=document.sha256, uploaded_by=document.uploaded_by,
            uploaded_at=document.uploaded_at))

    def get(self, document_id: str) -> UploadedNda | None:
        row = self.connection.execute(
            select(agreement_documents).where(agreement_documents.c.id == document_id)).first()
        return _document(row) if row is not None else None

    def list_for_partnership(self, partnership_id: str) -> list[UploadedNda]:
        rows = self.connection.execute(
            select(agreement_documents)
            .where(agreement_documents.c.partnership_id == partnership_id)
            .order_by(agreement_documents.c.uploaded_at, agreement_documents.c.id))
        return [_document(r) for r in rows]

    def referenced_blobs_by_org(self) -> set[tuple[str, str]]:
        """(org, SHA-256) of every document: the blobs that must be kept."""
        rows = self.connection.execute(
            select(agreement_documents.c.org, agreement_documents.c.sha256).distinct())
        return {(org, sha256) for org, sha256 in rows}


def _document(row: Any) -> UploadedNda:
    return UploadedNda(
        id=row.id, partnership_id=row.partnership_id, org=row.org, filename=row.filename,
        media_type=row.media_type, size=row.size, sha256=row.sha256,
        uploaded_by=row.uploaded_by, uploaded_at=row.uploaded_at)
