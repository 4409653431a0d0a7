"""The executed copy: the PDF of a version every party signed, with its signature certificate.

It is made once per version, by the worker after the last signature lands, or by the first
party that asks for it before then; the PDF is deterministic (its creation date is the last
signature's time), kept in the blob store, sealed, and its SHA-256 recorded in
`executed_copies`. Every party may download it at any time, also after the agreement ends.
`verify_executed_copy` finds a PDF's record by its SHA-256 and checks the document attached
to it hashes to the digest every party signed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sharebound.adapters.db.repositories.esign import ExecutedCopyRecord
from sharebound.adapters.executed_pdf import (
    DOCUMENT_ATTACHMENT,
    ExecutedCopyContent,
    Section,
    attachments,
    build_executed_copy,
)
from sharebound.domain.agreements import Agreement, AgreementVersion, Signature
from sharebound.domain.audit import partnership_log
from sharebound.domain.cover import StandardDocument, UploadedDocument
from sharebound.domain.errors import Conflict, DamagedRecord, InvalidInput, NotFound
from sharebound.domain.esign import SignatureEvidence
from sharebound.domain.events import ExecutedCopyMade
from sharebound.domain.values import sha256_hex
from sharebound.services.common import actor, record, visible_agreement
from sharebound.services.unit_of_work import UnitOfWork
from sharebound.services.uploaded_ndas import view_in

NO_EVIDENCE = "no evidence recorded (signed before evidence was collected)"


@dataclass(frozen=True)
class ExecutedCopy:
    record: ExecutedCopyRecord
    pdf: bytes

    @property
    def filename(self) -> str:
        return f"{self.record.agreement_id}-v{self.record.version}-executed.pdf"


def document_of(version: AgreementVersion) -> tuple[str, bytes]:
    """The agreement document of a version as the parties read it, and the exact bytes its
    digest is the SHA-256 of (what each party signed): the document itself; for a version
    signed before the agreement document, its regenerated text and its terms JSON."""
    if version.document is not None:
        return version.text, version.document
    return version.text, version.terms.canonical()


def legal_name(uow: UnitOfWork, version: AgreementVersion, org: str) -> str:
    """The party's legal name as the cover page gives it; else the org's name as registered."""
    details = version.terms.party_details
    if details is not None and org in details:
        return details[org].legal_name
    found = uow.orgs.get_org(org)
    return found.name if found is not None else org


def _standard_terms(uow: UnitOfWork, version: AgreementVersion) -> Section | None:
    """The full standard terms a version names, exactly as released (None for other kinds)."""
    governing = version.terms.governing_document
    if not isinstance(governing, StandardDocument):
        return None
    found = uow.standard_terms.get(governing.id, governing.version)
    if found is None:
        raise Conflict(f"the standard terms {governing.id} {governing.version} that the agreement "
                       "names are missing from this installation")
    return Section(f"{found.title}, version {found.version} (SHA-256 {found.sha256})", found.text)


def _utc(signature: Signature | SignatureEvidence) -> str:
    return signature.signed_at.strftime("%Y-%m-%d %H:%M:%S UTC")


def _rows(uow: UnitOfWork, version: AgreementVersion, signature: Signature,
          evidence: SignatureEvidence | None) -> list[tuple[str, str]]:
    if evidence is None:
        return [("Name", signature.name), ("Title", signature.title),
                ("Organization", f"{legal_name(uow, version, signature.org)} ({signature.org})"),
                ("Digest signed", signature.digest), ("Signed at", _utc(signature)),
                ("Evidence", NO_EVIDENCE)]
    return [
        ("Name", evidence.name), ("Email", evidence.email), ("Title", evidence.title),
        ("Organization", f"{evidence.org_legal_name} ({evidence.org})"),
        ("Digest signed", evidence.digest), ("Signed at", _utc(evidence)),
        ("Consent", f"e-sign consent statement version {evidence.consent_version}, given "
                    f"{evidence.consent_at.strftime('%Y-%m-%d %H:%M:%S UTC')} ({evidence.consent_id})"),
        ("Authentication", ", ".join(evidence.methods)),
        ("IP address", evidence.address), ("User agent", evidence.user_agent or "(none sent)"),
        ("Evidence id", evidence.id),
    ]


def _content(uow: UnitOfWork, agreement: Agreement, version: AgreementVersion) -> ExecutedCopyContent:
    text, signed_bytes = document_of(version)
    signatures = sorted(agreement.signatures_of(version), key=lambda s: (s.signed_at, s.org))
    names = [f"{legal_name(uow, version, p)} ({p})" for p in version.terms.parties]
    last = max(s.signed_at for s in signatures)
    governing = version.terms.governing_document
    uploaded, extension, extra = _uploaded(uow, governing)
    uploaded_note = ([("Governing document", f"{governing.filename} (uploaded, SHA-256 {governing.sha256})")]
                     if isinstance(governing, UploadedDocument) else [])
    return ExecutedCopyContent(
        title=f"Non-disclosure agreement between {', '.join(names)}",
        document=Section(f"The agreement document (version {version.number})", text),
        document_bytes=signed_bytes,
        certificate=[
            ("Agreement", f"{agreement.id}, version {version.number}"),
            ("Parties", "\n".join(names)),
            ("Document digest", f"{version.digest} (SHA-256 of the attached {DOCUMENT_ATTACHMENT}, "
                                "what every party signed)"),
            ("Executed at", last.strftime("%Y-%m-%d %H:%M:%S UTC")),
            *uploaded_note,
        ],
        signatures=[_rows(uow, version, s, s.evidence) for s in signatures],
        created_at=last,
        footer=f"Agreement {agreement.id} · version {version.number} · digest {version.digest[:16]}",
        standard_terms=_standard_terms(uow, version),
        uploaded=uploaded, uploaded_extension=extension, extra=extra,
    )


def _uploaded(uow: UnitOfWork, governing: object) -> tuple[bytes | None, str, tuple[Section, ...]]:
    """An uploaded NDA's bytes for the executed copy: a PDF's pages come first; a DOCX is
    attached, and its text follows ours (the document stays exactly as uploaded)."""
    if not isinstance(governing, UploadedDocument):
        return None, "pdf", ()
    document = uow.uploaded_ndas.get(governing.document_id)
    if document is None or document.sha256 != governing.sha256:
        raise DamagedRecord(f"the uploaded NDA {governing.filename} that an agreement names is missing "
                            "or no longer matches its SHA-256")
    with uow.blobs.open(document.sha256, org=document.org) as source:
        data = source.read()
    if sha256_hex(data) != governing.sha256:
        raise DamagedRecord(f"the uploaded NDA {governing.filename} no longer hashes to its SHA-256")
    if document.media_type == "application/pdf":
        return data, "pdf", ()
    text = "\n".join(view_in(uow, document).lines)
    return data, "docx", (Section(f"The uploaded NDA's text ({governing.filename}, attached as uploaded)",
                                  text),)


def ensure_executed_copy(uow: UnitOfWork, agreement: Agreement, version: AgreementVersion,
                         actor_id: str | None) -> ExecutedCopy:
    """The version's executed copy, made now if it was not yet; inside the caller's write
    transaction (the caller commits)."""
    found = next((c for c in uow.esign.executed_copies_of(agreement.id)
                  if c.version == version.number), None)
    if found is not None:
        return ExecutedCopy(found, uow.blobs.get(found.sha256, org=found.blob_org))
    if not agreement.is_fully_signed(version):
        raise Conflict(f"not every party has signed version {version.number} yet: the executed "
                       "copy is made once they have")
    content = _content(uow, agreement, version)
    pdf = build_executed_copy(content)
    blob_org = version.terms.parties[0]
    stored = uow.blobs.put(pdf, org=blob_org)
    made = ExecutedCopyRecord(agreement_id=agreement.id, version=version.number,
                              digest=version.digest, sha256=stored.sha256, blob_org=blob_org,
                              size=stored.size, created_at=content.created_at)
    uow.esign.add_executed_copy(made)
    record(uow, partnership_log(agreement.partnership_id), actor_id, agreement.id,
           ExecutedCopyMade(version=version.number, digest=version.digest, sha256=stored.sha256))
    return ExecutedCopy(made, pdf)


def executed_copy(uow: UnitOfWork, actor_id: str, agreement_id: str,
                  version: int | None = None) -> ExecutedCopy:
    """A party's download of the executed copy of `version` (default: the latest version every
    party signed); also after the agreement ended."""
    with uow.reading():
        person = actor(uow, actor_id)
        agreement = visible_agreement(uow, person, agreement_id)
        chosen = _version(agreement, version)
        found = next((c for c in uow.esign.executed_copies_of(agreement.id)
                      if c.version == chosen.number), None)
        if found is not None:
            return ExecutedCopy(found, uow.blobs.get(found.sha256, org=found.blob_org))
    with uow:
        agreement = visible_agreement(uow, actor(uow, actor_id), agreement_id, lock=True)
        made = ensure_executed_copy(uow, agreement, _version(agreement, version), actor_id)
        uow.commit()
    return made


def _version(agreement: Agreement, number: int | None) -> AgreementVersion:
    if number is not None:
        if not 1 <= number <= agreement.current.number:
            raise InvalidInput({"version": f"versions go from 1 to {agreement.current.number}"})
        return agreement.version(number)
    signed = agreement.signed_version
    if signed is None:
        raise Conflict("not every party has signed the agreement yet: the executed copy is made "
                       "once they have")
    return signed


def make_pending_executed_copies(uow: UnitOfWork) -> int:
    """The worker's step: the executed copy of every version every party signed that has none
    yet. How many it made."""
    made = 0
    with uow.reading():
        pending = uow.esign.versions_without_copy()
    for agreement_id, number in pending:
        with uow:
            agreement = uow.agreements.get(agreement_id, lock=True)
            if agreement is None or not agreement.is_fully_signed(agreement.version(number)):
                continue
            if any(c.version == number for c in uow.esign.executed_copies_of(agreement_id)):
                continue
            ensure_executed_copy(uow, agreement, agreement.version(number), None)
            uow.commit()
            made += 1
    return made


@dataclass(frozen=True)
class Verified:
    record: ExecutedCopyRecord
    parties: tuple[str, ...]


def verify_executed_copy(uow: UnitOfWork, pdf: bytes) -> Verified:
    """Which agreement, version and digest an executed copy is, if it is on record unaltered
    and the document attached to it hashes to the signed digest; otherwise a clear error."""
    sha256 = sha256_hex(pdf)
    with uow.reading():
        found = uow.esign.executed_copy_by_sha256(sha256)
        if found is None:
            # the CLI says what it means: not one Sharebound made, or altered since
            raise NotFound("executed copy with SHA-256", sha256)
        agreement = uow.agreements.get(found.agreement_id)
        assert agreement is not None  # a foreign key holds it
        parties = agreement.version(found.version).terms.parties
    document = attachments(pdf).get(DOCUMENT_ATTACHMENT)
    if document is None or sha256_hex(document) != found.digest:
        raise Conflict(f"the document attached to this PDF does not hash to the signed digest "
                       f"{found.digest}")
    return Verified(found, tuple(parties))
