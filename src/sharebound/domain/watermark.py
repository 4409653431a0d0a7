"""Watermark templates: what a recipient's copy says about them, where, how large, how dark.

A template is chosen by the discloser's admins, for the whole org or for one agreement:

    fields      an ordered choice of recipient_name, recipient_email, recipient_org, datetime,
                ip, copy_id, custom_text; the copy id is always written (appended at the end
                when not chosen), so that `sharebound trace` keeps finding every copy
    position    diagonal (across the page), footer or header
    size        in points (WATERMARK_MIN_PT..WATERMARK_MAX_PT)
    opacity     0.05..1.0

`resolve` picks the one that applies (the agreement's, else the org's, else none: today's
stamp); `render_line` turns it into the stamp's text for one copy. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sharebound.domain.errors import InvalidInput
from sharebound.domain.limits import (
    MAX_WATERMARK_CUSTOM,
    WATERMARK_MAX_PT,
    WATERMARK_MIN_OPACITY,
    WATERMARK_MIN_PT,
)
from sharebound.domain.values import single_line

__all__ = ["SAMPLE", "Position", "WatermarkField", "WatermarkSetting", "WatermarkTemplate",
           "WatermarkValues", "make_template", "render_line", "resolve", "template_note",
           "template_of"]

SEPARATOR = " · "


class WatermarkField(StrEnum):
    RECIPIENT_NAME = "recipient_name"
    RECIPIENT_EMAIL = "recipient_email"
    RECIPIENT_ORG = "recipient_org"
    DATETIME = "datetime"
    IP = "ip"
    COPY_ID = "copy_id"
    CUSTOM_TEXT = "custom_text"


class Position(StrEnum):
    DIAGONAL = "diagonal"
    FOOTER = "footer"
    HEADER = "header"


@dataclass(frozen=True, slots=True)
class WatermarkTemplate:
    """A valid template (made by `make_template`): `fields` always ends up holding COPY_ID."""

    fields: tuple[WatermarkField, ...]
    position: Position
    size: float
    opacity: float
    custom_text: str = ""

    @property
    def written(self) -> tuple[WatermarkField, ...]:
        """The fields as the stamp writes them: the chosen ones, the copy id added if missing."""
        if WatermarkField.COPY_ID in self.fields:
            return self.fields
        return (*self.fields, WatermarkField.COPY_ID)

    def data(self) -> dict[str, Any]:
        """The template as the API shows it and the store keeps it."""
        return {"fields": [f.value for f in self.fields], "position": self.position.value,
                "size": self.size, "opacity": self.opacity, "custom_text": self.custom_text}


@dataclass(frozen=True, slots=True)
class WatermarkSetting:
    """A stored template: the org's (`agreement_id` None) or one agreement's, for its org."""

    org: str
    agreement_id: str | None
    template: WatermarkTemplate
    set_by: str
    set_at: datetime


@dataclass(frozen=True, slots=True)
class WatermarkValues:
    """What one copy's stamp may name."""

    recipient_name: str
    recipient_email: str
    recipient_org: str
    at: datetime
    copy_id: str
    ip: str | None = None


# What the preview shows instead of a real recipient.
SAMPLE = WatermarkValues(recipient_name="Jo Smith", recipient_email="jo@partner.example",
                         recipient_org="Partner Ltd", at=datetime(2026, 12, 1, 9, 30, tzinfo=UTC),
                         copy_id="7QMK-4XR2-9TB5", ip="203.0.113.7")


def make_template(fields: object, position: object, size: object, opacity: object,
                  custom_text: object = "") -> WatermarkTemplate:
    """A template from input (API, form, store): every bad value is named at once."""
    errors: dict[str, str] = {}
    chosen: list[WatermarkField] = []
    if not isinstance(fields, list | tuple):
        errors["fields"] = "must be a list of fields"
    else:
        known = ", ".join(f.value for f in WatermarkField)
        for value in fields:
            if not isinstance(value, str) or value not in set(WatermarkField):
                errors["fields"] = f"{value!r} is not a field (one of {known})"
                break
            field = WatermarkField(value)
            if field in chosen:
                errors["fields"] = f"{field.value} is chosen twice"
                break
            chosen.append(field)
    where = Position.DIAGONAL
    if isinstance(position, str) and position in set(Position):
        where = Position(position)
    else:
        errors["position"] = "must be diagonal, footer or header"
    points = _number(size, "size", WATERMARK_MIN_PT, WATERMARK_MAX_PT, errors, "pt")
    alpha = _number(opacity, "opacity", WATERMARK_MIN_OPACITY, 1.0, errors, "")
    text = ""
    try:
        text = single_line("custom_text", "" if custom_text is None else custom_text,
                           MAX_WATERMARK_CUSTOM, required=False)
    except InvalidInput as bad:
        errors.update(bad.errors)
    if not errors and WatermarkField.CUSTOM_TEXT in chosen and not text:
        errors["custom_text"] = "is required when custom_text is one of the fields"
    if not errors and text and WatermarkField.CUSTOM_TEXT not in chosen:
        errors["custom_text"] = "is given but custom_text is not one of the fields"
    if errors:
        raise InvalidInput(errors)
    return WatermarkTemplate(tuple(chosen), where, points, alpha, text)


def template_of(data: Mapping[str, Any]) -> WatermarkTemplate:
    """A template from its `data()` (what the store keeps)."""
    return make_template(list(data.get("fields", [])), data.get("position"), data.get("size"),
                         data.get("opacity"), data.get("custom_text", ""))


def _number(value: object, name: str, low: float, high: float, errors: dict[str, str],
            unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        errors[name] = f"must be a number from {low:g} to {high:g}{unit and ' ' + unit}"
        return low
    try:
        number = float(value)
    except ValueError:
        errors[name] = f"must be a number from {low:g} to {high:g}{unit and ' ' + unit}"
        return low
    if not low <= number <= high:  # why: also refuses NaN, which compares false
        errors[name] = f"must be from {low:g} to {high:g}{unit and ' ' + unit}"
        return low
    return round(number, 2)


def resolve(agreement: WatermarkTemplate | None, org: WatermarkTemplate | None
            ) -> WatermarkTemplate | None:
    """The template a copy is stamped with: the agreement's, else the org's, else None (the
    stamp as it always was)."""
    return agreement if agreement is not None else org


def render_line(template: WatermarkTemplate, values: WatermarkValues) -> str:
    """The stamp's text for one copy: the fields in the template's order. The copy id is
    written `copy XXXX-XXXX-XXXX`, the form tracing looks for."""
    return SEPARATOR.join(_part(field, template, values) for field in template.written)


def _part(field: WatermarkField, template: WatermarkTemplate, values: WatermarkValues) -> str:
    match field:
        case WatermarkField.RECIPIENT_NAME:
            return values.recipient_name
        case WatermarkField.RECIPIENT_EMAIL:
            return values.recipient_email
        case WatermarkField.RECIPIENT_ORG:
            return values.recipient_org
        case WatermarkField.DATETIME:
            return values.at.strftime("%Y-%m-%d %H:%M UTC")
        case WatermarkField.IP:
            return f"IP {values.ip or 'unknown'}"
        case WatermarkField.COPY_ID:
            return f"copy {values.copy_id}"
        case WatermarkField.CUSTOM_TEXT:
            return template.custom_text


def template_note(template: WatermarkTemplate) -> str | None:
    """What the preview says when the copy id was not chosen, else None."""
    if WatermarkField.COPY_ID in template.fields:
        return None
    return "The copy id is always written (at the end), so that every copy can be traced."

