"""SCIM 2.0 provisioning (RFC 7643/7644), the pure part: what a provisioned user is made of,
the filters we answer, and how groups map to roles.

A user's `name`, `displayName` and `emails` are kept as the provider sent them (JSON), so
that what it reads back is what it wrote; the person's name and email are derived from them.
A group whose display name is a role (`admin`, `signer`, `member`, in any case) gives that
role to its members; a person in no such group holds `member`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sharebound.domain.errors import InvalidInput
from sharebound.domain.orgs import Person, Role
from sharebound.domain.values import is_email, normalize_email, one_line, single_line

USER_ATTRIBUTES = ("name", "displayName", "emails")  # kept as sent
MAX_USER_NAME = 254
MAX_EXTERNAL_ID = 200
MAX_GROUP_NAME = 200
MAX_PAGE = 200  # why: the most a list answers at once (ServiceProviderConfig filter.maxResults)

# `attr eq "value"`: the one filter we answer (what provisioning clients send to find a user)
_FILTER = re.compile(r'^\s*([A-Za-z][A-Za-z0-9.]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Filter:
    attribute: str  # as the resource spells it (userName, externalId, displayName...)
    value: str


def parse_filter(text: str | None, allowed: Iterable[str]) -> Filter | None:
    """`attr eq "value"` for one of the `allowed` attributes (matched in any case, as SCIM
    attribute names are); anything else is refused naming `filter` (400 invalidFilter)."""
    if text is None or not text.strip():
        return None
    found = _FILTER.match(text)
    names = {a.lower(): a for a in allowed}
    if found is None or found.group(1).lower() not in names:
        raise InvalidInput({"filter": f"only {' or '.join(sorted(names.values()))} eq \"...\" "
                                      "is supported"})
    value = re.sub(r"\\(.)", r"\1", found.group(2))
    return Filter(attribute=names[found.group(1).lower()], value=value)


@dataclass(frozen=True)
class UserDraft:
    """A user as the provider describes it (POST, PUT, or PATCH applied)."""

    user_name: str
    external_id: str | None
    active: bool
    attributes: Mapping[str, Any] = field(default_factory=dict)  # name, displayName, emails

    @property
    def email(self) -> str:
        """The primary email (else the first), lower case."""
        emails = [e for e in self.attributes.get("emails") or [] if isinstance(e, dict)]
        chosen = next((e for e in emails if e.get("primary")), emails[0] if emails else {})
        value = chosen.get("value")
        return normalize_email(value) if isinstance(value, str) else ""

    @property
    def display(self) -> str:
        """The person's name: displayName, else name.formatted, else given and family names,
        else the userName; made one line."""
        name = self.attributes.get("name") or {}
        parts = [name.get("givenName"), name.get("familyName")] if isinstance(name, dict) else []
        for candidate in (self.attributes.get("displayName"),
                          name.get("formatted") if isinstance(name, dict) else None,
                          " ".join(p for p in parts if isinstance(p, str) and p)):
            if isinstance(candidate, str) and one_line(candidate):
                return one_line(candidate)[:200]
        return one_line(self.user_name)[:200]

    def checked(self) -> UserDraft:
        """Itself, if every field is acceptable; otherwise InvalidInput naming each."""
        errors = _line_errors(("userName", self.user_name, MAX_USER_NAME),
                              ("externalId", self.external_id, MAX_EXTERNAL_ID))
        if not is_email(self.email):
            errors["emails"] = "must hold an email address (the person's sign-in)"
        unknown = sorted(set(self.attributes) - set(USER_ATTRIBUTES))
        for name in unknown:
            errors[name] = "is not an attribute Sharebound keeps"
        if errors:
            raise InvalidInput(errors)
        return self


@dataclass(frozen=True)
class GroupDraft:
    """A group as the provider describes it: its name, and its members' person ids."""

    display_name: str
    external_id: str | None
    members: tuple[str, ...]

    def checked(self) -> GroupDraft:
        """Itself, trimmed and with its members sorted once each; otherwise InvalidInput."""
        errors = _line_errors(("displayName", self.display_name, MAX_GROUP_NAME),
                              ("externalId", self.external_id, MAX_EXTERNAL_ID))
        if errors:
            raise InvalidInput(errors)
        return GroupDraft(self.display_name.strip(), self.external_id, tuple(sorted(set(self.members))))


def _line_errors(*fields: tuple[str, str | None, int]) -> dict[str, str]:
    """What is wrong with each single-line field (name, value or None when absent, limit)."""
    errors: dict[str, str] = {}
    for name, value, limit in fields:
        if value is None:
            continue
        try:
            single_line(name, value, limit)
        except InvalidInput as bad:
            errors.update(bad.errors)
    return errors


def roles_from_groups(group_names: Iterable[str]) -> frozenset[Role]:
    """The roles the groups a person is in give them; `member` when none does."""
    roles = {Role(n.lower()) for n in group_names if n.lower() in {r.value for r in Role}}
    return frozenset(roles) or frozenset({Role.MEMBER})


def role_of_group(display_name: str) -> Role | None:
    lowered = display_name.lower()
    return Role(lowered) if lowered in {r.value for r in Role} else None


@dataclass(frozen=True, slots=True)
class ScimTokenRecord:
    id: str
    org: str
    name: str
    created_by: str | None  # the admin who made it; None: the operator
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class ScimGroup:
    id: str
    org: str
    display_name: str
    external_id: str | None
    created_at: datetime
    members: tuple[str, ...]  # person ids, sorted


@dataclass(frozen=True)
class ScimUser:
    """A person as SCIM shows them."""

    person: Person
    user_name: str  # the provider's userName; the email for people added otherwise
    external_id: str | None
    attributes: Mapping[str, Any]  # name, displayName, emails
    groups: tuple[tuple[str, str], ...]  # (group id, display name)


def attributes_of(person: Person, kept: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """What SCIM shows of a person: what the provider sent, or (for people added in the app)
    their name and email."""
    if kept is not None:
        return kept
    return {"displayName": person.name,
            "emails": [{"value": person.email, "type": "work", "primary": True}]}
