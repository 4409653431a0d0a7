"""The transparency log as a party reads it (docs/transparency-log.md): the signed checkpoint,
the leaves with the openings the caller's org may see, inclusion and consistency proofs.

A caller sees the log of a partnership its org has accepted, or of its own org; any other
log does not exist for it. Checkpoints are signed lazily: when one is asked for and the tree
has grown since the last, and stored, so that every party is served the same note again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from sharebound.adapters.db.repositories.transparency import Checkpoint
from sharebound.domain import merkle
from sharebound.domain.audit import Event, org_log, partnership_log
from sharebound.domain.errors import DamagedRecord, InvalidInput, NotFound
from sharebound.domain.events import EventKind
from sharebound.domain.limits import MAX_LOG_ENTRIES
from sharebound.domain.orgs import Person, Role
from sharebound.domain.transparency import (
    b64,
    body_digest,
    checkpoint_body,
    leaf_bytes,
    opening,
    origin,
    signature_line,
    signed_note,
)
from sharebound.services.audit import hidden_among, hidden_base, visible
from sharebound.services.common import actor, visible_partnership
from sharebound.services.ports import LogSigner
from sharebound.services.requests import withheld_requests
from sharebound.services.unit_of_work import UnitOfWork

Scope = tuple[Literal["partnership", "org"], str]  # ("partnership", id) or ("org", handle)


def instance_key(signer: LogSigner) -> str:
    """The vkey line partners pin: <name>+<key hash>+<base64 key>."""
    return signer.vkey


def checkpoint(uow: UnitOfWork, signer: LogSigner, actor_id: str, scope: Scope) -> str:
    """The latest signed note of the log, signing one first if the tree has grown; after the
    instance's signature, the stored cosignature lines of that checkpoint (services/witnesses)."""
    with uow.reading():
        log = _log(uow, actor(uow, actor_id), scope)
        size, _ = uow.transparency.head(log) or (0, [])
        latest = uow.transparency.latest_checkpoint(log)
        if latest is not None and latest.size == size:  # its witnesses' cosignatures follow
            return latest.note + "".join(uow.witnesses.lines(log, latest.size))
    with uow:  # why a second transaction: a reader that finds it current takes no write lock
        note = sign_checkpoint(uow, signer, log)
        size, _ = uow.transparency.head(log) or (0, [])
        cosigned = "".join(uow.witnesses.lines(log, size))
        uow.commit()
        return note + cosigned


def sign_grown_checkpoints(uow: UnitOfWork, signer: LogSigner) -> int:
    """Sign a checkpoint of every log that grew since its last one, each in its own short
    transaction (the worker, at each pass): a partner's verifier finds a signed checkpoint of
    every event within a pass, without asking first. How many were signed."""
    with uow.reading():
        grown = uow.transparency.grown_logs()
    for log in grown:
        with uow:
            sign_checkpoint(uow, signer, log)
            uow.commit()
    return len(grown)


def sign_checkpoint(uow: UnitOfWork, signer: LogSigner, log: str) -> str:
    """Inside a transaction that writes: sign and store the checkpoint of the log's tree as it
    is now, unless one of that size is stored already; the stored note."""
    size, frontier = uow.transparency.head(log) or (0, [])
    found = uow.transparency.checkpoint(log, size)
    if found is not None:
        return found.note
    root = merkle.frontier_root(frontier)
    body = checkpoint_body(origin(signer.name, log), size, root)
    line = signature_line(signer.name, signer.key_hash, signer.sign(body.encode("utf-8")))
    return uow.transparency.add_checkpoint(Checkpoint(
        log=log, size=size, root=root.hex(), note=signed_note(body, [line]), at=uow.clock())).note


def entries(uow: UnitOfWork, actor_id: str, scope: Scope, start: int, limit: int) -> dict[str, Any]:
    """Leaves [start, start + limit) of the log; each opened if the caller's org may see it."""
    if limit < 1 or limit > MAX_LOG_ENTRIES:
        raise InvalidInput({"limit": f"must be from 1 to {MAX_LOG_ENTRIES}"})
    with uow.reading():
        person = actor(uow, actor_id)
        log = _log(uow, person, scope)
        size = _size(uow, log)
        if start < 0 or start > size:
            raise InvalidInput({"start": f"must be from 0 to the tree size, {size}"})
        leaves = list(uow.transparency.leaves(log, start, min(limit, size - start)))
        opened = _opened(uow, person, scope, [leaf.event for leaf in leaves if leaf.event is not None])
        found: list[dict[str, Any]] = []
        for leaf in leaves:
            event, salt = leaf.event, leaf.salt
            if event is None or salt is None:  # a damaged row: no leaf can be derived from it
                found.append({"index": leaf.seq - 1, "leaf": None, "opening": None})
                continue
            body = event.body()
            found.append({"index": leaf.seq - 1,
                          "leaf": b64(leaf_bytes(log, leaf.seq, body_digest(salt, body))),
                          "opening": opening(salt, body) if opened(event) else None})
        return {"size": size, "entries": found}


def inclusion(uow: UnitOfWork, actor_id: str, scope: Scope, index: int, size: int) -> dict[str, Any]:
    """PATH(index, D[size]): the proof that leaf `index` is in the tree of `size` leaves."""
    with uow.reading():
        log = _log(uow, actor(uow, actor_id), scope)
        current = _size(uow, log)
        if size < 1 or size > current:
            raise InvalidInput({"size": f"must be from 1 to the tree size, {current}"})
        if index < 0 or index >= size:
            raise InvalidInput({"index": f"must be from 0 to size - 1, {size - 1}"})
        proof = _hashes(uow, log, merkle.inclusion_ranges(index, size))
    return {"index": index, "size": size, "proof": proof}


def inclusion_of_disclosure(uow: UnitOfWork, actor_id: str, partnership_id: str,
                            disclosure_id: str, size: int | None) -> dict[str, Any]:
    """The proof that the event which made a disclosure is in the partnership's tree of `size`
    leaves (its current size if None), for a caller who may see that disclosure: its index
    and the event's seq let the caller fetch and open the entry. A disclosure the caller may
    not see is not found, as if it did not exist."""
    with uow.reading():
        person = actor(uow, actor_id)
        log = _log(uow, person, ("partnership", partnership_id))
        seq = uow.transparency.disclosure_seq(log, disclosure_id)
        leaf = None if seq is None else uow.transparency.leaves(log, seq - 1, 1)
        if not leaf or leaf[0].event is None or not _opened(
                uow, person, ("partnership", partnership_id), [leaf[0].event])(leaf[0].event):
            raise NotFound("disclosure", disclosure_id)
        current = _size(uow, log)
        size = current if size is None else size
        if size < (seq or 0) or size > current:
            raise InvalidInput({"size": f"must be from the disclosure's seq, {seq}, to the tree "
                                        f"size, {current}"})
    found = inclusion(uow, actor_id, ("partnership", partnership_id), (seq or 0) - 1, size)
    return {**found, "disclosure": disclosure_id, "seq": seq}


def consistency(uow: UnitOfWork, actor_id: str, scope: Scope, old: int, new: int) -> dict[str, Any]:
    """PROOF(old, D[new]): the proof that the tree of `old` leaves is a prefix of `new`'s."""
    with uow.reading():
        log = _log(uow, actor(uow, actor_id), scope)
        current = _size(uow, log)
        if new < 0 or new > current:
            raise InvalidInput({"to": f"must be from 0 to the tree size, {current}"})
        if old < 0 or old > new:
            raise InvalidInput({"from": f"must be from 0 to `to`, {new}"})
        proof = _hashes(uow, log, merkle.consistency_ranges(old, new))
    return {"from": old, "to": new, "proof": proof}


def _log(uow: UnitOfWork, person: Person, scope: Scope) -> str:
    kind, ident = scope
    if kind == "partnership":
        return partnership_log(visible_partnership(uow, person, ident, accepted=True).id)
    if person.org != ident:
        raise NotFound("org", ident)
    return org_log(ident)


def _size(uow: UnitOfWork, log: str) -> int:
    head = uow.transparency.head(log)
    return 0 if head is None else head[0]


def _hashes(uow: UnitOfWork, log: str, ranges: list[merkle.Range]) -> list[str]:
    wanted = merkle.needed_nodes(ranges)
    nodes = uow.transparency.nodes(log, wanted)
    if missing := wanted - nodes.keys():
        level, idx = min(missing)
        raise DamagedRecord(f"the log {log} is damaged: its tree has no node ({level}, {idx}); "
                            "run `sharebound audit verify`")
    return [b64(h) for h in merkle.hash_ranges(ranges, nodes)]


def _opened(uow: UnitOfWork, person: Person, scope: Scope,
            events: list[Event]) -> Callable[[Event], bool]:
    """Whether the caller's org may see an event among `events` of the log (the partnership's
    rules): only the disclosures these events name are read."""
    if scope[0] == "org":
        admin = Role.ADMIN in person.roles
        return lambda event: admin
    hidden = hidden_among(uow, person, hidden_base(uow, person, scope[1]), events)
    withheld = withheld_requests(uow, scope[1], person.org)
    # A withheld request's decline stays sealed as a whole: its reason is not the caller's.
    return lambda event: visible(event, hidden) and not (
        event.kind == EventKind.REQUEST_DECLINED and event.subject in withheld)
