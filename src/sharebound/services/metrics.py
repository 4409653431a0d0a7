"""The Prometheus instruments (docs/deploy.md#metrics), made once per process on first use
(nothing at import time). With PROMETHEUS_MULTIPROC_DIR set, prometheus-client keeps each
process's values in files there, and `/metrics` adds them up across the processes.

    sharebound_http_requests_total{method, route, status}     route: the template, never the path
    sharebound_http_request_duration_seconds{method, route}
    sharebound_gate_scan_seconds, sharebound_stamp_seconds    the content gate's and stamping's time
    sharebound_decisions_total{outcome, reason}               disclosures made and refused, by code
    sharebound_outbox_depth, sharebound_outbox_oldest_age_seconds   read from the database per scrape
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache

from prometheus_client import Counter, Histogram

from sharebound.domain.audit import Event
from sharebound.domain.events import DisclosureMade, DisclosureRefused, Payload
from sharebound.services.unit_of_work import UnitOfWork

# why these buckets: requests and scans run from about a millisecond to tens of seconds
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


@dataclass(frozen=True)
class Instruments:
    requests: Counter
    latency: Histogram
    gate: Histogram
    stamp: Histogram
    decisions: Counter


@cache
def instruments() -> Instruments:
    return Instruments(
        requests=Counter("sharebound_http_requests", "HTTP requests answered",
                         ["method", "route", "status"]),
        latency=Histogram("sharebound_http_request_duration_seconds", "Time to answer a request",
                          ["method", "route"], buckets=BUCKETS),
        gate=Histogram("sharebound_gate_scan_seconds", "Time the content gate took to read a file",
                       buckets=BUCKETS),
        stamp=Histogram("sharebound_stamp_seconds", "Time to stamp a recipient's copy", buckets=BUCKETS),
        decisions=Counter("sharebound_decisions", "Disclosure decisions recorded, by outcome and reason",
                          ["outcome", "reason"]),
    )


@contextmanager
def timed(which: str) -> Iterator[None]:
    """Observe how long the block takes: `which` is "gate" or "stamp"."""
    histogram: Histogram = getattr(instruments(), which)
    started = time.perf_counter()
    try:
        yield
    finally:
        histogram.observe(time.perf_counter() - started)


def count_decision(_uow: UnitOfWork, _event: Event, payload: Payload) -> None:
    """A listener (bootstrap.LISTENERS): each disclosure made counts as allowed; each refusal
    once per reason code."""
    if isinstance(payload, DisclosureMade):
        instruments().decisions.labels("allowed", "").inc()
    elif isinstance(payload, DisclosureRefused):
        for code in payload.codes:
            instruments().decisions.labels("refused", code).inc()
