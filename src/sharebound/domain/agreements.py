"""Agreements: versioned NDA terms, signatures over a version's digest, and the lifecycle.

    draft ──first signature──▶ awaiting_signatures ──last signature──▶ signed
                                                                         │ effective date
                                                                         ▼
                              expired ◀──term end── in_force ──any party──▶ terminated

The status is computed from signatures and time, never stored. The version in force is
the latest one every party signed: an amendment awaiting signatures leaves the signed
version in force (an NDA stays as signed until its amendment is signed), and signatures
given to an older version never count for a newer one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from sharebound.domain.agreement_document import FORMAT_DOCUMENT, FORMAT_TERMS_JSON, render_document
from sharebound.domain.errors import Conflict, DigestMismatch, InvalidInput
from sharebound.domain.legacy import render_text
from sharebound.domain.standard_terms import StandardTerms
from sharebound.domain.terms import AgreementTerms
from sharebound.domain.values import multi_line, require_aware, sha256_hex

MAX_REASON = 2000


class AgreementStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_SIGNATURES = "awaiting_signatures"
    SIGNED = "signed"  # every party signed; the effective date is still ahead
    IN_FORCE = "in_force"
    EXPIRED = "expired"
    TERMINATED = "terminated"


ENDED = frozenset({AgreementStatus.EXPIRED, AgreementStatus.TERMINATED})


@dataclass(frozen=True, slots=True)
class AgreementVersion:
    """One version. Its `document` (format 2) is what the parties sign: `digest` is its
    SHA-256. Versions of format 1 were signed over their terms JSON and have no document."""

    number: int
    terms: AgreementTerms
    digest: str
    created_at: datetime
    created_by: str  # person id
    document: bytes | None = None
    document_format: int = FORMAT_TERMS_JSON

    @property
    def text(self) -> str:
        """The agreement as the parties read and signed it."""
        if self.document is not None:
            return self.document.decode("utf-8")
        return render_text(self.terms, self.number, self.digest)


def make_version(number: int, terms: AgreementTerms, standard: StandardTerms | None,
                 by: str, at: datetime) -> AgreementVersion:
    """Version `number` of `terms`: its document rendered once, its digest over the document.
    (Terms of the first format, which only old stored versions hold, are hashed as JSON.)"""
    if terms.is_legacy:
        return AgreementVersion(number=number, terms=terms, digest=terms.digest, created_at=at,
                                created_by=by)
    document = render_document(terms, number, standard)
    return AgreementVersion(number=number, terms=terms, digest=sha256_hex(document),
                            created_at=at, created_by=by, document=document,
                            document_format=FORMAT_DOCUMENT)


@dataclass(frozen=True, slots=True)
class Signature:
    version: int
    digest: str
    org: str
    person_id: str
    name: str
    title: str
    signed_at: datetime


@dataclass(frozen=True, slots=True)
class Termination:
    org: str
    person_id: str
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Agreement:
    id: str
    partnership_id: str
    versions: tuple[AgreementVersion, ...]
    signatures: tuple[Signature, ...] = ()
    termination: Termination | None = None

    @property
    def current(self) -> AgreementVersion:
        return self.versions[-1]

    @property
    def terms(self) -> AgreementTerms:
        return self.current.terms

    def version(self, number: int) -> AgreementVersion:
        return self.versions[number - 1]

    def signatures_of(self, version: AgreementVersion) -> tuple[Signature, ...]:
        return tuple(s for s in self.signatures if s.digest == version.digest
                     and s.version == version.number)

    def is_fully_signed(self, version: AgreementVersion) -> bool:
        signed = {s.org for s in self.signatures_of(version)}
        return signed >= set(version.terms.parties)

    @property
    def signed_version(self) -> AgreementVersion | None:
        """The latest version every party signed, or None."""
        for version in reversed(self.versions):
            if self.is_fully_signed(version):
                return version
        return None

    @property
    def pending_amendment(self) -> AgreementVersion | None:
        signed = self.signed_version
        if signed is not None and signed is not self.current:
            return self.current
        return None

    def effective_version(self, now: datetime) -> AgreementVersion | None:
        """The signed version that governs at `now`: the latest whose effective date has come,
        so that a signed amendment taking effect later leaves the earlier version in force
        until then; before any has come, the latest signed one (not yet effective)."""
        signed = [v for v in self.versions if self.is_fully_signed(v)]
        started = [v for v in signed if v.terms.starts_at <= now]
        if started:
            return started[-1]
        return signed[-1] if signed else None

    def status(self, now: datetime) -> AgreementStatus:
        now = require_aware(now)
        if self.termination is not None and self.termination.at <= now:
            return AgreementStatus.TERMINATED
        signed = self.effective_version(now)
        if signed is None:
            if self.signatures_of(self.current):
                return AgreementStatus.AWAITING_SIGNATURES
            return AgreementStatus.DRAFT
        ends_at = signed.terms.ends_at
        if ends_at is not None and now >= ends_at:
            return AgreementStatus.EXPIRED
        if now < signed.terms.starts_at:
            return AgreementStatus.SIGNED
        return AgreementStatus.IN_FORCE

    def ended_at(self, now: datetime) -> datetime | None:
        """When the agreement ended (terminated, or its term ran out), if it has by `now`."""
        status = self.status(now)
        if status is AgreementStatus.TERMINATED:
            assert self.termination is not None
            return self.termination.at
        if status is AgreementStatus.EXPIRED:
            signed = self.effective_version(now)
            assert signed is not None and signed.terms.ends_at is not None
            return signed.terms.ends_at
        return None

    def confidential_until(self, now: datetime, number: int | None = None) -> date | None:
        """The last day information received under this agreement (under version `number`,
        else the one that governs) stays confidential, as far as `now` knows it: None when it
        is perpetual, or while an open-ended NDA runs."""
        ended = self.ended_at(now)
        version = self.version(number) if number else self.governing_version(now)
        return version.terms.confidential_until(ended.date() if ended else None)

    def confidentiality(self, now: datetime, number: int | None = None) -> str:
        """`confidential_until` in words, as the pages and the API say it."""
        terms = (self.version(number) if number else self.governing_version(now)).terms
        until = self.confidential_until(now, number)
        if terms.is_confidential_forever:
            return "confidential forever (perpetual)"
        if until is None:
            years = terms.confidentiality_years
            return f"confidential until {years} year{'s' if years != 1 else ''} after the agreement ends"
        return f"confidential until {until.isoformat()}"

    def is_in_force(self, now: datetime) -> bool:
        return self.status(now) is AgreementStatus.IN_FORCE

    def in_force_version(self, now: datetime) -> AgreementVersion | None:
        return self.effective_version(now) if self.is_in_force(now) else None

    def governing_version(self, now: datetime) -> AgreementVersion:
        """The version whose terms apply at `now`: the signed one that governs, else the draft."""
        return self.effective_version(now) or self.current

    # -- changes: each returns a new Agreement ----------------------------------------

    def amend(self, terms: AgreementTerms, by: str, at: datetime,
              standard: StandardTerms | None = None) -> Agreement:
        if self.status(at) in ENDED:
            raise Conflict(f"the agreement is {self.status(at).value}; it cannot be amended")
        if terms.canonical() == self.current.terms.canonical():
            raise Conflict("these terms are the current version's; nothing to amend")
        if set(terms.parties) != set(self.terms.parties):
            raise InvalidInput({"parties": "an amendment keeps the agreement's parties"})
        version = make_version(self.current.number + 1, terms, standard, by, at)
        return replace(self, versions=(*self.versions, version))

    def sign(
        self, *, org: str, person_id: str, name: str, title: str, digest: str, at: datetime
    ) -> tuple[Agreement, Signature]:
        if digest != self.current.digest:
            raise DigestMismatch(
                "that digest is not the current version's: read the terms again and sign "
                f"version {self.current.number} ({self.current.digest})"
            )
        if self.status(at) in ENDED:
            raise Conflict(f"the agreement is {self.status(at).value}; it cannot be signed")
        if org not in self.terms.parties:
            raise Conflict(f"{org} is not a party of this agreement")
        if any(s.org == org for s in self.signatures_of(self.current)):
            raise Conflict(f"{org} has already signed version {self.current.number}")
        errors = {}
        if not name.strip():
            errors["name"] = "is required"
        if not title.strip():
            errors["title"] = "is required"
        if errors:
            raise InvalidInput(errors)
        signature = Signature(
            version=self.current.number, digest=digest, org=org, person_id=person_id,
            name=name.strip(), title=title.strip(), signed_at=at,
        )
        return replace(self, signatures=(*self.signatures, signature)), signature

    def terminate(self, *, org: str, person_id: str, reason: str, at: datetime) -> Agreement:
        if org not in self.terms.parties:
            raise Conflict(f"{org} is not a party of this agreement")
        status = self.status(at)
        if status in ENDED:
            raise Conflict(f"the agreement is already {status.value}")
        if not reason.strip():
            raise InvalidInput({"reason": "is required: say why the agreement ends"})
        multi_line("reason", reason, MAX_REASON)
        termination = Termination(org=org, person_id=person_id, reason=reason.strip(), at=at)
        return replace(self, termination=termination)


def new_agreement(
    agreement_id: str, partnership_id: str, terms: AgreementTerms, by: str, at: datetime,
    standard: StandardTerms | None = None,
) -> Agreement:
    """`standard`: the standard-terms version the terms name, if they name one."""
    version = make_version(1, terms, standard, by, at)
    return Agreement(id=agreement_id, partnership_id=partnership_id, versions=(version,))
