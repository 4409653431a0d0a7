"""A small world built through the use cases: acme and globex in an active partnership.

    acme:   alice (admin, signer, member), sam (signer, member), mia (member)
    globex: grace (admin, signer, member), gina (member)
    initech: ian (admin, signer, member) -- outside the partnership
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from sharebound.adapters.db.tables import metadata
from sharebound.bootstrap import App
from sharebound.domain.agreements import Agreement
from sharebound.domain.classification import Classification
from sharebound.domain.ids import new_id
from sharebound.domain.items import Item, ItemKind, ItemVersion
from sharebound.domain.orgs import Person
from sharebound.domain.partnerships import Partnership
from sharebound.services import agreements, items, orgs, partnerships
from tests.factories import org_profile, sign_as, terms_json


@dataclass
class World:
    app: App
    alice: Person
    sam: Person
    mia: Person
    grace: Person
    gina: Person
    ian: Person
    partnership: Partnership

    def uow(self) -> Any:
        return self.app.uow()

    def stored_before_upload_checks(self, by: Person, content: bytes, media_type: str) -> str:
        """A confidential file item written straight through the repositories, as one stored
        before today's upload checks (or under laxer limits) would be: the id of the item."""
        uow = self.uow()
        with uow:
            now = uow.clock()
            stored = uow.blobs.put(content, org=by.org)
            version = ItemVersion(number=1, sha256=stored.sha256, size=stored.size, media_type=media_type,
                                  filename="file", created_at=now, created_by=by.id)
            item = Item(id=new_id("itm"), owner=by.org, kind=ItemKind.FILE, title="Thermal report",
                        classification=Classification.CONFIDENTIAL, topics=frozenset({"thermal"}),
                        versions=(version,), created_at=now)
            uow.items.add(item)
            uow.commit()
        return item.id

    def draft(self, **overrides: Any) -> Agreement:
        """An NDA between acme and globex, drafted by alice, effective from the clock's today."""
        today = self.app.clock().date()
        overrides.setdefault("effective_date", today.isoformat())
        overrides.setdefault("term_end", today.replace(year=today.year + 1).isoformat())
        return agreements.draft_agreement(self.uow(), self.alice.id, self.partnership.id,
                                          terms_json(**overrides))

    def signed(self, **overrides: Any) -> Agreement:
        agreement = self.draft(**overrides)
        digest = agreement.current.digest
        sign_as(self.uow(), self.sam.id, agreement.id, digest=digest, title="GC")
        return sign_as(self.uow(), self.grace.id, agreement.id, digest=digest,
                                         title="CEO")

    def note(self, by: Person | None = None, classification: str = "confidential",
             topics: tuple[str, ...] = ("thermal",), body: str = "Drift under 0.2 K") -> str:
        return items.add_item(self.uow(), (by or self.mia).id, title="Thermal test results",
                              classification=classification, topics=list(topics),
                              content=body.encode()).id


def everything(world: World) -> tuple[int, dict[str, list[str]]]:
    """The total event count, and every row of every table."""
    with world.uow() as uow:
        count = uow.events.count()
    with world.app.engine.connect() as connection:
        rows = {t.name: sorted(map(repr, connection.execute(select(t)))) for t in metadata.sorted_tables}
    return count, rows


@contextmanager
def changes_nothing(world: World, *, but: frozenset[str] = frozenset()) -> Iterator[None]:
    """Nothing changes in any table but those named in `but` (e.g. the counted failures of a
    wrong password: login_failures)."""
    before = everything(world)
    yield
    after = everything(world)
    if not but:
        assert after == before
    else:
        assert {t: r for t, r in after[1].items() if t not in but} == {
            t: r for t, r in before[1].items() if t not in but}
        assert after[0] == before[0]


def build_world(app: App) -> World:
    _, alice = orgs.create_org(app.uow(), handle="acme", name="Acme", admin_name="Alice",
                               admin_email="alice@acme.example",
                               profile=org_profile("acme"))
    sam = orgs.add_person(app.uow(), alice.id, org="acme", name="Sam", email="sam@acme.example",
                          roles=["signer", "member"])
    mia = orgs.add_person(app.uow(), alice.id, org="acme", name="Mia", email="mia@acme.example",
                          roles=["member"])
    _, grace = orgs.create_org(app.uow(), handle="globex", name="Globex", admin_name="Grace",
                               admin_email="grace@globex.example",
                               profile=org_profile("globex"))
    gina = orgs.add_person(app.uow(), grace.id, org="globex", name="Gina",
                           email="gina@globex.example", roles=["member"])
    _, ian = orgs.create_org(app.uow(), handle="initech", name="Initech", admin_name="Ian",
                             admin_email="ian@initech.example",
                               profile=org_profile("initech"))
    partnership = partnerships.propose_partnership(
        app.uow(), alice.id, name="Joint sensor", purpose="new_product", invite=["globex"])
    partnership = partnerships.accept_partnership(app.uow(), grace.id, partnership.id)
    return World(app, alice, sam, mia, grace, gina, ian, partnership)
