"""A reference transparency log built to the contract, independent of the server's code.

`proof_path` and `consistency_proof` are RFC 9162 §2.1.3.1 and §2.1.4.1 written recursively
(slow and obvious, to check the verifier's iterative checks). `FakeLog` serves a log the way
the server's API does (checkpoint, entries, proofs, cosignatures) as an in-memory transport for
`sharebound_verify.verify_log`, and lets a test play the attacker: edit, drop, reorder, fork.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sharebound_verify.leaves import body_hash, canonical_json
from sharebound_verify.merkle import leaf_hash, root_of
from sharebound_verify.note import (
    COSIGNER,
    NOTE_SIGNER,
    Checkpoint,
    Note,
    SigningKey,
    VerifierKey,
    cosignature_time,
    parse_note,
)

INSTANCE = "sharebound.test"


def get_handler(answer: Callable[[str, dict[str, str]], bytes]) -> type[BaseHTTPRequestHandler]:
    """An HTTP request handler (for a ThreadingHTTPServer on 127.0.0.1) that answers each GET
    with 200 and `answer(path, query)`, and logs nothing."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            body = answer(url.path, dict(parse_qsl(url.query)))
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def proof_path(index: int, hashes: list[bytes]) -> list[bytes]:
    n = len(hashes)
    if n <= 1:
        return []
    k = _split(n)
    if index < k:
        return [*proof_path(index, hashes[:k]), root_of(hashes[k:])]
    return [*proof_path(index - k, hashes[k:]), root_of(hashes[:k])]


def consistency_proof(first: int, hashes: list[bytes], whole: bool = True) -> list[bytes]:
    n = len(hashes)
    if first == n:
        return [] if whole else [root_of(hashes)]
    k = _split(n)
    if first <= k:
        return [*consistency_proof(first, hashes[:k], whole), root_of(hashes[k:])]
    return [*consistency_proof(first - k, hashes[k:], False), root_of(hashes[:k])]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@dataclass
class Entry:
    leaf: bytes
    opening: dict[str, Any] | None


def make_entry(log: str, seq: int, data: dict[str, Any], visible: bool = True) -> Entry:
    body = {"log": log, "seq": seq, "at": f"2026-12-07T09:{seq % 60:02d}:00.000000+00:00",
            "kind": "disclosure_made", "actor": "per_1", "subject": f"dsc_{seq}", "data": data}
    salt = os.urandom(32)
    leaf = canonical_json({"v": 1, "log": log, "seq": seq, "body": body_hash(salt, body)})
    return Entry(leaf, {"salt": b64(salt), "body": body} if visible else None)


@dataclass
class FakeLog:
    """One log, served as the API serves it; `note` may be replaced to serve another view."""

    log: str = "partnership:ptn_1"
    key: SigningKey = field(default_factory=lambda: SigningKey.generate(INSTANCE, NOTE_SIGNER))
    entries: list[Entry] = field(default_factory=list)
    note: str | None = None  # a served checkpoint that overrides the honest one
    witnesses: dict[str, VerifierKey] = field(default_factory=dict)
    cosignatures: list[tuple[str, int, str]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def append(self, count: int = 1, visible: bool = True) -> None:
        for _ in range(count):
            seq = len(self.entries) + 1
            self.entries.append(make_entry(self.log, seq, {"n": seq, "text": "é"}, visible))

    def hashes(self) -> list[bytes]:
        return [leaf_hash(e.leaf) for e in self.entries]

    def checkpoint(self, size: int | None = None, root: bytes | None = None) -> Checkpoint:
        size = len(self.entries) if size is None else size
        return Checkpoint(f"{INSTANCE}/{self.log}", size,
                          root if root is not None else root_of(self.hashes()[:size]))

    def sign(self, checkpoint: Checkpoint, key: SigningKey | None = None) -> str:
        text = checkpoint.body()
        return Note(text, ((key or self.key).sign_note(text),)).serialize()

    @property
    def vkey(self) -> VerifierKey:
        return self.key.vkey

    # The transport the verifier calls.
    def get(self, path: str, query: dict[str, int] | None = None) -> bytes:
        query = query or {}
        self.requests.append(path)
        suffix = path.rsplit("/log/", 1)[1]
        if suffix == "checkpoint":
            return (self.note or self.sign(self.checkpoint())).encode()
        if suffix == "entries":
            start, limit = query["start"], query["limit"]
            page = [{"index": i, "leaf": b64(e.leaf), "opening": e.opening}
                    for i, e in enumerate(self.entries[start:start + limit], start)]
            return json.dumps({"size": len(self.entries), "entries": page}).encode()
        if suffix == "proof/inclusion":
            index, size = query["index"], query["size"]
            proof = proof_path(index, self.hashes()[:size])
            return json.dumps({"index": index, "size": size, "proof": [b64(p) for p in proof]}).encode()
        if suffix == "proof/consistency":
            first, second = query["from"], query["to"]
            proof = consistency_proof(first, self.hashes()[:second]) if first else []
            return json.dumps({"from": first, "to": second, "proof": [b64(p) for p in proof]}).encode()
        raise AssertionError(f"unexpected GET {path}")

    def post_text(self, path: str, text: str) -> tuple[int, bytes]:
        note = parse_note(text)
        for signature in note.signatures:
            witness = self.witnesses.get(signature.name)
            if witness is not None:
                timestamp = cosignature_time(signature, witness, note.text)
                if timestamp is not None:
                    self.cosignatures.append((signature.name, timestamp, note.text))
                    return 201, json.dumps({"witness": signature.name, "timestamp": timestamp}).encode()
        return 422, json.dumps({"detail": "no valid cosignature by a registered witness"}).encode()


def witness(name: str = "globex.test/witness") -> SigningKey:
    return SigningKey.generate(name, COSIGNER)
