"""Sending email over SMTP (smtplib), with timeouts; plain text with an HTML alternative."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Literal

from sharebound.domain.values import one_line


class MailError(Exception):
    """The email was not accepted by the SMTP server; the message says why."""


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class SmtpMailer:
    host: str
    port: int
    tls: Literal["none", "starttls", "tls"]
    sender: str
    user: str | None = None
    password: str | None = None
    timeout: float = 10.0

    def send(self, email: Email) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        # why one_line: a header with a line break raises and the worker would retry forever;
        # a title stored before single-line fields were checked must still send.
        message["To"] = one_line(email.to)
        message["Subject"] = one_line(email.subject)
        message["Message-ID"] = make_msgid(domain="sharebound")
        message.set_content(email.text)
        message.add_alternative(email.html, subtype="html")
        try:
            with self._connect() as smtp:
                if self.user:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:  # refused, timed out, unreachable
            raise MailError(f"{type(error).__name__}: {error}"[:500]) from error

    def _connect(self) -> smtplib.SMTP:
        if self.tls == "tls":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                    context=ssl.create_default_context())
        smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.tls == "starttls":
            try:
                smtp.starttls(context=ssl.create_default_context())
            except BaseException:
                smtp.close()
                raise
        return smtp
