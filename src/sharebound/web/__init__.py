"""The web entry point: the JSON API under /api/v1 (api/) and the HTML pages (pages/).

Routes translate HTTP to the use cases in services/ and back; they never import adapters/
(tests/unit/test_layering.py)."""

from sharebound.web.app import create_app

__all__ = ["create_app"]
