"""Checking one log as `sharebound audit verify` does: its hash chain and its Merkle tree, streamed
row by row in bounded memory, the first problem named by the event's seq.

The rows come raw (`StoredEvent`: `at` already as the event body writes it, `data` as stored),
so that an intact event costs two string joins and four SHA-256s: the stored data is the
canonical JSON the chain hashed, so the canonical body is built around it without parsing it.
Only an event that fails is parsed again, to say why (corrupt JSON, altered content).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from sharebound.domain.audit import GENESIS, ChainProblem
from sharebound.domain.merkle import frontier_root, node_hash
from sharebound.domain.values import canonical_json

#: (seq, at as event_body writes it, kind, actor, subject, data as stored, prev_hash, hash,
#: salt, the stored leaf hash or None)
StoredEvent = tuple[int, str, str, str | None, str, str, str, str, bytes | None, bytes | None]

_sha256 = hashlib.sha256


@dataclass(frozen=True, slots=True)
class SignedCheckpoint:
    size: int
    root: bytes  # the root the note's body gives
    signed: bool  # whether its signature verifies with the instance key


def quoted(text: str) -> str:
    """json.dumps(text, ensure_ascii=False), without its cost for plain ids and codes."""
    if text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'
    return json.dumps(text, ensure_ascii=False)


def body_bytes(log_json: str, row: StoredEvent) -> bytes:
    """The canonical JSON of the event body (audit.event_body), built around the stored data."""
    seq, at, kind, actor, subject, data = row[0], row[1], row[2], row[3], row[4], row[5]
    who = "null" if actor is None else quoted(actor)
    return (f'{{"actor":{who},"at":"{at}","data":{data},"kind":{quoted(kind)},"log":{log_json},'
            f'"seq":{seq},"subject":{quoted(subject)}}}').encode()


def why_not(log: str, row: StoredEvent) -> str:
    try:
        data = json.loads(row[5])
    except ValueError:
        return "its data is not valid JSON (corrupt)"
    if not isinstance(data, Mapping) or canonical_json(data).decode("utf-8") != row[5]:
        return "its data is not as it was stored (altered)"
    return "its content does not match its hash (altered)"


def check_log(log: str, rows: Iterable[StoredEvent], head_seq: int | None, frontier: Sequence[bytes],
              checkpoints: Sequence[SignedCheckpoint]) -> ChainProblem | None:
    """The first problem of the log (rows in seq order), or None if its chain, its leaves, its
    tree's head and every signed checkpoint agree with its events."""
    log_json = json.dumps(log, ensure_ascii=False)
    log_prefix = f'","log":{log_json},"seq":'.encode()
    pending = sorted(checkpoints, key=lambda c: c.size)
    if (unsigned := unsigned_checkpoint(log, pending)) is not None:
        return unsigned
    at_size = iter(pending)
    due = next(at_size, None)
    last_good = 0  # the largest checkpointed size whose root still matches
    prev_hash, expected = GENESIS, 1
    stack: list[bytes] = []  # the right edge of the tree recomputed so far
    for row in rows:
        seq = row[0]
        if seq != expected:
            return ChainProblem(log, expected, f"event {expected} is missing or out of order "
                                               f"(found {seq})")
        if row[6] != prev_hash:
            return ChainProblem(log, seq, "its previous hash does not match the event before")
        body = body_bytes(log_json, row)
        if _sha256(prev_hash.encode("ascii") + body).hexdigest() != row[7]:
            return ChainProblem(log, seq, why_not(log, row))
        leaf = leaf_of(log, log_prefix, seq, row[8], body, row[9])
        if isinstance(leaf, ChainProblem):
            return leaf
        h, i = leaf, seq - 1
        while i & 1:
            h = node_hash(stack.pop(), h)
            i >>= 1
        stack.append(h)
        while due is not None and due.size == seq:
            if frontier_root(stack) != due.root:
                return ChainProblem(log, last_good + 1, rewritten(due.size, last_good))
            last_good = due.size
            due = next(at_size, None)
        prev_hash, expected = row[7], expected + 1
    return end_problem(log, expected, head_seq, due, frontier, stack)


def unsigned_checkpoint(log: str, pending: Sequence[SignedCheckpoint]) -> ChainProblem | None:
    """The first of the log's checkpoints (by size) that the instance's key did not sign."""
    for checkpoint in pending:
        if not checkpoint.signed:
            return ChainProblem(log, checkpoint.size, f"its checkpoint at size {checkpoint.size} "
                                                      "is not signed by this instance's log key")
    return None


def leaf_of(log: str, log_prefix: bytes, seq: int, salt: bytes | None, body: bytes,
            stored_leaf: bytes | None) -> bytes | ChainProblem:
    """Event `seq`'s leaf hash re-derived from its salt and canonical `body` (`log_prefix`: the
    leaf's JSON between its body hash and its seq), or the problem with what the tree stores."""
    if salt is None:
        return ChainProblem(log, seq, "it has no salt: it is not in the tree")
    digest = _sha256(salt + body).hexdigest().encode()
    leaf = _sha256(b'\x00{"body":"' + digest + log_prefix + b"%d" % seq + b',"v":1}').digest()
    if stored_leaf is None:
        return ChainProblem(log, seq, "its leaf is missing from the tree")
    if stored_leaf != leaf:
        return ChainProblem(log, seq, "its leaf in the tree does not match it (altered)")
    return leaf


def end_problem(log: str, expected: int, head_seq: int | None, due: SignedCheckpoint | None,
                frontier: Sequence[bytes], stack: Sequence[bytes]) -> ChainProblem | None:
    """What is wrong at the end of a log whose rows all held up to `expected - 1` events: a head
    that recorded more or fewer, a checkpoint `due` beyond them, or a tree's head (`frontier`)
    that is not the right edge the rows made (`stack`); None when nothing is."""
    count = expected - 1
    if head_seq is not None and head_seq > count:
        return ChainProblem(log, expected, f"the log recorded {head_seq} events but {count} remain "
                                           "(deleted)")
    if head_seq is not None and head_seq < count:
        return ChainProblem(log, head_seq + 1, f"the log recorded {head_seq} events but {count} are "
                                               "present (inserted)")
    if due is not None:
        return ChainProblem(log, expected, f"a checkpoint was signed at size {due.size} but "
                                           f"{count} events remain (deleted)")
    if list(frontier) != list(stack):
        return ChainProblem(log, count, "the tree's head does not match its events (altered)")
    return None


def rewritten(size: int, last_good: int) -> str:
    return (f"the tree of its first {size} events no longer has the root its signed checkpoint "
            f"gives: an event from {last_good + 1} to {size} was rewritten")


def check_level(log: str, level: int, children: Iterable[tuple[int, bytes]],
                parents: Iterable[tuple[int, bytes]]) -> ChainProblem | None:
    """Whether each stored node of `level` hashes its two stored children (both in idx order)."""
    below: Iterator[tuple[int, bytes]] = iter(children)
    for idx, h in parents:
        left = right = None
        for child, child_hash in below:
            if child == 2 * idx:
                left = child_hash
            elif child == 2 * idx + 1:
                right = child_hash
                break
            elif child > 2 * idx + 1:
                break
        if left is None or right is None or node_hash(left, right) != h:
            first = (idx << level) + 1
            return ChainProblem(log, first, f"the tree's node over events {first} to "
                                            f"{(idx + 1) << level} does not match its children")
    return None
