"""The agreement document: the canonical bytes every party signs.

The document is the cover page (parties with legal names, addresses and notice contacts; the
purpose, dates, law and courts), the governing document named exactly (our standard terms'
version and SHA-256, a public standard by reference, or an uploaded NDA's SHA-256), the
modifications in full, the sharing schedule in words, and, last, the SHA-256 of the canonical
terms JSON that the software enforces. A version's digest is the SHA-256 of these bytes: a
change to any clause, cover field or schedule is a new document and a new digest.

The document never contains its own digest (it could not). It is rendered once, when the
version is made, and stored; it is never rendered again to be shown or checked.
"""

from __future__ import annotations

from sharebound.domain.cover import ReferenceDocument, StandardDocument, UploadedDocument
from sharebound.domain.errors import DamagedRecord
from sharebound.domain.standard_terms import StandardTerms
from sharebound.domain.terms import AgreementTerms, Kind, RecipientMode, UnreadableFiles
from sharebound.domain.values import sha256_hex

FORMAT_TERMS_JSON = 1  # the digest is over the terms JSON; the text is regenerated (legacy)
FORMAT_DOCUMENT = 2  # the digest is over the stored document's bytes
SCHEDULE_LINE = "Schedule (machine-readable) SHA-256: "
AS_IN_THE_NDA = "as set out in the uploaded NDA."  # a cover field an uploaded NDA leaves to itself


def schedule_sha256(terms: AgreementTerms) -> str:
    return sha256_hex(terms.canonical())


def render_document(terms: AgreementTerms, version_number: int,
                    standard: StandardTerms | None) -> bytes:
    """The document of version `version_number` of an agreement on `terms`: UTF-8, LF line
    ends, the same bytes for the same input. `standard` is the standard-terms version the
    terms name (None for a public standard by reference or an uploaded NDA)."""
    document = terms.governing_document
    if document is None:
        raise ValueError("terms of the first format have no agreement document")
    if isinstance(document, StandardDocument) and (
            standard is None or (standard.id, standard.version) != (document.id, document.version)):
        raise ValueError(f"render_document needs the standard terms {document.id} {document.version}")
    lines = [
        "MUTUAL NON-DISCLOSURE AGREEMENT" if terms.kind is Kind.MUTUAL
        else "ONE-WAY NON-DISCLOSURE AGREEMENT",
        f"Cover Page, version {version_number}",
        "",
        "This Cover Page and the governing document named below together form the Agreement "
        "between the Parties. Words in capitals are defined on this Cover Page or in the "
        "governing document.",
        "",
        "PARTIES",
        *_parties(terms),
        "",
        "COVER PAGE",
        *_cover(terms),
        "",
        "GOVERNING DOCUMENT",
        *_governing(terms, standard),
        "",
        "MODIFICATIONS",
        "These modifications were agreed by every Party and override the governing document "
        "where they conflict with it.",
        *(terms.modifications.split("\n") if terms.modifications else ["None."]),
        "",
        "SHARING SCHEDULE",
        "A modification of the governing document agreed by every Party and enforced by "
        "Sharebound: disclosures through Sharebound are refused outside it.",
        *_schedule(terms),
        "",
        SCHEDULE_LINE + schedule_sha256(terms),
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def check_document(document: bytes, digest: str, terms: AgreementTerms, where: str) -> None:
    """Refuse, loudly, a stored document that no longer hashes to the digest the parties
    signed, or whose schedule line does not bind the stored terms."""
    if sha256_hex(document) != digest:
        raise DamagedRecord(f"{where}: the stored agreement document no longer hashes to the "
                            "digest that was signed")
    if not document.endswith(f"{SCHEDULE_LINE}{schedule_sha256(terms)}\n".encode()):
        raise DamagedRecord(f"{where}: the stored terms no longer match the schedule the "
                            "agreement document binds")


def _indented(text: str) -> list[str]:
    return ["   " + line for line in text.split("\n")]


def _parties(terms: AgreementTerms) -> list[str]:
    assert terms.party_details is not None
    lines = []
    for number, handle in enumerate(terms.parties, start=1):
        details = terms.party_details[handle]
        role = ""
        if terms.kind is Kind.ONE_WAY:
            role = (", a Disclosing Party" if handle in terms.disclosing_parties
                    else ", a Receiving Party")
        lines += [
            f"{number}. {details.legal_name} (Sharebound organization \"{handle}\"{role})",
            "   Address:", *_indented(details.address),
            f"   Notice contact: {details.notice.name} <{details.notice.email}>",
            "   Notice Address:", *_indented(details.notice.address),
        ]
    return lines


def _cover(terms: AgreementTerms) -> list[str]:
    if terms.kind is Kind.MUTUAL:
        kind = "Mutual: each Party may disclose Confidential Information to the others."
    else:
        assert terms.party_details is not None
        names = "; ".join(terms.party_details[h].legal_name for h in sorted(terms.disclosing_parties))
        kind = f"One-way: only {names} disclose Confidential Information; the other Parties receive it."
    term = (f"from the Effective Date until {terms.term_end.isoformat()} (the start of that day, "
            "UTC), unless a Party ends it earlier by notice" if terms.term_end
            else "from the Effective Date until a Party ends it by notice")
    years = terms.confidentiality_years
    period = ("perpetual: the duties of confidentiality never end" if years is None else
              f"{years} year{'s' if years != 1 else ''} from the end of the NDA Term, or from its "
              "earlier termination")
    return [
        f"Kind: {kind}",
        f"Purpose: {terms.purpose or AS_IN_THE_NDA}",
        f"Effective Date: {terms.effective_date.isoformat()}",
        f"NDA Term: {term}.",
        f"Confidentiality Period: {period}. Trade secrets stay protected for as long as they "
        "remain trade secrets.",
        f"Governing Law: {terms.governing_law or AS_IN_THE_NDA}",
        f"Chosen Courts: {terms.courts or AS_IN_THE_NDA}",
        "Notice Address: each Party's notice contact and Notice Address above.",
    ]


def _governing(terms: AgreementTerms, standard: StandardTerms | None) -> list[str]:
    document = terms.governing_document
    if isinstance(document, StandardDocument):
        assert standard is not None
        return [
            f"Standard terms: {standard.title} {standard.version}, SHA-256 {standard.sha256}",
            f"(identifier {standard.id}, version {standard.version}; its text, unchanged since "
            "release, is incorporated into this Agreement and is shown in full with it.)",
        ]
    if isinstance(document, ReferenceDocument):
        return [
            f"Incorporated by reference: {document.name}, version {document.version}, "
            f"published at {document.url}",
            "(The Parties incorporate that version of that public standard into this Agreement; "
            "Sharebound does not hold its text.)",
        ]
    assert isinstance(document, UploadedDocument)
    return [
        f"Uploaded NDA: {document.filename} ({document.media_type}), SHA-256 {document.sha256}",
        f"The Parties confirm that the executed NDA uploaded as {document.filename}, SHA-256 "
        f"{document.sha256} (Sharebound document {document.document_id}), governs, and that "
        "Sharebound enforces the sharing schedule below, with the dates above, as agreed. That "
        "document, signed by the Parties, is the contract; each Party's confirmation binds this "
        "schedule and these dates to it.",
    ]


def _schedule(terms: AgreementTerms) -> list[str]:
    s = terms.schedule
    if s.recipients.mode is RecipientMode.ALL_MEMBERS:
        recipients = "any member of the receiving Party"
    elif s.recipients.mode is RecipientMode.ROLES:
        recipients = "people of the receiving Party holding a role of: " + ", ".join(
            sorted(s.recipients.roles))
    else:
        recipients = "only these people: " + ", ".join(sorted(s.recipients.people))
    return [
        f"1. Classification ceiling: {s.ceiling.value}. Information classified restricted is "
        "never disclosed.",
        "2. Topics allowed: " + (", ".join(sorted(s.topics_allowed)) or "any") + ".",
        "3. Topics excluded: " + (", ".join(sorted(s.topics_excluded)) or "none") + ".",
        f"4. Recipients: {recipients}.",
        "5. Permitted actions: " + ", ".join(sorted(a.value for a in s.actions)) + ".",
        "6. Downloads are watermarked for their recipient: "
        + ("yes." if s.watermark_downloads else "no."),
        f"7. Longest access window: {s.max_access_days} days, and never beyond the NDA Term.",
        f"8. Return or destruction period: {s.return_days} days after the Agreement ends or "
        "after the Disclosing Party asks.",
        "9. Files the content gate cannot read (archives, types it has no reader for): "
        + ("allowed, disclosed unread." if s.unreadable_files is UnreadableFiles.ALLOW
           else "refused."),
    ]
