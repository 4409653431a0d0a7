"""Agreement terms: the NDA's cover page plus the sharing schedule, validated and hashed.

`parse_terms` is the only way in: it checks every field, collects every problem, and
raises `InvalidTerms` naming each field. A valid `AgreementTerms` has a canonical JSON
form whose SHA-256 is the digest that parties sign.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sharebound.domain.cover import (
    FieldErrors,
    GoverningDocument,
    PartyDetails,
    StandardDocument,
    UploadedDocument,
    parse_governing_document,
    parse_party_details,
)
from sharebound.domain.errors import InvalidTerms
from sharebound.domain.limits import MAX_MODIFICATIONS
from sharebound.domain.schedule import MAX_ACCESS_DAYS as MAX_ACCESS_DAYS
from sharebound.domain.schedule import ROLES as ROLES
from sharebound.domain.schedule import SCHEDULE_KEYS as SCHEDULE_KEYS
from sharebound.domain.schedule import Action as Action
from sharebound.domain.schedule import RecipientMode as RecipientMode
from sharebound.domain.schedule import Recipients as Recipients
from sharebound.domain.schedule import Schedule as Schedule
from sharebound.domain.schedule import UnreadableFiles as UnreadableFiles
from sharebound.domain.schedule import enum_field, int_in, parse_schedule
from sharebound.domain.standard_terms import StandardTermsCatalog
from sharebound.domain.values import (
    canonical_json,
    is_email,
    is_handle,
    normalize_email,
    sha256_hex,
    start_of_day,
)


class Kind(StrEnum):
    MUTUAL = "mutual"
    ONE_WAY = "one_way"


MAX_TEXT = 2000  # why: a cover-page field, not a document
MAX_CONFIDENTIALITY_YEARS = 99

TERM_KEYS = frozenset(
    {"kind", "parties", "disclosing_parties", "purpose", "effective_date", "term_end",
     "confidentiality_years", "governing_law", "courts", "notice", "schedule"}
)
# why two shapes: versions signed before the agreement document (format 1) keep their exact
# JSON, so that their digests still verify; new versions name their governing document and
# each party's legal details instead of a bare notice email.
DOCUMENT_TERM_KEYS = (TERM_KEYS - {"notice"}) | {"governing_document", "party_details", "modifications"}
@dataclass(frozen=True, slots=True)
class AgreementTerms:
    kind: Kind
    parties: tuple[str, ...]  # org handles, sorted: order carries no meaning
    disclosing_parties: frozenset[str]
    purpose: str
    effective_date: date
    term_end: date | None  # None: until terminated
    confidentiality_years: int | None  # None: perpetual
    governing_law: str
    courts: str
    notice: Mapping[str, str]  # party handle -> notice email
    schedule: Schedule
    # None only in versions signed before the agreement document (format 1)
    governing_document: GoverningDocument | None = None
    party_details: Mapping[str, PartyDetails] | None = None  # handle -> details, every party
    modifications: str = ""  # free text that overrides the standard terms, shown in full

    @property
    def label(self) -> str:
        """What names the agreement in a list: its purpose, or the uploaded NDA it pairs with a
        schedule (whose purpose may be left to that document)."""
        if not self.purpose and isinstance(self.governing_document, UploadedDocument):
            return f"Uploaded NDA {self.governing_document.filename}"
        return self.purpose

    @property
    def is_legacy(self) -> bool:
        """Terms of the first format: signed as JSON, before the agreement document."""
        return self.governing_document is None

    def to_json(self) -> dict[str, Any]:
        data = self._common_json()
        if self.governing_document is None:
            return data | {"notice": dict(sorted(self.notice.items()))}
        assert self.party_details is not None
        return data | {
            "governing_document": self.governing_document.to_json(),
            "party_details": {h: d.to_json() for h, d in sorted(self.party_details.items())},
            "modifications": self.modifications,
        }

    def _common_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "parties": list(self.parties),
            "disclosing_parties": sorted(self.disclosing_parties),
            "purpose": self.purpose,
            "effective_date": self.effective_date.isoformat(),
            "term_end": self.term_end.isoformat() if self.term_end else None,
            "confidentiality_years": self.confidentiality_years,
            "governing_law": self.governing_law,
            "courts": self.courts,
            "schedule": self.schedule.to_json(),
        }

    def canonical(self) -> bytes:
        return canonical_json(self.to_json())

    @property
    def digest(self) -> str:
        return sha256_hex(self.canonical())

    def may_disclose(self, party: str) -> bool:
        if party not in self.parties:
            return False
        return self.kind is Kind.MUTUAL or party in self.disclosing_parties

    @property
    def starts_at(self) -> datetime:
        return start_of_day(self.effective_date)

    @property
    def ends_at(self) -> datetime | None:
        return start_of_day(self.term_end) if self.term_end else None

    def confidential_until(self, ended_on: date | None = None) -> date | None:
        """The last day information received under these terms stays confidential, or None
        when that is perpetual or not yet known (`is_confidential_forever` tells which).

        The agreement document counts the years from the end of the NDA term, or from
        `ended_on` when a party ended it earlier; terms of the first format counted them from
        the effective date, as their text said. Trade secrets stay protected while they
        remain trade secrets, whatever this date says."""
        years = self.confidentiality_years
        if years is None:
            return None
        if self.is_legacy:
            start: date | None = self.effective_date
        else:
            ends = [d for d in (self.term_end, ended_on) if d is not None]
            start = min(ends) if ends else None
        return None if start is None else add_years(start, years)

    @property
    def is_confidential_forever(self) -> bool:
        return self.confidentiality_years is None


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


_Errors = FieldErrors


def parse_terms(data: object, catalog: StandardTermsCatalog | None = None) -> AgreementTerms:
    """Validate terms given as JSON values; raise `InvalidTerms` naming every bad field.

    Terms without a `governing_document` are of the first format (stored versions signed
    before the agreement document). With `catalog`, standard terms must be a released version
    written for the agreement's kind."""
    errors = _Errors()
    if not isinstance(data, Mapping):
        raise InvalidTerms({"terms": "must be an object"})
    legacy = "governing_document" not in data
    for key in sorted(set(data) - (TERM_KEYS if legacy else DOCUMENT_TERM_KEYS)):
        if key in DOCUMENT_TERM_KEYS:
            errors.add(str(key), "goes with a governing_document")
        elif key == "notice":
            errors.add("notice", "is given by party_details.<party>.notice")
        else:
            errors.add(str(key), "is not a term")

    kind = enum_field(errors, "kind", data.get("kind", Kind.MUTUAL.value), Kind)
    parties = _handles(errors, "parties", data.get("parties"))
    if parties is not None and len(parties) < 2:
        errors.add("parties", "needs at least two parties")
    disclosing = _handles(errors, "disclosing_parties", data.get("disclosing_parties", []))
    if kind is Kind.MUTUAL and disclosing:
        errors.add("disclosing_parties", "must be empty for a mutual agreement")
    if kind is Kind.ONE_WAY and disclosing is not None and parties is not None:
        if not disclosing:
            errors.add("disclosing_parties", "a one-way agreement names its disclosing parties")
        elif not set(disclosing) <= set(parties):
            errors.add("disclosing_parties", "every disclosing party must be a party")
        elif set(disclosing) == set(parties):
            errors.add("disclosing_parties", "a one-way agreement leaves a party receiving only")

    # why: an uploaded NDA is the contract: its purpose, law and courts are in it, so the cover
    # page may leave them out; the dates Sharebound enforces must be given all the same
    uploaded = _names_upload(data)
    purpose = _text(errors, "purpose", data.get("purpose"), required=not uploaded)
    governing_law = _text(errors, "governing_law", data.get("governing_law"), required=not uploaded)
    courts = _text(errors, "courts", data.get("courts"), required=not uploaded)
    effective = _date(errors, "effective_date", data.get("effective_date"))
    term_end = None
    if data.get("term_end") is not None:
        term_end = _date(errors, "term_end", data.get("term_end"))
        if effective and term_end and term_end <= effective:
            errors.add("term_end", "must be after the effective date")
    elif uploaded:
        errors.add("term_end", "is required with an uploaded NDA: the day its term ends")
    if uploaded and "confidentiality_years" not in data:
        errors.add("confidentiality_years",
                   "is required with an uploaded NDA: its years of confidentiality, or null for perpetual")
    years = data.get("confidentiality_years")
    if years is not None and not int_in(years, 1, MAX_CONFIDENTIALITY_YEARS):
        errors.add(
            "confidentiality_years",
            f"must be a whole number of years from 1 to {MAX_CONFIDENTIALITY_YEARS}, "
            "or null for perpetual",
        )
    governing: GoverningDocument | None = None
    details: dict[str, PartyDetails] | None = None
    modifications = ""
    if legacy:
        notice = _notice(errors, data.get("notice"), parties)
    else:
        governing = parse_governing_document(errors, data.get("governing_document"))
        if catalog is not None and isinstance(governing, StandardDocument) and kind is not None:
            _check_standard(errors, catalog, governing, kind)
        details = parse_party_details(errors, data.get("party_details"), parties)
        notice = None if details is None else {h: d.notice.email for h, d in details.items()}
        modifications = _modifications(errors, data.get("modifications", ""))
    schedule = parse_schedule(errors, data.get("schedule"))

    if errors.found:
        raise InvalidTerms(errors.found)
    assert kind and parties and disclosing is not None and purpose is not None and effective
    assert governing_law is not None and courts is not None and notice is not None and schedule
    return AgreementTerms(
        kind=kind,
        parties=tuple(sorted(parties)),
        disclosing_parties=frozenset(disclosing),
        purpose=purpose,
        effective_date=effective,
        term_end=term_end,
        confidentiality_years=years,
        governing_law=governing_law,
        courts=courts,
        notice=notice,
        schedule=schedule,
        governing_document=governing,
        party_details=details,
        modifications=modifications,
    )


def _check_standard(errors: _Errors, catalog: StandardTermsCatalog, document: StandardDocument,
                    kind: Kind) -> None:
    entry = catalog.get(document.id, document.version)
    if entry is None:
        errors.add("governing_document",
                   f"there are no standard terms {document.id} version {document.version}")
    elif entry.kind != kind.value:
        errors.add("governing_document",
                   f"{entry.title} {entry.version} are written for {entry.kind} agreements")


def _modifications(errors: _Errors, value: object) -> str:
    """Free text, possibly empty; line ends become LF and trailing spaces go, so that the
    document (and its digest) does not depend on the browser that typed it."""
    if not isinstance(value, str):
        errors.add("modifications", "must be text (empty for none)")
        return ""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    if len(text) > MAX_MODIFICATIONS:
        errors.add("modifications", f"must be at most {MAX_MODIFICATIONS} characters")
    elif any(ord(c) < 32 and c != "\n" for c in text):
        errors.add("modifications", "must be plain text (no control characters or tabs)")
    return text



def _handles(errors: _Errors, field: str, value: object) -> list[str] | None:
    if not isinstance(value, list) or not all(is_handle(v) for v in value):
        errors.add(field, "must be a list of organization handles")
        return None
    if len(set(value)) != len(value):
        errors.add(field, "names a party twice")
        return None
    return list(value)


def _names_upload(data: Mapping[str, Any]) -> bool:
    """Whether the terms name an uploaded NDA as their governing document."""
    governing = data.get("governing_document")
    return isinstance(governing, Mapping) and governing.get("kind") == UploadedDocument.kind


def _text(errors: _Errors, field: str, value: object, *, required: bool = True) -> str | None:
    if not required and (value is None or (isinstance(value, str) and not value.strip())):
        return ""
    if not isinstance(value, str) or not value.strip():
        errors.add(field, "is required")
        return None
    if len(value) > MAX_TEXT:
        errors.add(field, f"must be at most {MAX_TEXT} characters")
        return None
    return value.strip()


def _date(errors: _Errors, field: str, value: object) -> date | None:
    # why the pattern: date.fromisoformat also takes 20261201 and 2026-W49-2, which we don't
    if isinstance(value, str) and DATE_RE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors.add(field, "must be a date as YYYY-MM-DD")
    return None



def _notice(errors: _Errors, value: object, parties: list[str] | None) -> dict[str, str] | None:
    if not isinstance(value, Mapping):
        errors.add("notice", "must map each party's handle to its notice email")
        return None
    notice = {}
    for handle, email in value.items():
        if not isinstance(email, str) or not is_email(normalize_email(email)):
            errors.add(f"notice.{handle}", "must be an email address")
            continue
        notice[str(handle)] = normalize_email(email)
    if parties is not None and set(value) != set(parties):
        errors.add("notice", "must give exactly one notice email for each party")
    return notice
