"""The words of notification emails: plain text and HTML, from titles and links only.

An email carries nothing confidential beyond titles the addressee may already see in the
app; for everything else it links to the app (SHAREBOUND_BASE_URL).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from sharebound.domain.notifications import Notification
from sharebound.domain.values import one_line

FOOTER = "You can choose how you hear of each kind of notification at {base}/notifications/preferences"


@dataclass(frozen=True, slots=True)
class Line:
    title: str
    link: str  # a path in the app


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    lines: tuple[Line, ...]


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str


def _url(base: str, link: str) -> str:
    return base.rstrip("/") + link


def instant_email(note: Notification, name: str, base_url: str) -> Rendered:
    base = base_url.rstrip("/")
    url = _url(base, note.link)
    text = (f"Hello {name},\n\n{note.title}.\n\nOpen it in Sharebound: {url}\n\n-- \n"
            f"{FOOTER.format(base=base)}\n")
    html = (f"<p>Hello {escape(name)},</p><p>{escape(note.title)}.</p>"
            f'<p><a href="{escape(url)}">Open it in Sharebound</a></p><hr>'
            f"<p><small>{escape(FOOTER.format(base=base))}</small></p>")
    return Rendered(subject=one_line(f"Sharebound: {note.title}")[:200], text=text, html=html)


def digest_email(name: str, period: str, sections: list[Section], base_url: str) -> Rendered:
    """`period` is "daily" or "weekly"; only sections with lines are shown."""
    base = base_url.rstrip("/")
    shown = [s for s in sections if s.lines]
    text_parts = [f"Hello {name},\n\nYour {period} Sharebound digest.\n"]
    html_parts = [f"<p>Hello {escape(name)},</p><p>Your {escape(period)} Sharebound digest.</p>"]
    for section in shown:
        text_parts.append(f"\n{section.heading}\n{'-' * len(section.heading)}\n")
        text_parts += [f"- {line.title}\n  {_url(base, line.link)}\n" for line in section.lines]
        html_parts.append(f"<h2>{escape(section.heading)}</h2><ul>")
        html_parts += [f'<li><a href="{escape(_url(base, line.link))}">{escape(line.title)}</a></li>'
                       for line in section.lines]
        html_parts.append("</ul>")
    text_parts.append(f"\n-- \n{FOOTER.format(base=base)}\n")
    html_parts.append(f"<hr><p><small>{escape(FOOTER.format(base=base))}</small></p>")
    count = sum(len(s.lines) for s in shown)
    return Rendered(subject=f"Sharebound {period} digest: {count} item{'s' if count != 1 else ''}",
                    text="".join(text_parts), html="".join(html_parts))


def notice_email(title: str, link: str, base_url: str) -> Rendered:
    """A notice to a party's notice contact (an address in the terms, maybe nobody's account):
    its title only (kind, sender, partnership, deadline) and the link to read it."""
    base = base_url.rstrip("/")
    url = _url(base, link)
    text = (f"{title}.\n\nThis is a formal notice under your non-disclosure agreement. Read it, "
            f"acknowledge it and respond in Sharebound: {url}\n")
    html = (f"<p>{escape(title)}.</p><p>This is a formal notice under your non-disclosure agreement.</p>"
            f'<p><a href="{escape(url)}">Read it, acknowledge it and respond in Sharebound</a></p>')
    return Rendered(subject=one_line(f"Sharebound: {title}")[:200], text=text, html=html)


def partner_invitation_email(*, proposer: str, inviter: str, partnership: str, url: str,
                             expires_on: str) -> Rendered:
    """The link to join a partnership, sent to someone not (known to be) on the instance."""
    line = f"{inviter} of {proposer} invites your organization to a partnership on Sharebound: {partnership}"
    text = (f"Hello,\n\n{line}.\n\nFollow this link to set up your organization (or, if you "
            f"already use Sharebound, to take the proposal to it):\n{url}\n\n"
            f"The link works once, for this email address only, until {expires_on}.\n"
            "If you did not expect it, ignore this email.\n")
    html = (f"<p>Hello,</p><p>{escape(line)}.</p>"
            f'<p><a href="{escape(url)}">Join the partnership</a></p>'
            f"<p>The link works once, for this email address only, until {escape(expires_on)}. "
            "If you did not expect it, ignore this email.</p>")
    return Rendered(subject=one_line(f"Sharebound: {proposer} invites you to {partnership}")[:200],
                    text=text, html=html)


def representative_invitation_email(*, org: str, discloser: str, name: str, url: str) -> Rendered:
    """The link a representative follows to set the password of their guest account: who named
    them and who approved, never what will be shared."""
    line = (f"{org} named you its representative under its non-disclosure agreement with "
            f"{discloser}, and {discloser} approved")
    text = (f"Hello {name},\n\n{line}. What {org} shares with you on Sharebound is bound by "
            f"that agreement.\n\nSet your password to sign in:\n{url}\n\n"
            "The link works once. If you did not expect it, ignore this email.\n")
    html = (f"<p>Hello {escape(name)},</p><p>{escape(line)}. What {escape(org)} shares with you on "
            "Sharebound is bound by that agreement.</p>"
            f'<p><a href="{escape(url)}">Set your password to sign in</a></p>'
            "<p>The link works once. If you did not expect it, ignore this email.</p>")
    return Rendered(subject=one_line(f"Sharebound: {org} named you its representative")[:200],
                    text=text, html=html)
