"""Speed of search: a query over an org's library of N notes, side by side with reading the
library list itself (`list_items`, the same org, the same run), and what indexing adds to
adding a note (the same `add_item` with the index's writing left out).

    .venv/bin/python bench/bench_search.py [--notes 2000] [--words 300] [--quick] [--json]
    SHAREBOUND_BENCH_POSTGRES=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/bench_search.py --postgres      # the same on PostgreSQL

In process, through the use cases, on a fresh SQLite database in a temporary folder (or a
fresh PostgreSQL database `sharebound_bench_search`, dropped at the end). Each note is
`--words` words drawn from a 5,000-word vocabulary (Zipf-like: a few words are in almost every
note), so "common" matches most notes, "rare" a handful, and the phrase a few. Every figure is
the median of `--repeat` calls after 3 warm-up calls. Read the ratios: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from sqlalchemy import create_engine, make_url, text  # noqa: E402

from sharebound import bootstrap  # noqa: E402
from sharebound.config import Settings  # noqa: E402
from sharebound.domain.limits import PAGE_MAX  # noqa: E402
from sharebound.domain.paging import PageRequest  # noqa: E402
from sharebound.services import items, orgs, search  # noqa: E402

PG_NAME = "sharebound_bench_search"


def _vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) + str(n) for n in range(size)]


def _median_ms(call: Callable[[], Any], repeat: int) -> float:
    for _ in range(3):
        call()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(database_url: str | None, notes: int, words: int, repeat: int) -> dict[str, float]:
    rng = random.Random(17)
    vocabulary = _vocabulary(rng)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), **({"database_url": database_url} if database_url else {}))
        core = bootstrap.init(settings)
        _, admin = orgs.create_org(core.uow(), handle="acme", name="Acme", admin_name="Ada",
                                   admin_email="ada@acme.example", admin_password="a long passphrase")
        bodies = [" ".join(rng.choices(vocabulary, weights, k=words)) for _ in range(notes)]
        added = []
        for n, body in enumerate(bodies):
            started = time.perf_counter()
            items.add_item(core.uow(), admin.id, title=f"Note {n}", classification="internal",
                           topics=["bench"], content=body.encode())
            added.append((time.perf_counter() - started) * 1000)
        # the reference for adding: the same use case with the index's writing left out
        index_item_in = search.index_item_in
        search.index_item_in = lambda uow, item: None  # type: ignore[assignment]
        bare = []
        try:
            for n, body in enumerate(bodies[:min(200, notes)]):
                started = time.perf_counter()
                items.add_item(core.uow(), admin.id, title=f"Extra {n}", classification="internal",
                               topics=["bench"], content=(body + " extra").encode())
                bare.append((time.perf_counter() - started) * 1000)
        finally:
            search.index_item_in = index_item_in  # type: ignore[assignment]
        common, rare = vocabulary[0], vocabulary[-1]
        phrase = '"' + " ".join(bodies[0].split()[10:13]) + '"'
        counted = {q: len(search.search(core.uow(), admin.id, q, PageRequest(limit=PAGE_MAX)).page.rows)
                   for q in (common, rare, phrase)}
        hits = {q: f"{n}+" if n == PAGE_MAX else str(n) for q, n in counted.items()}
        figures = {
            "add a note, indexed (ms)": statistics.median(added),
            "add a note, index left out (ms)": statistics.median(bare),
            "list the library (ms, reference)": _median_ms(
                lambda: items.list_items(core.uow(), admin.id), repeat),
            f"search a common word, first 50 of {hits[common]} (ms)": _median_ms(
                lambda: search.search(core.uow(), admin.id, common), repeat),
            f"search a rare word, {hits[rare]} hits (ms)": _median_ms(
                lambda: search.search(core.uow(), admin.id, rare), repeat),
            f"search a phrase, {hits[phrase]} hits (ms)": _median_ms(
                lambda: search.search(core.uow(), admin.id, phrase), repeat),
        }
        core.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--words", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="300 notes, 5 repeats")
    parser.add_argument("--postgres", action="store_true", help="on SHAREBOUND_BENCH_POSTGRES")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    notes, repeat = (300, 5) if args.quick else (args.notes, args.repeat)
    url = None
    if args.postgres:
        admin_url = make_url(os.environ.get("SHAREBOUND_BENCH_POSTGRES",
                                            "postgresql://postgres@127.0.0.1:5432/postgres"))
        admin_url = admin_url.set(drivername="postgresql+psycopg")
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{PG_NAME}"'))
        url = admin_url.set(database=PG_NAME).render_as_string(hide_password=False)
    try:
        figures = run(url, notes, args.words, repeat)
    finally:
        if args.postgres:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"{'postgresql' if args.postgres else 'sqlite'}: {notes} notes of {args.words} words")
    for name, value in figures.items():
        print(f"  {name:<48} {value:8.2f}")


if __name__ == "__main__":
    main()
