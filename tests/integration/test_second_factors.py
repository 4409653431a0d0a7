"""Second factors on both databases: TOTP enrolment, codes used once, guesses limited, recovery
codes, the org's policy, the sign-in second step, and the fresh factor signing asks for."""

from __future__ import annotations

import json
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from sharebound.adapters.db.tables import events as event_table
from sharebound.adapters.db.tables import totp_factors
from sharebound.bootstrap import App
from sharebound.domain.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    RateLimited,
    SecondFactorNeeded,
    Unauthenticated,
)
from sharebound.domain.orgs import Person
from sharebound.domain.second_factors import FactorProof
from sharebound.services import agreements, auth, items, second_factors
from tests.conftest import FakeClock
from tests.factories import sign_as
from tests.integration.world import World, build_world

PASSWORD = "a long passphrase"


@pytest.fixture
def world(app: App) -> World:
    built = build_world(app)
    for person in (built.alice, built.sam, built.mia, built.grace):
        uow = app.uow()
        with uow:
            uow.auth.set_password_hash(person.id, app.passwords.hash(PASSWORD))
            uow.commit()
    return built


def enrol_totp(world: World, person: Person) -> tuple[pyotp.TOTP, list[str]]:
    started = second_factors.begin_totp(world.uow(), person.id)
    app = pyotp.TOTP(started.secret)
    codes = second_factors.confirm_totp(world.uow(), person.id, app.at(world.app.clock()))
    return app, codes


def fresh(world: World, person: Person, proof: FactorProof | None) -> str | None:
    uow = world.uow()
    with uow:
        method = second_factors.verify_fresh_factor(uow, person, proof)
        uow.commit()
    return method


def events(world: World, kind: str) -> list[dict[str, object]]:
    """The data of every event of this kind, oldest first."""
    with world.app.engine.connect() as connection:
        rows = connection.execute(select(event_table.c.data).where(event_table.c.kind == kind)
                                  .order_by(event_table.c.id)).all()
    return [r.data if isinstance(r.data, dict) else json.loads(r.data) for r in rows]


def test_a_confirmed_authenticator_app_gives_ten_recovery_codes_and_its_secret_is_sealed(
    world: World,
) -> None:
    started = second_factors.begin_totp(world.uow(), world.sam.id)

    first = pyotp.TOTP(started.secret).at(world.app.clock())
    codes = second_factors.confirm_totp(world.uow(), world.sam.id, first)

    assert len(codes) == 10 and len(set(codes)) == 10
    assert started.uri.startswith("otpauth://totp/Sharebound:sam%40acme.example?secret=")
    status = second_factors.status(world.uow(), world.sam.id)
    assert status.totp and status.recovery_codes_left == 10
    with world.app.engine.connect() as connection:
        stored = connection.execute(select(totp_factors.c.secret)).scalar_one()
    assert started.secret not in stored and stored.startswith("enc1:")
    assert events(world, "second_factor_enrolled") == [{"method": "totp"}]


def test_a_wrong_first_code_does_not_set_up_the_app(world: World) -> None:
    started = second_factors.begin_totp(world.uow(), world.sam.id)
    wrong = pyotp.TOTP(started.secret).at(world.app.clock() - timedelta(minutes=5))

    with pytest.raises(SecondFactorNeeded) as refused:
        second_factors.confirm_totp(world.uow(), world.sam.id, wrong)

    assert "code" in refused.value.errors
    assert not second_factors.status(world.uow(), world.sam.id).totp


def test_a_person_without_a_factor_needs_none(world: World) -> None:
    assert fresh(world, world.sam, None) is None


def test_a_code_counts_once_within_its_window_and_the_next_one_counts(world: World, clock: FakeClock) -> None:
    app, _ = enrol_totp(world, world.sam)
    clock.advance(seconds=30)
    code = app.at(clock())

    assert fresh(world, world.sam, FactorProof(code=code)) == "totp"
    with pytest.raises(SecondFactorNeeded, match="used already"):
        fresh(world, world.sam, FactorProof(code=code))
    clock.advance(seconds=30)
    assert fresh(world, world.sam, FactorProof(code=app.at(clock()))) == "totp"


def test_the_code_used_to_confirm_cannot_be_used_again(world: World) -> None:
    app, _ = enrol_totp(world, world.sam)

    with pytest.raises(SecondFactorNeeded):
        fresh(world, world.sam, FactorProof(code=app.at(world.app.clock())))


def test_a_person_with_a_factor_must_give_it(world: World) -> None:
    enrol_totp(world, world.sam)

    with pytest.raises(SecondFactorNeeded, match="is required"):
        fresh(world, world.sam, None)


def test_guessed_codes_are_limited_even_when_the_next_one_is_right(world: World, clock: FakeClock) -> None:
    app, _ = enrol_totp(world, world.sam)
    clock.advance(seconds=30)
    right = app.at(clock())
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(SecondFactorNeeded):
            fresh(world, world.sam, FactorProof(code=wrong))

    with pytest.raises(RateLimited):
        fresh(world, world.sam, FactorProof(code=right))
    clock.advance(minutes=16)
    assert fresh(world, world.sam, FactorProof(code=app.at(clock()))) == "totp"


def test_a_recovery_code_counts_once_and_is_audited(world: World) -> None:
    _, codes = enrol_totp(world, world.sam)

    assert fresh(world, world.sam, FactorProof(code=codes[3].upper())) == "recovery_code"
    with pytest.raises(SecondFactorNeeded):
        fresh(world, world.sam, FactorProof(code=codes[3]))
    assert events(world, "recovery_code_used") == [{"left": 9}]


def test_signing_asks_a_signer_with_a_factor_for_it_and_records_the_method(
    world: World, clock: FakeClock
) -> None:
    app, _ = enrol_totp(world, world.sam)
    agreement = world.draft()
    digest = agreement.current.digest

    with pytest.raises(SecondFactorNeeded):
        sign_as(world.uow(), world.sam.id, agreement.id, digest=digest, title="GC", password=PASSWORD)
    assert agreements.get_agreement(world.uow(), world.sam.id, agreement.id).signatures == ()
    clock.advance(seconds=30)
    sign_as(world.uow(), world.sam.id, agreement.id, digest=digest, title="GC", password=PASSWORD,
            second_factor=FactorProof(code=app.at(clock())))

    assert len(agreements.get_agreement(world.uow(), world.sam.id, agreement.id).signatures) == 1
    assert events(world, "agreement_signed")[0]["methods"] == ["password", "totp"]


def test_approving_a_crown_jewel_reclassification_asks_for_a_fresh_factor(
    world: World, clock: FakeClock
) -> None:
    app, _ = enrol_totp(world, world.alice)
    item = world.note(by=world.sam, classification="restricted")
    pending = items.reclassify_item(world.uow(), world.sam.id, item, "confidential").pending
    assert pending is not None

    with pytest.raises(SecondFactorNeeded):
        items.approve_reclassification(world.uow(), world.alice.id, pending.id)
    clock.advance(seconds=30)
    done = items.approve_reclassification(world.uow(), world.alice.id, pending.id,
                                          FactorProof(code=app.at(clock())))

    assert done.classification.value == "confidential"
    assert events(world, "item_reclassified")[-1]["second_factor"] == "totp"


def test_signing_in_with_a_factor_takes_a_second_step_and_a_new_cookie(
    world: World, clock: FakeClock
) -> None:
    app, _ = enrol_totp(world, world.sam)
    first = auth.start_session(world.uow(), email="sam@acme.example", password=PASSWORD, address="10.0.0.1")
    assert first.stage == "second_factor"
    clock.advance(seconds=30)

    proof = FactorProof(code=app.at(clock()))
    done = auth.complete_second_step(world.uow(), cookie=first.cookie, proof=proof)

    assert done.stage == "active" and done.cookie != first.cookie
    assert auth.session_of(world.uow(), done.cookie).stage == "active"
    with pytest.raises(Unauthenticated):
        auth.session_of(world.uow(), first.cookie)


def test_the_second_step_expires(world: World, clock: FakeClock) -> None:
    app, _ = enrol_totp(world, world.sam)
    first = auth.start_session(world.uow(), email="sam@acme.example", password=PASSWORD, address="10.0.0.1")
    clock.advance(minutes=11)

    with pytest.raises(Unauthenticated):
        auth.complete_second_step(world.uow(), cookie=first.cookie, proof=FactorProof(code=app.at(clock())))


def test_an_api_token_takes_the_code_of_a_person_with_a_factor(world: World, clock: FakeClock) -> None:
    app, _ = enrol_totp(world, world.sam)

    with pytest.raises(SecondFactorNeeded) as refused:
        auth.issue_token(world.uow(), email="sam@acme.example", password=PASSWORD, address="10.0.0.1")
    clock.advance(seconds=30)
    issued = auth.issue_token(world.uow(), email="sam@acme.example", password=PASSWORD, address="10.0.0.1",
                              totp_code=app.at(clock()))

    assert "totp_code" in refused.value.errors
    assert auth.authenticate(world.uow(), issued.token).id == world.sam.id


def test_only_an_admin_sets_the_policy_and_it_is_audited(world: World) -> None:
    with pytest.raises(PermissionDenied):
        second_factors.set_policy(world.uow(), world.sam.id, "acme", "everyone")

    second_factors.set_policy(world.uow(), world.alice.id, "acme", "admins_and_signers")

    assert second_factors.get_policy(world.uow(), world.alice.id, "acme").value == "admins_and_signers"
    assert events(world, "second_factor_policy_changed") == [
        {"from": "none", "to": "admins_and_signers", "tokens_revoked": 0}]


def test_the_policy_sends_covered_people_to_enrol_and_ends_their_tokens(world: World) -> None:
    token = auth.issue_token(world.uow(), email="sam@acme.example", password=PASSWORD, address="10.0.0.1")
    member = auth.issue_token(world.uow(), email="mia@acme.example", password=PASSWORD, address="10.0.0.1")

    second_factors.set_policy(world.uow(), world.alice.id, "acme", "admins_and_signers")

    with pytest.raises(Unauthenticated):
        auth.authenticate(world.uow(), token.token)
    assert auth.authenticate(world.uow(), member.token).id == world.mia.id
    with pytest.raises(PermissionDenied):
        auth.issue_token(world.uow(), email="sam@acme.example", password=PASSWORD, address="10.0.0.1")
    enrolling = auth.start_session(world.uow(), email="sam@acme.example", password=PASSWORD,
                                   address="10.0.0.1")
    assert enrolling.stage == "enrol"
    assert auth.finish_enrolment(world.uow(), cookie=enrolling.cookie) is None
    enrol_totp(world, world.sam)
    done = auth.finish_enrolment(world.uow(), cookie=enrolling.cookie)
    assert done is not None and done.stage == "active"
    mia = auth.start_session(world.uow(), email="mia@acme.example", password=PASSWORD, address="10.0.0.1")
    assert mia.stage == "active"


def test_disabling_the_app_takes_a_fresh_code_and_not_while_the_policy_needs_it(
    world: World, clock: FakeClock
) -> None:
    app, _ = enrol_totp(world, world.sam)
    second_factors.set_policy(world.uow(), world.alice.id, "acme", "everyone")
    clock.advance(seconds=30)

    with pytest.raises(Conflict):
        second_factors.disable_totp(world.uow(), world.sam.id, FactorProof(code=app.at(clock())))
    second_factors.set_policy(world.uow(), world.alice.id, "acme", "none")
    with pytest.raises(SecondFactorNeeded):
        second_factors.disable_totp(world.uow(), world.sam.id, FactorProof(code="123"))
    second_factors.disable_totp(world.uow(), world.sam.id, FactorProof(code=app.at(clock())))

    status = second_factors.status(world.uow(), world.sam.id)
    assert not status.totp and status.recovery_codes_left == 0
    assert events(world, "second_factor_removed") == [{"method": "totp"}]


def test_an_admin_resets_the_factors_of_a_person_who_lost_them_but_not_their_own(world: World) -> None:
    enrol_totp(world, world.sam)
    enrol_totp(world, world.alice)
    token = auth.issue_token(world.uow(), email="mia@acme.example", password=PASSWORD, address="10.0.0.1")

    with pytest.raises(PermissionDenied):
        second_factors.reset_factors(world.uow(), world.alice.id, person_id=world.alice.id)
    with pytest.raises(NotFound):
        second_factors.reset_factors(world.uow(), world.grace.id, person_id=world.sam.id)
    second_factors.reset_factors(world.uow(), world.alice.id, person_id=world.sam.id)
    second_factors.reset_factors(world.uow(), None, email="MIA@acme.example")

    status = second_factors.status(world.uow(), world.sam.id)
    assert not status.totp and status.recovery_codes_left == 0
    assert second_factors.status(world.uow(), world.alice.id).totp
    with pytest.raises(Unauthenticated):
        auth.authenticate(world.uow(), token.token)
    assert events(world, "second_factors_reset") == [
        {"passkeys": 0, "totp": True, "tokens_revoked": 0},
        {"passkeys": 0, "totp": False, "tokens_revoked": 1}]
