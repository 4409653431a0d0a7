"""A real S3 protocol server on loopback for the tests (moto's standalone server, started once
per session on a free port), and a fresh bucket per test."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

ACCESS_KEY, SECRET_KEY, REGION = "testing", "testing", "us-east-1"  # why: moto accepts any


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_env(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The standard AWS variables pointing boto3 at the loopback server (no other address)."""
    for name, value in {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
                        "AWS_DEFAULT_REGION": REGION, "AWS_EC2_METADATA_DISABLED": "true",
                        "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}.items():
        monkeypatch.setenv(name, value)
    return s3_endpoint


@pytest.fixture
def s3_bucket(s3_env: str) -> str:
    """A new empty bucket; its s3:// URL with a prefix, as SHAREBOUND_BLOB_URL takes it."""
    from sharebound.adapters.s3blobs import s3_client

    name = f"sb-{uuid.uuid4().hex[:20]}"
    s3_client(s3_env).create_bucket(Bucket=name)
    return f"s3://{name}/blobs"


def s3_client_for(endpoint: str) -> Any:
    from sharebound.adapters.s3blobs import s3_client

    return s3_client(endpoint)
