"""The blob stores side by side: put (hash + seal + store) and read back (decrypt) a file of
SIZE bytes, on the data folder and on S3 (moto's server on loopback, in a process of its own),
with the peak traced Python memory of each (the file is never held whole: the peak stays near
one part).

    PYTHONPATH=src .venv/bin/python bench/bench_blob_stores.py [MiB]
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from sharebound.adapters.blobs import LocalBlobStore
from sharebound.adapters.s3blobs import S3BlobStore, s3_client

MIB = 1024 * 1024


class FakeRing:  # why: the store only needs the active data key and the org address
    def active(self) -> tuple[str, bytes]:
        return "dek_bench", b"k" * 32

    def data_key(self, key_id: str) -> bytes | None:
        return b"k" * 32

    def blob_address(self, org: str, sha256: str) -> str:
        return hashlib.sha256(f"{org}:{sha256}".encode()).hexdigest()


def run(store: object, source: Path) -> tuple[float, float, float]:
    tracemalloc.start()
    started = time.perf_counter()
    with source.open("rb") as file:
        stored = store.put(file, org="acme")  # type: ignore[attr-defined]
    put = time.perf_counter() - started
    started = time.perf_counter()
    digest = hashlib.sha256()
    with store.open(stored.sha256, org="acme") as blob:  # type: ignore[attr-defined]
        for chunk in iter(lambda: blob.read(MIB), b""):
            digest.update(chunk)
    read = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert digest.hexdigest() == stored.sha256
    return put, read, peak / MIB


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 64
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                      AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # why a process of its own: moto keeps objects in memory, which must not count as ours
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "source.bin"
            with source.open("wb") as out:
                for _ in range(size):
                    out.write(os.urandom(MIB))
            client = s3_client(f"http://127.0.0.1:{port}")
            client.create_bucket(Bucket="bench-blobs")
            print(f"{size} MiB        put s    MiB/s   read s    MiB/s   peak traced MiB")
            for name, store in (("local", LocalBlobStore(Path(folder) / "blobs", FakeRing())),  # type: ignore[arg-type]
                                ("s3 (moto)", S3BlobStore(client, "bench-blobs", "b", FakeRing()))):  # type: ignore[arg-type]
                put, read, peak = run(store, source)
                print(f"{name:<12} {put:7.2f} {size / put:8.1f} {read:8.2f} {size / read:8.1f} {peak:12.1f}")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
