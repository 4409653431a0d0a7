"""A real OpenID provider for the SSO tests: the certified `oidc-provider` (npm), run by Node on
127.0.0.1 with a random port (tests/oidc/provider.mjs; `make oidc` installs it).

Accounts sign in at its development login form with their name (any password). `tamper(mode)`
makes its next ID token wrong in one way, re-signed with its own key: "signature", "audience",
"issuer", "nonce" or "expired".
"""

from __future__ import annotations

import json
import re
import selectors
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx2
import pytest

HERE = Path(__file__).parent / "oidc"
CLIENT_ID = "sharebound-test"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"
ACCOUNTS = {
    "alice": {"email": "alice@acme.example", "email_verified": True, "name": "Alice Admin",
              "groups": ["partner-admins", "everyone"]},
    "bob": {"email": "bob@acme.example", "email_verified": True, "name": "Bob Builder",
            "groups": ["engineering", "everyone"]},
    "eve": {"email": "eve@acme.example", "email_verified": False, "name": "Eve Unverified"},
    "mallory": {"email": "mallory@evil.example", "email_verified": True, "name": "Mallory"},
}


class OidcProvider:
    def __init__(self, tmp_path: Path, redirect_uris: list[str]) -> None:
        node = shutil.which("node")
        if node is None or not (HERE / "node_modules" / "oidc-provider").is_dir():
            pytest.fail("the test OpenID provider is not installed: run `make oidc` "
                        "(npm ci --prefix tests/oidc; Node 20 or newer)")
        config = tmp_path / "oidc-provider.json"
        config.write_text(json.dumps({
            "port": 0, "accounts": ACCOUNTS,
            "clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                         "redirect_uris": redirect_uris}]}))
        self.process = subprocess.Popen([node, str(HERE / "provider.mjs"), str(config)], cwd=HERE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.issuer = self._wait_for_start()

    def _wait_for_start(self) -> str:
        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            deadline = time.monotonic() + 20  # why: Node starts in well under a second; CI is slow
            while time.monotonic() < deadline:
                if selector.select(timeout=0.2):
                    line = self.process.stdout.readline()
                    if found := re.match(r"listening (http://127\.0\.0\.1:\d+)", line):
                        return found.group(1)
                    if not line:
                        break
        self.close()
        raise RuntimeError("the test OpenID provider did not start")

    def tamper(self, mode: str) -> None:
        with httpx2.Client(trust_env=False) as client:
            client.post(f"{self.issuer}/_test/tamper", json={"mode": mode}).raise_for_status()

    def sign_in(self, authorization_url: str, account: str) -> str:
        """Follow the authorization URL at the provider as a browser would, sign in as
        `account` at its login form, and give the redirect back to the relying party."""
        with httpx2.Client(trust_env=False, follow_redirects=False, timeout=10) as browser:
            url = authorization_url
            for _ in range(10):  # why: auth -> interaction -> (form) -> auth resume -> back
                if not url.startswith(self.issuer):
                    return url
                answer = browser.get(url)
                if answer.status_code == 200 and 'name="login"' in answer.text:
                    action = re.search(r'action="([^"]+)"', answer.text)
                    assert action is not None
                    answer = browser.post(urljoin(url, action.group(1)),
                                          data={"prompt": "login", "login": account, "password": "x"})
                if answer.status_code not in (302, 303):
                    raise AssertionError(f"the provider answered {answer.status_code}: {answer.text[:300]}")
                url = urljoin(url, answer.headers["location"])
        raise AssertionError("the provider never sent the browser back")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> OidcProvider:
        return self

    def __exit__(self, *_: Any) -> None:
        self.close()


def sso_settings(issuer: str, **overrides: Any) -> dict[str, Any]:
    """The body of PUT /orgs/acme/sso for the test provider."""
    return {"issuer": issuer, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
            "domains": ["acme.example"],
            "role_mapping": [{"claim": "groups", "value": "partner-admins", "roles": ["admin", "signer"]}],
            "require_sso": False, "jit": True, **overrides}


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
