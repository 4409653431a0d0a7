"""Scale: do the lists and pages cost what one page costs, at 10,000 and 1,000,000 disclosures?

Generates on PostgreSQL (127.0.0.1) 100 orgs of 3 people each, 100 partnerships (org i with
org i+1, in a ring), each with a mutual NDA both sides signed, 3 notes per org (all through
the real use cases), then N disclosures with their recipients and 10 x N access records with
COPY (psycopg's `cursor.copy()`): the rows the pages read obey the real invariants (each
disclosure under its partnership's agreement in force, by a party, of an item it owns, to
people of the other party, made after the signatures, expiring within the schedule's 90 days;
each access by a recipient, after the disclosure). Audit events are not generated: reads
never need them. Then it starts `sharebound serve` (uvicorn on 127.0.0.1) against it and
times, over HTTP, `--requests` sequential requests of each read (after 10 to warm up), as the
admin of an org that gave and received N/100 disclosures each way.

    .venv/bin/python bench/bench_scale.py --quick                 # 10,000 disclosures
    .venv/bin/python bench/bench_scale.py                         # 1,000,000 (and 10 M accesses)
    .venv/bin/python bench/bench_scale.py --quick --reuse         # measure an existing database

The database is `sharebound_bench_<N>` on SHAREBOUND_BENCH_POSTGRES (default
postgresql://postgres@127.0.0.1:5432/postgres); `--reuse` keeps one already generated.
Loopback only; bounded in count (at most 1000 requests per read) and time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
import psycopg

HOST = "127.0.0.1"  # why: loopback only, never any other address
ADMIN = os.environ.get("SHAREBOUND_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
ORGS = 100
PASSWORD = "bench-scale-password"
ACCESSES_PER_DISCLOSURE = 10
MAX_REQUESTS = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--disclosures", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="10,000 disclosures")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per read")
    parser.add_argument("--reuse", action="store_true", help="measure the database already generated")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    count = 10_000 if args.quick else args.disclosures
    requests = min(args.requests, MAX_REQUESTS)
    name = f"sharebound_bench_{count}"
    url = ADMIN.rsplit("/", 1)[0] + "/" + name
    data = Path(tempfile.gettempdir()) / f"{name}-data"  # its blobs and key, kept for --reuse
    env = {**os.environ, "SHAREBOUND_DATA_DIR": str(data),
           "SHAREBOUND_DATABASE_URL": url.replace("postgresql://", "postgresql+psycopg://")}
    keep = data / "world.json"  # what the generation made: ids, tokens
    if not (args.reuse and keep.exists()):
        started = time.perf_counter()
        world = generate(name, url, env, data, count)
        keep.write_text(json.dumps(world))
        print(f"generated {count:,} disclosures in {time.perf_counter() - started:.0f} s", flush=True)
    world = json.loads(keep.read_text())
    _index_disclosures(url)
    if args.generate_only:
        return
    figures = measure(env, world, requests)
    print(f"\n{count:,} disclosures, {count * ACCESSES_PER_DISCLOSURE:,} access records, "
          f"{requests} requests each (ms)")
    print("| read | p50 | p95 | response |\n|---|---:|---:|---:|")
    for read, (p50, p95, size) in figures.items():
        print(f"| {read} | {p50:.1f} | {p95:.1f} | {size} |")
    if args.json:
        args.json.write_text(json.dumps({"disclosures": count, "figures": figures}, indent=1))


def generate(name: str, url: str, env: dict[str, str], data: Path, count: int) -> dict[str, Any]:
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    shutil.rmtree(data, ignore_errors=True)
    os.environ.update(env)  # the app reads its settings from the environment
    from sharebound import bootstrap
    from sharebound.adapters.passwords import Argon2Passwords
    from sharebound.config import Settings
    # why cheap hashes: 300 people and 200 signatures; the server verifies them all the same
    # (the parameters travel in each hash), and it only reads the tokens made here
    core = replace(bootstrap.init(Settings()), passwords=Argon2Passwords.cheap())
    try:
        world = _through_use_cases(core)
    finally:
        core.close()
    with psycopg.connect(url) as db:
        _copy_rows(db, world, count)
        db.commit()
    _count_days(env["SHAREBOUND_DATABASE_URL"])
    _index_disclosures(url)
    return world


def _count_days(url: str) -> None:
    """The copied disclosures counted by day (`disclosure_days`, which the use cases keep as
    they disclose): the upgrade's own count (migration 0035), the table being empty here."""
    from importlib import import_module

    from sqlalchemy import create_engine
    started = time.perf_counter()
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            import_module("sharebound.adapters.db.migrations.versions.0035_disclosure_days").backfill(connection)
    finally:
        engine.dispose()
    print(f"  disclosure days: {time.perf_counter() - started:.0f} s", flush=True)


def _index_disclosures(url: str) -> None:
    """The search documents of the copied disclosures, in one statement, as the use case
    would write them: the discloser's note's own document (the same org's keyed terms, the
    title and topics the recipients were told), no text kept, its recipients as its readers
    and the disclosure's access terms beside it (migration 0037). Without them `serve` (its
    `init`) would index each one in a transaction of its own: hours at a million. Then
    VACUUM (ANALYZE), as autovacuum leaves a table in use. The database is migrated first
    (`--reuse` of one generated before the newest migration; `serve` would do it anyway)."""
    _migrate(url)
    started = time.perf_counter()
    with psycopg.connect(url) as db:
        made = db.execute(
            "INSERT INTO search_documents (key, org, item_id, disclosure_id, version, title_terms, "
            "topics_terms, body_terms, body, indexed_at, readers, agreement_id, actions, disclosed_at, "
            "expires_at, revoked_at) "
            "SELECT d.id, d.discloser, d.item_id, d.id, d.item_version, s.title_terms, s.topics_terms, "
            "s.body_terms, '', d.created_at, r.readers, d.agreement_id, d.actions, d.created_at, "
            "d.expires_at, d.revoked_at FROM disclosures d "
            "JOIN search_documents s ON s.key = d.item_id AND s.disclosure_id IS NULL "
            "JOIN (SELECT disclosure_id, string_agg(person_id, ' ' ORDER BY person_id) AS readers "
            "      FROM disclosure_recipients GROUP BY disclosure_id) r ON r.disclosure_id = d.id "
            "WHERE NOT EXISTS (SELECT 1 FROM search_documents x WHERE x.key = d.id)").rowcount
        db.commit()
    if made:
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("VACUUM (ANALYZE)")
        print(f"  search documents: {made:,} in {time.perf_counter() - started:.0f} s", flush=True)


def _migrate(url: str) -> None:
    from sqlalchemy import create_engine

    from sharebound.adapters.db import migrate
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        migrate.upgrade(engine)
    finally:
        engine.dispose()


def _through_use_cases(core: Any) -> dict[str, Any]:
    """Orgs, people, partnerships, signed NDAs and notes, made as a user would make them."""
    from sharebound.domain.esign import CURRENT_STATEMENT
    from sharebound.services import agreements, auth, esign, items, orgs, partnerships
    uow = core.uow
    handles = [f"org{i:03d}" for i in range(ORGS)]
    people: dict[str, dict[str, str]] = {}
    for handle in handles:
        profile = {"legal_name": f"Org {handle}, Inc.", "address": "1 Main Street\nWilmington, DE 19801",
                   "notice_name": f"Admin {handle}", "notice_email": f"legal@{handle}.example"}
        _, admin = orgs.create_org(uow(), handle=handle, name=f"Org {handle}", admin_name=f"Admin {handle}",
                                   admin_email=f"admin@{handle}.example", admin_password=PASSWORD,
                                   profile=profile)
        m1 = orgs.add_person(uow(), admin.id, org=handle, name=f"Mo {handle}", email=f"mo@{handle}.example",
                             roles=["member"], password=PASSWORD)
        m2 = orgs.add_person(uow(), admin.id, org=handle, name=f"Li {handle}", email=f"li@{handle}.example",
                             roles=["member"], password=PASSWORD)
        esign.give_consent(uow(), admin.id, statement_sha256=CURRENT_STATEMENT.sha256)
        people[handle] = {"admin": admin.id, "m1": m1.id, "m2": m2.id}
    today = core.clock().date()
    pairs = []
    for i, handle in enumerate(handles):
        other = handles[(i + 1) % ORGS]
        made = partnerships.propose_partnership(uow(), people[handle]["admin"], name=f"{handle} and {other}",
                                                purpose="new_product", invite=[other])
        partnerships.accept_partnership(uow(), people[other]["admin"], made.id)
        nda = agreements.draft_agreement(uow(), people[handle]["admin"], made.id,
                                         _terms([handle, other], today))
        for org in (handle, other):
            agreements.sign_agreement(uow(), people[org]["admin"], nda.id, digest=nda.current.digest,
                                      title="Counsel", password=PASSWORD)
        pairs.append({"partnership": made.id, "agreement": nda.id, "digest": nda.current.digest,
                      "orgs": [handle, other]})
    notes: dict[str, list[dict[str, Any]]] = {}
    for handle in handles:
        notes[handle] = []
        for n, (level, topic) in enumerate((("internal", "design"), ("confidential", "thermal"),
                                            ("public", "marketing"))):
            item = items.add_item(uow(), people[handle]["admin"], title=f"Note {n} of {handle}",
                                  classification=level, topics=[topic],
                                  content=f"Body {n} of {handle}".encode())
            notes[handle].append({"id": item.id, "sha256": item.versions[0].sha256, "title": item.title,
                                  "classification": level, "topics": json.dumps([topic])})
    first = handles[0]
    token = auth.issue_token(uow(), email=f"admin@{first}.example", password=PASSWORD, address=HOST).token
    reader = auth.issue_token(uow(), email=f"mo@{first}.example", password=PASSWORD, address=HOST).token
    session = auth.start_session(uow(), email=f"admin@{first}.example", password=PASSWORD,
                                 address=HOST).cookie
    signed_at = core.clock()
    return {"people": people, "pairs": pairs, "notes": notes, "token": token, "reader": reader,
            "session": session, "signed_at": signed_at.isoformat()}


def _terms(parties: list[str], today: Any) -> dict[str, Any]:
    return {"kind": "mutual", "parties": parties, "disclosing_parties": [],
            "purpose": "Evaluate a joint product", "effective_date": today.isoformat(),
            "term_end": (today + timedelta(days=365)).isoformat(), "confidentiality_years": 3,
            "governing_law": "Delaware", "courts": "New Castle County, Delaware", "modifications": "",
            "schedule": {"ceiling": "confidential", "recipients": {"mode": "all_members"},
                         "actions": ["view", "download"], "max_access_days": 90}}


def _copy_rows(db: psycopg.Connection[Any], world: dict[str, Any], count: int) -> None:
    """N disclosures, their recipients and 10 x N access records, spread evenly in time
    between the last signature and now, partnership after partnership, each way in turn."""
    start = datetime.fromisoformat(world["signed_at"]) + timedelta(seconds=1)
    span = datetime.now(UTC) - timedelta(seconds=1) - start
    step = span / (count + 1)
    people, pairs, notes = world["people"], world["pairs"], world["notes"]
    started = time.perf_counter()
    with db.cursor() as cur:
        with cur.copy("COPY disclosures (id, partnership_id, item_id, item_version, item_sha256, discloser, "
                      "disclosed_by, agreement_id, agreement_version, agreement_digest, actions, note, "
                      "created_at, expires_at, item_title, item_classification, item_topics) "
                      "FROM STDIN") as copy:
            for _, d in _disclosures(count, start, step, people, pairs, notes):
                copy.write_row((d["id"], d["partnership"], d["item"]["id"], 1, d["item"]["sha256"], d["from"],
                                people[d["from"]]["admin"], d["agreement"], 1, d["digest"],
                                "download,view", "",
                                d["at"], d["at"] + timedelta(days=90), d["item"]["title"],
                                d["item"]["classification"], d["item"]["topics"]))
        print(f"  disclosures: {time.perf_counter() - started:.0f} s", flush=True)
        with cur.copy("COPY disclosure_recipients (disclosure_id, person_id, org, partnership_id, "
                      "created_at, expires_at) FROM STDIN") as copy:
            for _, d in _disclosures(count, start, step, people, pairs, notes):
                for person in d["to"]:
                    copy.write_row((d["id"], person, d["to_org"], d["partnership"], d["at"],
                                    d["at"] + timedelta(days=90)))
        print(f"  recipients: {time.perf_counter() - started:.0f} s", flush=True)
        with cur.copy("COPY access_records (id, disclosure_id, person_id, action, at) FROM STDIN") as copy:
            for k, d in _disclosures(count, start, step, people, pairs, notes):
                for j in range(ACCESSES_PER_DISCLOSURE):
                    copy.write_row((f"acc_{k * ACCESSES_PER_DISCLOSURE + j:032x}", d["id"], d["to"][0],
                                    "view" if j % 3 else "download", d["at"] + step * (j + 1) / 20))
        print(f"  access records: {time.perf_counter() - started:.0f} s", flush=True)


def _disclosures(count: int, start: datetime, step: timedelta, people: dict[str, dict[str, str]],
                 pairs: list[dict[str, Any]], notes: dict[str, list[dict[str, Any]]]
                 ) -> Iterator[tuple[int, dict[str, Any]]]:
    for k in range(count):
        pair = pairs[k % ORGS]
        given = (k // ORGS) % 2
        discloser, receiver = pair["orgs"][given], pair["orgs"][1 - given]
        to = [people[receiver]["m1"]] + ([people[receiver]["m2"]] if k % 3 == 0 else [])
        yield k, {"id": f"dis_{k:032x}", "partnership": pair["partnership"], "agreement": pair["agreement"],
                  "digest": pair["digest"], "from": discloser, "to_org": receiver, "to": to,
                  "item": notes[discloser][k % 3], "at": start + step * (k + 1)}


def measure(env: dict[str, str], world: dict[str, Any], requests: int) -> dict[str, tuple[float, float, str]]:
    port = _free_port()
    command = [sys.executable, "-m", "sharebound", "serve", "--host", HOST, "--port", str(port)]
    # why a file, not a pipe: the server logs a line per request, and a pipe nobody reads
    # fills after a few hundred of them and stops the server mid-answer
    log = Path(env["SHAREBOUND_DATA_DIR"]) / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=out)
    base = f"http://{HOST}:{port}"
    try:
        _wait_until_up(base, server, log)
        first_pair = world["pairs"][0]
        received_one = "dis_" + f"{ORGS:032x}"  # k = 100: org001 disclosed it to org000's m1
        api = {"Authorization": f"Bearer {world['token']}"}
        reads: dict[str, tuple[str, dict[str, str], dict[str, str]]] = {
            "register page (partnership)": (f"/partnerships/{first_pair['partnership']}", {},
                                            {"sb_session": world["session"]}),
            "home": ("/", {}, {"sb_session": world["session"]}),
            "disclosures given (API)": ("/api/v1/disclosures?direction=given", api, {}),
            "disclosures received (API)": ("/api/v1/disclosures?direction=received", api, {}),
            "one disclosure (API, recipient)": (f"/api/v1/disclosures/{received_one}",
                                                {"Authorization": f"Bearer {world['reader']}"}, {}),
            "events (API)": (f"/api/v1/partnerships/{first_pair['partnership']}/events", api, {}),
            # why the reader: "body" matches each of the N/100 disclosures they received, to decide and rank
            "search (API, recipient)": ("/api/v1/search?q=body",
                                        {"Authorization": f"Bearer {world['reader']}"}, {}),
        }
        figures = {}
        with httpx2.Client(base_url=base, timeout=60) as client:
            for read, (path, headers, cookies) in reads.items():
                client.cookies.clear()
                for name, value in cookies.items():
                    client.cookies.set(name, value)
                times = []
                for n in range(requests + 10):
                    began = time.perf_counter()
                    answer = client.get(path, headers=headers)
                    spent = (time.perf_counter() - began) * 1000
                    if answer.status_code != 200:
                        raise SystemExit(f"{read}: {answer.status_code} {answer.text[:300]}")
                    if n >= 10:
                        times.append(spent)
                times.sort()
                figures[read] = (statistics.median(times), times[int(len(times) * 0.95) - 1],
                                 f"{len(answer.content):,} B")
                print(f"  {read}: p50 {figures[read][0]:.1f} ms, p95 {figures[read][1]:.1f} ms", flush=True)
        return figures
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 300  # why: a loaded machine imports slowly
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped: {log.read_text()[-3000:]}")
        try:
            if httpx2.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start within 300 s")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


if __name__ == "__main__":
    main()
