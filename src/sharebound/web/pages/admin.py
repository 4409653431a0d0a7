"""Pages: an organization's admin — its people, their roles, adding a person.

Without a password a new person gets an invitation link: it is shown once, on the page that
answers the form, for the admin to copy and send. A double submit adds nobody twice.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.cover import MAX_ADDRESS, MAX_LEGAL_NAME
from sharebound.domain.errors import Conflict, InvalidInput, PermissionDenied
from sharebound.domain.limits import MAX_EMAIL, MAX_NAME
from sharebound.domain.orgs import PROFILE_FIELDS, Person, Role
from sharebound.services import auth, orgs
from sharebound.services import people as people_service
from sharebound.services.auth import INVITATION_DAYS, BrowserSession
from sharebound.services.common import require_role
from sharebound.services.orgs import NewPerson
from sharebound.services.unit_of_work import UnitOfWork
from sharebound.web.pages.common import (
    CheckedForm,
    FormUow,
    Session,
    Uow,
    claim_form,
    core,
    finish_form,
    form_text,
    render,
)

router = APIRouter(include_in_schema=False)

ROLES = [role.value for role in Role]
PEOPLE = "/admin/people"

# What a redirect's ?notice= code says; only these texts are ever shown.
NOTICES = {
    "added": "The person is added: they can sign in with the password you set.",
    "invited": ("The person is added. Their invitation link was shown once, on the page that "
                "answered the form."),
    "roles": "The roles are saved.",
    "deactivated": "The person is deactivated: their sessions and tokens ended.",
    "reactivated": "The person is reactivated: they can sign in again.",
}


def _people_page(
    request: Request, me: BrowserSession, uow: UnitOfWork, *, status_code: int = 200,
    notice: str | None = None, typed: dict[str, Any] | None = None,
    add_errors: dict[str, str] | None = None, role_errors: dict[str, str] | None = None,
    typed_roles: dict[str, list[str]] | None = None, invited: Person | None = None,
    invitation_url: str | None = None, saved: str = "", status_errors: dict[str, str] | None = None,
) -> Response:
    people = orgs.every_person(uow, me.person.id, me.person.org)
    changed = next((p for p in people if p.id == saved), None)
    if notice == NOTICES["roles"] and changed is not None:
        notice = f"The roles of {changed.name} are saved: {', '.join(sorted(changed.roles))}."
    return render(request, "admin_people.html", me.person, me.csrf, status_code=status_code,
                  people=people, roles=ROLES, notice=notice,
                  typed=typed or {"name": "", "email": "", "roles": [Role.MEMBER.value]},
                  add_errors=add_errors or {}, role_errors=role_errors or {},
                  typed_roles=typed_roles or {}, status_errors=status_errors or {}, invited=invited,
                  invitation_url=invitation_url,
                  invitation_days=INVITATION_DAYS)


def _roles(form: Any) -> list[str]:
    return [r for r in form.getlist("roles") if isinstance(r, str)]


@router.get("/admin/people", response_class=HTMLResponse)
def people(request: Request, me: Session, uow: Uow, notice: str = "", person: str = "") -> Response:
    require_role(me.person, Role.ADMIN)
    return _people_page(request, me, uow, notice=NOTICES.get(notice), saved=person)


@router.post("/admin/people")
def add_person(request: Request, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    require_role(me.person, Role.ADMIN)
    name, email, roles = form_text(form, "name"), form_text(form, "email"), _roles(form)
    typed: dict[str, Any] = {"name": name, "email": email, "roles": roles}
    password = form_text(form, "password") or None  # empty: send an invitation instead
    claimed = claim_form(uow, form, me.person, PEOPLE)
    if claimed is not None:
        return claimed
    try:
        new = NewPerson.checked(org=me.person.org, name=name, email=email, roles=roles,
                                password=password)
        person, invitation = auth.invite_person(uow, me.person.id, new)
    except InvalidInput as bad:
        return _people_page(request, me, uow, typed=typed, add_errors=bad.errors, status_code=422)
    except (Conflict, PermissionDenied) as refused:
        return _people_page(request, me, uow, typed=typed, add_errors={"form": str(refused)},
                            status_code=409 if isinstance(refused, Conflict) else 403)
    if invitation is None:
        return finish_form(uow, form, f"{PEOPLE}?notice=added#main")
    # A double submit of this form goes to the list: the link is never shown twice.
    finish_form(uow, form, f"{PEOPLE}?notice=invited#main")
    base = core(request).settings.base_url.rstrip("/")
    url = f"{base}/invitations/accept?{urlencode({'token': invitation})}"
    return _people_page(request, me, uow, invited=person, invitation_url=url,
                        notice=f"{person.name} is added. Send them the invitation link below.")


@router.post("/admin/people/{person_id}/roles")
def set_roles(request: Request, person_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    require_role(me.person, Role.ADMIN)
    roles = _roles(form)
    claimed = claim_form(uow, form, me.person, PEOPLE)
    if claimed is not None:
        return claimed
    try:
        orgs.set_roles(uow, me.person.id, person_id, roles)
    except InvalidInput as bad:
        return _people_page(request, me, uow, role_errors={person_id: bad.errors.get("roles", str(bad))},
                            typed_roles={person_id: roles}, status_code=422)
    except (Conflict, PermissionDenied) as refused:
        return _people_page(request, me, uow, role_errors={person_id: str(refused)},
                            typed_roles={person_id: roles},
                            status_code=409 if isinstance(refused, Conflict) else 403)
    if person_id == me.person.id and Role.ADMIN.value not in roles:
        return finish_form(uow, form, "/#main")  # no longer an admin: this page is closed to them now
    return finish_form(uow, form, f"{PEOPLE}?{urlencode({'notice': 'roles', 'person': person_id})}#main")


PROFILE = "/admin/profile"
PROFILE_FORM = [  # name, label, input type, longest
    ("legal_name", "Legal name (as registered)", "text", MAX_LEGAL_NAME),
    ("address", "Registered address (one line each)", "textarea", MAX_ADDRESS),
    ("notice_name", "Notice contact: name", "text", MAX_NAME),
    ("notice_email", "Notice contact: email", "email", MAX_EMAIL),
]


def _profile_page(request: Request, me: BrowserSession, uow: UnitOfWork, *, status_code: int = 200,
                  notice: str | None = None, typed: dict[str, Any] | None = None,
                  errors: dict[str, str] | None = None) -> Response:
    if typed is None:
        profile = orgs.get_org(uow, me.person.id, me.person.org).profile
        typed = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    return render(request, "admin_profile.html", me.person, me.csrf, status_code=status_code,
                  fields=PROFILE_FORM, typed=typed, errors=errors or {}, notice=notice)


@router.get("/admin/profile", response_class=HTMLResponse)
def profile(request: Request, me: Session, uow: Uow, notice: str = "") -> Response:
    require_role(me.person, Role.ADMIN)
    return _profile_page(request, me, uow,
                         notice="The legal profile is saved." if notice == "saved" else None)


@router.post("/admin/profile")
def save_profile(request: Request, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    require_role(me.person, Role.ADMIN)
    typed = {name: form_text(form, name) for name in PROFILE_FIELDS}
    claimed = claim_form(uow, form, me.person, PROFILE)
    if claimed is not None:
        return claimed
    try:
        orgs.set_profile(uow, me.person.id, me.person.org, typed)
    except InvalidInput as bad:
        return _profile_page(request, me, uow, typed=typed, errors=bad.errors, status_code=422)
    return finish_form(uow, form, f"{PROFILE}?notice=saved#main")


@router.post("/admin/people/{person_id}/deactivate")
def deactivate(request: Request, person_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    return _set_active(request, person_id, form, me, uow, active=False)


@router.post("/admin/people/{person_id}/reactivate")
def reactivate(request: Request, person_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    return _set_active(request, person_id, form, me, uow, active=True)


def _set_active(request: Request, person_id: str, form: Any, me: BrowserSession, uow: UnitOfWork, *,
                active: bool) -> Response:
    require_role(me.person, Role.ADMIN)
    claimed = claim_form(uow, form, me.person, PEOPLE)
    if claimed is not None:
        return claimed
    change = people_service.reactivate_person if active else people_service.deactivate_person
    try:
        change(uow, me.person.id, person_id)
    except (Conflict, PermissionDenied) as refused:
        return _people_page(request, me, uow, status_errors={person_id: str(refused)},
                            status_code=409 if isinstance(refused, Conflict) else 403)
    if not active and person_id == me.person.id:
        return finish_form(uow, form, "/login")  # their own session ended with it
    notice = "reactivated" if active else "deactivated"
    return finish_form(uow, form, f"{PEOPLE}?{urlencode({'notice': notice})}#person-{person_id}")
