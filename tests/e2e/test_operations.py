"""The operator's endpoints over HTTP: /healthz alive, /readyz naming what is not ready,
/metrics only when turned on (or with its token), by route template; every answer carries a
request id, which every log line of that request names, and no line holds a token."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import text

from sharebound.bootstrap import App
from sharebound.logs import JsonFormatter, RequestIdFilter
from sharebound.web import create_app
from tests.e2e.conftest import WORLD_PASSWORD, sign_in
from tests.integration.world import World


def _client(app: App, **settings: object) -> TestClient:
    core = replace(app, settings=app.settings.model_copy(update=settings))
    core.settings.blobs_dir.mkdir(parents=True, exist_ok=True)  # as `sharebound init` leaves it
    return TestClient(create_app(core=core), base_url="http://testserver")


def test_readyz_answers_each_check_and_503_naming_the_one_that_fails(app: App) -> None:
    client = _client(app)

    alive, ready = client.get("/healthz"), client.get("/readyz")
    with app.engine.begin() as connection:
        head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        connection.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    try:
        behind = client.get("/readyz")
    finally:  # why: on PostgreSQL the database outlives the test
        with app.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})

    assert alive.status_code == 200 and alive.json() == {"status": "ok"}
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {name: {"ok": True, "detail": detail} for name, detail in (
        ("database", "reachable"), ("blobs", "reachable"), ("migrations", "current"))}
    assert behind.status_code == 503
    assert behind.json()["failing"] == ["migrations"]
    assert behind.json()["checks"]["migrations"]["detail"].startswith("database at 0003, code at ")


def test_metrics_are_off_unless_turned_on_or_asked_with_their_token(app: App) -> None:
    off = _client(app).get("/metrics")
    guarded = _client(app, metrics_token=SecretStr("a-long-scrape-token"))

    assert off.status_code == 404
    assert guarded.get("/metrics").status_code == 401
    assert guarded.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert guarded.get("/metrics", headers={"Authorization": "Bearer a-long-scrape-token"}).status_code == 200


def test_metrics_count_requests_by_route_template_and_decisions_by_reason(app: App, world: World) -> None:
    client = _client(app, metrics=True)
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    agreement = world.signed()
    jewel = alice.post("/items", json={"title": "Die layout", "body": "The crown jewel",
                                       "classification": "restricted", "topics": ["design"]}).json()
    refused = alice.post("/disclosures", json={"item_id": jewel["id"], "agreement_id": agreement.id,
                                               "recipients": ["gina@globex.example"], "actions": ["view"]})
    alice.get(f"/items/{jewel['id']}")

    scraped = client.get("/metrics")

    assert refused.status_code == 403
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    body = scraped.text
    assert 'sharebound_http_requests_total{method="GET",route="/api/v1/items/{item_id}",status="200"}' in body
    assert jewel["id"] not in body  # the template, never the path
    assert 'sharebound_decisions_total{outcome="refused",reason="ceiling"}' in body
    assert "sharebound_http_request_duration_seconds_bucket" in body
    assert "sharebound_outbox_depth " in body and "sharebound_outbox_oldest_age_seconds " in body
    assert "sharebound_gate_scan_seconds_count" in body and "sharebound_stamp_seconds_count" in body


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The lines the app logs, formatted as SHAREBOUND_LOG_FORMAT=json formats them."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("sharebound")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)  # why setLevel: it clears the loggers' cached levels
    yield out
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_a_sane_request_id_is_kept_another_is_made_and_every_log_line_names_it(
    app: App, world: World, json_log: io.StringIO
) -> None:
    client = _client(app)
    token = client.post("/api/v1/auth/token", json={"email": "alice@acme.example",
                                                    "password": WORLD_PASSWORD}).json()["token"]

    bearer = {"Authorization": f"Bearer {token}"}
    kept = client.get("/api/v1/me", headers={"X-Request-ID": "lb-7f3a.42", **bearer})
    made = client.get("/api/v1/me", headers={"X-Request-ID": "not sane\" id", **bearer})

    assert kept.headers["x-request-id"] == "lb-7f3a.42"
    assert made.headers["x-request-id"] != "not sane\" id" and len(made.headers["x-request-id"]) == 32
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    mine = [line for line in lines if line.get("request_id") == "lb-7f3a.42"]
    assert mine and mine[-1]["route"] == "/api/v1/me" and mine[-1]["status"] == 200
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)
    assert token not in json_log.getvalue() and WORLD_PASSWORD not in json_log.getvalue()
