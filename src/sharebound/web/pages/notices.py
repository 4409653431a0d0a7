"""Notice pages: give a notice from the agreement's page, read one with its history, and
acknowledge, respond to or close it; and the discloser's access report."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.services import access_report, notices
from sharebound.web.pages.common import CheckedForm, FormUow, Session, Uow, act_once, form_text, render

router = APIRouter(include_in_schema=False)

NOTICE_FIELDS = ("kind", "body", "to", "deadline", "to_whom", "order", "copy_id")


@router.post("/agreements/{agreement_id}/notices")
def send(request: Request, agreement_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    fields = {name: form_text(form, name).strip() or None for name in NOTICE_FIELDS}
    fields["body"] = form_text(form, "body")
    return act_once(uow, form, me, f"/agreements/{agreement_id}#notices",
                    lambda: notices.send_notice(uow, me.person.id, agreement_id, fields),
                    done="Notice given: the other party is told in the app and by email.",
                    failed="Not sent")


@router.get("/notices/{notice_id}", response_class=HTMLResponse)
def notice_page(request: Request, notice_id: str, me: Session, uow: Uow) -> Response:
    thread = notices.notice_thread(uow, me.person.id, notice_id)
    return render(request, "notice.html", me.person, me.csrf, thread=thread)


@router.post("/notices/{notice_id}/acknowledge")
def acknowledge(request: Request, notice_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    return act_once(uow, form, me, f"/notices/{notice_id}",
                    lambda: notices.acknowledge_notice(uow, me.person.id, notice_id),
                    done="Acknowledged.", failed="Not acknowledged")


@router.post("/notices/{notice_id}/respond")
def respond(request: Request, notice_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    return act_once(uow, form, me, f"/notices/{notice_id}#responses",
                    lambda: notices.respond_to_notice(uow, me.person.id, notice_id,
                                                      body=form_text(form, "body")),
                    done="Response sent.", failed="Not sent")


@router.post("/notices/{notice_id}/close")
def close(request: Request, notice_id: str, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    return act_once(uow, form, me, f"/notices/{notice_id}",
                    lambda: notices.close_notice(uow, me.person.id, notice_id),
                    done="Closed.", failed="Not closed")


@router.get("/agreements/{agreement_id}/access-report", response_class=HTMLResponse)
def agreement_report(request: Request, agreement_id: str, me: Session, uow: Uow) -> Response:
    report = access_report.agreement_access_report(uow, me.person.id, agreement_id)
    return render(request, "access_report.html", me.person, me.csrf, report=report,
                  back=f"/agreements/{agreement_id}", what="under this NDA")


@router.get("/disclosures/{disclosure_id}/accesses", response_class=HTMLResponse)
def disclosure_report(request: Request, disclosure_id: str, me: Session, uow: Uow) -> Response:
    report = access_report.disclosure_accesses(uow, me.person.id, disclosure_id)
    return render(request, "access_report.html", me.person, me.csrf, report=report,
                  back=f"/disclosures/{disclosure_id}", what="of this disclosure")
