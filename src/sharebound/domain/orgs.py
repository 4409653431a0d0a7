"""Organizations, the people in them and their roles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # manages people and partnerships
    SIGNER = "signer"  # signs agreements, approves lowering a crown jewel's classification
    MEMBER = "member"


ALL_ROLES = frozenset(Role)


@dataclass(frozen=True, slots=True)
class Org:
    handle: str  # unique and permanent: it names the org in agreement terms
    name: str
    created_at: datetime
    legal_name: str | None = None  # as a cover page names the party; optional at sign-up
    address: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    org: str  # the org's handle: a person belongs to exactly one org
    name: str
    email: str
    roles: frozenset[Role]
    created_at: datetime

    def has_role(self, role: Role) -> bool:
        return role in self.roles
