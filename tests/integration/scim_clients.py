"""SCIM clients for the tests: scim2-client bound to the app in process (Starlette's TestClient,
an httpx client over the ASGI app), for the conformance tester, which needs a synchronous one.
The app on a real uvicorn server on loopback (scim2-client's own httpx2 engine) is
tests/integration/servers.AppServer."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from scim2_client import BaseSyncSCIMClient
from scim2_client.client import RawResponse


class InProcessSCIMClient(BaseSyncSCIMClient):
    """scim2-client's synchronous client over a TestClient whose base URL is /scim/v2."""

    def __init__(self, client: TestClient, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.client = client

    def _stays_under_base_url(self, endpoint: str) -> bool:
        url = self.client.build_request("GET", endpoint).url
        base = self.client.base_url
        return url.host == base.host and url.raw_path.startswith(base.raw_path)

    def _parse_json(self, response: RawResponse) -> Any:
        return response.json()  # type: ignore[attr-defined]

    def request(self, method: str, url: str, **kwargs: Any) -> RawResponse:
        return self.client.request(method, url, **kwargs)  # type: ignore[return-value]
