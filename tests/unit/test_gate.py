"""The content gate's rules: markings, crown-jewel terms, copied passages."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sharebound.domain.classification import Classification
from sharebound.domain.copies import (
    MIN_COPIED_WORDS,
    SHINGLE_WORDS,
    copy_findings,
    fingerprints,
    shingle_hash,
    shingles,
)
from sharebound.domain.gate import (
    FindingKind,
    Page,
    Where,
    marking_findings,
    marking_of,
    secret_findings,
    term_findings,
    term_pattern,
    unreadable,
)
from sharebound.domain.stamps import Stamp, copy_id_of
from sharebound.domain.watermark import make_template

R, C, INT = Classification.RESTRICTED, Classification.CONFIDENTIAL, Classification.INTERNAL

MARKED = [
    ("RESTRICTED", R),
    ("  RESTRICTED  ", R),
    ("TOP SECRET", R),
    ("TOP SECRET // NOFORN", R),
    ("SECRET", R),
    ("STRICTLY CONFIDENTIAL", R),
    ("HIGHLY CONFIDENTIAL", R),
    ("ACME RESTRICTED", R),
    ("ACME CONFIDENTIAL - DO NOT COPY", C),
    ("CONFIDENTIAL - DO NOT DISTRIBUTE", C),
    ("*** CONFIDENTIAL ***", C),
    ("Acme Corp \u2014 RESTRICTED \u2014 Page 3 of 10", R),
    ("RESTRICTED    Page 3 of 10", R),
    ("Quarterly plan | CONFIDENTIAL", C),
    ("See the figures [RESTRICTED] below", R),
    ("Appendix (CONFIDENTIAL)", C),
    ("Classification: Restricted", R),
    ("classification: restricted", R),
    ("Security classification = Strictly Confidential", R),
    ("Sensitivity: Confidential", C),
    ("Data classification: internal use only", INT),
    ("Classification: Internal use", INT),
    ("classification=INTERNAL ONLY", INT),
    ("INTERNAL USE ONLY", INT),
    ("FOR INTERNAL USE ONLY", INT),
    ("INTERNAL", INT),
]

NOT_MARKED = [
    "this is confidential to us",
    "The restricted area is on the third floor",
    "Keep it secret, keep it safe",
    "We keep this CONFIDENTIAL.",  # shouting in prose is not a marking
    "CONFIDENTIAL INFORMATION",  # a heading of an NDA, not a marking
    "1. CONFIDENTIAL INFORMATION.",
    "THE SECRET OF OUR SUCCESS",
    "OUR SECRET SAUCE",
    "NOT RESTRICTED",
    "NON-CONFIDENTIAL",
    "INTERNALLY WE AGREED",
    "UNRESTRICTED",
    "Classification: Public",
    "",
    "RESTRICTEDNESS",
]


@pytest.mark.parametrize(("line", "level"), MARKED)
def test_a_marking_is_read_with_its_level(line: str, level: Classification) -> None:
    assert marking_of(line) is level


@pytest.mark.parametrize("line", NOT_MARKED)
def test_prose_and_headings_are_not_markings(line: str) -> None:
    assert marking_of(line) is None


def test_the_highest_marking_of_a_line_counts() -> None:
    assert marking_of("Classification: Internal [RESTRICTED]") is R


def test_a_marking_above_the_items_classification_is_found_with_its_page_and_line() -> None:
    pages = [Page("Summary\nAll fine", 1), Page("Intro", 2), Page("Body\nmore\nRESTRICTED\n", 3)]

    found = marking_findings(pages, INT)

    assert [(f.kind, f.where) for f in found] == [(FindingKind.MARKING, Where(3, 3))]
    assert "page 3, line 3" in found[0].message and "restricted" in found[0].message
    assert "internal" in found[0].message


def test_a_marking_at_or_below_the_items_classification_is_no_finding() -> None:
    pages = [Page("CONFIDENTIAL\nINTERNAL USE ONLY")]

    assert marking_findings(pages, C) == []
    assert marking_findings(pages, R) == []


def test_each_level_is_one_finding_counting_its_other_places() -> None:
    pages = [Page("RESTRICTED\nx\nRESTRICTED\nCONFIDENTIAL\nRESTRICTED")]

    found = marking_findings(pages, Classification.PUBLIC)

    assert [f.where for f in found] == [Where(1), Where(4)]
    assert "and 2 more places" in found[0].message


def _stamp_line(copy_number: int = 42) -> str:
    return Stamp(discloser="Acme Sensors", recipient_name="Gina Green", recipient_org="Globex",
                 agreement_id="agr_1", agreement_version=2, at=datetime(2026, 11, 28, tzinfo=UTC),
                 copy_id=copy_id_of(copy_number)).line()


@pytest.mark.parametrize("level", list(Classification))
def test_the_stamp_of_a_received_copy_is_refused_whatever_the_items_classification(
    level: Classification
) -> None:
    pages = [Page(f"{_stamp_line()}\n\nTheir report\n\n{_stamp_line()}\n", 1)]

    found = marking_findings(pages, level)

    assert [(f.kind, f.where) for f in found] == [(FindingKind.STAMP, Where(1, 1))]
    assert found[0].message.startswith(
        "the stamp of a copy disclosed by Acme Sensors to Gina Green (Globex) at page 1, line 1 "
        "(and 1 more place): it is a partner's confidential information")


def test_a_line_that_only_looks_like_a_stamp_is_read_as_a_marking() -> None:
    broken = _stamp_line().replace("copy ", "copy 0")  # no valid copy id any more

    found = marking_findings([Page(broken)], INT)

    assert [f.kind for f in found] == [FindingKind.MARKING]


def test_a_watermark_templates_stamp_is_refused_too_and_named_by_its_copy_id() -> None:
    template = make_template(["recipient_email", "custom_text"], "footer", 8, 0.5, "Do not forward")
    line = Stamp(discloser="Acme", recipient_name="Gina", recipient_org="Globex", agreement_id="agr_1",
                 agreement_version=1, at=datetime(2026, 11, 28, tzinfo=UTC), copy_id=copy_id_of(7),
                 recipient_email="gina@globex.example", template=template).line()
    alone = make_template(["copy_id"], "header", 8, 0.5)
    bare = Stamp(discloser="Acme", recipient_name="Gina", recipient_org="Globex", agreement_id="agr_1",
                 agreement_version=1, at=datetime(2026, 11, 28, tzinfo=UTC), copy_id=copy_id_of(8),
                 template=alone).line()
    pages = [Page(f"Their report\n{line}\n", 1), Page(f"{bare}\nmore\n{line}", 2)]

    found = marking_findings(pages, Classification.PUBLIC)

    assert [(f.kind, f.where) for f in found] == [(FindingKind.STAMP, Where(2, 1)),
                                                 (FindingKind.STAMP, Where(1, 2))]
    assert found[0].message.startswith(
        f"the watermark of a copy received from a partner (copy {copy_id_of(7)}) at page 1, line 2 "
        "(and 1 more place)")


def test_a_sentence_that_mentions_a_copy_id_is_not_a_stamp_nor_is_a_default_stamp_counted_twice() -> None:
    pages = [Page(f"We traced copy {copy_id_of(7)} to a forum post.\n{_stamp_line()}\n")]

    found = marking_findings(pages, Classification.PUBLIC)

    assert [(f.kind, f.where) for f in found] == [(FindingKind.STAMP, Where(2))]
    assert "disclosed by Acme Sensors" in found[0].message


# --- terms -----------------------------------------------------------------------------------

def test_a_term_is_found_whole_word_in_any_case_and_named() -> None:
    found = term_findings([Page("intro\nThe KESTREL sensor ships")], ["Kestrel"])

    assert [(f.kind, f.where) for f in found] == [(FindingKind.TERM, Where(2))]
    assert "\u201cKestrel\u201d" in found[0].message and "line 2" in found[0].message


def test_a_term_inside_another_word_is_not_found() -> None:
    assert term_findings([Page("Kestrels and kestrelized things, akestrel")], ["Kestrel"]) == []


def test_a_multi_word_term_matches_across_any_whitespace_and_line_breaks() -> None:
    found = term_findings([Page("p1", 1), Page("we call it project\n  blue   HERON now", 2)],
                          ["Project Blue Heron"])

    assert [f.where for f in found] == [Where(1, 2)]


def test_terms_with_punctuation_are_matched_literally() -> None:
    found = term_findings([Page("the X-7 (rev.2) chip; and X-72")], ["X-7 (rev.2)", "a.b"])

    assert [f.message.split("\u201d")[0] for f in found] == ["the crown-jewel term \u201cX-7 (rev.2)"]


def test_no_terms_find_nothing() -> None:
    assert term_findings([Page("anything")], []) == []
    assert term_pattern(["   "]) is None


# --- secrets -------------------------------------------------------------------------------------

def test_secret_findings_say_what_and_where_once_per_kind() -> None:
    found = secret_findings([("a private key", Where(14, 2)), ("a private key", Where(20, 2)),
                             ("a GitHub token", Where(1, 1))])

    assert [f.message for f in found] == [
        "a private key at page 2, line 14 (and 1 more place): remove it",
        "a GitHub token at page 1, line 1: remove it"]


def test_an_unreadable_file_is_a_finding_of_its_own() -> None:
    finding = unreadable("the PDF is encrypted")

    assert finding.kind is FindingKind.UNREADABLE and "could not read" in finding.message


# --- copied passages -------------------------------------------------------------------------------

JEWEL = (
    "The Kestrel die uses a three layer stack with the thermal sensor placed under the "
    "heat spreader so that drift stays below two tenths of a kelvin after five hundred "
    "hours at eighty five degrees while the bias network trims offset at start up using "
    "a fuse map that only the factory programs during final test of every wafer lot"
)
VOCABULARY = [
    "market", "partner", "quarter", "review", "budget", "meeting", "samples", "shipping",
    "contract", "pilot", "customer", "launch", "forecast", "travel", "invoice", "agenda",
]


def _index(*texts: tuple[str, str]) -> dict[int, list[str]]:
    owners: dict[int, list[str]] = {}
    for item, text in texts:
        for value in fingerprints([Page(text)]):
            owners.setdefault(value, []).append(item)
    return owners


def _copies(text: str, owners: dict[int, list[str]]) -> list[str]:
    return [f.message for f in copy_findings(shingles([Page(text)]), owners, {"itm_j": "Die layout"})]


def test_shingle_hashes_are_signed_64_bit_and_depend_on_the_words_only() -> None:
    value = shingle_hash(["a"] * SHINGLE_WORDS)

    assert -2**63 <= value < 2**63
    assert shingles([Page("A, a; A\n a a A a  a!")]).hashes == (value,)


def test_a_pasted_paragraph_is_found_naming_the_item_and_the_line() -> None:
    note = "Hello team,\nsome context first.\n" + JEWEL + "\nThanks."

    found = _copies(note, _index(("itm_j", JEWEL)))

    assert len(found) == 1
    assert "\u201cDie layout\u201d" in found[0] and "line 3" in found[0]


def test_a_short_shared_phrase_is_no_copy() -> None:
    words = JEWEL.split()
    shared = " ".join(words[:MIN_COPIED_WORDS - 1])

    assert _copies(f"In other news: {shared}. See you.", _index(("itm_j", JEWEL))) == []


def test_a_passage_with_a_word_changed_here_and_there_is_still_a_copy() -> None:
    words = JEWEL.split()
    for index in (10, 25, 40):
        words[index] = "CHANGED"

    assert len(_copies(" ".join(words), _index(("itm_j", JEWEL)))) == 1


@settings(max_examples=60, deadline=None)
@given(
    start=st.integers(0, len(JEWEL.split()) - MIN_COPIED_WORDS - 5),
    length=st.integers(MIN_COPIED_WORDS + 5, 40),
    before=st.lists(st.sampled_from(VOCABULARY), max_size=60),
    after=st.lists(st.sampled_from(VOCABULARY), max_size=60),
    spaces=st.lists(st.sampled_from([" ", "  ", "\n", "\t", " \n "]), min_size=1, max_size=5),
    upper=st.booleans(),
)
def test_a_pasted_passage_is_found_wherever_it_sits_and_however_it_is_spaced(
    start: int, length: int, before: list[str], after: list[str], spaces: list[str], upper: bool
) -> None:
    passage = JEWEL.split()[start:start + length]
    words = before + passage + after
    text = "".join(w + spaces[i % len(spaces)] for i, w in enumerate(words))
    text = text.upper() if upper else text

    assert len(_copies(text, _index(("itm_j", JEWEL)))) == 1


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY + JEWEL.lower().split()[:6]), max_size=300))
def test_unrelated_text_is_never_a_copy(words: list[str]) -> None:
    text = " ".join(words)
    # why: any run of the jewel's own words in its order would be a real copy, however rare
    if re.search(" ".join(JEWEL.lower().split()[:SHINGLE_WORDS]), text):
        return

    assert _copies(text, _index(("itm_j", JEWEL))) == []


INVISIBLE_CHARACTERS = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]


@settings(max_examples=80, deadline=None)
@given(
    start=st.integers(0, len(JEWEL) // 3),
    insertions=st.lists(st.tuples(st.integers(0, 10_000), st.lists(
        st.sampled_from(INVISIBLE_CHARACTERS), min_size=1, max_size=3)), min_size=1, max_size=60),
)
def test_zero_width_characters_and_soft_hyphens_inserted_anywhere_never_hide_a_copy(
    start: int, insertions: list[tuple[int, list[str]]],
) -> None:
    passage = list(JEWEL[start:])  # at least two thirds of the jewel: well over a copy's length
    for at, characters in insertions:
        passage.insert(at % (len(passage) + 1), "".join(characters))
    text = "".join(passage)

    assert len(_copies(text, _index(("itm_j", JEWEL)))) == 1


def test_zero_width_characters_and_soft_hyphens_never_hide_a_term() -> None:
    text = "Line one\nThe K\u200bes\u00adtrel\u2060 die ships in May"

    found = term_findings([Page(text)], ["Kestrel die"])

    assert [f.message for f in found] == ["the crown-jewel term \u201cKestrel die\u201d at line 2"]


def test_copies_of_two_items_are_two_findings() -> None:
    other = " ".join(f"{w}{i}" for i, w in enumerate(VOCABULARY * 2))

    found = copy_findings(shingles([Page(JEWEL + "\n\n" + other)]),
                          _index(("itm_j", JEWEL), ("itm_k", other)),
                          {"itm_j": "Die layout", "itm_k": "Price list"})

    assert sorted(f.message.split("\u201c")[1] for f in found) == ["Die layout\u201d", "Price list\u201d"]


@given(st.text(max_size=200))
def test_reading_markings_never_fails_on_any_line(line: str) -> None:
    assert marking_of(line) is None or isinstance(marking_of(line), Classification)


@given(label=st.sampled_from(["Classification", "security classification", "SENSITIVITY",
                              "Protective marking", "classified"]),
       separator=st.sampled_from([":", " = ", " | ", ":   "]),
       level=st.sampled_from(["top secret", "strictly confidential", "highly confidential",
                              "restricted", "secret", "confidential", "internal", "internal use",
                              "internal only", "internal use only"]),
       upper=st.booleans())
def test_every_label_form_names_its_level(label: str, separator: str, level: str, upper: bool) -> None:
    line = f"{label}{separator}{level.upper() if upper else level.title()}"

    assert marking_of(line) is (INT if level.startswith("internal") else
                                C if level == "confidential" else R)


def test_terms_count_lines_as_the_rest_of_the_gate_does() -> None:
    text = "a\rb\x0cc\r\nd\u2028Kestrel"

    found = term_findings([Page(text)], ["kestrel"])

    assert [f.where for f in found] == [Where(len(text.splitlines()))]


@pytest.mark.parametrize(("line", "level"), MARKED)
def test_a_marking_is_found_among_other_lines(line: str, level: Classification) -> None:
    found = marking_findings([Page(f"ordinary prose\n{line}\nmore prose")], Classification.PUBLIC)

    assert [(f.where, level.value in f.message) for f in found] == [(Where(2), True)]


def test_a_marking_is_found_after_characters_that_grow_when_lower_cased() -> None:
    found = marking_findings([Page("\u0130stanbul office\nRESTRICTED")], Classification.PUBLIC)

    assert [f.where for f in found] == [Where(2)]
