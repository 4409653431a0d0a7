"""Agreement pages: draft and amend the terms, read and sign them, terminate, compare versions.

Form fields are named by the term's path (`schedule.ceiling`, `party_details.acme.legal_name`),
so the errors the domain names land next to the field they are about. Each party's details
start from its org's legal profile.
"""

from __future__ import annotations

import difflib
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from sharebound.domain.agreements import Agreement
from sharebound.domain.errors import Conflict, InvalidInput, PermissionDenied
from sharebound.domain.limits import MAX_ID
from sharebound.domain.partnerships import Partnership
from sharebound.services import agreements, esign, executed, partnerships, returns, uploaded_ndas
from sharebound.services import orgs as orgs_service
from sharebound.services.executed import NO_EVIDENCE
from sharebound.services.pages.agreement import agreement_page as read_agreement_page
from sharebound.web.api.returns import evidence_of
from sharebound.web.deps import From
from sharebound.web.pages.common import (
    SESSION_COOKIE,
    CheckedForm,
    FormUow,
    Session,
    Uow,
    act_once,
    claim_form,
    factor_proof,
    finish_form,
    form_text,
    render,
    with_notice,
)

router = APIRouter(include_in_schema=False)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("\n", ",").split(",") if part.strip()]


def _number(text: str) -> int | str | None:
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isdigit() else text  # why: a non-number reaches the domain, which names it


def terms_from_form(form: FormData, orgs: list[str]) -> dict[str, Any]:
    """The terms JSON from the form's fields, as typed: the domain validates it."""
    def text(name: str) -> str:
        return str(form.get(name) or "")

    mode = text("schedule.recipients.mode") or "all_members"
    recipients: dict[str, Any] = {"mode": mode}
    if mode == "roles":
        recipients["roles"] = [str(r) for r in form.getlist("schedule.recipients.roles")]
    elif mode == "named":
        recipients["people"] = _split(text("schedule.recipients.people"))
    parties = [str(p) for p in form.getlist("parties")]
    return {
        "kind": text("kind") or "mutual",
        "parties": parties,
        "disclosing_parties": [str(p) for p in form.getlist("disclosing_parties")]
        if text("kind") == "one_way" else [],
        "purpose": text("purpose"),
        "effective_date": text("effective_date"),
        "term_end": text("term_end") or None,
        "confidentiality_years": _number(text("confidentiality_years")),
        "governing_law": text("governing_law"),
        "courts": text("courts"),
        "party_details": {org: _party(text, org) for org in orgs if org in parties},
        **_governing(text),
        "modifications": text("modifications"),
        "schedule": {
            "ceiling": text("schedule.ceiling"),
            "topics_allowed": _split(text("schedule.topics_allowed")),
            "topics_excluded": _split(text("schedule.topics_excluded")),
            "recipients": recipients,
            "actions": [str(a) for a in form.getlist("schedule.actions")],
            "watermark_downloads": form.get("schedule.watermark_downloads") == "on",
            "max_access_days": _number(text("schedule.max_access_days")),
            "return_days": _number(text("schedule.return_days")),
            "unreadable_files": "allow" if form.get("schedule.unreadable_files") == "on" else "refuse",
        },
    }


def _party(text: Any, org: str) -> dict[str, Any]:
    def field(name: str) -> str | None:
        return text(f"party_details.{org}.{name}") or None  # why None: the domain names it missing

    return {"legal_name": field("legal_name"), "address": field("address"),
            "notice": {"name": field("notice.name"), "email": field("notice.email"),
                       "address": field("notice.address")}}


def _governing(text: Any) -> dict[str, Any]:
    """Our standard terms (the latest for the kind: the service names the version), a public
    standard by reference, or an uploaded NDA the form carries unchanged."""
    kind = text("governing_document.kind") or "standard"
    if kind == "standard":
        return {}
    keys = (("name", "version", "url") if kind == "reference"
            else ("document_id", "sha256", "filename", "media_type"))
    return {"governing_document": {"kind": kind, **{k: text(f"governing_document.{k}") for k in keys}}}


def _profiles(uow: Uow, me: Session, terms: dict[str, Any], orgs: list[str]) -> dict[str, Any]:
    """`terms` with each party's details as the form shows them: as the terms say, else from
    the org's legal profile (with the first format's notice email, when the terms had one)."""
    details = dict(terms.get("party_details") or {})
    notice = terms.get("notice") or {}
    for handle in orgs:
        if handle in details:
            continue
        profile = orgs_service.get_org(uow, me.person.id, handle).profile
        details[handle] = {"legal_name": profile.legal_name, "address": profile.address,
                           "notice": {"name": profile.notice_name,
                                      "email": notice.get(handle) or profile.notice_email,
                                      "address": profile.address}}
    return {**terms, "party_details": details}


def _defaults(partnership: Partnership, today: date) -> dict[str, Any]:
    orgs = list(partnership.orgs)
    return {
        "kind": "mutual", "parties": orgs, "disclosing_parties": [], "purpose": "",
        "effective_date": today.isoformat(), "term_end": (today + timedelta(days=365)).isoformat(),
        "confidentiality_years": 3, "governing_law": "", "courts": "", "modifications": "",
        "schedule": {"ceiling": "confidential", "topics_allowed": [], "topics_excluded": [],
                     "recipients": {"mode": "all_members"}, "actions": ["view", "download"],
                     "watermark_downloads": True, "max_access_days": 90, "return_days": 30,
                     "unreadable_files": "refuse"},
    }


def _form(request: Request, me: Session, partnership: Partnership, terms: dict[str, Any], action: str,
          errors: dict[str, str], status_code: int = 200, agreement: Agreement | None = None) -> Response:
    return render(request, "agreement_form.html", me.person, me.csrf, partnership=partnership,
                  terms=terms, action=action, errors=errors, agreement=agreement, status_code=status_code)


@router.get("/partnerships/{partnership_id}/agreements/new", response_class=HTMLResponse)
def draft_form(request: Request, partnership_id: str, me: Session, uow: Uow,
               document: Annotated[str, Query(max_length=MAX_ID)] = "") -> Response:
    """The draft form; with `document`, pairing that uploaded NDA with a schedule and dates."""
    partnership = partnerships.get_partnership(uow, me.person.id, partnership_id)
    terms = _profiles(uow, me, _defaults(partnership, uow.clock().date()), list(partnership.orgs))
    if document:
        terms |= {"governing_document": uploaded_ndas.get_document(uow, me.person.id, document)
                  .governing_json(), "purpose": "", "governing_law": "", "courts": ""}
    return _form(request, me, partnership, terms, f"/partnerships/{partnership_id}/agreements/new", {})


@router.post("/partnerships/{partnership_id}/agreements/new")
def draft(
    request: Request, partnership_id: str, form: CheckedForm, me: Session, uow: FormUow
) -> Response:
    partnership = partnerships.get_partnership(uow, me.person.id, partnership_id)
    terms = terms_from_form(form, list(partnership.orgs))
    if (done := claim_form(uow, form, me.person, f"/partnerships/{partnership_id}")) is not None:
        return done
    try:
        made = agreements.draft_agreement(uow, me.person.id, partnership_id, terms)
    except (InvalidInput, Conflict, PermissionDenied) as bad:
        errors = bad.errors if isinstance(bad, InvalidInput) else {"form": str(bad)}
        return _form(request, me, partnership, terms, f"/partnerships/{partnership_id}/agreements/new",
                     errors, 422)
    return finish_form(uow, form, f"/agreements/{made.id}")


@router.get("/agreements/{agreement_id}", response_class=HTMLResponse)
def agreement_page(
    request: Request, agreement_id: str, me: Session, uow: Uow
) -> Response:
    page = read_agreement_page(uow, me.person.id, agreement_id)
    return render(request, "agreement.html", me.person, me.csrf, agreement=page.agreement, now=page.now,
                  status=page.status, my_signature=page.my_signature, errors={},
                  to_return=page.to_return, text=page.text, unread=page.unread,
                  standard_terms=page.standard_terms, confidentiality=page.confidentiality,
                  consent=page.consent, statement=page.statement,
                  executed_version=page.executed_version, no_evidence=NO_EVIDENCE,
                  nda=page.nda,
                  inactive_named=page.inactive_named, factors=page.factors,
                  notices=page.notices, owed=page.owed, today=page.now.date(),
                  representatives=page.representatives)


@router.get("/agreements/{agreement_id}/edit", response_class=HTMLResponse)
def amend_form(request: Request, agreement_id: str, me: Session, uow: Uow) -> Response:
    agreement = agreements.get_agreement(uow, me.person.id, agreement_id)
    partnership = partnerships.get_partnership(uow, me.person.id, agreement.partnership_id)
    terms = _profiles(uow, me, agreement.terms.to_json(), list(partnership.orgs))
    return _form(request, me, partnership, terms, f"/agreements/{agreement_id}/edit", {},
                 agreement=agreement)


@router.post("/agreements/{agreement_id}/edit")
def amend(request: Request, agreement_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    agreement = agreements.get_agreement(uow, me.person.id, agreement_id)
    partnership = partnerships.get_partnership(uow, me.person.id, agreement.partnership_id)
    terms = terms_from_form(form, list(partnership.orgs))
    if (done := claim_form(uow, form, me.person, f"/agreements/{agreement_id}")) is not None:
        return done
    try:
        agreements.amend_agreement(uow, me.person.id, agreement_id, terms)
    except (InvalidInput, Conflict, PermissionDenied) as bad:
        errors = bad.errors if isinstance(bad, InvalidInput) else {"form": str(bad)}
        return _form(request, me, partnership, terms, f"/agreements/{agreement_id}/edit", errors, 422,
                     agreement=agreement)
    again = "A new version: every party signs again."
    return finish_form(uow, form, with_notice(f"/agreements/{agreement_id}", again, me.csrf))


@router.post("/agreements/{agreement_id}/sign")
def sign(request: Request, agreement_id: str, form: CheckedForm, me: Session, uow: FormUow,
         client: From) -> Response:
    return act_once(uow, form, me, f"/agreements/{agreement_id}", lambda: agreements.sign_agreement(
        uow, me.person.id, agreement_id, digest=form_text(form, "digest"), title=form_text(form, "title"),
        password=form_text(form, "password"), client=client,
        second_factor=factor_proof(form, "second_factor_code", "second_factor_webauthn"),
        session_cookie=request.cookies.get(SESSION_COOKIE)),
        done="Signed.", failed="Not signed")


@router.post("/agreements/{agreement_id}/e-sign-consent")
def consent(request: Request, agreement_id: str, form: CheckedForm, me: Session, uow: FormUow,
            client: From) -> Response:
    """Consent to electronic records and signatures from the agreement page, then sign there."""
    return act_once(uow, form, me, f"/agreements/{agreement_id}#signatures", lambda: esign.give_consent(
        uow, me.person.id, statement_sha256=form_text(form, "statement_sha256"), client=client),
        done="You consented to electronic records and signatures: you may sign now.",
        failed="No consent recorded")


@router.get("/agreements/{agreement_id}/executed-copy")
def executed_copy(agreement_id: str, me: Session, uow: Uow) -> Response:
    """The executed copy (PDF) to keep: every party, at any time."""
    copy = executed.executed_copy(uow, me.person.id, agreement_id)
    return Response(copy.pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{copy.filename}"'})


@router.post("/agreements/{agreement_id}/terminate")
def terminate(
    request: Request, agreement_id: str, form: CheckedForm, me: Session, uow: FormUow
) -> Response:
    return act_once(uow, form, me, f"/agreements/{agreement_id}", lambda: agreements.terminate_agreement(
        uow, me.person.id, agreement_id, reason=str(form.get("reason") or "")),
        done="Terminated: access to its disclosures has ended.", failed="Not terminated")


@router.post("/agreements/{agreement_id}/copies/certify")
def certify_copies(
    request: Request, agreement_id: str, form: CheckedForm, me: Session, uow: FormUow
) -> Response:
    return act_once(uow, form, me, f"/agreements/{agreement_id}#copies", lambda: returns.certify_returned(
        uow, me.person.id, agreement_id, statement=str(form.get("statement") or ""),
        password=str(form.get("password") or ""), evidence=evidence_of(request),
        session_cookie=request.cookies.get(SESSION_COOKIE)),
        done="Certified: every copy returned or destroyed.", failed="Not certified")


@router.get("/agreements/{agreement_id}/diff", response_class=HTMLResponse)
def diff(
    request: Request, agreement_id: str, me: Session, uow: Uow, old: int = 1, new: int = 0
) -> Response:
    agreement = agreements.get_agreement(uow, me.person.id, agreement_id)
    last = agreement.current.number
    new = new or last
    if not (1 <= old <= last and 1 <= new <= last):
        raise InvalidInput({"version": f"versions go from 1 to {last}"})
    a, b = agreement.version(old), agreement.version(new)
    lines = list(difflib.ndiff(a.text.splitlines(), b.text.splitlines()))
    changes = [(line[:1], line[2:]) for line in lines if line[:1] in " +-"]
    return render(request, "agreement_diff.html", me.person, me.csrf, agreement=agreement, old=a, new=b,
                  changes=changes)
