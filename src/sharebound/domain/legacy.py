"""The agreement text of versions of the first format (signed as terms JSON, before the
agreement document): regenerated from the terms exactly as it was then, for those versions
only. New versions store their document's bytes instead (`agreement_document`).

Modelled on the standard cover pages (Common Paper Mutual NDA, Bonterms Mutual NDA): the
cover page holds the variables, the standard terms hold the law, and the sharing schedule
is the modification that the software enforces.
"""

from __future__ import annotations

from sharebound.domain.terms import AgreementTerms, Kind, RecipientMode, UnreadableFiles


def render_text(terms: AgreementTerms, version: int, digest: str) -> str:
    s = terms.schedule
    parties = ", ".join(terms.parties)
    if terms.kind is Kind.MUTUAL:
        direction = "Mutual: each party may disclose to the others."
    else:
        direction = (f"One-way: only {', '.join(sorted(terms.disclosing_parties))} disclose; "
                     "the other parties receive.")
    term = (f"until the start of {terms.term_end.isoformat()} (UTC)" if terms.term_end
            else "until terminated by a party")
    years = terms.confidentiality_years
    confidentiality = (f"{years} year{'s' if years != 1 else ''} from the effective date"
                       if years else "perpetual")
    if s.recipients.mode is RecipientMode.ALL_MEMBERS:
        recipients = "all members of the receiving party"
    elif s.recipients.mode is RecipientMode.ROLES:
        roles = ", ".join(sorted(s.recipients.roles))
        recipients = f"people of the receiving party holding a role of: {roles}"
    else:
        recipients = "only these people: " + ", ".join(sorted(s.recipients.people))
    lines = [
        "NON-DISCLOSURE AGREEMENT — COVER PAGE",
        f"Version {version} · digest SHA-256 {digest}",
        "",
        f"Parties: {parties}",
        f"Kind: {direction}",
        f"Purpose: {terms.purpose}",
        f"Effective date: {terms.effective_date.isoformat()}",
        f"NDA term: {term}",
        f"Term of confidentiality: {confidentiality}; trade secrets remain protected for as long "
        "as they remain trade secrets.",
        f"Governing law: {terms.governing_law}",
        f"Courts: {terms.courts}",
        "Notice: " + "; ".join(f"{party}: {email}" for party, email in sorted(terms.notice.items())),
        "",
        "SHARING SCHEDULE (a modification to the standard terms, enforced by Sharebound)",
        f"1. Classification ceiling: {s.ceiling.value}. "
        "Information classified restricted is never disclosed.",
        "2. Topics allowed: " + (", ".join(sorted(s.topics_allowed)) or "any"),
        "3. Topics excluded: " + (", ".join(sorted(s.topics_excluded)) or "none"),
        f"4. Recipients: {recipients}.",
        "5. Permitted actions: " + ", ".join(sorted(a.value for a in s.actions)),
        f"6. Downloads are watermarked for their recipient: {'yes' if s.watermark_downloads else 'no'}",
        f"7. Longest access window: {s.max_access_days} days, and never beyond the NDA term.",
        f"8. Return or destroy within {s.return_days} days after the agreement ends.",
        "9. Files the content gate cannot read (archives, types it has no reader for): "
        + ("allowed, disclosed unread." if s.unreadable_files is UnreadableFiles.ALLOW
           else "refused."),
        "",
        "STANDARD TERMS",
        "The receiving party uses Confidential Information only for the Purpose, protects it with "
        "at least reasonable care, shares it only with recipients allowed by the sharing schedule "
        "who are bound by obligations at least as protective, and returns or destroys it when the "
        "agreement ends. Information that is public, already known, independently developed or "
        "rightfully received from a third party is not Confidential Information. Each party signs "
        "the digest above; any change to these terms is a new version that every party signs again.",
    ]
    return "\n".join(lines) + "\n"
