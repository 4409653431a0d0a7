"""Notices: formal messages under an NDA to the other parties' notice contacts, with a state,
a deadline and a response thread; and the demand for return or destruction they can carry.

    sent ──the addressee──▶ acknowledged ──either side──▶ closed
      └────────────────────either side─────────────────────▲

Kinds (who may give each):

    compelled_disclosure  a receiving party: a court or regulator orders it to disclose
                          (what, to whom, under which order, by when); the discloser may respond
    unauthorized_use      any party: a breach, which may cite a traced copy id
    demand_return         a party that disclosed to the addressee: access to its disclosures
                          to that org under the agreement ends, and the copies are due back
    termination           made by terminating the agreement (never sent by hand)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_NAME, MAX_NOTE
from sharebound.domain.stamps import parse_copy_id
from sharebound.domain.terms import AgreementTerms
from sharebound.domain.values import multi_line, single_line

MAX_NOTICE_BODY = 5000  # why: a notice is a letter, a page or two; a document is an item
MAX_RESPONSE = MAX_NOTE


class NoticeKind(StrEnum):
    COMPELLED_DISCLOSURE = "compelled_disclosure"
    UNAUTHORIZED_USE = "unauthorized_use"
    DEMAND_RETURN = "demand_return"
    TERMINATION = "termination"


KIND_TITLES = {
    NoticeKind.COMPELLED_DISCLOSURE: "Notice of compelled disclosure",
    NoticeKind.UNAUTHORIZED_USE: "Notice of unauthorized use or disclosure",
    NoticeKind.DEMAND_RETURN: "Demand for return or destruction",
    NoticeKind.TERMINATION: "Notice of termination",
}


class NoticeState(StrEnum):
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class NoticeResponse:
    id: str
    notice_id: str
    org: str
    person_id: str
    body: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Notice:
    id: str
    agreement_id: str
    partnership_id: str
    kind: NoticeKind
    from_org: str
    sent_by: str  # person id
    to_orgs: tuple[str, ...]
    body: str
    details: Mapping[str, str]  # compelled: to_whom, order; unauthorized: copy_id
    deadline: datetime | None
    state: NoticeState
    created_at: datetime
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None

    @property
    def title(self) -> str:
        return KIND_TITLES[self.kind]

    def concerns(self, org: str) -> bool:
        return org == self.from_org or org in self.to_orgs

    def is_overdue(self, now: datetime) -> bool:
        return self.deadline is not None and self.state is not NoticeState.CLOSED and now >= self.deadline

    @property
    def deadline_on(self) -> date | None:
        return last_day(self.deadline) if self.deadline is not None else None


@dataclass(frozen=True, slots=True)
class NoticeDraft:
    """What a party asks to send, checked field by field (every bad field named at once)."""

    kind: NoticeKind
    body: str
    to: str | None
    details: Mapping[str, str]
    deadline: datetime | None  # compelled: by when; unauthorized: optional; demand: due date


def notice_contacts(terms: AgreementTerms) -> dict[str, str]:
    """Each party's notice email, by handle: the one place that reads them from the terms."""
    return dict(terms.notice)


def end_of_day(day: date) -> datetime:
    """A date given as a deadline means the end of that day, UTC."""
    return datetime.combine(day + timedelta(days=1), time(0, tzinfo=UTC))


def last_day(deadline: datetime) -> date:
    """The last day on which something due at `deadline` is on time (the day a date-given
    deadline names; the deadline's own day otherwise)."""
    return (deadline - timedelta(microseconds=1)).date()


def parse_notice(fields: Mapping[str, Any]) -> NoticeDraft:
    """The one parser of a notice, for the API and the pages: `InvalidInput` names every bad
    field. `termination` is refused here: terminating the agreement makes that notice."""
    errors: dict[str, str] = {}
    kind_text = fields.get("kind")
    kind: NoticeKind | None = None
    sendable = [k.value for k in NoticeKind if k is not NoticeKind.TERMINATION]
    if kind_text == NoticeKind.TERMINATION:
        errors["kind"] = "a notice of termination is made by terminating the agreement"
    elif kind_text not in sendable:
        errors["kind"] = f"must be one of {', '.join(sendable)}"
    else:
        kind = NoticeKind(str(kind_text))
    body = _text(errors, "body", fields.get("body"), MAX_NOTICE_BODY, multi=True,
                 required=kind in (NoticeKind.COMPELLED_DISCLOSURE, NoticeKind.UNAUTHORIZED_USE))
    to = _text(errors, "to", fields.get("to"), MAX_NAME, required=False) or None
    details: dict[str, str] = {}
    deadline_text = fields.get("deadline")
    deadline: datetime | None = None
    if deadline_text not in (None, ""):
        try:
            deadline = end_of_day(date.fromisoformat(str(deadline_text)))
        except ValueError:
            errors["deadline"] = "must be a date (YYYY-MM-DD)"
    if kind is NoticeKind.COMPELLED_DISCLOSURE:
        for name in ("to_whom", "order"):
            if value := _text(errors, name, fields.get(name), MAX_NAME * 2, required=True):
                details[name] = value
        if deadline is None and "deadline" not in errors:
            errors["deadline"] = "is required: by when the order makes you disclose"
    elif kind is NoticeKind.UNAUTHORIZED_USE and fields.get("copy_id") not in (None, ""):
        copy_id = parse_copy_id(str(fields.get("copy_id")))
        if copy_id is None:
            errors["copy_id"] = "is not a copy id (XXXX-XXXX-XXXX)"
        else:
            details["copy_id"] = copy_id
    if errors or kind is None:
        raise InvalidInput(errors)
    return NoticeDraft(kind=kind, body=body, to=to, details=details, deadline=deadline)


def _text(errors: dict[str, str], name: str, value: object, limit: int, *, required: bool,
          multi: bool = False) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[name] = "is required"
        return ""
    try:
        return (multi_line(name, value, limit).strip() if multi else single_line(name, value, limit))
    except InvalidInput as bad:
        errors.update(bad.errors)
        return ""
