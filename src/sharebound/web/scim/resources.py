"""Users and Groups between SCIM JSON and the services' plain values.

Requests are read with `scim2-models` (an attribute the standard does not define is refused:
strict), then cut to what Sharebound keeps; an attribute it does not keep is refused too.
PATCH applies `scim2-models`' own PatchOp to the current resource.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from scim2_models import Context, Group, PatchOp, SCIMException, User

from sharebound.domain.scim import GroupDraft, ScimGroup, ScimUser, UserDraft
from sharebound.web.scim.discovery import GROUP_URN, PATCH_URN, USER_URN
from sharebound.web.scim.errors import ScimProblem

_ALWAYS = {"schemas", "id", "meta"}  # returned whatever `attributes` asks (RFC 7643 §7)
_IGNORED = {"schemas", "id", "meta", "groups"}  # read-only: ignored in a request (RFC 7644 §3.5.1)


def _invalid(error: ValidationError | SCIMException | ValueError) -> ScimProblem:
    if isinstance(error, ValidationError):
        issue = error.errors()[0]
        kind = str(issue.get("type", ""))
        where = ".".join(str(p) for p in issue.get("loc", ()))
        scim_type = kind[5:] if kind.startswith("scim_") else "invalidValue"
        return ScimProblem(400, f"{where}: {issue.get('msg', 'is invalid')}".lstrip(": "), scim_type)
    if isinstance(error, SCIMException):
        return ScimProblem(400, str(error), getattr(error, "scim_type", None) or "invalidValue")
    return ScimProblem(400, str(error), "invalidValue")


def _body(body: object, urn: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ScimProblem(400, "the body must be a JSON object", "invalidSyntax")
    if urn not in (body.get("schemas") or []):
        raise ScimProblem(400, f"schemas must name {urn}", "invalidSyntax")
    return body


# --- users -------------------------------------------------------------------------------------

def user_draft(body: object, *, replacing: bool) -> UserDraft:
    """A POST's or PUT's body as a draft."""
    context = Context.RESOURCE_REPLACEMENT_REQUEST if replacing else Context.RESOURCE_CREATION_REQUEST
    try:
        user: User[Any] = User.model_validate(_body(body, USER_URN), scim_ctx=context)
    except (ValidationError, SCIMException, ValueError) as bad:
        raise _invalid(bad) from None
    return _draft_of(user)


def _draft_of(user: User[Any]) -> UserDraft:
    dumped = user.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    kept = {k: v for k, v in dumped.items()
            if k not in _IGNORED | {"userName", "externalId", "active"}}
    return UserDraft(user_name=dumped.get("userName") or "", external_id=dumped.get("externalId"),
                     active=dumped.get("active", True) is not False, attributes=kept)


def patched_user(body: object, current: Mapping[str, Any]) -> UserDraft:
    """The user `current` (as SCIM shows it) after the PATCH `body`."""
    try:
        patch = PatchOp[User[Any]].model_validate(_body(body, PATCH_URN),
                                                  scim_ctx=Context.RESOURCE_PATCH_REQUEST)
        user: User[Any] = User.model_validate(dict(current), scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        patch.patch(user)
    except (ValidationError, SCIMException, ValueError) as bad:
        raise _invalid(bad) from None
    return _draft_of(user)


def user_json(user: ScimUser, base: str) -> dict[str, Any]:
    person = user.person
    body: dict[str, Any] = {"schemas": [USER_URN], "id": person.id, "userName": user.user_name}
    if user.external_id is not None:
        body["externalId"] = user.external_id
    body.update(user.attributes)
    body["active"] = person.active
    if user.groups:
        body["groups"] = [{"value": gid, "$ref": f"{base}/Groups/{gid}", "display": name, "type": "direct"}
                          for gid, name in user.groups]
    body["meta"] = _meta("User", f"{base}/Users/{person.id}", person.created_at.isoformat())
    return body


# --- groups ------------------------------------------------------------------------------------

def group_draft(body: object, *, replacing: bool) -> GroupDraft:
    context = Context.RESOURCE_REPLACEMENT_REQUEST if replacing else Context.RESOURCE_CREATION_REQUEST
    try:
        group = Group.model_validate(_body(body, GROUP_URN), scim_ctx=context)
    except (ValidationError, SCIMException, ValueError) as bad:
        raise _invalid(bad) from None
    return _group_draft_of(group)


def _group_draft_of(group: Group) -> GroupDraft:
    dumped = group.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    unknown = sorted(set(dumped) - _IGNORED - {"displayName", "externalId", "members"})
    if unknown:
        raise ScimProblem(400, f"{', '.join(unknown)}: not an attribute Sharebound keeps", "invalidValue")
    members = []
    for member in dumped.get("members") or []:
        value = member.get("value")
        if member.get("type") not in (None, "User") or not isinstance(value, str):
            raise ScimProblem(400, "members: only users may be members of a group", "invalidValue")
        members.append(value)
    return GroupDraft(display_name=dumped.get("displayName") or "", external_id=dumped.get("externalId"),
                      members=tuple(members))


def patched_group(body: object, current: Mapping[str, Any]) -> GroupDraft:
    try:
        patch = PatchOp[Group].model_validate(_body(body, PATCH_URN),
                                              scim_ctx=Context.RESOURCE_PATCH_REQUEST)
        group = Group.model_validate(dict(current), scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        patch.patch(group)
    except (ValidationError, SCIMException, ValueError) as bad:
        raise _invalid(bad) from None
    return _group_draft_of(group)


def group_json(group: ScimGroup, base: str) -> dict[str, Any]:
    body: dict[str, Any] = {"schemas": [GROUP_URN], "id": group.id, "displayName": group.display_name}
    if group.external_id is not None:
        body["externalId"] = group.external_id
    if group.members:
        body["members"] = [{"value": pid, "$ref": f"{base}/Users/{pid}", "type": "User"}
                           for pid in group.members]
    body["meta"] = _meta("Group", f"{base}/Groups/{group.id}", group.created_at.isoformat())
    return body


# --- common ------------------------------------------------------------------------------------

def _meta(kind: str, location: str, created: str) -> dict[str, str]:
    return {"resourceType": kind, "created": created, "lastModified": created, "location": location}


def selected(body: dict[str, Any], attributes: str | None, excluded: str | None) -> dict[str, Any]:
    """`body` with only the `attributes` asked for, or without the `excludedAttributes`
    (top-level names, or `name.sub` for one level down; matched in any case)."""
    if attributes:
        wanted = _paths(attributes)
        out = {}
        for key, value in body.items():
            subs = wanted.get(key.lower())
            if key in _ALWAYS:
                out[key] = value
            elif subs is not None:
                out[key] = _sub(value, subs, keep=True) if subs else value
        return out
    if excluded:
        unwanted = _paths(excluded)
        out = {}
        for key, value in body.items():
            subs = unwanted.get(key.lower())
            if subs is None or key in _ALWAYS:
                out[key] = value
            elif subs:
                out[key] = _sub(value, subs, keep=False)
        return out
    return body


def _paths(text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for raw in text.split(","):
        path = raw.strip().lower()
        if path.startswith("urn:"):
            path = path.rpartition(":")[2]
        top, _, sub = path.partition(".")
        if top:
            found.setdefault(top, set())
            if sub:
                found[top].add(sub)
    return found


def _sub(value: Any, names: set[str], *, keep: bool) -> Any:
    def cut(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        return {k: v for k, v in item.items() if (k.lower() in names) == keep}
    return [cut(v) for v in value] if isinstance(value, list) else cut(value)
