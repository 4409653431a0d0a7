"""The worker process: a name for its claims, and passes until it is stopped.

Each pass is the use case services/worker.run_pass; `sharebound worker` (cli/instance.py) runs this.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import datetime

from sharebound.bootstrap import App
from sharebound.services.worker import run_pass

log = logging.getLogger("sharebound.worker")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_forever(core: App, worker: str, *, poll_seconds: float,
                sleep: Callable[[float], object] = time.sleep,
                stop: Callable[[], bool] = lambda: False) -> None:
    """Passes until stopped; an error in one pass is logged and the next pass tries again."""
    while not stop():
        started: datetime = core.clock()
        try:
            report = run_pass(core, worker)
            if report.claimed or report.reminders or report.digests or report.accesses:
                log.info("pass at %s: %s", started.isoformat(), report)
        except Exception:  # why broad: a worker must outlive a database restart or a bad row
            log.exception("the pass failed; trying again in %s s", poll_seconds)
        sleep(poll_seconds)
