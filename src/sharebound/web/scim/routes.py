"""/scim/v2: SCIM 2.0 (RFC 7644) for an org's identity provider. The bearer is one of the
org's SCIM tokens; it sees and changes that org's people and groups only. See docs/scim.md."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import Response

from sharebound.domain.errors import Unauthenticated
from sharebound.domain.scim import MAX_PAGE, ScimGroup, parse_filter
from sharebound.services import scim
from sharebound.services.scim_tokens import scim_org
from sharebound.web.deps import Uow
from sharebound.web.scim import discovery, resources
from sharebound.web.scim.errors import ScimProblem, error_response, scim_response

router = APIRouter(prefix="/scim/v2", include_in_schema=False)


def _org(request: Request, uow: Uow) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send Authorization: Bearer <SCIM token>")
    return scim_org(uow, token.strip())


Org = Annotated[str, Depends(_org)]
Json = Annotated[Any, Body()]
Filter = Annotated[str | None, Query(alias="filter", max_length=1000)]
Start = Annotated[int, Query(alias="startIndex")]
Count = Annotated[int, Query(alias="count")]
Attributes = Annotated[str | None, Query(alias="attributes", max_length=1000)]
Excluded = Annotated[str | None, Query(alias="excludedAttributes", max_length=1000)]


def _base(request: Request) -> str:
    return f"{str(request.base_url).rstrip('/')}/scim/v2"


def _page(start: int, count: int) -> tuple[int, int, int]:
    """(startIndex as answered, offset, limit): startIndex below 1 is 1 (RFC 7644 §3.4.2.4)."""
    start = max(start, 1)
    return start, start - 1, min(max(count, 0), MAX_PAGE)


# --- discovery ---------------------------------------------------------------------------------

@router.get("/ServiceProviderConfig")
def service_provider_config(request: Request, _: Org) -> Response:
    return scim_response(discovery.service_provider_config(_base(request)))


@router.get("/ResourceTypes")
def resource_types(request: Request, _: Org) -> Response:
    found = discovery.resource_types(_base(request))
    return scim_response(discovery.list_response(found, len(found), 1))


@router.get("/ResourceTypes/{name}")
def resource_type(request: Request, name: str, _: Org) -> Response:
    found = next((t for t in discovery.resource_types(_base(request)) if t["id"] == name), None)
    return scim_response(found) if found else error_response(404, f"no resource type {name!r}")


@router.get("/Schemas")
def schemas(request: Request, _: Org) -> Response:
    found = discovery.schemas(_base(request))
    return scim_response(discovery.list_response(found, len(found), 1))


@router.get("/Schemas/{urn}")
def schema(request: Request, urn: str, _: Org) -> Response:
    found = next((s for s in discovery.schemas(_base(request)) if s["id"] == urn), None)
    return scim_response(found) if found else error_response(404, f"no schema {urn!r}")


@router.post("/.search")
def search_everything(_: Org) -> Response:
    """Searching several resource types at once is not offered (RFC 7644 §3.4.3 allows 501)."""
    raise ScimProblem(501, "search Users or Groups apart: GET /Users?filter=... or /Groups?filter=...")


# --- users -------------------------------------------------------------------------------------

@router.get("/Users")
def list_users(request: Request, org: Org, uow: Uow, filter_: Filter = None, start: Start = 1,
               count: Count = MAX_PAGE, attributes: Attributes = None, excluded: Excluded = None) -> Response:
    where = parse_filter(filter_, ("userName", "externalId", "id"))
    start, offset, limit = _page(start, count)
    total, found = scim.list_users(uow, org, where=(where.attribute, where.value) if where else None,
                                   offset=offset, limit=limit)
    base = _base(request)
    listed = [resources.selected(resources.user_json(u, base), attributes, excluded) for u in found]
    return scim_response(discovery.list_response(listed, total, start))


@router.get("/Users/{user_id}")
def get_user(request: Request, user_id: str, org: Org, uow: Uow, attributes: Attributes = None,
             excluded: Excluded = None) -> Response:
    body = resources.user_json(scim.get_user(uow, org, user_id), _base(request))
    return scim_response(resources.selected(body, attributes, excluded))


@router.post("/Users")
def create_user(request: Request, body: Json, org: Org, uow: Uow) -> Response:
    made = resources.user_json(scim.create_user(uow, org, resources.user_draft(body, replacing=False)),
                               _base(request))
    return scim_response(made, 201, {"Location": made["meta"]["location"]})


@router.put("/Users/{user_id}")
def replace_user(request: Request, user_id: str, body: Json, org: Org, uow: Uow) -> Response:
    draft = resources.user_draft(body, replacing=True)
    return scim_response(resources.user_json(scim.replace_user(uow, org, user_id, draft), _base(request)))


@router.patch("/Users/{user_id}")
def patch_user(request: Request, user_id: str, body: Json, org: Org, uow: Uow) -> Response:
    base = _base(request)
    changed = scim.change_user(uow, org, user_id,
                               lambda now: resources.patched_user(body, resources.user_json(now, base)))
    return scim_response(resources.user_json(changed, base))


@router.delete("/Users/{user_id}")
def delete_user(user_id: str, org: Org, uow: Uow) -> Response:
    """Deprovisioning: the person is deactivated (offboarding) and SCIM sees them no more."""
    scim.delete_user(uow, org, user_id)
    return Response(status_code=204)


# --- groups ------------------------------------------------------------------------------------

def _group_json(request: Request, group: ScimGroup) -> dict[str, Any]:
    return resources.group_json(group, _base(request))


@router.get("/Groups")
def list_groups(request: Request, org: Org, uow: Uow, filter_: Filter = None, start: Start = 1,
                count: Count = MAX_PAGE, attributes: Attributes = None,
                excluded: Excluded = None) -> Response:
    where = parse_filter(filter_, ("displayName", "externalId", "id"))
    start, offset, limit = _page(start, count)
    total, found = scim.list_groups(uow, org, where=(where.attribute, where.value) if where else None,
                                    offset=offset, limit=limit)
    listed = [resources.selected(_group_json(request, g), attributes, excluded) for g in found]
    return scim_response(discovery.list_response(listed, total, start))


@router.get("/Groups/{group_id}")
def get_group(request: Request, group_id: str, org: Org, uow: Uow, attributes: Attributes = None,
              excluded: Excluded = None) -> Response:
    body = _group_json(request, scim.get_group(uow, org, group_id))
    return scim_response(resources.selected(body, attributes, excluded))


@router.post("/Groups")
def create_group(request: Request, body: Json, org: Org, uow: Uow) -> Response:
    made = scim.create_group(uow, org, resources.group_draft(body, replacing=False))
    answer = _group_json(request, made)
    return scim_response(answer, 201, {"Location": answer["meta"]["location"]})


@router.put("/Groups/{group_id}")
def replace_group(request: Request, group_id: str, body: Json, org: Org, uow: Uow) -> Response:
    draft = resources.group_draft(body, replacing=True)
    changed = scim.change_group(uow, org, group_id, lambda _: draft)
    return scim_response(_group_json(request, changed))


@router.patch("/Groups/{group_id}")
def patch_group(request: Request, group_id: str, body: Json, org: Org, uow: Uow) -> Response:
    base = _base(request)
    changed = scim.change_group(uow, org, group_id, lambda now: resources.patched_group(
        body, resources.group_json(now, base)))
    return scim_response(_group_json(request, changed))


@router.delete("/Groups/{group_id}")
def delete_group(group_id: str, org: Org, uow: Uow) -> Response:
    """The group goes; its members lose the role it gave them."""
    scim.delete_group(uow, org, group_id)
    return Response(status_code=204)
