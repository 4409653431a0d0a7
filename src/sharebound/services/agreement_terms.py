"""What a draft or an amendment leaves out of its terms, filled in before they are read.

A new version always names its governing document (our latest standard terms for its kind
when the draft names none) and every party's legal details (from each org's legal profile
when the draft gives none for it), so that the stored terms, and the document the parties
sign, say everything explicitly. The old `notice` {handle: email} key still fills the notice
emails of drafts written in the first format's shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sharebound.domain.cover import StandardDocument
from sharebound.domain.standard_terms import StandardTerms
from sharebound.domain.terms import AgreementTerms, parse_terms
from sharebound.domain.values import is_handle
from sharebound.services.unit_of_work import UnitOfWork


def complete_terms(uow: UnitOfWork, raw: Any) -> tuple[AgreementTerms, StandardTerms | None]:
    """The terms of a new version, and the standard-terms version they name (if any).
    Inside the caller's transaction: it reads the parties' profiles."""
    catalog = uow.standard_terms
    if not isinstance(raw, Mapping):
        return parse_terms(raw, catalog), None
    data = dict(raw)
    notice = data.pop("notice", None)
    notice = notice if isinstance(notice, Mapping) else {}
    if "governing_document" not in data:
        default = catalog.default_for(str(data.get("kind", "mutual")))
        if default is not None:
            data["governing_document"] = {"kind": "standard", "id": default.id,
                                          "version": default.version}
    parties = data.get("parties")
    if isinstance(parties, list) and (data.get("party_details") is None
                                      or isinstance(data.get("party_details"), Mapping)):
        details = dict(data.get("party_details") or {})
        for handle in parties:
            if is_handle(handle):
                details[handle] = _details(uow, handle, details.get(handle), notice.get(handle))
        data["party_details"] = details
    terms = parse_terms(data, catalog)
    document = terms.governing_document
    standard = (catalog.get(document.id, document.version)
                if isinstance(document, StandardDocument) else None)
    return terms, standard


def _details(uow: UnitOfWork, handle: str, given: object, notice_email: object) -> object:
    """A party's details as given, else from its org's profile; a notice email given in the
    old `notice` key fills the contact's email unless the details give one."""
    if given is not None and not isinstance(given, Mapping):
        return given  # parse_terms says what is wrong with it
    org = uow.orgs.get_org(handle)
    profile = org.profile if org is not None else None
    if given is None:
        if profile is None:
            return {}
        # the draft's old `notice` key says the email explicitly: it wins over the profile's
        email = notice_email if isinstance(notice_email, str) else profile.notice_email
        found = {"legal_name": profile.legal_name, "address": profile.address,
                 "notice": {"name": profile.notice_name, "email": email,
                            "address": profile.address}}
    else:
        found = dict(given)
    contact = found.get("notice")
    contact = dict(contact) if isinstance(contact, Mapping) else {}
    if contact.get("email") is None and isinstance(notice_email, str):
        contact["email"] = notice_email
    found["notice"] = {k: v for k, v in contact.items() if v is not None}
    return {k: v for k, v in found.items() if v is not None}
