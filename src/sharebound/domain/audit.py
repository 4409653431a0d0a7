"""The audit log's hash chain: each event's hash covers the previous hash and its own body.

Every event belongs to one log (a partnership's, or an org's own); each log is a chain
with dense sequence numbers from 1. Bodies carry ids, codes and digests, never content.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sharebound.domain.values import canonical_json, sha256_hex

GENESIS = "0" * 64  # why: the "previous hash" of a log's first event


def partnership_log(partnership_id: str) -> str:
    return f"partnership:{partnership_id}"


def org_log(handle: str) -> str:
    return f"org:{handle}"


#: The operator's own log: what is done to the whole instance (key rotation), by no person.
OPERATOR_LOG = "operator"


@dataclass(frozen=True, slots=True)
class Event:
    log: str
    seq: int
    at: datetime
    kind: str
    actor: str | None  # person id; None for the operator (CLI)
    subject: str  # the id of what changed
    data: Mapping[str, Any]
    prev_hash: str
    hash: str

    def body(self) -> dict[str, Any]:
        return event_body(self.log, self.seq, self.at, self.kind, self.actor, self.subject,
                          self.data)


def event_body(
    log: str, seq: int, at: datetime, kind: str, actor: str | None, subject: str,
    data: Mapping[str, Any],
) -> dict[str, Any]:
    return {"log": log, "seq": seq, "at": at.isoformat(timespec="microseconds"),
            "kind": kind, "actor": actor, "subject": subject, "data": dict(data)}


def chain_hash(prev_hash: str, body: Mapping[str, Any]) -> str:
    return sha256_hex(prev_hash.encode("ascii") + canonical_json(body))


@dataclass(frozen=True, slots=True)
class ChainProblem:
    log: str
    seq: int
    message: str


def verify_chain(log: str, events: Iterable[Event], head_seq: int | None = None) -> ChainProblem | None:
    """The first problem in one log's events (given in seq order), or None if it holds.

    `head_seq` is the last sequence number the log recorded: it catches a deleted tail.
    """
    prev_hash, expected = GENESIS, 1
    for event in events:
        if event.log != log:
            return ChainProblem(log, expected, f"event {event.seq} belongs to another log, {event.log}")
        if event.seq != expected:
            return ChainProblem(log, expected, f"event {expected} is missing or out of order "
                                               f"(found {event.seq})")
        if event.prev_hash != prev_hash:
            return ChainProblem(log, event.seq, "its previous hash does not match the event before")
        if chain_hash(prev_hash, event.body()) != event.hash:
            return ChainProblem(log, event.seq, "its content does not match its hash (altered)")
        prev_hash, expected = event.hash, expected + 1
    if head_seq is not None and head_seq > expected - 1:
        return ChainProblem(log, expected, f"the log recorded {head_seq} events but "
                                           f"{expected - 1} remain (deleted)")
    if head_seq is not None and head_seq < expected - 1:
        return ChainProblem(log, head_seq + 1, f"the log recorded {head_seq} events but "
                                               f"{expected - 1} are present (inserted)")
    return None
