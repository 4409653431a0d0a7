"""Witnesses of the transparency log: an org registers its cosigner key; its verifier posts
cosignatures of checkpoints it checked; the checkpoint and the register show them.
(docs/verify-partner-log.md)"""

from __future__ import annotations

from sharebound.adapters import ed25519
from sharebound.domain.audit import org_log, partnership_log
from sharebound.domain.errors import Conflict, InvalidInput, NotFound
from sharebound.domain.events import CheckpointCosigned, WitnessKeyRegistered
from sharebound.domain.limits import COSIGNATURE_FUTURE_SECONDS
from sharebound.domain.orgs import Person, Role
from sharebound.domain.witnesses import (
    Cosignature,
    Witness,
    WitnessKey,
    cosigned_message,
    parse_cosigned_note,
    parse_witness_vkey,
)
from sharebound.services.common import actor, record, require_role, visible_partnership
from sharebound.services.unit_of_work import UnitOfWork


def register_witness_key(uow: UnitOfWork, actor_id: str, handle: str, vkey: object) -> WitnessKey:
    """An admin registers the org's witness key (replacing any before); audited in its log."""
    name, public_key = parse_witness_vkey(vkey)
    with uow:
        admin = actor(uow, actor_id)
        if handle != admin.org:
            raise NotFound("org", handle)
        require_role(admin, Role.ADMIN)
        key = WitnessKey(handle, name, public_key, uow.clock())
        uow.witnesses.set_key(key, admin.id)
        record(uow, org_log(handle), admin.id, handle,
               WitnessKeyRegistered(name=name, key_hash=key.key_hash.hex()))
        uow.commit()
        return key


def witness_key(uow: UnitOfWork, actor_id: str, handle: str) -> WitnessKey | None:
    """The org's registered witness key, for its own people."""
    with uow.reading():
        person = actor(uow, actor_id)
        if handle != person.org:
            raise NotFound("org", handle)
        return uow.witnesses.get_key(handle)


def visible_log(uow: UnitOfWork, person: Person, kind: str, key: str) -> str:
    """The log `partnership:<id>` of a partnership the person's org accepted, or `org:<own>`."""
    if kind == "partnership":
        return partnership_log(visible_partnership(uow, person, key, accepted=True).id)
    if key != person.org:
        raise NotFound("org", key)
    return org_log(key)


def cosign(uow: UnitOfWork, actor_id: str, kind: str, key: str, note_text: str) -> Cosignature:
    """Stores a cosignature of a checkpoint the server signed, by the caller's org's witness key.

    `kind` is "partnership" (key: its id) or "org" (key: the handle). Refused (422, field
    `note`, nothing stored) unless the note's body is exactly a checkpoint this server signed
    for that log, it carries a cosignature/v1 line by the org's registered key, not dated in
    the future, whose Ed25519 signature verifies. Audited in the witness org's own log (not in
    the log cosigned, which would grow past the checkpoint at once).
    """
    with uow:
        person = actor(uow, actor_id)
        log = visible_log(uow, person, kind, key)  # first: what is not visible is a 404
        note = parse_cosigned_note(note_text)
        witness = uow.witnesses.get_key(person.org)
        if witness is None:
            raise Conflict(f"{person.org} has no witness key: an admin registers one first "
                           f"(PUT /api/v1/orgs/{person.org}/witness-key)")
        line = note.by(witness)
        if line is None:
            raise InvalidInput({"note": f"has no cosignature/v1 line by {person.org}'s witness key "
                                        f"{witness.name}+{witness.key_hash.hex()}"})
        size, root = _checkpoint(uow, log, note.body)
        now = uow.clock()
        if line.timestamp > now.timestamp() + COSIGNATURE_FUTURE_SECONDS:
            raise InvalidInput({"note": "the cosignature's time is in the future"})
        if not ed25519.verify(witness.public_key, line.signature,
                              cosigned_message(note.body, line.timestamp)):
            raise InvalidInput({"note": "the cosignature does not verify with the witness key"})
        cosignature = Cosignature(log, size, person.org, witness.name, line.timestamp, line.line(),
                                  now)
        uow.witnesses.add(cosignature)
        record(uow, org_log(person.org), person.id, key,  # why key: a subject is an id (40)
               CheckpointCosigned(log=log, size=size, root=root, timestamp=line.timestamp))
        uow.commit()
        return cosignature


def _checkpoint(uow: UnitOfWork, log: str, body: str) -> tuple[int, str]:
    """The size and root of the checkpoint `body`, if the server signed exactly it for `log`."""
    lines = body.split("\n")
    size_text = lines[1] if len(lines) == 4 else ""
    signed = uow.witnesses.checkpoint_note(log, int(size_text)) if size_text.isdigit() else None
    if signed is None or signed.partition("\n\n")[0] + "\n" != body:
        raise InvalidInput({"note": f"is not a checkpoint this server signed for {log}"})
    return int(size_text), lines[2]


def cosignature_lines(uow: UnitOfWork, log: str, size: int) -> list[str]:
    """The stored cosignature lines of one checkpoint, to serve after the instance signature
    (inside the caller's read)."""
    return uow.witnesses.lines(log, size)


def latest_witnesses(uow: UnitOfWork, log: str) -> tuple[Witness, ...]:
    """Each witness org's latest cosigned checkpoint of `log` (inside the caller's read)."""
    return uow.witnesses.latest(log)
