"""Organizations and their people."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request

from sharebound.bootstrap import App
from sharebound.domain.errors import NotFound
from sharebound.services import auth, orgs, people, signup
from sharebound.services.orgs import NewOrg, NewPerson
from sharebound.web.deps import Me, Uow
from sharebound.web.paging import Page, PagingOf
from sharebound.web.schemas import OrgProfileRequest, PersonRequest, RolesRequest, SignupRequest
from sharebound.web.views import OrgOut, PersonCreatedOut, PersonOut, SignupOut

router = APIRouter(tags=["orgs"])


@router.post("/orgs", response_model=SignupOut, status_code=201)
def sign_up(body: SignupRequest, request: Request, uow: Uow) -> SignupOut:
    """Create an organization and its first admin (who holds all three roles).

    Only when the instance allows open signup (SHAREBOUND_OPEN_SIGNUP); otherwise 404.
    Sign-ups are limited per client address (20 an hour): past it, 429.
    """
    core: App = request.app.state.core
    if not core.settings.open_signup:
        raise NotFound("route", "POST /api/v1/orgs")
    draft = NewOrg.checked(handle=body.handle, name=body.name, legal_name=body.legal_name,
                           address=body.address, profile=body.profile.changes() if body.profile else None,
                           admin_name=body.admin.name,
                           admin_email=body.admin.email, admin_password=body.admin.password)
    made = signup.sign_up(uow, draft, address=request.client.host if request.client else "unknown")
    return SignupOut(org=OrgOut.of(made.org), admin=PersonOut.of(made.admin))


@router.get("/orgs/{handle}", response_model=OrgOut)
def get_org(handle: str, me: Me, uow: Uow) -> OrgOut:
    """Your own organization, or one you are in a partnership with."""
    return OrgOut.of(orgs.get_org(uow, me.id, handle))


@router.patch("/orgs/{handle}", response_model=OrgOut)
def set_profile(handle: str, body: OrgProfileRequest, me: Me, uow: Uow) -> OrgOut:
    """An admin sets the org's legal profile (legal name, address, notice contact), which
    fills the cover page of agreements drafted after."""
    return OrgOut.of(orgs.set_profile(uow, me.id, handle, body.changes()))


@router.get("/orgs/{handle}/people", response_model=Page[PersonOut])
def list_people(handle: str, me: Me, uow: Uow, paging: PagingOf) -> Page[PersonOut]:
    """The people of your own organization, by name, then email. Paged in SQL."""
    return paging.out(orgs.list_people(uow, me.id, handle, paging.request), PersonOut.of)


@router.post("/orgs/{handle}/people", response_model=PersonCreatedOut, status_code=201)
def add_person(handle: str, body: PersonRequest, request: Request, me: Me, uow: Uow) -> PersonCreatedOut:
    """An admin adds a person. Without a password, the answer carries an invitation link."""
    new = NewPerson.checked(org=handle, name=body.name, email=body.email, roles=body.roles,
                            password=body.password)
    person, invitation = auth.invite_person(uow, me.id, new)
    url = None
    if invitation is not None:
        base = request.app.state.core.settings.base_url.rstrip("/")
        url = f"{base}/invitations/accept?{urlencode({'token': invitation})}"
    return PersonCreatedOut(person=PersonOut.of(person), invitation_url=url)


@router.put("/orgs/{handle}/people/{person_id}/roles", response_model=PersonOut)
def set_roles(handle: str, person_id: str, body: RolesRequest, me: Me, uow: Uow) -> PersonOut:
    """An admin changes a colleague's roles; an organization keeps at least one admin."""
    if handle != me.org:
        raise NotFound("org", handle)
    return PersonOut.of(orgs.set_roles(uow, me.id, person_id, body.roles))


@router.post("/orgs/{handle}/people/{person_id}/deactivate", response_model=PersonOut)
def deactivate_person(handle: str, person_id: str, me: Me, uow: Uow) -> PersonOut:
    """An admin deactivates a person of their organization: at once their sessions and tokens
    end and every access decision refuses them (`inactive`). The last active admin stays (409)."""
    if handle != me.org:
        raise NotFound("org", handle)
    return PersonOut.of(people.deactivate_person(uow, me.id, person_id))


@router.post("/orgs/{handle}/people/{person_id}/reactivate", response_model=PersonOut)
def reactivate_person(handle: str, person_id: str, me: Me, uow: Uow) -> PersonOut:
    """An admin reactivates a deactivated person; they sign in again."""
    if handle != me.org:
        raise NotFound("org", handle)
    return PersonOut.of(people.reactivate_person(uow, me.id, person_id))
