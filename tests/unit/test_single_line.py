"""Single-line fields refuse control characters; multi-line fields allow only \\n and \\t."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sharebound.domain.emails import instant_email
from sharebound.domain.errors import InvalidInput
from sharebound.domain.notifications import Kind, Notification
from sharebound.domain.values import multi_line, one_line, single_line


@pytest.mark.parametrize("bad", ["Kestrel\nBcc: all@example.com", "a\rb", "tab\there", "nul\x00",
                                 "del\x7f", "c1\x85", "sep\u2028arator"])
def test_a_single_line_field_refuses_every_control_character_naming_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        single_line("title", bad, 300)

    assert list(refused.value.errors) == ["title"]


def test_a_single_line_field_is_stripped_and_keeps_unicode_text() -> None:
    assert single_line("name", "  Łukasz Müller — 東京  ", 200) == "Łukasz Müller — 東京"


def test_a_multi_line_field_keeps_line_breaks_and_tabs_but_refuses_other_controls() -> None:
    assert multi_line("details", "line one\r\n\tline two", 100) == "line one\n\tline two"
    for bad in ("nul\x00", "bell\x07", "escape\x1b[31m", "c1\x9b"):
        with pytest.raises(InvalidInput) as refused:
            multi_line("details", bad, 100)
        assert list(refused.value.errors) == ["details"]


def test_an_old_title_with_a_line_break_makes_a_one_line_subject() -> None:
    note = Notification(id="ntf_1", person_id="per_1", kind=next(iter(Kind)),
                        title="Drawings\nBcc: everyone@example.com", link="/requests/req_1",
                        event_kind="request_opened", subject="req_1",
                        created_at=datetime(2027, 1, 1, tzinfo=UTC))

    rendered = instant_email(note, "Alice", "https://sharebound.example")

    assert "\n" not in rendered.subject and "\r" not in rendered.subject
    assert rendered.subject == "Sharebound: Drawings Bcc: everyone@example.com"
    assert one_line("a\r\n\x00b") == "a b"
