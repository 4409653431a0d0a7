"""Watermark templates: what the copies an org discloses are stamped with, for the whole org
or for one agreement (its admins only; docs/watermarks.md). The preview is a sample page
stamped by the real stamping code."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from sharebound.domain.limits import (
    MAX_WATERMARK_CUSTOM,
    WATERMARK_MAX_PT,
    WATERMARK_MIN_OPACITY,
    WATERMARK_MIN_PT,
)
from sharebound.domain.watermark import Position, WatermarkField, WatermarkTemplate
from sharebound.services import watermarks
from sharebound.services.watermarks import WatermarkView
from sharebound.web.deps import Me, Uow

router = APIRouter(tags=["watermarks"])

PNG_RESPONSE: dict[int | str, dict[str, Any]] = {200: {
    "description": "A sample A4 page stamped with the template, as PNG",
    "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}}


class WatermarkTemplateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    fields: list[WatermarkField] = Field(
        max_length=len(WatermarkField), examples=[["recipient_name", "recipient_org", "datetime"]],
        description="What the stamp says, in this order; the copy id is always written (at the "
                    "end when not chosen), so that every copy can be traced.")
    position: Position = Field(description="diagonal (across the page), footer or header")
    size: float = Field(ge=WATERMARK_MIN_PT, le=WATERMARK_MAX_PT,
                        description="Text size in points (smaller where the line would not fit)")
    opacity: float = Field(ge=WATERMARK_MIN_OPACITY, le=1.0)
    custom_text: str = Field(default="", max_length=MAX_WATERMARK_CUSTOM,
                             description="Written where `custom_text` is among the fields")


class WatermarkTemplateOut(BaseModel):
    fields: list[str]
    written: list[str]  # the fields as stamped: the copy id added when not chosen
    position: str
    size: float
    opacity: float
    custom_text: str

    @classmethod
    def of(cls, template: WatermarkTemplate) -> WatermarkTemplateOut:
        return cls(fields=[f.value for f in template.fields],
                   written=[f.value for f in template.written], position=template.position.value,
                   size=template.size, opacity=template.opacity, custom_text=template.custom_text)


class WatermarkOut(BaseModel):
    org: str
    agreement_id: str | None
    template: WatermarkTemplateOut | None = Field(description="This scope's own template, if set")
    set_by: str | None
    set_at: datetime | None
    applies: str = Field(description="Where the template copies get comes from: agreement, org "
                                     "or default (the stamp naming discloser, recipient, "
                                     "agreement and copy)")
    applied: WatermarkTemplateOut | None
    note: str | None

    @classmethod
    def of(cls, view: WatermarkView) -> WatermarkOut:
        own = view.setting
        return cls(org=view.org, agreement_id=view.agreement_id,
                   template=WatermarkTemplateOut.of(own.template) if own else None,
                   set_by=own.set_by if own else None, set_at=own.set_at if own else None,
                   applies=view.applies,
                   applied=WatermarkTemplateOut.of(view.applied) if view.applied else None,
                   note=view.note)


def _asked(fields: list[str] | None, position: str | None, size: str | None,
           opacity: str | None, custom_text: str | None) -> dict[str, object] | None:
    """The template in a preview's query, or None when it names none (preview what applies)."""
    if fields is None and position is None and size is None and opacity is None:
        return None
    chosen = [name for value in fields or [] for name in value.split(",") if name]
    return {"fields": chosen, "position": position, "size": size, "opacity": opacity,
            "custom_text": custom_text or ""}


Fields = Annotated[list[str] | None, Query(max_length=len(WatermarkField),
                                           description="fields, repeated or comma-separated")]
Text = Annotated[str | None, Query(max_length=MAX_WATERMARK_CUSTOM)]
Short = Annotated[str | None, Query(max_length=20)]


@router.get("/orgs/{handle}/watermark", response_model=WatermarkOut)
def org_watermark(handle: str, me: Me, uow: Uow) -> WatermarkOut:
    """Your org's default watermark template, and the one that applies (admins only)."""
    return WatermarkOut.of(watermarks.org_watermark(uow, me.id, handle))


@router.put("/orgs/{handle}/watermark", response_model=WatermarkOut)
def set_org_watermark(handle: str, body: WatermarkTemplateIn, me: Me, uow: Uow) -> WatermarkOut:
    """Set your org's default template: copies it discloses are stamped with it, unless the
    agreement has its own (admins only)."""
    return WatermarkOut.of(watermarks.set_org_watermark(uow, me.id, handle, body.model_dump(mode="json")))


@router.delete("/orgs/{handle}/watermark", status_code=204)
def clear_org_watermark(handle: str, me: Me, uow: Uow) -> Response:
    """Clear your org's default template: copies get the default stamp again (admins only)."""
    watermarks.clear_org_watermark(uow, me.id, handle)
    return Response(status_code=204)


@router.get("/orgs/{handle}/watermark/preview.png", response_class=Response, responses=PNG_RESPONSE)
def org_preview(handle: str, me: Me, uow: Uow, fields: Fields = None, position: Short = None,
                size: Short = None, opacity: Short = None, custom_text: Text = None) -> Response:
    """A sample page stamped with the template in the query (or with the one that applies)."""
    png = watermarks.preview_org(uow, me.id, handle,
                                 _asked(fields, position, size, opacity, custom_text))
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.get("/agreements/{agreement_id}/watermark", response_model=WatermarkOut)
def agreement_watermark(agreement_id: str, me: Me, uow: Uow) -> WatermarkOut:
    """Your org's template for the copies it discloses under this agreement, and the one that
    applies (admins of a disclosing party only)."""
    return WatermarkOut.of(watermarks.agreement_watermark(uow, me.id, agreement_id))


@router.put("/agreements/{agreement_id}/watermark", response_model=WatermarkOut)
def set_agreement_watermark(agreement_id: str, body: WatermarkTemplateIn, me: Me,
                            uow: Uow) -> WatermarkOut:
    """Set the template for the copies your org discloses under this agreement."""
    return WatermarkOut.of(watermarks.set_agreement_watermark(
        uow, me.id, agreement_id, body.model_dump(mode="json")))


@router.delete("/agreements/{agreement_id}/watermark", status_code=204)
def clear_agreement_watermark(agreement_id: str, me: Me, uow: Uow) -> Response:
    """Clear this agreement's template: your org's default applies again."""
    watermarks.clear_agreement_watermark(uow, me.id, agreement_id)
    return Response(status_code=204)


@router.get("/agreements/{agreement_id}/watermark/preview.png", response_class=Response,
            responses=PNG_RESPONSE)
def agreement_preview(agreement_id: str, me: Me, uow: Uow, fields: Fields = None,
                      position: Short = None, size: Short = None, opacity: Short = None,
                      custom_text: Text = None) -> Response:
    """A sample page stamped with the template in the query (or with the one that applies)."""
    png = watermarks.preview_agreement(uow, me.id, agreement_id,
                                       _asked(fields, position, size, opacity, custom_text))
    return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})
