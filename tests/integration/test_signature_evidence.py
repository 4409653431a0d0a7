"""E-sign consent, re-authentication at signing, and the evidence each signature keeps."""

from __future__ import annotations

import pytest
from sqlalchemy import Table, func, select

from sharebound.adapters.db.tables import e_sign_consents, login_failures
from sharebound.domain.errors import Conflict, InvalidInput, RateLimited, ReauthenticationRequired
from sharebound.domain.esign import CURRENT_STATEMENT, Client
from sharebound.services import agreements, esign
from tests.factories import SIGNING_PASSWORD, ready_to_sign, sign_as
from tests.integration.world import World, changes_nothing, everything

BROWSER = Client(address="203.0.113.7", user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0")


def _count(world: World, table: Table) -> int:
    with world.app.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def _consent(world: World, person_id: str) -> None:
    esign.give_consent(world.uow(), person_id, statement_sha256=CURRENT_STATEMENT.sha256, client=BROWSER)


def test_signing_without_an_active_consent_is_refused_and_changes_nothing(world: World) -> None:
    agreement = world.draft()
    ready_to_sign(world.uow(), world.sam.id)
    esign.withdraw_consent(world.uow(), world.sam.id)

    with changes_nothing(world), pytest.raises(Conflict) as refused:
        agreements.sign_agreement(world.uow(), world.sam.id, agreement.id, digest=agreement.current.digest,
                                  title="GC", password=SIGNING_PASSWORD)

    assert "consent to electronic records and signatures first" in str(refused.value)


def test_a_second_consent_while_one_is_active_is_a_conflict_and_a_wrong_statement_is_invalid(
    world: World,
) -> None:
    _consent(world, world.sam.id)

    with changes_nothing(world), pytest.raises(Conflict):
        _consent(world, world.sam.id)
    with changes_nothing(world), pytest.raises(InvalidInput) as wrong:
        esign.give_consent(world.uow(), world.mia.id, statement_sha256="0" * 64)

    assert list(wrong.value.errors) == ["statement_sha256"]


def test_a_withdrawn_consent_can_be_given_again_and_both_are_in_the_org_log(world: World) -> None:
    _consent(world, world.sam.id)
    withdrawn = esign.withdraw_consent(world.uow(), world.sam.id)
    _consent(world, world.sam.id)

    state = esign.consent_state(world.uow(), world.sam.id)
    with world.uow() as uow:
        kinds = [e.kind for e in uow.events.read("org:acme") if e.actor == world.sam.id]
    rows = _count(world, e_sign_consents)
    assert withdrawn.withdrawn_at is not None
    assert state.consent is not None and state.consent.id != withdrawn.id
    assert (state.consent.address, state.consent.user_agent) == (BROWSER.address, BROWSER.user_agent)
    assert kinds == ["e_sign_consent_given", "e_sign_consent_withdrawn", "e_sign_consent_given"]
    assert rows == 2


@pytest.mark.parametrize("password", [None, "", "not my password"])
def test_signing_without_the_right_password_is_refused_and_only_the_failure_is_counted(
    world: World, password: str | None,
) -> None:
    agreement = world.draft()
    ready_to_sign(world.uow(), world.sam.id)
    before = everything(world)

    with pytest.raises(ReauthenticationRequired) as refused:
        agreements.sign_agreement(world.uow(), world.sam.id, agreement.id, digest=agreement.current.digest,
                                  title="GC", password=password, client=BROWSER)

    after = everything(world)
    assert list(refused.value.errors) == ["password"]
    assert refused.value.status == 403
    assert after[0] == before[0]  # no event
    assert {t: rows for t, rows in after[1].items() if t != "login_failures"} == {
        t: rows for t, rows in before[1].items() if t != "login_failures"}
    counted = len(after[1]["login_failures"]) - len(before[1]["login_failures"])
    assert counted == (3 if password else 0)  # account, address, and the pair


def test_wrong_passwords_at_signing_count_against_the_sign_in_limit(world: World) -> None:
    agreement = world.draft()
    ready_to_sign(world.uow(), world.sam.id)
    for _ in range(5):
        with pytest.raises(ReauthenticationRequired):
            agreements.sign_agreement(world.uow(), world.sam.id, agreement.id,
                                      digest=agreement.current.digest, title="GC", password="guess",
                                      client=BROWSER)

    with pytest.raises(RateLimited):
        agreements.sign_agreement(world.uow(), world.sam.id, agreement.id, digest=agreement.current.digest,
                                  title="GC", password=SIGNING_PASSWORD, client=BROWSER)
    assert _count(world, login_failures) == 15
    assert agreements.get_agreement(world.uow(), world.sam.id, agreement.id).signatures == ()


def test_each_signature_records_who_what_when_how_under_which_consent_and_from_where(
    world: World,
) -> None:
    agreement = world.draft()
    digest = agreement.current.digest
    ready_to_sign(world.uow(), world.sam.id)

    signed = sign_as(world.uow(), world.sam.id, agreement.id, digest=digest, title="General Counsel",
                     client=BROWSER)

    evidence = signed.signatures[0].evidence
    stored = agreements.get_agreement(world.uow(), world.grace.id, agreement.id).signatures[0].evidence
    state = esign.consent_state(world.uow(), world.sam.id)
    assert evidence is not None and stored == evidence
    assert state.consent is not None
    assert (evidence.person_id, evidence.name, evidence.email, evidence.title, evidence.org,
            evidence.org_legal_name) == (world.sam.id, "Sam", "sam@acme.example", "General Counsel",
                                         "acme", "Acme Corporation")
    assert (evidence.digest, evidence.methods, evidence.consent_id, evidence.consent_version) == (
        digest, ("password",), state.consent.id, CURRENT_STATEMENT.version)
    assert (evidence.address, evidence.user_agent) == (BROWSER.address, BROWSER.user_agent)
    assert evidence.signed_at == signed.signatures[0].signed_at == world.app.clock()
    with world.uow() as uow:
        event = [e for e in uow.events.read(f"partnership:{world.partnership.id}")
                 if e.kind == "agreement_signed"][-1]
    assert {k: event.data[k] for k in ("evidence", "methods", "consent", "address", "user_agent")} == {
        "evidence": evidence.id, "methods": ["password"], "consent": state.consent.id,
        "address": BROWSER.address, "user_agent": BROWSER.user_agent}


def test_a_user_agent_carrying_a_crown_jewel_is_refused_like_the_title(world: World) -> None:
    from sharebound.domain.errors import Refused
    from sharebound.services import gate

    gate.add_term(world.uow(), world.alice.id, "acme", "Kestrel")
    agreement = world.draft()
    ready_to_sign(world.uow(), world.sam.id)

    with changes_nothing(world), pytest.raises(Refused):
        sign_as(world.uow(), world.sam.id, agreement.id, digest=agreement.current.digest, title="GC",
                client=Client(address="203.0.113.7", user_agent="Kestrel/1.0"))
