"""Streaming an unstamped 200 MB disclosure: our server (decrypting the sealed blob) against
nginx serving the same bytes from a plaintext file.

    .venv/bin/python bench/bench_stream.py [--mb 200] [--n 3] [--json]

It builds a world through the use cases in a temporary data folder (two orgs, a signed NDA
whose terms do not ask for watermarked downloads, a file item of --mb random bytes disclosed
to a recipient with `download`), starts `sharebound serve` (uvicorn) on it and Debian's nginx
(/usr/sbin/nginx, with a configuration of its own) on the same blob file, each on a free
loopback port, and fetches the file with the same client (curl, to /dev/null) from both,
alternating, best of --n. The machine is shared: read the ratio, not the absolute figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]  # sharebound, and tests.factories for the terms

from tests.factories import terms_json  # noqa: E402

from sharebound import bootstrap  # noqa: E402
from sharebound.config import Settings  # noqa: E402
from sharebound.services import agreements, disclosures, items, orgs, partnerships  # noqa: E402

NGINX = "/usr/sbin/nginx"
PASSWORD = "a long benchmark passphrase"
RECIPIENT = "grace@globex.example"
CHUNK = 1024 * 1024  # why: writes the payload a megabyte at a time, never whole in memory
START_TIMEOUT = 30.0  # why: uvicorn migrates the database first; a loaded machine is slow


@dataclass(frozen=True)
class World:
    disclosure_id: str
    blob: Path
    size: int


def build_world(data_dir: Path, megabytes: int) -> World:
    """Through the use cases, as a real instance would be built."""
    app = bootstrap.init(Settings(data_dir=data_dir))
    try:
        _, alice = orgs.create_org(app.uow(), handle="acme", name="Acme", admin_name="Alice",
                                   admin_email="alice@acme.example", admin_password=PASSWORD)
        _, grace = orgs.create_org(app.uow(), handle="globex", name="Globex", admin_name="Grace",
                                   admin_email=RECIPIENT, admin_password=PASSWORD)
        partnership = partnerships.propose_partnership(
            app.uow(), alice.id, name="Bench", purpose="other", invite=["globex"])
        partnerships.accept_partnership(app.uow(), grace.id, partnership.id)
        today = app.clock().date()
        terms = terms_json(effective_date=today.isoformat(),
                           term_end=(today + timedelta(days=365)).isoformat(),
                           schedule={"watermark_downloads": False, "actions": ["view", "download"],
                                     # why: the gate cannot read random bytes (issue 10, item 3)
                                     "unreadable_files": "allow"})
        agreement = agreements.draft_agreement(app.uow(), alice.id, partnership.id, terms)
        digest = agreement.current.digest
        for signer in (alice, grace):
            agreements.sign_agreement(app.uow(), signer.id, agreement.id, digest=digest, title="Counsel")
        with tempfile.TemporaryFile(dir=data_dir) as payload:
            for _ in range(megabytes):
                payload.write(os.urandom(CHUNK))  # random: nothing compresses or dedupes it
            payload.seek(0)
            item = items.add_item(app.uow(), alice.id, title="Payload", classification="internal",
                                  topics=[], content=payload, kind="file",
                                  media_type="application/octet-stream", filename="payload.bin")
        made = disclosures.disclose(app.uow(), alice.id, disclosures.DisclosureDraft(
            item_id=item.id, agreement_id=agreement.id, recipients=[RECIPIENT], actions=["download"]))
        # why: our server decrypts the sealed blob as it streams; nginx serves the same bytes
        # in clear from a file of its own beside the blobs (the reference: no decryption)
        reference = data_dir / "blobs" / "reference" / item.current.sha256
        reference.parent.mkdir(parents=True, exist_ok=True)
        with app.blobs.open(item.current.sha256, org="acme") as plain, reference.open("wb") as out:
            for chunk in iter(lambda: plain.read(CHUNK), b""):
                out.write(chunk)
        return World(made.id, reference, item.current.size)
    finally:
        app.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped at start (exit {process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered {url} within {START_TIMEOUT:.0f} s")


@contextmanager
def running(command: list[str], up: str, env: dict[str, str] | None = None,
            log: Path | None = None) -> Iterator[None]:
    with (log or Path(os.devnull)).open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            wait_until_up(up, process)
            yield
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def sharebound_server(data_dir: Path, port: int, log: Path) -> AbstractContextManager[None]:
    script = Path(sys.executable).with_name("sharebound")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "sharebound"]
    env = {**os.environ, "SHAREBOUND_DATA_DIR": str(data_dir),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    env.pop("SHAREBOUND_DATABASE_URL", None)
    return running([*command, "serve", "--host", "127.0.0.1", "--port", str(port)],
                   f"http://127.0.0.1:{port}/healthz", env, log)


def nginx_server(folder: Path, blobs: Path, port: int) -> AbstractContextManager[None]:
    """Debian's nginx in the foreground, everything it writes kept in `folder`."""
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / temp).mkdir(exist_ok=True)
    user = "user root root;" if os.geteuid() == 0 else ""  # why: blobs are private (0600) to their owner
    (folder / "nginx.conf").write_text(f"""
{user}
daemon off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        root {blobs};
        location = /healthz {{ return 200 "ok"; }}
    }}
}}
""")
    return running([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e",
                    str(folder / "error.log")], f"http://127.0.0.1:{port}/healthz")


def token(port: int) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/token", method="POST",
        data=json.dumps({"email": RECIPIENT, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return str(json.load(answer)["token"])


def fetch(url: str, size: int, headers: tuple[str, ...] = ()) -> float:
    """curl to /dev/null; the throughput curl measured, in MB/s (2**20 bytes)."""
    command = ["curl", "--silent", "--show-error", "--output", os.devnull, "--write-out",
               "%{http_code} %{size_download} %{speed_download}", url]
    for header in headers:
        command += ["--header", header]
    status, received, speed = subprocess.run(command, check=True, capture_output=True,
                                             text=True).stdout.split()
    if status != "200" or int(received) != size:
        raise SystemExit(f"{url} answered {status} with {received} of {size} bytes")
    return float(speed) / 1_048_576


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the disclosed file, in MiB")
    parser.add_argument("--n", type=int, default=3, help="fetches of each server; the best counts")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if shutil.which("curl") is None or not Path(NGINX).exists():
        raise SystemExit(f"this benchmark needs curl and {NGINX} (apt-get install curl nginx-light)")

    folder = Path(tempfile.mkdtemp(prefix="sharebound-bench-stream-"))
    try:
        data_dir = folder / "data"
        world = build_world(data_dir, args.mb)
        ours_port, nginx_port = free_port(), free_port()
        blob_url = world.blob.relative_to(data_dir / "blobs").as_posix()
        ours_url = f"http://127.0.0.1:{ours_port}/api/v1/disclosures/{world.disclosure_id}/content"
        nginx_url = f"http://127.0.0.1:{nginx_port}/{blob_url}"
        with sharebound_server(data_dir, ours_port, folder / "sharebound.log"), \
                nginx_server(folder, data_dir / "blobs", nginx_port):
            auth = (f"Authorization: Bearer {token(ours_port)}",)
            fetch(ours_url, world.size, auth)  # warm up both: the file in the page cache
            fetch(nginx_url, world.size)
            ours, nginx = [], []
            for _ in range(args.n):  # alternating, so that both see the same load
                ours.append(fetch(ours_url, world.size, auth))
                nginx.append(fetch(nginx_url, world.size))
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    figures = {"mb": args.mb, "n": args.n, "sharebound_mb_s": max(ours), "nginx_mb_s": max(nginx),
               "ratio": max(ours) / max(nginx)}
    if args.json:
        print(json.dumps(figures))
        return
    print(f"streaming a {args.mb} MiB unstamped disclosure over loopback, curl to /dev/null, "
          f"best of {args.n}")
    print(f"  {'sharebound serve (uvicorn)':28} {figures['sharebound_mb_s']:10.1f} MB/s")
    print(f"  {'nginx ' + nginx_version():28} {figures['nginx_mb_s']:10.1f} MB/s")
    print(f"  {'ratio sharebound/nginx':28} {figures['ratio']:10.3f}")


def nginx_version() -> str:
    shown = subprocess.run([NGINX, "-v"], capture_output=True, text=True).stderr.strip()
    return shown.rsplit("/", 1)[-1]


if __name__ == "__main__":
    main()
