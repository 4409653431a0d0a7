"""What the SCIM endpoint says about itself: ServiceProviderConfig, ResourceTypes, Schemas.

The schemas are the standard User and Group schemas cut to the attributes Sharebound keeps,
so that a client (or a conformance tester) knows what it may send.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from scim2_models import Context, Group, ResourceType, User

from sharebound.domain.scim import MAX_PAGE

USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SPC_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"

USER_KEEPS = {"userName": None, "name": None, "displayName": None, "active": None,
              "emails": {"value", "type", "primary", "display"}, "groups": None}
# why no member `display`: it is the provider's to write, and we keep no copy of it
GROUP_KEEPS = {"displayName": None, "members": {"value", "$ref", "type"}}


def _cut(schema: dict[str, Any], keeps: dict[str, set[str] | None]) -> dict[str, Any]:
    attributes = []
    for attribute in schema["attributes"]:
        if attribute["name"] not in keeps:
            continue
        sub = keeps[attribute["name"]]
        if sub is not None:
            attribute["subAttributes"] = [s for s in attribute.get("subAttributes", [])
                                          if s["name"] in sub]
        attributes.append(attribute)
    schema["attributes"] = attributes
    return schema


@cache
def schemas(base: str) -> list[dict[str, Any]]:
    user = _cut(User.to_schema().model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE), USER_KEEPS)
    for attribute in user["attributes"]:
        if attribute["name"] == "emails":
            attribute["required"] = True  # why: the person's email is their sign-in
            for sub in attribute["subAttributes"]:
                sub["required"] = sub["name"] == "value"
        if attribute["name"] == "active":
            attribute["required"] = True  # why: a person is always active or not; never unset
        if attribute["name"] == "userName":
            attribute["uniqueness"] = "server"
    group = _cut(Group.to_schema().model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE), GROUP_KEEPS)
    for schema in (user, group):
        schema["meta"] = {"resourceType": "Schema", "location": f"{base}/Schemas/{schema['id']}"}
    return [user, group]


@cache
def resource_types(base: str) -> list[dict[str, Any]]:
    found = []
    for model in (User, Group):
        body = ResourceType.from_resource(model).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
        body["meta"] = {"resourceType": "ResourceType", "location": f"{base}/ResourceTypes/{body['id']}"}
        found.append(body)
    return found


def service_provider_config(base: str) -> dict[str, Any]:
    return {
        "schemas": [SPC_URN],
        "documentationUri": "https://sharebound.example/docs/scim",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_PAGE},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [{
            "type": "oauthbearertoken", "name": "Bearer token",
            "description": "A SCIM token an admin of the organization made (shown once).",
            "primary": True}],
        "meta": {"resourceType": "ServiceProviderConfig", "location": f"{base}/ServiceProviderConfig"},
    }


def list_response(resources: list[dict[str, Any]], total: int, start: int) -> dict[str, Any]:
    return {"schemas": [LIST_URN], "totalResults": total, "startIndex": start,
            "itemsPerPage": len(resources), "Resources": resources}
