"""The sharing schedule: the boundaries of an agreement that the software enforces.

`parse_schedule` reads it for `terms.parse_terms`, adding every bad field to the same errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sharebound.domain.classification import CEILINGS, Classification
from sharebound.domain.cover import FieldErrors
from sharebound.domain.errors import InvalidInput
from sharebound.domain.values import is_email, is_topic, normalize_email, topic_line

_Errors = FieldErrors
E = TypeVar("E", bound=StrEnum)


class Action(StrEnum):
    VIEW = "view"
    DOWNLOAD = "download"


class UnreadableFiles(StrEnum):
    """What the agreement says of files the content gate cannot read (an archive, a
    spreadsheet, any type it has no reader for, whole or embedded in another file)."""

    REFUSE = "refuse"  # the default: what the gate cannot vouch for does not leave
    ALLOW = "allow"  # the parties accept such files unread (they still pass every other term)


class RecipientMode(StrEnum):
    ALL_MEMBERS = "all_members"
    ROLES = "roles"
    NAMED = "named"


ROLES = ("admin", "signer", "member")
MAX_ACCESS_DAYS = 3650  # why: ten years; longer is a typo, not a policy
SCHEDULE_KEYS = frozenset(
    {"ceiling", "topics_allowed", "topics_excluded", "recipients", "actions",
     "watermark_downloads", "max_access_days", "return_days", "unreadable_files"}
)


@dataclass(frozen=True, slots=True)
class Recipients:
    mode: RecipientMode
    roles: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()  # emails, lower case

    def to_json(self) -> dict[str, Any]:
        if self.mode is RecipientMode.ROLES:
            return {"mode": self.mode.value, "roles": sorted(self.roles)}
        if self.mode is RecipientMode.NAMED:
            return {"mode": self.mode.value, "people": sorted(self.people)}
        return {"mode": self.mode.value}


@dataclass(frozen=True, slots=True)
class Schedule:
    """The sharing schedule: the boundaries the software enforces."""

    ceiling: Classification
    topics_allowed: frozenset[str]
    topics_excluded: frozenset[str]
    recipients: Recipients
    actions: frozenset[Action]
    watermark_downloads: bool
    max_access_days: int
    return_days: int
    unreadable_files: UnreadableFiles = UnreadableFiles.REFUSE

    def to_json(self) -> dict[str, Any]:
        """The schedule as JSON. A field added after agreements were signed is left out while
        it has its default, so that the canonical form, and the digest every party signed,
        of an agreement made before it stay the same."""
        optional = ({} if self.unreadable_files is UnreadableFiles.REFUSE
                    else {"unreadable_files": self.unreadable_files.value})
        return optional | {
            "ceiling": self.ceiling.value,
            "topics_allowed": sorted(self.topics_allowed),
            "topics_excluded": sorted(self.topics_excluded),
            "recipients": self.recipients.to_json(),
            "actions": sorted(a.value for a in self.actions),
            "watermark_downloads": self.watermark_downloads,
            "max_access_days": self.max_access_days,
            "return_days": self.return_days,
        }




def enum_field(errors: _Errors, field: str, value: object, enum: type[E]) -> E | None:
    try:
        return enum(value)  # type: ignore[arg-type]  # why: bad values raise, and are reported
    except ValueError:
        errors.add(field, f"must be one of {', '.join(e.value for e in enum)}")
        return None


def int_in(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _topics(errors: _Errors, field: str, value: object) -> frozenset[str] | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.add(field, "must be a list of topics")
        return None
    try:
        topics = [topic_line(field, v) for v in value]
    except InvalidInput as refused:
        errors.add(field, refused.errors[field])
        return None
    bad = [t for t in topics if not is_topic(t)]
    if bad:
        errors.add(field, f"{bad[0]!r} is not a topic (letters, digits, spaces, - and _)")
        return None
    return frozenset(topics)


def parse_schedule(errors: _Errors, value: object) -> Schedule | None:
    if not isinstance(value, Mapping):
        errors.add("schedule", "is required")
        return None
    before = len(errors.found)
    for key in sorted(set(value) - SCHEDULE_KEYS):
        errors.add(f"schedule.{key}", "is not a term of the sharing schedule")
    ceiling = None
    raw_ceiling = value.get("ceiling")
    if not isinstance(raw_ceiling, str) or raw_ceiling not in {c.value for c in CEILINGS}:
        errors.add("schedule.ceiling", "must be internal or confidential (restricted is never shared)")
    else:
        ceiling = Classification(raw_ceiling)
    allowed = _topics(errors, "schedule.topics_allowed", value.get("topics_allowed", []))
    excluded = _topics(errors, "schedule.topics_excluded", value.get("topics_excluded", []))
    if allowed and excluded and allowed & excluded:
        both = ", ".join(sorted(allowed & excluded))
        errors.add("schedule.topics_excluded", f"{both} cannot be both allowed and excluded")
    recipients = _recipients(errors, value.get("recipients", {"mode": "all_members"}))
    actions: frozenset[Action] | None = None
    raw_actions = value.get("actions", ["view", "download"])
    if (
        not isinstance(raw_actions, list)
        or not raw_actions
        or not all(isinstance(a, str) for a in raw_actions)
        or not set(raw_actions) <= {a.value for a in Action}
    ):
        errors.add("schedule.actions", "must list one or more of view, download")
    else:
        actions = frozenset(Action(a) for a in raw_actions)
    watermark = value.get("watermark_downloads", True)
    if not isinstance(watermark, bool):
        errors.add("schedule.watermark_downloads", "must be true or false")
    max_days = value.get("max_access_days", 90)
    if not int_in(max_days, 1, MAX_ACCESS_DAYS):
        errors.add("schedule.max_access_days", f"must be a whole number from 1 to {MAX_ACCESS_DAYS}")
    return_days = value.get("return_days", 30)
    if not int_in(return_days, 0, 365):
        errors.add("schedule.return_days", "must be a whole number from 0 to 365")
    unreadable = enum_field(errors, "schedule.unreadable_files",
                       value.get("unreadable_files", UnreadableFiles.REFUSE.value), UnreadableFiles)
    if len(errors.found) > before:
        return None
    assert ceiling and allowed is not None and excluded is not None
    assert recipients and actions and unreadable
    return Schedule(
        ceiling=ceiling,
        topics_allowed=allowed,
        topics_excluded=excluded,
        recipients=recipients,
        actions=actions,
        watermark_downloads=bool(watermark),
        max_access_days=int(max_days),
        return_days=int(return_days),
        unreadable_files=unreadable,
    )


def _recipients(errors: _Errors, value: object) -> Recipients | None:
    field = "schedule.recipients"
    if not isinstance(value, Mapping):
        errors.add(field, "must be an object with a mode")
        return None
    mode = enum_field(errors, f"{field}.mode", value.get("mode"), RecipientMode)
    expected = {RecipientMode.ALL_MEMBERS: {"mode"}, RecipientMode.ROLES: {"mode", "roles"},
                RecipientMode.NAMED: {"mode", "people"}}
    if mode is not None and set(value) - expected[mode]:
        errors.add(field, f"{mode.value} takes only {' and '.join(sorted(expected[mode]))}")
        return None
    if mode is RecipientMode.ALL_MEMBERS:
        return Recipients(mode)
    if mode is RecipientMode.ROLES:
        roles = value.get("roles")
        if (not isinstance(roles, list) or not roles
                or not all(isinstance(r, str) for r in roles) or not set(roles) <= set(ROLES)):
            errors.add(f"{field}.roles", f"must list one or more of {', '.join(ROLES)}")
            return None
        return Recipients(mode, roles=frozenset(roles))
    if mode is RecipientMode.NAMED:
        people = value.get("people")
        if (
            not isinstance(people, list)
            or not people
            or not all(isinstance(p, str) and is_email(normalize_email(p)) for p in people)
        ):
            errors.add(f"{field}.people", "must list one or more email addresses")
            return None
        return Recipients(mode, people=frozenset(normalize_email(p) for p in people))
    return None
