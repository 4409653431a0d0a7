"""Leak tracing: from a stamped copy (or its copy id, read off a screen) back to the
disclosure, the recipient and the moment they received it.

The operator (the CLI) may trace any copy; a person must be an admin, and sees only copies of
disclosures their own org made: any other copy answers "not found", revealing nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sharebound.adapters.stamping import read_copy_id
from sharebound.domain.disclosures import Disclosure
from sharebound.domain.errors import InvalidInput, NotFound
from sharebound.domain.orgs import Person, Role
from sharebound.domain.stamps import CopyRecord, parse_copy_id
from sharebound.services.common import actor, require_role
from sharebound.services.disclosures import guest_reshare
from sharebound.services.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Traced:
    copy: CopyRecord
    disclosure: Disclosure
    recipient: Person
    recipient_org_name: str
    unchanged: bool | None  # the file is the very copy given out; None when traced by copy id
    # a representative's copy: the chain "acme → globex → Jo Smith <jo@…> (Precision Parts Ltd)"
    chain: str | None = None


def trace_file(uow: UnitOfWork, actor_id: str | None, content: bytes) -> Traced:
    """Who received the copy `content` is: from the copy id it carries."""
    copy_id = read_copy_id(content)
    if copy_id is None:
        raise InvalidInput({"file": "no Sharebound copy id was found in this file"})
    traced = _trace(uow, actor_id, copy_id)
    sha256 = hashlib.sha256(content).hexdigest()
    return Traced(traced.copy, traced.disclosure, traced.recipient, traced.recipient_org_name,
                  unchanged=traced.copy.sha256 == sha256, chain=traced.chain)


def trace_copy_id(uow: UnitOfWork, actor_id: str | None, typed: str) -> Traced:
    """Who received the copy whose id was typed in (as read off a page image or a printout)."""
    copy_id = parse_copy_id(typed)
    if copy_id is None:
        raise InvalidInput({"copy_id": "is not a copy id (12 characters, like 7QMK-4XR2-9TB5, "
                                       "with a valid check character)"})
    return _trace(uow, actor_id, copy_id)


def _trace(uow: UnitOfWork, actor_id: str | None, copy_id: str) -> Traced:
    with uow.reading():
        person = actor(uow, actor_id) if actor_id is not None else None
        if person is not None:
            require_role(person, Role.ADMIN)
        copy = uow.copies.get(copy_id)
        disclosure = uow.disclosures.get(copy.disclosure_id) if copy else None
        if copy is None or disclosure is None or (person and disclosure.discloser != person.org):
            raise NotFound("copy", copy_id)
        recipient = uow.orgs.get_person(copy.person_id)
        assert recipient is not None  # a foreign key guarantees it
        org = uow.orgs.get_org(recipient.org)
        via = guest_reshare(uow, recipient, disclosure)
        chain = (f"{disclosure.discloser} → {via[1].org} → {via[1].label}, re-share {via[0].id}"
                 if via is not None else None)
        return Traced(copy, disclosure, recipient, org.name if org else recipient.org, None, chain)
