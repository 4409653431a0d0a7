"""Copy ids and stamp lines: the pure parts of stamping."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from sharebound.domain.stamps import (
    ALPHABET,
    can_stamp,
    copy_id_of,
    find_copy_id,
    new_copy_id,
    parse_copy_id,
    stamp_text,
)
from tests.files import a_stamp

NUMBERS = st.integers(min_value=0, max_value=32 ** 11 - 1)
COPY_ID = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def test_a_new_copy_id_is_twelve_crockford_characters_in_three_groups() -> None:
    made = {new_copy_id() for _ in range(200)}

    assert all(COPY_ID.match(c) for c in made)
    assert len(made) == 200


@given(NUMBERS)
def test_a_copy_id_parses_back_to_itself_however_it_is_typed(number: int) -> None:
    copy_id = copy_id_of(number)
    typed = copy_id.lower().replace("-", "").replace("0", "o").replace("1", "l")

    assert parse_copy_id(copy_id) == copy_id
    assert parse_copy_id(typed) == copy_id


@given(NUMBERS, st.integers(min_value=0, max_value=11), st.integers(min_value=1, max_value=31))
def test_one_mistyped_character_is_caught_by_the_check(number: int, position: int, shift: int) -> None:
    chars = copy_id_of(number).replace("-", "")
    wrong = chars[:position] + ALPHABET[(ALPHABET.index(chars[position]) + shift) % 32] + chars[position + 1:]

    assert parse_copy_id(wrong) is None


@given(NUMBERS, st.integers(min_value=0, max_value=10))
def test_two_swapped_neighbours_are_caught_by_the_check(number: int, position: int) -> None:
    chars = copy_id_of(number).replace("-", "")
    a, b = chars[position], chars[position + 1]
    # why: Luhn mod 32, like Luhn mod 10 with 09/90, cannot see the swap of 0 and Z
    if a == b or {a, b} == {"0", "Z"}:
        return
    swapped = chars[:position] + b + a + chars[position + 2:]

    assert parse_copy_id(swapped) is None


@given(NUMBERS, st.text(max_size=200), st.text(max_size=200))
def test_a_copy_id_is_found_in_the_text_around_it(number: int, before: str, after: str) -> None:
    copy_id = copy_id_of(number)

    assert find_copy_id(f"{before} · copy {copy_id} {after}") == copy_id


def test_a_look_alike_without_a_valid_check_is_not_a_copy_id() -> None:
    good = copy_id_of(42)
    bad = good[:-1] + ALPHABET[(ALPHABET.index(good[-1]) + 1) % 32]

    assert find_copy_id(f"copy {bad}") is None
    assert find_copy_id(f"order {good}") is None  # only after the word "copy"
    assert parse_copy_id("not a copy id") is None


def test_the_stamp_line_names_discloser_recipient_agreement_date_and_copy() -> None:
    stamp = a_stamp()

    line = stamp.line()

    for part in ("Acme", "Gina Green", "Globex", "agr_0123", "v2", "2026-11-28", stamp.copy_id):
        assert part in line
    assert find_copy_id(line) == stamp.copy_id


def test_text_gets_the_stamp_as_its_first_and_last_line() -> None:
    stamped = stamp_text("alpha\nbeta", a_stamp()).splitlines()

    assert stamped[0] == stamped[-1] == a_stamp().line()
    assert "alpha" in stamped and "beta" in stamped


def test_pdf_images_docx_and_text_can_be_stamped_and_other_files_cannot() -> None:
    stampable = ["application/pdf", "image/png", "image/jpeg", "text/plain", "text/markdown",
                 "text/csv", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]

    assert all(can_stamp(t) for t in stampable)
    assert not can_stamp("application/octet-stream")
