"""SCIM 2.0 provisioning, /scim/v2 (docs/scim.md)."""

from sharebound.web.scim.routes import router

__all__ = ["router"]
