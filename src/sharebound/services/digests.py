"""Daily and weekly digest emails, queued by the worker's schedule; each sent once.

A daily digest goes from SHAREBOUND_DIGEST_HOUR (UTC) each day, a weekly one from that hour
each Monday (or the first pass after it, when no worker ran then), to each person who chose
that digest for some kind. It names: the notifications of those kinds since the last digest
sent to them, what was shared with them and by their org since then, the open requests of their
org both ways, and what waits for them (signatures, requests assigned). "Since the last digest"
is from the hour of the last one sent (so a worker down for days loses nothing: the next digest
covers every day it missed, once), or one period back for a first digest, at most MAX_LOOKBACK.
An empty digest is not sent. The key (digest_daily|digest_weekly, "digest", person, date) in
`reminders_sent` makes a second pass or worker a no-op.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sharebound.domain.emails import Line, Section, digest_email
from sharebound.domain.ids import new_id
from sharebound.domain.notifications import Mode, request_link
from sharebound.domain.orgs import Person, Role
from sharebound.domain.outbox import Channel
from sharebound.domain.partnerships import Partnership
from sharebound.domain.requests import InformationRequest, urgency
from sharebound.services.disclosures import answers_for_org, received_for
from sharebound.services.home import waits_for
from sharebound.services.unit_of_work import UnitOfWork

PERIODS = {Mode.DAILY: timedelta(days=1), Mode.WEEKLY: timedelta(days=7)}
# why: covers any outage worth waiting out; after months away (or a digest chosen again) a
# digest stays a digest, not an archive of what was already told
MAX_LOOKBACK = timedelta(days=31)


def run_digests(uow: UnitOfWork, *, digest_hour: int, base_url: str) -> int:
    """Queue the digests due now and not queued yet; how many were queued.

    The digests are composed in a transaction that only reads; a write transaction is opened
    only when some are to queue, and its claim of each (kind, person, date) key decides."""
    ready: list[tuple[str, Mode, str, dict[str, str]]] = []
    with uow.reading():
        now = uow.clock()
        today = now.replace(hour=digest_hour, minute=0, second=0, microsecond=0)
        for mode, length in PERIODS.items():
            # why from the latest Monday: a worker that was down all Monday still sends that week's
            sent_from = today if mode is Mode.DAILY else today - timedelta(days=today.weekday())
            if now < sent_from:
                continue
            period = sent_from.date().isoformat()
            for person_id in sorted(uow.notifications.people_choosing(mode)):
                person = uow.orgs.get_person(person_id)
                if person is None or uow.notifications.was_sent(f"digest_{mode.value}", "digest",
                                                                person.id, period):
                    continue
                since = _since_last_digest(uow, person.id, mode, sent_from, default=sent_from - length)
                sections = digest_sections(uow, person, mode, since=since, until=sent_from)
                if not any(s.lines for s in sections):
                    continue  # an empty digest is not sent
                email = digest_email(person.name, mode.value, sections, base_url)
                ready.append((person.id, mode, period,
                              {"subject": email.subject, "text": email.text, "html": email.html}))
    if not ready:
        return 0
    queued = 0
    with uow:
        now = uow.clock()
        for person_id, mode, period, payload in ready:
            if uow.notifications.claim_reminder(f"digest_{mode.value}", "digest", person_id, period, now):
                uow.outbox.add(id=new_id("obx"), channel=Channel.EMAIL, at=now, person_id=person_id,
                               payload=payload)
                queued += 1
        uow.commit()
    return queued


def _since_last_digest(uow: UnitOfWork, person_id: str, mode: Mode, sent_from: datetime, *,
                       default: datetime) -> datetime:
    """Where the last digest of `mode` sent to the person ended (its date at the digest hour):
    `default` when none was sent, never more than MAX_LOOKBACK before `sent_from`."""
    last = uow.notifications.last_period(f"digest_{mode.value}", "digest", person_id)
    if last is None:
        return default
    ended = datetime.combine(date.fromisoformat(last), sent_from.timetz())
    return min(max(ended, sent_from - MAX_LOOKBACK), default)


def digest_sections(uow: UnitOfWork, person: Person, mode: Mode, *, since: datetime,
                    until: datetime) -> list[Section]:
    """What a person's digest names; only titles they may already see in the app."""
    chosen = {k for k, m in uow.notifications.preferences(person.id).items() if m is mode}
    notes = [n for n in uow.notifications.list_for(person.id, since=since, until=until)
             if n.kind in chosen]
    received = sorted((d for d in received_for(uow, person) if since <= d.created_at < until),
                      key=lambda d: d.created_at)
    given = sorted((d for d in uow.disclosures.given_by(person.org) if since <= d.created_at < until),
                   key=lambda d: d.created_at)
    accepted = {p.id: p for p in uow.partnerships.list_for_org(person.org) if p.has_accepted(person.org)}
    requests = sorted((r for r in uow.requests.open_of(person.org) if r.partnership_id in accepted),
                      key=lambda r: urgency(r, until))

    def request_line(r: InformationRequest) -> Line:
        way = f"{r.asker_org} asks {r.asked_org}"
        late = " (overdue)" if r.is_overdue(until) else ""
        return Line(f"{way}: “{r.title}”, due {r.due_on}{late}", request_link(r.id))

    waiting = [request_line(r) for r in requests if r.assignee_id == person.id]
    if Role.SIGNER in person.roles:
        waiting += _signatures_waiting(uow, person, list(accepted.values()), until)
    return [
        Section("Notifications", tuple(Line(n.title, n.link) for n in notes)),
        Section("Waiting for you", tuple(waiting)),
        Section(f"Shared with {person.org}" if answers_for_org(person) else "Shared with you",
                tuple(Line(f"{d.discloser}: “{d.item_title}”", f"/disclosures/{d.id}") for d in received)),
        Section(f"Shared by {person.org}", tuple(Line(f"“{d.item_title}”", f"/disclosures/{d.id}")
                                                 for d in given)),
        Section("Open requests", tuple(request_line(r) for r in requests)),
    ]


def _signatures_waiting(uow: UnitOfWork, person: Person, partnerships: list[Partnership],
                        now: datetime) -> list[Line]:
    """The NDAs of the person's partnerships that wait for their org's signature (as on home)."""
    return [Line(f"The NDA in {partnership.name} (version {agreement.current.number}) "
                 f"waits for {person.org}'s signature", f"/agreements/{agreement.id}")
            for partnership in partnerships
            for agreement in uow.agreements.list_for_partnership(partnership.id)
            if person.org in agreement.terms.parties and waits_for(agreement, person.org, now)]
