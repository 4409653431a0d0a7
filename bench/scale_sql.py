"""The SQL each read of bench_scale.py issues, with each statement's time, in process.

    .venv/bin/python bench/scale_sql.py --disclosures 10000 [--read home] [--explain]

Runs the app in process (Starlette's TestClient) against the database bench_scale.py
generated (`sharebound_bench_<N>`), sends each read a few times to warm up, then once more
while an engine listener records every statement and its time; prints them, slowest first,
and with `--explain` the `EXPLAIN (ANALYZE, BUFFERS)` of the slowest (the parameters bound
as the driver bound them). For finding why a read is slow, not for timing it (bench_scale.py).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

ADMIN = os.environ.get("SHAREBOUND_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
ORGS = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--disclosures", type=int, default=10_000)
    parser.add_argument("--read", action="append", help="only these reads (a part of the name)")
    parser.add_argument("--explain", type=int, default=0, help="EXPLAIN the N slowest of each read")
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--all", action="store_true", help="every statement, in order")
    args = parser.parse_args()
    name = f"sharebound_bench_{args.disclosures}"
    url = ADMIN.rsplit("/", 1)[0] + "/" + name
    data = Path(tempfile.gettempdir()) / f"{name}-data"
    os.environ.update({"SHAREBOUND_DATA_DIR": str(data),
                       "SHAREBOUND_DATABASE_URL": url.replace("postgresql://", "postgresql+psycopg://")})
    world = json.loads((data / "world.json").read_text())
    from sqlalchemy import event, text
    from starlette.testclient import TestClient

    from sharebound.config import Settings
    from sharebound.web.app import create_app
    app = create_app(Settings())
    engine = app.state.core.engine
    seen: list[tuple[float, str, Any]] = []
    recording = [False]

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        conn.info["sb_began"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if recording[0]:
            seen.append(((time.perf_counter() - conn.info["sb_began"]) * 1000, statement, parameters))

    pair = world["pairs"][0]
    received_one = "dis_" + f"{ORGS:032x}"
    api = {"Authorization": f"Bearer {world['token']}"}
    reader = {"Authorization": f"Bearer {world['reader']}"}
    reads = {
        "register page (partnership)": (f"/partnerships/{pair['partnership']}", {}, True),
        "home": ("/", {}, True),
        "disclosures given (API)": ("/api/v1/disclosures?direction=given", api, False),
        "disclosures received (API)": ("/api/v1/disclosures?direction=received", api, False),
        "one disclosure (API, recipient)": (f"/api/v1/disclosures/{received_one}", reader, False),
        "events (API)": (f"/api/v1/partnerships/{pair['partnership']}/events", api, False),
        "search (API, recipient)": ("/api/v1/search?q=body", reader, False),
    }
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for read, (path, headers, session) in reads.items():
            if args.read and not any(part in read for part in args.read):
                continue
            client.cookies.clear()
            if session:
                client.cookies.set("sb_session", world["session"])
            for _ in range(args.warm):
                client.get(path, headers=headers)
            seen.clear()
            recording[0] = True
            began = time.perf_counter()
            answer = client.get(path, headers=headers)
            spent = (time.perf_counter() - began) * 1000
            recording[0] = False
            total = sum(s[0] for s in seen)
            print(f"\n=== {read}: {answer.status_code}, {spent:.1f} ms, {len(seen)} statements, "
                  f"{total:.1f} ms in SQL")
            for ms, statement, _ in (seen if args.all else sorted(seen, key=lambda s: -s[0])[:8]):
                print(f"  {ms:7.2f} ms  {' '.join(statement.split())[:300]}")
            for ms, statement, parameters in sorted(seen, key=lambda s: -s[0])[:args.explain]:
                print(f"\n--- EXPLAIN ({ms:.2f} ms): {' '.join(statement.split())[:200]}")
                with engine.connect() as conn:
                    raw = conn.connection.dbapi_connection
                    assert raw is not None
                    with raw.cursor() as cur:
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                        for (line,) in cur.fetchall():
                            print("   ", line)
                    conn.rollback()
    _ = text


if __name__ == "__main__":
    main()
