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

import re
from collections.abc import Iterable, Iterator
from functools import cache

from detect_secrets.plugins.base import BasePlugin

from sharebound.domain.gate import Page, Where, line_at, line_starts
from sharebound.domain.text_search import replay

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


#: Patterns that cannot be searched fast (case-insensitive, or beginning with a class of
#: characters: Python's `re` then tries every position), each with an anchor that can
#: (the pattern is then replayed there only: `domain/text_search.replay`): a
#: pattern that begins with a literal character (or several such, as alternatives: one pass
#: each) and every match of the pattern holds, at
#: `low` to `high` characters after the match's start, whatever the case (anchors are
#: compiled without the pattern's flags). By pattern, so that a pattern a new
#: detect-secrets changes is simply searched on its own again.
ANCHORS: dict[str, tuple[tuple[str, ...], int, int]] = {
    # aws + up to 20 + a keyword of 2 to 8 + up to 20, then the quoted 40 characters
    r"""aws.{0,20}?(?:key|pwd|pw|password|pass|token).{0,20}?[\'\"]([0-9a-zA-Z/+]{40})[\'\"]""":
        # why the four letters: with IGNORECASE, [a-zA-Z] matches them too (the `re` docs)
        (("'(?=[0-9a-zA-Z/+\u0130\u0131\u017f\u212a]{40}['\"])",
          "\"(?=[0-9a-zA-Z/+\u0130\u0131\u017f\u212a]{40}['\"])"), 5, 51),
    r"[MNO][a-zA-Z\d_-]{23,25}\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}":
        ((r"\.(?=[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27})",), 24, 26),
    r"[0-9a-z]{32}-us[0-9]{1,2}": ((r"-(?=us[0-9])",), 32, 32),
    r"xox(?:a|b|p|o|s|r)-(?:\d+-)+[a-z0-9]+": ((r"-(?=\d+-)",), 4, 4),
    r"https://hooks\.slack\.com/services/T[a-zA-Z0-9_]+/B[a-zA-Z0-9_]+/[a-zA-Z0-9_]+":
        (("://",), 5, 5),
    r"(?:r|s)k_live_[0-9a-zA-Z]{24}": (("k_live_",), 1, 1),
    # Patterns that begin with a literal searched fast, grouped under a shared rare anchor:
    # one pass for the group instead of one for each.
    **{key: (("BEGIN ",), 0, 0) for key in (
        "BEGIN DSA PRIVATE KEY", "BEGIN EC PRIVATE KEY", "BEGIN OPENSSH PRIVATE KEY",
        "BEGIN PGP PRIVATE KEY BLOCK", "BEGIN PRIVATE KEY", "BEGIN RSA PRIVATE KEY",
        "BEGIN SSH2 ENCRYPTED PRIVATE KEY")},
    r"pypi-AgEIcHlwaS5vcmc[A-Za-z0-9-_]{70,}": (("pypi-Ag",), 0, 0),
    r"pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9-_]{70,}": (("pypi-Ag",), 0, 0),
    r"://[^:/\?\#\[\]@!\$\&'\(\)\*\+,;=\s]+:([^:/\?\#\[\]@!\$\&'\(\)\*\+,;=\s]+)@": (("://",), 0, 0),
    r"\d{8,10}:[0-9A-Za-z_-]{35}": ((r":(?=[0-9A-Za-z_-]{35})",), 8, 10),
}


#: Patterns every match of which holds a run of at least LONG_RUN characters of RUN_CHARACTERS
#: (the token of a key: the pattern's class of characters, as many times as it asks, is a
#: subset of it). An ASCII text without such a run has no match of them: they are skipped.
LONG_RUN = 20
RUN_CHARACTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=\\"
LONG_RUN_PATTERNS = frozenset({
    "(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}",  # 4 + 16
    r"""aws.{0,20}?(?:key|pwd|pw|password|pass|token).{0,20}?[\'\"]([0-9a-zA-Z/+]{40})[\'\"]""",
    r"AccountKey=[a-zA-Z0-9+\/=]{88}",
    r"[MNO][a-zA-Z\d_-]{23,25}\.[a-zA-Z\d_-]{6}\.[a-zA-Z\d_-]{27}",  # 1 + 23 (\d: ASCII text)
    "(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9_]{36}",
    r"(glpat|gldt|glft|glsoat|glrt)-[A-Za-z0-9_\-]{20,50}(?!\w)",
    r"GR1348941[A-Za-z0-9_\-]{20,50}(?!\w)",
    r"glcbt-([0-9a-fA-F]{2}_)?[A-Za-z0-9_\-]{20,50}(?!\w)",
    r"glimt-[A-Za-z0-9_\-]{25}(?!\w)",
    r"glptt-[A-Za-z0-9_\-]{40}(?!\w)",
    r"glagent-[A-Za-z0-9_\-]{50,1024}(?!\w)",
    r"gloas-[A-Za-z0-9_\-]{64}(?!\w)",
    "[0-9a-z]{32}-us[0-9]{1,2}",
    "sk-[A-Za-z0-9-_]*[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}",
    "pypi-AgEIcHlwaS5vcmc[A-Za-z0-9-_]{70,}",
    "pypi-AgENdGVzdC5weXBpLm9yZw[A-Za-z0-9-_]{70,}",
    r"SG\.[a-zA-Z0-9_-]{22}\.[a-zA-Z0-9_-]{43}",
    r"sq0csp-[0-9A-Za-z\\\-_]{43}",
    "(?:r|s)k_live_[0-9a-zA-Z]{24}",
    r"\d{8,10}:[0-9A-Za-z_-]{35}",  # the 35 (\d: ASCII text)
    "AC[a-z0-9]{32}",
    "SK[a-z0-9]{32}",
})
#: bytes.translate's table: a token character becomes "x", any other byte a space.
_RUN_TABLE = bytes(0x78 if byte in RUN_CHARACTERS else 0x20 for byte in range(256))
_RUN = b"x" * LONG_RUN


def has_long_run(text: str) -> bool:
    """Whether `text` (ASCII) has LONG_RUN characters of RUN_CHARACTERS in a row: two passes
    in C (a translation, then a string search)."""
    return _RUN in text.encode("ascii").translate(_RUN_TABLE)


@cache
def _anchor(pattern: re.Pattern[str]) -> tuple[tuple[re.Pattern[str], ...], int, int] | None:
    found = ANCHORS.get(pattern.pattern)
    if found is None:
        return None
    anchors, low, high = found
    return tuple(re.compile(a) for a in anchors), low, high


def _matches(pattern: re.Pattern[str], text: str,
             found: dict[re.Pattern[str], list[int]]) -> Iterator[tuple[int, int]]:
    """(start, end) of each match of `pattern.finditer(text)`: through its anchors when it
    has some (`ANCHORS`; `found` keeps where each anchor is in `text`, for the patterns
    that share it), else by `finditer` itself."""
    anchored = _anchor(pattern)
    if anchored is None:
        for match in pattern.finditer(text):
            yield match.start(), match.end()
        return
    anchors, low, high = anchored
    places: set[int] = set()
    for anchor in anchors:
        if anchor not in found:
            found[anchor] = [match.start() for match in anchor.finditer(text)]
        for at in found[anchor]:
            places.update(range(max(0, at - high), max(0, at - low + 1)))
    for match in replay(pattern, text, sorted(places)):
        yield match.start(), match.end()


def find_secrets(pages: Iterable[Page]) -> Iterator[tuple[str, Where]]:
    """(what it is, where) for each secret found: never the secret's value.

    Each detector's patterns run over a whole page at once (one pass each, in C; the slow
    ones through an anchor: `ANCHORS`; those of long tokens not at all on an ASCII page
    without a long run: `LONG_RUN_PATTERNS`); only the lines they hit are then checked line by
    line with the detector itself (which may also check a candidate's form, as the JWT
    detector does)."""
    for page in pages:
        text = page.text
        lines: list[str] = []
        starts: list[int] = []
        anchors: dict[re.Pattern[str], list[int]] = {}
        # why: most prose has no run of token characters as long as a key's
        skip = LONG_RUN_PATTERNS if text.isascii() and not has_long_run(text) else frozenset()
        for label, detector in detectors():
            hits: set[int] = set()
            for pattern in getattr(detector, "denylist", ()):
                if pattern.pattern in skip:
                    continue
                for start, end in _matches(pattern, text, anchors):
                    if not starts:
                        lines, starts = text.splitlines(), line_starts(text)
                    while start < end - 1 and text[start].isspace():
                        start += 1  # a pattern may begin with the line break before the secret
                    hits.add(line_at(starts, start))
            for line in sorted(hits):
                if any(_windows_match(detector, lines[line - 1])):
                    yield label, page.where(line)


def find_secrets_reference(pages: Iterable[Page]) -> Iterator[tuple[str, Where]]:
    """`find_secrets` as it was: each pattern's own pass over each page (the reference of
    tests/unit/test_secrets_prefilter.py)."""
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
