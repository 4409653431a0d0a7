"""SCIM provisioning of an org's people and groups (the org is the one its SCIM token names).

Users are the org's people; a new one holds `member` and no password (they sign in with a
password an admin's invitation sets, or with single sign-on). Setting `active: false`, or
DELETE, is offboarding (services/people.py); DELETE also hides the person from SCIM (404),
while they stay in Sharebound, deactivated, for the register. Joining or leaving a group
named like a role gives or takes that role (`domain.scim`); a person left with no role
holds `member`. Each change is one transaction with its audit events (actor: none, the
provider).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sharebound.domain.audit import org_log
from sharebound.domain.errors import Conflict, InvalidInput, NotFound
from sharebound.domain.events import PersonAdded, PersonUpdated, RolesChanged, ScimGroupChanged
from sharebound.domain.ids import new_id
from sharebound.domain.orgs import Person, Role
from sharebound.domain.scim import (
    GroupDraft,
    ScimGroup,
    ScimUser,
    UserDraft,
    role_of_group,
)
from sharebound.services.common import record
from sharebound.services.people import deactivate_in, reactivate_in
from sharebound.services.unit_of_work import UnitOfWork

VIA = "scim"


# --- users -------------------------------------------------------------------------------------

def list_users(uow: UnitOfWork, org: str, *, where: tuple[str, str] | None, offset: int,
               limit: int) -> tuple[int, list[ScimUser]]:
    with uow.reading():
        return uow.scim.users(org, where=where, offset=offset, limit=limit)


def get_user(uow: UnitOfWork, org: str, user_id: str) -> ScimUser:
    with uow.reading():
        return _user(uow, org, user_id)


def create_user(uow: UnitOfWork, org: str, draft: UserDraft) -> ScimUser:
    draft = draft.checked()
    with uow:
        uow.orgs.get_org(org, lock=True)  # why: two creations of one userName at once
        _unique(uow, org, draft, but=None)
        person = Person(id=new_id("per"), org=org, name=draft.display, email=draft.email,
                        roles=frozenset({Role.MEMBER}), created_at=uow.clock())
        uow.orgs.add_person(person)
        uow.scim.set_user(person.id, user_name=draft.user_name, external_id=draft.external_id,
                          attributes=dict(draft.attributes))
        record(uow, org_log(org), None, person.id, PersonAdded(roles=(Role.MEMBER.value,)))
        if not draft.active:
            deactivate_in(uow, None, person, via=VIA)
        uow.commit()
        return _user(uow, org, person.id)


def replace_user(uow: UnitOfWork, org: str, user_id: str, draft: UserDraft) -> ScimUser:
    """PUT: the user becomes `draft`."""
    return change_user(uow, org, user_id, lambda _: draft)


def change_user(uow: UnitOfWork, org: str, user_id: str,
                change: Callable[[ScimUser], UserDraft]) -> ScimUser:
    """PATCH (or PUT): `change` makes the new user from the current one, inside the transaction."""
    with uow:
        uow.orgs.get_org(org, lock=True)
        current = _user(uow, org, user_id)
        draft = change(current).checked()
        person = current.person
        _unique(uow, org, draft, but=person.id)
        changed = tuple(sorted(f for f, old, new in (("name", person.name, draft.display),
                                                     ("email", person.email, draft.email))
                               if old != new))
        if changed:
            uow.orgs.set_name_and_email(person.id, name=draft.display, email=draft.email)
            record(uow, org_log(org), None, person.id, PersonUpdated(fields=changed, via=VIA))
        uow.scim.set_user(person.id, user_name=draft.user_name, external_id=draft.external_id,
                          attributes=dict(draft.attributes))
        if draft.active and not person.active:
            reactivate_in(uow, None, person, via=VIA)
        elif not draft.active and person.active:
            deactivate_in(uow, None, person, via=VIA)
        uow.commit()
        return _user(uow, org, person.id)


def delete_user(uow: UnitOfWork, org: str, user_id: str) -> None:
    """DELETE: deactivate the person (offboarding) and hide them from SCIM from now on."""
    with uow:
        uow.orgs.get_org(org, lock=True)
        person = _user(uow, org, user_id).person
        deactivate_in(uow, None, person, via=VIA)
        uow.scim.remove_member_everywhere(person.id)
        uow.scim.mark_deleted(person.id, uow.clock())
        uow.commit()


def _user(uow: UnitOfWork, org: str, user_id: str) -> ScimUser:
    found = uow.scim.user(org, user_id)
    if found is None:
        raise NotFound("User", user_id)
    return found


def _unique(uow: UnitOfWork, org: str, draft: UserDraft, *, but: str | None) -> None:
    if uow.scim.user_name_taken(org, draft.user_name, but=but):
        raise Conflict(f"the userName {draft.user_name!r} is taken")
    holder = uow.orgs.get_person_by_email(draft.email)
    if holder is not None and holder.id != but:
        raise Conflict(f"{draft.email} already has an account")


# --- groups ------------------------------------------------------------------------------------

def list_groups(uow: UnitOfWork, org: str, *, where: tuple[str, str] | None, offset: int,
                limit: int) -> tuple[int, list[ScimGroup]]:
    with uow.reading():
        return uow.scim.groups(org, where=where, offset=offset, limit=limit)


def get_group(uow: UnitOfWork, org: str, group_id: str) -> ScimGroup:
    with uow.reading():
        return _group(uow, org, group_id)


def create_group(uow: UnitOfWork, org: str, draft: GroupDraft) -> ScimGroup:
    draft = draft.checked()
    with uow:
        uow.orgs.get_org(org, lock=True)
        _group_name_free(uow, org, draft.display_name, but=None)
        _members_known(uow, org, draft.members)
        group = ScimGroup(id=new_id("grp"), org=org, display_name=draft.display_name,
                          external_id=draft.external_id, created_at=uow.clock(), members=draft.members)
        uow.scim.add_group(group)
        _roles_follow(uow, org, before=None, after=group)
        record(uow, org_log(org), None, group.id, ScimGroupChanged(
            display_name=group.display_name, change="created", members=len(group.members)))
        uow.commit()
        return _group(uow, org, group.id)


def change_group(uow: UnitOfWork, org: str, group_id: str,
                 change: Callable[[ScimGroup], GroupDraft]) -> ScimGroup:
    """PUT or PATCH: `change` makes the new group from the current one, inside the transaction."""
    with uow:
        uow.orgs.get_org(org, lock=True)
        before = _group(uow, org, group_id)
        draft = change(before).checked()
        _group_name_free(uow, org, draft.display_name, but=group_id)
        _members_known(uow, org, draft.members)
        uow.scim.update_group(group_id, display_name=draft.display_name, external_id=draft.external_id)
        uow.scim.set_members(group_id, draft.members)
        after = _group(uow, org, group_id)
        _roles_follow(uow, org, before=before, after=after)
        record(uow, org_log(org), None, group_id, ScimGroupChanged(
            display_name=after.display_name, change="updated", members=len(after.members)))
        uow.commit()
        return after


def delete_group(uow: UnitOfWork, org: str, group_id: str) -> None:
    with uow:
        uow.orgs.get_org(org, lock=True)
        before = _group(uow, org, group_id)
        uow.scim.delete_group(group_id)
        _roles_follow(uow, org, before=before, after=None)
        record(uow, org_log(org), None, group_id, ScimGroupChanged(
            display_name=before.display_name, change="deleted", members=0))
        uow.commit()


def _group(uow: UnitOfWork, org: str, group_id: str) -> ScimGroup:
    found = uow.scim.group(org, group_id)
    if found is None:
        raise NotFound("Group", group_id)
    return found


def _group_name_free(uow: UnitOfWork, org: str, name: str, *, but: str | None) -> None:
    _, same = uow.scim.groups(org, where=("displayName", name), limit=2)
    if any(g.id != but for g in same):
        raise Conflict(f"the group {name!r} exists")


def _members_known(uow: UnitOfWork, org: str, members: Iterable[str]) -> None:
    """Every member must be a user of this org that SCIM shows; another org's are unknown."""
    unknown = sorted(m for m in members if uow.scim.user(org, m) is None)
    if unknown:
        raise InvalidInput({"members": f"no user {', '.join(unknown)} in this organization"})


def _roles_follow(uow: UnitOfWork, org: str, *, before: ScimGroup | None,
                  after: ScimGroup | None) -> None:
    """Give the role of a role-named group to who joined it, take it from who left it."""
    old_role = role_of_group(before.display_name) if before else None
    new_role = role_of_group(after.display_name) if after else None
    old = set(before.members) if before and old_role else set()
    new = set(after.members) if after and new_role else set()
    for person_id in sorted(old | new):
        person = uow.orgs.get_person(person_id)
        if person is None:
            continue
        roles = set(person.roles)
        if old_role is not None and person_id in old and (person_id not in new or old_role != new_role):
            roles.discard(old_role)
        if person_id in new and new_role is not None:
            roles.add(new_role)
        _set_roles(uow, org, person, frozenset(roles) or frozenset({Role.MEMBER}))


def _set_roles(uow: UnitOfWork, org: str, person: Person, roles: frozenset[Role]) -> None:
    if roles == person.roles:
        return
    if Role.ADMIN in person.roles and Role.ADMIN not in roles and person.active:
        admins = [p for p in uow.orgs.people_of(org, active_only=True) if Role.ADMIN in p.roles]
        if [p.id for p in admins] == [person.id]:
            raise Conflict(f"{person.email} is the last active admin of {org}")
    uow.orgs.set_roles(person.id, roles)
    record(uow, org_log(org), None, person.id, RolesChanged(roles=tuple(sorted(roles))))
