"""Pages: an organization's watermark templates (its admins only), for the whole org or for
one agreement, with a live preview: a sample page stamped by the real stamping code. Works
without JavaScript (the Preview button shows the page again with the form's values, saving
nothing);
static/watermark.js refreshes the preview image as the form changes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sharebound.domain.errors import InvalidInput, Refused
from sharebound.domain.limits import (
    MAX_WATERMARK_CUSTOM,
    WATERMARK_MAX_PT,
    WATERMARK_MIN_OPACITY,
    WATERMARK_MIN_PT,
)
from sharebound.domain.watermark import WatermarkField, WatermarkTemplate
from sharebound.services import watermarks
from sharebound.services.auth import BrowserSession
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

HERE = "/admin/watermark"
LABELS = {
    WatermarkField.RECIPIENT_NAME: "Recipient's name",
    WatermarkField.RECIPIENT_EMAIL: "Recipient's email",
    WatermarkField.RECIPIENT_ORG: "Recipient's organization",
    WatermarkField.DATETIME: "Date and time (UTC)",
    WatermarkField.IP: "IP address of the download",
    WatermarkField.COPY_ID: "Copy id (always written)",
    WatermarkField.CUSTOM_TEXT: "Custom text",
}
DEFAULT_FORM: dict[str, Any] = {  # what the form shows while no template is set
    "fields": ["recipient_name", "recipient_org", "datetime", "copy_id"], "position": "diagonal",
    "size": 36, "opacity": 0.2, "custom_text": ""}


def _here(agreement: str) -> str:
    return f"{HERE}?{urlencode({'agreement': agreement})}" if agreement else HERE


def _typed(values: Any) -> dict[str, Any]:
    """The template a form (or a preview's query) holds: the checked fields in the order their
    numbers give (a field without a number goes last, in the list's order)."""
    checked = [str(v) for v in values.getlist("fields")]
    order = {f.value: index for index, f in enumerate(WatermarkField)}

    def rank(name: str) -> tuple[float, int]:
        typed = values.get(f"order_{name}")
        try:
            number = float(typed) if isinstance(typed, str) and typed.strip() else float("inf")
        except ValueError:
            number = float("inf")
        return number, order.get(name, len(order))

    return {"fields": sorted(checked, key=rank), "position": form_text(values, "position"),
            "size": form_text(values, "size"), "opacity": form_text(values, "opacity"),
            "custom_text": form_text(values, "custom_text")}


def _preview_url(agreement: str, typed: dict[str, Any] | None) -> str:
    query: list[tuple[str, str]] = [("agreement", agreement)] if agreement else []
    if typed is not None:
        query += [("fields", ",".join(typed["fields"])), ("position", str(typed["position"])),
                  ("size", str(typed["size"])), ("opacity", str(typed["opacity"])),
                  ("custom_text", str(typed["custom_text"]))]
    return f"{HERE}/preview.png" + (f"?{urlencode(query)}" if query else "")


def _page(request: Request, me: BrowserSession, uow: Uow, agreement: str, *,
          typed: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
          status_code: int = 200) -> Response:
    page = watermarks.watermark_page(uow, me.person.id, agreement or None)
    shown_template: WatermarkTemplate | None = page.view.setting.template if page.view.setting else None
    form = typed or (shown_template.data() if shown_template else
                     (page.view.applied.data() if page.view.applied else DEFAULT_FORM))
    fields = [str(f) for f in form["fields"]]
    rows = sorted(WatermarkField, key=lambda f: (fields.index(f.value) if f.value in fields
                                                 else len(fields) + list(WatermarkField).index(f)))
    preview_ok = not errors
    return render(request, "admin_watermark.html", me.person, me.csrf, status_code=status_code,
                  page=page, agreement=agreement, form=form, chosen=fields, rows=rows,
                  labels=LABELS, errors=errors or {}, max_custom=MAX_WATERMARK_CUSTOM,
                  min_pt=WATERMARK_MIN_PT, max_pt=WATERMARK_MAX_PT, min_opacity=WATERMARK_MIN_OPACITY,
                  preview=_preview_url(agreement, typed if preview_ok else None))


@router.get("/admin/watermark", response_class=HTMLResponse)
def watermark(request: Request, me: Session, uow: Uow) -> Response:
    return _page(request, me, uow, request.query_params.get("agreement", ""))


@router.get("/admin/watermark/preview.png")
def preview(request: Request, me: Session, uow: Uow) -> Response:
    """The sample page stamped with the template in the query, or with the one that applies."""
    query = request.query_params
    agreement = query.get("agreement", "")
    asked: dict[str, Any] | None = None
    if "position" in query:
        fields = [name for value in query.getlist("fields") for name in value.split(",") if name]
        asked = {"fields": fields, "position": query.get("position"), "size": query.get("size"),
                 "opacity": query.get("opacity"), "custom_text": query.get("custom_text", "")}
    if agreement:
        png = watermarks.preview_agreement(uow, me.person.id, agreement, asked)
    else:
        png = watermarks.preview_org(uow, me.person.id, me.person.org, asked)
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.post("/admin/watermark")
def save(request: Request, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    agreement = form_text(form, "agreement")
    typed = _typed(form)
    if form_text(form, "do") == "preview":  # the Preview button, without JavaScript: nothing is saved
        try:
            watermarks.template_from(typed)
        except InvalidInput as bad:
            return _page(request, me, uow, agreement, typed=typed, errors=bad.errors, status_code=422)
        return _page(request, me, uow, agreement, typed=typed)
    if (done := claim_form(uow, form, me.person, _here(agreement))) is not None:
        return done
    try:
        if agreement:
            watermarks.set_agreement_watermark(uow, me.person.id, agreement, typed)
        else:
            watermarks.set_org_watermark(uow, me.person.id, me.person.org, typed)
    except InvalidInput as bad:
        return _page(request, me, uow, agreement, typed=typed, errors=bad.errors, status_code=422)
    except Refused as refused:  # the custom text did not pass the content gate
        why = "; ".join(r.message for r in refused.decision.reasons)
        return _page(request, me, uow, agreement, typed=typed, status_code=403,
                     errors={"custom_text": f"Not saved: {why}"})
    notice = ("The template is saved: copies disclosed under this agreement are stamped with it."
              if agreement else "The template is saved: copies your organization discloses are "
                                "stamped with it, unless an agreement has its own.")
    return finish_form(uow, form, with_notice(_here(agreement), notice, me.csrf))


@router.post("/admin/watermark/clear")
def clear(request: Request, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    agreement = form_text(form, "agreement")
    if agreement:
        action = lambda: watermarks.clear_agreement_watermark(uow, me.person.id, agreement)  # noqa: E731
    else:
        action = lambda: watermarks.clear_org_watermark(uow, me.person.id, me.person.org)  # noqa: E731
    return act_once(uow, form, me, _here(agreement), action, done="The template is cleared.",
                    failed="The template was not cleared")
