"""The agreement document as stored: filled from org profiles, signed, verified on every read."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pytest
from sqlalchemy import update

from sharebound.adapters.db.tables import agreement_versions
from sharebound.adapters.standard_terms import shipped_catalog
from sharebound.bootstrap import App
from sharebound.domain.agreements import new_agreement
from sharebound.domain.errors import DamagedRecord, InvalidInput, InvalidTerms, NotFound
from sharebound.domain.legacy import render_text
from sharebound.domain.standard_terms import StandardTerms
from sharebound.domain.terms import parse_terms
from sharebound.domain.values import sha256_hex
from sharebound.services import agreements, disclosures, items, orgs, register
from sharebound.services.disclosures import DisclosureDraft
from sharebound.services.pages.agreement import agreement_page
from tests.factories import legacy_terms_json, terms_json
from tests.integration.world import World


def profile_terms(world: World, **overrides: Any) -> dict[str, Any]:
    """A draft that leaves each party's details to the org profiles."""
    today = world.app.clock().date()
    data = terms_json(effective_date=today.isoformat(),
                      term_end=today.replace(year=today.year + 1).isoformat(), **overrides)
    del data["party_details"], data["notice"]
    return data


def test_a_draft_without_party_details_takes_them_from_the_org_profiles(world: World) -> None:
    agreement = agreements.draft_agreement(world.uow(), world.alice.id, world.partnership.id,
                                           profile_terms(world))

    stored = agreement.terms.to_json()
    assert stored["governing_document"] == {"kind": "standard", "id": "sharebound-mutual",
                                            "version": "1.0"}
    assert stored["party_details"]["globex"]["legal_name"] == "Globex Corporation"
    assert "notice" not in stored
    assert "1. Acme Corporation (Sharebound organization \"acme\")" in agreement.current.text
    assert agreement.current.digest == sha256_hex(agreement.current.document or b"")


def test_a_party_without_a_legal_name_anywhere_is_refused_naming_the_field(world: World) -> None:
    orgs.set_profile(world.uow(), world.grace.id, "globex", {"legal_name": None})

    with pytest.raises(InvalidTerms) as refused:
        agreements.draft_agreement(world.uow(), world.alice.id, world.partnership.id,
                                   profile_terms(world))

    assert set(refused.value.errors) == {"party_details.globex.legal_name"}


def test_the_old_notice_key_still_fills_the_notice_emails(world: World) -> None:
    data = profile_terms(world)
    data["notice"] = {"acme": "nda@acme.example", "globex": "nda@globex.example"}
    orgs.set_profile(world.uow(), world.alice.id, "acme", {"notice_email": None})

    agreement = agreements.draft_agreement(world.uow(), world.alice.id, world.partnership.id, data)

    assert agreement.terms.notice == {"acme": "nda@acme.example", "globex": "nda@globex.example"}


def test_only_an_admin_of_the_org_changes_its_profile(world: World) -> None:
    with pytest.raises(NotFound):
        orgs.set_profile(world.uow(), world.alice.id, "globex", {"legal_name": "Not Globex"})
    with pytest.raises(InvalidInput) as bad:
        orgs.set_profile(world.uow(), world.alice.id, "acme", {"notice_email": "nobody", "city": "x"})

    assert set(bad.value.errors) == {"notice_email", "city"}
    assert orgs.get_org(world.uow(), world.alice.id, "acme").profile.notice_email == "legal@acme.example"


def test_a_stored_document_that_was_changed_is_refused_and_disclosures_under_it_too(
        world: World, caplog: pytest.LogCaptureFixture) -> None:
    agreement = world.signed()
    item = world.note()
    tampered = (agreement.current.document or b"").replace(b"Delaware", b"Nevada")
    with world.app.engine.begin() as connection:
        connection.execute(update(agreement_versions).values(document=tampered))

    with caplog.at_level(logging.ERROR), pytest.raises(DamagedRecord):
        agreements.get_agreement(world.uow(), world.alice.id, agreement.id)
    with pytest.raises(DamagedRecord):
        disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
            item_id=item, agreement_id=agreement.id, recipients=["gina@globex.example"],
            actions=["view"]))
    assert "damaged agreement record" in caplog.text


def test_stored_terms_that_no_longer_match_the_bound_schedule_are_refused(world: World) -> None:
    agreement = world.signed()
    changed = agreement.terms.to_json()
    changed["schedule"]["max_access_days"] = 3650
    with world.app.engine.begin() as connection:
        connection.execute(update(agreement_versions).values(
            terms=parse_terms(changed).canonical().decode()))

    with pytest.raises(DamagedRecord, match="schedule"):
        agreements.get_agreement(world.uow(), world.alice.id, agreement.id)


def test_a_signed_agreement_keeps_its_text_after_a_new_standard_terms_version_ships(
        world: World) -> None:
    signed = world.signed()
    shipped = shipped_catalog().get("sharebound-mutual", "1.0")
    assert shipped is not None
    newer = StandardTerms(id=shipped.id, version="1.1", title=shipped.title, kind=shipped.kind,
                          text=shipped.text.replace("reasonable care", "the utmost care"))
    upgraded: App = dataclasses.replace(world.app, standard_terms=shipped_catalog().with_entry(newer))

    page = agreement_page(upgraded.uow(), world.alice.id, signed.id)
    drafted = agreements.draft_agreement(upgraded.uow(), world.alice.id, world.partnership.id,
                                         profile_terms(world, purpose="A second project"))

    assert page.text == signed.current.text
    assert page.standard_terms == shipped
    assert "reasonable care" in page.standard_terms.text
    assert page.agreement.status(world.app.clock()).value == "in_force"
    assert f"Sharebound Mutual NDA Standard Terms 1.1, SHA-256 {newer.sha256}" in drafted.current.text


def test_a_version_signed_before_the_agreement_document_still_verifies_and_reads_as_it_did(
        world: World) -> None:
    terms = parse_terms(legacy_terms_json())
    old = new_agreement("agr_legacy", world.partnership.id, terms, by=world.alice.id,
                        at=world.app.clock())
    uow = world.uow()
    with uow:
        uow.agreements.add(old)
        uow.commit()

    again = agreements.get_agreement(world.uow(), world.alice.id, "agr_legacy")

    assert again.current.document_format == 1 and again.current.document is None
    assert again.current.digest == terms.digest
    assert again.current.text == render_text(terms, 1, terms.digest)


def test_a_received_disclosure_says_until_when_it_stays_confidential(world: World) -> None:
    agreement = world.signed()
    plain = world.note()
    secret = items.add_item(world.uow(), world.mia.id, title="Solder recipe", classification="confidential",
                            topics=["thermal"], content=b"Reflow at 245 C", trade_secret=True).id
    made = [disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=i, agreement_id=agreement.id, recipients=["gina@globex.example"], actions=["view"]))
        for i in (plain, secret)]

    views = [register.view_disclosure(world.uow(), world.gina.id, d.id) for d in made]

    end = agreement.terms.term_end
    assert end is not None
    assert views[0].confidentiality == f"confidential until {end.replace(year=end.year + 3).isoformat()}"
    assert views[1].confidentiality == "protected as long as it remains a trade secret"
