"""The real app in process: FastAPI's TestClient (httpx) over a real database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sharebound.bootstrap import App
from sharebound.web import create_app


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


def sign_up(client: TestClient, handle: str, admin_email: str, password: str = "a long passphrase") -> Api:
    answer = client.post("/api/v1/orgs", json={
        "name": handle.title(), "handle": handle,
        "admin": {"name": f"{handle} admin", "email": admin_email, "password": password}})
    assert answer.status_code == 201, answer.text
    return sign_in(client, admin_email, password)
