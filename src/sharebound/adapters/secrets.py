"""Secrets in text (private keys, cloud keys, API tokens), found by detect-secrets' detectors.

We run the detectors' own patterns line by line, without detect-secrets' global settings
(which are process-wide state, unsafe across the app's threads). Enabled: every
pattern-based detector of a well-known kind of credential. Left out, because on documents
and notes they mostly find things that are not secrets:

- the high-entropy-string plugins (hashes, ids and digests are everywhere in our own items:
  every disclosure names a SHA-256);
- the keyword plugin ("password: ..." in prose and in how-to guides);
- the public-IP plugin (an address is not a credential);
- the Artifactory, Cloudant, IBM Cloud and SoftLayer plugins: patterns of keyword
  assignments (`cl_key = ...`) or of capitalised words (`AP...`) that match ordinary
  words in documents, and that cost more than all the others together to run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

from detect_secrets.plugins.base import BasePlugin

from sharebound.domain.gate import Page, Where, line_at, line_starts

#: detect-secrets' detectors we use, by class name, and how a finding words what it found.
DETECTORS = {
    "PrivateKeyDetector": "a private key",
    "AWSKeyDetector": "an AWS access key",
    "AzureStorageKeyDetector": "an Azure storage key",
    "BasicAuthDetector": "a password in a URL",
    "DiscordBotTokenDetector": "a Discord bot token",
    "GitHubTokenDetector": "a GitHub token",
    "GitLabTokenDetector": "a GitLab token",
    "JwtTokenDetector": "a JSON Web Token",
    "MailchimpDetector": "a Mailchimp key",
    "NpmDetector": "an npm token",
    "OpenAIDetector": "an OpenAI key",
    "PypiTokenDetector": "a PyPI token",
    "SendGridDetector": "a SendGrid key",
    "SlackDetector": "a Slack token",
    "SquareOAuthDetector": "a Square OAuth secret",
    "StripeDetector": "a Stripe key",
    "TelegramBotTokenDetector": "a Telegram bot token",
    "TwilioKeyDetector": "a Twilio key",
}
# why: the longest credential these detectors know (a JWT, a PEM header line) fits; a
# longer line is cut into overlapping windows so that no regex ever sees a huge line.
WINDOW = 4096
OVERLAP = 512


@cache
def detectors() -> tuple[tuple[str, BasePlugin], ...]:
    """The enabled detectors, built once."""
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    found: list[type[BasePlugin]] = list(get_mapping_from_secret_type_to_class().values())
    classes = {c.__name__: c for c in found}
    return tuple((label, classes[name]()) for name, label in DETECTORS.items() if name in classes)


def find_secrets(pages: Iterable[Page]) -> Iterator[tuple[str, Where]]:
    """(what it is, where) for each secret found: never the secret's value.

    Each detector's patterns run over a whole page at once (one pass each, in C); only the
    lines they hit are then checked line by line with the detector itself (which may also
    check a candidate's form, as the JWT detector does)."""
    for page in pages:
        text = page.text
        lines: list[str] = []
        starts: list[int] = []
        for label, detector in detectors():
            hits: set[int] = set()
            for pattern in getattr(detector, "denylist", ()):
                for match in pattern.finditer(text):
                    if not starts:
                        lines, starts = text.splitlines(), line_starts(text)
                    start = match.start()
                    while start < match.end() - 1 and text[start].isspace():
                        start += 1  # a pattern may begin with the line break before the secret
                    hits.add(line_at(starts, start))
            for line in sorted(hits):
                if any(_windows_match(detector, lines[line - 1])):
                    yield label, page.where(line)


def _windows_match(detector: BasePlugin, line: str) -> Iterator[bool]:
    for start in range(0, max(1, len(line) - OVERLAP), WINDOW - OVERLAP):
        for _ in detector.analyze_string(line[start:start + WINDOW]):
            yield True
            return
