"""Consent to do business electronically, and the evidence each electronic signature keeps.

Before a person's first electronic signature they agree to sign and receive records
electronically (the statement below, with the right to withdraw and to a paper copy). A
statement's text never changes once released: a new wording is a new version, and a consent
names the version and the SHA-256 of the exact text the person agreed to.

Each signature keeps its evidence (`SignatureEvidence`): who signed, for which org, the digest
signed, when, how the signer proved it was them for this signature, under which consent, and
from where (address and user agent). Evidence is written once and never changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sharebound.domain.values import sha256_hex

MAX_USER_AGENT = 500  # why: real browsers send ~150 characters; the rest is padding or abuse
MAX_ADDRESS = 64  # why: the longest IPv6 text with a zone is well under this

# The authentication methods a signature can record; later ones ("totp", "webauthn", "sso")
# join as the ways to confirm one's identity grow (services/reauth.py).
PASSWORD = "password"


@dataclass(frozen=True, slots=True)
class ConsentStatement:
    version: str
    text: str

    @property
    def sha256(self) -> str:
        return sha256_hex(self.text.encode("utf-8"))


STATEMENT_1_0 = ConsentStatement(version="1.0", text="""\
Consent to electronic records and signatures (version 1.0)

By consenting, you agree that Sharebound may give you agreements, notices and other records
electronically, and that you may sign agreements electronically on behalf of your organization.
An electronic signature you give here has the same effect as your handwritten signature.

What you agree to: each time you sign, you confirm it is you (your password, or another way
your organization allows), and Sharebound records your name, email, title, organization, the
digest (SHA-256) of the exact document you sign, the time, how you confirmed it was you, your
network address and your browser's user agent. Every party of the agreement sees that record.

Your right to withdraw: you may withdraw this consent at any time, on your account page or
with POST /api/v1/me/e-sign-consent/withdraw. Withdrawing does not undo signatures you already
gave; you cannot sign electronically again until you consent again. There is no fee.

A paper copy: you may download the executed copy (PDF) of every agreement you are a party to
at any time, also after it ends, and print it. You may also ask the other party for a paper
copy; there is no fee for one from Sharebound.

What you need: a current web browser (or an HTTP client for the API), a device that can open
and keep PDF files, and an email address. If these requirements change in a way that could
stop you from reading or keeping your records, you will be asked to consent again.
""")

#: Every released statement by version; the last one is what a person consents to now.
STATEMENTS: dict[str, ConsentStatement] = {STATEMENT_1_0.version: STATEMENT_1_0}
CURRENT_STATEMENT = STATEMENT_1_0


@dataclass(frozen=True, slots=True)
class Consent:
    id: str
    person_id: str
    statement_version: str
    statement_sha256: str
    at: datetime
    address: str
    user_agent: str
    withdrawn_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True, slots=True)
class Client:
    """Where a request came from, as the entry point saw it (the proxy-aware client address)."""

    address: str = "unknown"
    user_agent: str = ""

    def clipped(self) -> Client:
        return Client(self.address[:MAX_ADDRESS], self.user_agent[:MAX_USER_AGENT])


NO_CLIENT = Client()  # a use case called from the CLI or a test: no address, no user agent


@dataclass(frozen=True, slots=True)
class SignatureEvidence:
    """What one signature proves, written once with it."""

    id: str
    agreement_id: str
    version: int
    org: str
    org_legal_name: str
    person_id: str
    name: str
    email: str
    title: str
    digest: str
    signed_at: datetime
    methods: tuple[str, ...]  # how the signer confirmed it was them, for this signature
    consent_id: str
    consent_version: str
    consent_at: datetime
    address: str
    user_agent: str
