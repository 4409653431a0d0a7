"""Request pages: ask a partner org for information, and the request with its history and actions.

Answering with a new disclosure goes through the disclose page (/disclose?request=ID), which
presets the asker as recipient and links the disclosure to the request as it is made.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.errors import InvalidInput, Refused
from sharebound.services import partnerships, requests
from sharebound.services.pages.request import request_page as read_request_page
from sharebound.web.pages.common import (
    CheckedForm,
    FormUow,
    Session,
    Uow,
    act_once,
    claim_form,
    finish_form,
    form_text,
    render,
    with_notice,
)

router = APIRouter(include_in_schema=False)

DEFAULT_DUE = timedelta(days=7)  # why: a week is a fair first deadline for a partner


def _ask_context(uow: Uow, me: Session, partnership_id: str) -> dict[str, Any]:
    partnership = partnerships.get_partnership(uow, me.person.id, partnership_id)
    people = partnerships.partner_people(uow, me.person.id, partnership_id)
    orgs = sorted({p.org for p in people})
    return {"partnership": partnership, "partner_orgs": orgs, "partner_people": people}


@router.get("/partnerships/{partnership_id}/requests/new", response_class=HTMLResponse)
def ask_form(request: Request, partnership_id: str, me: Session, uow: Uow) -> Response:
    context = _ask_context(uow, me, partnership_id)
    due = (uow.clock() + DEFAULT_DUE).date().isoformat()
    values = {"title": "", "details": "", "topic": "", "due_on": due, "assignee": "",
              "classification": "public",
              "asked_org": context["partner_orgs"][0] if len(context["partner_orgs"]) == 1 else ""}
    return render(request, "request_new.html", me.person, me.csrf, values=values, errors={}, **context)


@router.post("/partnerships/{partnership_id}/requests/new")
def ask(request: Request, partnership_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    values = {k: form_text(form, k) for k in ("title", "details", "topic", "due_on", "assignee", "asked_org",
                                              "classification")}
    if (done := claim_form(uow, form, me.person, f"/partnerships/{partnership_id}#requests")) is not None:
        return done
    try:
        made = requests.open_request(
            uow, me.person.id, partnership_id, title=values["title"], details=values["details"],
            due_on=values["due_on"], asked_org=values["asked_org"] or None,
            topic=values["topic"] or None, assignee=values["assignee"] or None,
            classification=values["classification"] or None)
    except InvalidInput as bad:
        return render(request, "request_new.html", me.person, me.csrf, values=values, errors=bad.errors,
                      status_code=422, **_ask_context(uow, me, partnership_id))
    except Refused as refused:  # the agreement or the content gate: nothing was sent
        reasons = "; ".join(r.message for r in refused.decision.reasons)
        return render(request, "request_new.html", me.person, me.csrf, values=values,
                      errors={"form": f"Not sent: {reasons}"}, status_code=403,
                      **_ask_context(uow, me, partnership_id))
    return finish_form(uow, form, with_notice(f"/requests/{made.id}", "Request sent.", me.csrf))


@router.get("/requests/{request_id}", response_class=HTMLResponse)
def request_page(request: Request, request_id: str, me: Session, uow: Uow) -> Response:
    page = read_request_page(uow, me.person.id, request_id)
    return render(request, "request.html", me.person, me.csrf, view=page.view, r=page.view.request,
                  state=page.state, asked_people=page.asked_people, unread=page.unread)


def _here(request_id: str) -> str:
    return f"/requests/{request_id}"


@router.post("/requests/{request_id}/answer")
def answer(request: Request, request_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    chosen = [str(d) for d in form.getlist("disclosure_ids")]
    return act_once(uow, form, me, _here(request_id),
                    lambda: requests.answer_request(uow, me.person.id, request_id, chosen,
                                                    note=form_text(form, "note")),
                    done="Answered.", failed="Not answered")


@router.post("/requests/{request_id}/decline")
def decline(request: Request, request_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    return act_once(uow, form, me, _here(request_id), lambda: requests.decline_request(
        uow, me.person.id, request_id, reason=form_text(form, "reason")),
        done="Declined.", failed="Not declined")


@router.post("/requests/{request_id}/withdraw")
def withdraw(request: Request, request_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    return act_once(uow, form, me, _here(request_id),
                    lambda: requests.withdraw_request(uow, me.person.id, request_id),
                    done="Withdrawn.", failed="Not withdrawn")


@router.post("/requests/{request_id}/assign")
def assign(request: Request, request_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    return act_once(uow, form, me, _here(request_id), lambda: requests.assign_request(
        uow, me.person.id, request_id, assignee=form_text(form, "assignee")),
        done="Assigned.", failed="Not assigned")

