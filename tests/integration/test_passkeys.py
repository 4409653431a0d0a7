"""Passkeys on both databases, with a software authenticator speaking real WebAuthn bytes: a
registration, assertions that count, and the ones that must not (another origin, a counter
that did not grow, a challenge used twice or too old, another person's passkey)."""

from __future__ import annotations

import pytest

from sharebound.bootstrap import App
from sharebound.domain.errors import Conflict, InvalidInput, SecondFactorNeeded
from sharebound.domain.orgs import Person
from sharebound.domain.second_factors import FactorProof
from sharebound.services import passkeys, second_factors
from tests.conftest import FakeClock
from tests.factories import sign_as
from tests.integration.world import World, build_world
from tests.softkey import SoftKey

ORIGIN = "http://127.0.0.1:8000"  # the default SHAREBOUND_BASE_URL: RP id 127.0.0.1


@pytest.fixture
def world(app: App) -> World:
    return build_world(app)


def registered(world: World, person: Person) -> SoftKey:
    key = SoftKey(ORIGIN, "127.0.0.1")
    options = passkeys.registration_options(world.uow(), person.id)
    passkeys.register_passkey(world.uow(), person.id, key.register(options), name="Laptop")
    return key


def fresh(world: World, person: Person, assertion: dict[str, object]) -> str | None:
    uow = world.uow()
    with uow:
        method = second_factors.verify_fresh_factor(uow, person, FactorProof(webauthn=assertion))
        uow.commit()
    return method


def test_a_registered_passkey_is_a_second_factor(world: World) -> None:
    key = registered(world, world.sam)

    options = passkeys.assertion_options(world.uow(), world.sam.id)

    assert options["rpId"] == "127.0.0.1"
    assert fresh(world, world.sam, key.assert_(options)) == "webauthn"
    status = second_factors.status(world.uow(), world.sam.id)
    assert [k.name for k in status.passkeys] == ["Laptop"] and status.passkeys[0].sign_count == 1


def test_a_registration_from_another_origin_is_refused(world: World) -> None:
    key = SoftKey("http://evil.example", "127.0.0.1")
    options = passkeys.registration_options(world.uow(), world.sam.id)

    with pytest.raises(InvalidInput, match="credential"):
        passkeys.register_passkey(world.uow(), world.sam.id, key.register(options))
    assert second_factors.status(world.uow(), world.sam.id).passkeys == ()


def test_an_assertion_from_another_origin_is_refused(world: World) -> None:
    key = registered(world, world.sam)
    options = passkeys.assertion_options(world.uow(), world.sam.id)

    with pytest.raises(SecondFactorNeeded):
        fresh(world, world.sam, key.assert_(options, origin="http://evil.example"))


def test_an_assertion_whose_counter_went_backwards_is_refused(world: World) -> None:
    key = registered(world, world.sam)
    fresh(world, world.sam, key.assert_(passkeys.assertion_options(world.uow(), world.sam.id), counter=5))

    with pytest.raises(SecondFactorNeeded):
        fresh(world, world.sam, key.assert_(passkeys.assertion_options(world.uow(), world.sam.id), counter=3))
    assert second_factors.status(world.uow(), world.sam.id).passkeys[0].sign_count == 5


def test_a_challenge_counts_once(world: World) -> None:
    key = registered(world, world.sam)
    options = passkeys.assertion_options(world.uow(), world.sam.id)
    fresh(world, world.sam, key.assert_(options))

    with pytest.raises(SecondFactorNeeded):
        fresh(world, world.sam, key.assert_(options))


def test_a_challenge_older_than_five_minutes_is_refused(world: World, clock: FakeClock) -> None:
    key = registered(world, world.sam)
    options = passkeys.assertion_options(world.uow(), world.sam.id)
    clock.advance(minutes=6)

    with pytest.raises(SecondFactorNeeded):
        fresh(world, world.sam, key.assert_(options))


def test_another_persons_passkey_does_not_count(world: World) -> None:
    registered(world, world.sam)
    alice_key = registered(world, world.alice)
    options = passkeys.assertion_options(world.uow(), world.sam.id)

    with pytest.raises(SecondFactorNeeded):
        fresh(world, world.sam, alice_key.assert_(options))


def test_signing_with_a_passkey_records_webauthn(world: World) -> None:
    key = registered(world, world.sam)
    agreement = world.draft()
    assertion = key.assert_(passkeys.assertion_options(world.uow(), world.sam.id))

    signed = sign_as(world.uow(), world.sam.id, agreement.id, digest=agreement.current.digest, title="GC",
                     second_factor=FactorProof(webauthn=assertion))

    assert len(signed.signatures) == 1


def test_the_last_passkey_stays_while_the_policy_needs_a_factor(world: World) -> None:
    registered(world, world.sam)
    second_factors.set_policy(world.uow(), world.alice.id, "acme", "everyone")
    only = second_factors.status(world.uow(), world.sam.id).passkeys[0]

    with pytest.raises(Conflict):
        passkeys.remove_passkey(world.uow(), world.sam.id, only.id)
    second_factors.set_policy(world.uow(), world.alice.id, "acme", "none")
    passkeys.remove_passkey(world.uow(), world.sam.id, only.id)
    assert second_factors.status(world.uow(), world.sam.id).passkeys == ()
