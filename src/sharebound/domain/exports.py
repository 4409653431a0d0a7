"""Exports of the disclosure register and the access report (docs/exports.md): what may be
asked (the filters, parsed once for the API, the pages and the CLI), the stable column names,
and the CSV form (RFC 4180, UTF-8, no BOM) with spreadsheet formulas neutralised.

Pure: no I/O. The use case (services/exports.py) reads the rows in keyset batches and hands
them to `csv_chunks` one batch at a time, so an export of any size is never held whole.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sharebound.domain.classification import Classification
from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_TOPIC
from sharebound.domain.values import is_topic, normalize_topic, start_of_day


class ExportFormat(StrEnum):
    CSV = "csv"
    PDF = "pdf"


class ExportKind(StrEnum):
    REGISTER = "register"  # the disclosure register
    ACCESS = "access"  # the discloser's access report


class ExportDirection(StrEnum):
    GIVEN = "given"
    RECEIVED = "received"
    BOTH = "both"


#: The register's columns, in order (docs/exports.md says what each holds). Never renamed.
REGISTER_COLUMNS = (
    "disclosure_id", "disclosed_at", "direction", "discloser_org", "disclosed_by",
    "recipients", "recipient_orgs", "item_id", "item_version", "item_title", "item_sha256",
    "classification", "topics", "actions", "expires_at", "state", "revoked_at",
    "partnership_id", "agreement_id", "agreement_version", "agreement_digest", "witnessed",
)

#: The access report's columns, in order. Never renamed.
ACCESS_COLUMNS = (
    "access_id", "accessed_at", "action", "person_name", "person_email", "person_org",
    "copy_id", "disclosure_id", "item_title", "classification", "agreement_id",
    "agreement_version",
)

#: What a spreadsheet may read as the start of a formula (OWASP "CSV injection"): such a cell
#: is written with a single quote in front, which spreadsheets show as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ROWS_PER_CHUNK = 500  # why: ~100 KB of CSV per chunk sent; fewer, larger sends cost less


@dataclass(frozen=True)
class ExportFilters:
    """Which rows: `date_from` and `date_to` are UTC days, both included (when the disclosure
    was made, or for the access report when the access was)."""

    date_from: date | None = None
    date_to: date | None = None
    direction: ExportDirection = ExportDirection.BOTH
    classification: Classification | None = None
    topic: str | None = None

    @property
    def starts(self) -> datetime | None:
        return start_of_day(self.date_from) if self.date_from else None

    @property
    def ends(self) -> datetime | None:
        """The first moment after the period (exclusive)."""
        return start_of_day(self.date_to + timedelta(days=1)) if self.date_to else None

    def described(self) -> dict[str, str]:
        """The filters as asked, for the audit event and the PDF's title page (none: empty)."""
        found = {"from": self.date_from.isoformat() if self.date_from else "",
                 "to": self.date_to.isoformat() if self.date_to else "",
                 "direction": self.direction.value,
                 "classification": self.classification.value if self.classification else "",
                 "topic": self.topic or ""}
        return {k: v for k, v in found.items() if v}


@dataclass(frozen=True)
class ExportAsk:
    """One export asked for: which report, of what, in which format, with which filters."""

    kind: ExportKind
    format: ExportFormat
    filters: ExportFilters
    agreement_id: str | None = None  # exactly one of the two
    partnership_id: str | None = None


def parse_ask(kind: ExportKind, fields: Mapping[str, str | None], *, agreement_id: str | None = None,
              partnership_id: str | None = None) -> ExportAsk:
    """The one parser of an export's options, for the API, the pages and the CLI: every bad
    field is named at once (`InvalidInput`). Empty strings mean "not given"."""
    errors: dict[str, str] = {}

    def text(name: str) -> str | None:
        value = fields.get(name)
        return value.strip() or None if isinstance(value, str) else None

    def day(name: str) -> date | None:
        value = text(name)
        if value is None:
            return None
        try:
            return date.fromisoformat(value) if len(value) == len("2026-12-01") else _bad_date()
        except ValueError:
            errors[name] = "must be a day written YYYY-MM-DD"
            return None

    fmt = text("format") or ExportFormat.CSV.value
    if fmt not in {f.value for f in ExportFormat}:
        errors["format"] = "must be csv or pdf"
    date_from, date_to = day("from"), day("to")
    if date_from and date_to and date_from > date_to:
        errors["to"] = "must be on or after from (the dates are the wrong way round)"
    default = ExportDirection.BOTH if kind is ExportKind.REGISTER else ExportDirection.GIVEN
    direction = text("direction") or default.value
    if kind is ExportKind.ACCESS and direction != ExportDirection.GIVEN:
        errors["direction"] = "the access report covers what your org disclosed: must be given"
    elif direction not in {d.value for d in ExportDirection}:
        errors["direction"] = "must be given, received or both"
    classification = text("classification")
    if classification is not None and classification not in {c.value for c in Classification}:
        errors["classification"] = "must be public, internal, confidential or restricted"
    topic = text("topic")
    if topic is not None and (not topic.isprintable() or not is_topic(normalize_topic(topic))):
        errors["topic"] = (f"must be a topic: letters, digits, spaces, - and _, at most {MAX_TOPIC} "
                           "characters")
    if (agreement_id is None) == (partnership_id is None):
        errors["scope"] = "give an agreement or a partnership, not both"
    if errors:
        raise InvalidInput(errors)
    filters = ExportFilters(date_from=date_from, date_to=date_to, direction=ExportDirection(direction),
                            classification=Classification(classification) if classification else None,
                            topic=normalize_topic(topic) if topic else None)
    return ExportAsk(kind=kind, format=ExportFormat(fmt), filters=filters,
                     agreement_id=agreement_id, partnership_id=partnership_id)


def _bad_date() -> date:
    raise ValueError("not YYYY-MM-DD")


def neutralised(cell: str) -> str:
    """A cell a spreadsheet shows as the text it is: one starting like a formula gets a single
    quote in front (the quote is part of the cell; docs/exports.md says so)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def cell(value: object) -> str:
    """How one value is written: times as ISO 8601 UTC with a Z, None as empty, sets sorted
    and joined with "; ", everything else as text; then neutralised."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, frozenset | set | tuple | list):
        return neutralised("; ".join(sorted(str(v) for v in value)))
    return neutralised(str(value))


def printed(value: object) -> str:
    """How a value is printed in the PDF's table: as in the CSV, but a time to the second
    ("2026-12-07 09:30:00Z") and no quote in front (a PDF runs no formulas)."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}Z"
    if value is None:
        return ""
    if isinstance(value, frozenset | set | tuple | list):
        return "; ".join(sorted(str(v) for v in value))
    return str(value)


def csv_chunks(columns: Sequence[str], batches: Iterable[Iterable[Sequence[object]]]) -> Iterator[bytes]:
    """The CSV's bytes: the header row first, then about `ROWS_PER_CHUNK` rows per chunk, as
    the batches arrive (RFC 4180: CRLF line ends, a field quoted when it holds a comma, a
    quote or a line break, quotes doubled; UTF-8 without a BOM)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    pending = 0
    for batch in batches:
        for row in batch:
            writer.writerow([cell(v) for v in row])
            pending += 1
            if pending >= ROWS_PER_CHUNK:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
                pending = 0
    yield buffer.getvalue().encode("utf-8")


def file_name(ask: ExportAsk, at: datetime) -> str:
    """The download's name: `register-agr_…-20261207.csv`."""
    subject = ask.agreement_id or ask.partnership_id or "export"
    return f"{ask.kind.value}-{subject}-{at:%Y%m%d}.{ask.format.value}"
