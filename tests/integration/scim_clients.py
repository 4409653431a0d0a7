"""SCIM clients for the tests: scim2-client bound to the app in process (Starlette's TestClient,
an httpx client over the ASGI app), for the conformance tester, which needs a synchronous one;
and the app on a real uvicorn server on loopback, for scim2-client's own httpx2 engine."""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import uvicorn
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


class LiveServer:
    """The app served by uvicorn on 127.0.0.1 in a thread of the test process."""

    def __init__(self, app: Any) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the app did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: Any) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
