"""Server-rendered pages: plain forms over the same use cases as the API."""

from fastapi import APIRouter

from sharebound.web.pages.admin import router as admin
from sharebound.web.pages.agreements import router as agreements
from sharebound.web.pages.auth import router as auth
from sharebound.web.pages.crown_jewels import router as crown_jewels
from sharebound.web.pages.disclose import router as disclose
from sharebound.web.pages.disclosures import router as disclosures
from sharebound.web.pages.exports import router as exports
from sharebound.web.pages.home import router as home
from sharebound.web.pages.items import router as items
from sharebound.web.pages.library import router as library
from sharebound.web.pages.notices import router as notices
from sharebound.web.pages.notifications import router as notifications
from sharebound.web.pages.partnerships import router as partnerships
from sharebound.web.pages.representatives import router as representatives
from sharebound.web.pages.requests import router as requests
from sharebound.web.pages.scim import router as scim
from sharebound.web.pages.search import router as search
from sharebound.web.pages.security import router as security
from sharebound.web.pages.signup import router as signup
from sharebound.web.pages.sso import router as sso
from sharebound.web.pages.trace import router as trace
from sharebound.web.pages.uploaded_ndas import router as uploaded_ndas
from sharebound.web.pages.watermark import router as watermark
from sharebound.web.pages.witness import router as witness

PARTS = (auth, signup, home, partnerships, requests, uploaded_ndas, agreements, library, items,
         disclose, disclosures, exports, admin, crown_jewels, trace, notifications, scim, security,
         sso, notices, witness, representatives, search, watermark)


def include(into: APIRouter) -> None:
    """Every page module's router, kept out of the API's schema, each included into `into` on
    its own (web/routing.py gates them one by one)."""
    for part in PARTS:
        into.include_router(part, include_in_schema=False)

