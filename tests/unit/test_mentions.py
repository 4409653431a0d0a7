"""Mentions in the feed: what `@` names, and how a body is cut for display."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from sharebound.domain.messages import mention_tokens, mentioned_ids, resolve_mentions, segments
from sharebound.domain.orgs import Person

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _p(email: str) -> Person:
    local, _, domain = email.partition("@")
    return Person(id=f"per_{local}_{domain.split('.')[0]}", org=domain.split(".")[0], name=local.title(),
                  email=email, roles=frozenset(), created_at=NOW)


GINA, MIA, GINA_ACME = _p("gina@globex.example"), _p("mia@acme.example"), _p("gina@acme.example")


def test_tokens_are_local_parts_or_full_emails_and_a_plain_email_is_not_a_mention() -> None:
    body = "Hi @gina, ask @mia@acme.example. Mail gina@globex.example or @Sam."

    assert mention_tokens(body) == ["gina", "mia@acme.example", "Sam"]


def test_a_local_part_resolves_when_it_names_one_person_and_case_does_not_matter() -> None:
    found = resolve_mentions("Thanks @GINA and @mia", [GINA, MIA])

    assert found == {"GINA": GINA, "mia": MIA}


def test_a_shared_local_part_stays_plain_text_but_the_full_email_resolves() -> None:
    found = resolve_mentions("@gina or rather @gina@acme.example", [GINA, GINA_ACME, MIA])

    assert found == {"gina@acme.example": GINA_ACME}


def test_unknown_names_resolve_to_nobody() -> None:
    assert resolve_mentions("@ian @ian@initech.example @", [GINA, MIA]) == {}


def test_mentioned_ids_keep_the_order_of_first_mention_without_repeats() -> None:
    found = resolve_mentions("@mia @gina @mia@acme.example", [GINA, MIA])

    assert mentioned_ids(found) == (MIA.id, GINA.id)


def test_segments_mark_resolved_mentions_and_leave_the_rest_as_text() -> None:
    body = "Hi @gina. And @nobody, see @mia!"
    found = resolve_mentions(body, [GINA, MIA])

    assert segments(body, found) == [("Hi ", None), ("@gina", GINA), (". And @nobody, see ", None),
                                     ("@mia", MIA), ("!", None)]


@given(st.text(alphabet="ab @.gin\n", max_size=40))
def test_segments_always_join_back_to_the_body(body: str) -> None:
    pieces = segments(body, resolve_mentions(body, [GINA, MIA]))

    assert "".join(text for text, _ in pieces) == body
