"""The standalone verifier over N log entries, against `sha256sum` over the same bytes.

    .venv/bin/python bench/bench_verifier.py [--entries 100000] [--n 3] [--jobs N] [--json]

It writes N entries built to the transparency log contract (a leaf and an opening each: the
shape `GET …/log/entries` answers, 1,000 to a page) to a temporary file, one JSON page per
line, and times, best of --n:

- `sha256sum` (coreutils) over that file: the reference, the bytes read and hashed once;
- `verify core`: `sharebound_verify.verify_entries` reading the same file page by page:
  JSON decoding, base64, each leaf's checks, each opening re-derived (canonical JSON and its
  salted SHA-256), the leaf hashes and the streaming root (O(log n) memory);
- `verify over HTTP`: the whole `verify_log` run (checkpoint signature, every page fetched
  with urllib from a ThreadingHTTPServer on 127.0.0.1, in a process of its own, serving the
  same entries, the root, one inclusion proof, the state file written), with `--jobs 1`
  and with `--jobs N` worker processes (default: the CPUs) fetching and checking blocks.

The lines are interleaved, each best of --n.

The ratio is sha256sum's time divided by the verifier's (the issue's goal: ≥ 0.5). The machine
is shared: read the ratios, not the absolute figures.
"""

from __future__ import annotations

import argparse
import base64
import gc
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "verifier" / "src"), str(ROOT)]

from bench.cores import parallel_speedup  # noqa: E402
from tests.verifier_fakes import get_handler, proof_path  # noqa: E402

from sharebound_verify.check import verify_entries, verify_log  # noqa: E402
from sharebound_verify.client import HttpTransport  # noqa: E402
from sharebound_verify.leaves import body_hash, canonical_json  # noqa: E402
from sharebound_verify.merkle import RootBuilder, leaf_hash  # noqa: E402
from sharebound_verify.note import NOTE_SIGNER, Checkpoint, Note, SigningKey  # noqa: E402
from sharebound_verify.state import StateDir  # noqa: E402

LOG = "partnership:ptn_bench"
PAGE = 1000  # why: the contract's page


def _entry(index: int) -> tuple[dict[str, object], bytes]:
    seq = index + 1
    body = {"log": LOG, "seq": seq, "at": "2026-12-07T09:14:00.123456+00:00",
            "kind": "disclosure_made", "actor": "per_4kq2w8", "subject": f"dsc_{seq:08d}",
            "data": {"item_id": "itm_7h2k", "version": 3, "agreement_id": "agr_91xz",
                     "digest": "ab" * 32, "recipients": ["per_a1", "per_b2"],
                     "actions": ["view", "download"], "expires_at": "2027-03-01T00:00:00+00:00"}}
    salt = os.urandom(32)
    leaf = canonical_json({"v": 1, "log": LOG, "seq": seq, "body": body_hash(salt, body)})
    return ({"index": index, "leaf": base64.b64encode(leaf).decode(),
             "opening": {"salt": base64.b64encode(salt).decode(), "body": body}}, leaf)


def build(path: Path, count: int) -> tuple[list[bytes], list[bytes]]:
    """Writes the pages; returns each entry's JSON (as served, a page of them joined) and the
    leaf hashes."""
    served, hashes = [], []
    with path.open("wb") as out:
        for start in range(0, count, PAGE):
            entries = []
            for index in range(start, min(start + PAGE, count)):
                entry, leaf = _entry(index)
                entries.append(json.dumps(entry).encode())
                hashes.append(leaf_hash(leaf))
            out.write(page_of(count, entries) + b"\n")
            served += entries
    return served, hashes


def page_of(count: int, entries: list[bytes]) -> bytes:
    return b'{"size": %d, "entries": [' % count + b", ".join(entries) + b"]}"


def best(n: int, run: object) -> float:
    times = []
    for _ in range(n):
        gc.collect()
        started = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def cpu() -> float:
    """CPU seconds of this process and of its children that have ended (workers, sha256sum;
    not the server's process, which runs on)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def read_pages(path: Path) -> Iterator[list[object]]:
    with path.open("rb") as lines:
        for line in lines:
            yield json.loads(line)["entries"]


def serve(entries: list[bytes], note: str, proof: bytes, port: Connection) -> None:
    """The log's API on 127.0.0.1, in a process of its own (as a server is): the verifier's
    process keeps one thread, and its workers are forked as the command's are."""
    def answer(path: str, query: dict[str, str]) -> bytes:
        if path.endswith("/checkpoint"):
            return note.encode()
        if path.endswith("/entries"):
            start = int(query["start"])
            return page_of(len(entries), entries[start:start + int(query["limit"])])
        return proof  # the one inclusion proof the verifier asks for: the newest entry's

    server = ThreadingHTTPServer(("127.0.0.1", 0), get_handler(answer))
    port.send(server.server_port)
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--n", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes for the parallel line (default: the CPUs)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "entries.jsonl"
        served, hashes = build(path, args.entries)
        size_mb = path.stat().st_size / 1e6
        builder = RootBuilder()
        for hashed in hashes:
            builder.append_hash(hashed)
        root = builder.root()
        last = args.entries - 1
        proof = json.dumps({"index": last, "size": args.entries, "proof": [
            base64.b64encode(p).decode() for p in proof_path(last, hashes)]}).encode()

        def sha256sum() -> None:
            subprocess.run(["sha256sum", str(path)], check=True, stdout=subprocess.DEVNULL)

        def core() -> None:
            result = verify_entries(LOG, args.entries, read_pages(path))
            assert result.root == root and result.opened == args.entries

        key = SigningKey.generate("sharebound.bench", NOTE_SIGNER)
        text = Checkpoint(f"sharebound.bench/{LOG}", args.entries, root).body()
        note = Note(text, (key.sign_note(text),)).serialize()
        port, their_end = multiprocessing.Pipe()
        server = multiprocessing.get_context("fork").Process(
            target=serve, args=(served, note, proof, their_end), daemon=True)
        server.start()
        transport = HttpTransport(f"http://127.0.0.1:{port.recv()}", "bench-token")

        def over_http(jobs: int) -> None:
            with tempfile.TemporaryDirectory() as state:
                report = verify_log(transport, LOG, key.vkey, StateDir(Path(state)), jobs=jobs)
                assert report.opened == args.entries

        # why interleaved, best of each: every line sees the same machine, load and cache
        runs = {"sha256sum_s": sha256sum, "core_s": core, "http_s": lambda: over_http(1),
                "http_jobs_s": lambda: over_http(args.jobs)}
        times: dict[str, list[float]] = {name: [] for name in runs}
        cpus: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.n):
            for name, run in runs.items():
                before = cpu()
                times[name].append(best(1, run))
                cpus[name].append(cpu() - before)
        server.terminate()
        server.join()
    figures: dict[str, float | int] = {"entries": args.entries, "megabytes": round(size_mb, 1),
                                       "jobs": args.jobs,
                                       "idle_speedup": parallel_speedup(args.jobs)}
    figures.update({name: min(values) for name, values in times.items()})
    # why CPU seconds too: the wall clock says how busy the shared machine was; the CPU each
    # line spent says what it would take on idle cores
    figures.update({name.replace("_s", "_cpu_s"): min(values) for name, values in cpus.items()})
    for name in ("core", "http", "http_jobs"):
        figures[f"{name}_ratio"] = figures["sha256sum_s"] / figures[f"{name}_s"]
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{args.entries} entries, {size_mb:.1f} MB of entry pages; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for label, key_name in (("sha256sum", "sha256sum_s"), ("verify core", "core_s"),
                            ("verify over HTTP", "http_s"),
                            (f"... --jobs {args.jobs}", "http_jobs_s")):
        seconds = figures[key_name]
        print(f"{label:<18} {seconds:8.3f} s  {args.entries / seconds:>12,.0f} entries/s  "
              f"{size_mb / seconds:8.1f} MB/s   CPU {figures[key_name.replace('_s', '_cpu_s')]:.3f} s")
    print(f"ratio sha256sum/verify core: {figures['core_ratio']:.3f}   "
          f"sha256sum/verify over HTTP: {figures['http_ratio']:.3f} (--jobs 1), "
          f"{figures['http_jobs_ratio']:.3f} (--jobs {args.jobs})   (goal >= 0.5)")
    print(f"{args.jobs} processes of bare hashing run {figures['idle_speedup']:.2f}x faster than 1 "
          "on this machine now (what --jobs can gain at most)")


if __name__ == "__main__":
    main()
