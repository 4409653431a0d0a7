"""Watermark templates: an org's default (scope "org") and its per-agreement overrides."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from sharebound.adapters.db.tables import watermark_templates
from sharebound.domain.watermark import WatermarkSetting, WatermarkTemplate, template_of

ORG_SCOPE = "org"


def _setting(row: Any) -> WatermarkSetting:
    return WatermarkSetting(org=row.org, agreement_id=None if row.scope == ORG_SCOPE else row.scope,
                            template=template_of(json.loads(row.template)), set_by=row.set_by,
                            set_at=row.set_at)


class WatermarkRepository:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def get(self, org: str, agreement_id: str | None) -> WatermarkSetting | None:
        row = self.connection.execute(select(watermark_templates).where(
            watermark_templates.c.org == org,
            watermark_templates.c.scope == (agreement_id or ORG_SCOPE))).first()
        return _setting(row) if row else None

    def resolved(self, org: str, agreement_id: str) -> WatermarkTemplate | None:
        """The agreement's template for `org`, else the org's, else None: one query."""
        rows = {r.scope: r for r in self.connection.execute(select(watermark_templates).where(
            watermark_templates.c.org == org,
            watermark_templates.c.scope.in_([agreement_id, ORG_SCOPE])))}
        row = rows.get(agreement_id) or rows.get(ORG_SCOPE)
        return _setting(row).template if row else None

    def put(self, setting: WatermarkSetting) -> None:
        scope = setting.agreement_id or ORG_SCOPE
        values = {"template": json.dumps(setting.template.data(), sort_keys=True),
                  "set_by": setting.set_by, "set_at": setting.set_at}
        changed = self.connection.execute(update(watermark_templates).where(
            watermark_templates.c.org == setting.org,
            watermark_templates.c.scope == scope).values(**values))
        if not changed.rowcount:
            self.connection.execute(insert(watermark_templates).values(
                org=setting.org, scope=scope, **values))

    def remove(self, org: str, agreement_id: str | None) -> bool:
        gone = self.connection.execute(delete(watermark_templates).where(
            watermark_templates.c.org == org,
            watermark_templates.c.scope == (agreement_id or ORG_SCOPE)))
        return bool(gone.rowcount)
