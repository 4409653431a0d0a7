"""parse_terms: the only way in for agreement terms; canonical JSON and its digest."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import pytest

from sharebound.domain.classification import Classification
from sharebound.domain.errors import InvalidInput, InvalidTerms
from sharebound.domain.terms import Action, Kind, RecipientMode, parse_terms
from tests.factories import legacy_terms_json as terms_json

# DESIGN.md's example, written out literally rather than through the factory.
DESIGN_EXAMPLE = """
{"kind": "mutual", "parties": ["acme", "globex"], "disclosing_parties": [],
 "purpose": "Evaluate a joint sensor product", "effective_date": "2026-12-01",
 "term_end": "2027-12-01", "confidentiality_years": 3,
 "governing_law": "Delaware", "courts": "New Castle County, Delaware",
 "notice": {"acme": "legal@acme.example", "globex": "legal@globex.example"},
 "schedule": {"ceiling": "confidential", "topics_allowed": [], "topics_excluded": ["pricing"],
              "recipients": {"mode": "all_members"}, "actions": ["view", "download"],
              "watermark_downloads": true, "max_access_days": 90, "return_days": 30}}
"""

EXPECTED_CANONICAL = (
    '{"confidentiality_years":3,"courts":"New Castle County, Delaware","disclosing_parties":[],'
    '"effective_date":"2026-12-01","governing_law":"Delaware","kind":"mutual",'
    '"notice":{"acme":"legal@acme.example","globex":"legal@globex.example"},'
    '"parties":["acme","globex"],"purpose":"Evaluate a joint sensor product",'
    '"schedule":{"actions":["download","view"],"ceiling":"confidential","max_access_days":90,'
    '"recipients":{"mode":"all_members"},"return_days":30,"topics_allowed":[],'
    '"topics_excluded":["pricing"],"watermark_downloads":true},"term_end":"2027-12-01"}'
)


def errors_of(data: object) -> dict[str, str]:
    with pytest.raises(InvalidTerms) as caught:
        parse_terms(data)
    return caught.value.errors


def with_schedule(**schedule: Any) -> dict[str, Any]:
    return terms_json(schedule=schedule)


# -- the valid example ------------------------------------------------------------------


def test_design_example_parses_into_typed_terms() -> None:
    terms = parse_terms(json.loads(DESIGN_EXAMPLE))

    assert terms.kind is Kind.MUTUAL
    assert terms.parties == ("acme", "globex")
    assert terms.disclosing_parties == frozenset()
    assert terms.purpose == "Evaluate a joint sensor product"
    assert terms.effective_date == date(2026, 12, 1)
    assert terms.term_end == date(2027, 12, 1)
    assert terms.confidentiality_years == 3
    assert terms.governing_law == "Delaware"
    assert terms.courts == "New Castle County, Delaware"
    assert dict(terms.notice) == {"acme": "legal@acme.example", "globex": "legal@globex.example"}
    schedule = terms.schedule
    assert schedule.ceiling is Classification.CONFIDENTIAL
    assert schedule.topics_allowed == frozenset()
    assert schedule.topics_excluded == frozenset({"pricing"})
    assert schedule.recipients.mode is RecipientMode.ALL_MEMBERS
    assert schedule.actions == frozenset({Action.VIEW, Action.DOWNLOAD})
    assert schedule.watermark_downloads is True
    assert schedule.max_access_days == 90
    assert schedule.return_days == 30


def test_factory_terms_are_the_design_example() -> None:
    assert terms_json() == json.loads(DESIGN_EXAMPLE)


def test_open_ended_term_and_perpetual_confidentiality_are_null() -> None:
    terms = parse_terms(terms_json(term_end=None, confidentiality_years=None))

    assert terms.term_end is None
    assert terms.ends_at is None
    assert terms.confidentiality_years is None


def test_schedule_defaults_apply_when_left_out() -> None:
    data = terms_json()
    data["schedule"] = {"ceiling": "internal"}

    schedule = parse_terms(data).schedule

    assert schedule.topics_allowed == frozenset()
    assert schedule.topics_excluded == frozenset()
    assert schedule.recipients.mode is RecipientMode.ALL_MEMBERS
    assert schedule.actions == frozenset({Action.VIEW, Action.DOWNLOAD})
    assert schedule.watermark_downloads is True
    assert schedule.max_access_days == 90
    assert schedule.return_days == 30


def test_one_way_terms_name_their_disclosing_party() -> None:
    terms = parse_terms(terms_json(kind="one_way", disclosing_parties=["acme"]))

    assert terms.kind is Kind.ONE_WAY
    assert terms.disclosing_parties == frozenset({"acme"})
    assert terms.may_disclose("acme")
    assert not terms.may_disclose("globex")
    assert not terms.may_disclose("initech")


def test_every_party_of_mutual_terms_may_disclose() -> None:
    terms = parse_terms(terms_json())

    assert terms.may_disclose("acme")
    assert terms.may_disclose("globex")
    assert not terms.may_disclose("initech")


def test_roles_and_named_recipients_are_parsed_and_emails_lowered() -> None:
    roles = parse_terms(with_schedule(recipients={"mode": "roles", "roles": ["signer", "admin"]}))
    named = parse_terms(with_schedule(
        recipients={"mode": "named", "people": [" Grace@Globex.Example ", "hank@globex.example"]}))

    assert roles.schedule.recipients.mode is RecipientMode.ROLES
    assert roles.schedule.recipients.roles == frozenset({"signer", "admin"})
    assert named.schedule.recipients.mode is RecipientMode.NAMED
    assert named.schedule.recipients.people == frozenset({"grace@globex.example", "hank@globex.example"})


def test_topics_and_notice_emails_are_normalized() -> None:
    terms = parse_terms(terms_json(
        notice={"acme": " Legal@ACME.example", "globex": "legal@globex.example"},
        schedule={"topics_allowed": ["  Thermal   Tests "], "topics_excluded": ["PRICING"]},
    ))

    assert terms.notice["acme"] == "legal@acme.example"
    assert terms.schedule.topics_allowed == frozenset({"thermal tests"})
    assert terms.schedule.topics_excluded == frozenset({"pricing"})


def test_text_fields_are_stripped() -> None:
    terms = parse_terms(terms_json(purpose="  Evaluate  ", governing_law=" Delaware "))

    assert terms.purpose == "Evaluate"
    assert terms.governing_law == "Delaware"


# -- malformed or contradictory terms, each naming its field -----------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"effective_date": "2027-12-01"}, "term_end"),  # equal to the end
        ({"effective_date": "2028-01-01"}, "term_end"),  # after the end
        ({"effective_date": "2026-13-01"}, "effective_date"),
        ({"effective_date": "20261201"}, "effective_date"),
        ({"effective_date": "2026-12-1"}, "effective_date"),
        ({"effective_date": "2026-12-01\n"}, "effective_date"),
        ({"effective_date": "\uff12\uff10\uff12\uff16-12-01"}, "effective_date"),  # full-width digits
        ({"effective_date": "2026-12-01T00:00"}, "effective_date"),
        ({"effective_date": "2027-02-30"}, "effective_date"),
        ({"effective_date": 20261201}, "effective_date"),
        ({"effective_date": None}, "effective_date"),
        ({"term_end": "2027-13-01"}, "term_end"),
        ({"term_end": "20271201"}, "term_end"),
        ({"term_end": ""}, "term_end"),
        ({"kind": "bilateral"}, "kind"),
        ({"parties": ["acme"], "notice": {"acme": "legal@acme.example"}}, "parties"),
        ({"parties": [], "notice": {}}, "parties"),
        ({"parties": ["acme", "acme"], "notice": {"acme": "legal@acme.example"}}, "parties"),
        ({"parties": ["acme", "Globex"]}, "parties"),
        ({"parties": "acme,globex"}, "parties"),
        ({"kind": "one_way", "disclosing_parties": ["initech"]}, "disclosing_parties"),
        ({"kind": "one_way", "disclosing_parties": []}, "disclosing_parties"),
        ({"kind": "one_way", "disclosing_parties": ["acme", "globex"]}, "disclosing_parties"),
        ({"kind": "one_way", "disclosing_parties": ["acme", "acme"]}, "disclosing_parties"),
        ({"disclosing_parties": ["acme"]}, "disclosing_parties"),  # mutual names none
        ({"disclosing_parties": None}, "disclosing_parties"),
        ({"purpose": ""}, "purpose"),
        ({"purpose": "   "}, "purpose"),
        ({"purpose": "x" * 2001}, "purpose"),
        ({"governing_law": None}, "governing_law"),
        ({"courts": 7}, "courts"),
        ({"confidentiality_years": 0}, "confidentiality_years"),
        ({"confidentiality_years": 100}, "confidentiality_years"),
        ({"confidentiality_years": True}, "confidentiality_years"),
        ({"confidentiality_years": 2.0}, "confidentiality_years"),
        ({"confidentiality_years": "3"}, "confidentiality_years"),
        ({"notice": {"acme": "legal@acme.example"}}, "notice"),
        ({"notice": {"acme": "legal@acme.example", "globex": "legal@globex.example",
                     "initech": "legal@initech.example"}}, "notice"),
        ({"notice": ["legal@acme.example", "legal@globex.example"]}, "notice"),
        ({"notice": {"acme": "legal@acme.example", "globex": "legal"}}, "notice.globex"),
        ({"notice": {"acme": "legal acme@acme.example", "globex": "legal@globex.example"}}, "notice.acme"),
        ({"notice": {"acme": "legal@acme", "globex": "legal@globex.example"}}, "notice.acme"),
        ({"notice": {"acme": None, "globex": "legal@globex.example"}}, "notice.acme"),
        ({"schedule": None}, "schedule"),
        ({"schedule": ["ceiling"]}, "schedule"),
    ],
)
def test_malformed_terms_are_refused_naming_the_field(overrides: dict[str, Any], field: str) -> None:
    data = terms_json()
    data.update(overrides)

    errors = errors_of(data)

    assert field in errors, errors


@pytest.mark.parametrize(
    ("schedule", "field"),
    [
        ({"ceiling": "restricted"}, "schedule.ceiling"),
        ({"ceiling": "public"}, "schedule.ceiling"),
        ({"ceiling": "secret"}, "schedule.ceiling"),
        ({"ceiling": None}, "schedule.ceiling"),
        ({"topics_allowed": ["pricing"], "topics_excluded": ["pricing"]}, "schedule.topics_excluded"),
        ({"topics_allowed": ["Pricing"], "topics_excluded": ["pricing "]}, "schedule.topics_excluded"),
        ({"topics_allowed": "pricing"}, "schedule.topics_allowed"),
        ({"topics_allowed": ["!!"]}, "schedule.topics_allowed"),
        ({"topics_excluded": [""]}, "schedule.topics_excluded"),
        ({"topics_excluded": [3]}, "schedule.topics_excluded"),
        ({"recipients": None}, "schedule.recipients"),
        ({"recipients": "all_members"}, "schedule.recipients"),
        ({"recipients": {}}, "schedule.recipients.mode"),
        ({"recipients": {"mode": "everyone"}}, "schedule.recipients.mode"),
        ({"recipients": {"mode": "all_members", "roles": ["admin"]}}, "schedule.recipients"),
        ({"recipients": {"mode": "roles"}}, "schedule.recipients.roles"),
        ({"recipients": {"mode": "roles", "roles": []}}, "schedule.recipients.roles"),
        ({"recipients": {"mode": "roles", "roles": ["owner"]}}, "schedule.recipients.roles"),
        ({"recipients": {"mode": "roles", "roles": "admin"}}, "schedule.recipients.roles"),
        ({"recipients": {"mode": "named"}}, "schedule.recipients.people"),
        ({"recipients": {"mode": "named", "people": []}}, "schedule.recipients.people"),
        ({"recipients": {"mode": "named", "people": ["grace"]}}, "schedule.recipients.people"),
        ({"recipients": {"mode": "named", "people": [None]}}, "schedule.recipients.people"),
        ({"actions": []}, "schedule.actions"),
        ({"actions": ["print"]}, "schedule.actions"),
        ({"actions": ["view", "print"]}, "schedule.actions"),
        ({"actions": "view"}, "schedule.actions"),
        ({"watermark_downloads": "yes"}, "schedule.watermark_downloads"),
        ({"watermark_downloads": None}, "schedule.watermark_downloads"),
        ({"max_access_days": 0}, "schedule.max_access_days"),
        ({"max_access_days": -1}, "schedule.max_access_days"),
        ({"max_access_days": True}, "schedule.max_access_days"),
        ({"max_access_days": 3651}, "schedule.max_access_days"),
        ({"max_access_days": 30.0}, "schedule.max_access_days"),
        ({"max_access_days": "90"}, "schedule.max_access_days"),
        ({"return_days": -1}, "schedule.return_days"),
        ({"return_days": 366}, "schedule.return_days"),
        ({"return_days": False}, "schedule.return_days"),
    ],
)
def test_malformed_schedules_are_refused_naming_the_field(schedule: dict[str, Any], field: str) -> None:
    errors = errors_of(with_schedule(**schedule))

    assert field in errors, errors


@pytest.mark.parametrize("days", [1, 3650])
def test_access_window_limits_are_inclusive(days: int) -> None:
    assert parse_terms(with_schedule(max_access_days=days)).schedule.max_access_days == days


def test_unknown_top_level_keys_are_refused_one_by_one() -> None:
    data = terms_json(nda_version="1.0", price=12)

    errors = errors_of(data)

    assert errors == {"nda_version": "is not a term", "price": "is not a term"}


def test_unknown_schedule_keys_are_refused_one_by_one() -> None:
    errors = errors_of(with_schedule(print=True, copies=2))

    assert set(errors) == {"schedule.print", "schedule.copies"}


def test_terms_that_are_not_an_object_are_refused() -> None:
    assert errors_of(["acme", "globex"]) == {"terms": "must be an object"}
    assert errors_of(None) == {"terms": "must be an object"}


def test_every_bad_field_is_reported_at_once() -> None:
    data = terms_json(
        effective_date="2026-13-01",
        kind="one_way",
        disclosing_parties=["initech"],
        purpose="",
        notice={"acme": "not-an-email", "globex": "legal@globex.example"},
        surprise=1,
        schedule={"ceiling": "restricted", "actions": [], "max_access_days": 0, "fax": 1,
                  "recipients": {"mode": "roles", "roles": []}},
    )

    errors = errors_of(data)

    assert set(errors) == {
        "surprise", "effective_date", "disclosing_parties", "purpose", "notice.acme",
        "schedule.fax", "schedule.ceiling", "schedule.actions", "schedule.max_access_days",
        "schedule.recipients.roles",
    }


def test_missing_everything_names_each_required_field() -> None:
    errors = errors_of({})

    assert set(errors) == {"parties", "purpose", "governing_law", "courts", "effective_date",
                           "notice", "schedule"}


def test_invalid_terms_is_invalid_input_with_a_readable_message() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_terms(with_schedule(ceiling="restricted"))

    assert caught.value.code == "invalid_terms"
    assert "schedule.ceiling" in str(caught.value)


# -- canonical JSON and digest ----------------------------------------------------------


def test_canonical_json_is_sorted_compact_and_pinned() -> None:
    terms = parse_terms(json.loads(DESIGN_EXAMPLE))

    assert terms.canonical() == EXPECTED_CANONICAL.encode("utf-8")


def test_canonical_json_round_trips_to_the_same_terms() -> None:
    terms = parse_terms(json.loads(DESIGN_EXAMPLE))

    again = parse_terms(json.loads(terms.canonical()))

    assert again == terms
    assert again.canonical() == terms.canonical()


def test_canonical_json_is_utf8_not_ascii_escaped() -> None:
    terms = parse_terms(terms_json(purpose="Évaluer un capteur — 温度"))

    canonical = terms.canonical()

    assert "Évaluer un capteur — 温度".encode() in canonical
    assert b"\\u" not in canonical


def test_digest_is_the_sha256_of_the_canonical_json() -> None:
    terms = parse_terms(terms_json())

    assert terms.digest == hashlib.sha256(EXPECTED_CANONICAL.encode("utf-8")).hexdigest()
    assert len(terms.digest) == 64


def test_party_order_does_not_change_the_digest() -> None:
    one = parse_terms(terms_json(parties=["acme", "globex"]))
    other = parse_terms(terms_json(
        parties=["globex", "acme"],
        notice={"globex": "legal@globex.example", "acme": "legal@acme.example"},
    ))

    assert other.parties == ("acme", "globex")
    assert other.digest == one.digest


def test_list_order_and_spelling_inside_the_schedule_do_not_change_the_digest() -> None:
    one = parse_terms(with_schedule(actions=["view", "download"], topics_excluded=["pricing", "legal"]))
    other = parse_terms(with_schedule(actions=["download", "view"], topics_excluded=["Legal", "pricing"]))

    assert other.digest == one.digest


@pytest.mark.parametrize(
    "overrides",
    [
        {"purpose": "Evaluate a joint sensor product."},
        {"term_end": "2027-12-02"},
        {"term_end": None},
        {"confidentiality_years": None},
        {"schedule": {"ceiling": "internal"}},
        {"schedule": {"watermark_downloads": False}},
        {"schedule": {"max_access_days": 91}},
        {"schedule": {"actions": ["view"]}},
    ],
)
def test_a_changed_term_changes_the_digest(overrides: dict[str, Any]) -> None:
    assert parse_terms(terms_json(**overrides)).digest != parse_terms(terms_json()).digest


# -- regressions: once accepted, or crashed with TypeError instead of InvalidTerms ------


def test_iso_week_date_is_not_a_yyyy_mm_dd_date() -> None:
    errors = errors_of(terms_json(effective_date="2026-W49-2"))

    assert "effective_date" in errors


def test_a_list_as_ceiling_is_refused_not_a_crash() -> None:
    errors = errors_of(with_schedule(ceiling=["internal"]))

    assert "schedule.ceiling" in errors


def test_a_nested_list_in_actions_is_refused_not_a_crash() -> None:
    errors = errors_of(with_schedule(actions=[["view"]]))

    assert "schedule.actions" in errors


def test_a_nested_list_in_roles_is_refused_not_a_crash() -> None:
    errors = errors_of(with_schedule(recipients={"mode": "roles", "roles": [["admin"]]}))

    assert "schedule.recipients.roles" in errors


def test_roles_mode_with_named_people_is_refused() -> None:
    errors = errors_of(with_schedule(
        recipients={"mode": "roles", "roles": ["signer"], "people": ["grace@globex.example"]}))

    assert "schedule.recipients" in errors


def test_named_mode_with_an_unknown_key_is_refused() -> None:
    errors = errors_of(with_schedule(
        recipients={"mode": "named", "people": ["grace@globex.example"], "cc": ["x@y.example"]}))

    assert "schedule.recipients" in errors


# -- unreadable files ----------------------------------------------------------------------


def test_terms_without_the_unreadable_files_term_keep_their_canonical_form_and_digest() -> None:
    terms = parse_terms(json.loads(DESIGN_EXAMPLE))

    assert terms.schedule.unreadable_files.value == "refuse"
    assert terms.canonical().decode() == EXPECTED_CANONICAL
    assert parse_terms(with_schedule(unreadable_files="refuse")).digest == parse_terms(with_schedule()).digest


def test_allowing_unreadable_files_is_part_of_the_signed_terms() -> None:
    allowed = parse_terms(with_schedule(unreadable_files="allow"))

    assert allowed.to_json()["schedule"]["unreadable_files"] == "allow"
    assert allowed.digest != parse_terms(with_schedule()).digest
    assert parse_terms(json.loads(allowed.canonical())) == allowed


@pytest.mark.parametrize("value", ["yes", True, None, ["application/zip"]])
def test_an_unreadable_files_term_other_than_refuse_or_allow_is_refused_naming_it(value: object) -> None:
    assert errors_of(with_schedule(unreadable_files=value)) == {
        "schedule.unreadable_files": "must be one of refuse, allow"}


def test_the_cover_page_says_whether_unreadable_files_are_allowed() -> None:
    from sharebound.domain.legacy import render_text

    refused = render_text(parse_terms(with_schedule()), 1, "d")
    allowed = render_text(parse_terms(with_schedule(unreadable_files="allow")), 1, "d")

    assert "9. Files the content gate cannot read (archives, types it has no reader for): refused." in refused
    assert "cannot read (archives, types it has no reader for): allowed, disclosed unread." in allowed
