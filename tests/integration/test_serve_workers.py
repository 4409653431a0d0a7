"""`sharebound serve --workers 2` on loopback: two processes on one port, and a browser session
signed in through one is honoured by whichever answers next (sessions live in the database)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlencode

import pytest

from tests.integration.servers import free_port

PASSWORD = "a long passphrase for alice"
# why so long: about 3 s on an idle machine, but two processes importing the app on a busy
# 2-core machine (a parallel suite) have taken a minute and more
STARTUP_SECONDS = 240


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    env = {**os.environ, "SHAREBOUND_DATA_DIR": str(tmp_path / "var")}
    for name in ("SHAREBOUND_DATABASE_URL", "SHAREBOUND_BLOB_URL", "SHAREBOUND_KEY", "SHAREBOUND_KEY_FILE"):
        env.pop(name, None)
    sharebound = [sys.executable, "-m", "sharebound"]
    subprocess.run([*sharebound, "org", "create", "acme", "--name", "Acme", "--admin-name", "Alice",
                    "--admin-email", "alice@acme.example", "--password-stdin"],
                   input=PASSWORD.encode(), env=env, check=True, capture_output=True, timeout=STARTUP_SECONDS)
    port = free_port()
    server = subprocess.Popen([*sharebound, "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as answer:
                if answer.status == 200 and len(_children(server.pid)) >= 2:
                    break
        except (URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            server.wait()
            pytest.fail("sharebound serve --workers 2 did not become ready")
        time.sleep(0.3)
    yield base, server
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def test_two_processes_serve_one_port_and_share_a_signed_in_session(
    served: tuple[str, subprocess.Popen[bytes]]
) -> None:
    base, server = served
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    login = browser.open(f"{base}/login", timeout=10).read().decode()
    csrf = login.split('name="csrf" value="')[1].split('"')[0]
    form = urlencode({"csrf": csrf, "email": "alice@acme.example", "password": PASSWORD, "next": "/"})

    signed_in = browser.open(f"{base}/login", data=form.encode(), timeout=30)
    # urllib opens a new connection per request: each may land on either process
    pages = [browser.open(f"{base}/", timeout=10) for _ in range(12)]

    assert len(_children(server.pid)) >= 2  # the two workers (and multiprocessing's helper)
    assert signed_in.status == 200 and signed_in.url == f"{base}/"
    assert all(page.status == 200 and page.url == f"{base}/" for page in pages)
    assert all("Alice" in page.read().decode() for page in pages)
