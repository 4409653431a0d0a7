"""Information requests: an org asks a partner org for information, which answers or declines.

    open ──answer──▶ answered        (by the asked org, with disclosures it made to the asker)
      │ ──decline──▶ declined        (by the asked org, with a reason)
      │ ──withdraw─▶ withdrawn       (by the asker's org)
      └ ──assign───▶ open            (by the asked org: who on its side handles it)

`overdue` is not stored: a request is overdue while it is open after its due date.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from sharebound.domain.classification import Classification
from sharebound.domain.errors import Conflict, InvalidInput, PermissionDenied
from sharebound.domain.events import RequestFacts
from sharebound.domain.orgs import Person
from sharebound.domain.values import is_topic, multi_line, single_line, topic_line

MAX_DETAILS = 5000  # why: a paragraph or two of what is needed; documents are items
MAX_REASON = 2000
MAX_ANSWERS = 50  # why: disclosures linked by one answer; more is a different request


class RequestState(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    OVERDUE = "overdue"  # computed: open, and past its due date


STORED_STATES = frozenset({RequestState.OPEN, RequestState.ANSWERED, RequestState.DECLINED,
                           RequestState.WITHDRAWN})
CLOSED = frozenset({RequestState.ANSWERED, RequestState.DECLINED, RequestState.WITHDRAWN})


@dataclass(frozen=True, slots=True)
class InformationRequest:
    id: str
    partnership_id: str
    asker_org: str
    asked_by: str  # person id
    asked_org: str
    assignee_id: str | None  # a person of the asked org, or nobody yet
    title: str
    details: str
    topic: str | None
    due_on: date  # a UTC calendar day: due by its end
    state: RequestState  # what was last done; never OVERDUE
    created_at: datetime
    decline_reason: str | None = None
    closed_at: datetime | None = None
    closed_by: str | None = None
    disclosures: tuple[str, ...] = ()  # the disclosures that answered it, in link order
    # The level its text was sent at, and the agreement in force that covered it (None: public).
    classification: Classification = Classification.PUBLIC
    agreement_id: str | None = None
    agreement_digest: str | None = None
    answer_note: str | None = None  # what the asked org wrote with its answer
    withheld: bool = False  # its text is hidden: the agreement it was sent under has ended

    def state_at(self, now: datetime) -> RequestState:
        if self.state is RequestState.OPEN and now.date() > self.due_on:
            return RequestState.OVERDUE
        return self.state

    def is_overdue(self, now: datetime) -> bool:
        return self.state_at(now) is RequestState.OVERDUE

    @property
    def is_open(self) -> bool:
        return self.state is RequestState.OPEN

    def concerns(self, org: str) -> bool:
        """Only the asking and the asked orgs see a request."""
        return org in (self.asker_org, self.asked_org)

    def answer(self, by: Person, disclosure_ids: Sequence[str], at: datetime,
               note: str = "") -> InformationRequest:
        self._by_asked_org(by, "answer")
        self._still_open()
        text = multi_line("note", note if isinstance(note, str) else "", MAX_REASON).strip()
        return replace(self, state=RequestState.ANSWERED, closed_at=at, closed_by=by.id,
                       answer_note=text or None,
                       disclosures=tuple(dict.fromkeys((*self.disclosures, *disclosure_ids))))

    def decline(self, by: Person, reason: str, at: datetime) -> InformationRequest:
        self._by_asked_org(by, "decline")
        self._still_open()
        text = multi_line("reason", reason, MAX_REASON).strip() if isinstance(reason, str) else ""
        if not text:
            raise InvalidInput({"reason": "is required: say why the request is declined"})
        return replace(self, state=RequestState.DECLINED, decline_reason=text, closed_at=at,
                       closed_by=by.id)

    def withdraw(self, by: Person, at: datetime) -> InformationRequest:
        if by.org != self.asker_org:
            raise PermissionDenied(f"only people of {self.asker_org}, which asked, can withdraw "
                                   "this request")
        self._still_open()
        return replace(self, state=RequestState.WITHDRAWN, closed_at=at, closed_by=by.id)

    def assign(self, by: Person, assignee: Person | None) -> InformationRequest:
        self._by_asked_org(by, "assign")
        self._still_open()
        if assignee is not None and assignee.org != self.asked_org:
            raise InvalidInput({"assignee": f"must be a person of {self.asked_org}, the asked "
                                            "organization"})
        return replace(self, assignee_id=assignee.id if assignee else None)

    def withholding_text(self) -> InformationRequest:
        """This request with its details, decline reason and answer note hidden."""
        return replace(self, details="", decline_reason=None, answer_note=None, withheld=True)

    def event_facts(self) -> RequestFacts:
        """What every request event carries: titles both parties may see, never content."""
        return RequestFacts(title=self.title, asker=self.asked_by, asker_org=self.asker_org,
                            asked_org=self.asked_org, assignee=self.assignee_id, due_on=self.due_on,
                            topic=self.topic)

    def _by_asked_org(self, by: Person, action: str) -> None:
        if by.org != self.asked_org:
            raise PermissionDenied(f"only people of {self.asked_org}, the asked organization, can "
                                   f"{action} this request")

    def _still_open(self) -> None:
        if not self.is_open:
            raise Conflict(f"this request is {self.state.value}: nothing more can be done with it")


def new_request(
    *, id: str, partnership_id: str, asker: Person, asked_org: str, partners: Collection[str],
    title: str, details: str, topic: str | None, due_on: date | str, assignee: Person | None,
    now: datetime, errors: Mapping[str, str] | None = None,
) -> InformationRequest:
    """A request from `asker`'s org to `asked_org`, one of `partners` (the other orgs that
    accepted the partnership); every bad field is named at once, with the `errors` the caller
    found already (its own fields')."""
    errors = dict(errors or {})
    if asked_org == asker.org:
        errors["asked_org"] = "ask a partner organization, not your own"
    elif asked_org not in partners:
        errors["asked_org"] = f"{asked_org} is not a partner organization of this partnership"
    try:  # why 300: the items' title limit, so an answer's title fits beside it
        title = single_line("title", title, 300)
    except InvalidInput as bad:
        errors.update(bad.errors)
    try:
        details = multi_line("details", details if isinstance(details, str) else "", MAX_DETAILS).strip()
    except InvalidInput as bad:
        errors.update(bad.errors)
    if topic is not None:
        try:
            topic = topic_line("topic", topic) or None
        except InvalidInput as bad:
            errors.update(bad.errors)
            topic = None
        if topic is not None and not is_topic(topic):
            errors["topic"] = "must be lowercase letters, digits, spaces, _ or - (at most 64)"
    day = parse_day(due_on)
    if day is None:
        errors["due_on"] = "must be a date, YYYY-MM-DD"
    elif day < now.date():
        errors["due_on"] = f"must be today ({now.date().isoformat()}) or later"
    if assignee is not None and assignee.org != asked_org:
        errors["assignee"] = f"must be a person of {asked_org}, the asked organization"
    if errors:
        raise InvalidInput(errors)
    return InformationRequest(
        id=id, partnership_id=partnership_id, asker_org=asker.org, asked_by=asker.id,
        asked_org=asked_org, assignee_id=assignee.id if assignee else None, title=title,
        details=details, topic=topic, due_on=day or now.date(), state=RequestState.OPEN, created_at=now)


def parse_day(value: date | str) -> date | None:
    """A calendar day given as a date or as YYYY-MM-DD; None when it is neither."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def urgency(request: InformationRequest, now: datetime) -> tuple[int, date, float]:
    """Sort key: overdue first, then open (soonest due first), then closed (newest first)."""
    state = request.state_at(now)
    if state in CLOSED:
        return 2, date.max, -(request.closed_at or request.created_at).timestamp()
    rank = 0 if state is RequestState.OVERDUE else 1
    return rank, request.due_on, request.created_at.timestamp()
