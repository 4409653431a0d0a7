"""The agreement document: the canonical bytes every party signs, and the standard terms."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from typing import Any

import pytest

from sharebound.adapters.standard_terms import shipped_catalog
from sharebound.domain.agreement_document import check_document, render_document, schedule_sha256
from sharebound.domain.agreements import new_agreement
from sharebound.domain.errors import DamagedRecord, InvalidTerms
from sharebound.domain.limits import MAX_MODIFICATIONS
from sharebound.domain.standard_terms import (
    DamagedStandardTerms,
    StandardTerms,
    StandardTermsCatalog,
    catalog_from_index,
)
from sharebound.domain.terms import AgreementTerms, parse_terms
from sharebound.domain.values import sha256_hex
from tests.factories import NOW, document_terms_json, make_terms, standard_of

SHIPPED = files("sharebound").joinpath("standard_terms")


def document_of(terms: AgreementTerms, catalog: StandardTermsCatalog | None = None) -> bytes:
    catalog = catalog or shipped_catalog()
    document = terms.governing_document
    assert document is not None
    standard = catalog.get(document.id, document.version) if document.kind == "standard" else None
    return render_document(terms, 1, standard)  # type: ignore[union-attr]


def errors_of(data: Any) -> dict[str, str]:
    with pytest.raises(InvalidTerms) as caught:
        parse_terms(data, shipped_catalog())
    return caught.value.errors


# -- the shipped standard terms ---------------------------------------------------------


def test_every_shipped_standard_terms_file_still_hashes_to_its_released_sha256() -> None:
    index = json.loads(SHIPPED.joinpath("index.json").read_text("utf-8"))

    assert {(e["id"], e["version"]) for e in index} >= {("sharebound-mutual", "1.0"),
                                                        ("sharebound-one-way", "1.0")}
    for entry in index:
        data = SHIPPED.joinpath(entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
        assert b"\r" not in data


@pytest.mark.parametrize("ident", ["sharebound-mutual", "sharebound-one-way"])
def test_the_standard_terms_cover_every_clause_a_lawyer_looks_for(ident: str) -> None:
    text = shipped_catalog().get(ident, "1.0").text  # type: ignore[union-attr]

    for clause in ("marked or identified as confidential", "reasonable person would understand",
                   "that these talks exist", "through an act or omission of the Receiving Party",
                   "without any confidentiality restriction", "bears the burden",
                   "only for the Purpose", "reasonable care", "need to know",
                   "at least as protective", "prompt written notice", "protective order",
                   "by notice to the other Parties", "survive", "earlier whenever the Disclosing",
                   "certify in writing", "automatic electronic backups", "any licence",
                   '"as is"', "equitable relief", "reverse engineer", "confidentiality marking",
                   "export control", "exclusive jurisdiction", "deemed received", "assign",
                   "Waiver", "Severability", "Entire agreement", "signed by every Party",
                   "electronic signature", "Counterparts", "Sharing Schedule", "trade secret",
                   "Confidentiality Period", "NDA Term", "Chosen Courts", "Notice Address",
                   "Governing Law", "Effective Date"):
        assert clause in text, clause


def test_a_standard_terms_file_that_changed_after_release_is_refused_loudly() -> None:
    index = [{"id": "x", "version": "1.0", "title": "X", "kind": "mutual", "file": "x.md",
              "sha256": sha256_hex(b"the released text")}]

    with pytest.raises(DamagedStandardTerms, match="released"):
        catalog_from_index(index, lambda _: b"the released text, edited")


# -- the document ---------------------------------------------------------------------


def test_the_document_names_the_parties_the_standard_terms_and_binds_the_schedule() -> None:
    terms = make_terms()
    document = document_of(terms)
    text = document.decode("utf-8")
    standard = standard_of(terms)

    assert standard is not None
    assert "\r" not in text and text.endswith("\n")
    assert "1. Acme Corporation (Sharebound organization \"acme\")" in text
    assert "   Notice contact: Globex Legal <legal@globex.example>" in text
    assert (f"Standard terms: Sharebound Mutual NDA Standard Terms 1.0, SHA-256 {standard.sha256}"
            in text)
    assert "3 years from the end of the NDA Term" in text
    assert text.endswith(f"Schedule (machine-readable) SHA-256: {schedule_sha256(terms)}\n")
    assert sha256_hex(terms.canonical()) == schedule_sha256(terms)


def test_the_same_terms_render_the_same_bytes() -> None:
    assert document_of(make_terms()) == document_of(make_terms())


@pytest.mark.parametrize("overrides", [
    {"purpose": "Evaluate a joint radar product"},
    {"governing_law": "England and Wales"},
    {"modifications": "Section 9.3 does not apply."},
    {"schedule": {"max_access_days": 30}},
    {"schedule": {"topics_excluded": ["roadmap"]}},
])
def test_changing_any_cover_field_or_the_schedule_changes_the_digest(overrides: dict[str, Any]) -> None:
    assert sha256_hex(document_of(make_terms(**overrides))) != sha256_hex(document_of(make_terms()))


def test_changing_one_word_of_the_standard_terms_changes_the_digest() -> None:
    shipped = shipped_catalog().get("sharebound-mutual", "1.0")
    assert shipped is not None
    edited = StandardTerms(id=shipped.id, version=shipped.version, title=shipped.title,
                           kind=shipped.kind, text=shipped.text.replace("reasonable care", "some care"))
    other = StandardTermsCatalog([edited])

    assert sha256_hex(document_of(make_terms(), other)) != sha256_hex(document_of(make_terms()))


def test_a_version_is_signed_over_its_document() -> None:
    terms = make_terms()
    agreement = new_agreement("agr_1", "prt_1", terms, by="per_acme_alice", at=NOW,
                              standard=standard_of(terms))

    assert agreement.current.document == document_of(terms)
    assert agreement.current.digest == sha256_hex(document_of(terms))
    assert agreement.current.text == document_of(terms).decode("utf-8")


def test_a_tampered_document_is_refused() -> None:
    terms = make_terms()
    document = document_of(terms)
    digest = sha256_hex(document)

    check_document(document, digest, terms, "agr_1 v1")
    with pytest.raises(DamagedRecord):
        check_document(document.replace(b"Delaware", b"Nevada"), digest, terms, "agr_1 v1")


def test_a_document_that_binds_another_schedule_is_refused() -> None:
    document = document_of(make_terms())

    with pytest.raises(DamagedRecord, match="schedule"):
        check_document(document, sha256_hex(document), make_terms(schedule={"max_access_days": 1}),
                       "agr_1 v1")


def test_a_public_standard_by_reference_is_named_with_its_version_and_address() -> None:
    terms = parse_terms(document_terms_json(governing_document={
        "kind": "reference", "name": "Common Paper Mutual NDA Standard Terms", "version": "1.0",
        "url": "https://commonpaper.com/standards/mutual-nda/1.0"}), shipped_catalog())

    text = document_of(terms).decode("utf-8")

    assert ("Incorporated by reference: Common Paper Mutual NDA Standard Terms, version 1.0, "
            "published at https://commonpaper.com/standards/mutual-nda/1.0") in text


def test_an_uploaded_nda_is_named_by_its_file_and_sha256() -> None:
    terms = parse_terms(document_terms_json(governing_document={
        "kind": "uploaded", "document_id": "doc_1a2b", "sha256": "ab" * 32,
        "filename": "acme-globex-nda.pdf", "media_type": "application/pdf"}), shipped_catalog())

    text = document_of(terms).decode("utf-8")

    assert f"Uploaded NDA: acme-globex-nda.pdf (application/pdf), SHA-256 {'ab' * 32}" in text


# -- bad cover pages ------------------------------------------------------------------


def test_a_party_without_a_legal_name_or_notice_address_is_refused_naming_each_field() -> None:
    data = document_terms_json()
    data["party_details"]["acme"].pop("legal_name")
    data["party_details"]["globex"]["notice"].pop("address")

    errors = errors_of(data)

    assert set(errors) == {"party_details.acme.legal_name", "party_details.globex.notice.address"}


def test_a_party_left_out_of_the_details_is_refused_naming_it() -> None:
    data = document_terms_json()
    del data["party_details"]["globex"]

    assert "party_details.globex.legal_name" in errors_of(data)


def test_unknown_standard_terms_are_refused_naming_the_governing_document() -> None:
    data = document_terms_json(governing_document={"kind": "standard", "id": "sharebound-mutual",
                                                   "version": "9.9"})

    assert set(errors_of(data)) == {"governing_document"}


def test_one_way_standard_terms_do_not_govern_a_mutual_agreement() -> None:
    data = document_terms_json(governing_document={"kind": "standard", "id": "sharebound-one-way",
                                                   "version": "1.0"})

    assert "one_way" in errors_of(data)["governing_document"]


def test_modifications_over_the_limit_are_refused() -> None:
    assert set(errors_of(document_terms_json(modifications="x" * (MAX_MODIFICATIONS + 1)))) == {
        "modifications"}


def test_a_reference_must_be_published_at_an_https_address() -> None:
    data = document_terms_json(governing_document={"kind": "reference", "name": "Bonterms Mutual NDA",
                                                   "version": "1.0", "url": "ftp://example.com/x"})

    assert set(errors_of(data)) == {"governing_document.url"}


def test_the_old_notice_key_does_not_go_with_a_governing_document() -> None:
    data = document_terms_json()
    data["notice"] = {"acme": "legal@acme.example", "globex": "legal@globex.example"}

    assert set(errors_of(data)) == {"notice"}
