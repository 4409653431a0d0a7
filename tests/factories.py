"""Factories for domain values: realistic defaults, every field overridable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sharebound.adapters.passwords import Argon2Passwords
from sharebound.adapters.standard_terms import shipped_catalog
from sharebound.domain.agreements import Agreement, new_agreement
from sharebound.domain.classification import Classification
from sharebound.domain.cover import StandardDocument
from sharebound.domain.disclosures import Disclosure
from sharebound.domain.esign import CURRENT_STATEMENT, NO_CLIENT, Client
from sharebound.domain.items import Item, ItemKind, ItemVersion
from sharebound.domain.orgs import Person, Role
from sharebound.domain.second_factors import FactorProof
from sharebound.domain.standard_terms import StandardTerms
from sharebound.domain.terms import Action, AgreementTerms, parse_terms
from sharebound.services import agreements, esign
from sharebound.services.unit_of_work import UnitOfWork

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)

# why: Argon2 with its real parameters costs ~50 ms a hash (and each check of such a hash as
# much); the apps under test hash and check with these, which are as correct and far cheaper.
CHEAP_PASSWORDS = Argon2Passwords.cheap()


# why one: the e2e world's people sign in with it too (tests/e2e/conftest.py WORLD_PASSWORD)
SIGNING_PASSWORD = "a long passphrase"


def ready_to_sign(uow: UnitOfWork, person_id: str) -> None:
    """The person has a password (SIGNING_PASSWORD, unless they had one) and an active e-sign
    consent, as a signer must before signing."""
    with uow:
        if uow.auth.password_hash(person_id) is None:
            uow.auth.set_password_hash(person_id, uow.passwords.hash(SIGNING_PASSWORD))
            uow.commit()
    with uow.reading():
        active = uow.esign.active_consent(person_id)
    if active is None:
        esign.give_consent(uow, person_id, statement_sha256=CURRENT_STATEMENT.sha256)


def sign_as(uow: UnitOfWork, person_id: str, agreement_id: str, *, digest: str, title: str,
            client: Client = NO_CLIENT, password: str = SIGNING_PASSWORD,
            second_factor: FactorProof | None = None) -> Agreement:
    """`agreements.sign_agreement` by a signer made ready to sign (password and consent);
    `password` is the one the signer has (SIGNING_PASSWORD if they had none)."""
    ready_to_sign(uow, person_id)
    return agreements.sign_agreement(uow, person_id, agreement_id, digest=digest, title=title,
                                     password=password, client=client, second_factor=second_factor)


def party_details(handle: str, email: str | None = None) -> dict[str, Any]:
    """A party's cover-page details, as an org's profile fills them."""
    name = handle.capitalize()
    return {"legal_name": f"{name} Corporation",
            "address": f"1 {name} Way\nWilmington, DE 19801\nUnited States",
            "notice": {"name": f"{name} Legal", "email": email or f"legal@{handle}.example",
                       "address": f"1 {name} Way\nWilmington, DE 19801\nUnited States"}}


def org_profile(handle: str) -> dict[str, str]:
    """An org's legal profile (as `create_org` and `PATCH /orgs/{handle}` take it), matching
    `party_details(handle)`."""
    details = party_details(handle)
    return {"legal_name": details["legal_name"], "address": details["address"],
            "notice_name": details["notice"]["name"], "notice_email": details["notice"]["email"]}


def terms_json(**overrides: Any) -> dict[str, Any]:
    """DESIGN.md's example terms as a draft gives them; `schedule` overrides merge into the
    schedule. Each party's details are given (from `notice` when it names the party), so that
    drafting needs no org profile; the service fills the governing document."""
    schedule = {
        "ceiling": "confidential", "topics_allowed": [], "topics_excluded": ["pricing"],
        "recipients": {"mode": "all_members"}, "actions": ["view", "download"],
        "watermark_downloads": True, "max_access_days": 90, "return_days": 30,
    }
    schedule.update(overrides.pop("schedule", {}))
    data: dict[str, Any] = {
        "kind": "mutual", "parties": ["acme", "globex"], "disclosing_parties": [],
        "purpose": "Evaluate a joint sensor product", "effective_date": "2026-12-01",
        "term_end": "2027-12-01", "confidentiality_years": 3,
        "governing_law": "Delaware", "courts": "New Castle County, Delaware",
        "notice": {"acme": "legal@acme.example", "globex": "legal@globex.example"},
        "schedule": schedule,
    }
    data.update(overrides)
    if "party_details" not in overrides and isinstance(data.get("parties"), list):
        notice = data.get("notice") if isinstance(data.get("notice"), dict) else {}
        data["party_details"] = {p: party_details(p, notice.get(p)) for p in data["parties"]
                                 if isinstance(p, str)}
    return data


def legacy_terms_json(**overrides: Any) -> dict[str, Any]:
    """The terms in the first format's shape (versions signed before the agreement document)."""
    data = terms_json(**overrides)
    if "party_details" not in overrides:
        data.pop("party_details", None)
    return data


STANDARD = {"mutual": {"kind": "standard", "id": "sharebound-mutual", "version": "1.0"},
            "one_way": {"kind": "standard", "id": "sharebound-one-way", "version": "1.0"}}


def document_terms_json(**overrides: Any) -> dict[str, Any]:
    """The terms as a new version stores them: the governing document named, no `notice`."""
    data = terms_json(**overrides)
    data.pop("notice", None)
    data.setdefault("governing_document", STANDARD.get(data.get("kind", "mutual"), STANDARD["mutual"]))
    return data


def make_terms(**overrides: Any) -> AgreementTerms:
    return parse_terms(document_terms_json(**overrides), shipped_catalog())


MUTUAL_TERMS = shipped_catalog().get("sharebound-mutual", "1.0")  # what make_terms() names


def standard_of(terms: AgreementTerms) -> StandardTerms | None:
    document = terms.governing_document
    if isinstance(document, StandardDocument):
        return shipped_catalog().get(document.id, document.version)
    return None


def make_person(org: str = "globex", name: str = "Grace", roles: set[Role] | None = None,
                email: str | None = None, person_id: str | None = None) -> Person:
    return Person(
        id=person_id or f"per_{org}_{name.lower()}",
        org=org,
        name=name,
        email=email or f"{name.lower()}@{org}.example",
        roles=frozenset(roles or {Role.MEMBER}),
        created_at=NOW,
    )


def make_item(owner: str = "acme", classification: Classification = Classification.CONFIDENTIAL,
              topics: set[str] | None = None, item_id: str = "itm_1") -> Item:
    version = ItemVersion(number=1, sha256="ab" * 32, size=12, media_type="text/markdown",
                          filename=None, created_at=NOW, created_by="per_acme_alice")
    return Item(id=item_id, owner=owner, kind=ItemKind.NOTE, title="Thermal test results",
                classification=classification, topics=frozenset(topics or {"thermal"}),
                versions=(version,), created_at=NOW)


def signed_agreement(terms: AgreementTerms | None = None, at: datetime = NOW,
                     agreement_id: str = "agr_1") -> Agreement:
    """An agreement every party signed at `at` (in force when `at` is within its term)."""
    terms = terms or make_terms()
    agreement = new_agreement(agreement_id, "prt_1", terms, by="per_acme_alice", at=at,
                              standard=standard_of(terms))
    for party in terms.parties:
        agreement, _ = agreement.sign(org=party, person_id=f"per_{party}_signer", name="Sam Signer",
                                      title="General Counsel", digest=agreement.current.digest, at=at)
    return agreement


def make_disclosure(
    *, agreement: Agreement | None = None, recipients: set[str] | None = None,
    actions: set[str] | None = None, expires_at: datetime | None = None,
    created_at: datetime = NOW, discloser: str = "acme", disclosure_id: str = "dsc_1",
) -> Disclosure:
    """Item itm_1 (version 1) given by `discloser` under the agreement's signed version."""
    agreement = agreement or signed_agreement()
    version = agreement.signed_version or agreement.current
    return Disclosure(
        id=disclosure_id, partnership_id=agreement.partnership_id, item_id="itm_1",
        item_version=1, item_sha256="ab" * 32, discloser=discloser,
        disclosed_by=f"per_{discloser}_alice", agreement_id=agreement.id,
        agreement_version=version.number, agreement_digest=version.digest,
        recipients=frozenset(recipients or {"per_globex_grace"}),
        actions=frozenset(Action(a) for a in (actions or {"view", "download"})),
        created_at=created_at, expires_at=expires_at or created_at + timedelta(days=30),
    )
