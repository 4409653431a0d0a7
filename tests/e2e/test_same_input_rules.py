"""One parser per command: the API and the pages refuse the same bad input with the same
field errors, in the same words; a line break in a topic is refused, never collapsed."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.e2e.conftest import sign_up


def test_a_line_break_in_a_topic_is_refused_by_the_api_naming_the_field_and_nothing_is_added(
    client: TestClient,
) -> None:
    acme = sign_up(client, "acme", "alice@acme.example")

    answer = acme.post("/items", json={"title": "Prices", "body": "x", "classification": "internal",
                                       "topics": ["pri\ncing"]})

    assert answer.status_code == 422
    assert list(answer.json()["errors"]) == ["topics"]
    assert "one line" in answer.json()["errors"]["topics"]
    assert acme.get("/items").json()["items"] == []
