"""Errors as RFC 9457 problem documents, mapped once for the whole app.

No stack trace, SQL or internal message ever reaches a client: unexpected errors are
logged and answered with a bare 500.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from sharebound.domain.errors import (
    Busy,
    InvalidInput,
    NotFound,
    RateLimited,
    ReauthenticationRequired,
    Refused,
    ShareboundError,
    Unauthenticated,
)
from sharebound.web.pages.common import LoginRequired, StepRequired, login_redirect, render
from sharebound.web.scim import errors as scim_errors
from sharebound.web.uploads import unreadable_body

log = logging.getLogger("sharebound.web")

PROBLEM = "application/problem+json"
TYPE_BASE = "https://sharebound.example/problems/"  # why: stable identifiers, not fetched

def _is_page(request: Request) -> bool:
    return not request.url.path.startswith(("/api/", scim_errors.PREFIX))


def _is_scim(request: Request) -> bool:
    return request.url.path.startswith(scim_errors.PREFIX)


def _page(request: Request, status: int, title: str, detail: str) -> Response:
    """Pages answer errors as pages; 401 sends the person to sign in and back."""
    if status == 401:
        return login_redirect(request.url.path)
    return render(request, "error.html", status_code=status, title=title, detail=detail)


def problem(status: int, title: str, detail: str, kind: str, headers: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    body = {"type": TYPE_BASE + kind, "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def on_login_required(_: Request, error: LoginRequired) -> Response:
        return login_redirect(error.next_url)

    @app.exception_handler(scim_errors.ScimProblem)
    async def on_scim_problem(_: Request, error: scim_errors.ScimProblem) -> Response:
        return scim_errors.from_error(error)

    @app.exception_handler(StepRequired)
    async def on_step_required(_: Request, error: StepRequired) -> Response:
        return RedirectResponse(error.url, status_code=303)

    @app.exception_handler(ShareboundError)
    async def on_error(request: Request, error: ShareboundError) -> Response:
        if _is_scim(request):
            return scim_errors.from_error(error)
        status, title = error.status, error.title
        if status >= 500 and status != 503:  # why: a damaged record is for operators to see
            log.error("%s on %s %s: %s", title, request.method, request.url.path, error)
        if _is_page(request):
            detail = ("There is nothing here that you can see." if isinstance(error, NotFound)
                      else str(error))
            return _page(request, status, title, detail)
        extra: dict[str, Any] = {}
        headers = None
        detail = str(error)
        if isinstance(error, InvalidInput | ReauthenticationRequired):
            extra["errors"] = error.errors
            detail = "; ".join(f"{field}: {message}" for field, message in error.errors.items())
        elif isinstance(error, Refused):
            extra["reasons"] = [r.as_dict() for r in error.decision.reasons]
            if error.items:
                extra["items"] = error.items
        elif isinstance(error, NotFound):
            detail = f"no {error.kind} {error.ident!r} that you can see"
        elif isinstance(error, Unauthenticated):
            headers = {"WWW-Authenticate": "Bearer"}
        elif isinstance(error, RateLimited):
            headers = {"Retry-After": str(error.retry_after)}
        elif isinstance(error, Busy):
            headers = {"Retry-After": "1"}
        return problem(status, title, detail, error.code, headers, **extra)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, error: RequestValidationError) -> Response:
        if _is_scim(request):
            first = error.errors()[0] if error.errors() else {}
            where = ".".join(str(p) for p in first.get("loc", ()))
            kind = "invalidSyntax" if first.get("type") == "json_invalid" else "invalidValue"
            return scim_errors.error_response(400, f"{where}: {_message(first)}", kind)
        errors: dict[str, str] = {}
        for issue in error.errors():
            if issue.get("type") == "json_invalid":  # its location is a character offset
                errors.setdefault("body", _message(issue))
                continue
            location = [str(p) for p in issue.get("loc", ()) if p not in ("body", "query", "path")]
            errors.setdefault(".".join(location) or "body", _message(issue))
        detail = "; ".join(f"{field}: {message}" for field, message in errors.items())
        return problem(422, "Invalid input", detail, "invalid_input", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, error: StarletteHTTPException) -> Response:
        titles = {404: "Not found", 405: "Method not allowed", 413: "Content too large",
                  415: "Unsupported media type"}
        if _is_scim(request):
            return scim_errors.error_response(error.status_code, titles.get(error.status_code, "Error"))
        if _is_page(request):
            return _page(request, error.status_code, titles.get(error.status_code, "Error"),
                         "There is nothing here." if error.status_code == 404 else str(error.detail))
        if error.status_code == 400:  # why: FastAPI's answer to a body it could not decode
            errors = unreadable_body(request, error)
            return problem(422, "Invalid input", "; ".join(f"{f}: {m}" for f, m in errors.items()),
                           "invalid_input", errors=errors)
        return problem(error.status_code, titles.get(error.status_code, "Error"), str(error.detail),
                       f"http_{error.status_code}", dict(error.headers or {}))

    @app.exception_handler(Exception)
    async def on_crash(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        if _is_scim(request):
            return scim_errors.error_response(500, "something went wrong on our side; it was logged")
        if _is_page(request):
            return _page(request, 500, "Something went wrong", "It was logged; please try again.")
        return problem(500, "Internal error", "something went wrong on our side; it was logged",
                       "internal")


def _message(issue: Any) -> str:
    kind = issue.get("type", "")
    if kind == "extra_forbidden":
        return "is not a field of this request"
    if kind == "missing":
        return "is required"
    if kind == "json_invalid":
        return "is not valid JSON"
    if kind in ("enum", "literal_error"):  # a vocabulary, in the domain's words
        names = re.findall(r"'([^']*)'", str(issue.get("ctx", {}).get("expected", "")))
        return f"must be one of {', '.join(names)}"
    if kind == "string_too_long":  # the domain's words (`values.single_line`), as the pages say it
        return f"must be at most {issue.get('ctx', {}).get('max_length')} characters"
    return str(issue.get("msg", "is invalid"))
