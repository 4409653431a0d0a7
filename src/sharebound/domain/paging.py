"""Keyset pagination: what a page request is, and the opaque cursor that says where the
next page starts.

A cursor is base64url (no padding) of a version byte and the sort key of the last row
shown (for every list: a time and an id, or an integer sequence). It only *positions* the
next query: every query applies the caller's visibility again, so a cursor forged or taken
from someone else shows nothing it would not show anyway. That is why it is not signed.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Generic, TypeVar

from sharebound.domain.errors import BadPageRequest
from sharebound.domain.limits import MAX_CURSOR, PAGE_DEFAULT, PAGE_MAX

T = TypeVar("T")
U = TypeVar("U")
CURSOR_VERSION = 1
_SEPARATOR = "\x1f"  # why: cannot appear in an id, a time or a number

Key = tuple[datetime | str | int, ...]


@dataclass(frozen=True, slots=True)
class PageRequest:
    """The page asked for: at most `limit` rows strictly after `after` (the next, older ones
    of a newest-first list), or strictly before `before` (the previous, newer ones)."""

    limit: int = PAGE_DEFAULT
    after: Key | None = None
    before: Key | None = None


FIRST_PAGE = PageRequest()  # the newest page, of the default size


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows; `after` continues with the next page, `before` goes back to the
    previous one (each None at that end of the list)."""

    rows: list[T]
    after: str | None = None
    before: str | None = None

    def with_rows(self, rows: list[U]) -> Page[U]:
        """The same page (same cursors) holding other rows: what a service shows of them."""
        return Page(rows=rows, after=self.after, before=self.before)


def encode_cursor(key: Key) -> str:
    parts = []
    for value in key:
        if isinstance(value, datetime):
            parts.append("d" + value.astimezone(UTC).isoformat())
        elif isinstance(value, int):
            parts.append("i" + str(value))
        else:
            parts.append("s" + value)
    raw = bytes([CURSOR_VERSION]) + _SEPARATOR.join(parts).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(text: str, parameter: str = "after") -> Key:
    """The sort key a cursor holds, or `BadPageRequest` naming `parameter`."""
    bad = BadPageRequest({parameter: "is not a cursor this list gave (take `next` from the previous page)"})
    if not text or len(text) > MAX_CURSOR:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        if not raw or raw[0] != CURSOR_VERSION:
            raise bad
        key: list[datetime | str | int] = []
        for part in raw[1:].decode("utf-8").split(_SEPARATOR):
            tag, value = part[:1], part[1:]
            if tag == "d":
                when = datetime.fromisoformat(value)
                if when.tzinfo is None:
                    raise bad
                key.append(when.astimezone(UTC))
            elif tag == "i" and value.lstrip("-").isdigit():
                key.append(int(value))
            elif tag == "s" and value:
                key.append(value)
            else:
                raise bad
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad from None
    return tuple(key)


def parse_page_request(limit: str | int | None = None, after: str | None = None,
                       before: str | None = None) -> PageRequest:
    """`?limit=&after=` (and the pages' `before=`) as sent, checked: every bad one named."""
    errors: dict[str, str] = {}
    count = PAGE_DEFAULT
    if limit is not None and str(limit).strip() != "":
        text = str(limit).strip()
        if text.isdigit() and 1 <= int(text) <= PAGE_MAX:
            count = int(text)
        else:
            errors["limit"] = f"must be a whole number from 1 to {PAGE_MAX}"
    keys: dict[str, Key | None] = {"after": None, "before": None}
    for name, value in (("after", after), ("before", before)):
        if value:
            try:
                keys[name] = decode_cursor(value, name)
            except BadPageRequest as wrong:
                errors.update(wrong.errors)
    if keys["after"] is not None and keys["before"] is not None:
        errors["before"] = "cannot be given with after"
    if errors:
        raise BadPageRequest(errors)
    return PageRequest(limit=count, after=keys["after"], before=keys["before"])


def cut(rows: list[T], request: PageRequest, key_of: Callable[[T], Key]) -> Page[T]:
    """A page from the rows a keyset query returned in *its* order (at most `limit + 1`; the
    extra one says more follow): a `before` query reads towards the newest, so its rows are
    turned back into the list's order here. Cursors both ways."""
    more = len(rows) > request.limit
    shown = rows[:request.limit]
    if request.before is not None:
        shown.reverse()
        newer, older = more, True
    else:
        newer, older = request.after is not None, more
    if not shown:
        return Page(rows=[])
    return Page(rows=shown, after=encode_cursor(key_of(shown[-1])) if older else None,
                before=encode_cursor(key_of(shown[0])) if newer else None)
