"""Helpers for the notification tests: disclose, write another engineer's events, read the outbox."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select

from sharebound.adapters.db.tables import notifications, outbox, requests
from sharebound.domain.audit import partnership_log
from sharebound.domain.disclosures import Disclosure
from sharebound.domain.ids import new_id
from sharebound.services import disclosures
from sharebound.services.common import record
from sharebound.services.disclosures import DisclosureDraft
from tests.integration.world import World


def disclose(world: World, agreement_id: str, *, to: str = "gina@globex.example",
             title_body: str = "Drift under 0.2 K") -> Disclosure:
    item = world.note(body=title_body)
    return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item, agreement_id=agreement_id, recipients=[to], actions=["view"]))


def event(world: World, kind: str, actor_id: str, subject: str, data: dict[str, Any]) -> None:
    """An event as the requests/feed use cases write it (their code is not on this branch)."""
    with world.uow() as uow:
        record(uow, partnership_log(world.partnership.id), kind, actor_id, subject, data)
        uow.commit()


def request_row(world: World, *, due_on: date, assignee: str | None = None,
                title: str = "Thermal test results", state: str = "open") -> str:
    """A request globex (grace) asked acme, as the requests table holds it."""
    rid = new_id("req")
    with world.app.engine.begin() as connection:
        connection.execute(insert(requests).values(
            id=rid, partnership_id=world.partnership.id, asker_org="globex", asked_by=world.grace.id,
            asked_org="acme", assignee_id=assignee, title=title, details="Please share the data",
            topic="thermal", due_on=due_on, state=state, created_at=world.app.clock()))
    return rid


def told(world: World) -> list[tuple[str, str, str]]:
    """(person's name, kind, title) of every notification, sorted."""
    names = {p.id: p.name for p in (world.alice, world.sam, world.mia, world.grace, world.gina, world.ian)}
    with world.app.engine.connect() as connection:
        rows = connection.execute(select(notifications)).all()
    return sorted((names[r.person_id], r.kind, r.title) for r in rows)


def kinds_told(world: World) -> set[tuple[str, str]]:
    return {(name, kind) for name, kind, _ in told(world)}


def outbox_rows(world: World) -> list[Any]:
    with world.app.engine.connect() as connection:
        return list(connection.execute(select(outbox).order_by(outbox.c.created_at, outbox.c.id)))
