"""The JSON API, /api/v1: one router per resource, each route calling one use case."""

from fastapi import APIRouter

from sharebound.web.api.access_reports import router as access_reports
from sharebound.web.api.agreements import router as agreements
from sharebound.web.api.auth import router as auth
from sharebound.web.api.crown_jewels import router as crown_jewels
from sharebound.web.api.disclosures import router as disclosures
from sharebound.web.api.esign import router as esign
from sharebound.web.api.exports import router as exports
from sharebound.web.api.folders import router as folders
from sharebound.web.api.items import router as items
from sharebound.web.api.notices import router as notices
from sharebound.web.api.notifications import router as notifications
from sharebound.web.api.orgs import router as orgs
from sharebound.web.api.packages import router as packages
from sharebound.web.api.partnerships import router as partnerships
from sharebound.web.api.reciprocity import router as reciprocity
from sharebound.web.api.representatives import router as representatives
from sharebound.web.api.requests import router as requests
from sharebound.web.api.returns import router as returns
from sharebound.web.api.scim_tokens import router as scim_tokens
from sharebound.web.api.search import router as search
from sharebound.web.api.second_factors import router as second_factors
from sharebound.web.api.sso import router as sso
from sharebound.web.api.transparency import router as transparency
from sharebound.web.api.uploaded_ndas import router as uploaded_ndas
from sharebound.web.api.uploads import router as uploads
from sharebound.web.api.watermarks import router as watermarks
from sharebound.web.api.webhooks import router as webhooks
from sharebound.web.api.witnesses import router as witnesses
from sharebound.web.views import PROBLEM_RESPONSES

PARTS = (auth, esign, orgs, crown_jewels, partnerships, reciprocity, uploaded_ndas, agreements,
         returns, notices, representatives, uploads, items, folders, search, disclosures, packages,
         access_reports, requests, notifications, webhooks, scim_tokens, second_factors, sso,
         transparency, witnesses, exports, watermarks)


def include(into: APIRouter) -> None:
    """Every resource's router, under /api/v1 with the problem responses, each included
    into `into` on its own (web/routing.py gates them one by one)."""
    for part in PARTS:
        into.include_router(part, prefix="/api/v1", responses=PROBLEM_RESPONSES)

