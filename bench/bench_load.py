"""Load: a realistic mix of API calls against `/healthz`, on the same server, with wrk.

Issue 18's goals, on PostgreSQL, at 50 and at 200 clients: the mix's throughput at least half
of `/healthz`'s, its p99 at most twice `/healthz`'s, and no errors.

It builds a world through the real use cases (4 orgs of 3 people; org0 in a partnership with
each of the others under a signed mutual NDA; 3 notes per org; `--disclosures` notes disclosed,
each way in turn, to a member of the other party), then starts `sharebound serve --workers N`
on a free loopback port and drives it with Debian's `wrk` (`make bench-tools`): first
`/healthz`, then the mix, at each client count, for `--seconds` each. The mix is cycled by a Lua
script, as org0's member `mo` (a bearer token):

    GET  /api/v1/me                                   1 in 7
    GET  /api/v1/disclosures?direction=received       1 in 7   (a page of the register)
    GET  /api/v1/disclosures?direction=given          1 in 7
    GET  /api/v1/partnerships                         1 in 7
    GET  /api/v1/disclosures/{id}                     2 in 7   (a note received: its body, and
                                                               the view recorded as an access)
    POST /api/v1/disclosures/check                    1 in 7   (the dry run, every rule)

    .venv/bin/python bench/bench_load.py                 # PostgreSQL (127.0.0.1), 1,200 disclosures
    .venv/bin/python bench/bench_load.py --sqlite        # the embedded default
    .venv/bin/python bench/bench_load.py --seconds 5     # a smoke run
    .venv/bin/python bench/bench_load.py --json out.json # the figures as JSON too

The database is `sharebound_bench_load` on SHAREBOUND_BENCH_POSTGRES (default
postgresql://postgres@127.0.0.1:5432/postgres), made anew each run unless `--reuse` (then the
world of the last run, in /tmp/sharebound-bench-load-pg or -sqlite, is measured again; the
server migrates it first). Loopback only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx2

HOST = "127.0.0.1"  # why: loopback only, never any other address
ADMIN = os.environ.get("SHAREBOUND_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
DATABASE = "sharebound_bench_load"
PASSWORD = "bench-load-password"
ORGS = ("org0", "org1", "org2", "org3")
CLIENTS = (50, 200)  # why: the issue's two loads
THREADS = 2  # why: wrk's threads; the machine has 2 cores, shared with the server
# the issue's goals: mix req/s >= 0.5 x /healthz; p99(mix) <= 2 x p99(/healthz); no errors
GOAL_THROUGHPUT, GOAL_P99 = 0.5, 2.0

LUA = """
local calls = %(calls)s
local token = "%(token)s"
local n = 0
request = function()
  n = n + 1
  local call = calls[(n %% #calls) + 1]
  local headers = {["Authorization"] = "Bearer " .. token}
  if call[1] == "POST" then
    headers["Content-Type"] = "application/json"
    return wrk.format("POST", call[2], headers, call[3])
  end
  return wrk.format("GET", call[2], headers)
end
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--disclosures", type=int, default=1200)
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run (10 to 20)")
    parser.add_argument("--workers", type=int, default=2, help="`sharebound serve --workers`")
    parser.add_argument("--clients", type=int, nargs="*", default=list(CLIENTS))
    parser.add_argument("--reuse", action="store_true", help="measure the world the last run generated")
    parser.add_argument("--keep", action="store_true", help="leave the server running (profiling)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: `make bench-tools` (Debian's wrk)")
    # kept for --reuse: its database (or the SQLite file), blobs, keys and world.json
    data = Path(tempfile.gettempdir()) / f"sharebound-bench-load-{'sqlite' if args.sqlite else 'pg'}"
    env = {**os.environ, "SHAREBOUND_DATA_DIR": str(data)}
    if not args.sqlite:
        url = ADMIN.rsplit("/", 1)[0] + "/" + DATABASE
        env["SHAREBOUND_DATABASE_URL"] = url.replace("postgresql://", "postgresql+psycopg://")
    keep = data / "world.json"
    if not (args.reuse and keep.exists()):
        shutil.rmtree(data, ignore_errors=True)
        if not args.sqlite:
            import psycopg
            with psycopg.connect(ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
                admin.execute(f'CREATE DATABASE "{DATABASE}"')
        started = time.perf_counter()
        keep_world = generate(env, args.disclosures)
        keep.write_text(json.dumps(keep_world))
        print(f"generated {args.disclosures:,} disclosures in {time.perf_counter() - started:.0f} s "
              f"({'SQLite' if args.sqlite else 'PostgreSQL'})", flush=True)
    world = json.loads(keep.read_text())
    port = free_port()
    log = (data / "serve.log").open("wb")  # why a file: a pipe nobody reads would block the server
    server = subprocess.Popen(
        [sys.executable, "-m", "sharebound", "serve", "--host", HOST, "--port", str(port),
         "--workers", str(args.workers)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://{HOST}:{port}"
        wait_up(base, server, data / "serve.log")
        script = data / "mix.lua"
        script.write_text(LUA % {"calls": lua_calls(world), "token": world["token"]})
        check_mix(base, world)
        figures: dict[str, dict[str, float]] = {}
        for clients in args.clients:
            wrk(base + "/healthz", clients, 2, None)  # why: warm every worker and connection
            wrk(base + "/api/v1/me", clients, 2, script)
            figures[f"healthz@{clients}"] = timed(server.pid, lambda c=clients: wrk(
                base + "/healthz", c, args.seconds, None))
            figures[f"mix@{clients}"] = timed(server.pid, lambda c=clients: wrk(
                base + "/api/v1/me", c, args.seconds, script))
        report(figures, args)
        if args.keep:
            print(f"server pid {server.pid} on {base}; token {world['token']}; Ctrl-C ends it")
            server.wait()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def generate(env: dict[str, str], count: int) -> dict[str, Any]:
    """The world, through the use cases (as bench_scale.py does, smaller and on either database)."""
    os.environ.update(env)  # the app reads its settings from the environment
    from sharebound import bootstrap
    from sharebound.adapters.passwords import Argon2Passwords
    from sharebound.config import Settings
    from sharebound.domain.esign import CURRENT_STATEMENT
    from sharebound.services import agreements, auth, disclosures, esign, items, orgs, partnerships
    from sharebound.services.disclosures import DisclosureDraft

    # why cheap hashes: 12 people and 6 signatures; the server verifies them all the same
    core = replace(bootstrap.init(Settings()), passwords=Argon2Passwords.cheap())
    uow = core.uow
    try:
        people: dict[str, dict[str, str]] = {}
        for handle in ORGS:
            profile = {"legal_name": f"Org {handle}, Inc.", "address": "1 Main Street\nWilmington, DE 19801",
                       "notice_name": f"Admin {handle}", "notice_email": f"legal@{handle}.example"}
            _, admin = orgs.create_org(uow(), handle=handle, name=f"Org {handle}",
                                       admin_name=f"Admin {handle}", admin_email=f"admin@{handle}.example",
                                       admin_password=PASSWORD, profile=profile)
            for who in ("mo", "li"):
                orgs.add_person(uow(), admin.id, org=handle, name=f"{who} {handle}",
                                email=f"{who}@{handle}.example", roles=["member"], password=PASSWORD)
            esign.give_consent(uow(), admin.id, statement_sha256=CURRENT_STATEMENT.sha256)
            people[handle] = {"admin": admin.id}
        today = core.clock().date()
        pairs = []
        for other in ORGS[1:]:
            made = partnerships.propose_partnership(uow(), people["org0"]["admin"], name=f"org0 and {other}",
                                                    purpose="new_product", invite=[other])
            partnerships.accept_partnership(uow(), people[other]["admin"], made.id)
            nda = agreements.draft_agreement(uow(), people["org0"]["admin"], made.id,
                                             terms(["org0", other], today))
            for org in ("org0", other):
                agreements.sign_agreement(uow(), people[org]["admin"], nda.id, digest=nda.current.digest,
                                          title="Counsel", password=PASSWORD)
            pairs.append((other, nda.id))
        notes = {handle: [items.add_item(uow(), people[handle]["admin"], title=f"Note {n} of {handle}",
                                         classification="internal", topics=["design"],
                                         content=f"Body {n} of {handle}: the design review.".encode()).id
                          for n in range(3)]
                 for handle in ORGS}
        received: list[str] = []
        for k in range(count):
            other, nda = pairs[k % len(pairs)]
            giver, taker = (other, "org0") if k % 2 == 0 else ("org0", other)
            made = disclosures.disclose(uow(), people[giver]["admin"], DisclosureDraft(
                item_id=notes[giver][k % 3], agreement_id=nda, recipients=[f"mo@{taker}.example"],
                actions=["view"]))
            if taker == "org0":
                received.append(made.id)
        token = auth.issue_token(uow(), email="mo@org0.example", password=PASSWORD, address=HOST).token
    finally:
        core.close()
    return {"token": token, "received": received[-200:], "note": notes["org0"][0],
            "agreement": pairs[0][1], "recipient": f"mo@{pairs[0][0]}.example"}


def terms(parties: list[str], today: Any) -> dict[str, Any]:
    return {"kind": "mutual", "parties": parties, "disclosing_parties": [],
            "purpose": "Evaluate a joint product", "effective_date": today.isoformat(),
            "term_end": (today + timedelta(days=365)).isoformat(), "confidentiality_years": 3,
            "governing_law": "Delaware", "courts": "New Castle County, Delaware", "modifications": "",
            "schedule": {"ceiling": "confidential", "recipients": {"mode": "all_members"},
                         "actions": ["view", "download"], "max_access_days": 90}}


def mix(world: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The calls the Lua script cycles through (method, path, JSON body)."""
    check = json.dumps({"item_id": world["note"], "agreement_id": world["agreement"],
                        "recipients": [world["recipient"]], "actions": ["view"]})
    calls: list[tuple[str, str, str]] = []
    for k, disclosure in enumerate(world["received"][:50]):
        calls += [("GET", "/api/v1/me", ""), ("GET", f"/api/v1/disclosures/{disclosure}", ""),
                  ("GET", "/api/v1/disclosures?direction=received", ""),
                  ("GET", "/api/v1/partnerships", ""),
                  ("GET", f"/api/v1/disclosures/{world['received'][-1 - k]}", ""),
                  ("GET", "/api/v1/disclosures?direction=given", ""),
                  ("POST", "/api/v1/disclosures/check", check)]
    return calls


def lua_calls(world: dict[str, Any]) -> str:
    return "{" + ",".join("{" + ",".join(json.dumps(v) for v in call) + "}" for call in mix(world)) + "}"


def check_mix(base: str, world: dict[str, Any]) -> None:
    """Every call of the mix answers 200 before anything is timed (a 4xx would be fast)."""
    headers = {"Authorization": f"Bearer {world['token']}"}
    with httpx2.Client(base_url=base, headers=headers, timeout=30) as client:
        for method, path, body in mix(world)[:7]:
            answer = client.request(method, path, content=body or None,
                                    headers={"Content-Type": "application/json"} if body else {})
            if answer.status_code != 200:
                sys.exit(f"{method} {path} answered {answer.status_code}: {answer.text[:300]}")
        decision = client.post("/api/v1/disclosures/check", json=json.loads(mix(world)[6][2])).json()
        if decision.get("allowed") is not True:
            sys.exit("the disclosure check is not allowed: the mix would measure a refusal")


def timed(pid: int, run: Callable[[], dict[str, float]]) -> dict[str, float]:
    """`run`'s figures, with the CPU time the server's processes spent per request (user +
    system, from /proc): steadier than req/s on a shared machine, whose other work slows every
    request down but does not make it cost more CPU. PostgreSQL's own CPU is not in it."""
    before = cpu_seconds(pid)
    figures = run()
    figures["cpu_ms"] = (cpu_seconds(pid) - before) * 1000 / max(figures["requests"], 1)
    return figures


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of `pid` and its descendants (the server's worker processes)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def wrk(url: str, clients: int, seconds: int, script: Path | None) -> dict[str, float]:
    command = ["wrk", "-t", str(THREADS), "-c", str(clients), "-d", f"{seconds}s", "--latency",
               "--timeout", "10s"]
    if script is not None:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    try:
        return parse_wrk(out)
    except (KeyError, AttributeError):
        sys.exit(f"could not read wrk's output:\n{out}")


def parse_wrk(out: str) -> dict[str, float]:
    def ms(text: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
        return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]

    latency = dict(re.findall(r"^\s+(50|99)(?:\.000)?%\s+(\S+)\s*$", out, re.M))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
            "p50_ms": ms(latency["50"]), "p99_ms": ms(latency["99"]),
            "requests": float(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
            "errors": float(errors + (int(non_2xx.group(1)) if non_2xx else 0))}


def report(figures: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    backend = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"\n{backend}, `serve --workers {args.workers}`, wrk -t{THREADS}, {args.seconds} s per run")
    print("| run | req/s | p50 ms | p99 ms | requests | errors | server CPU ms/request |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for run, f in figures.items():
        print(f"| {run} | {f['rps']:.0f} | {f['p50_ms']:.1f} | {f['p99_ms']:.1f} | "
              f"{f['requests']:.0f} | {f['errors']:.0f} | {f['cpu_ms']:.2f} |")
    print("\n| clients | mix/healthz req/s (goal >= 0.5) | p99 mix/healthz (goal <= 2) "
          "| errors (goal 0) | met |")
    print("|---:|---:|---:|---:|---|")
    ratios = {}
    for clients in args.clients:
        health, load = figures[f"healthz@{clients}"], figures[f"mix@{clients}"]
        throughput = load["rps"] / health["rps"]
        p99 = load["p99_ms"] / max(health["p99_ms"], 0.001)
        errors = load["errors"] + health["errors"]
        met = throughput >= GOAL_THROUGHPUT and p99 <= GOAL_P99 and errors == 0
        ratios[clients] = {"throughput": throughput, "p99": p99, "errors": errors, "met": met}
        print(f"| {clients} | {throughput:.2f} | {p99:.2f} | {errors:.0f} | {'yes' if met else 'no'} |")
    if args.json:
        args.json.write_text(json.dumps({"backend": backend, "workers": args.workers,
                                         "figures": figures, "ratios": ratios}, indent=1))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def wait_up(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server stopped: {log.read_text()[-2000:]}")
        try:
            if httpx2.get(base + "/healthz", timeout=2).status_code == 200:
                return
        except httpx2.HTTPError:
            pass
        time.sleep(0.2)
    sys.exit("the server did not answer /healthz within 120 s")


if __name__ == "__main__":
    main()
