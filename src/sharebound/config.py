"""Settings: environment variables SHAREBOUND_*, read once into one object."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sharebound.domain.addresses import AllowList, parse_allow_list, parse_trusted
from sharebound.domain.second_factors import RelyingParty


class Settings(BaseSettings):
    """Every setting has a default that needs nothing; docs/settings.md lists them all."""

    model_config = SettingsConfigDict(env_prefix="SHAREBOUND_", extra="ignore", frozen=True)

    data_dir: Path = Field(
        default=Path("var"),
        description="Folder holding the SQLite database and the blobs; created by `sharebound init`.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database, e.g. postgresql+psycopg://user@host/db. "
        "Default: SQLite at DATA_DIR/sharebound.db.",
    )
    key_file: Path | None = Field(
        default=None,
        description="File holding the key-encryption key (32 bytes, base64) that wraps the data "
        "keys. Default: DATA_DIR/sharebound.key, made by `sharebound init`. Back it up apart from the data.",
    )
    key: SecretStr | None = Field(
        default=None,
        description="The key-encryption key itself (32 bytes, base64), instead of a file; wins "
        "over KEY_FILE. Hidden when the settings are printed.",
    )
    incoming_stale_minutes: int = Field(
        default=60, ge=1, le=7 * 24 * 60,  # why: longer than any upload takes; shorter than a day
        description="An upload's temporary file untouched this long is left from a killed server: "
        "`init` and `serve` remove it, `blobs check` reports it.",
    )
    blob_url: str | None = Field(
        default=None,
        description="Where blobs are stored: unset for DATA_DIR/blobs, or `s3://bucket/prefix` for an "
        "S3-compatible object store (credentials and region from the standard AWS_* variables; "
        "docs/deploy.md).",
    )
    s3_endpoint_url: str | None = Field(
        default=None,
        description="The endpoint of an S3-compatible store that is not AWS (MinIO, Ceph, "
        "e.g. https://minio.internal:9000); unset for AWS S3.",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=5000,
        ge=0,
        description="How long a SQLite writer waits for another writer before giving up, in ms.",
    )

    open_signup: bool = Field(
        default=False,
        description="Let anyone create an organization: the /signup page and POST /api/v1/orgs. "
        "Off: organizations come from `sharebound org create`, or from a partner invitation's link.",
    )
    partner_invitation_days: int = Field(
        default=7, ge=1, le=90,  # why: a week to read the email and set up; a quarter at most
        description="How long the link in a partner invitation email (a partnership proposed to an "
        "email address) can be followed, in days.",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The address people reach the app at; used in invitation links.",
    )
    log_name: str | None = Field(
        default=None,
        description="The instance name of the transparency log: its checkpoints' origin prefix and "
        "the signing key's name. Default: the host of BASE_URL (docs/transparency-log.md).",
    )
    webauthn_rp_id: str | None = Field(
        default=None,
        description="The WebAuthn relying party id passkeys are made for: the host of BASE_URL by "
        "default, or a parent domain of it. Passkeys only work at the origin of BASE_URL.",
    )
    max_json_bytes: int = Field(
        default=1_048_576, ge=1024,
        description="The largest JSON (or other non-upload) request body, in bytes.",
    )
    max_upload_bytes: int = Field(
        default=100 * 1_048_576, ge=1024,
        description="The largest file upload (a multipart request body), in bytes.",
    )
    max_discard_bytes: int = Field(
        # why: an upload up to 128 MB (the default limit is 100 MB) still gets its 413; reading
        # costs time only, the bytes are dropped as they come
        default=128 * 1_048_576, ge=0,
        description="A body refused as too large is read and discarded up to this many bytes before "
        "the 413, so that a client still sending gets the 413 rather than a reset connection; past "
        "it the connection is closed.",
    )
    max_pdf_pages: int = Field(
        default=2000, ge=1,  # why: stamping a download walks every page (view only renders one per request)
        description="The most pages an uploaded PDF may have; a longer one is refused before it is stored.",
    )

    gate_max_pages: int = Field(
        default=2000, ge=1,
        description="The content gate reads at most this many pages of a PDF; a longer one is "
        "refused, since the gate cannot vouch for what it did not read.",
    )
    gate_max_chars: int = Field(
        default=10_000_000, ge=1000,
        description="The content gate reads at most this many characters of an item's text; a "
        "longer text is refused, since the gate cannot vouch for what it did not read.",
    )

    trusted_proxies: str = Field(
        default="",
        description="Addresses or CIDR ranges of the reverse proxies in front of the app, "
        "comma-separated. X-Forwarded-For/-Proto and Forwarded are honoured only from them. "
        "Default: none (the headers are ignored).",
    )
    header_timeout_seconds: float = Field(
        default=10.0, gt=0, le=300,
        description="`serve`: how long a request head (request line and headers) may take to arrive; "
        "then the connection is closed.",
    )
    max_connections: int = Field(
        default=4096, ge=16, le=1_000_000,
        description="`serve`: open connections (per process) past which new requests get 503 at once; "
        "kept below the open-files limit.",
    )
    keep_alive_seconds: int = Field(
        default=5, ge=1, le=300,
        description="`serve`: how long an idle keep-alive connection stays open between requests.",
    )
    listen_backlog: int = Field(
        default=2048, ge=16, le=65535,
        description="`serve`: connections the system queues before the server accepts them.",
    )
    session_hours: int = Field(
        default=12, ge=1, le=24 * 30,
        description="How long a browser session lasts after signing in, in hours.",
    )

    token_days: int = Field(
        default=90, ge=1, le=366,
        description="How long an API token lasts when its request names no `expires_in_days`, in days.",
    )

    # --- notifications: email, webhooks, the worker (docs/notifications.md) ---
    smtp_host: str | None = Field(
        default=None,
        description="SMTP server for notification emails. Unset: no email is sent (in-app only); "
        "the worker marks emails `skipped`.",
    )
    smtp_port: int = Field(default=587, ge=1, le=65535, description="SMTP server port.")
    smtp_tls: Literal["none", "starttls", "tls"] = Field(
        default="starttls",
        description="none (plain), starttls (upgrade a plain connection), or tls (TLS from the start, "
        "usually port 465).",
    )
    smtp_user: str | None = Field(default=None, description="SMTP user name; unset: no login.")
    smtp_password: SecretStr | None = Field(
        default=None, description="SMTP password (hidden when the settings are printed).")
    mail_from: str = Field(
        default="Sharebound <sharebound@localhost>",
        description="The From address of notification emails.",
    )
    smtp_timeout_seconds: float = Field(
        default=10.0, gt=0, le=300,
        description="How long one SMTP connection or command may take before it counts as failed.",
    )
    mail_max_attempts: int = Field(
        default=8, ge=1, le=50,
        description="Attempts to send one email (with growing waits) before it is marked failed.",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, le=120,
        description="How long a webhook endpoint may take to answer before the attempt fails.",
    )
    webhook_max_attempts: int = Field(
        default=8, ge=1, le=50,
        description="Attempts to deliver to a webhook (with growing waits) before it is marked failed.",
    )
    webhook_allow: str = Field(
        default="",
        description="Hosts and address ranges webhooks may reach although they are not on the public "
        "internet, comma-separated: `hooks.corp`, `*.lab.corp`, `10.1.0.0/16`, `127.0.0.1`. "
        "Default: none (loopback, private, link-local, multicast and reserved addresses are refused).",
    )
    sso_allow: str = Field(
        default="",
        description="Hosts and address ranges an org's OpenID provider (single sign-on) may be at "
        "although they are not on the public internet, in the form of WEBHOOK_ALLOW; an issuer "
        "allowed here may also use http://. Default: none (docs/sso.md).",
    )
    sso_timeout_seconds: float = Field(
        default=10.0, gt=0, le=60,
        description="How long the OpenID provider may take to answer discovery, the token exchange "
        "or the key fetch before the sign-in (or the settings) fail.",
    )
    worker_poll_seconds: float = Field(
        default=5.0, gt=0, le=3600,
        description="How long `sharebound worker` sleeps between passes over the outbox and schedules.",
    )
    stale_days: int = Field(
        default=14, ge=1, le=365,
        description="Days without a disclosure, request or message after which a partnership's "
        "admins are reminded that nothing was shared.",
    )
    digest_hour: int = Field(
        default=7, ge=0, le=23,
        description="The UTC hour from which daily digests (and on Mondays weekly digests) are sent.",
    )

    # --- operations: metrics and logs (docs/deploy.md) ---
    metrics: bool = Field(
        default=False,
        description="Serve Prometheus metrics at GET /metrics to anyone who reaches it. Off (the "
        "default): /metrics answers 404 unless METRICS_TOKEN is set.",
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="A bearer token that GET /metrics asks for (`Authorization: Bearer <token>`); "
        "set, it serves the metrics whatever METRICS says. Hidden when the settings are printed.",
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="`json`: one JSON object per log line (time, level, logger, message, request "
        "id); `text`: plain lines for a terminal.",
    )

    @field_validator("blob_url")
    @classmethod
    def _blob_url_parses(cls, value: str | None) -> str | None:
        if value:
            from urllib.parse import urlsplit

            parts = urlsplit(value)
            if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
                raise ValueError("must be s3://bucket/prefix (or unset for DATA_DIR/blobs)")
        return value or None

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_parse(cls, value: str) -> str:
        parse_trusted(value)
        return value

    @field_validator("webhook_allow", "sso_allow")
    @classmethod
    def _allow_list_parses(cls, value: str) -> str:
        parse_allow_list(value)  # why here: a typo stops the start, not the first delivery
        return value

    @property
    def webhook_allow_list(self) -> AllowList:
        return parse_allow_list(self.webhook_allow)

    @property
    def relying_party(self) -> RelyingParty:
        return RelyingParty.of_url(self.base_url, self.webauthn_rp_id)

    @property
    def sso_allow_list(self) -> AllowList:
        return parse_allow_list(self.sso_allow)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'sharebound.db').resolve()}"

    @property
    def resolved_key_file(self) -> Path:
        return self.key_file or self.data_dir / "sharebound.key"

    @property
    def log_instance_name(self) -> str:
        return self.log_name or urlsplit(self.base_url).hostname or "localhost"

    @property
    def log_key_file(self) -> Path:
        return self.data_dir / "log-signing.key"

    @property
    def blobs_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def spool_dir(self) -> Path:
        """Where stamped copies larger than a few MiB wait, unnamed, while they are sent."""
        return self.data_dir / "spool"
