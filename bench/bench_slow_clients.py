"""Slow clients: does `sharebound serve` still answer while many requests sit half-sent?

Starts `sharebound serve` on 127.0.0.1 (a fresh data folder), with the soft open-files limit
most systems give a process (1024, `--soft-nofile`), opens `--n` connections that each send
half a request head and then nothing, and times a normal `GET /healthz` beside them, then
again after `--wait` seconds. Loopback only; bounded in count (at most 5000) and time.

    .venv/bin/python bench/bench_slow_clients.py            # 1100 idle half-sent requests
    .venv/bin/python bench/bench_slow_clients.py --n 300 --wait 12
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"  # why: loopback only, never any other address
HALF = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow"  # no end of the head


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def timed_get(port: int, timeout: float) -> str:
    """`200 in 3 ms`, or what went wrong, for one plain request on a new connection."""
    started = time.perf_counter()
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            answer = s.recv(64)
    except OSError as error:
        return f"no answer after {time.perf_counter() - started:.1f} s ({type(error).__name__})"
    took = (time.perf_counter() - started) * 1000
    status = answer.split(b" ")[1].decode() if answer.startswith(b"HTTP/") else "nothing"
    return f"{status} in {took:.0f} ms"


def still_open(sockets: list[socket.socket]) -> int:
    """How many of `sockets` the server has not closed."""
    count = 0
    for s in sockets:
        s.setblocking(False)
        try:
            count += s.recv(1) != b""
        except BlockingIOError:
            count += 1
        except OSError:
            pass
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1100, help="idle half-sent requests (at most 5000)")
    parser.add_argument("--soft-nofile", type=int, default=1024, help="the server's soft open-files limit")
    parser.add_argument("--wait", type=float, default=12.0, help="seconds before the second GET")
    parser.add_argument("--timeout", type=float, default=10.0, help="how long a GET may wait")
    args = parser.parse_args()
    n = min(args.n, 5000)  # why: a bound, whatever is asked
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < n + 100:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 200), hard))

    def limited() -> None:  # in the server's process, before it starts
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(args.soft_nofile, hard), hard))

    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "SHAREBOUND_DATA_DIR": str(Path(data) / "var")}
        server = subprocess.Popen([sys.executable, "-m", "sharebound", "serve", "--host", HOST,
                                   "--port", str(port)], env=env, preexec_fn=limited,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sockets: list[socket.socket] = []
        try:
            deadline = time.monotonic() + 60
            while "200" not in timed_get(port, 1.0):
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.2)
            print(f"server: soft open-files limit {args.soft_nofile} at start (hard {hard})")
            print(f"before: GET /healthz: {timed_get(port, args.timeout)}")
            failed = 0
            opened_at = time.perf_counter()
            for _ in range(n):
                try:
                    s = socket.create_connection((HOST, port), timeout=2)
                    s.sendall(HALF)
                    sockets.append(s)
                except OSError:
                    failed += 1
            print(f"opened {len(sockets)} idle half-sent requests ({failed} failed) "
                  f"in {time.perf_counter() - opened_at:.1f} s")
            time.sleep(0.5)
            print(f"beside them: GET /healthz: {timed_get(port, args.timeout)}")
            time.sleep(args.wait)
            print(f"after {args.wait:.0f} s more: GET /healthz: {timed_get(port, args.timeout)}; "
                  f"{still_open(sockets)} of the idle ones still open")
        finally:
            for s in sockets:
                with contextlib.suppress(OSError):
                    s.close()
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
