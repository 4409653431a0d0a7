"""The few HTTP calls the verifier makes, with urllib (no other dependency).

HTTPS uses the system's CA store, or only the CA file given (`--ca-file`). Every call has a
timeout and a size limit; any failure becomes a `FetchError` naming the URL.
"""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Protocol

TIMEOUT = 30.0  # why: seconds; a cron job must end even when the server hangs
MAX_BODY = 64 << 20  # why: a page of 1,000 entries is well under a megabyte; refuse a flood
PAGE = 1000  # why: the contract's largest page of entries


class FetchError(RuntimeError):
    """The server could not be asked, or did not answer as the contract says."""


class Transport(Protocol):
    def get(self, path: str, query: dict[str, int] | None = None) -> bytes: ...

    def post_text(self, path: str, text: str) -> tuple[int, bytes]: ...


def log_path(log: str) -> str:
    """`partnership:<id>` → /api/v1/partnerships/<id>/log; `org:<handle>` → /api/v1/orgs/<handle>/log."""
    kind, sep, name = log.partition(":")
    collection = {"partnership": "partnerships", "org": "orgs"}.get(kind)
    if not sep or not name or collection is None:
        raise ValueError("a log is partnership:<id> or org:<handle>")
    return f"/api/v1/{collection}/{urllib.parse.quote(name, safe='')}/log"


@dataclass
class HttpTransport:
    base_url: str
    token: str
    ca_file: str | None = None
    _context: ssl.SSLContext | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        scheme = urllib.parse.urlsplit(self.base_url).scheme
        if scheme not in ("http", "https"):
            raise ValueError("the URL must begin with https:// (or http:// on this machine)")
        if scheme == "https":
            self._context = ssl.create_default_context(cafile=self.ca_file)

    def __getstate__(self) -> dict[str, Any]:
        """What a worker process started afresh is given (`--jobs`): not the TLS context,
        which it makes again."""
        return {"base_url": self.base_url, "token": self.token, "ca_file": self.ca_file}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.base_url, self.token, self.ca_file = state["base_url"], state["token"], state["ca_file"]
        self._context = None
        self.__post_init__()

    def _open(self, request: urllib.request.Request) -> tuple[int, bytes]:
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("User-Agent", "sharebound-verify")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT,  # noqa: S310 (scheme checked above)
                                        context=self._context) as response:
                return response.status, response.read(MAX_BODY + 1)
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(MAX_BODY)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise FetchError(f"could not reach {request.full_url}: {exc}") from exc

    def _url(self, path: str, query: dict[str, int] | None) -> str:
        url = self.base_url.rstrip("/") + path
        return url + ("?" + urllib.parse.urlencode(query) if query else "")

    def get(self, path: str, query: dict[str, int] | None = None) -> bytes:
        url = self._url(path, query)
        status, body = self._open(urllib.request.Request(url))  # noqa: S310 (scheme checked)
        if status != 200:
            raise FetchError(f"GET {url} answered {status}: {_detail(body)}")
        if len(body) > MAX_BODY:
            raise FetchError(f"GET {url} answered more than {MAX_BODY} bytes")
        return body

    def post_text(self, path: str, text: str) -> tuple[int, bytes]:
        request = urllib.request.Request(  # noqa: S310 (scheme checked in __post_init__)
            self._url(path, None), data=text.encode("utf-8"), method="POST")
        request.add_header("Content-Type", "text/plain; charset=utf-8")
        return self._open(request)


def _detail(body: bytes) -> str:
    try:
        problem = json.loads(body)
        return str(problem.get("detail") or problem.get("title") or problem)[:300]
    except (ValueError, AttributeError):
        return body[:300].decode("utf-8", "replace")


def get_json(transport: Transport, path: str, query: dict[str, int]) -> dict[str, Any]:
    body = transport.get(path, query)
    try:
        value = json.loads(body)
    except ValueError as exc:
        raise FetchError(f"{path} did not answer JSON") from exc
    if not isinstance(value, dict):
        raise FetchError(f"{path} did not answer a JSON object")
    return value
