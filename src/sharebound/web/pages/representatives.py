"""Representative forms on the agreement page (name, approve, decline, withdraw), the re-share
form on a received disclosure's page, and a guest's home: what was re-shared to them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from sharebound.services import representatives, reshares
from sharebound.web.pages.common import CheckedForm, FormUow, Session, act_once, form_text

router = APIRouter(include_in_schema=False)

FIELDS = ("organization", "name", "email", "reason")


@router.post("/agreements/{agreement_id}/representatives")
def name(request: Request, agreement_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    fields = {field: form_text(form, field) for field in FIELDS}
    return act_once(uow, form, me, f"/agreements/{agreement_id}#representatives",
                    lambda: representatives.name_representative(uow, me.person.id, agreement_id, fields),
                    done="Representative named: the disclosing party approves or declines.",
                    failed="Not named")


@router.post("/agreements/{agreement_id}/representatives/{representative_id}/approve")
def approve(request: Request, agreement_id: str, representative_id: str, form: CheckedForm,
            me: Session, uow: FormUow) -> Response:
    return act_once(uow, form, me, f"/agreements/{agreement_id}#representatives",
                    lambda: representatives.approve_representative(
                        uow, me.person.id, representative_id, agreement_id=agreement_id),
                    done="Approved: they are invited by email to a guest account.",
                    failed="Not approved")


@router.post("/agreements/{agreement_id}/representatives/{representative_id}/decline")
def decline(request: Request, agreement_id: str, representative_id: str, form: CheckedForm,
            me: Session, uow: FormUow) -> Response:
    return act_once(uow, form, me, f"/agreements/{agreement_id}#representatives",
                    lambda: representatives.decline_representative(
                        uow, me.person.id, representative_id, form_text(form, "reason"),
                        agreement_id=agreement_id),
                    done="Declined.", failed="Not declined")


@router.post("/agreements/{agreement_id}/representatives/{representative_id}/withdraw")
def withdraw(request: Request, agreement_id: str, representative_id: str, form: CheckedForm,
             me: Session, uow: FormUow) -> Response:
    return act_once(uow, form, me, f"/agreements/{agreement_id}#representatives",
                    lambda: representatives.withdraw_representative(
                        uow, me.person.id, representative_id, agreement_id=agreement_id),
                    done="Withdrawn: their access ended.", failed="Not withdrawn")


@router.post("/disclosures/{disclosure_id}/reshares")
def reshare(request: Request, disclosure_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    fields: dict[str, object] = {
        "representative_id": form_text(form, "representative_id"),
        "actions": [a for a in form.getlist("actions") if isinstance(a, str)],
        "note": form_text(form, "note")}
    return act_once(uow, form, me, f"/disclosures/{disclosure_id}#reshares",
                    lambda: reshares.reshare_disclosure(uow, me.person.id, disclosure_id, fields),
                    done="Re-shared: the representative reads it stamped with the chain.",
                    failed="Not re-shared")
