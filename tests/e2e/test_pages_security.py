"""Every state-changing page route checks the session's CSRF secret; redirects stay on this site."""

from __future__ import annotations

import importlib
import pkgutil

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from sharebound import bootstrap
from sharebound.services import orgs
from sharebound.web import create_app, pages
from sharebound.web.pages.common import (
    any_stage_form,
    checked_form,
    enrolling_form,
    safe_next,
    second_step_form,
)
from tests.conftest import FakeClock
from tests.e2e.conftest import sign_in_page

# no session yet: they carry their own checks (sign-up and joining: a CSRF cookie set with the form)
OPEN_FORMS = {"/login", "/login/sso", "/invitations/accept", "/signup", "/join/{token}"}
# The forms of a session that is still a sign-in step (a second factor to give, one to set up;
# signing out) check that session's secret with these instead.
CHECKED = {checked_form, enrolling_form, second_step_form, any_stage_form}


def _dependencies(route: APIRoute) -> set[object]:
    found, todo = set(), list(route.dependant.dependencies)
    while todo:
        dependant = todo.pop()
        found.add(dependant.call)
        todo.extend(dependant.dependencies)
    return found


def _page_routes() -> list[APIRoute]:
    """Every route of every module of the pages package (where page routes live)."""
    found = []
    for module in pkgutil.iter_modules(pages.__path__):
        router = getattr(importlib.import_module(f"{pages.__name__}.{module.name}"), "router", None)
        found += [r for r in getattr(router, "routes", []) if isinstance(r, APIRoute)]
    return found


def test_every_page_post_route_takes_the_csrf_checked_form() -> None:
    routes = [r for r in _page_routes() if "POST" in r.methods]

    unchecked = [r.path for r in routes if r.path not in OPEN_FORMS and not CHECKED & _dependencies(r)]

    assert len(routes) > 15
    assert unchecked == []


def test_a_form_without_the_csrf_secret_is_refused_and_changes_nothing(app: bootstrap.App) -> None:
    orgs.create_org(app.uow(), handle="acme", name="Acme", admin_name="Alice",
                    admin_email="alice@acme.example", admin_password="a long passphrase")
    client = TestClient(create_app(core=app), base_url="http://testserver")
    sign_in_page(client, "alice@acme.example", "a long passphrase")

    answer = client.post("/partnerships/new", data={"name": "Forged", "purpose": "other",
                                                    "invite": "globex"}, follow_redirects=False)

    assert answer.status_code == 403
    with app.uow() as uow:
        assert uow.partnerships.list_for_org("acme") == []


def test_only_paths_on_this_site_are_followed_after_signing_in() -> None:
    assert safe_next("/items?x=1") == "/items?x=1"
    for outside in ("https://evil.example/", "//evil.example/", "/\\evil.example", "", "items"):
        assert safe_next(outside) == "/"


def test_a_form_whose_first_submit_failed_half_way_can_be_sent_again_after_a_while(
    app: bootstrap.App, clock: FakeClock
) -> None:
    from sharebound.services.forms import STALE_CLAIM
    from sharebound.web.pages.common import claim_form

    _, alice = orgs.create_org(app.uow(), handle="acme", name="Acme", admin_name="Alice",
                               admin_email="alice@acme.example")
    form = {"form_id": "f" * 20}
    first = claim_form(app.uow(), form, alice, "/")  # ... and then the use case crashed

    at_once = claim_form(app.uow(), form, alice, "/")
    clock.advance(seconds=STALE_CLAIM.total_seconds() + 1)
    later = claim_form(app.uow(), form, alice, "/")

    assert first is None and later is None
    assert at_once is not None and at_once.status_code == 303
