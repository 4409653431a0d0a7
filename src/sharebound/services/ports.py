"""What the use cases need from the outside world, as interfaces; `bootstrap` injects the real
ones (adapters/) and tests may inject their own."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Protocol

from sharebound.adapters.mail import Email
from sharebound.adapters.webhooks import PostResult


class PasswordHasher(Hashable, Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...


class LogSigner(Protocol):
    """The instance's Ed25519 key that signs the transparency log's checkpoints."""

    @property
    def name(self) -> str: ...

    @property
    def key_hash(self) -> bytes: ...

    @property
    def vkey(self) -> str: ...

    def sign(self, message: bytes) -> bytes: ...

    def verify(self, message: bytes, signature: bytes) -> bool: ...


class Mailer(Protocol):
    def send(self, email: Email) -> None: ...


#: Posts a signed webhook body: (url, body, secrets, *, timestamp, timeout) -> PostResult.
Poster = Callable[..., PostResult]
