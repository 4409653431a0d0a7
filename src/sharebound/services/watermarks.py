"""Watermark templates: an org's admins choose what the copies it discloses are stamped with,
for the whole org or for one agreement it discloses under (docs/watermarks.md).

The template a copy gets is resolved when it is stamped: the agreement's (for the
discloser), else the org's, else the stamp as it always was. Another org's templates do not
exist for anyone (404); an org's own are refused to anyone but its admins (403). The custom
text is read by the partner's people on every copy: it passes the content gate as public
text (`channels.clear_public`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from sharebound.adapters.stamping import StampError
from sharebound.adapters.stamping.render import render_pdf_page
from sharebound.adapters.stamping.sample import sample_pdf
from sharebound.domain.audit import org_log
from sharebound.domain.errors import Conflict, InvalidInput, NotFound
from sharebound.domain.events import WatermarkTemplateCleared, WatermarkTemplateSet
from sharebound.domain.orgs import Person, Role
from sharebound.domain.stamps import Stamp
from sharebound.domain.watermark import (
    SAMPLE,
    WatermarkSetting,
    WatermarkTemplate,
    make_template,
    template_note,
)
from sharebound.services import channels
from sharebound.services.common import actor, require_role, visible_agreement
from sharebound.services.common import record as record_event
from sharebound.services.unit_of_work import UnitOfWork

PREVIEW_DPI = 60  # why: an A4 page 496 px wide: the whole page beside the form, quick to draw


@dataclass(frozen=True)
class WatermarkView:
    """What an admin sees of one scope: its own template (if set) and the one that applies."""

    org: str
    agreement_id: str | None
    setting: WatermarkSetting | None  # this scope's own template
    applies: str  # "agreement", "org" or "default": where the applied template comes from
    applied: WatermarkTemplate | None  # None: the default stamp
    note: str | None  # what the preview says (the copy id is always written)


def template_from(data: object) -> WatermarkTemplate:
    """A template from a JSON object or a form's values; InvalidInput names each bad field."""
    if not isinstance(data, dict):
        raise InvalidInput({"template": "must be an object"})
    unknown = sorted(set(data) - {"fields", "position", "size", "opacity", "custom_text"})
    if unknown:
        raise InvalidInput({name: "is not a template field" for name in unknown})
    missing = [name for name in ("fields", "position", "size", "opacity") if data.get(name) is None]
    if missing:
        raise InvalidInput({name: "is required" for name in missing})
    return make_template(data["fields"], data["position"], data["size"], data["opacity"],
                         data.get("custom_text", ""))


def _admin_of(uow: UnitOfWork, actor_id: str, handle: str) -> Person:
    person = actor(uow, actor_id)
    if person.org != handle:
        raise NotFound("org", handle)
    require_role(person, Role.ADMIN)
    return person


def _discloser_admin(uow: UnitOfWork, actor_id: str, agreement_id: str) -> Person:
    """An admin of an org that discloses under the agreement (any party of a mutual one)."""
    person = actor(uow, actor_id)
    agreement = visible_agreement(uow, person, agreement_id)
    require_role(person, Role.ADMIN)
    if not agreement.terms.may_disclose(person.org):
        raise Conflict(f"{person.org} only receives under this one-way agreement: its copies "
                       "are stamped with the disclosing party's template")
    return person


def _view(uow: UnitOfWork, org: str, agreement_id: str | None) -> WatermarkView:
    own = uow.watermarks.get(org, agreement_id)
    org_setting = own if agreement_id is None else uow.watermarks.get(org, None)
    if agreement_id is not None and own is not None:
        applies, applied = "agreement", own.template
    elif org_setting is not None:
        applies, applied = "org", org_setting.template
    else:
        applies, applied = "default", None
    return WatermarkView(org=org, agreement_id=agreement_id, setting=own, applies=applies,
                         applied=applied, note=template_note(applied) if applied else None)


def org_watermark(uow: UnitOfWork, actor_id: str, handle: str) -> WatermarkView:
    with uow.reading():
        _admin_of(uow, actor_id, handle)
        return _view(uow, handle, None)


def agreement_watermark(uow: UnitOfWork, actor_id: str, agreement_id: str) -> WatermarkView:
    with uow.reading():
        person = _discloser_admin(uow, actor_id, agreement_id)
        return _view(uow, person.org, agreement_id)


def set_org_watermark(uow: UnitOfWork, actor_id: str, handle: str, data: object) -> WatermarkView:
    """Set the org's default template: every copy it discloses is stamped with it, unless
    the agreement has its own."""
    template = template_from(data)
    with uow:
        person = _admin_of(uow, actor_id, handle)
        _put(uow, person, None, template)
        uow.commit()
        return _view(uow, handle, None)


def set_agreement_watermark(uow: UnitOfWork, actor_id: str, agreement_id: str,
                            data: object) -> WatermarkView:
    """Set the template for the copies the admin's org discloses under one agreement."""
    template = template_from(data)
    with uow:
        person = _discloser_admin(uow, actor_id, agreement_id)
        _put(uow, person, agreement_id, template)
        uow.commit()
        return _view(uow, person.org, agreement_id)


def clear_org_watermark(uow: UnitOfWork, actor_id: str, handle: str) -> None:
    with uow:
        person = _admin_of(uow, actor_id, handle)
        _clear(uow, person, None)
        uow.commit()


def clear_agreement_watermark(uow: UnitOfWork, actor_id: str, agreement_id: str) -> None:
    with uow:
        person = _discloser_admin(uow, actor_id, agreement_id)
        _clear(uow, person, agreement_id)
        uow.commit()


def _put(uow: UnitOfWork, person: Person, agreement_id: str | None,
         template: WatermarkTemplate) -> None:
    if template.custom_text:  # why: it is stamped on every copy a partner's people receive
        channels.clear_public(uow, org=person.org, label="the watermark's custom text",
                              text=template.custom_text)
    uow.watermarks.put(WatermarkSetting(org=person.org, agreement_id=agreement_id,
                                        template=template, set_by=person.id, set_at=uow.clock()))
    record_event(uow, org_log(person.org), person.id, agreement_id or person.org,
                 WatermarkTemplateSet(fields=tuple(f.value for f in template.fields),
                                      position=template.position.value, size=template.size,
                                      opacity=template.opacity, custom_text=template.custom_text,
                                      agreement=agreement_id))


def _clear(uow: UnitOfWork, person: Person, agreement_id: str | None) -> None:
    if not uow.watermarks.remove(person.org, agreement_id):
        raise NotFound("watermark template", agreement_id or person.org)
    record_event(uow, org_log(person.org), person.id, agreement_id or person.org,
                 WatermarkTemplateCleared(agreement=agreement_id))


def preview_org(uow: UnitOfWork, actor_id: str, handle: str, data: object | None) -> bytes:
    """A sample page stamped by the real stamping code, as PNG: with the template in `data`
    (what the form holds now), or with the one that applies when `data` is None."""
    template = template_from(data) if data is not None else None
    with uow.reading():
        _admin_of(uow, actor_id, handle)
        applied = template or _view(uow, handle, None).applied
    return preview_png(applied)


def preview_agreement(uow: UnitOfWork, actor_id: str, agreement_id: str,
                      data: object | None) -> bytes:
    template = template_from(data) if data is not None else None
    with uow.reading():
        person = _discloser_admin(uow, actor_id, agreement_id)
        applied = template or _view(uow, person.org, agreement_id).applied
    return preview_png(applied)


def preview_png(template: WatermarkTemplate | None) -> bytes:
    """The sample page stamped for a sample recipient with `template` (None: the default)."""
    stamp = Stamp(discloser="Your organization", recipient_name=SAMPLE.recipient_name,
                  recipient_org=SAMPLE.recipient_org, agreement_id="agr_sample",
                  agreement_version=1, at=SAMPLE.at, copy_id=SAMPLE.copy_id,
                  recipient_email=SAMPLE.recipient_email, ip=SAMPLE.ip, template=template)
    try:
        return render_pdf_page(io.BytesIO(sample_pdf()), 0, stamp, PREVIEW_DPI)
    except StampError as error:  # why: our own sample page always stamps; say so if not
        raise RuntimeError("the watermark preview's sample page could not be stamped") from error


@dataclass(frozen=True)
class WatermarkPage:
    """The admin page's read model: the scope shown, and the agreements the org discloses
    under (each may have its own template)."""

    view: WatermarkView
    agreements: tuple[tuple[str, str], ...]  # (agreement id, "partnership name: agreement id")


def watermark_page(uow: UnitOfWork, actor_id: str, agreement_id: str | None) -> WatermarkPage:
    with uow.reading():
        person = actor(uow, actor_id)
        require_role(person, Role.ADMIN)
        if agreement_id:
            _discloser_admin(uow, actor_id, agreement_id)
        choices: list[tuple[str, str]] = []
        for partnership in uow.partnerships.list_for_org(person.org):
            if not partnership.has_accepted(person.org):
                continue
            for agreement in uow.agreements.list_for_partnership(partnership.id):
                if person.org in agreement.terms.parties and agreement.terms.may_disclose(person.org):
                    choices.append((agreement.id, f"{partnership.name}: {agreement.id}"))
        return WatermarkPage(view=_view(uow, person.org, agreement_id or None),
                             agreements=tuple(choices))
