"""Organizations, the people in them and their roles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sharebound.domain.cover import MAX_ADDRESS, MAX_LEGAL_NAME
from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import MAX_EMAIL, MAX_NAME
from sharebound.domain.values import is_email, multi_line, normalize_email, single_line


class Role(StrEnum):
    ADMIN = "admin"  # manages people and partnerships
    SIGNER = "signer"  # signs agreements, approves lowering a crown jewel's classification
    MEMBER = "member"


ALL_ROLES = frozenset(Role)


@dataclass(frozen=True, slots=True)
class LegalProfile:
    """What an agreement's cover page says of the org when a draft leaves it out: its legal
    name and address, and its notice contact (whose postal address is the org's address)."""

    legal_name: str | None = None
    address: str | None = None
    notice_name: str | None = None
    notice_email: str | None = None


PROFILE_FIELDS = ("legal_name", "address", "notice_name", "notice_email")


def changed_profile(profile: LegalProfile, changes: Mapping[str, object]) -> LegalProfile:
    """`profile` with `changes` applied (a field given as null or blank is cleared); every bad
    field is named at once."""
    errors: dict[str, str] = {}
    values: dict[str, str | None] = {}
    for key, value in changes.items():
        if key not in PROFILE_FIELDS:
            errors[str(key)] = "is not a field of the legal profile"
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            values[key] = None
            continue
        try:
            values[key] = _profile_value(key, value)
        except InvalidInput as bad:
            errors.update(bad.errors)
    if errors:
        raise InvalidInput(errors)
    return replace(profile, **values)


def _profile_value(key: str, value: object) -> str:
    if key == "address":
        text = multi_line(key, value, MAX_ADDRESS)
        if "\t" in text:
            raise InvalidInput({key: "must be plain lines, without tabs"})
        return "\n".join(line.strip() for line in text.split("\n") if line.strip())
    if key == "notice_email":
        email = normalize_email(single_line(key, value, MAX_EMAIL))
        if not is_email(email):
            raise InvalidInput({key: "must be an email address"})
        return email
    return single_line(key, value, MAX_LEGAL_NAME if key == "legal_name" else MAX_NAME)


@dataclass(frozen=True, slots=True)
class Org:
    handle: str  # unique and permanent: it names the org in agreement terms
    name: str
    created_at: datetime
    profile: LegalProfile = LegalProfile()


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    org: str  # the org's handle: a person belongs to exactly one org
    name: str
    email: str
    roles: frozenset[Role]
    created_at: datetime
    #: False once an admin (or the org's SCIM provisioning) deactivated them: they cannot sign
    #: in, every access decision refuses them (`inactive`), and nobody may name them a recipient.
    active: bool = True

    def has_role(self, role: Role) -> bool:
        return role in self.roles
