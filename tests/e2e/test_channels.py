"""Every route by which one org's people write text that another org reads passes the decision.

ROUTES has one entry per write route of the app (API and pages; a route without an entry, or
an entry without a route, fails `test_every_write_route_is_classified`). An entry is either a
`Probe`, the name of the channel the route sends text by, or a sentence saying why the route
sends no free text to another org.

Each probe sends a registered crown-jewel codename, an `ACME RESTRICTED` marking and an
AWS-key-shaped string, before any NDA where the route can run without one, and checks that the
answer is a refusal with `content` reasons (403 on the API) and that the partner reads nothing
of it afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from sharebound.bootstrap import App
from sharebound.services import (
    agreements,
    disclosures,
    gate,
    messages,
    notices,
    partnerships,
    register,
    representatives,
    requests,
    reshares,
    returns,
)
from sharebound.services.disclosures import DisclosureDraft
from sharebound.web import create_app
from tests.e2e.conftest import WORLD_PASSWORD, sign_in, sign_in_page
from tests.factories import ready_to_sign
from tests.integration.world import World

CODENAME = "Kestrel"
MULTI_LINE = f"{CODENAME} bench results\nACME RESTRICTED\naws_access_key_id = AKIAIOSFODNN7EXAMPLE"
ONE_LINE = f"{CODENAME} — ACME RESTRICTED — AKIAIOSFODNN7EXAMPLE"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass
class Ctx:
    world: World
    app: App
    ids: dict[str, str]

    def uow(self) -> Any:
        return self.app.uow()


@dataclass(frozen=True)
class Probe:
    """A channel: what it needs, how the API and the page send text by it, what the partner reads."""

    setup: Callable[[Ctx], None]
    api: Callable[[Ctx], tuple[str, str, dict[str, Any]]]  # method, path, JSON body
    page: Callable[[Ctx], tuple[str, dict[str, Any]]]  # path, form fields
    partner_reads: Callable[[Ctx], str]  # everything the partner reads afterwards, as text
    before_nda: bool = True  # False: the route cannot run before an NDA (it needs a disclosure...)


def _nothing(_: Ctx) -> None:
    return None


def _signed(c: Ctx) -> None:
    c.ids["agreement"] = c.world.signed().id


def _disclosed(c: Ctx) -> None:
    _signed(c)
    w = c.world
    item = w.note(by=w.alice, classification="internal", body="Drift under 0.2 K")
    c.ids["disclosure"] = disclosures.disclose(c.uow(), w.alice.id, DisclosureDraft(
        item_id=item, agreement_id=c.ids["agreement"], recipients=["gina@globex.example"],
        actions=["view"])).id
    c.ids["item"] = item


def _asked(c: Ctx) -> None:
    w = c.world
    c.ids["request"] = requests.open_request(c.uow(), w.gina.id, w.partnership.id, title="Drawings",
                                             due_on=c.app.clock().date()).id


def _asked_after_disclosure(c: Ctx) -> None:
    _disclosed(c)
    _asked(c)


def _terminated(c: Ctx) -> None:
    _signed(c)
    agreements.terminate_agreement(c.uow(), c.world.grace.id, c.ids["agreement"], reason="Done")


def _drafted(c: Ctx) -> None:
    agreement = c.world.draft()
    ready_to_sign(c.uow(), c.world.alice.id)  # consent given: the title is what is probed
    c.ids["agreement"], c.ids["digest"] = agreement.id, agreement.current.digest


def _noticed(c: Ctx) -> None:
    """globex gives acme a notice of unauthorized use, for acme to answer."""
    _signed(c)
    c.ids["notice"] = notices.send_notice(c.uow(), c.world.grace.id, c.ids["agreement"], {
        "kind": "unauthorized_use", "body": "A copy surfaced"}).id


REPRESENTATIVE = {"organization": "Precision Parts Ltd", "name": "Jo Smith",
                  "email": "jo@precision.example", "reason": "Machines the housing"}


def _globex_named(c: Ctx) -> None:
    """globex names its representative, for acme to decline."""
    _signed(c)
    c.ids["representative"] = representatives.name_representative(
        c.uow(), c.world.grace.id, c.ids["agreement"], REPRESENTATIVE).id


def _acme_may_reshare(c: Ctx) -> None:
    """globex disclosed a note to alice; acme's representative is approved by globex."""
    _signed(c)
    w = c.world
    item = w.note(by=w.grace, classification="internal", body="Housing drawing")
    c.ids["disclosure"] = disclosures.disclose(c.uow(), w.grace.id, DisclosureDraft(
        item_id=item, agreement_id=c.ids["agreement"], recipients=["alice@acme.example"],
        actions=["view"])).id
    named = representatives.name_representative(c.uow(), w.alice.id, c.ids["agreement"], REPRESENTATIVE)
    representatives.approve_representative(c.uow(), w.grace.id, named.id)
    c.ids["representative"] = named.id


def _globex_representatives(c: Ctx) -> str:
    w = c.world
    found = representatives.list_representatives(c.uow(), w.grace.id, c.ids["agreement"]).rows
    shared = (reshares.list_reshares(c.uow(), w.grace.id, c.ids["disclosure"]).rows
              if "disclosure" in c.ids else [])
    return repr(found) + repr(shared)


def _globex_notices(c: Ctx) -> str:
    w = c.world
    found = notices.list_notices(c.uow(), w.grace.id, c.ids["agreement"]).rows
    return repr(found) + repr([notices.notice_thread(c.uow(), w.grace.id, n.id) for n in found])


def _globex_requests(c: Ctx) -> str:
    w = c.world
    found = requests.list_requests(c.uow(), w.grace.id, w.partnership.id).rows
    views = [requests.get_request(c.uow(), w.gina.id, r.id) for r in found]
    return repr(found) + repr([(v.request, v.history) for v in views])


def _globex_agreement(c: Ctx) -> str:
    w = c.world
    return (repr(agreements.get_agreement(c.uow(), w.grace.id, c.ids["agreement"]))
            + repr(returns.copies_to_return(c.uow(), w.grace.id, c.ids["agreement"])))


def _globex_feed(c: Ctx) -> str:
    return repr(messages.read_feed(c.uow(), c.world.gina.id, c.world.partnership.id))


def _initech_partnerships(c: Ctx) -> str:
    return repr(partnerships.list_partnerships(c.uow(), c.world.ian.id).rows)


def _gina_disclosures(c: Ctx) -> str:
    found = register.list_register(c.uow(), c.world.gina.id, direction="received",
                                   partnership_id=c.world.partnership.id)
    return repr([view.disclosure for view in found.rows])


def _acme_stamps(c: Ctx) -> str:
    """What globex's people would read on acme's copies: the template acme's copies get."""
    with c.uow() as uow:
        return repr(uow.watermarks.resolved("acme", c.ids.get("agreement", "")))


WATERMARK = {"fields": ["recipient_name", "custom_text"], "position": "footer", "size": 8,
             "opacity": 0.5, "custom_text": ONE_LINE}
WATERMARK_FORM = WATERMARK | {"fields": "custom_text", "do": "save"}


PROBES: dict[str, Probe] = {
    "org watermark": Probe(
        _nothing,
        lambda c: ("PUT", "/api/v1/orgs/acme/watermark", WATERMARK),
        lambda c: ("/admin/watermark", WATERMARK_FORM),
        _acme_stamps),
    "agreement watermark": Probe(
        _signed,
        lambda c: ("PUT", f"/api/v1/agreements/{c.ids['agreement']}/watermark", WATERMARK),
        lambda c: ("/admin/watermark", WATERMARK_FORM | {"agreement": c.ids["agreement"]}),
        _acme_stamps, before_nda=False),
    "request": Probe(
        _nothing,
        lambda c: ("POST", f"/api/v1/partnerships/{c.world.partnership.id}/requests",
                   {"title": ONE_LINE, "details": MULTI_LINE,
                    "due_on": c.app.clock().date().isoformat()}),
        lambda c: (f"/partnerships/{c.world.partnership.id}/requests/new",
                   {"title": ONE_LINE, "details": MULTI_LINE, "asked_org": "globex",
                    "due_on": c.app.clock().date().isoformat()}),
        _globex_requests),
    "decline reason": Probe(
        _asked,
        lambda c: ("POST", f"/api/v1/requests/{c.ids['request']}/decline", {"reason": MULTI_LINE}),
        lambda c: (f"/requests/{c.ids['request']}/decline", {"reason": MULTI_LINE}),
        _globex_requests),
    "answer note": Probe(
        _asked_after_disclosure,
        lambda c: ("POST", f"/api/v1/requests/{c.ids['request']}/answer",
                   {"disclosure_ids": [c.ids["disclosure"]], "note": MULTI_LINE}),
        lambda c: (f"/requests/{c.ids['request']}/answer",
                   {"disclosure_ids": c.ids["disclosure"], "note": MULTI_LINE}),
        _globex_requests, before_nda=False),
    "feed": Probe(
        _nothing,
        lambda c: ("POST", f"/api/v1/partnerships/{c.world.partnership.id}/messages",
                   {"body": MULTI_LINE}),
        lambda c: (f"/partnerships/{c.world.partnership.id}/messages", {"body": MULTI_LINE}),
        _globex_feed),
    "proposal name": Probe(
        _nothing,
        lambda c: ("POST", "/api/v1/partnerships",
                   {"name": ONE_LINE, "purpose": "other", "invite": ["initech"]}),
        lambda c: ("/partnerships/new", {"name": ONE_LINE, "purpose": "other", "invite": "initech"}),
        _initech_partnerships),
    "signer title": Probe(
        _drafted,
        lambda c: ("POST", f"/api/v1/agreements/{c.ids['agreement']}/sign",
                   {"digest": c.ids["digest"], "title": ONE_LINE, "password": WORLD_PASSWORD}),
        lambda c: (f"/agreements/{c.ids['agreement']}/sign",
                   {"digest": c.ids["digest"], "title": ONE_LINE, "password": WORLD_PASSWORD}),
        _globex_agreement),
    "termination reason": Probe(
        _signed,
        lambda c: ("POST", f"/api/v1/agreements/{c.ids['agreement']}/terminate", {"reason": MULTI_LINE}),
        lambda c: (f"/agreements/{c.ids['agreement']}/terminate", {"reason": MULTI_LINE}),
        _globex_agreement, before_nda=False),
    "return certification": Probe(
        _terminated,
        lambda c: ("POST", f"/api/v1/agreements/{c.ids['agreement']}/copies/certify",
                   {"statement": MULTI_LINE}),
        lambda c: (f"/agreements/{c.ids['agreement']}/copies/certify", {"statement": MULTI_LINE}),
        _globex_agreement, before_nda=False),
    "notice": Probe(
        _signed,
        lambda c: ("POST", f"/api/v1/agreements/{c.ids['agreement']}/notices",
                   {"kind": "unauthorized_use", "body": MULTI_LINE}),
        lambda c: (f"/agreements/{c.ids['agreement']}/notices",
                   {"kind": "unauthorized_use", "body": MULTI_LINE, "to": "globex"}),
        _globex_notices, before_nda=False),
    "notice response": Probe(
        _noticed,
        lambda c: ("POST", f"/api/v1/notices/{c.ids['notice']}/respond", {"body": MULTI_LINE}),
        lambda c: (f"/notices/{c.ids['notice']}/respond", {"body": MULTI_LINE}),
        _globex_notices, before_nda=False),
    "revocation reason": Probe(
        _disclosed,
        lambda c: ("POST", f"/api/v1/disclosures/{c.ids['disclosure']}/revoke", {"reason": MULTI_LINE}),
        lambda c: (f"/disclosures/{c.ids['disclosure']}/revoke", {"reason": MULTI_LINE}),
        _gina_disclosures, before_nda=False),
    "disclosure note": Probe(
        _disclosed,
        lambda c: ("POST", "/api/v1/disclosures",
                   {"item_id": c.ids["item"], "agreement_id": c.ids["agreement"],
                    "recipients": ["grace@globex.example"], "actions": ["view"], "note": MULTI_LINE}),
        lambda c: ("/disclose", {"item_id": c.ids["item"], "agreement_id": c.ids["agreement"],
                                 "partnership_id": c.world.partnership.id,
                                 "recipients": "grace@globex.example", "actions": "view",
                                 "note": MULTI_LINE}),
        _gina_disclosures, before_nda=False),
    "representative": Probe(
        _signed,
        lambda c: ("POST", f"/api/v1/agreements/{c.ids['agreement']}/representatives",
                   REPRESENTATIVE | {"reason": MULTI_LINE}),
        lambda c: (f"/agreements/{c.ids['agreement']}/representatives",
                   REPRESENTATIVE | {"reason": MULTI_LINE}),
        _globex_representatives, before_nda=False),
    "representative decline reason": Probe(
        _globex_named,
        lambda c: ("POST", f"/api/v1/agreements/{c.ids['agreement']}/representatives/"
                           f"{c.ids['representative']}/decline", {"reason": MULTI_LINE}),
        lambda c: (f"/agreements/{c.ids['agreement']}/representatives/{c.ids['representative']}/decline",
                   {"reason": MULTI_LINE}),
        _globex_representatives, before_nda=False),
    "re-share note": Probe(
        _acme_may_reshare,
        lambda c: ("POST", f"/api/v1/disclosures/{c.ids['disclosure']}/reshares",
                   {"representative_id": c.ids["representative"], "actions": ["view"], "note": MULTI_LINE}),
        lambda c: (f"/disclosures/{c.ids['disclosure']}/reshares",
                   {"representative_id": c.ids["representative"], "actions": "view", "note": MULTI_LINE}),
        _globex_representatives, before_nda=False),
}

_OWN_ORG = "stays inside the org"
_NO_TEXT = "carries no free text"
_SCIM_PEOPLE = "a person's name and email, as adding a person: who they are, not what the org knows"

ROUTES: dict[tuple[str, str], str] = {
    # --- the API --------------------------------------------------------------------------------
    ("POST", "/api/v1/auth/token"): _OWN_ORG + ": a token's label is the person's own",
    ("DELETE", "/api/v1/auth/tokens/{token_id}"): _NO_TEXT,
    ("POST", "/api/v1/auth/password"): _OWN_ORG,
    ("POST", "/api/v1/auth/invitations/accept"): _OWN_ORG,
    ("POST", "/api/v1/me/e-sign-consent"): _NO_TEXT + " (the SHA-256 of the statement read)",
    ("POST", "/api/v1/me/e-sign-consent/withdraw"): _NO_TEXT,
    ("POST", "/api/v1/orgs"): "an org's own name and its admin's: who it is, not what it knows",
    ("PATCH", "/api/v1/orgs/{handle}"): "an org's legal name, address and notice contact: who it is, "
                                        "not what it knows (cleared as public text)",
    ("POST", "/api/v1/orgs/{handle}/people"): _OWN_ORG,
    ("PUT", "/api/v1/orgs/{handle}/people/{person_id}/roles"): _OWN_ORG,
    ("POST", "/api/v1/orgs/{handle}/people/{person_id}/deactivate"): _NO_TEXT,
    ("POST", "/api/v1/orgs/{handle}/people/{person_id}/reactivate"): _NO_TEXT,
    ("POST", "/api/v1/orgs/{handle}/crown-jewels"): _OWN_ORG + " (its admins only)",
    ("DELETE", "/api/v1/orgs/{handle}/crown-jewels/{term_id}"): _OWN_ORG,
    ("PUT", "/api/v1/orgs/{handle}/watermark"): "org watermark",
    ("DELETE", "/api/v1/orgs/{handle}/watermark"): _NO_TEXT,
    ("PUT", "/api/v1/agreements/{agreement_id}/watermark"): "agreement watermark",
    ("DELETE", "/api/v1/agreements/{agreement_id}/watermark"): _NO_TEXT,
    ("POST", "/api/v1/partnerships"): "proposal name",
    ("POST", "/api/v1/partnerships/{partnership_id}/accept"): _NO_TEXT,
    ("POST", "/api/v1/partner-invitations/{invitation_id}/revoke"): _NO_TEXT,
    ("POST", "/api/v1/partnerships/{partnership_id}/agreements"): "the NDA itself, negotiated by the parties",
    ("PUT", "/api/v1/agreements/{agreement_id}"): "the NDA itself, negotiated by the parties",
    ("POST", "/api/v1/partnerships/{partnership_id}/agreement-documents"):
        "the executed NDA itself, which the parties signed; its file name passes the gate",
    ("POST", "/api/v1/agreements/{agreement_id}/sign"): "signer title",
    ("POST", "/api/v1/agreements/{agreement_id}/terminate"): "termination reason",
    ("POST", "/api/v1/agreements/{agreement_id}/copies/certify"): "return certification",
    ("POST", "/api/v1/agreements/{agreement_id}/notices"): "notice",
    ("POST", "/api/v1/notices/{notice_id}/acknowledge"): _NO_TEXT,
    ("POST", "/api/v1/notices/{notice_id}/respond"): "notice response",
    ("POST", "/api/v1/notices/{notice_id}/close"): _NO_TEXT,
    ("POST", "/api/v1/partnerships/{partnership_id}/messages"): "feed",
    ("POST", "/api/v1/partnerships/{partnership_id}/messages/read"): _NO_TEXT,
    ("POST", "/api/v1/partnerships/{partnership_id}/requests"): "request",
    ("POST", "/api/v1/requests/{request_id}/answer"): "answer note",
    ("POST", "/api/v1/requests/{request_id}/decline"): "decline reason",
    ("POST", "/api/v1/requests/{request_id}/withdraw"): _NO_TEXT,
    ("POST", "/api/v1/requests/{request_id}/assign"): _NO_TEXT,
    ("POST", "/api/v1/items"): _OWN_ORG + ": an item reaches a partner only by a disclosure",
    ("PATCH", "/api/v1/items/{item_id}"): _OWN_ORG,
    ("POST", "/api/v1/reclassifications/{request_id}/approve"): _OWN_ORG,
    ("POST", "/api/v1/items/bulk"): _OWN_ORG + ": items reach a partner only by a disclosure",
    ("POST", "/api/v1/items/import"): _OWN_ORG + ": items reach a partner only by a disclosure",
    ("POST", "/api/v1/folders"): _OWN_ORG + ": a folder's name reaches a partner only in a package, "
                                            "where the content gate reads it",
    ("PATCH", "/api/v1/folders/{folder_id}"): _OWN_ORG,
    ("DELETE", "/api/v1/folders/{folder_id}"): _NO_TEXT,
    ("POST", "/api/v1/disclosures/check"): "a dry run: nothing is sent",
    ("POST", "/api/v1/disclosures"): "disclosure note",
    ("POST", "/api/v1/packages"): "no free text of its own: each item passes the rule and the gate "
                                  "(title, topics, file name, content) and the gate reads the folder names",
    ("POST", "/api/v1/disclosures/{disclosure_id}/revoke"): "revocation reason",
    ("POST", "/api/v1/agreements/{agreement_id}/representatives"): "representative",
    ("POST", "/api/v1/agreements/{agreement_id}/representatives/{representative_id}/approve"): _NO_TEXT,
    ("POST", "/api/v1/agreements/{agreement_id}/representatives/{representative_id}/decline"):
        "representative decline reason",
    ("POST", "/api/v1/agreements/{agreement_id}/representatives/{representative_id}/withdraw"): _NO_TEXT,
    ("POST", "/api/v1/disclosures/{disclosure_id}/reshares"): "re-share note",
    ("POST", "/api/v1/notifications/read"): _OWN_ORG,
    ("PUT", "/api/v1/me/notification-preferences"): _OWN_ORG,
    ("POST", "/api/v1/orgs/{handle}/webhooks"): _OWN_ORG + ": a webhook is the org's own receiver",
    ("DELETE", "/api/v1/webhooks/{webhook_id}"): _OWN_ORG,
    ("POST", "/api/v1/webhooks/{webhook_id}/rotate-secret"): _OWN_ORG,
    ("POST", "/api/v1/orgs/{handle}/scim-tokens"): _OWN_ORG + ": a token's label",
    ("DELETE", "/api/v1/orgs/{handle}/scim-tokens/{token_id}"): _NO_TEXT,
    # --- SCIM: the org's identity provider writes its own people and groups -----------------------
    ("POST", "/scim/v2/.search"): _NO_TEXT + ": refused (501)",
    ("POST", "/scim/v2/Users"): _SCIM_PEOPLE,
    ("PUT", "/scim/v2/Users/{user_id}"): _SCIM_PEOPLE,
    ("PATCH", "/scim/v2/Users/{user_id}"): _SCIM_PEOPLE,
    ("DELETE", "/scim/v2/Users/{user_id}"): _NO_TEXT,
    ("POST", "/scim/v2/Groups"): _OWN_ORG + ": a group's name is seen by the org only",
    ("PUT", "/scim/v2/Groups/{group_id}"): _OWN_ORG + ": a group's name is seen by the org only",
    ("PATCH", "/scim/v2/Groups/{group_id}"): _OWN_ORG + ": a group's name is seen by the org only",
    ("DELETE", "/scim/v2/Groups/{group_id}"): _NO_TEXT,
    ("POST", "/api/v1/me/totp"): _NO_TEXT,
    ("POST", "/api/v1/me/totp/confirm"): _NO_TEXT + ": a code",
    ("POST", "/api/v1/me/totp/disable"): _NO_TEXT + ": a code",
    ("POST", "/api/v1/me/recovery-codes"): _NO_TEXT + ": a code",
    ("POST", "/api/v1/me/passkeys/registration-options"): _NO_TEXT,
    ("POST", "/api/v1/me/passkeys/assertion-options"): _NO_TEXT,
    ("POST", "/api/v1/me/passkeys"): _OWN_ORG + ": a passkey's name is the person's own",
    ("DELETE", "/api/v1/me/passkeys/{passkey_id}"): _NO_TEXT,
    ("PUT", "/api/v1/orgs/{handle}/second-factor-policy"): _OWN_ORG,
    ("DELETE", "/api/v1/orgs/{handle}/people/{person_id}/second-factors"): _NO_TEXT,
    ("PUT", "/api/v1/orgs/{handle}/sso"): _OWN_ORG + ": the org's own identity provider settings",
    ("DELETE", "/api/v1/orgs/{handle}/sso"): _OWN_ORG,
    ("PUT", "/api/v1/orgs/{handle}/witness-key"): _OWN_ORG + ": a key's name (no spaces) and "
                                                      "public key; partners see the name only "
                                                      "on a checkpoint's signature line",
    ("POST", "/api/v1/partnerships/{partnership_id}/log/cosignatures"):
        _NO_TEXT + ": a checkpoint the server signed itself, and a signature",
    ("POST", "/api/v1/orgs/{handle}/log/cosignatures"): _OWN_ORG,
    # --- the pages ------------------------------------------------------------------------------
    ("POST", "/login"): _OWN_ORG,
    ("POST", "/logout"): _NO_TEXT,
    ("POST", "/password"): _OWN_ORG,
    ("POST", "/invitations/accept"): _OWN_ORG,
    ("POST", "/admin/profile"): "an org's legal name, address and notice contact: who it is, "
                                "not what it knows (cleared as public text)",
    ("POST", "/login/second-factor"): _NO_TEXT + ": a code or a passkey's assertion",
    ("POST", "/login/second-factor/passkey-options"): _NO_TEXT,
    ("POST", "/account/totp"): _NO_TEXT,
    ("POST", "/account/totp/confirm"): _NO_TEXT + ": a code",
    ("POST", "/account/totp/disable"): _NO_TEXT + ": a code",
    ("POST", "/account/recovery-codes"): _NO_TEXT + ": a code",
    ("POST", "/account/passkeys/options"): _NO_TEXT,
    ("POST", "/account/passkeys/assertion-options"): _NO_TEXT,
    ("POST", "/account/passkeys"): _OWN_ORG + ": a passkey's name is the person's own",
    ("POST", "/account/passkeys/{passkey_id}/remove"): _NO_TEXT,
    ("POST", "/admin/second-factors"): _OWN_ORG,
    ("POST", "/admin/second-factors/{person_id}/reset"): _NO_TEXT,
    ("POST", "/signup"): "an org's own name and its admin's: who it is, not what it knows",
    ("POST", "/join/{token}"): "an org's own name and its admin's: who it is, not what it knows",
    ("POST", "/join/{token}/take"): _NO_TEXT,
    ("POST", "/partner-invitations/{invitation_id}/revoke"): _NO_TEXT,
    ("POST", "/admin/people"): _OWN_ORG,
    ("POST", "/admin/people/{person_id}/roles"): _OWN_ORG,
    ("POST", "/admin/people/{person_id}/deactivate"): _NO_TEXT,
    ("POST", "/admin/scim"): _OWN_ORG + ": a token's label",
    ("POST", "/admin/scim/{token_id}/revoke"): _NO_TEXT,
    ("POST", "/admin/people/{person_id}/reactivate"): _NO_TEXT,
    ("POST", "/admin/crown-jewels"): _OWN_ORG,
    ("POST", "/admin/crown-jewels/{term_id}/remove"): _OWN_ORG,
    ("POST", "/admin/watermark"): "org watermark",
    ("POST", "/admin/watermark/clear"): _NO_TEXT,
    ("POST", "/admin/trace"): _OWN_ORG + ": a search of the org's own register",
    ("POST", "/admin/webhooks"): _OWN_ORG,
    ("POST", "/login/sso"): _OWN_ORG + ": starts a sign-in at the org's own identity provider",
    ("POST", "/admin/sso"): _OWN_ORG,
    ("POST", "/admin/sso/delete"): _OWN_ORG,
    ("POST", "/admin/witness"): _OWN_ORG + ": as PUT /api/v1/orgs/{handle}/witness-key",
    ("POST", "/admin/webhooks/{webhook_id}/rotate"): _OWN_ORG,
    ("POST", "/admin/webhooks/{webhook_id}/delete"): _OWN_ORG,
    ("POST", "/notifications/read"): _OWN_ORG,
    ("POST", "/notifications/preferences"): _OWN_ORG,
    ("POST", "/partnerships/new"): "proposal name",
    ("POST", "/partnerships/{partnership_id}/accept"): _NO_TEXT,
    ("POST", "/partnerships/{partnership_id}/messages"): "feed",
    ("POST", "/partnerships/{partnership_id}/agreements/new"): "the NDA itself, negotiated by the parties",
    ("POST", "/partnerships/{partnership_id}/agreement-documents/new"):
        "the executed NDA itself, which the parties signed; its file name passes the gate",
    ("POST", "/agreements/{agreement_id}/edit"): "the NDA itself, negotiated by the parties",
    ("POST", "/agreements/{agreement_id}/sign"): "signer title",
    ("POST", "/agreements/{agreement_id}/e-sign-consent"): _NO_TEXT + " (the SHA-256 of the statement read)",
    ("POST", "/agreements/{agreement_id}/terminate"): "termination reason",
    ("POST", "/agreements/{agreement_id}/copies/certify"): "return certification",
    ("POST", "/agreements/{agreement_id}/notices"): "notice",
    ("POST", "/notices/{notice_id}/acknowledge"): _NO_TEXT,
    ("POST", "/notices/{notice_id}/respond"): "notice response",
    ("POST", "/notices/{notice_id}/close"): _NO_TEXT,
    ("POST", "/partnerships/{partnership_id}/requests/new"): "request",
    ("POST", "/requests/{request_id}/answer"): "answer note",
    ("POST", "/requests/{request_id}/decline"): "decline reason",
    ("POST", "/requests/{request_id}/withdraw"): _NO_TEXT,
    ("POST", "/requests/{request_id}/assign"): _NO_TEXT,
    ("POST", "/items/new"): _OWN_ORG,
    ("POST", "/items/upload"): _OWN_ORG,
    ("POST", "/items/import-zip"): _OWN_ORG,
    ("POST", "/folders/new"): _OWN_ORG,
    ("POST", "/folders/{folder_id}/edit"): _OWN_ORG,
    ("POST", "/folders/{folder_id}/delete"): _NO_TEXT,
    ("POST", "/packages/new"): "no free text of its own: each item passes the rule and the gate, "
                               "which also reads the folder names",
    ("POST", "/items/{item_id}/edit"): _OWN_ORG,
    ("POST", "/items/{item_id}/reclassify"): _OWN_ORG,
    ("POST", "/reclassifications/{request_id}/approve"): _OWN_ORG,
    ("POST", "/disclose/preview"): "a dry run: nothing is sent",
    ("POST", "/disclose"): "disclosure note",
    ("POST", "/disclosures/{disclosure_id}/revoke"): "revocation reason",
    ("POST", "/disclosures/{disclosure_id}/view/seconds"): "page numbers and seconds on screen, "
        "read by the discloser as numbers only: no free text",
    ("POST", "/agreements/{agreement_id}/representatives"): "representative",
    ("POST", "/agreements/{agreement_id}/representatives/{representative_id}/approve"): _NO_TEXT,
    ("POST", "/agreements/{agreement_id}/representatives/{representative_id}/decline"):
        "representative decline reason",
    ("POST", "/agreements/{agreement_id}/representatives/{representative_id}/withdraw"): _NO_TEXT,
    ("POST", "/disclosures/{disclosure_id}/reshares"): "re-share note",
}


def _write_routes(routes: list[Any], prefix: str = "") -> set[tuple[str, str]]:
    """(method, path) of every write route, walking included routers (which FastAPI may keep
    nested, each with its own prefix)."""
    found = set()
    for route in routes:
        if isinstance(route, APIRoute):
            found |= {(m, prefix + route.path) for m in route.methods & WRITES}
        elif hasattr(route, "original_router"):
            context = getattr(route, "include_context", None)
            found |= _write_routes(route.original_router.routes,
                                   prefix + (getattr(context, "prefix", "") or ""))
    return found


def test_every_write_route_is_classified(app: App) -> None:
    routes = _write_routes(create_app(core=app).router.routes)
    assert len(routes) > 60  # why: every router was walked

    missing, stale = sorted(routes - ROUTES.keys()), sorted(ROUTES.keys() - routes)

    assert not missing and not stale, (
        f"write routes without an entry in ROUTES (does text reach another org? add a probe): "
        f"{missing}; entries for routes that no longer exist: {stale}")
    probed = {v for v in ROUTES.values() if v in PROBES}
    assert probed == PROBES.keys(), f"probes no route uses: {sorted(PROBES.keys() - probed)}"


@pytest.fixture
def crown_jewel(world: World) -> World:
    gate.add_term(world.uow(), world.alice.id, "acme", CODENAME)
    return world


def _probe_routes(prefix: str) -> list[Any]:
    return [pytest.param(path, ROUTES[(method, path)], id=f"{method} {path}")
            for method, path in ROUTES if ROUTES[(method, path)] in PROBES and path.startswith(prefix)]


@pytest.mark.parametrize(("path", "channel"), _probe_routes("/api/"))
def test_text_sent_to_a_partner_by_the_api_passes_the_agreement_and_the_gate(
    path: str, channel: str, app: App, client: TestClient, crown_jewel: World,
) -> None:
    probe = PROBES[channel]
    ctx = Ctx(crown_jewel, app, {})
    probe.setup(ctx)
    method, sent_to, body = probe.api(ctx)
    assert _template_of(sent_to) == path
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)

    answer = client.request(method, sent_to, json=body, headers=alice.headers)

    assert answer.status_code == 403, answer.text
    codes = {r["code"] for r in answer.json()["reasons"]}
    assert "content" in codes, answer.text
    messages_ = " ".join(r["message"] for r in answer.json()["reasons"])
    assert "crown-jewel" in messages_ or CODENAME in messages_ or "restricted" in messages_.lower()
    assert CODENAME not in probe.partner_reads(ctx)


@pytest.mark.parametrize(("path", "channel"), [p for p in _probe_routes("/") if not
                                               p.values[0].startswith("/api/")])
def test_text_sent_to_a_partner_by_a_page_passes_the_agreement_and_the_gate(
    path: str, channel: str, app: App, client: TestClient, crown_jewel: World,
) -> None:
    probe = PROBES[channel]
    ctx = Ctx(crown_jewel, app, {})
    probe.setup(ctx)
    sent_to, fields = probe.page(ctx)
    assert _template_of(sent_to) == path
    sign_in_page(client, "alice@acme.example", WORLD_PASSWORD)
    tokens = dict(re.findall(r'name="(csrf|form_id)" value="([^"]+)"', client.get("/items/new").text))

    answer = client.post(sent_to, data={**tokens, **fields}, follow_redirects=True)

    assert CODENAME not in probe.partner_reads(ctx)
    assert answer.status_code in (200, 403), answer.text[:500]
    assert "crown-jewel" in answer.text or "Not " in answer.text, answer.text[:2000]


def test_a_request_sent_before_any_nda_carries_only_public_text(
    client: TestClient, world: World,
) -> None:
    gina = sign_in(client, "gina@globex.example", WORLD_PASSWORD)

    answer = gina.post(f"/partnerships/{world.partnership.id}/requests", json={
        "title": "Thermal drift", "classification": "internal",
        "due_on": world.app.clock().date().isoformat()})

    assert answer.status_code == 403
    assert [r["code"] for r in answer.json()["reasons"]] == ["in_force"]
    assert requests.list_requests(world.uow(), world.alice.id, world.partnership.id).rows == []


def test_an_internal_request_is_covered_by_the_agreement_in_force_and_withheld_once_it_ends(
    client: TestClient, world: World,
) -> None:
    agreement = world.signed()
    gina = sign_in(client, "gina@globex.example", WORLD_PASSWORD)
    made = gina.post(f"/partnerships/{world.partnership.id}/requests", json={
        "title": "Thermal drift", "details": "Raw data at 85 C", "classification": "internal",
        "due_on": world.app.clock().date().isoformat()})
    assert made.status_code == 201, made.text
    assert (made.json()["classification"], made.json()["agreement_id"]) == ("internal", agreement.id)

    agreements.terminate_agreement(world.uow(), world.grace.id, agreement.id, reason="Done")
    alice = sign_in(client, "alice@acme.example", WORLD_PASSWORD)
    seen = alice.get(f"/requests/{made.json()['id']}").json()

    assert (seen["details"], seen["withheld"]) == ("", True)


def _template_of(path: str) -> str:
    """The route template a concrete path was made from (ids back to their names)."""
    for method, template in ROUTES:
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and ROUTES[(method, template)] in PROBES:
            return template
    return path
