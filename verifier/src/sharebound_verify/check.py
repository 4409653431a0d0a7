"""One verification run of one log: checkpoint, consistency, every entry, the root; then cosign.

What is checked, in order (the first failure stops the run and names what was found):
1. the checkpoint is signed by the pinned instance key and its origin is `<key name>/<log>`;
2. against the checkpoint stored by the previous run: a smaller size is a rollback or
   truncation; the same size with another root is a fork; a larger size must come with a
   consistency proof (RFC 9162 §2.1.4.2) that verifies, else it is a fork too;
3. every entry, paged: its leaf is well formed, of this log, at seq = index + 1; where the
   server opens it, the content hashes to the leaf (opening → body hash → leaf);
4. the leaves hash to the stored checkpoint's root at its size (history not rewritten) and to
   the new checkpoint's root at its size. Recomputing the root from every leaf proves every
   leaf's inclusion at its index at once (as strong as one proof per leaf, and cheaper);
   the server's own inclusion proof is also checked for the newest entry the caller can open,
   so the proofs it hands to others are exercised too;
5. the checkpoint is stored (atomically); with a witness key, it is cosigned and posted.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sharebound_verify.client import PAGE, FetchError, Transport, get_json, log_path
from sharebound_verify.leaves import LeafProblem, check_opening, fits, leaf_tail, opens, parse_leaf
from sharebound_verify.merkle import RootBuilder, leaf_hash, verify_consistency, verify_inclusion
from sharebound_verify.note import (
    Checkpoint,
    Note,
    NoteError,
    SigningKey,
    VerifierKey,
    parse_checkpoint,
    parse_note,
)
from sharebound_verify.state import StateDir

# Exit codes (documented in README.md and docs/verify-partner-log.md).
OK = 0
USAGE = 2  # bad arguments, or a key, token or state file that cannot be read
UNREACHABLE = 3  # the server could not be asked, or answered outside the contract
BAD_SIGNATURE = 4  # the checkpoint is not signed by the pinned key, or names another log
FORK = 5  # two checkpoints that cannot both be true: same size, other root; or not consistent
ROLLBACK = 6  # the log is shorter than before (rollback), or serves fewer entries (truncation)
CONTENT_MISMATCH = 7  # an entry's leaf is malformed, misplaced, or its content does not match
INCLUSION_FAILURE = 8  # the entries do not hash to the checkpoint's root, or a proof fails
COSIGN_REFUSED = 9  # all verified, but the server refused the cosignature

#: why 2**14 entries (16 pages): a block's fixed cost (a process hop, its first request) is
#: small beside its pages, and a log of 50,000 entries still splits among several workers
BLOCK = 1 << 14


class Finding(Exception):
    """What a run found wrong: an exit code, a short kind and a sentence."""

    def __init__(self, code: int, kind: str, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.code, self.kind, self.message, self.index = code, kind, message, index


@dataclass
class EntriesResult:
    root: bytes
    count: int
    opened: int
    last_opened: int | None  # the index of the newest opened entry
    last_opened_leaf: bytes = b""
    root_at: dict[int, bytes] = field(default_factory=dict)


def verify_entries(log: str, size: int, pages: Iterable[list[Any]],
                   snapshots: Iterable[int] = ()) -> EntriesResult:
    """Checks every entry of the first `size` and returns the root they hash to.

    `snapshots` are the sizes at which the intermediate root is wanted (a stored checkpoint's).
    Memory stays O(log size) plus one page.
    """
    result = check_entries(log, 0, size, pages, snapshots)
    if result.count < size:
        raise truncation(size, result.count)
    return result


def truncation(size: int, served: int) -> Finding:
    return Finding(ROLLBACK, "truncation", f"truncation: the checkpoint counts {size} entries but "
                                           f"the server serves only {served}", served)


def check_entries(log: str, start: int, end: int, pages: Iterable[list[Any]],
                  snapshots: Iterable[int] = ()) -> EntriesResult:
    """Checks the entries of indexes [start, end) served in `pages` (from `start`), and returns
    the root of those it was served, how many, and the roots at `snapshots` (sizes, counted
    from 0) inside them: the whole log's when `start` is 0, a block's own otherwise
    (parallel.py). Raises the first Finding; stops short, without one, where the pages do."""
    builder, opened, last_opened, last_leaf = RootBuilder(), 0, None, b""
    wanted, root_at = set(snapshots), {}
    if start in wanted:
        root_at[start] = builder.root()
    a2b, append, tail = binascii.a2b_base64, builder.append_hash, leaf_tail(log)
    for page in pages:
        for entry in page:
            index = start + builder.size
            if index >= end:
                break
            if not isinstance(entry, dict) or entry.get("index") != index:
                raise Finding(CONTENT_MISMATCH, "content mismatch",
                              f"content mismatch at index {index}: the server served "
                              "entries out of order", index)
            try:
                raw = a2b(entry["leaf"], strict_mode=True)
                opening = entry.get("opening")
                if not (fits(raw, tail, index + 1)
                        and (opening is None or opens(raw, opening, log, index + 1))):
                    _slow_check(raw, opening, log, index + 1)  # raises, naming what is wrong
                if opening is not None:
                    opened, last_opened, last_leaf = opened + 1, index, raw
            except (LeafProblem, KeyError, TypeError, binascii.Error) as exc:
                raise Finding(CONTENT_MISMATCH, "content mismatch",
                              f"content mismatch at index {index} (seq {index + 1}): {exc}",
                              index) from exc
            append(leaf_hash(raw))
            if start + builder.size in wanted:
                root_at[start + builder.size] = builder.root()
        if start + builder.size >= end:
            break
    return EntriesResult(builder.root(), builder.size, opened, last_opened, last_leaf, root_at)


def _slow_check(raw: bytes, opening: Any, log: str, seq: int) -> None:
    leaf = parse_leaf(raw)
    if leaf.log != log or leaf.seq != seq:
        raise LeafProblem(f"the leaf says {leaf.log} seq {leaf.seq}")
    if opening is not None:
        check_opening(leaf, opening)


def pages(transport: Transport, base: str, size: int, start: int = 0) -> Iterable[list[Any]]:
    """The entries [start, size), a page at a time, until the server serves an empty page."""
    while start < size:
        answer = get_json(transport, f"{base}/entries",
                          {"start": start, "limit": min(PAGE, size - start)})
        entries = answer.get("entries")
        if not isinstance(entries, list):
            raise FetchError(f"{base}/entries did not answer a list of entries")
        if not entries:
            return
        yield entries
        start += len(entries)


def _proof(answer: Mapping[str, Any], path: str) -> list[bytes]:
    proof = answer.get("proof")
    if not isinstance(proof, list) or not all(isinstance(p, str) for p in proof):
        raise FetchError(f"{path} did not answer a proof")
    try:
        return [base64.b64decode(p, validate=True) for p in proof]
    except binascii.Error as exc:
        raise FetchError(f"{path} answered a proof that is not base64") from exc


@dataclass
class Report:
    log: str
    size: int
    root: str
    previous_size: int | None
    entries: int
    opened: int
    cosignature: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": True, "log": self.log, "size": self.size, "root": self.root,
                "previous_size": self.previous_size, "entries": self.entries,
                "opened": self.opened, "sealed": self.entries - self.opened,
                "cosignature": self.cosignature}


def _read_checkpoint(raw: str, key: VerifierKey, log: str, where: str) -> tuple[Note, Checkpoint]:
    try:
        note = parse_note(raw)
        checkpoint = parse_checkpoint(note.text)
    except NoteError as exc:
        raise Finding(BAD_SIGNATURE, "bad signature", f"{where} is not a signed checkpoint: {exc}") from exc
    if not note.signed_by(key):
        raise Finding(BAD_SIGNATURE, "bad signature",
                      f"bad signature: {where} is not signed by the pinned key {key.text()}")
    if checkpoint.origin != f"{key.name}/{log}":
        raise Finding(BAD_SIGNATURE, "wrong origin",
                      f"bad signature: {where} is for {checkpoint.origin!r}, not {key.name}/{log}")
    return note, checkpoint


def verify_log(transport: Transport, log: str, key: VerifierKey, state: StateDir,
               cosigner: SigningKey | None = None, clock: Any = time.time, jobs: int = 1,
               block: int = BLOCK) -> Report:
    """One run (the module's docstring says what is checked, in order). With `jobs` above 1, a
    log of more than `block` entries is fetched and checked by that many worker processes, a
    block each at a time (parallel.py): the same findings, the same root."""
    base = log_path(log)
    raw = transport.get(f"{base}/checkpoint").decode("utf-8", "replace")
    note, checkpoint = _read_checkpoint(raw, key, log, "the server's checkpoint")
    stored = state.load(log)
    previous = _read_checkpoint(stored, key, log, "the stored checkpoint")[1] if stored else None
    snapshots: list[int] = []
    if previous is not None:
        snapshots.append(previous.size)
        _check_consistency(transport, base, log, state, raw, previous, checkpoint)

    from sharebound_verify import parallel  # why here: it imports this module

    if jobs > 1 and checkpoint.size > block and parallel.can_run(transport):
        result = parallel.verify_in_blocks(transport, base, log, checkpoint.size, snapshots, jobs, block)
    else:
        result = verify_entries(log, checkpoint.size, pages(transport, base, checkpoint.size),
                                snapshots)
    if previous is not None and result.root_at.get(previous.size) != previous.root:
        state.keep_evidence(log, raw, f"fork-{checkpoint.size}-{int(clock())}")
        raise Finding(FORK, "fork", f"fork: the first {previous.size} entries served now do not "
                                    "hash to the root of the checkpoint stored before (history "
                                    "was rewritten)")
    if result.root != checkpoint.root:
        raise Finding(INCLUSION_FAILURE, "inclusion failure",
                      f"inclusion failure: the {checkpoint.size} entries served do not hash to "
                      "the checkpoint's root")
    if result.last_opened is not None:
        _check_inclusion(transport, base, result.last_opened, result.last_opened_leaf, checkpoint)

    state.save(log, raw)
    report = Report(log, checkpoint.size, base64.b64encode(checkpoint.root).decode(),
                    previous.size if previous else None, result.count, result.opened)
    if cosigner is not None:
        report.cosignature = _cosign(transport, base, note, cosigner, int(clock()))
    return report


def _check_consistency(transport: Transport, base: str, log: str, state: StateDir, raw: str,
                       previous: Checkpoint, checkpoint: Checkpoint) -> None:
    if checkpoint.size < previous.size:
        state.keep_evidence(log, raw, f"rollback-{checkpoint.size}")
        raise Finding(ROLLBACK, "rollback",
                      f"rollback/truncation: the log's checkpoint counts {checkpoint.size} "
                      f"entries, fewer than the {previous.size} verified before")
    if checkpoint.size == previous.size:
        if checkpoint.root != previous.root:
            state.keep_evidence(log, raw, f"fork-{checkpoint.size}")
            raise Finding(FORK, "fork",
                          f"fork: two checkpoints of size {checkpoint.size} with different roots "
                          "(the one stored before and the one served now)")
        return
    path = f"{base}/proof/consistency"
    proof = _proof(get_json(transport, path, {"from": previous.size, "to": checkpoint.size}), path)
    if not verify_consistency(previous.size, checkpoint.size, previous.root, checkpoint.root, proof):
        state.keep_evidence(log, raw, f"fork-{checkpoint.size}")
        raise Finding(FORK, "fork",
                      f"fork: the checkpoint of size {checkpoint.size} does not extend the one "
                      f"of size {previous.size} verified before (its consistency proof fails)")


def _check_inclusion(transport: Transport, base: str, index: int, leaf: bytes,
                     checkpoint: Checkpoint) -> None:
    path = f"{base}/proof/inclusion"
    answer = get_json(transport, path, {"index": index, "size": checkpoint.size})
    if not verify_inclusion(leaf_hash(leaf), index, checkpoint.size, _proof(answer, path),
                            checkpoint.root):
        raise Finding(INCLUSION_FAILURE, "inclusion failure",
                      f"inclusion failure at index {index}: the server's inclusion proof "
                      "does not verify against its checkpoint", index)


def _cosign(transport: Transport, base: str, note: Note, cosigner: SigningKey,
            timestamp: int) -> dict[str, Any]:
    line = cosigner.cosign(note.text, timestamp).line()
    status, body = transport.post_text(f"{base}/cosignatures", note.text + "\n" + line)
    if status != 201:
        try:
            detail = json.loads(body).get("detail", "")
        except (ValueError, AttributeError):
            detail = body[:200].decode("utf-8", "replace")
        raise Finding(COSIGN_REFUSED, "cosignature refused",
                      f"verified, but the server refused the cosignature ({status}): {detail}")
    try:
        answer = json.loads(body)
    except ValueError:
        answer = {}
    return {"witness": cosigner.name, "timestamp": timestamp, "server": answer}
