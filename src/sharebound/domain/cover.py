"""The cover page's structured parts: each party's details and the governing document.

The standard terms hold the law; the cover page holds what the parties choose. A party is
named by its legal name and address, with a notice contact (person, email, postal address).
The governing document is the legal text the cover page completes: a version of our own
standard terms, a public standard incorporated by reference, or an NDA a party uploaded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sharebound.domain.values import is_email, normalize_email

MAX_LEGAL_NAME = 300  # why: the longest registered company names run to about 160 characters
MAX_ADDRESS = 1000  # why: a postal address over a few lines, not a document
MAX_REFERENCE = 300  # why: a standard's name or version is a line
MAX_REFERENCE_URL = 2000  # the limits' MAX_URL
MAX_FILENAME = 255  # why: the longest file name most file systems keep
MAX_MEDIA_TYPE = 100  # why: RFC 6838 allows 127 per part; real ones are far shorter
MAX_STANDARD_ID = 64  # STANDARD_ID_RE's longest match
MAX_STANDARD_VERSION = 14  # VERSION_RE's longest match
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # as values.single_line refuses
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
DOCUMENT_ID_RE = re.compile(r"^doc_[0-9a-z]{1,40}$")
STANDARD_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
VERSION_RE = re.compile(r"^\d{1,4}(\.\d{1,4}){0,2}$")


class GoverningKind(StrEnum):
    STANDARD = "standard"  # a released version of Sharebound's standard terms
    REFERENCE = "reference"  # a public standard incorporated by reference
    UPLOADED = "uploaded"  # an NDA a party uploaded, signed elsewhere


class FieldErrors:
    """Every bad field of one input, each with what is wrong with it (the first one found)."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.found.setdefault(field, message)


@dataclass(frozen=True, slots=True)
class NoticeContact:
    name: str
    email: str
    address: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "email": self.email, "address": self.address}


@dataclass(frozen=True, slots=True)
class PartyDetails:
    legal_name: str
    address: str
    notice: NoticeContact

    def to_json(self) -> dict[str, Any]:
        return {"legal_name": self.legal_name, "address": self.address,
                "notice": self.notice.to_json()}


@dataclass(frozen=True, slots=True)
class StandardDocument:
    """A version of the standard terms Sharebound ships (`standard_terms/index.json`)."""

    id: str
    version: str
    kind = "standard"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "version": self.version}


@dataclass(frozen=True, slots=True)
class ReferenceDocument:
    """A public standard incorporated by reference: we print where it is, not its text."""

    name: str
    version: str
    url: str
    kind = "reference"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "version": self.version, "url": self.url}


@dataclass(frozen=True, slots=True)
class UploadedDocument:
    """An NDA a party uploaded (signed elsewhere): the contract is that file, by its SHA-256."""

    document_id: str
    sha256: str
    filename: str
    media_type: str
    kind = "uploaded"

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "document_id": self.document_id, "sha256": self.sha256,
                "filename": self.filename, "media_type": self.media_type}


GoverningDocument = StandardDocument | ReferenceDocument | UploadedDocument
GOVERNING_KEYS = {
    "standard": {"kind", "id", "version"},
    "reference": {"kind", "name", "version", "url"},
    "uploaded": {"kind", "document_id", "sha256", "filename", "media_type"},
}


def _line(errors: FieldErrors, field: str, value: object, limit: int) -> str | None:
    if not isinstance(value, str) or not value.strip():
        errors.add(field, "is required")
        return None
    text = value.strip()
    if len(text) > limit:
        errors.add(field, f"must be at most {limit} characters")
        return None
    if CONTROL_RE.search(text):
        errors.add(field, "must be one line, without control characters")
        return None
    return text


def _block(errors: FieldErrors, field: str, value: object, limit: int) -> str | None:
    """A text of a few lines (an address): line ends become LF, each line is trimmed."""
    if not isinstance(value, str) or not value.strip():
        errors.add(field, "is required")
        return None
    lines = [line.strip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    text = "\n".join(line for line in lines if line)
    if len(text) > limit:
        errors.add(field, f"must be at most {limit} characters")
        return None
    if CONTROL_RE.search(text.replace("\n", " ")):
        errors.add(field, "must be plain lines, without tabs or control characters")
        return None
    return text


def parse_party_details(errors: FieldErrors, value: object,
                        parties: list[str] | None) -> dict[str, PartyDetails] | None:
    """`{handle: {legal_name, address, notice: {name, email, address}}}` for every party."""
    if not isinstance(value, Mapping):
        errors.add("party_details", "must give each party's legal name, address and notice contact")
        return None
    before = len(errors.found)
    details: dict[str, PartyDetails] = {}
    for handle in sorted(set(value) | set(parties or ())):
        field = f"party_details.{handle}"
        if parties is not None and handle not in parties:
            errors.add(field, "is not a party")
            continue
        raw = value.get(handle)
        if not isinstance(raw, Mapping):
            errors.add(f"{field}.legal_name", "is required")
            errors.add(f"{field}.notice.address", "is required")
            continue
        for key in sorted(set(raw) - {"legal_name", "address", "notice"}):
            errors.add(f"{field}.{key}", "is not a party detail")
        legal_name = _line(errors, f"{field}.legal_name", raw.get("legal_name"), MAX_LEGAL_NAME)
        address = _block(errors, f"{field}.address", raw.get("address"), MAX_ADDRESS)
        notice = raw.get("notice")
        if not isinstance(notice, Mapping):
            notice = {}
        for key in sorted(set(notice) - {"name", "email", "address"}):
            errors.add(f"{field}.notice.{key}", "is not a part of a notice contact")
        name = _line(errors, f"{field}.notice.name", notice.get("name"), MAX_LEGAL_NAME)
        email = notice.get("email")
        if not isinstance(email, str) or not is_email(normalize_email(email)):
            errors.add(f"{field}.notice.email", "must be an email address")
            email = None
        notice_address = _block(errors, f"{field}.notice.address", notice.get("address"),
                                MAX_ADDRESS)
        if legal_name and address and name and email and notice_address:
            details[str(handle)] = PartyDetails(
                legal_name=legal_name, address=address,
                notice=NoticeContact(name=name, email=normalize_email(email),
                                     address=notice_address))
    return details if len(errors.found) == before else None


def parse_governing_document(errors: FieldErrors, value: object) -> GoverningDocument | None:
    field = "governing_document"
    if not isinstance(value, Mapping) or value.get("kind") not in GOVERNING_KEYS:
        errors.add(field, "must be an object whose kind is standard, reference or uploaded")
        return None
    kind = str(value["kind"])
    extra = sorted(set(value) - GOVERNING_KEYS[kind])
    if extra:
        errors.add(f"{field}.{extra[0]}", f"is not a part of a {kind} governing document")
    before = len(errors.found)
    if kind == "standard":
        ident, version = value.get("id"), value.get("version")
        if not isinstance(ident, str) or not STANDARD_ID_RE.match(ident):
            errors.add(f"{field}.id", "must name the standard terms, e.g. sharebound-mutual")
        if not isinstance(version, str) or not VERSION_RE.match(version):
            errors.add(f"{field}.version", "must be a version such as 1.0")
        if len(errors.found) > before:
            return None
        assert isinstance(ident, str) and isinstance(version, str)
        return StandardDocument(id=ident, version=version)
    if kind == "reference":
        name = _line(errors, f"{field}.name", value.get("name"), MAX_REFERENCE)
        version = _line(errors, f"{field}.version", value.get("version"), MAX_REFERENCE)
        url = _line(errors, f"{field}.url", value.get("url"), MAX_REFERENCE_URL)
        if url is not None and not re.match(r"^https://[^\s/?#]+\.[^\s/?#]+(/\S*)?$", url):
            errors.add(f"{field}.url", "must be the https:// address where the standard is published")
            url = None
        if name and version and url:
            return ReferenceDocument(name=name, version=version, url=url)
        return None
    document_id, sha256 = value.get("document_id"), value.get("sha256")
    if not isinstance(document_id, str) or not DOCUMENT_ID_RE.match(document_id):
        errors.add(f"{field}.document_id", "must be an uploaded document's id (doc_...)")
    if not isinstance(sha256, str) or not SHA256_RE.match(sha256):
        errors.add(f"{field}.sha256", "must be the document's SHA-256 as 64 lower-case hex digits")
    filename = _line(errors, f"{field}.filename", value.get("filename"), MAX_FILENAME)
    media_type = _line(errors, f"{field}.media_type", value.get("media_type"), MAX_MEDIA_TYPE)
    if len(errors.found) > before or not filename or not media_type:
        return None
    assert isinstance(document_id, str) and isinstance(sha256, str)
    return UploadedDocument(document_id=document_id, sha256=sha256, filename=filename,
                            media_type=media_type)
