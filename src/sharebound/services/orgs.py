"""Organizations and their people."""

from __future__ import annotations

from collections.abc import Iterable

from sharebound.adapters.passwords import hash_password
from sharebound.domain.audit import org_log
from sharebound.domain.errors import Conflict, InvalidInput, NotFound
from sharebound.domain.ids import new_id
from sharebound.domain.orgs import ALL_ROLES, Org, Person, Role
from sharebound.domain.values import is_email, is_handle, normalize_email
from sharebound.services.common import actor, record, require_role, required_text
from sharebound.services.unit_of_work import UnitOfWork

MIN_PASSWORD = 12  # why: NIST SP 800-63B's floor is 8; partners' secrets deserve more


def create_org(
    uow: UnitOfWork, *, handle: str, name: str, admin_name: str, admin_email: str,
    admin_password: str | None = None,
) -> tuple[Org, Person]:
    """A new organization and its first admin, who holds all three roles."""
    errors = {}
    if not is_handle(handle):
        errors["handle"] = ("must be 1-40 lower-case letters, digits and inner hyphens, "
                            "e.g. acme or acme-labs")
    errors.update(_person_errors(admin_name, admin_email, admin_password, prefix="admin."))
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        errors["name"] = "is required (at most 200 characters)"
    if errors:
        raise InvalidInput(errors)
    with uow:
        now = uow.clock()
        if uow.orgs.get_org(handle) is not None:
            raise Conflict(f"the handle {handle!r} is taken")
        email = normalize_email(admin_email)
        if uow.orgs.get_person_by_email(email) is not None:
            raise Conflict(f"{email} already has an account")
        org = Org(handle=handle, name=name.strip(), created_at=now)
        admin = Person(id=new_id("per"), org=handle, name=admin_name.strip(), email=email,
                       roles=ALL_ROLES, created_at=now)
        uow.orgs.add_org(org)
        uow.orgs.add_person(admin, hash_password(admin_password) if admin_password else None)
        record(uow, org_log(handle), "org_created", None, handle, {"admin": admin.id})
        record(uow, org_log(handle), "person_added", None, admin.id,
               {"roles": sorted(admin.roles)})
        uow.commit()
    return org, admin


def add_person(
    uow: UnitOfWork, actor_id: str | None, *, org: str, name: str, email: str,
    roles: Iterable[str], password: str | None = None,
) -> Person:
    """Add a person to `org`: by one of its admins, or by the operator (`actor_id=None`)."""
    role_list = list(roles)
    errors = _person_errors(name, email, password)
    if not role_list or not set(role_list) <= {r.value for r in Role}:
        errors["roles"] = "must list one or more of admin, signer, member"
    if errors:
        raise InvalidInput(errors)
    with uow:
        if actor_id is not None:
            admin = actor(uow, actor_id)
            if admin.org != org:
                raise NotFound("org", org)
            require_role(admin, Role.ADMIN)
        if uow.orgs.get_org(org) is None:
            raise NotFound("org", org)
        address = normalize_email(email)
        if uow.orgs.get_person_by_email(address) is not None:
            raise Conflict(f"{address} already has an account")
        person = Person(id=new_id("per"), org=org, name=name.strip(), email=address,
                        roles=frozenset(Role(r) for r in role_list), created_at=uow.clock())
        uow.orgs.add_person(person, hash_password(password) if password else None)
        record(uow, org_log(org), "person_added", actor_id, person.id,
               {"roles": sorted(person.roles)})
        uow.commit()
    return person


def list_people(uow: UnitOfWork, actor_id: str, org: str) -> list[Person]:
    with uow:
        person = actor(uow, actor_id)
        if person.org != org:
            raise NotFound("org", org)
        return uow.orgs.people_of(org)


def _person_errors(name: str, email: str, password: str | None, prefix: str = "") -> dict[str, str]:
    errors = {}
    try:
        required_text(f"{prefix}name", name, 200)
    except InvalidInput as bad:
        errors.update(bad.errors)
    if not isinstance(email, str) or not is_email(normalize_email(email)):
        errors[f"{prefix}email"] = "must be an email address"
    if password is not None and (not isinstance(password, str) or len(password) < MIN_PASSWORD):
        errors[f"{prefix}password"] = f"must be at least {MIN_PASSWORD} characters"
    return errors
