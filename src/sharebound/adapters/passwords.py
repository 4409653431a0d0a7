"""Password hashing with Argon2id (argon2-cffi's recommended parameters by default)."""

from __future__ import annotations

from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


@dataclass(frozen=True, eq=False)
class Argon2Passwords:
    """Hashes and checks passwords. A hash carries its own parameters, so a hasher checks a hash
    made with other parameters too. Tests build one with cheap parameters (`cheap()`)."""

    hasher: PasswordHasher = field(default_factory=PasswordHasher)

    @classmethod
    def cheap(cls) -> Argon2Passwords:
        """For tests only: about a thousand times faster, and just as correct."""
        return cls(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


ARGON2 = Argon2Passwords()  # the production parameters


def hash_password(password: str) -> str:
    return ARGON2.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    return ARGON2.verify(password_hash, password)
