"""Browser tests: Debian's Chromium, driven by Playwright, against the app served on 127.0.0.1.

The app runs in a thread of the test process (uvicorn on a free port) over a fresh SQLite
database; each test gets its own server and browser context. Screenshots of the main pages
are saved under test-output/screenshots/ for a reviewer to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from sharebound import bootstrap
from sharebound.config import Settings
from sharebound.demo import DEMO_PASSWORD
from sharebound.web import create_app
from tests.conftest import TEST_WEBHOOK_ALLOW
from tests.integration.servers import AppServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parents[2] / "test-output" / "screenshots"
# why these flags: run as root in a sandboxless container, and make no request to the
# outside network (this machine has none: Chromium would otherwise retry for a while).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-default-apps", "--disable-extensions"]


class LiveServer(AppServer):
    """The app built on `core`, on a free loopback port (or `port`)."""

    def __init__(self, core: bootstrap.App, port: int | None = None) -> None:
        super().__init__(create_app(core=core), port)

    def __enter__(self) -> LiveServer:
        super().__enter__()
        return self


@pytest.fixture
def core(tmp_path: Path, sqlite_template: Path) -> Iterator[bootstrap.App]:
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(sqlite_template, data / "sharebound.db")
    built = bootstrap.build(Settings(data_dir=data, webhook_allow=TEST_WEBHOOK_ALLOW))
    yield built
    built.close()


@pytest.fixture
def server(core: bootstrap.App) -> Iterator[LiveServer]:
    with LiveServer(core) as live:
        yield live


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    launched = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    yield opened
    opened.close()


class Person:
    """A person at the browser: their own context (cookies), one page."""

    def __init__(self, browser: Browser, server: LiveServer) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        self.page = self.context.new_page()
        self.server = server
        self.console_errors: list[str] = []
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)

    def go(self, path: str) -> Page:
        self.page.goto(self.server.url + path)
        return self.page

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> Page:
        self.go("/login")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.click("button:has-text('Sign in')")
        self.page.wait_for_url(lambda url: "/login" not in url)
        return self.page

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def people(browser: Browser, server: LiveServer) -> Iterator[Any]:
    opened: list[Person] = []

    def open_person() -> Person:
        person = Person(browser, server)
        opened.append(person)
        return person

    yield open_person
    for person in opened:
        person.close()
