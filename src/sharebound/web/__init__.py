"""The web entrypoint: the JSON API under /api/v1 (and, later, the pages)."""

from sharebound.web.app import create_app

__all__ = ["create_app"]
