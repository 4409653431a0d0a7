"""The log's leaves and their openings, per the transparency log contract.

A leaf is the canonical JSON of `{"v": 1, "log": <log>, "seq": <seq>, "body": <hex>}` where
`body` = SHA-256(salt ‖ canonical JSON of the event body). An opening `{"salt", "body"}` shows
the event itself; the leaf commits to it without revealing it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

LEAF_VERSION = 1
SALT_SIZE = 32  # why: the contract's 32 random bytes per event

_encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                            allow_nan=False)


def _refuse(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON")


def _make_encode() -> Callable[[Any], str]:
    """`_encoder.encode`, with CPython's C encoder built once instead of at every call.

    json.JSONEncoder.encode builds a new C encoder for each value; that costs as much as
    encoding a small event. Same arguments as `_encoder`; no circular-reference markers, which
    values decoded from JSON cannot need. Falls back to `_encoder.encode` without the C part.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    quote = getattr(json.encoder, "c_encode_basestring", None)
    if make is None or quote is None:
        return _encoder.encode
    chunks = make(None, _refuse, quote, None, ":", ",", True, False, False)

    def encode(value: Any) -> str:
        if isinstance(value, str):
            return str(quote(value))
        return "".join(chunks(value, 0))

    return encode


_encode = _make_encode()


def canonical_json(value: Any) -> bytes:
    """Keys sorted, compact, UTF-8, no NaN: the same bytes the server hashed."""
    return _encode(value).encode("utf-8")


@dataclass(frozen=True, slots=True)
class Leaf:
    log: str
    seq: int
    body: str  # hex SHA-256 of salt ‖ canonical event body


class LeafProblem(ValueError):
    """A leaf or opening that does not hold; the message says what."""


def parse_leaf(raw: bytes) -> Leaf:
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise LeafProblem("the leaf is not JSON") from exc
    if not isinstance(value, dict) or set(value) != {"v", "log", "seq", "body"}:
        raise LeafProblem("the leaf is not {v, log, seq, body}")
    log, seq, body = value["log"], value["seq"], value["body"]
    if value["v"] != LEAF_VERSION or not isinstance(log, str) or type(seq) is not int:
        raise LeafProblem("the leaf's version, log or seq is not what the contract says")
    if not isinstance(body, str) or len(body) != 64 or body.strip("0123456789abcdef"):
        raise LeafProblem("the leaf's body hash is not 64 lowercase hex digits")
    if canonical_json(value) != raw:
        raise LeafProblem("the leaf is not in canonical JSON")
    return Leaf(log, seq, body)


_HEAD = b'{"body":"'
_HEX = b"0123456789abcdef"
_HEAD_AND_HASH = len(_HEAD) + 64  # why: the hex SHA-256 follows the head


def leaf_tail(log: str) -> bytes:
    """What follows the body hash in the canonical leaf of `log`, up to the seq (keys sorted)."""
    return b'","log":' + canonical_json(log) + b',"seq":'


def fits(raw: bytes, tail: bytes, seq: int) -> bool:
    """The fast check: is `raw` exactly the canonical leaf of this log and seq, for some body hash?

    Byte for byte what `parse_leaf` and the log and seq checks establish, without decoding
    and re-encoding JSON; when it says no, `parse_leaf` says why.
    """
    end = b"%d,\"v\":1}" % seq
    return (len(raw) == _HEAD_AND_HASH + len(tail) + len(end) and raw.startswith(_HEAD)
            and raw.endswith(end) and raw.startswith(tail, _HEAD_AND_HASH)
            and not raw[len(_HEAD):_HEAD_AND_HASH].strip(_HEX))


def opens(raw: bytes, opening: Any, log: str, seq: int) -> bool:
    """The fast check of an opening against a leaf that `fits`; when no, `check_opening` says why."""
    try:
        body = opening["body"]
        digest = hashlib.sha256(binascii.a2b_base64(opening["salt"], strict_mode=True)
                                + _encode(body).encode("utf-8")).hexdigest()
        return (digest.encode("ascii") == raw[len(_HEAD):_HEAD_AND_HASH]
                and body["log"] == log and body["seq"] == seq and type(body["seq"]) is int)
    except (KeyError, TypeError, ValueError, binascii.Error):
        return False


def body_hash(salt: bytes, body: Any) -> str:
    return hashlib.sha256(salt + canonical_json(body)).hexdigest()


def check_opening(leaf: Leaf, opening: Any) -> None:
    """Raises LeafProblem unless the opening is the content the leaf commits to."""
    if not isinstance(opening, dict) or not isinstance(opening.get("salt"), str):
        raise LeafProblem("the opening is not {salt, body}")
    try:
        salt = base64.b64decode(opening["salt"], validate=True)
    except binascii.Error as exc:
        raise LeafProblem("the opening's salt is not base64") from exc
    body = opening.get("body")
    if not isinstance(body, dict):
        raise LeafProblem("the opening's body is not an object")
    try:
        derived = body_hash(salt, body)
    except ValueError as exc:
        raise LeafProblem("the opening's body cannot be canonical JSON") from exc
    if derived != leaf.body:
        raise LeafProblem("the event's content does not match its leaf (altered)")
    if body.get("log") != leaf.log or body.get("seq") != leaf.seq:
        raise LeafProblem("the event's log or seq does not match its leaf")
