"""Server-rendered pages: plain forms over the same use cases as the API."""

from fastapi import APIRouter

from sharebound.web.pages.auth import router as auth
from sharebound.web.pages.home import router as home

router = APIRouter(include_in_schema=False)
for part in (auth, home):
    router.include_router(part)
