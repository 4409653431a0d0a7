"""`sharebound serve`: uvicorn with limits, so that slow or idle clients cannot take it down.

Measured (bench/bench_slow_clients.py): 1,100 connections that each send half a request head
and then nothing made uvicorn's defaults unreachable for good: uvicorn has no timeout for a
request head (its keep-alive timer starts only after a first response) and the usual soft
open-files limit (1024) ran out. Here:

- every request head must arrive within SHAREBOUND_HEADER_TIMEOUT_SECONDS of its first byte
  (or of the connection), else the connection is closed: `HeadTimeoutH11Protocol`;
- the soft open-files limit is raised to the hard limit at start;
- past SHAREBOUND_MAX_CONNECTIONS connections, uvicorn answers 503 at once instead of
  running out of files (kept below the open-files limit);
- keep-alive and the listen backlog are settings too.

The event loop is uvloop and the HTTP parser httptools when both are installed (they are
dependencies; `HeadTimeoutHttpToolsProtocol`), else asyncio's loop and h11 (bench/bench_load.py
measures the server).
"""

from __future__ import annotations

import asyncio
import logging
import resource
from functools import cache
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

try:  # why optional: both are C extensions; where no wheel exists, h11 and asyncio still serve
    import uvloop  # noqa: F401
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - they are dependencies
    FAST = False
else:
    FAST = True

from sharebound.config import Settings

log = logging.getLogger("sharebound.serve")

# why: uvicorn's default (5 s) kills a worker still importing the app on a loaded machine, and
# restarts it, forever (seen at load 20 on 2 cores); a worker silent this long is stuck
WORKER_HEALTHCHECK_SECONDS = 60
FILES_MARGIN = 64  # why: files the process needs besides connections (database, blobs, logs)


@cache
def _head_timeout() -> float:
    # why read here: with --workers each process builds its protocol from the environment
    return Settings().header_timeout_seconds


class _HeadTimer(asyncio.Protocol):
    """The request-head timer both protocols share: armed when the connection opens and when a
    head begins, disarmed once the head is complete, closing the connection when it fires
    first. Mixed in before uvicorn's protocol, which it calls on to; the protocol says whether
    a head has begun and is not complete yet (`_head_pending`) and whether the connection may
    be closed for it when the timer fires (`_head_overdue`)."""

    loop: asyncio.AbstractEventLoop
    transport: asyncio.Transport
    _head_timer: asyncio.TimerHandle | None = None

    def _head_pending(self) -> bool:
        raise NotImplementedError

    def _head_overdue(self) -> bool:
        raise NotImplementedError

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._head_pending():
            if self._head_timer is None:
                self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._head_timer = self.loop.call_later(_head_timeout(), self._head_too_slow)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing() and self._head_overdue():
            self.transport.close()


class HeadTimeoutH11Protocol(_HeadTimer, H11Protocol):
    """uvicorn's h11 protocol, closing a connection whose request head does not arrive in time."""

    def _head_pending(self) -> bool:
        return self.conn.their_state is h11.IDLE  # a head has begun and is not complete yet

    def _head_overdue(self) -> bool:
        return self.conn.their_state is h11.IDLE


class HeadTimeoutHttpToolsProtocol(_HeadTimer, HttpToolsProtocol if FAST else H11Protocol):  # type: ignore[misc]
    """uvicorn's httptools protocol, closing a connection whose request head does not arrive in
    time: the same rule as `HeadTimeoutH11Protocol`, told by the parser's callbacks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = False  # a head has begun and is not complete yet

    def on_message_begin(self) -> None:
        self._in_head = True
        super().on_message_begin()

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def _head_pending(self) -> bool:
        return self._in_head

    def _head_overdue(self) -> bool:
        return self._in_head or self.cycle is None  # mid-head, or idle before a first request


def protocol() -> tuple[str, type[asyncio.Protocol]]:
    """The event loop and HTTP protocol `serve` runs: uvloop and httptools when installed."""
    if FAST:
        return "uvloop", HeadTimeoutHttpToolsProtocol
    return "asyncio", HeadTimeoutH11Protocol


def raise_open_files_limit() -> int:
    """Raise the soft RLIMIT_NOFILE to the hard limit; the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            log.warning("could not raise the open-files limit from %s", soft)
    return soft


def serve(settings: Settings, *, host: str, port: int, workers: int) -> None:
    import uvicorn

    files = raise_open_files_limit()
    connections = min(settings.max_connections, max(files - FILES_MARGIN, 1))
    if connections < settings.max_connections:
        log.warning("SHAREBOUND_MAX_CONNECTIONS lowered to %s: the open-files limit is %s",
                    connections, files)
    from sharebound.logs import logging_config

    # why no access log: ours (web/operations.py) names the route template, never a raw path
    # that may carry an invitation token
    loop, http = protocol()
    uvicorn.run("sharebound.web.app:create_app", factory=True, host=host, port=port,
                workers=workers, proxy_headers=False, server_header=False, access_log=False,
                timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
                log_config=logging_config(settings.log_format),
                loop=loop, http=http, limit_concurrency=connections,
                timeout_keep_alive=settings.keep_alive_seconds, backlog=settings.listen_backlog)
