"""Helpers for the notification tests: disclose, ask, read the notifications and the outbox."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from sharebound.adapters.db.tables import notifications, outbox
from sharebound.domain.disclosures import Disclosure
from sharebound.services import disclosures, requests
from sharebound.services.disclosures import DisclosureDraft
from tests.integration.world import World


def disclose(world: World, agreement_id: str, *, to: str = "gina@globex.example",
             title_body: str = "Drift under 0.2 K") -> Disclosure:
    item = world.note(body=title_body)
    return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=item, agreement_id=agreement_id, recipients=[to], actions=["view"]))


def ask(world: World, *, due_on: date, assignee: str | None = None,
        title: str = "Thermal test results") -> str:
    """A request globex (gina) asks acme, through the use case."""
    return requests.open_request(world.uow(), world.gina.id, world.partnership.id, title=title,
                                 details="Please share the data", topic="thermal", due_on=due_on,
                                 assignee=assignee).id


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
