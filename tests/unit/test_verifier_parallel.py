"""`sharebound-verify --jobs N`: worker processes fetch and check the entries in aligned blocks;
the parent folds the blocks' roots. The same report, and after each attack the same finding
(exit code, words, index), as one process, with the damage anywhere, at a block's boundary too;
and over real HTTP on 127.0.0.1 (workers started afresh, given the transport by pickling)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharebound_verify import check
from sharebound_verify.check import Finding, verify_log
from sharebound_verify.client import HttpTransport, Transport
from sharebound_verify.parallel import blocks, can_run, start_method
from sharebound_verify.state import StateDir
from tests.verifier_fakes import FakeLog, get_handler, make_entry

BLOCK = 4  # why so small: a log of a few dozen entries spans many blocks


class Serving:
    """The fake log as a server that serves only its first `up_to` entries (truncation)."""

    def __init__(self, log: FakeLog) -> None:
        self.log = log

    def get(self, path: str, query: dict[str, int] | None = None) -> bytes:
        up_to = getattr(self.log, "up_to", None)
        if up_to is not None and path.endswith("/entries") and query is not None:
            query = {**query, "limit": max(0, min(query["limit"], up_to - query["start"]))}
            if query["limit"] == 0:
                return json.dumps({"size": up_to, "entries": []}).encode()
        return self.log.get(path, query)

    def post_text(self, path: str, text: str) -> tuple[int, bytes]:
        return self.log.post_text(path, text)


def run(log: FakeLog, state: Path, jobs: int, transport: Transport | None = None,
        block: int = BLOCK) -> tuple[object, ...]:
    """What a run ends with: its report's figures, or its finding."""
    try:
        report = verify_log(transport or Serving(log), log.log, log.vkey, StateDir(state),
                            jobs=jobs, block=block)
    except Finding as finding:
        return ("finding", finding.code, finding.kind, finding.message, finding.index)
    return ("ok", report.size, report.root, report.entries, report.opened, report.previous_size)


def both(log: FakeLog, tmp_path: Path, name: str = "run") -> tuple[object, ...]:
    one = run(log, tmp_path / f"{name}-1", 1)
    assert run(log, tmp_path / f"{name}-2", 2) == one
    return one


def swap(log: FakeLog, a: int, b: int) -> None:
    log.entries[a], log.entries[b] = log.entries[b], log.entries[a]


def edit_kept_leaf(log: FakeLog, index: int) -> None:
    entry = log.entries[index]
    assert entry.opening is not None
    entry.opening = {**entry.opening, "body": {**entry.opening["body"], "data": {"n": "forged"}}}


def truncate(log: FakeLog, keep: int) -> None:
    log.up_to = keep  # type: ignore[attr-defined]


ATTACKS: dict[str, Callable[[FakeLog, int], None]] = {
    "an edited event whose leaf was kept": edit_kept_leaf,
    "two entries reordered across a boundary": lambda log, at: swap(log, at - 1, at),
    "the entries served stop at a boundary": truncate,
    "the entries served stop inside a block": lambda log, at: truncate(log, at + 1),
    "a leaf that is not base64": lambda log, at: setattr(
        log.entries[at], "leaf", b"\xff") or log.entries.__setitem__(at, log.entries[at]),
    "a root the entries do not hash to": lambda log, at: setattr(
        log, "note", log.sign(log.checkpoint(root=b"\x01" * 32))),
    "a rewrite signed again": lambda log, at: log.entries.__setitem__(
        at, make_entry(log.log, at + 1, {"n": "rewritten"})),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_each_attack_at_a_block_boundary_is_found_the_same_with_two_jobs(
        tmp_path: Path, attack: str) -> None:
    log = FakeLog()
    log.append(30)
    log.append(3, visible=False)
    first = both(log, tmp_path, "first")  # a checkpoint stored: a later rewrite is a fork
    assert first[0] == "ok"
    log.append(4)

    ATTACKS[attack](log, 2 * BLOCK)  # the first entry of the third block

    assert both(log, tmp_path, "first")[0] == "finding"


def test_an_honest_log_gives_the_same_report_and_state_with_two_jobs(tmp_path: Path) -> None:
    log = FakeLog()
    log.append(37)
    log.append(5, visible=False)

    first = both(log, tmp_path)
    log.append(9)
    later = both(log, tmp_path)

    assert first[:2] == ("ok", 42) and first[3:] == (42, 37, None)
    assert later[:2] == ("ok", 51) and later[3:] == (51, 46, 42)
    assert [p.read_text() for p in (tmp_path / "run-1").iterdir()] == \
        [p.read_text() for p in (tmp_path / "run-2").iterdir()]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.integers(1, 40), stored=st.integers(0, 40), block=st.sampled_from([1, 2, 4, 8, 16]),
       attack=st.sampled_from([None, *ATTACKS]), at=st.integers(0, 39))
def test_any_log_cut_into_any_blocks_verifies_as_one_process_does(
        tmp_path_factory: pytest.TempPathFactory, size: int, stored: int, block: int,
        attack: str | None, at: int) -> None:
    folder = tmp_path_factory.mktemp("runs")
    log = FakeLog()
    log.append(min(stored, size))
    for jobs in (1, 2):  # a checkpoint stored before, by each
        run(log, folder / f"state-{jobs}", jobs, block=block)
    log.append(size - min(stored, size))
    if attack is not None:
        ATTACKS[attack](log, at % size)

    one = run(log, folder / "state-1", 1, block=block)

    assert run(log, folder / "state-2", 2, block=block) == one


@pytest.fixture
def over_http() -> Iterator[tuple[FakeLog, HttpTransport]]:
    log = FakeLog()
    log.append(40)

    handler = get_handler(lambda path, query: log.get(path, {k: int(v) for k, v in query.items()}))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield log, HttpTransport(f"http://127.0.0.1:{server.server_port}", "tok")
    server.shutdown()
    server.server_close()


def test_over_http_the_workers_fetch_their_blocks_and_find_what_one_process_finds(
        over_http: tuple[FakeLog, HttpTransport], tmp_path: Path) -> None:
    log, transport = over_http
    assert (start_method(), can_run(transport)) == ("spawn", True)  # the server's thread: spawn
    one = run(log, tmp_path / "one", 1, transport)
    assert one[0] == "ok"
    assert run(log, tmp_path / "two", 2, transport) == one

    edit_kept_leaf(log, 2 * BLOCK)
    found = run(log, tmp_path / "one", 1, transport)

    assert found[:3] == ("finding", check.CONTENT_MISMATCH, "content mismatch")
    assert run(log, tmp_path / "two", 2, transport) == found


def test_blocks_are_aligned_powers_of_two_that_end_at_the_size() -> None:
    assert blocks(10, 4) == [(0, 4), (4, 8), (8, 10)]
    with pytest.raises(ValueError, match="power of two"):
        blocks(10, 6)


def test_a_transport_that_cannot_be_pickled_for_a_spawned_worker_is_checked_in_one_process(
        tmp_path: Path) -> None:
    log = FakeLog()  # holds a private key: it does not pickle
    log.append(20)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)  # a thread: no fork, spawn
    thread.start()
    try:
        assert run(log, tmp_path / "two", 2) == run(log, tmp_path / "one", 1)
    finally:
        stop.set()
        thread.join()
