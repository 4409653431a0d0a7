"""Exporting 100,000 register rows as CSV and as PDF, side by side with PostgreSQL's own
`COPY (SELECT the same columns) TO STDOUT (FORMAT csv)`, in one run.

    SHAREBOUND_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/test \\
        .venv/bin/python bench/bench_export.py [--rows 100000] [--quick] [--memory] [--json]

In a database of its own (created, migrated, dropped) it builds the usual world through the
use cases (acme and globex, a signed NDA), makes one disclosure through the use case, then
loads --rows register rows (disclosures and their recipients) with COPY. Then, each timed
with time.perf_counter, the best of --repeat runs: our CSV export (`start_export` and every
chunk of `chunks()`, as the API streams it: keyset batches of 1,000), our PDF export, and
COPY of the same columns (the recipients aggregated with string_agg, as our CSV joins them),
read to the end through psycopg. rows/s is --rows over the time; the ratios are ours ÷ COPY's
time. --memory adds the peak Python memory (tracemalloc: Python's allocations, not qpdf's) of
the PDF writer on --memory-rows rows, after a warm-up: ours (slices of 2,000 rows joined by
pikepdf) and one fpdf2 document for them all.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
import tracemalloc
import uuid
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from sqlalchemy import create_engine, make_url, text  # noqa: E402
from tests.integration.world import build_world  # noqa: E402

from sharebound.adapters.db import migrate  # noqa: E402
from sharebound.adapters.export_pdf import PdfTable, TitlePage, write_pdf  # noqa: E402
from sharebound.bootstrap import App, build  # noqa: E402
from sharebound.config import Settings  # noqa: E402
from sharebound.domain.exports import ExportKind, parse_ask  # noqa: E402
from sharebound.services import disclosures, exports  # noqa: E402
from sharebound.services.disclosures import DisclosureDraft  # noqa: E402

COPY_SQL = """
COPY (SELECT d.id, d.created_at, d.discloser, p.email,
             (SELECT string_agg(r.email, '; ' ORDER BY r.email) FROM disclosure_recipients dr
                JOIN people r ON r.id = dr.person_id WHERE dr.disclosure_id = d.id),
             (SELECT string_agg(DISTINCT r.org, '; ') FROM disclosure_recipients dr
                JOIN people r ON r.id = dr.person_id WHERE dr.disclosure_id = d.id),
             d.item_id, d.item_version, d.item_title, d.item_sha256, d.item_classification,
             d.item_topics, d.actions, d.expires_at, d.revoked_at, d.partnership_id,
             d.agreement_id, d.agreement_version, d.agreement_digest
      FROM disclosures d JOIN people p ON p.id = d.disclosed_by
      WHERE d.agreement_id = %s ORDER BY d.created_at, d.id) TO STDOUT (FORMAT csv)
"""


def _load(app: App, first_id: str, rows: int) -> None:
    """`rows` disclosures like the first one, with COPY (and their recipients)."""
    columns = ("id", "partnership_id", "item_id", "item_version", "item_sha256", "discloser",
               "disclosed_by", "agreement_id", "agreement_version", "agreement_digest", "actions",
               "note", "created_at", "expires_at", "item_title", "item_classification", "item_topics")
    raw = app.engine.raw_connection()
    try:
        connection: Any = raw.driver_connection
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(columns)} FROM disclosures WHERE id = %s", (first_id,))
            first = dict(zip(columns, cursor.fetchone(), strict=True))
            cursor.execute("SELECT person_id, org FROM disclosure_recipients WHERE disclosure_id = %s",
                           (first_id,))
            recipient, recipient_org = cursor.fetchone()
            ids = [f"dis_{uuid.uuid4().hex}" for _ in range(rows)]
            with cursor.copy(f"COPY disclosures ({', '.join(columns)}) FROM STDIN") as copy:
                for n, new in enumerate(ids):
                    copy.write_row([new, *(first[c] for c in columns[1:12]),
                                    first["created_at"] - timedelta(seconds=rows - n),
                                    first["expires_at"], f"Register row {n:06d}",
                                    first["item_classification"], first["item_topics"]])
            with cursor.copy("COPY disclosure_recipients (disclosure_id, person_id, org, partnership_id, "
                             "created_at, expires_at) FROM STDIN") as copy:
                for n, new in enumerate(ids):
                    copy.write_row([new, recipient, recipient_org, first["partnership_id"],
                                    first["created_at"] - timedelta(seconds=rows - n), first["expires_at"]])
        connection.commit()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE disclosures")
            cursor.execute("ANALYZE disclosure_recipients")
        connection.commit()
    finally:
        raw.close()


def _ours(app: App, actor_id: str, agreement_id: str, fmt: str) -> tuple[int, int]:
    ask = parse_ask(ExportKind.REGISTER, {"format": fmt}, agreement_id=agreement_id)
    export = exports.start_export(app.uow(), actor_id, ask)
    size = sum(len(chunk) for chunk in export.chunks())
    return export.rows, size


def _copy(app: App, agreement_id: str) -> int:
    raw = app.engine.raw_connection()
    try:
        connection: Any = raw.driver_connection
        size = 0
        with connection.cursor() as cursor, cursor.copy(COPY_SQL, (agreement_id,)) as copy:
            for block in copy:
                size += len(block)
        connection.rollback()
        return size
    finally:
        raw.close()


def _timed(run: Any, repeat: int) -> tuple[float, Any]:
    best, answer = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        answer = run()
        best = min(best, time.perf_counter() - started)
    return best, answer


def _pdf_memory(rows: int) -> dict[str, float]:
    """Peak Python memory (MB) writing `rows` rows: our slices, and one fpdf2 document."""
    columns = ("disclosed_at", "direction", "disclosure_id", "item_title", "classification", "topics",
               "disclosed_by", "recipients", "state", "agreement_version")

    def table() -> PdfTable:
        return PdfTable(columns, ([f"2026-12-07 09:{n % 60:02d}:00Z", "given", f"dis_{n:032x}",
                                   f"Register row {n:06d}", "confidential", "thermal",
                                   "mia@acme.example", "gina@globex.example", "active", "1"]
                                  for n in range(rows)))

    write_pdf(TitlePage("Warm-up", ["x"]), PdfTable(columns, [[""] * len(columns)]), io.BytesIO())
    found = {}  # why the warm-up: the fonts are read once per process (~18 MB), not per export
    for label, slice_rows in (("sliced", None), ("one document", rows + 1)):
        import sharebound.adapters.export_pdf as pdf_module

        saved = pdf_module.SLICE_ROWS
        if slice_rows is not None:
            pdf_module.SLICE_ROWS = slice_rows
        tracemalloc.start()
        try:
            write_pdf(TitlePage("Memory", ["x"]), table(), io.BytesIO())
            found[label] = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()
            pdf_module.SLICE_ROWS = saved
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1, help="best of this many runs of each line")
    parser.add_argument("--quick", action="store_true", help="10,000 rows: a smoke run")
    parser.add_argument("--memory", action="store_true", help="also the PDF writer's peak memory")
    parser.add_argument("--memory-rows", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = 10_000 if args.quick else args.rows
    url = os.environ.get("SHAREBOUND_BENCH_POSTGRES_URL") or os.environ.get("SHAREBOUND_TEST_POSTGRES_URL")
    if not url:
        sys.exit("set SHAREBOUND_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)")
    admin_url = make_url(url).set(drivername="postgresql+psycopg")
    name = f"sharebound_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        with TemporaryDirectory() as folder:
            database = admin_url.set(database=name).render_as_string(hide_password=False)
            app = build(Settings(data_dir=Path(folder), database_url=database))
            migrate.upgrade(app.engine)
            app.keys.ensure()
            world = build_world(app)
            agreement = world.signed()
            first = disclosures.disclose(app.uow(), world.mia.id, DisclosureDraft(
                item_id=world.note(), agreement_id=agreement.id, recipients=["gina@globex.example"],
                actions=["view"]))
            load_time, _ = _timed(lambda: _load(app, first.id, rows - 1), 1)
            copy_time, copy_size = _timed(lambda: _copy(app, agreement.id), args.repeat)
            csv_time, (csv_rows, csv_size) = _timed(
                lambda: _ours(app, world.alice.id, agreement.id, "csv"), args.repeat)
            pdf_time, (pdf_rows, pdf_size) = _timed(
                lambda: _ours(app, world.alice.id, agreement.id, "pdf"), args.repeat)
            app.close()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    assert csv_rows == pdf_rows == rows, (csv_rows, pdf_rows, rows)
    figures: dict[str, Any] = {
        "rows": rows, "load_seconds": round(load_time, 2),
        "lines": {
            "postgres COPY csv": {"seconds": copy_time, "rows_per_s": rows / copy_time,
                                  "mb": copy_size / 1e6},
            "sharebound csv": {"seconds": csv_time, "rows_per_s": rows / csv_time, "mb": csv_size / 1e6},
            "sharebound pdf": {"seconds": pdf_time, "rows_per_s": rows / pdf_time, "mb": pdf_size / 1e6},
        },
        "ratios (time / COPY's)": {"csv": csv_time / copy_time, "pdf": pdf_time / copy_time},
    }
    if args.memory:
        figures["pdf peak MB"] = {"rows": args.memory_rows, **_pdf_memory(args.memory_rows)}
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{rows:,} register rows on PostgreSQL (loaded with COPY in {load_time:.1f} s)")
    print(f"{'line':<20}{'seconds':>10}{'rows/s':>12}{'MB':>9}{'/ COPY':>9}")
    for line, f in figures["lines"].items():
        print(f"{line:<20}{f['seconds']:>10.2f}{f['rows_per_s']:>12,.0f}{f['mb']:>9.1f}"
              f"{f['seconds'] / copy_time:>9.1f}")
    if args.memory:
        m = figures["pdf peak MB"]
        print(f"PDF writer, peak Python memory for {m['rows']:,} rows: sliced {m['sliced']:.1f} MB, "
              f"one fpdf2 document {m['one document']:.1f} MB")


if __name__ == "__main__":
    main()
