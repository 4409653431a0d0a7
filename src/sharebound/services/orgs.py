"""Organizations and their people."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sharebound.domain.audit import org_log
from sharebound.domain.errors import Conflict, InvalidInput, NotFound
from sharebound.domain.events import OrgCreated, OrgProfileChanged, PersonAdded, RolesChanged
from sharebound.domain.ids import new_id
from sharebound.domain.limits import MAX_NAME
from sharebound.domain.orgs import ALL_ROLES, LegalProfile, Org, Person, Role, changed_profile
from sharebound.domain.paging import FIRST_PAGE, Page, PageRequest
from sharebound.domain.values import is_email, is_handle, normalize_email, single_line
from sharebound.services import channels
from sharebound.services.common import actor, record, require_role, required_text
from sharebound.services.unit_of_work import UnitOfWork

MIN_PASSWORD = 12  # why: NIST SP 800-63B's floor is 8; partners' secrets deserve more


def create_org(
    uow: UnitOfWork, *, handle: str, name: str, admin_name: str, admin_email: str,
    admin_password: str | None = None, legal_name: str | None = None, address: str | None = None,
    profile: Mapping[str, object] | None = None,
) -> tuple[Org, Person]:
    """A new organization and its first admin, who holds all three roles. `legal_name`,
    `address` and `profile` (legal_name, address, notice_name, notice_email): its legal
    profile, all optional."""
    draft = NewOrg.checked(handle=handle, name=name, admin_name=admin_name, admin_email=admin_email,
                           admin_password=admin_password, legal_name=legal_name, address=address,
                           profile=profile)
    with uow:
        made = create_org_in(uow, draft)
        uow.commit()
    return made


@dataclass(frozen=True)
class NewOrg:
    """A sign-up's fields, checked: every bad one named at once (prefix `admin.` for the admin's,
    `profile.` for the legal profile's)."""

    handle: str
    name: str
    profile: LegalProfile
    admin_name: str
    admin_email: str
    admin_password: str | None

    @classmethod
    def checked(cls, *, handle: str, name: str, admin_name: str, admin_email: str,
                admin_password: str | None, legal_name: str | None = None,
                address: str | None = None, profile: Mapping[str, object] | None = None) -> NewOrg:
        errors = {}
        if not is_handle(handle):
            errors["handle"] = ("must be 1-40 lower-case letters, digits and inner hyphens, "
                                "e.g. acme or acme-labs")
        errors.update(_person_errors(admin_name, admin_email, admin_password, prefix="admin."))
        clean_name = ""
        try:
            clean_name = single_line("name", name, MAX_NAME, required=True)
        except InvalidInput as bad:
            errors.update(bad.errors)
        legal = LegalProfile()
        given = {k: v for k, v in (("legal_name", legal_name), ("address", address)) if v is not None}
        try:
            legal = changed_profile(legal, given)
        except InvalidInput as bad:
            errors.update(bad.errors)
        try:
            legal = changed_profile(legal, profile or {})
        except InvalidInput as bad:
            errors.update({f"profile.{k}": v for k, v in bad.errors.items()})
        if errors:
            raise InvalidInput(errors)
        return cls(handle=handle, name=clean_name, profile=legal, admin_name=admin_name.strip(),
                   admin_email=normalize_email(admin_email), admin_password=admin_password)


def create_org_in(uow: UnitOfWork, new: NewOrg) -> tuple[Org, Person]:
    """The step of creating an org and its first admin, inside a transaction the caller owns."""
    now = uow.clock()
    if uow.orgs.get_org(new.handle) is not None:
        raise Conflict(f"the handle {new.handle!r} is taken")
    if uow.orgs.get_person_by_email(new.admin_email) is not None:
        raise Conflict(f"{new.admin_email} already has an account")
    org = Org(handle=new.handle, name=new.name, created_at=now, profile=new.profile)
    admin = Person(id=new_id("per"), org=new.handle, name=new.admin_name, email=new.admin_email,
                   roles=ALL_ROLES, created_at=now)
    uow.orgs.add_org(org)
    uow.orgs.add_person(admin, uow.passwords.hash(new.admin_password) if new.admin_password else None)
    record(uow, org_log(new.handle), None, new.handle, OrgCreated(admin=admin.id))
    record(uow, org_log(new.handle), None, admin.id, PersonAdded(roles=tuple(sorted(admin.roles))))
    return org, admin


def add_person(
    uow: UnitOfWork, actor_id: str | None, *, org: str, name: str, email: str,
    roles: Iterable[str], password: str | None = None,
) -> Person:
    """Add a person to `org`: by one of its admins, or by the operator (`actor_id=None`)."""
    draft = NewPerson.checked(org=org, name=name, email=email, roles=roles, password=password)
    with uow:
        person = add_person_in(uow, actor_id, draft)
        uow.commit()
    return person


@dataclass(frozen=True)
class NewPerson:
    org: str
    name: str
    email: str
    roles: frozenset[Role]
    password: str | None

    @classmethod
    def checked(cls, *, org: str, name: str, email: str, roles: Iterable[str],
                password: str | None) -> NewPerson:
        errors = _person_errors(name, email, password)
        checked_roles = _roles(roles)
        if checked_roles is None:
            errors["roles"] = ROLES_ERROR
        if errors:
            raise InvalidInput(errors)
        assert checked_roles is not None
        return cls(org=org, name=name.strip(), email=normalize_email(email), roles=checked_roles,
                   password=password)


def add_person_in(uow: UnitOfWork, actor_id: str | None, new: NewPerson) -> Person:
    """The step of adding a person, inside a transaction the caller owns."""
    if actor_id is not None:
        admin = actor(uow, actor_id)
        if admin.org != new.org:
            raise NotFound("org", new.org)
        require_role(admin, Role.ADMIN)
    if uow.orgs.get_org(new.org) is None:
        raise NotFound("org", new.org)
    if uow.orgs.get_person_by_email(new.email) is not None:
        raise Conflict(f"{new.email} already has an account")
    person = Person(id=new_id("per"), org=new.org, name=new.name, email=new.email, roles=new.roles,
                    created_at=uow.clock())
    uow.orgs.add_person(person, uow.passwords.hash(new.password) if new.password else None)
    record(uow, org_log(new.org), actor_id, person.id, PersonAdded(roles=tuple(sorted(person.roles))))
    return person


def set_roles(uow: UnitOfWork, actor_id: str, person_id: str, roles: Iterable[str]) -> Person:
    """An admin changes a colleague's roles; an org always keeps at least one admin."""
    roles = list(roles)
    new_roles = _roles(roles)
    if new_roles is None:
        raise InvalidInput({"roles": ROLES_ERROR if roles else NO_ROLES_ERROR})
    with uow:
        admin = actor(uow, actor_id)
        person = uow.orgs.get_person(person_id)
        if person is None or person.org != admin.org:
            raise NotFound("person", person_id)
        require_role(admin, Role.ADMIN)
        uow.orgs.get_org(admin.org, lock=True)  # why: two admins demoting each other at once
        admins = [p for p in uow.orgs.people_of(admin.org, active_only=True) if Role.ADMIN in p.roles]
        if Role.ADMIN not in new_roles and [p.id for p in admins] == [person.id]:
            raise Conflict(f"{person.email} is the last admin of {admin.org}")
        uow.orgs.set_roles(person.id, new_roles)
        record(uow, org_log(admin.org), admin.id, person.id, RolesChanged(roles=tuple(sorted(new_roles))))
        uow.commit()
        return uow.orgs.get_person(person.id) or person


def set_profile(uow: UnitOfWork, actor_id: str, handle: str, changes: Mapping[str, object]) -> Org:
    """An admin changes the org's legal profile: the cover page of each agreement drafted
    after says it (agreements drafted before keep what they said)."""
    with uow:
        admin = actor(uow, actor_id)
        if handle != admin.org:
            raise NotFound("org", handle)
        require_role(admin, Role.ADMIN)
        org = uow.orgs.get_org(handle, lock=True)
        assert org is not None
        profile = changed_profile(org.profile, changes)
        channels.clear_public(uow, org=handle, label="the legal profile", text="\n".join(
            v for v in (profile.legal_name, profile.address, profile.notice_name) if v))
        uow.orgs.save_profile(handle, profile)
        record(uow, org_log(handle), admin.id, handle,
               OrgProfileChanged(fields=tuple(sorted(changes))))
        uow.commit()
        return uow.orgs.get_org(handle) or org


def get_org(uow: UnitOfWork, actor_id: str, handle: str) -> Org:
    """An org is visible to its own people and to the people of its partners."""
    with uow.reading():
        person = actor(uow, actor_id)
        org = uow.orgs.get_org(handle)
        partners = {m.org for p in uow.partnerships.list_for_org(person.org)
                    if p.has_accepted(person.org) for m in p.members if m.accepted_at is not None}
        if org is None or (handle != person.org and handle not in partners):
            raise NotFound("org", handle)
        return org


def get_person(uow: UnitOfWork, actor_id: str) -> Person:
    with uow.reading():
        return actor(uow, actor_id)


def list_people(uow: UnitOfWork, actor_id: str, org: str, request: PageRequest = FIRST_PAGE) -> Page[Person]:
    """One page of the people of the actor's own org, by name, then email, read in SQL."""
    with uow.reading():
        person = actor(uow, actor_id)
        if person.org != org:
            raise NotFound("org", org)
        return uow.orgs.people_page(org, request)


def every_person(uow: UnitOfWork, actor_id: str, org: str) -> list[Person]:
    """Every person of the actor's own org, by name (the admin page, names to show)."""
    with uow.reading():
        person = actor(uow, actor_id)
        if person.org != org:
            raise NotFound("org", org)
        return uow.orgs.people_of(org)


ROLES_ERROR = "must list one or more of admin, signer, member"
NO_ROLES_ERROR = (ROLES_ERROR + ": to remove someone from the organization, deactivate them")


def _roles(roles: Iterable[object]) -> frozenset[Role] | None:
    """The roles named, or None when the list is empty or names something that is no role."""
    names = list(roles)
    if not names or not all(isinstance(r, str) and r in {x.value for x in Role} for r in names):
        return None
    return frozenset(Role(str(r)) for r in names)


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
