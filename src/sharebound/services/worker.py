"""The worker's use case: one pass delivers the outbox and runs the schedules (reminders, digests).

The process around it (its name, the loop, signals) is the entry point sharebound/worker.py;
the mailer and the webhook poster come from `bootstrap` (`Core`), or a test gives its own.

One pass: record the queued accesses (services/accesses.py), run the reminders and digests that
are due, make the executed copies of newly signed agreements (services/executed.py), then claim
due outbox rows and send them. A claim (SKIP LOCKED on PostgreSQL, the write lock on SQLite)
sets a short lease and is committed before anything is sent, so two workers never send the same
row. Before each send the worker renews its claim for the short lease again, and while a row is
being sent a heartbeat renews that row's lease every few seconds. So a live worker keeps its
rows however long a send takes, and a worker that dies gives back every row, the one it was
sending too, within the short lease. A failed attempt waits (30 s, 1 min, 2 min, ... at most 1
h) and is retried until the attempts run out; then the row is `failed`, shown on the admin's
Deliveries page. The event stays in the log.

On SQLite run one worker: claims are serialized by the database's single write lock.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol
from urllib.parse import urlencode

from sharebound.adapters import webhooks as http
from sharebound.adapters.clock import Clock
from sharebound.adapters.mail import Email, MailError
from sharebound.config import Settings
from sharebound.domain.emails import (
    instant_email,
    notice_email,
    partner_invitation_email,
    representative_invitation_email,
)
from sharebound.domain.notifications import backoff
from sharebound.domain.outbox import Channel, OutboxEntry, OutboxState
from sharebound.domain.partner_invitations import InvitationState
from sharebound.domain.representatives import RepresentativeState
from sharebound.domain.webhooks import Delivery
from sharebound.services import housekeeping, partner_invitations, representatives, transparency
from sharebound.services.accesses import drain_accesses
from sharebound.services.digests import run_digests
from sharebound.services.executed import make_pending_executed_copies
from sharebound.services.ports import LogSigner, Mailer, Poster
from sharebound.services.reminders import run_reminders
from sharebound.services.unit_of_work import UnitOfWork

log = logging.getLogger("sharebound.worker")

# why: what a claimed row waits under; renewed before every send, so a live worker keeps its
# batch, and a dead one's rows come back after seconds, not minutes
LEASE = timedelta(seconds=15)
HEARTBEAT = LEASE / 3  # why: three beats per lease, so one slow or failed renewal loses nothing
BATCH = 50  # why: one claim per 50 rows keeps the claims cheap; the short lease keeps them fair


class Core(Protocol):
    """What a pass needs of the application (`bootstrap.App` is one)."""

    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def poster(self) -> Poster: ...

    def uow(self) -> UnitOfWork: ...

    def mailer(self) -> Mailer | None: ...

    @property
    def log_key(self) -> LogSigner: ...


@dataclass
class PassReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    reminders: int = 0
    digests: int = 0
    pruned: int = 0
    executed: int = 0  # executed copies made for versions every party signed
    accesses: int = 0  # queued views moved into the access records with their events
    checkpoints: int = 0  # transparency logs whose grown tree was signed
    delivered_ids: list[str] = field(default_factory=list, repr=False)  # why: not in the log line

    @property
    def claimed(self) -> int:
        return self.sent + self.retrying + self.failed + self.skipped


def run_pass(core: Core, worker: str, *, mailer: Mailer | None = None, post: Poster | None = None,
             schedules: bool = True) -> PassReport:
    """One pass: the queued accesses, the schedules, then the outbox until nothing is due."""
    report = PassReport()
    try:  # why first: their events' notifications then go out in this same pass
        report.accesses = drain_accesses(core.uow())
    except Exception:
        log.exception("recording the queued accesses failed; the rest of the pass goes on")
    if schedules:
        # why each apart: a failing schedule must not hold back the other, nor the deliveries
        try:
            report.reminders = run_reminders(core.uow(), stale_days=core.settings.stale_days)
        except Exception:
            log.exception("the reminders failed; the deliveries go on")
        try:
            report.digests = run_digests(core.uow(), digest_hour=core.settings.digest_hour,
                                         base_url=core.settings.base_url)
        except Exception:
            log.exception("the digests failed; the deliveries go on")
        try:
            report.executed = make_pending_executed_copies(core.uow())
        except Exception:
            log.exception("the executed copies failed; the deliveries go on")
        try:
            report.checkpoints = transparency.sign_grown_checkpoints(core.uow(), core.log_key)
        except Exception:
            log.exception("signing the logs' checkpoints failed; the deliveries go on")
        try:
            report.pruned = housekeeping.prune(core.uow())
        except Exception:
            log.exception("the housekeeping failed; the deliveries go on")
    mailer = mailer if mailer is not None else core.mailer()
    while deliver_batch(core, worker, report, mailer=mailer, post=post or core.poster):
        pass
    return report


def deliver_batch(core: Core, worker: str, report: PassReport, *, mailer: Mailer | None,
                  post: Poster | None = None, limit: int = BATCH) -> int:
    """Claim up to `limit` due rows, send them, record each outcome; how many were claimed."""
    uow = core.uow()
    with uow.reading():  # why: an idle worker takes no write lock (SQLite) to learn it is idle
        if not uow.outbox.has_due(uow.clock()):
            return 0
    with uow:
        now = uow.clock()
        lease_until = now + LEASE
        claimed = uow.outbox.claim(worker, now, lease_until, limit)
        uow.commit()  # why: the lease is visible to other workers before anything is sent
    for n, entry in enumerate(claimed):
        # why: once its lease runs out another worker may take a row and send it too; so before
        # each send the batch is renewed, a row taken meanwhile is left, and the row being sent
        # is kept by a heartbeat for as long as its send takes
        if entry.id in _renew(core, worker, [e.id for e in claimed[n:]]):
            continue
        try:
            with _heartbeat(core, worker, entry.id):
                if entry.channel is Channel.WEBHOOK:
                    _send_webhook(core, worker, entry, report, post or core.poster)
                else:
                    _send_email(core, worker, entry, report, mailer)
        except Exception as error:  # why broad: one bad row must not hold back the rest of its batch
            log.exception("outbox %s: the send raised", entry.id)
            attempts = (core.settings.webhook_max_attempts if entry.channel is Channel.WEBHOOK
                        else core.settings.mail_max_attempts)
            # why no error text for a webhook: the delivery log shows categories, not exceptions
            text = (http.FAILED if entry.channel is Channel.WEBHOOK
                    else f"{type(error).__name__}: {error}"[:500])
            _finish(core, worker, entry, report, error=text, max_attempts=attempts)
    return len(claimed)


def _renew(core: Core, worker: str, ids: list[str], *, warn: bool = True) -> set[str]:
    """Lease `ids` for the short lease again, if still this worker's; the ids that another
    worker took after their lease ran out (or that were finished meanwhile)."""
    uow = core.uow()
    with uow:
        ours = uow.outbox.renew(ids, worker, uow.clock() + LEASE)
        uow.commit()
    lost = set(ids) - ours
    if lost and warn:
        log.warning("outbox: %d row(s) were taken by another worker after the lease ran out", len(lost))
    return lost


@contextmanager
def _heartbeat(core: Core, worker: str, entry_id: str) -> Iterator[None]:
    """Renew the lease of the row being sent every HEARTBEAT from a thread while its send runs:
    a live worker keeps the row however long the send takes; when the process dies, the
    renewals stop with it and the row is free again within LEASE."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(HEARTBEAT.total_seconds()):
            try:
                _renew(core, worker, [entry_id], warn=False)  # why: may land after the finish
            except Exception:  # why broad: a missed beat is retried; the send must not stop
                log.warning("outbox %s: the lease could not be renewed", entry_id, exc_info=True)

    thread = threading.Thread(target=beat, name=f"lease-{entry_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _finish(core: Core, worker: str, entry: OutboxEntry, report: PassReport, *, error: str | None,
            max_attempts: int, skipped: bool = False, delivery: Delivery | None = None) -> None:
    uow = core.uow()
    with uow:
        now = uow.clock()
        if delivery is not None:
            uow.webhooks.add_delivery(delivery)
        if skipped:
            state, retry_at = OutboxState.SKIPPED, None
        elif error is None:
            state, retry_at = OutboxState.SENT, None
        elif entry.attempts >= max_attempts:
            state, retry_at = OutboxState.FAILED, None
        else:
            state, retry_at = OutboxState.PENDING, now + backoff(entry.attempts)
        if uow.outbox.finish(entry.id, worker, state=state, at=now, error=error, retry_at=retry_at):
            if state is not OutboxState.PENDING and "token" in entry.payload:
                # why: the link's secret is kept only until the email is out (or never will be)
                uow.outbox.set_payload(entry.id, {k: v for k, v in entry.payload.items() if k != "token"})
            uow.commit()
        else:
            log.warning("outbox %s: the lease ran out before the send ended; not recorded", entry.id)
            return
    if state == OutboxState.SENT:
        report.sent += 1
        report.delivered_ids.append(entry.id)
    elif state == OutboxState.SKIPPED:
        report.skipped += 1
    elif state == OutboxState.FAILED:
        report.failed += 1
        log.warning("outbox %s (%s) failed for good: %s", entry.id, entry.channel, error)
    else:
        report.retrying += 1
        log.info("outbox %s (%s) will be retried: %s", entry.id, entry.channel, error)


def _email_of(core: Core, entry: OutboxEntry) -> Email | None:
    if entry.person_id is None and "to" in entry.payload:  # a notice to a party's notice contact
        p = entry.payload
        rendered = notice_email(p["title"], p["link"], core.settings.base_url)
        return Email(to=p["to"], subject=rendered.subject, text=rendered.text, html=rendered.html)
    uow = core.uow()
    with uow.reading():
        person = uow.orgs.get_person(entry.person_id) if entry.person_id else None
        if person is None:
            return None
        if entry.notification_id is None:  # a digest, rendered when it was queued
            p = entry.payload
            return Email(to=person.email, subject=p["subject"], text=p["text"], html=p["html"])
        note = uow.notifications.get(entry.notification_id)
        if note is None:
            return None
        rendered = instant_email(note, person.name, core.settings.base_url)
        return Email(to=person.email, subject=rendered.subject, text=rendered.text, html=rendered.html)


def _invitation_email(core: Core, entry: OutboxEntry) -> Email | None:
    """A partner invitation's email, while the invitation is pending; its link carries the token
    the outbox row holds sealed."""
    uow = core.uow()
    with uow.reading():
        found = uow.partner_invitations.get(str(entry.payload.get("invitation")))
        if found is None or found.state(uow.clock()) is not InvitationState.PENDING:
            return None
        token = partner_invitations.token_of(uow, entry.payload)
    p = entry.payload
    url = f"{core.settings.base_url.rstrip('/')}/join/{token}"
    rendered = partner_invitation_email(
        proposer=str(p.get("proposer")), inviter=str(p.get("inviter")),
        partnership=str(p.get("partnership")), url=url,
        expires_on=found.expires_at.strftime("%Y-%m-%d %H:%M UTC"))
    return Email(to=found.email, subject=rendered.subject, text=rendered.text, html=rendered.html)


def _representative_email(core: Core, entry: OutboxEntry) -> Email | None:
    """A representative's invitation to their guest account, while they are approved."""
    uow = core.uow()
    with uow.reading():
        found = uow.representatives.get(str(entry.payload.get("representative")))
        if found is None or found.state is not RepresentativeState.APPROVED:
            return None
        token = representatives.token_of(uow, entry.payload)
        discloser = uow.orgs.get_org(found.decided_org or "")
    url = f"{core.settings.base_url.rstrip('/')}/invitations/accept?{urlencode({'token': token})}"
    rendered = representative_invitation_email(
        org=str(entry.payload.get("org")), discloser=discloser.name if discloser else "the discloser",
        name=found.name, url=url)
    return Email(to=found.email, subject=rendered.subject, text=rendered.text, html=rendered.html)


def _send_email(core: Core, worker: str, entry: OutboxEntry, report: PassReport,
                mailer: Mailer | None) -> None:
    attempts = core.settings.mail_max_attempts
    if mailer is None:
        _finish(core, worker, entry, report, error="email is off: SHAREBOUND_SMTP_HOST is not set",
                max_attempts=attempts, skipped=True)
        return
    if entry.payload.get("kind") == partner_invitations.EMAIL_KIND:
        email = _invitation_email(core, entry)
        gone = "the invitation was revoked, taken or expired before it was sent"
    elif entry.payload.get("kind") == representatives.EMAIL_KIND:
        email = _representative_email(core, entry)
        gone = "the representative was withdrawn before the invitation was sent"
    else:
        email, gone = _email_of(core, entry), "the addressee no longer exists"
    if email is None:
        _finish(core, worker, entry, report, error=gone, max_attempts=attempts, skipped=True)
        return
    try:
        mailer.send(email)
    except MailError as error:
        _finish(core, worker, entry, report, error=str(error), max_attempts=attempts)
        return
    _finish(core, worker, entry, report, error=None, max_attempts=attempts)


def webhook_body(entry: OutboxEntry) -> bytes:
    """The exact bytes posted (and signed): compact JSON with sorted keys."""
    return json.dumps(entry.payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _send_webhook(core: Core, worker: str, entry: OutboxEntry, report: PassReport, post: Poster) -> None:
    attempts = core.settings.webhook_max_attempts
    uow = core.uow()
    with uow.reading():
        hook = uow.webhooks.get_any(entry.webhook_id) if entry.webhook_id else None
    if hook is None or hook.deleted_at is not None:
        _finish(core, worker, entry, report, error="the webhook was deleted", max_attempts=attempts,
                skipped=True)
        return
    now = core.clock()
    result = post(hook.url, webhook_body(entry), hook.signing_secrets(now),
                  timestamp=int(now.timestamp()), timeout=core.settings.webhook_timeout_seconds,
                  allow=core.settings.webhook_allow_list)
    delivery = Delivery(webhook_id=hook.id, outbox_id=entry.id, attempt=entry.attempts, at=now,
                        status_code=result.status_code, error=result.error, duration_ms=result.duration_ms)
    _finish(core, worker, entry, report, error=result.error, max_attempts=attempts, delivery=delivery)
