"""The one place that builds engines, stores, mailers and units of work from settings, and wires
the listeners that hear of every event."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from sharebound.adapters.blobs import LocalBlobStore
from sharebound.adapters.clock import Clock, system_clock
from sharebound.adapters.db import migrate
from sharebound.adapters.db.engine import build_engine
from sharebound.adapters.filetypes import ContentLimits
from sharebound.adapters.mail import SmtpMailer
from sharebound.adapters.passwords import ARGON2
from sharebound.adapters.text_extract import Limits
from sharebound.adapters.webhooks import post_signed
from sharebound.config import Settings
from sharebound.services import gate, notify
from sharebound.services.ports import Mailer, PasswordHasher, Poster
from sharebound.services.unit_of_work import Listener, UnitOfWork

GATE_REVISION = "0006"  # the migration that adds the content gate's fingerprints

#: Who hears of every recorded event, inside its transaction, in this order. One line each.
LISTENERS: tuple[Listener, ...] = (
    notify.fan_out,  # notifications, their email outbox rows and the webhook deliveries
)


@dataclass(frozen=True)
class App:
    settings: Settings
    engine: Engine
    blobs: LocalBlobStore
    clock: Clock
    passwords: PasswordHasher = ARGON2  # why a field: tests inject cheap Argon2 parameters
    poster: Poster = post_signed  # how the worker posts a webhook

    def uow(self) -> UnitOfWork:
        return UnitOfWork(
            self.engine, self.blobs, self.clock,
            limits=ContentLimits(pdf_pages=self.settings.max_pdf_pages),
            text_limits=Limits(max_pages=self.settings.gate_max_pages,
                               max_chars=self.settings.gate_max_chars),
            listeners=LISTENERS, passwords=self.passwords)

    def mailer(self) -> Mailer | None:
        """The SMTP mailer the settings describe; None when email is off (no SMTP host)."""
        s = self.settings
        if not s.smtp_host:
            return None
        return SmtpMailer(host=s.smtp_host, port=s.smtp_port, tls=s.smtp_tls, sender=s.mail_from,
                          user=s.smtp_user,
                          password=s.smtp_password.get_secret_value() if s.smtp_password else None,
                          timeout=s.smtp_timeout_seconds)

    def close(self) -> None:
        self.engine.dispose()


def build(settings: Settings | None = None, clock: Clock = system_clock) -> App:
    settings = settings or Settings()
    engine = build_engine(settings.resolved_database_url,
                          sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    return App(settings=settings, engine=engine, blobs=LocalBlobStore(settings.blobs_dir), clock=clock)


def init(settings: Settings | None = None) -> App:
    """Create the data folder and migrate the database to the newest schema. Idempotent."""
    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.blobs_dir.mkdir(parents=True, exist_ok=True)
    app = build(settings)
    before = migrate.current_revision(app.engine)
    migrate.upgrade(app.engine)
    # why: restricted items stored before the content gate have no fingerprints, so a pasted
    # crown jewel would pass; index them once, on the upgrade that adds the gate. (Not on every
    # start: a restricted image or very short note has none by nature and would be read again
    # each time. `sharebound gate reindex` repairs anything else.)
    if before is not None and migrate.runs(app.engine, before, GATE_REVISION):
        gate.reindex_fingerprints(app.uow())
    return app
