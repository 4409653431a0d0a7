"""The transparency log's costs, each beside a yardstick in the same run (bench/README.md):

(a) `audit verify` (hash chain and Merkle tree, streamed) in events/s, in one process
    (--jobs 1) and in --jobs worker processes (default: the CPUs), against `sha256sum` over
    the same bytes (every event body as the chain hashes it, in one file), interleaved;
(b) appending an event (hash chain, leaf and subtrees, in its own transaction) against a bare
    INSERT of the same row in its own transaction, on SQLite, and on PostgreSQL when
    SHAREBOUND_TEST_POSTGRES_URL is set (a database of its own is made and dropped);
(c) an inclusion proof and a consistency proof in a log of 1,000,000 leaves: time and size.

    .venv/bin/python bench/bench_log.py [--events 200000] [--appends 500] [--leaves 1000000]
                                        [--jobs N] [--quick] [--json]

Each line is timed with time.perf_counter, best of 3 runs (1 with --quick) after a warmup.
Read the ratios: the machine is shared.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from bench.cores import parallel_speedup  # noqa: E402
from sqlalchemy import Engine, create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from sharebound import bootstrap  # noqa: E402
from sharebound.adapters.db import migrate  # noqa: E402
from sharebound.adapters.db.engine import build_engine  # noqa: E402
from sharebound.adapters.db.repositories.events import EventLog  # noqa: E402
from sharebound.adapters.db.repositories.transparency import TransparencyLog  # noqa: E402
from sharebound.adapters.db.tables import event_logs, events, log_nodes  # noqa: E402
from sharebound.config import Settings  # noqa: E402
from sharebound.domain import merkle  # noqa: E402
from sharebound.domain.audit import GENESIS, event_body  # noqa: E402
from sharebound.domain.transparency import leaf_bytes  # noqa: E402
from sharebound.domain.values import canonical_json  # noqa: E402
from sharebound.services import audit, transparency  # noqa: E402

T0 = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
BATCH = 5000


def _best(run: Callable[[], object], repeats: int) -> float:
    run()  # warmup
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def _time(run: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (workers, sha256sum)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _time_and_cpu(run: Callable[[], object]) -> tuple[float, float]:
    gc.collect()
    start, cpu = time.perf_counter(), _cpu()
    run()
    return time.perf_counter() - start, _cpu() - cpu


def _event_rows(log: str, count: int) -> Iterator[tuple[dict[str, Any], bytes, bytes]]:
    """`count` message events of one log as stored: (row, its canonical body, its leaf hash)."""
    prev = GENESIS
    for seq in range(1, count + 1):
        data = {"message": f"msg_{seq:032x}", "classification": "public", "reply_to": None}
        row = {"log": log, "seq": seq, "at": T0 + timedelta(microseconds=seq * 1371),
               "kind": "message_posted", "actor": "per_4f3c2a1b9d8e7f6a5b4c3d2e1f0a9b8c",
               "subject": f"msg_{seq:032x}", "data": canonical_json(data).decode()}
        body = canonical_json(event_body(log, seq, row["at"], row["kind"], row["actor"],
                                         row["subject"], data))
        digest = hashlib.sha256(prev.encode() + body).hexdigest()
        salt = os.urandom(32)
        row.update(prev_hash=prev, hash=digest, salt=salt)
        leaf = merkle.leaf_hash(leaf_bytes(log, seq, hashlib.sha256(salt + body).hexdigest()))
        prev = digest
        yield row, body, leaf


def _fill(engine: Engine, log: str, count: int, body_file: Path | None = None) -> None:
    """A log of `count` events written straight into the tables (executemany, in batches)."""
    frontier: list[bytes] = []
    rows: list[dict[str, Any]] = []
    nodes: list[dict[str, Any]] = []
    out = body_file.open("wb") if body_file else None
    last = GENESIS
    with engine.begin() as connection:
        for size, (row, body, leaf) in enumerate(_event_rows(log, count)):
            if out:
                out.write(body)
            made, frontier = merkle.append_leaf(size, frontier, leaf)
            rows.append(row)
            nodes += [{"log": log, "level": lv, "idx": i, "hash": h} for (lv, i), h in made]
            last = row["hash"]
            if len(rows) >= BATCH:
                connection.execute(insert(events), rows)
                connection.execute(insert(log_nodes), nodes)
                rows, nodes = [], []
        if rows:
            connection.execute(insert(events), rows)
            connection.execute(insert(log_nodes), nodes)
        connection.execute(insert(event_logs).values(log=log, head_seq=count, head_hash=last,
                                                     frontier=merkle.pack(frontier)))
    if out:
        out.close()


def _fill_tree(engine: Engine, log: str, leaves: int) -> None:
    """A tree of `leaves` leaves (random leaf hashes) in log_nodes only, fast: every complete
    subtree, level by level."""
    level_hashes = [os.urandom(32) for _ in range(leaves)]
    frontier: list[bytes] = []
    with engine.begin() as connection:
        level = 0
        while level_hashes:
            for start in range(0, len(level_hashes), 50_000):  # why the driver's executemany: fast
                connection.exec_driver_sql(
                    "INSERT INTO log_nodes (log, level, idx, hash) VALUES (?, ?, ?, ?)"
                    if connection.dialect.name == "sqlite" else
                    "INSERT INTO log_nodes (log, level, idx, hash) VALUES (%s, %s, %s, %s)",
                    [(log, level, start + i, h) for i, h in enumerate(level_hashes[start:start + 50_000])])
            level_hashes = [merkle.node_hash(level_hashes[i], level_hashes[i + 1])
                            for i in range(0, len(level_hashes) - 1, 2)]
            level += 1
        for lv, i in merkle.subtrees(0, leaves):
            frontier.append(connection.execute(text(
                "SELECT hash FROM log_nodes WHERE log = :log AND level = :lv AND idx = :i"),
                {"log": log, "lv": lv, "i": i}).scalar_one())
        connection.execute(insert(event_logs).values(log=log, head_seq=leaves, head_hash=GENESIS,
                                                     frontier=merkle.pack(frontier)))


def _sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'sharebound.db'}"


def _postgres_url() -> tuple[str, Callable[[], None]] | None:
    base = os.environ.get("SHAREBOUND_TEST_POSTGRES_URL")
    if not base:
        return None
    admin_url = make_url(base).set(drivername="postgresql+psycopg")
    name = f"sharebound_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin_url.set(database=name).render_as_string(hide_password=False), drop


def bench_verify(folder: Path, count: int, repeats: int, jobs: int) -> dict[str, Any]:
    settings = Settings(data_dir=folder, database_url=_sqlite_url(folder))
    core = bootstrap.init(settings)
    log = "partnership:prt_bench"
    bodies = folder / "bodies.bin"
    _fill(core.engine, log, count, bodies)
    with core.uow() as uow:
        transparency.sign_checkpoint(uow, core.log_key, log)
        uow.commit()
    for n in (1, jobs):
        problems = audit.verify_audit(core.uow(), key=core.log_key, jobs=n)
        assert problems == [], problems

    def sha256sum() -> object:
        return subprocess.run(["sha256sum", str(bodies)], check=True, capture_output=True)

    # why interleaved, best of each: the three lines see the same machine, load and cache
    times: dict[str, list[tuple[float, float]]] = {"sha": [], "one": [], "many": []}
    runs = {"sha": sha256sum, "one": lambda: audit.verify_audit(core.uow(), key=core.log_key),
            "many": lambda: audit.verify_audit(core.uow(), key=core.log_key, jobs=jobs)}
    for _ in range(repeats):
        for name, run in runs.items():
            times[name].append(_time_and_cpu(run))
    (sha, sha_cpu), (one, one_cpu), (many, many_cpu) = (min(times[name])
                                                        for name in ("sha", "one", "many"))
    size = bodies.stat().st_size
    core.close()
    return {"events": count, "bytes": size, "jobs": jobs, "idle_speedup": parallel_speedup(jobs),
            "sha256sum_s": sha,
            "verify_s": one, "verify_jobs_s": many, "sha256sum_events_per_s": count / sha,
            "verify_events_per_s": count / one, "verify_jobs_events_per_s": count / many,
            "ratio": sha / one, "ratio_jobs": sha / many,
            # why CPU seconds too: on a shared machine the wall clock says how busy it was;
            # the CPU each line spent says what it would take on idle cores
            "sha256sum_cpu_s": sha_cpu, "verify_cpu_s": one_cpu, "verify_jobs_cpu_s": many_cpu}


def bench_append(url: str, appends: int, repeats: int) -> dict[str, Any]:
    engine = build_engine(url)
    migrate.upgrade(engine)
    sample = [row for row, _, _ in _event_rows("partnership:prt_bare", appends)]
    state = {"run": 0}

    def bare() -> None:
        state["run"] += 1
        log = f"partnership:prt_bare{state['run']}"
        for row in sample:
            with engine.begin() as connection:
                connection.execute(insert(events).values({**row, "log": log}))

    def append() -> None:
        state["run"] += 1
        log = f"partnership:prt_append{state['run']}"
        for row in sample:
            with engine.begin() as connection:
                EventLog(connection).append(log=log, kind=row["kind"], actor=row["actor"],
                                            subject=row["subject"], data=json.loads(row["data"]),
                                            at=row["at"])

    append(), bare()  # warmup
    pairs = []
    for _ in range(repeats):  # why A B A B: the ratio of neighbours survives the machine's drift
        pairs.append((_time(append), _time(bare)))
    engine.dispose()
    a, b = min(p[0] for p in pairs), min(p[1] for p in pairs)
    return {"appends": appends, "append_s": a, "bare_insert_s": b,
            "append_us": a / appends * 1e6, "bare_insert_us": b / appends * 1e6,
            "ratio": statistics.median(p[0] / p[1] for p in pairs)}


def bench_proofs(url: str, leaves: int, repeats: int) -> dict[str, Any]:
    engine = build_engine(url)
    migrate.upgrade(engine)
    log = "partnership:prt_million"
    start = time.perf_counter()
    _fill_tree(engine, log, leaves)
    filled = time.perf_counter() - start
    indexes = [0, leaves // 3, leaves // 2 + 1, leaves - 1]

    def prove(index: int, size: int) -> list[bytes]:
        with engine.connect() as connection:
            repo = TransparencyLog(connection)
            ranges = merkle.inclusion_ranges(index, size)
            return merkle.hash_ranges(ranges, repo.nodes(log, merkle.needed_nodes(ranges)))

    def consistency(old: int, new: int) -> list[bytes]:
        with engine.connect() as connection:
            repo = TransparencyLog(connection)
            ranges = merkle.consistency_ranges(old, new)
            return merkle.hash_ranges(ranges, repo.nodes(log, merkle.needed_nodes(ranges)))

    with engine.connect() as connection:
        frontier = merkle.unpack(connection.execute(
            text("SELECT frontier FROM event_logs WHERE log = :log"), {"log": log}).scalar_one())
    root = merkle.frontier_root(frontier)
    with engine.connect() as connection:
        leaf_of = {i: connection.execute(text(
            "SELECT hash FROM log_nodes WHERE log = :log AND level = 0 AND idx = :i"),
            {"log": log, "i": i}).scalar_one() for i in indexes}
    for i in indexes:
        assert merkle.verify_inclusion(leaf_of[i], i, leaves, prove(i, leaves), root)
    inclusion = _best(lambda: [prove(i, leaves) for i in indexes], repeats) / len(indexes)
    old = leaves - 12_345
    proof = consistency(old, leaves)
    consistent = _best(lambda: consistency(old, leaves), repeats)
    engine.dispose()
    return {"leaves": leaves, "fill_s": filled, "inclusion_ms": inclusion * 1e3,
            "inclusion_hashes": len(prove(indexes[1], leaves)),
            "inclusion_bytes": 32 * len(prove(indexes[1], leaves)),
            "consistency_ms": consistent * 1e3, "consistency_hashes": len(proof)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--appends", type=int, default=500)
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--parts", default="abc", help="which of (a), (b), (c) to run")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="worker processes for (a)'s parallel line (default: the CPUs)")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    if args.quick:
        args.events, args.appends, args.leaves = 20_000, 300, 100_000
    figures: dict[str, Any] = {"python": platform.python_version()}
    say = (lambda line: None) if args.json else (lambda line: print(line, flush=True))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "a" in args.parts:
            v = figures["verify"] = bench_verify(folder / "verify", args.events, repeats, args.jobs)
            say(f"(a) {args.events:,} events, {v['bytes']:,} bytes of bodies: sha256sum "
                f"{v['sha256sum_s']:.3f} s ({v['sha256sum_events_per_s']:,.0f} events/s)   "
                f"audit verify --jobs 1 {v['verify_s']:.3f} s ({v['verify_events_per_s']:,.0f} "
                f"events/s, ratio {v['ratio']:.2f}x)   --jobs {v['jobs']} {v['verify_jobs_s']:.3f} s "
                f"({v['verify_jobs_events_per_s']:,.0f} events/s, ratio {v['ratio_jobs']:.2f}x)   "
                f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n"
                f"    CPU seconds: sha256sum {v['sha256sum_cpu_s']:.3f}, --jobs 1 "
                f"{v['verify_cpu_s']:.3f}, --jobs {v['jobs']} {v['verify_jobs_cpu_s']:.3f} "
                f"(all its processes); {v['jobs']} processes of bare hashing run "
                f"{v['idle_speedup']:.2f}x faster than 1 on this machine now")
        (folder / "append").mkdir()
        urls = [("append_sqlite", _sqlite_url(folder / "append"), None)]
        if "b" in args.parts and (pg := _postgres_url()) is not None:
            urls.append(("append_postgresql", pg[0], pg[1]))
        for name, url, drop in urls if "b" in args.parts else []:
            try:
                a = figures[name] = bench_append(url, args.appends, repeats)
            finally:
                if drop is not None:
                    drop()
            say(f"(b) {name:<17} append {a['append_us']:8.1f} us   bare INSERT "
                f"{a['bare_insert_us']:8.1f} us   ratio {a['ratio']:.2f}x (median of pairs)")
        (folder / "proofs").mkdir()
        if "c" in args.parts:
            p = figures["proofs_sqlite"] = bench_proofs(_sqlite_url(folder / "proofs"), args.leaves,
                                                        repeats)
            say(f"(c) {p['leaves']:,} leaves (SQLite): inclusion proof {p['inclusion_ms']:.2f} ms, "
                f"{p['inclusion_hashes']} hashes ({p['inclusion_bytes']} bytes); consistency proof "
                f"{p['consistency_ms']:.2f} ms, {p['consistency_hashes']} hashes")
    if args.json:
        print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
