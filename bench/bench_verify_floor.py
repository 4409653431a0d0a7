"""How fast any pure-Python verifier of our log could be, against `sha256sum` over the same bytes.

    .venv/bin/python bench/bench_verify_floor.py [--entries 100000] [--n 5] [--json]

Issue 16 asks `audit verify` and the standalone verifier for ≥ 0.5x `sha256sum`. This bench
measures the floor beneath both, with no checking at all, on N event bodies of the log's real
shape (bench_verifier.py's entries), best of --n, one run:

- `sha256sum` over the N bodies in one file: the reference;
- `4 SHA-256 per entry`: a bare CPython loop making exactly the four hashlib calls that checking
  one entry needs (the chain hash, the salted body hash, the leaf hash, one tree node on
  average), over bodies already in memory: no parsing, no JSON, no comparisons;
- `read rows (sqlite3)`: fetching the N stored rows (the columns `audit verify` reads) through
  Python's sqlite3 in batches of 5,000, doing nothing with them: the server's floor;
- `json.loads pages`: decoding the same N entries as `GET …/log/entries` serves them (a leaf and
  an opening each, 1,000 to a page, as bench_verifier.py writes them) with the standard
  library's json, doing nothing with them: the standalone verifier's floor. Its ratio is over
  sha256sum of those pages' bytes.

Each ratio is sha256sum's time over the line's. If a line alone is under 0.5, no verifier
that does at least that line's work in CPython can meet the goal.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "verifier" / "src"), str(ROOT)]

from bench.bench_verifier import _entry, build  # noqa: E402

from sharebound_verify.leaves import canonical_json  # noqa: E402


def best(n: int, run: Callable[[], object]) -> float:
    run()  # warmup
    times = []
    for _ in range(n):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--n", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    bodies = [canonical_json(_entry(i)[0]) for i in range(args.entries)]
    salt = os.urandom(16)
    sha = hashlib.sha256
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bodies.bin"
        path.write_bytes(b"".join(bodies))
        db = sqlite3.connect(Path(folder) / "rows.db")
        db.execute("CREATE TABLE events (log TEXT, seq INTEGER, at TEXT, kind TEXT, actor TEXT, "
                   "subject TEXT, data TEXT, prev_hash TEXT, hash TEXT, salt BLOB, leaf BLOB, "
                   "PRIMARY KEY (log, seq))")
        db.executemany("INSERT INTO events VALUES ('p', ?, '2026-12-07 09:14:00.123456', "
                       "'disclosure_made', 'per_4kq2w8', ?, ?, ?, ?, ?, ?)",
                       ((i + 1, f"dsc_{i:08d}", b.decode(), "0" * 64, "1" * 64, salt, b"\0" * 32)
                        for i, b in enumerate(bodies)))
        db.commit()
        pages_path = Path(folder) / "pages.jsonl"
        pages, _ = build(pages_path, args.entries)

        def sha256sum_pages() -> None:
            subprocess.run(["sha256sum", str(pages_path)], check=True, stdout=subprocess.DEVNULL)

        def decode_pages() -> None:
            for page in pages:
                json.loads(page)

        def sha256sum() -> None:
            subprocess.run(["sha256sum", str(path)], check=True, stdout=subprocess.DEVNULL)

        def four_hashes() -> None:
            prev = b"0" * 64
            for body in bodies:
                prev = sha(prev + body).hexdigest().encode()
                leaf = sha(b"\x00" + sha(salt + body).hexdigest().encode()).digest()
                sha(b"\x01" + leaf + leaf).digest()

        def read_rows() -> None:
            cursor = db.execute("SELECT seq, at, kind, actor, subject, data, prev_hash, hash, salt, "
                                "leaf FROM events WHERE log = 'p' ORDER BY seq")
            while cursor.fetchmany(5000):
                pass

        figures = {"entries": args.entries, "bytes": path.stat().st_size,
                   "sha256sum_s": best(args.n, sha256sum), "four_hashes_s": best(args.n, four_hashes),
                   "read_rows_s": best(args.n, read_rows), "pages_bytes": pages_path.stat().st_size,
                   "sha256sum_pages_s": best(args.n, sha256sum_pages),
                   "decode_pages_s": best(args.n, decode_pages)}
        db.close()
    figures["four_hashes_ratio"] = figures["sha256sum_s"] / figures["four_hashes_s"]
    figures["read_rows_ratio"] = figures["sha256sum_s"] / figures["read_rows_s"]
    figures["decode_pages_ratio"] = figures["sha256sum_pages_s"] / figures["decode_pages_s"]
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{args.entries:,} entries, {figures['bytes']:,} bytes")
    for label, key in (("sha256sum", "sha256sum_s"), ("4 SHA-256 per entry", "four_hashes_s"),
                       ("read rows (sqlite3)", "read_rows_s"),
                       (f"sha256sum of pages ({figures['pages_bytes']:,} bytes)", "sha256sum_pages_s"),
                       ("json.loads pages", "decode_pages_s")):
        print(f"{label:<36}{figures[key] * 1000:>10.1f} ms")
    print(f"ratio sha256sum/4 SHA-256 per entry: {figures['four_hashes_ratio']:.3f}   "
          f"sha256sum/read rows: {figures['read_rows_ratio']:.3f}   "
          f"sha256sum/json.loads pages: {figures['decode_pages_ratio']:.3f}   (the goal: >= 0.5)")


if __name__ == "__main__":
    main()
