"""The real app in process: FastAPI's TestClient (httpx) over a real database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from sharebound.bootstrap import App
from sharebound.web import create_app
from tests.factories import CHEAP_PASSWORDS, org_profile
from tests.integration.world import World, build_world

WORLD_PASSWORD = "a long passphrase"


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    open_app = replace(app, settings=app.settings.model_copy(update={"open_signup": True}))
    with TestClient(create_app(core=open_app), base_url="http://testserver") as test_client:
        yield test_client


class Api:
    """A signed-in caller: `api.get("/me")` sends its bearer token."""

    def __init__(self, client: TestClient, token: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"}

    def __getattr__(self, verb: str) -> Any:
        method = getattr(self.client, verb)

        def call(path: str, **kwargs: Any) -> Any:
            return method(f"/api/v1{path}", headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs)

        return call


def sign_in(client: TestClient, email: str, password: str) -> Api:
    answer = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert answer.status_code == 201, answer.text
    return Api(client, answer.json()["token"])


def consent_to_e_sign(api: Api) -> None:
    """Give the caller's e-sign consent through the API, unless it is already given."""
    state = api.get("/me/e-sign-consent").json()
    if state["consent"] is None:
        given = api.post("/me/e-sign-consent", json={"statement_sha256": state["statement_sha256"]})
        assert given.status_code == 201, given.text


def sign_through_api(api: Api, agreement_id: str, digest: str, title: str = "General Counsel",
                     password: str = WORLD_PASSWORD) -> Any:
    """Consent (once), then sign with the password, as a signer's client does: the answer."""
    consent_to_e_sign(api)
    return api.post(f"/agreements/{agreement_id}/sign",
                    json={"digest": digest, "title": title, "password": password})


def sign_up(client: TestClient, handle: str, admin_email: str, password: str = "a long passphrase") -> Api:
    answer = client.post("/api/v1/orgs", json={
        "name": handle.title(), "handle": handle,
        "admin": {"name": f"{handle} admin", "email": admin_email, "password": password},
        "profile": org_profile(handle)})
    assert answer.status_code == 201, answer.text
    return sign_in(client, admin_email, password)


@pytest.fixture
def world(app: App) -> World:
    """tests/integration/world.py's world, where alice, gina and grace sign in with WORLD_PASSWORD."""
    built = build_world(app)
    with app.uow() as uow:
        for person in (built.alice, built.gina, built.grace):
            uow.auth.set_password_hash(person.id, CHEAP_PASSWORDS.hash(WORLD_PASSWORD))
        uow.commit()
    return built


def csrf_of(page: str) -> str:
    """The CSRF secret a page's forms carry."""
    return page.split('name="csrf" value="')[1].split('"')[0]


def sign_in_page(client: TestClient, email: str, password: str) -> TestClient:
    """Sign in through the login form, as a browser does; the client now carries the session."""
    answer = client.post("/login", data={"csrf": csrf_of(client.get("/login").text), "email": email,
                                         "password": password, "next": "/"}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


class Statements:
    """Counts the SQL statements the app's engine runs while `counting()` is open."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.seen: list[str] = []
        self.on = False
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if self.on:
            self.seen.append(statement)

    @contextmanager
    def counting(self) -> Iterator[list[str]]:
        self.seen, self.on = [], True
        try:
            yield self.seen
        finally:
            self.on = False

    def of(self, call: Callable[[], Any]) -> int:
        """How many statements one call (a request) ran; the call must answer 200."""
        with self.counting() as seen:
            answer = call()
        assert answer.status_code == 200, answer.text
        return len(seen)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)


@pytest.fixture
def statements(app: App) -> Iterator[Statements]:
    """`statements.of(lambda: client.get(...))`: the SQL statements one request costs."""
    counter = Statements(app.engine)
    yield counter
    counter.close()
