"""Limits on failed sign-ins, by address: five failures lock an account only from the address
that made them, so a stranger cannot lock a person out; an account is locked everywhere only
after many failures from many addresses. (tests/e2e/test_auth.py covers one address.)"""

from __future__ import annotations

import pytest

from sharebound.domain.errors import RateLimited, Unauthenticated
from sharebound.services import auth
from sharebound.services.auth import ACCOUNT_FAILURES, ACCOUNT_WIDE_FAILURES, ADDRESS_FAILURES
from tests.factories import CHEAP_PASSWORDS
from tests.integration.world import World

PASSWORD = "a long passphrase"
ALICE = "alice@acme.example"


@pytest.fixture
def alice_can_sign_in(world: World) -> World:
    with world.uow() as uow:
        uow.auth.set_password_hash(world.alice.id, CHEAP_PASSWORDS.hash(PASSWORD))
        uow.commit()
    return world


def _fail(world: World, address: str, times: int, email: str = ALICE) -> None:
    for _ in range(times):
        with pytest.raises((Unauthenticated, RateLimited)):
            auth.issue_token(world.uow(), email=email, password="wrong guess", address=address)


def _signs_in(world: World, address: str) -> bool:
    try:
        auth.issue_token(world.uow(), email=ALICE, password=PASSWORD, address=address)
    except RateLimited:
        return False
    return True


def test_five_failures_from_a_strangers_address_do_not_lock_the_person_out_elsewhere(
        alice_can_sign_in: World) -> None:
    world = alice_can_sign_in
    _fail(world, "203.0.113.9", ACCOUNT_FAILURES)

    assert not _signs_in(world, "203.0.113.9")
    assert _signs_in(world, "198.51.100.7")


def test_an_account_is_locked_everywhere_after_failures_spread_over_many_addresses(
        alice_can_sign_in: World) -> None:
    world = alice_can_sign_in
    spread = [f"203.0.113.{n}" for n in range(ACCOUNT_WIDE_FAILURES // (ACCOUNT_FAILURES - 1) + 1)]
    for address in spread:  # each address stays under its own limit for this account
        _fail(world, address, ACCOUNT_FAILURES - 1)

    assert not _signs_in(world, "198.51.100.7")


def test_an_address_that_fails_on_many_accounts_is_locked_for_every_account(
        alice_can_sign_in: World) -> None:
    world = alice_can_sign_in
    for n in range(ADDRESS_FAILURES):
        _fail(world, "203.0.113.9", 1, email=f"nobody{n}@acme.example")

    assert not _signs_in(world, "203.0.113.9")
    assert _signs_in(world, "198.51.100.7")


def test_an_email_of_any_length_is_counted_without_overflowing_the_key(alice_can_sign_in: World) -> None:
    world = alice_can_sign_in
    long_email = "x" * 240 + "@acme.example"

    _fail(world, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", ACCOUNT_FAILURES, email=long_email)

    with pytest.raises(RateLimited):
        auth.issue_token(world.uow(), email=long_email, password="wrong guess",
                         address="2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")
