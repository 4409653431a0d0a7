"""The disclose page: pick what, under which NDA, to whom, how and how long; see the decision first."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from sharebound.domain.decisions import Decision
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Refused
from sharebound.services import disclosures, gate
from sharebound.services.disclosures import DisclosureDraft
from sharebound.services.pages.disclose import DiscloseForm, PickPartnership
from sharebound.services.pages.disclose import disclose_form as read_disclose_form
from sharebound.web.pages.common import (
    CheckedForm,
    FormUow,
    Session,
    Uow,
    claim_form,
    finish_form,
    form_text,
    render,
    with_notice,
)

router = APIRouter(include_in_schema=False)


def _draft(form: FormData, now: datetime) -> tuple[DisclosureDraft, dict[str, str]]:
    """The draft by the parser the API shares, and what is wrong with it (then the draft is
    the form as sent, to show it again)."""
    sent = DisclosureDraft(
        item_id=form_text(form, "item_id"), agreement_id=form_text(form, "agreement_id"),
        recipients=[r for r in form.getlist("recipients") if isinstance(r, str)],
        actions=[a for a in form.getlist("actions") if isinstance(a, str)],
        note=form_text(form, "note"), request_id=form_text(form, "request_id") or None)
    try:
        return disclosures.parse_draft({**asdict(sent), "days": form_text(form, "days")}, now), {}
    except InvalidInput as bad:
        return sent, bad.errors


def _choices(form: DiscloseForm) -> dict[str, Any]:
    """What the form offers, as the template names it."""
    return {"partnership": form.partnership, "items": form.items, "agreements": form.agreements,
            "chosen": form.chosen, "people": form.people, "not_allowed": form.not_allowed,
            "unread": form.unread}


@router.get("/disclose", response_class=HTMLResponse)
def disclose_form(
    request: Request, me: Session, uow: Uow, partnership: str = "", item: str = "", agreement: str = "",
    answers: Annotated[str, Query(alias="request", max_length=40)] = "",
) -> Response:
    form = read_disclose_form(uow, me.person.id, partnership_id=partnership, agreement_id=agreement,
                              request_id=answers)  # `answers`: the request this disclosure answers
    if isinstance(form, PickPartnership):
        return render(request, "disclose_pick.html", me.person, me.csrf, partnerships=form.partnerships,
                      unread=form.unread)
    answering = form.answering
    asker = answering.people.get(answering.request.asked_by) if answering else None
    values = {"item_id": item, "actions": ["view"], "recipients": [asker.email] if asker else [],
              "days": "", "note": "", "agreement_id": form.chosen.id if form.chosen else "",
              "request_id": answering.request.id if answering else ""}
    return render(request, "disclose.html", me.person, me.csrf, values=values, errors={}, decision=None,
                  answering=answering.request if answering else None, **_choices(form))


@router.post("/disclose/preview", response_class=HTMLResponse)
def preview(request: Request, form: CheckedForm, me: Session, uow: Uow) -> Response:
    """The decision the rules would give now, as an HTML fragment (the form's live preview)."""
    draft, errors = _draft(form, uow.clock())
    decision: Decision | None = None
    if not errors and draft.item_id and draft.agreement_id:
        try:
            decision = disclosures.check_disclosure(uow, me.person.id, draft)
        except InvalidInput as bad:
            errors = bad.errors
        except NotFound:
            errors = {"form": "choose an item of yours and an agreement of this partnership"}
    return render(request, "disclose_preview.html", me.person, me.csrf, decision=decision, errors=errors)


@router.post("/disclose")
def disclose(request: Request, form: CheckedForm, me: Session, uow: FormUow) -> Response:
    partnership_id = str(form.get("partnership_id") or "")
    draft, errors = _draft(form, uow.clock())
    values = {"item_id": draft.item_id, "agreement_id": draft.agreement_id, "actions": list(draft.actions),
              "recipients": list(draft.recipients), "days": str(form.get("days") or ""), "note": draft.note,
              "request_id": draft.request_id or ""}

    def again(status: int, errors: dict[str, str], decision: Decision | None = None) -> Response:
        """The form again, as sent, with what is wrong (read only now: a success needs none of it)."""
        # A request closed meanwhile is left out: the use case said so, on the form.
        choices = read_disclose_form(uow, me.person.id, partnership_id=partnership_id,
                                     agreement_id=draft.agreement_id, request_id=draft.request_id or "",
                                     closed_request=True)
        if isinstance(choices, PickPartnership):  # why: no partnership was sent at all
            raise NotFound("partnership", partnership_id)
        return render(request, "disclose.html", me.person, me.csrf, values=values, errors=errors,
                      decision=decision, status_code=status,
                      answering=choices.answering.request if choices.answering else None,
                      **_choices(choices))

    if errors:
        return again(422, errors)
    # why before the claim: the content gate reads the item in a read transaction of its own,
    # before the form's transaction takes the write lock (the use case then finds it read)
    gate.warm(uow, draft.item_id)
    if (done := claim_form(uow, form, me.person, f"/partnerships/{partnership_id}")) is not None:
        return done
    try:
        made = disclosures.disclose(uow, me.person.id, draft)
    except InvalidInput as bad:
        return again(422, bad.errors)
    except NotFound:
        return again(422, {"form": "choose an item of yours and an agreement of this partnership"})
    except Refused as refused:
        return again(403, {"form": "The agreement does not allow this disclosure."}, refused.decision)
    except (Conflict, PermissionDenied) as stale:  # the request closed meanwhile
        return again(409, {"form": f"Not disclosed: {stale}"})
    if draft.request_id:
        answered = "Disclosed, on the register, and the request is answered."
        return finish_form(uow, form, with_notice(f"/requests/{draft.request_id}", answered, me.csrf))
    on_register = "Disclosed, and on the register."
    return finish_form(uow, form, with_notice(f"/disclosures/{made.id}", on_register, me.csrf))
