"""The transparency log's formats (docs/transparency-log.md): leaves, openings, checkpoints and
signed notes (C2SP tlog-checkpoint and signed-note), keys' names and hashes.

A leaf commits to an event without revealing it: its body is SHA-256(salt ‖ canonical JSON of
the event body), the salt 32 random bytes the server keeps. Every party can verify every
leaf of the tree, and sees an event's content only when the server opens it (salt and body).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any

from sharebound.domain.values import canonical_json

LEAF_VERSION = 1
SALT_BYTES = 32
ED25519 = 0x01  # signed-note signature type of an Ed25519 key
COSIGNATURE_V1 = 0x04  # tlog-cosignature's cosignature/v1 (Ed25519, timestamped)
EM_DASH = "\u2014"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def body_digest(salt: bytes, body: Mapping[str, Any]) -> str:
    """The hex SHA-256 a leaf carries for an event body (domain/audit.event_body)."""
    return hashlib.sha256(salt + canonical_json(body)).hexdigest()


def leaf_bytes(log: str, seq: int, digest: str) -> bytes:
    return canonical_json({"v": LEAF_VERSION, "log": log, "seq": seq, "body": digest})


def opening(salt: bytes, body: Mapping[str, Any]) -> dict[str, Any]:
    """What lets a party check a leaf's body: the salt and the event body itself."""
    return {"salt": b64(salt), "body": dict(body)}


def origin(instance: str, log: str) -> str:
    return f"{instance}/{log}"


def checkpoint_body(origin_line: str, size: int, root_hash: bytes) -> str:
    """The tlog-checkpoint note body: origin, tree size, base64 root hash, each on a line."""
    return f"{origin_line}\n{size}\n{b64(root_hash)}\n"


def key_hash(name: str, key_type: int, public_key: bytes) -> bytes:
    """signed-note's key hash: the first 4 bytes of SHA-256(name ‖ "\\n" ‖ type ‖ public key)."""
    return hashlib.sha256(name.encode("utf-8") + b"\n" + bytes([key_type]) + public_key).digest()[:4]


def verifier_key(name: str, public_key: bytes) -> str:
    """The vkey line that pins the instance key: <name>+<hex key hash>+<base64(type ‖ key)>."""
    return f"{name}+{key_hash(name, ED25519, public_key).hex()}+{b64(bytes([ED25519]) + public_key)}"


def signature_line(name: str, hash4: bytes, signature: bytes) -> str:
    return f"{EM_DASH} {name} {b64(hash4 + signature)}\n"


def signed_note(body: str, signature_lines: list[str]) -> str:
    """The note as served: the body, a blank line, the signature lines (instance's first)."""
    return body + "\n" + "".join(signature_lines)


def valid_key_name(name: str) -> bool:
    """signed-note: a key name is non-empty, without spaces or plus signs (nor any control)."""
    return bool(name) and all(c > " " and c not in "+\u2014" and c != "\x7f" for c in name)


def split_note(note: str) -> tuple[str, list[tuple[str, bytes]]]:
    """A signed note's body (with its final newline) and its signatures as (key name, bytes);
    ValueError if it is not one."""
    body, sep, rest = note.partition("\n\n")
    if not sep:
        raise ValueError("a signed note has a blank line between its body and its signatures")
    signatures = []
    for line in rest.splitlines():
        prefix, _, tail = line.partition(" ")
        name, _, value = tail.partition(" ")
        if prefix != EM_DASH or not name or not value:
            raise ValueError(f"not a signature line: {line!r}")
        signatures.append((name, base64.b64decode(value, validate=True)))
    return body + "\n", signatures


def parse_checkpoint(body: str) -> tuple[str, int, bytes]:
    """(origin, size, root) of a checkpoint note body; ValueError if it is not one."""
    lines = body.split("\n")
    if len(lines) < 4 or lines[-1] != "" or not lines[1].isdigit():
        raise ValueError("a checkpoint is an origin, a size and a root hash, one a line")
    root_hash = base64.b64decode(lines[2], validate=True)
    if len(root_hash) != hashlib.sha256().digest_size:
        raise ValueError("a checkpoint's root hash is 32 bytes")
    return lines[0], int(lines[1]), root_hash
