"""Tenant isolation: every route of the JSON API, called as every kind of caller.

DESIGN.md's rules: a person sees their own org's items and people, the partnerships their org
is in, the agreements their org is a party of, and the disclosures their org gave or they
received; whatever they may not see answers 404 as if it did not exist; no token is 401.

MATRIX has one row per route of the OpenAPI document (a route without a row, or a row without
a route, fails `test_every_route_has_a_row_and_every_row_a_route`). Each row says, per caller,
the status the rules give (not whatever the code answers today: a known bug is marked in
`bugs` and runs as a strict xfail), how to fill the path from the world, and a valid body.

The guest (a representative's account, tests/e2e/matrix_world.py) is an outsider to everything
but what was re-shared to it: a row that names no status for "guest" expects the outsider's.

Every call runs in a fresh world (tests/e2e/matrix_world.py), so state-changing calls
(revoke, terminate, accept, sign, ...) stay meaningful whatever runs before them. Besides
the status, every answer is checked for what it must not carry:

- a refusal (401, 403, 404) names no id, title or text of the tenant data, nor the email
  of a person of another org, except what the caller itself sent in the request;
- a 404 for something that exists reads exactly like the 404 for ids (in the path) that never
  existed;
- no answer at all carries what the caller may never see (`MatrixWorld.never_visible_to`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response  # what starlette's TestClient answers with
from sqlalchemy import event, make_url

from sharebound.bootstrap import App
from sharebound.domain.esign import CURRENT_STATEMENT
from sharebound.domain.sso import Endpoints, SsoProvider
from sharebound.services import (
    folders,
    gate,
    notices,
    packages,
    passkeys,
    representatives,
    scim_tokens,
    uploaded_ndas,
    watermarks,
    webhooks,
    witnesses,
)
from sharebound_verify.note import COSIGNER, SigningKey
from tests.conftest import FakeClock
from tests.corpus import corpus_file
from tests.e2e.matrix_snapshot import Pristine, build_pristine, restore, world_on
from tests.e2e.matrix_world import CALLERS, PASSWORD, MatrixWorld, nda_terms
from tests.softkey import SoftKey

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
DENIED = {401, 403, 404}


def _no_params(_: MatrixWorld) -> dict[str, str]:
    return {}


def _one_query(_: MatrixWorld) -> list[dict[str, str]]:
    return [{}]


@dataclass(frozen=True)
class Row:
    expect: dict[str, int]  # caller -> the status the rules give
    label: str = ""  # names the target when a route has several rows
    params: Callable[[MatrixWorld], dict[str, str]] = _no_params
    body: Callable[[MatrixWorld], Any] | None = None  # JSON; None sends no body
    queries: Callable[[MatrixWorld], list[dict[str, str]]] = _one_query  # each must give `expect`
    also_visible: dict[str, set[str]] = field(default_factory=dict)  # caller -> secrets' labels
    bugs: dict[str, str] = field(default_factory=dict)  # caller -> the known bug (strict xfail)


def _acme(_: MatrixWorld) -> dict[str, str]:
    return {"handle": "acme"}


def _crown_jewel_term(w: MatrixWorld) -> dict[str, str]:
    """A term acme's admin registers in this world (the matrix world itself has none)."""
    term = gate.add_term(w.app.uow(), w.people["admin"].id, "acme", "Kestrel codename")
    return {"handle": "acme", "term_id": term.id}


_WATERMARK = {"fields": ["recipient_name", "copy_id"], "position": "footer", "size": 8, "opacity": 0.5}


def _acme_watermark(w: MatrixWorld) -> dict[str, str]:
    """acme's default watermark template, set by alice for this call."""
    watermarks.set_org_watermark(w.app.uow(), w.people["admin"].id, "acme", _WATERMARK)
    return {"handle": "acme"}


def _agreement_watermarks(w: MatrixWorld) -> dict[str, str]:
    """Both parties' templates for the agreement, set by their admins for this call."""
    for admin in ("admin", "partner"):
        watermarks.set_agreement_watermark(w.app.uow(), w.people[admin].id, w.agreement, _WATERMARK)
    return {"agreement_id": w.agreement}


def _preview_query(_: MatrixWorld) -> list[dict[str, str]]:
    return [{}, {"fields": "recipient_email,ip", "position": "header", "size": "9", "opacity": "0.4"}]


_LOG_PARTS = (("checkpoint", {}), ("entries", {"start": "0", "limit": "1000"}),
              ("proof/inclusion", {"index": "0", "size": "1"}),
              ("proof/consistency", {"from": "1", "to": "1"}))


def _partnership(w: MatrixWorld) -> dict[str, str]:
    return {"partnership_id": w.partnership}


def _uploaded_nda(w: MatrixWorld) -> dict[str, str]:
    """An executed NDA acme's admin uploads to the partnership in this world."""
    document = uploaded_ndas.upload_document(w.app.uow(), w.people["admin"].id, w.partnership,
                                             content=corpus_file("valid.pdf"), filename="nda.pdf")
    return {"document_id": document.id}


def _agreement(w: MatrixWorld) -> dict[str, str]:
    return {"agreement_id": w.agreement}


def _agreement_csv(w: MatrixWorld) -> dict[str, str]:
    return {"agreement_id": w.agreement, "fmt": "csv"}


def _partnership_csv(w: MatrixWorld) -> dict[str, str]:
    return {"partnership_id": w.partnership, "fmt": "csv"}


def _item(w: MatrixWorld) -> dict[str, str]:
    return {"item_id": w.item}


def _folder(w: MatrixWorld) -> dict[str, str]:
    """A folder of acme's, made by alice for this call."""
    return {"folder_id": folders.create_folder(w.app.uow(), w.people["admin"].id, "Drawings").id}


def _package(w: MatrixWorld) -> dict[str, str]:
    """A package of acme's one item, disclosed by alice to gina for this call."""
    done = packages.disclose_package(w.app.uow(), w.people["admin"].id, packages.PackageDraft(
        agreement_id=w.agreement, recipients=["gina@globex.example"], actions=["view", "download"],
        item_ids=[w.item]))
    return {"package_id": done.package.id}


def _disclosure(w: MatrixWorld) -> dict[str, str]:
    return {"disclosure_id": w.disclosure}


def _request(w: MatrixWorld) -> dict[str, str]:
    return {"request_id": w.request}
def _scim_token(w: MatrixWorld) -> dict[str, str]:
    """A SCIM token of acme's, made by alice for this call."""
    made = scim_tokens.create_scim_token(w.app.uow(), w.people["admin"].id, "acme", "Okta")
    return {"handle": "acme", "token_id": made.record.id}


def _webhook(w: MatrixWorld) -> dict[str, str]:
    """A webhook of acme's, made by alice for this call."""
    hook, _ = webhooks.create_webhook(w.app.uow(), w.people["admin"].id, "acme",
                                      url="https://hooks.acme.example/in", kinds=[],
                                      base_url=w.app.settings.base_url,
                                      allow=w.app.settings.webhook_allow_list)
    return {"webhook_id": hook.id}


def _passkey(w: MatrixWorld) -> dict[str, str]:
    """A passkey of alice's (a software authenticator at the app's default origin)."""
    options = passkeys.registration_options(w.app.uow(), w.people["admin"].id)
    key = passkeys.register_passkey(w.app.uow(), w.people["admin"].id,
                                    SoftKey("http://127.0.0.1:8000", "127.0.0.1").register(options))
    return {"passkey_id": key.id}


_WITNESS = SigningKey.generate("acme.example/witness", COSIGNER)
_COSIGNED_NOTE = ("testserver/log\n1\n" + "A" * 43 + "=\n\n"
                  + _WITNESS.cosign("testserver/log\n1\n" + "A" * 43 + "=\n", 1).line())


def _witness_key(w: MatrixWorld) -> dict[str, str]:
    """acme's witness key, registered by alice for this call."""
    witnesses.register_witness_key(w.app.uow(), w.people["admin"].id, "acme", _WITNESS.vkey.text())
    return {"handle": "acme"}


def _witness_key_and_partnership(w: MatrixWorld) -> dict[str, str]:
    _witness_key(w)
    return _partnership(w)


_MINE = {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200, "outsider": 200,
         "guest": 200, "anonymous": 401}  # a route about the caller's own second factors, whoever they are


def _search_queries(_: MatrixWorld) -> list[dict[str, str]]:
    """Words of every secret's title, body and topic: whoever may not see one must not find it."""
    return [{"q": q} for q in ("kestrel", "drift", "jewel", "die layout", "design", "thermal",
                               "calibration", '"kestrel note body"', "samples")]


def _all(status: int) -> dict[str, int]:
    return {caller: status for caller in _MINE} | {"anonymous": 401}


def _sso(w: MatrixWorld) -> dict[str, str]:
    """acme's single sign-on, stored as the settings page would leave it (no provider runs here)."""
    with w.app.uow() as uow:
        uow.sso.save(SsoProvider(
            org="acme", issuer="https://login.acme.example", client_id="sharebound",
            client_secret="the matrix's client secret",
            endpoints=Endpoints("https://login.acme.example/auth", "https://login.acme.example/token",
                                "https://login.acme.example/jwks"),
            domains=frozenset({"sso.acme.example"}), role_rules=(), require_sso=False, jit=False,
            updated_by=w.people["admin"].id, updated_at=w.app.clock()))
        uow.commit()
    return {"handle": "acme"}


def _notice(w: MatrixWorld) -> dict[str, str]:
    """A notice of unauthorized use acme's admin gives globex for this call."""
    given = notices.send_notice(w.app.uow(), w.people["admin"].id, w.agreement,
                                {"kind": "unauthorized_use", "body": "A copy surfaced on a forum"})
    return {"notice_id": given.id}


def _pending_representative(w: MatrixWorld) -> dict[str, str]:
    """A representative globex's admin names for this call, awaiting acme's decision."""
    named = representatives.name_representative(w.app.uow(), w.people["partner"].id, w.agreement, {
        "organization": "Kestrel tooling", "name": "Kim", "email": "kim@tooling.example",
        "reason": "Builds the test jig"})
    return {"agreement_id": w.agreement, "representative_id": named.id}


def _disclosure_request(w: MatrixWorld) -> dict[str, Any]:
    return {"item_id": w.item, "agreement_id": w.agreement, "recipients": ["gina@globex.example"],
            "actions": ["view"]}


MATRIX: dict[tuple[str, str], Row | list[Row]] = {
    # --- auth: tokens are personal; signing in and accepting an invitation need no token --------------
    ("POST", "/api/v1/auth/token"): Row(
        {"admin": 201, "signer": 201, "member": 201, "recipient": 201, "partner": 201,
         "outsider": 201, "anonymous": 201},
        body=lambda w: {"email": "mia@acme.example", "password": PASSWORD}),
    ("GET", "/api/v1/auth/tokens"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 401}),
    ("DELETE", "/api/v1/auth/tokens/{token_id}"): Row(  # alice's spare token: nobody else's to revoke
        {"admin": 204, "signer": 404, "member": 404, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=lambda w: {"token_id": w.spare_token}),
    # --- e-sign consent: each person their own; the partnership's signers have consented -------------
    ("GET", "/api/v1/me/e-sign-consent"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 401}),
    ("POST", "/api/v1/me/e-sign-consent"): Row(
        {"admin": 409, "signer": 409, "member": 201, "recipient": 201, "partner": 409,
         "outsider": 201, "anonymous": 401},
        body=lambda w: {"statement_sha256": CURRENT_STATEMENT.sha256}),
    ("POST", "/api/v1/me/e-sign-consent/withdraw"): Row(
        {"admin": 200, "signer": 200, "member": 409, "recipient": 409, "partner": 200,
         "outsider": 409, "anonymous": 401}),
    ("POST", "/api/v1/auth/password"): Row(
        {"admin": 204, "signer": 204, "member": 204, "recipient": 204, "partner": 204,
         "outsider": 204, "anonymous": 401},
        body=lambda w: {"current_password": PASSWORD, "new_password": "a brand new passphrase"}),
    ("POST", "/api/v1/auth/invitations/accept"): Row(  # whoever holds the invitation's secret
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 200},
        body=lambda w: {"token": w.invitation, "password": "nina's own passphrase"}),
    ("GET", "/api/v1/me"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 401}),
    # --- orgs: an org is seen by its people and its partners; its people only by its own people --------
    ("POST", "/api/v1/orgs"): Row(  # signup (open in these tests): no token needed
        {"admin": 201, "signer": 201, "member": 201, "recipient": 201, "partner": 201,
         "outsider": 201, "anonymous": 201},
        body=lambda w: {"name": "Newco", "handle": "newco", "admin": {
            "name": "Ned", "email": "ned@newco.example", "password": "ned's long passphrase"}}),
    ("GET", "/api/v1/orgs/{handle}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_acme),
    ("PATCH", "/api/v1/orgs/{handle}"): Row(  # the legal profile: the org's own admins only
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme, body=lambda w: {"legal_name": "Acme Sensors, Inc."}),
    # --- standard terms: released legal texts, the same for everyone signed in ---------------------------
    ("GET", "/api/v1/standard-terms"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 401}),
    ("GET", "/api/v1/standard-terms/{terms_id}/{version}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 401},
        params=lambda w: {"terms_id": "sharebound-mutual", "version": "1.0"}),
    ("GET", "/api/v1/orgs/{handle}/people"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme),
    ("POST", "/api/v1/orgs/{handle}/people"): Row(
        {"admin": 201, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme, body=lambda w: {"name": "Olga", "email": "olga@acme.example", "roles": ["member"]}),
    ("PUT", "/api/v1/orgs/{handle}/people/{person_id}/roles"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=lambda w: {"handle": "acme", "person_id": w.people["member"].id},
        body=lambda w: {"roles": ["signer", "member"]}),
    # --- crown-jewel terms: secret even inside the org; its admins only -------------------------------------
    ("GET", "/api/v1/orgs/{handle}/crown-jewels"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme),
    ("POST", "/api/v1/orgs/{handle}/crown-jewels"): Row(
        {"admin": 201, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme, body=lambda w: {"term": "Osprey codename"}),
    ("DELETE", "/api/v1/orgs/{handle}/crown-jewels/{term_id}"): Row(
        {"admin": 204, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_crown_jewel_term),
    # --- watermark templates: the org's admins only; an agreement's, each disclosing party's admins --------
    ("GET", "/api/v1/orgs/{handle}/watermark"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme),
    ("PUT", "/api/v1/orgs/{handle}/watermark"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme, body=lambda w: _WATERMARK),
    ("DELETE", "/api/v1/orgs/{handle}/watermark"): Row(
        {"admin": 204, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme_watermark),
    ("GET", "/api/v1/orgs/{handle}/watermark/preview.png"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme, queries=_preview_query),
    ("GET", "/api/v1/agreements/{agreement_id}/watermark"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 403, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_agreement),
    ("PUT", "/api/v1/agreements/{agreement_id}/watermark"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 403, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_agreement, body=lambda w: _WATERMARK),
    ("DELETE", "/api/v1/agreements/{agreement_id}/watermark"): Row(
        {"admin": 204, "signer": 403, "member": 403, "recipient": 403, "partner": 204,
         "outsider": 404, "anonymous": 401},
        params=_agreement_watermarks),
    ("GET", "/api/v1/agreements/{agreement_id}/watermark/preview.png"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 403, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_agreement, queries=_preview_query),
    # --- partnerships: seen by their orgs only ------------------------------------------------------------
    ("POST", "/api/v1/partnerships"): Row(  # an admin invites hooli (a guest holds no role)
        {"admin": 201, "signer": 403, "member": 403, "recipient": 403, "partner": 201,
         "outsider": 201, "guest": 403, "anonymous": 401},
        body=lambda w: {"name": "Hooli pilot", "purpose": "other", "invite": ["hooli"]}),
    ("GET", "/api/v1/partnerships"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 401}),
    ("GET", "/api/v1/partnerships/{partnership_id}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_partnership),
    ("POST", "/api/v1/partnerships/{partnership_id}/accept"): Row(  # the pending one acme proposed
        {"admin": 409, "signer": 403, "member": 403, "recipient": 403, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=lambda w: {"partnership_id": w.pending_partnership}),
    # email invitations are the proposer's business: its people see them, its admins revoke them
    ("GET", "/api/v1/partnerships/{partnership_id}/invitations"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=lambda w: {"partnership_id": w.courted_partnership}),
    ("POST", "/api/v1/partner-invitations/{invitation_id}/revoke"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=lambda w: {"invitation_id": w.partner_invitation}),
    # --- the transparency log: a partnership's for its accepted orgs, an org's for its people -----------
    ("GET", "/.well-known/sharebound-log-key"): Row(  # the public key partners pin
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 200}),
    **{("GET", f"/api/v1/partnerships/{{partnership_id}}/log/{part}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_partnership, queries=lambda w, q=query: [q])
       for part, query in _LOG_PARTS},
    **{("GET", f"/api/v1/orgs/{{handle}}/log/{part}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme, queries=lambda w, q=query: [q])
       for part, query in _LOG_PARTS},
    ("GET", "/api/v1/partnerships/{partnership_id}/people"): [
        Row({"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
             "outsider": 404, "anonymous": 401},
            label="active partnership", params=_partnership),
        # acme proposed to hooli, which has not accepted: none of hooli's people may be a recipient
        # yet, so acme may see the (empty) list but not hooli's people.
        Row({"admin": 200, "signer": 200, "member": 200, "recipient": 404, "partner": 404,
             "outsider": 404, "anonymous": 401},
            label="partnership hooli has not accepted",
            params=lambda w: {"partnership_id": w.courted_partnership}),
    ],
    ("POST", "/api/v1/partnerships/{partnership_id}/agreements"): Row(
        {"admin": 201, "signer": 201, "member": 403, "recipient": 403, "partner": 201,
         "outsider": 404, "anonymous": 401},
        params=_partnership, body=lambda w: {"terms": nda_terms(w.app, "A third NDA")}),
    ("GET", "/api/v1/partnerships/{partnership_id}/agreements"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_partnership),
    ("POST", "/api/v1/partnerships/{partnership_id}/agreement-documents"): Row(  # JSON: no file
        {"admin": 422, "signer": 422, "member": 403, "recipient": 403, "partner": 422,
         "outsider": 404, "anonymous": 401},
        params=_partnership, body=lambda w: {"file": "not a multipart upload"}),
    ("GET", "/api/v1/partnerships/{partnership_id}/agreement-documents"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_partnership),
    ("GET", "/api/v1/agreement-documents/{document_id}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_uploaded_nda),
    ("GET", "/api/v1/agreement-documents/{document_id}/content"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_uploaded_nda),
    ("GET", "/api/v1/agreement-documents/{document_id}/pages/{number}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=lambda w: {**_uploaded_nda(w), "number": "1"}),
    ("GET", "/api/v1/partnerships/{partnership_id}/messages"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_partnership),
    ("POST", "/api/v1/partnerships/{partnership_id}/messages"): Row(
        {"admin": 201, "signer": 201, "member": 201, "recipient": 201, "partner": 201,
         "outsider": 404, "anonymous": 401},
        params=_partnership, body=lambda w: {"body": "Samples arrived", "classification": "internal"}),
    ("POST", "/api/v1/partnerships/{partnership_id}/messages/read"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_partnership),
    ("GET", "/api/v1/partnerships/{partnership_id}/events"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_partnership,
        # why: the partnership's log lists every disclosure made in it by ids and hashes ("both
        # sides can verify the register"), so a partner non-recipient sees those ids, never content.
        also_visible={"partner": {"item id", "disclosure id"}}),
    # give and take: counted from the caller's own register and what reached it (docs/reciprocity.md)
    ("GET", "/api/v1/partnerships/{partnership_id}/reciprocity"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_partnership),
    ("GET", "/api/v1/partnerships/{partnership_id}/health"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_partnership),
    ("GET", "/api/v1/reciprocity"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 401}),
    # --- agreements: parties only --------------------------------------------------------------------------
    ("GET", "/api/v1/agreements/{agreement_id}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_agreement),
    ("PUT", "/api/v1/agreements/{agreement_id}"): Row(
        {"admin": 200, "signer": 200, "member": 403, "recipient": 403, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_agreement, body=lambda w: {"terms": nda_terms(w.app, "An amended purpose")}),
    ("POST", "/api/v1/agreements/{agreement_id}/sign"): Row(  # the draft nobody signed yet
        {"admin": 200, "signer": 200, "member": 403, "recipient": 403, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=lambda w: {"agreement_id": w.draft_agreement},
        body=lambda w: {"digest": w.draft_digest, "title": "General Counsel", "password": PASSWORD}),
    ("GET", "/api/v1/agreements/{agreement_id}/executed-copy"): Row(  # every party, any member
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_agreement),
    # --- copies to return or destroy: each party org its own list; certified only after the end ----------
    ("GET", "/api/v1/agreements/{agreement_id}/copies"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_agreement),
    ("POST", "/api/v1/agreements/{agreement_id}/copies/certify"): Row(  # still in force: 409
        {"admin": 409, "signer": 409, "member": 403, "recipient": 403, "partner": 409,
         "outsider": 404, "anonymous": 401},
        params=_agreement, body=lambda w: {"statement": "Every copy was deleted."}),
    ("GET", "/api/v1/agreements/{agreement_id}/returns"): Row(  # the discloser's side of returns
        {"admin": 200, "signer": 200, "member": 403, "recipient": 403, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_agreement),
    ("GET", "/api/v1/agreements/{agreement_id}/access-report"): Row(  # a member: what they disclosed
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_agreement),
    # --- exports (docs/exports.md): what each reader may see of the register, as a file ------------------
    **{("GET", path): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params={(True, True): _agreement_csv, (True, False): _agreement,
                (False, True): _partnership_csv, (False, False): _partnership}[
            ("{agreement_id}" in path, "{fmt}" in path)])
       for path in ("/api/v1/agreements/{agreement_id}/register.{fmt}",
                    "/api/v1/agreements/{agreement_id}/register",
                    "/api/v1/partnerships/{partnership_id}/register.{fmt}",
                    "/api/v1/partnerships/{partnership_id}/register",
                    "/api/v1/agreements/{agreement_id}/access-report.{fmt}",
                    "/api/v1/partnerships/{partnership_id}/access-report.{fmt}",
                    "/api/v1/partnerships/{partnership_id}/access-report")},
    # --- notices: the sender's and the addressees' admins and signers act; the parties read --------------
    ("POST", "/api/v1/agreements/{agreement_id}/notices"): Row(
        {"admin": 201, "signer": 201, "member": 403, "recipient": 403, "partner": 201,
         "outsider": 404, "anonymous": 401},
        params=_agreement, body=lambda w: {"kind": "unauthorized_use", "body": "A copy surfaced"}),
    ("GET", "/api/v1/agreements/{agreement_id}/notices"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_agreement),
    ("GET", "/api/v1/notices/{notice_id}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_notice),
    ("POST", "/api/v1/notices/{notice_id}/acknowledge"): Row(  # acme gave it: globex acknowledges
        {"admin": 403, "signer": 403, "member": 403, "recipient": 403, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_notice),
    ("POST", "/api/v1/notices/{notice_id}/respond"): Row(
        {"admin": 201, "signer": 201, "member": 403, "recipient": 403, "partner": 201,
         "outsider": 404, "anonymous": 401},
        params=_notice, body=lambda w: {"body": "We are looking into it"}),
    ("POST", "/api/v1/notices/{notice_id}/close"): Row(
        {"admin": 200, "signer": 200, "member": 403, "recipient": 403, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_notice),
    ("POST", "/api/v1/agreements/{agreement_id}/terminate"): Row(
        {"admin": 200, "signer": 200, "member": 403, "recipient": 403, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_agreement, body=lambda w: {"reason": "The project has ended"}),
    # --- items: the owner org's people only (a recipient sees the disclosure, not the item) --------------
    ("POST", "/api/v1/items"): Row(  # a guest holds no library
        {"admin": 201, "signer": 201, "member": 201, "recipient": 201, "partner": 201,
         "outsider": 201, "guest": 403, "anonymous": 401},
        body=lambda w: {"title": "A fresh note", "body": "Fresh", "classification": "internal",
                        "topics": ["thermal"]}),
    ("GET", "/api/v1/items"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 401}),
    ("GET", "/api/v1/items/{item_id}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_item),
    # search answers everyone, with only what each may read: the leak checks hold the line
    # (each caller's exact results: tests/e2e/test_isolation_search.py)
    ("GET", "/api/v1/search"): Row(_all(200), queries=_search_queries),
    ("PATCH", "/api/v1/items/{item_id}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_item, body=lambda w: {"title": "Renamed drift results", "topics": ["thermal", "test"]}),
    ("POST", "/api/v1/reclassifications/{request_id}/approve"): Row(  # sam asked; alice approves
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=lambda w: {"request_id": w.reclassification}),
    ("GET", "/api/v1/items/{item_id}/content"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_item),
    ("POST", "/api/v1/items/bulk"): Row(  # a JSON body: the multipart it needs is named (422)
        {"admin": 422, "signer": 422, "member": 422, "recipient": 422, "partner": 422,
         "outsider": 422, "anonymous": 401},
        body=lambda w: {"files": []}),
    ("POST", "/api/v1/items/import"): Row(
        {"admin": 422, "signer": 422, "member": 422, "recipient": 422, "partner": 422,
         "outsider": 422, "anonymous": 401},
        body=lambda w: {"file": ""}),
    # --- folders: the owner org's people only -------------------------------------------------------------
    ("GET", "/api/v1/folders"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 401}),
    ("POST", "/api/v1/folders"): Row(
        {"admin": 201, "signer": 201, "member": 201, "recipient": 201, "partner": 201,
         "outsider": 201, "anonymous": 401},
        body=lambda w: {"name": "Fresh folder"}),
    ("PATCH", "/api/v1/folders/{folder_id}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_folder, body=lambda w: {"name": "Renamed folder"}),
    ("DELETE", "/api/v1/folders/{folder_id}"): Row(
        {"admin": 204, "signer": 204, "member": 204, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_folder),
    # --- disclosures: the discloser's org and the named recipients only ----------------------------------
    # --- representatives and re-shares: the parties only; the guest reads its re-share ----------
    ("GET", "/api/v1/agreements/{agreement_id}/representatives"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_agreement),
    ("POST", "/api/v1/agreements/{agreement_id}/representatives"): Row(  # admins and signers name
        {"admin": 201, "signer": 201, "member": 403, "recipient": 403, "partner": 201,
         "outsider": 404, "anonymous": 401},
        params=_agreement, body=lambda w: {"organization": "Kestrel advisers", "name": "Lee",
                                           "email": "lee@advisers.example", "reason": "Audits it"}),
    ("POST", "/api/v1/agreements/{agreement_id}/representatives/{representative_id}/approve"): Row(
        {"admin": 200, "signer": 200, "member": 403, "recipient": 403, "partner": 403,
         "outsider": 404, "anonymous": 401},  # globex's people: not their own representative
        params=_pending_representative),
    ("POST", "/api/v1/agreements/{agreement_id}/representatives/{representative_id}/decline"): Row(
        {"admin": 200, "signer": 200, "member": 403, "recipient": 403, "partner": 403,
         "outsider": 404, "anonymous": 401},
        params=_pending_representative, body=lambda w: {"reason": "Not covered"}),
    ("POST", "/api/v1/agreements/{agreement_id}/representatives/{representative_id}/withdraw"): Row(
        {"admin": 403, "signer": 403, "member": 403, "recipient": 403, "partner": 200,
         "outsider": 404, "anonymous": 401},  # only globex, which named jo
        params=lambda w: {"agreement_id": w.agreement, "representative_id": w.representative}),
    ("GET", "/api/v1/disclosures/{disclosure_id}/reshares"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_disclosure),
    ("POST", "/api/v1/disclosures/{disclosure_id}/reshares"): Row(  # the receiving org re-shares
        {"admin": 403, "signer": 403, "member": 403, "recipient": 201, "partner": 201,
         "outsider": 404, "guest": 403, "anonymous": 401},
        params=_disclosure,
        body=lambda w: {"representative_id": w.representative, "actions": ["view"]}),
    ("POST", "/api/v1/disclosures/check"): Row(  # the recipient may ask: the answer is "owner"
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 404,
         "outsider": 404, "anonymous": 401},
        body=_disclosure_request),
    ("POST", "/api/v1/disclosures"): Row(  # the recipient re-disclosing is refused by the rule
        {"admin": 201, "signer": 201, "member": 201, "recipient": 403, "partner": 404,
         "outsider": 404, "anonymous": 401},
        body=_disclosure_request),
    ("GET", "/api/v1/disclosures"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        queries=lambda w: [{"direction": d, "partnership": w.partnership} for d in ("given", "received")]),
    ("GET", "/api/v1/disclosures/{disclosure_id}"): Row(  # the receiving org's admin: metadata
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "guest": 200, "anonymous": 401},
        params=_disclosure),
    ("GET", "/api/v1/disclosures/{disclosure_id}/accesses"): Row(  # alice disclosed it
        {"admin": 200, "signer": 200, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_disclosure),
    ("GET", "/api/v1/disclosures/{disclosure_id}/page-views"): Row(  # as its access report
        {"admin": 200, "signer": 200, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_disclosure),
    ("GET", "/api/v1/disclosures/{disclosure_id}/content"): Row(  # re-shared to the guest
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 404,
         "outsider": 404, "guest": 200, "anonymous": 401},
        params=_disclosure),
    # --- packages: like their disclosures (the receiving org's admin sees the tree, not the ZIP) ---------
    ("POST", "/api/v1/packages"): Row(  # only the item's owner org may package it
        {"admin": 201, "signer": 201, "member": 201, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        body=lambda w: {"item_ids": [w.item], "agreement_id": w.agreement,
                        "recipients": ["gina@globex.example"], "actions": ["view", "download"]}),
    ("GET", "/api/v1/packages/{package_id}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_package),
    ("GET", "/api/v1/packages/{package_id}/content"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_package),
    ("POST", "/api/v1/disclosures/{disclosure_id}/revoke"): Row(  # the receiving org's admin sees it
        {"admin": 200, "signer": 200, "member": 200, "recipient": 403, "partner": 403,
         "outsider": 404, "guest": 403, "anonymous": 401},
        params=_disclosure, body=lambda w: {"reason": "Sent by mistake"}),
    # --- requests: the asking org (globex: gina asked) and the asked org (acme) only -------------------
    ("GET", "/api/v1/partnerships/{partnership_id}/requests"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_partnership, queries=lambda w: [{}, {"direction": "asked", "state": "open"}]),
    ("POST", "/api/v1/partnerships/{partnership_id}/requests"): Row(  # asks the other org
        {"admin": 201, "signer": 201, "member": 201, "recipient": 201, "partner": 201,
         "outsider": 404, "anonymous": 401},
        params=_partnership,
        body=lambda w: {"title": "Enclosure drawings", "due_on": w.app.clock().date().isoformat()}),
    ("GET", "/api/v1/requests/{request_id}"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_request),
    ("POST", "/api/v1/requests/{request_id}/answer"): Row(  # with alice's disclosure to gina
        {"admin": 200, "signer": 200, "member": 200, "recipient": 403, "partner": 403,
         "outsider": 404, "anonymous": 401},
        params=_request, body=lambda w: {"disclosure_ids": [w.disclosure]}),
    ("POST", "/api/v1/requests/{request_id}/decline"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 403, "partner": 403,
         "outsider": 404, "anonymous": 401},
        params=_request, body=lambda w: {"reason": "Out of scope for the evaluation"}),
    ("POST", "/api/v1/requests/{request_id}/withdraw"): Row(
        {"admin": 403, "signer": 403, "member": 403, "recipient": 200, "partner": 200,
         "outsider": 404, "anonymous": 401},
        params=_request),
    ("POST", "/api/v1/requests/{request_id}/assign"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 403, "partner": 403,
         "outsider": 404, "anonymous": 401},
        params=_request, body=lambda w: {"assignee": "sam@acme.example"}),
    # --- notifications: each person's own ----------------------------------------------------------------
    ("GET", "/api/v1/notifications"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 401},
        queries=lambda w: [{}, {"unread": "true"}]),
    ("POST", "/api/v1/notifications/read"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 401},
        body=lambda w: {}),
    ("GET", "/api/v1/me/notification-preferences"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 401}),
    ("PUT", "/api/v1/me/notification-preferences"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 200, "partner": 200,
         "outsider": 200, "anonymous": 401},
        body=lambda w: {"preferences": {"mentioned": "daily"}}),
    # --- webhooks: the org's admins only -------------------------------------------------------------------
    ("GET", "/api/v1/orgs/{handle}/webhooks"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme),
    ("POST", "/api/v1/orgs/{handle}/webhooks"): Row(
        {"admin": 201, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme, body=lambda w: {"url": "https://hooks.example/in", "kinds": ["disclosed_to_me"]}),
    # --- people's lifecycle and SCIM tokens: the org's admins only ------------------------------------
    ("POST", "/api/v1/orgs/{handle}/people/{person_id}/deactivate"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=lambda w: {"handle": "acme", "person_id": w.people["member"].id}),
    ("POST", "/api/v1/orgs/{handle}/people/{person_id}/reactivate"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=lambda w: {"handle": "acme", "person_id": w.people["member"].id}),
    ("GET", "/api/v1/orgs/{handle}/scim-tokens"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme),
    ("POST", "/api/v1/orgs/{handle}/scim-tokens"): Row(
        {"admin": 201, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme, body=lambda w: {"name": "Okta"}),
    ("DELETE", "/api/v1/orgs/{handle}/scim-tokens/{token_id}"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_scim_token),
    ("GET", "/api/v1/webhooks/{webhook_id}"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_webhook),
    ("DELETE", "/api/v1/webhooks/{webhook_id}"): Row(
        {"admin": 204, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_webhook),
    ("POST", "/api/v1/webhooks/{webhook_id}/rotate-secret"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_webhook),
    # --- second factors: each person's own; the policy and resets are their org's admins' ------------
    ("GET", "/api/v1/me/second-factors"): Row(_MINE),
    ("POST", "/api/v1/me/totp"): Row(_all(201)),
    ("POST", "/api/v1/me/totp/confirm"): Row(_all(409), body=lambda w: {"code": "123456"}),  # none begun
    ("POST", "/api/v1/me/totp/disable"): Row(_all(409), body=lambda w: {"second_factor": {"code": "123456"}}),
    ("POST", "/api/v1/me/recovery-codes"): Row(_all(409), body=lambda w: {"second_factor": {"code": "1"}}),
    ("POST", "/api/v1/me/passkeys/registration-options"): Row(_MINE),
    ("POST", "/api/v1/me/passkeys"): Row(_all(422), body=lambda w: {"credential": {}, "name": "Laptop"}),
    ("POST", "/api/v1/me/passkeys/assertion-options"): Row(_all(422)),  # nobody has a passkey
    ("DELETE", "/api/v1/me/passkeys/{passkey_id}"): Row(
        {"admin": 204, "signer": 404, "member": 404, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_passkey),
    ("GET", "/api/v1/orgs/{handle}/second-factor-policy"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme),
    ("PUT", "/api/v1/orgs/{handle}/second-factor-policy"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme, body=lambda w: {"applies_to": "admins_and_signers"}),
    ("DELETE", "/api/v1/orgs/{handle}/people/{person_id}/second-factors"): Row(
        {"admin": 204, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=lambda w: {"handle": "acme", "person_id": w.people["signer"].id}),
    # --- single sign-on: the org's admins only -----------------------------------------------------------
    ("GET", "/api/v1/orgs/{handle}/sso"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_sso),
    ("PUT", "/api/v1/orgs/{handle}/sso"): Row(  # the admin's 422: no provider answers at .example
        {"admin": 422, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme, body=lambda w: {"issuer": "https://login.acme.example", "client_id": "c",
                                      "client_secret": "s", "domains": ["sso.acme.example"]}),
    ("DELETE", "/api/v1/orgs/{handle}/sso"): Row(
        {"admin": 204, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_sso),
    # --- witnesses of the transparency log ----------------------------------------------------------
    ("PUT", "/api/v1/orgs/{handle}/witness-key"): Row(
        {"admin": 200, "signer": 403, "member": 403, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_acme, body=lambda w: {"vkey": SigningKey.generate("acme.example/w", COSIGNER).vkey.text()}),
    ("GET", "/api/v1/orgs/{handle}/witness-key"): Row(
        {"admin": 200, "signer": 200, "member": 200, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_witness_key),
    # a well-formed note, but no checkpoint was signed in the matrix world: 422 past the 404s
    ("POST", "/api/v1/partnerships/{partnership_id}/log/cosignatures"): Row(
        {"admin": 422, "signer": 422, "member": 422, "recipient": 409, "partner": 409,
         "outsider": 404, "anonymous": 401},
        params=_witness_key_and_partnership, body=lambda w: _COSIGNED_NOTE),
    ("POST", "/api/v1/orgs/{handle}/log/cosignatures"): Row(
        {"admin": 422, "signer": 422, "member": 422, "recipient": 404, "partner": 404,
         "outsider": 404, "anonymous": 401},
        params=_witness_key, body=lambda w: _COSIGNED_NOTE),
}


@pytest.fixture(scope="module")
def pristine_worlds() -> dict[str, Pristine]:
    """The world as built, by database kind: built once, restored for each test."""
    return {}


@pytest.fixture
def app(database_url: str, tmp_path: Path, clock: FakeClock,
        pristine_worlds: dict[str, Pristine]) -> Iterator[App]:
    kind = make_url(database_url).get_backend_name()
    if kind not in pristine_worlds:
        (tmp_path / "pristine").mkdir()
        pristine_worlds[kind] = build_pristine(database_url, tmp_path / "pristine")
    built = restore(pristine_worlds[kind], database_url, tmp_path / "data", clock)
    yield built
    built.close()


@pytest.fixture
def world(app: App, database_url: str, pristine_worlds: dict[str, Pristine]) -> MatrixWorld:
    return world_on(pristine_worlds[make_url(database_url).get_backend_name()], app)


@pytest.fixture(autouse=True)
def _commits_without_waiting_for_the_disk(app: App) -> None:
    """Each test builds a world of ~30 commits: let them skip the wait for the disk.

    why: durability is not what this file tests, and on a busy disk the flushes double the
    time of the whole matrix. The engine is this test's own; its connections are made anew.
    """
    dialect = app.engine.dialect.name
    app.engine.dispose()  # why: the setting is made on connect; no connection may predate it

    @event.listens_for(app.engine, "connect")
    def _relaxed(dbapi_connection: Any, _record: Any) -> None:
        if dialect == "sqlite":
            dbapi_connection.execute("PRAGMA synchronous = OFF")
        elif dialect == "postgresql":
            dbapi_connection.execute("SET synchronous_commit = off")
            dbapi_connection.commit()


def _rows(route: tuple[str, str]) -> list[Row]:
    found = MATRIX[route]
    return found if isinstance(found, list) else [found]


def _cases() -> list[Any]:
    cases = []
    for method, path in MATRIX:
        rows = _rows((method, path))
        for index, row in enumerate(rows):
            target = f" [{row.label}]" if len(rows) > 1 else ""
            for caller in CALLERS:
                bug = row.bugs.get(caller)
                marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
                cases.append(pytest.param((method, path), index, caller, marks=marks,
                                          id=f"{method} {path}{target} as {caller}"))
    return cases


def test_every_route_has_a_row_and_every_row_a_route(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    routes = {(method.upper(), path) for path, operations in spec["paths"].items()
              for method in operations if method in HTTP_METHODS}

    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    rows = [(route, row) for route in MATRIX for row in _rows(route)]
    incomplete = sorted({route for route, row in rows if set(row.expect) | {"guest"} != set(CALLERS)})
    strange_bugs = sorted({route for route, row in rows if not set(row.bugs) <= set(CALLERS)})

    assert not missing and not stale, (
        f"routes in the OpenAPI document without a row in MATRIX: {missing}; "
        f"rows in MATRIX for routes the OpenAPI document no longer has: {stale}")
    assert not incomplete, f"rows that do not give a status for each of {CALLERS}: {incomplete}"
    assert not strange_bugs, f"rows whose bugs name an unknown caller: {strange_bugs}"


@pytest.mark.parametrize(("route", "index", "caller"), _cases())
def test_each_caller_gets_what_the_rules_give_and_nothing_more(
    route: tuple[str, str], index: int, caller: str, world: MatrixWorld, client: TestClient
) -> None:
    row = _rows(route)[index]
    method, template = route
    params = row.params(world)
    body = row.body(world) if row.body else None
    expected = _expected(row, caller)

    for query in row.queries(world):
        answer = _call(client, world, caller, method, template.format(**params), query, body)
        what = " ".join(str(p) for p in (method, template, row.label, query or "", "as", caller) if p)

        assert answer.status_code == expected, (
            f"{what}: expected {expected}, got {answer.status_code}: {answer.text[:500]}")
        sent = " ".join([template.format(**params), json.dumps(query), json.dumps(body)])
        leaked = _leaks(world, row, caller, answer, sent)
        assert not leaked, f"{what} ({answer.status_code}) carries {leaked}: {answer.text[:500]}"
        if expected in DENIED:
            assert answer.headers["content-type"] == "application/problem+json", what
        if expected == 401:
            assert answer.headers["www-authenticate"] == "Bearer", what
        if expected == 404 and params:
            # why not the format: a file's extension (`.csv`) is no id, and a wrong one is a 422
            fakes = {name: value if name == "fmt" else _never_existed(value)
                     for name, value in params.items()}
            twin = _call(client, world, caller, method, template.format(**fakes), query, body)
            seen = answer.text
            for name, value in params.items():
                seen = seen.replace(value, fakes[name])
            assert (twin.status_code, twin.text) == (404, seen), (
                f"{what}: the 404 differs from the one for ids that never existed: "
                f"{answer.text[:300]} vs {twin.text[:300]}")


def _expected(row: Row, caller: str) -> int:
    """The status the row gives the caller; the guest is an outsider unless the row says otherwise."""
    if caller == "guest":
        return row.expect.get("guest", row.expect["outsider"])
    return row.expect[caller]


def _call(client: TestClient, world: MatrixWorld, caller: str, method: str, path: str,
          query: dict[str, str], body: Any) -> Response:
    extra: dict[str, Any] = {} if body is None else {"json": body}
    return client.request(method, path, params=query, headers=world.headers(caller), **extra)


def _leaks(world: MatrixWorld, row: Row, caller: str, answer: Response, sent: str) -> list[str]:
    """The labels of the secrets `answer` carries that the caller may not see and did not send."""
    if answer.status_code in DENIED:
        labels = world.denied_secrets(caller)
    else:
        labels = world.never_visible_to(caller) - row.also_visible.get(caller, set())
    secrets = world.secrets()
    return sorted(label for label in labels
                  if secrets[label] not in sent and secrets[label] in answer.text)


def _never_existed(value: str) -> str:
    """An id of the same kind that names nothing (`prt_...` -> `prt_0nonexistent0`), or a handle."""
    prefix, _, rest = value.partition("_")
    return f"{prefix}_0nonexistent0" if rest else "nosuchorg"
