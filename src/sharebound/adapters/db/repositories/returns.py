"""Copies to return or destroy: the downloads an org's people made under an agreement, the
org's certification, and the disclosers' demands for return."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, insert, or_, select

from sharebound.adapters.db.paging import keyset
from sharebound.adapters.db.tables import (
    access_records,
    agreements,
    copies,
    disclosures,
    people,
    representatives,
    return_certifications,
    return_demands,
)
from sharebound.domain.paging import PageRequest
from sharebound.domain.returns import Certification, DownloadedCopy, ReturnDemand


class ReturnRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def downloads(self, agreement_id: str, org: str, person_id: str | None = None,
                  discloser: str | None = None, request: PageRequest | None = None) -> list[DownloadedCopy]:
        """Every download by the org's people (or one person) of disclosures under the agreement
        (or of those one discloser made), oldest first, in one query; the org's
        representatives' copies are the org's too. With `request`, one keyset page of them
        (`cut` it on each copy's `(at, access_id)`)."""
        guests = select(representatives.c.person_id).where(
            representatives.c.agreement_id == agreement_id, representatives.c.org == org,
            representatives.c.person_id.is_not(None))
        query = (
            select(access_records.c.id, access_records.c.disclosure_id, access_records.c.person_id,
                   access_records.c.at, disclosures.c.item_title, disclosures.c.item_version,
                   people.c.name, copies.c.copy_id, copies.c.sha256)
            .join(disclosures, disclosures.c.id == access_records.c.disclosure_id)
            .join(people, people.c.id == access_records.c.person_id)
            .outerjoin(copies, copies.c.access_id == access_records.c.id)
            .where(disclosures.c.agreement_id == agreement_id,
                   or_(people.c.org == org, access_records.c.person_id.in_(guests)),
                   access_records.c.action == "download"))
        if person_id is not None:
            query = query.where(access_records.c.person_id == person_id)
        if discloser is not None:
            query = query.where(disclosures.c.discloser == discloser)
        if request is None:
            query = query.order_by(access_records.c.at, access_records.c.id)
        else:
            query = keyset(query, [access_records.c.at, access_records.c.id], request, newest_first=False)
        return [DownloadedCopy(access_id=r.id, disclosure_id=r.disclosure_id, item_title=r.item_title,
                               item_version=r.item_version, person_id=r.person_id, person_name=r.name,
                               at=r.at, copy_id=r.copy_id, sha256=r.sha256)
                for r in self.connection.execute(query)]

    def certification(self, agreement_id: str, org: str) -> Certification | None:
        t = return_certifications
        row = self.connection.execute(
            select(t).where(t.c.agreement_id == agreement_id, t.c.org == org)).first()
        if row is None:
            return None
        return Certification(org=row.org, person_id=row.certified_by, statement=row.statement,
                             copies=row.copies, at=row.certified_at,
                             copy_list=tuple(json.loads(row.copy_list or "[]")), ip=row.ip,
                             user_agent=row.user_agent)

    def certify(self, agreement_id: str, certification: Certification) -> None:
        self.connection.execute(insert(return_certifications).values(
            agreement_id=agreement_id, org=certification.org, certified_by=certification.person_id,
            statement=certification.statement, copies=certification.copies,
            certified_at=certification.at, copy_list=json.dumps(list(certification.copy_list)),
            ip=certification.ip, user_agent=certification.user_agent))

    # -- demands for return ------------------------------------------------------------------

    def add_demand(self, demand: ReturnDemand) -> None:
        d = demand
        self.connection.execute(insert(return_demands).values(
            agreement_id=d.agreement_id, discloser=d.discloser, org=d.org, notice_id=d.notice_id,
            demanded_by=d.demanded_by, demanded_at=d.demanded_at, due_at=d.due_at))

    def demands(self, agreement_id: str, org: str | None = None,
                discloser: str | None = None) -> list[ReturnDemand]:
        """The demands under the agreement, to one receiving org or from one discloser."""
        t = return_demands
        if org is not None and discloser is not None:  # why: every disclosure's view asks this
            return [_demand(r) for r in self.connection.execute(
                _demands_to_from(), {"agreement_id": agreement_id, "org": org, "discloser": discloser})]
        query = select(t).where(t.c.agreement_id == agreement_id)
        if org is not None:
            query = query.where(t.c.org == org)
        if discloser is not None:
            query = query.where(t.c.discloser == discloser)
        return [_demand(r) for r in self.connection.execute(query.order_by(t.c.demanded_at))]

    def demanded_of(self, org: str) -> dict[tuple[str, str], datetime]:
        """When each discloser demanded its information back from `org`, by (agreement, discloser)."""
        t = return_demands
        return {(r.agreement_id, r.discloser): r.demanded_at
                for r in self.connection.execute(select(t).where(t.c.org == org))}

    def first_demanded_of(self, org: str) -> dict[tuple[str, str], datetime]:
        """The first demand of each discloser to `org`, by (agreement, discloser): the
        `demanded_at` the access rule reads (services/disclosures.py `demanded_at`)."""
        t = return_demands
        rows = self.connection.execute(
            select(t.c.agreement_id, t.c.discloser, func.min(t.c.demanded_at).label("first"))
            .where(t.c.org == org).group_by(t.c.agreement_id, t.c.discloser))
        return {(r.agreement_id, r.discloser): r.first for r in rows}

    def open_obligations(self) -> list[tuple[str, str]]:
        """(agreement id, org) of every return not certified yet that is or may come due: a
        demand, or downloads under an agreement that has ended (terminated or past its term
        end; the caller decides with the domain's rule)."""
        t, c = return_demands, return_certifications
        certified = select(c.c.agreement_id).where(c.c.agreement_id == t.c.agreement_id, c.c.org == t.c.org)
        found = {(r.agreement_id, r.org) for r in self.connection.execute(
            select(t.c.agreement_id, t.c.org).where(~certified.exists()))}
        downloaded = (
            select(disclosures.c.agreement_id, people.c.org).distinct()
            .select_from(access_records)
            .join(disclosures, disclosures.c.id == access_records.c.disclosure_id)
            .join(people, people.c.id == access_records.c.person_id)
            .join(agreements, agreements.c.id == disclosures.c.agreement_id)
            .where(access_records.c.action == "download"))
        for r in self.connection.execute(downloaded):
            if self.certification(r.agreement_id, r.org) is None:
                found.add((r.agreement_id, r.org))
        return sorted(found)


def _demand(row: Any) -> ReturnDemand:
    return ReturnDemand(agreement_id=row.agreement_id, discloser=row.discloser, org=row.org,
                        notice_id=row.notice_id, demanded_by=row.demanded_by,
                        demanded_at=row.demanded_at, due_at=row.due_at)



@cache
def _demands_to_from() -> Select[Any]:
    t = return_demands
    return (select(t).where(t.c.agreement_id == bindparam("agreement_id"), t.c.org == bindparam("org"),
                            t.c.discloser == bindparam("discloser")).order_by(t.c.demanded_at))
