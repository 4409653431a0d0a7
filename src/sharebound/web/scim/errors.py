"""SCIM errors (RFC 7644 §3.12): `urn:ietf:params:scim:api:messages:2.0:Error` documents with
`status` (a string) and, where one fits, a `scimType`."""

from __future__ import annotations

import json

from fastapi.responses import Response

from sharebound.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PermissionDenied,
    ShareboundError,
    Unauthenticated,
)

SCIM_JSON = "application/scim+json"
ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"
PREFIX = "/scim/"


class ScimProblem(Exception):
    """A refusal in SCIM's own words (a bad PATCH path, an unsupported request...)."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type


def scim_response(body: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status_code=status, media_type=SCIM_JSON,
                    headers=headers)


def error_response(status: int, detail: str, scim_type: str | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    body: dict[str, object] = {"schemas": [ERROR_URN], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return scim_response(body, status, headers)


def from_error(error: ShareboundError | ScimProblem) -> Response:
    """Our named errors as SCIM answers them."""
    if isinstance(error, ScimProblem):
        return error_response(error.status, error.detail, error.scim_type)
    if isinstance(error, InvalidInput):
        kind = "invalidFilter" if "filter" in error.errors else "invalidValue"
        return error_response(400, str(error), kind)
    if isinstance(error, Conflict):
        # why no scimType for the last admin: RFC 7644 has none for a rule of the org's own
        last_admin = "last active admin" in str(error)
        return error_response(409, str(error), None if last_admin else "uniqueness")
    if isinstance(error, NotFound):
        return error_response(404, f"no {error.kind} {error.ident!r}")
    if isinstance(error, Unauthenticated):
        return error_response(401, str(error), headers={"WWW-Authenticate": "Bearer"})
    if isinstance(error, PermissionDenied):
        return error_response(403, str(error))
    return error_response(error.status, str(error))
