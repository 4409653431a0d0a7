"""Reminders, run by the worker's schedule; each is sent once.

Each reminder is keyed by (kind, subject, person, period) in `reminders_sent`: the claim of
the key and the notification are one transaction, so a second pass or a second worker finds
the key taken and does nothing.

    access_ending      a disclosure's access ends within 7 days     its recipients
    agreement_ending   an NDA ends within 30 days                   the parties' admins and signers
    request_due        an open request is due tomorrow              the assignee, else the asked org's admins
                       ... or is overdue                            the same, and the asker
    partnership_quiet  no disclosure, request or message for N days both orgs' admins
    return_due         copies due back within 7 days, on the due day,  the receiving org's admins
                       and once overdue (each once per due date)       and signers
    notice_due         an open notice's deadline is within 3 days,    the addressees' admins and
                       ... or has passed                              signers (passed: the sender's too)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sharebound.domain.notices import NoticeKind, last_day
from sharebound.domain.notifications import Kind, notice_link, request_link
from sharebound.domain.orgs import Role
from sharebound.domain.returns import return_list
from sharebound.services.notify import Told, notify, people_named, people_with_roles
from sharebound.services.unit_of_work import UnitOfWork

ACCESS_NOTICE = timedelta(days=7)  # why: the "access ends in 7 days"
AGREEMENT_NOTICE = timedelta(days=30)  # why: the "an NDA ends in 30 days"
RETURN_NOTICE = timedelta(days=7)  # why: a week to find every copy before they are due back
NOTICE_DEADLINE = timedelta(days=3)  # why: a notice's deadline is short (a court date); 3 days to act


@dataclass(frozen=True, slots=True)
class Due:
    """One reminder to send once: its key, and whom it tells."""

    kind: Kind
    subject: str
    period: str
    told: tuple[Told, ...]


def run_reminders(uow: UnitOfWork, *, stale_days: int) -> int:
    """Send every reminder that is due and not sent yet; how many notifications were made.

    The search only reads (on SQLite it takes no write lock); a write transaction is opened
    only when some reminder is still to send, and its claim of each key decides."""
    with uow.reading():
        now = uow.clock()
        due = [*_access_ending(uow, now), *_agreements_ending(uow, now), *_requests_due(uow, now),
               *_quiet_partnerships(uow, now, stale_days), *_returns_due(uow, now),
               *_notices_due(uow, now)]
        due = [replace(d, told=tuple(t for t in d.told if not uow.notifications.was_sent(
            d.kind.value, d.subject, t.person.id, d.period))) for d in due]
        due = [d for d in due if d.told]
    if not due:
        return 0
    made = 0
    with uow:
        now = uow.clock()
        for reminder in due:
            fresh = tuple(t for t in reminder.told if uow.notifications.claim_reminder(
                reminder.kind.value, reminder.subject, t.person.id, reminder.period, now))
            made += len(notify(uow, fresh, event_kind=f"reminder:{reminder.kind.value}",
                               subject=reminder.subject, actor_id=None, at=now))
        uow.commit()
    return made


def _access_ending(uow: UnitOfWork, now: datetime) -> list[Due]:
    found = []
    for ending in uow.schedules.access_ending(now, now + ACCESS_NOTICE):
        title = f"Your access to “{ending.title}” ends on {ending.expires_at:%Y-%m-%d %H:%M} UTC"
        told = tuple(Told(p, Kind.ACCESS_ENDING, title, f"/disclosures/{ending.disclosure_id}")
                     for p in people_named(uow, list(ending.recipients)))
        found.append(Due(Kind.ACCESS_ENDING, ending.disclosure_id, ending.expires_at.isoformat()[:19], told))
    return found


def _agreements_ending(uow: UnitOfWork, now: datetime) -> list[Due]:
    found = []
    for agreement_id in uow.schedules.live_agreement_ids():
        agreement = uow.agreements.get(agreement_id)
        if agreement is None or not agreement.is_in_force(now):
            continue
        version = agreement.in_force_version(now)
        ends_at = version.terms.ends_at if version else None
        if ends_at is None or not now < ends_at <= now + AGREEMENT_NOTICE:
            continue
        partnership = uow.partnerships.get(agreement.partnership_id)
        name = partnership.name if partnership else "a partnership"
        title = f"The NDA in {name} ends on {ends_at:%Y-%m-%d}"
        people = people_with_roles(uow, list(agreement.terms.parties), Role.ADMIN, Role.SIGNER)
        told = tuple(Told(p, Kind.AGREEMENT_ENDING, title, f"/agreements/{agreement.id}") for p in people)
        found.append(Due(Kind.AGREEMENT_ENDING, agreement.id, ends_at.isoformat()[:19], told))
    return found


def _requests_due(uow: UnitOfWork, now: datetime) -> list[Due]:
    today = now.date()
    found = []
    for request in uow.requests.open_due_by(today + timedelta(days=1)):
        link = request_link(request.id)
        answerers = (people_named(uow, [request.assignee_id])
                     or people_with_roles(uow, [request.asked_org], Role.ADMIN))
        if request.due_on > today:
            title = f"{request.asker_org}'s request “{request.title}” is due tomorrow, {request.due_on}"
            told = tuple(Told(p, Kind.REQUEST_DUE, title, link) for p in answerers)
            found.append(Due(Kind.REQUEST_DUE, request.id, f"due:{request.due_on}", told))
        elif request.is_overdue(now):  # the domain's rule, as the lists and home page use it
            title = (f"The request “{request.title}” from {request.asker_org} to {request.asked_org} "
                     f"is overdue (due {request.due_on})")
            everyone = [*answerers, *people_named(uow, [request.asked_by])]
            told = tuple(Told(p, Kind.REQUEST_DUE, title, link) for p in everyone)
            found.append(Due(Kind.REQUEST_DUE, request.id, f"overdue:{request.due_on}", told))
    return found


def _quiet_partnerships(uow: UnitOfWork, now: datetime, stale_days: int) -> list[Due]:
    found = []
    for partnership_id, name, orgs, last in uow.schedules.active_partnerships():
        quiet = now - last
        if quiet < timedelta(days=stale_days):
            continue
        title = f"Nothing shared in {name} for {quiet.days} days: ask or share something"
        told = tuple(Told(p, Kind.PARTNERSHIP_QUIET, title, f"/partnerships/{partnership_id}")
                     for p in people_with_roles(uow, list(orgs), Role.ADMIN))
        # why the last activity as the period: a new quiet spell after new activity reminds again
        found.append(Due(Kind.PARTNERSHIP_QUIET, partnership_id, last.isoformat()[:19], told))
    return found


def _returns_due(uow: UnitOfWork, now: datetime) -> list[Due]:
    """Copies not certified yet: before the due date, on it, and once overdue; the period is
    the stage and the due date, so each stage of each due date is told once."""
    found = []
    for agreement_id, org in uow.returns.open_obligations():
        agreement = uow.agreements.get(agreement_id)
        if agreement is None:
            continue
        downloads = tuple(uow.returns.downloads(agreement_id, org))
        demands = tuple(uow.returns.demands(agreement_id, org=org))
        due = return_list(agreement, org, now, downloads, None, demands=demands).due_at
        if due is None or not (downloads or demands):
            continue
        day = last_day(due)
        if now >= due:
            stage, when = "overdue", f"are overdue (due {day})"
        elif day == now.date():
            stage, when = "today", "are due today"
        elif due - now <= RETURN_NOTICE:
            stage, when = "soon", f"are due on {day}"
        else:
            continue
        partnership = uow.partnerships.get(agreement.partnership_id)
        name = partnership.name if partnership else "a partnership"
        title = (f"{org}'s copies under the NDA in {name} {when}: return or destroy them, "
                 "then certify it")
        told = tuple(Told(p, Kind.RETURN_DUE, title, f"/agreements/{agreement_id}#copies")
                     for p in people_with_roles(uow, [org], Role.ADMIN, Role.SIGNER))
        # why the agreement as subject: a person is of one org, so (agreement, person) is theirs
        found.append(Due(Kind.RETURN_DUE, agreement_id, f"{stage}:{due.isoformat()[:19]}", told))
    return found


def _notices_due(uow: UnitOfWork, now: datetime) -> list[Due]:
    found = []
    for notice in uow.notices.with_deadline_by(now + NOTICE_DEADLINE):
        if notice.kind is NoticeKind.DEMAND_RETURN or notice.deadline is None:
            continue  # why: a demand's due date is the return's, reminded by _returns_due
        passed = now >= notice.deadline
        orgs = [*notice.to_orgs, *([notice.from_org] if passed else [])]
        when = "has passed" if passed else "is near"
        title = (f"The deadline of the {notice.title.lower()} from {notice.from_org} {when}: "
                 f"{last_day(notice.deadline)}")
        told = tuple(Told(p, Kind.NOTICE_DUE, title, notice_link(notice.id))
                     for p in people_with_roles(uow, orgs, Role.ADMIN, Role.SIGNER))
        stage = "passed" if passed else "soon"
        found.append(Due(Kind.NOTICE_DUE, notice.id, f"{stage}:{notice.deadline.isoformat()[:19]}", told))
    return found
