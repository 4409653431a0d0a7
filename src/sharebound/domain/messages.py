"""Messages: posts in a partnership's feed. They are information too.

Mentions are typed as `@` and a person's email, in full (`@gina@globex.example`) or by its
local part (`@gina`) when that names one person only. They resolve only to people of the
orgs that accepted the partnership; anything else stays plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.classification import Classification
from sharebound.domain.orgs import Person

MAX_BODY = 20_000  # why: a post, not a document; documents are items
MAX_MENTIONS = 50  # why: a mention notifies a person; a post naming more is a broadcast

# `@` not preceded by a word character (so an email address in the text is not a mention),
# then an email's local part, optionally with its domain.
MENTION_RE = re.compile(r"(?<![\w@.+-])@([A-Za-z0-9._%+-]{1,64}(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)")


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    partnership_id: str
    org: str
    author_id: str
    body: str
    classification: Classification
    agreement_id: str | None  # the agreement in force it was posted under (None: public)
    agreement_digest: str | None
    created_at: datetime
    withheld: bool = False  # the body is hidden: the agreement it was posted under has ended
    reply_to: str | None = None  # a message of the same partnership (one level of threading)
    disclosure_id: str | None = None  # a disclosure of the partnership it points to
    mentions: tuple[str, ...] = ()  # the people mentioned (ids), in the order first mentioned


def mention_tokens(body: str) -> list[str]:
    """What follows each `@` that may be a mention, trailing dots dropped, in order."""
    return [m.group(1).rstrip(".") for m in MENTION_RE.finditer(body)]


def resolve_mentions(body: str, people: Iterable[Person]) -> dict[str, Person]:
    """Each token of `body` that names exactly one of `people` (by full email, or by an email
    local part no one else of `people` shares), mapped to that person. Case does not matter."""
    candidates = list(people)
    by_email = {p.email.lower(): p for p in candidates}
    by_local: dict[str, list[Person]] = {}
    for p in candidates:
        by_local.setdefault(p.email.lower().partition("@")[0], []).append(p)
    found: dict[str, Person] = {}
    for token in mention_tokens(body):
        key = token.lower()
        person = by_email.get(key) if "@" in key else None
        if person is None and "@" not in key and len(by_local.get(key, [])) == 1:
            person = by_local[key][0]
        if person is not None:
            found[token] = person
    return found


def mentioned_ids(resolved: Mapping[str, Person]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.id for p in resolved.values()))


def segments(body: str, mentions: Mapping[str, Person]) -> list[tuple[str, Person | None]]:
    """The body cut into plain text and resolved mentions, for display: (text, person or None)."""
    out: list[tuple[str, Person | None]] = []
    at = 0
    for m in MENTION_RE.finditer(body):
        token = m.group(1).rstrip(".")
        person = mentions.get(token)
        if person is None:
            continue
        end = m.start(1) + len(token)
        if m.start() > at:
            out.append((body[at:m.start()], None))
        out.append((body[m.start():end], person))
        at = end
    if at < len(body):
        out.append((body[at:], None))
    return out
