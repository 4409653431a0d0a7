"""Speed of the two rules in process, side by side with Cedar deciding the same disclosures.

    .venv/bin/python bench/bench_rules.py [--n 20000] [--quick] [--json]

One realistic agreement (DESIGN.md's example terms, recipients limited to certain roles)
and a fixed list of varied cases, allowed and refused, cycled to --n decisions. Each line is
timed with time.perf_counter after a warmup, best of 5 repeats (3 with --quick). The machine
is shared, so absolute figures drift from run to run: read the ratios, measured side by side
in the same run. See bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # sharebound, and tests.* (factories, Cedar model)

import cedarpy  # noqa: E402
from tests.factories import make_item, make_person, make_terms, signed_agreement  # noqa: E402
from tests.unit.cedar_model import (  # noqa: E402
    POLICIES,
    cedar_request,
    item_entity,
    org_entities,
)

from sharebound.domain.agreements import Agreement  # noqa: E402
from sharebound.domain.classification import Classification  # noqa: E402
from sharebound.domain.disclosures import Disclosure, Revocation  # noqa: E402
from sharebound.domain.items import Item  # noqa: E402
from sharebound.domain.orgs import Person, Role  # noqa: E402
from sharebound.domain.rules import decide_access, decide_disclosure  # noqa: E402
from sharebound.domain.terms import Action  # noqa: E402

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)  # well inside the example term (2026-12-01..2027-12-01)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class DisclosureCase:
    name: str
    discloser: str
    item: Item
    agreement: Agreement
    recipients: tuple[Person, ...]
    actions: tuple[str, ...]
    expires_at: datetime
    now: datetime
    findings: tuple[str, ...] = ()

    def kwargs(self) -> dict[str, Any]:
        return {"discloser": self.discloser, "item": self.item, "agreement": self.agreement,
                "recipients": self.recipients, "actions": self.actions,
                "expires_at": self.expires_at, "now": self.now, "findings": self.findings}


@dataclass(frozen=True)
class AccessCase:
    name: str
    person: Person
    disclosure: Disclosure
    agreement: Agreement
    action: str
    now: datetime

    def kwargs(self) -> dict[str, Any]:
        return {"person": self.person, "disclosure": self.disclosure, "agreement": self.agreement,
                "action": self.action, "now": self.now}


def build_cases() -> tuple[list[DisclosureCase], list[AccessCase]]:
    terms = make_terms(schedule={"recipients": {"mode": "roles", "roles": ["member", "signer"]}})
    agreement = signed_agreement(terms, at=datetime(2026, 11, 20, tzinfo=UTC))
    terminated = agreement.terminate(org="globex", person_id="per_globex_signer",
                                     reason="the joint product was cancelled", at=NOW - DAY)
    grace = make_person("globex", "Grace", {Role.MEMBER})
    hal = make_person("globex", "Hal", {Role.SIGNER, Role.ADMIN})
    ivy = make_person("globex", "Ivy", {Role.MEMBER})
    ada = make_person("globex", "Ada", {Role.ADMIN})  # holds none of the allowed roles
    alice = make_person("acme", "Alice", {Role.ADMIN, Role.SIGNER, Role.MEMBER})
    team = (grace, hal, ivy)

    def item(n: int, classification: Classification = Classification.CONFIDENTIAL,
             topics: frozenset[str] = frozenset({"thermal"}), owner: str = "acme") -> Item:
        return replace(make_item(owner=owner, classification=classification, item_id=f"itm_{n}"),
                       topics=topics)

    def case(name: str, **change: Any) -> DisclosureCase:
        values: dict[str, Any] = {
            "discloser": "acme", "item": item(len(disclosures) + 1), "agreement": agreement,
            "recipients": team, "actions": ("view", "download"), "expires_at": NOW + 30 * DAY,
            "now": NOW,
        }
        values.update(change)
        return DisclosureCase(name, **values)

    disclosures: list[DisclosureCase] = []
    for name, change in [
        ("allowed: 3 recipients, view+download, 30 days", {}),
        ("allowed: internal, 1 recipient, view, 90 days",
         {"item": item(2, Classification.INTERNAL, frozenset({"sensors", "thermal"})),
          "recipients": (hal,), "actions": ("view",), "expires_at": NOW + 90 * DAY}),
        ("allowed: until the term's end",
         {"now": datetime(2027, 11, 1, tzinfo=UTC), "expires_at": datetime(2027, 12, 1, tzinfo=UTC)}),
        ("allowed: public note, no topics", {"item": item(4, Classification.PUBLIC, frozenset())}),
        ("refused ceiling: restricted", {"item": item(5, Classification.RESTRICTED)}),
        ("refused topics: pricing", {"item": item(6, topics=frozenset({"pricing", "thermal"}))}),
        ("refused recipients: a role not allowed", {"recipients": (grace, ada, ivy)}),
        ("refused recipients: own org", {"recipients": (grace, alice)}),
        ("refused actions: print", {"actions": ("view", "print")}),
        ("refused window: 120 days", {"expires_at": NOW + 120 * DAY}),
        ("refused owner: the partner's item", {"item": item(11, owner="globex")}),
        ("refused party: not a party", {"discloser": "initech", "item": item(12, owner="initech")}),
        ("refused in_force: terminated", {"agreement": terminated}),
        ("refused content: a finding", {"findings": ("an API key in line 3",)}),
        ("refused: restricted, pricing, past window",
         {"item": item(15, Classification.RESTRICTED, frozenset({"pricing"})),
          "expires_at": NOW + 400 * DAY, "actions": ()}),
    ]:
        disclosures.append(case(name, **change))

    given = Disclosure(
        id="dsc_1", partnership_id="prt_1", item_id="itm_1", item_version=1, item_sha256="ab" * 32,
        discloser="acme", disclosed_by=alice.id, agreement_id=agreement.id, agreement_version=1,
        agreement_digest=agreement.current.digest, recipients=frozenset(p.id for p in team),
        actions=frozenset({Action.VIEW}), created_at=NOW - 10 * DAY, expires_at=NOW + 20 * DAY,
    )
    revoked = replace(given, id="dsc_2", revocation=Revocation(alice.id, "sent by mistake", NOW - DAY))
    expired = replace(given, id="dsc_3", expires_at=NOW - DAY)
    accesses = [
        AccessCase("allowed: recipient views", grace, given, agreement, "view", NOW),
        AccessCase("allowed: discloser's own people", alice, given, agreement, "download", NOW),
        AccessCase("refused: download not permitted", hal, given, agreement, "download", NOW),
        AccessCase("refused: revoked", ivy, revoked, agreement, "view", NOW),
        AccessCase("refused: expired", grace, expired, agreement, "view", NOW),
        AccessCase("refused: agreement terminated", grace, given, terminated, "view", NOW),
        AccessCase("not found: not a recipient", ada, given, agreement, "view", NOW),
        AccessCase("refused: not an action", hal, given, agreement, "print", NOW),
    ]
    return disclosures, accesses


def cycle(cases: list[Any], n: int) -> list[Any]:
    return [cases[i % len(cases)] for i in range(n)]


def best_of(run: Callable[[], object], repeats: int) -> float:
    """Seconds of the fastest of `repeats` runs, after one warmup run."""
    run()
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="decisions per timed run (default 20000)")
    parser.add_argument("--quick", action="store_true", help="n=2000 and 3 repeats: a smoke run")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    n = 2_000 if args.quick else args.n
    repeats = 3 if args.quick else 5
    if n < 1:
        parser.error("--n must be at least 1")

    disclosure_cases, access_cases = build_cases()
    policies = cedarpy.PolicySet.from_str(POLICIES)
    built = [cedar_request(**c.kwargs()) for c in disclosure_cases]
    entities_json: list[dict[str, Any]] = org_entities(
        {e["uid"]["id"] for _, ents in built for e in ents if e["uid"]["type"] == "Org"})
    entities_json += [item_entity(c.item) for c in disclosure_cases]
    entities = cedarpy.Entities.from_json_str(json.dumps(entities_json))

    # Both sides must give the same answers before their speeds mean anything.
    cedar_answers = [r.allowed for r in cedarpy.is_authorized_batch(
        [request for request, _ in built], policies, entities)]
    our_answers = [decide_disclosure(**c.kwargs()).allowed for c in disclosure_cases]
    if cedar_answers != our_answers:
        bad = [c.name for c, a, b in zip(disclosure_cases, our_answers, cedar_answers, strict=True)
               if a != b]
        print(f"Cedar and decide_disclosure disagree on: {bad}", file=sys.stderr)
        return 1

    disclosures = cycle([c.kwargs() for c in disclosure_cases], n)
    accesses = cycle([c.kwargs() for c in access_cases], n)
    requests = cycle([request for request, _ in built], n)

    def ours_disclosure() -> None:
        for kwargs in disclosures:
            decide_disclosure(**kwargs)

    def ours_access() -> None:
        for kwargs in accesses:
            decide_access(**kwargs)

    def cedar_each() -> None:
        for request in requests:
            cedarpy.is_authorized(request, policies, entities)

    def cedar_batch() -> None:
        cedarpy.is_authorized_batch(requests, policies, entities)

    def cedar_built_batch() -> None:
        cedarpy.is_authorized_batch([cedar_request(**k)[0] for k in disclosures], policies, entities)

    lines = [
        ("decide_disclosure", "ours, in process", ours_disclosure),
        ("decide_access", "ours, in process", ours_access),
        ("cedar is_authorized", "one call per request", cedar_each),
        ("cedar is_authorized_batch", f"one call for all {n}", cedar_batch),
        ("cedar batch + build requests", "our values -> Cedar requests, then batch", cedar_built_batch),
    ]
    results = []
    for name, how, run in lines:
        seconds = best_of(run, repeats)
        results.append({"name": name, "how": how, "decisions_per_s": n / seconds,
                        "us_per_decision": seconds / n * 1e6})
    # Cedar's own account of its evaluation time (metrics.authz_duration_micros, whole
    # microseconds), leaving out turning each request's JSON into Cedar values: the engine alone.
    engine = min(
        sum(r.metrics["authz_duration_micros"]
            for r in cedarpy.is_authorized_batch(requests, policies, entities))
        for _ in range(repeats)
    ) / 1e6 or 1e-6  # a tiny --n can sum to 0 us
    results.append({"name": "cedar engine only", "how": "from Cedar's metrics, batch run; not a wall clock",
                    "decisions_per_s": n / engine,
                    "us_per_decision": engine / n * 1e6})
    rate = {r["name"]: r["decisions_per_s"] for r in results}
    cedar_best = max(("cedar is_authorized", "cedar is_authorized_batch"), key=rate.__getitem__)
    ratio = rate["decide_disclosure"] / rate[cedar_best]

    report = {
        "n": n, "repeats": repeats, "python": platform.python_version(),
        "cedarpy": version("cedarpy"),
        "disclosure_cases": len(disclosure_cases),
        "allowed_cases": sum(our_answers), "access_cases": len(access_cases),
        "results": results,
        "cedar_fastest": cedar_best,
        "ratio_decide_disclosure_over_cedar": ratio,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"n={n} decisions per run, best of {repeats} after a warmup; Python {report['python']}, "
          f"cedarpy {report['cedarpy']}")
    print(f"{len(disclosure_cases)} disclosure cases ({sum(our_answers)} allowed), "
          f"{len(access_cases)} access cases, cycled; Cedar and decide_disclosure agree on all")
    print()
    print(f"{'what':<30} {'decisions/s':>12} {'us each':>9}  how")
    for r in results:
        print(f"{r['name']:<30} {r['decisions_per_s']:>12,.0f} {r['us_per_decision']:>9.2f}  {r['how']}")
    print()
    print(f"ours/cedar (decide_disclosure vs {cedar_best}, the faster Cedar way): {ratio:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
