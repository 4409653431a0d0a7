"""The world the tenant-isolation matrix runs in: built through the use cases, not HTTP, so it is cheap.

    acme (owner org):  alice  admin+signer+member   caller "admin"
                       sam    signer+member         caller "signer"
                       mia    member                caller "member"
    globex (partner):  gina   member, the recipient of the disclosure        caller "recipient"
                       grace  admin+signer+member, not a recipient          caller "partner"
    initech (outside): ian    admin+signer+member                           caller "outsider"
    precision (guest): jo     globex's representative, approved by acme,    caller "guest"
                              a guest (no role, an org of its own) to whom globex re-shared
                              the disclosure (view + download): sees that and nothing else
    hooli:             hank   (a stranger to every caller: invited by acme, has not accepted)
    no token at all:                                                         caller "anonymous"

    partnership  acme + globex, active, with a signed NDA in force (`agreement`), a draft NDA
                 nobody signed (`draft_agreement`), an internal message in its feed
    pending      a second partnership acme proposed to globex, not yet accepted
    courted      a partnership acme proposed to hooli, not yet accepted: hooli's people are
                 nobody's business until hooli accepts; also proposed by email to
                 nora@nowhere.example (`partner_invitation`), acme's business only
    item         acme's confidential note, disclosed by alice to gina (view + download)
    request      gina (globex) asks acme for information in `partnership`, open
    jewel        acme's restricted note; sam asked to lower it to confidential (`reclassification`)
    tokens       a bearer token per caller, a spare token of alice's, an invitation for nina@acme

Every title, body, purpose and name is distinctive so that a test can look for it in an answer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sharebound.bootstrap import App
from sharebound.domain.auth import TokenRecord
from sharebound.domain.ids import new_id
from sharebound.domain.orgs import Person
from sharebound.services import (
    agreements,
    auth,
    disclosures,
    items,
    messages,
    orgs,
    partner_invitations,
    partnerships,
    representatives,
    requests,
    reshares,
)
from sharebound.services.disclosures import DisclosureDraft
from sharebound.services.orgs import NewPerson
from sharebound.services.unit_of_work import UnitOfWork
from tests.factories import CHEAP_PASSWORDS, org_profile, ready_to_sign, sign_as, terms_json

CALLERS = ("admin", "signer", "member", "recipient", "partner", "outsider", "guest", "anonymous")
PASSWORD = "matrix passphrase one"
# why: a hash costs even with cheap parameters; every person of every world shares this one.
PASSWORD_HASH = CHEAP_PASSWORDS.hash(PASSWORD)

PARTNERSHIP_NAME = "Kestrel joint venture"
PENDING_NAME = "Osprey second project"
COURTED_NAME = "Heron exploratory talks"
PURPOSE = "Evaluate the Kestrel thermal sensor"
DRAFT_PURPOSE = "Assess the Osprey supply chain"
ITEM_TITLE = "Kestrel drift results"
ITEM_BODY = "Drift under 0.2 K after 500 h at 85 C, kestrel-note-body"
JEWEL_TITLE = "Kestrel die layout"
JEWEL_BODY = "The crown jewel: die layout revision 7, kestrel-jewel-body"
MESSAGE_BODY = "Kestrel NDA signed, samples ship on Monday, kestrel-feed-message"
REQUEST_TITLE = "Kestrel calibration curves"
REQUEST_DETAILS = "The raw calibration curves, kestrel-request-details"
INVITED_EMAIL = "nora@nowhere.example"


def token_of(caller: str) -> str:
    return f"{auth.TOKEN_PREFIX}matrix-{caller}"


def nda_terms(app: App, purpose: str) -> dict[str, object]:
    """acme and globex, effective from the clock's today for a year."""
    today = app.clock().date()
    return terms_json(purpose=purpose, effective_date=today.isoformat(),
                      term_end=today.replace(year=today.year + 1).isoformat())


@dataclass(frozen=True)
class MatrixWorld:
    app: App
    people: dict[str, Person]  # by caller (all but "anonymous")
    partnership: str
    pending_partnership: str
    courted_partnership: str
    stranger: Person  # hank of hooli
    agreement: str
    draft_agreement: str
    draft_digest: str
    item: str
    jewel: str
    reclassification: str
    disclosure: str
    message: str
    request: str
    spare_token: str  # the id of a second token of alice's
    invitation: str  # the secret of nina@acme.example's invitation
    partner_invitation: str  # the id of the courted partnership's email invitation to nora
    representative: str  # jo's: named by globex, approved by acme; the disclosure re-shared to jo

    def headers(self, caller: str) -> dict[str, str]:
        return {} if caller == "anonymous" else {"Authorization": f"Bearer {token_of(caller)}"}

    def org_of(self, caller: str) -> str | None:
        return self.people[caller].org if caller in self.people else None

    def secrets(self) -> dict[str, str]:
        """What identifies or tells the content of the world's tenant data, by label."""
        found = {
            "partnership id": self.partnership, "partnership name": PARTNERSHIP_NAME,
            "pending partnership id": self.pending_partnership, "pending partnership name": PENDING_NAME,
            "courted partnership id": self.courted_partnership, "courted partnership name": COURTED_NAME,
            "agreement id": self.agreement, "agreement purpose": PURPOSE,
            "draft agreement id": self.draft_agreement, "draft agreement purpose": DRAFT_PURPOSE,
            "item id": self.item, "item title": ITEM_TITLE, "item body": ITEM_BODY,
            "jewel id": self.jewel, "jewel title": JEWEL_TITLE, "jewel body": JEWEL_BODY,
            "reclassification id": self.reclassification, "disclosure id": self.disclosure,
            "message id": self.message, "message body": MESSAGE_BODY,
            "request id": self.request, "request title": REQUEST_TITLE,
            "request details": REQUEST_DETAILS,
            "partner invitation id": self.partner_invitation, "invited email": INVITED_EMAIL,
        }
        for person in (*self.people.values(), self.stranger):
            found[f"email of {person.email}"] = person.email
            found[f"person id of {person.email}"] = person.id
        return found

    def denied_secrets(self, caller: str) -> set[str]:
        """What a refusal (401, 403, 404) may not carry: everything but the caller's own org's people."""
        own = [p for p in self.people.values() if p.org == self.org_of(caller)]
        return {label for label in self.secrets() if not any(label.endswith(f"of {p.email}") for p in own)}

    def never_visible_to(self, caller: str) -> set[str]:
        """The secrets' labels that `caller` may not see in any answer, whatever its status."""
        if caller in ("outsider", "anonymous"):
            return self.denied_secrets(caller)
        stranger = {f"email of {self.stranger.email}", f"person id of {self.stranger.email}"}
        if caller in ("admin", "signer", "member"):
            return stranger
        acme_only = stranger | {"jewel id", "jewel title", "jewel body", "reclassification id",
                                "courted partnership id", "courted partnership name",
                                "partner invitation id", "invited email"}
        if caller == "recipient":
            return acme_only
        if caller == "guest":
            # why these: the re-shared disclosure's metadata (its id, title, agreement and
            # partnership ids, the stamp names the agreement) and its content are jo's to read
            return self.denied_secrets(caller) - {"disclosure id", "item id", "item title", "item body",
                                                  "agreement id", "partnership id"}
        # why not the item's title or the disclosure's id: globex's admin and signer (grace)
        # see what globex received, metadata only: its content stays the recipients'
        return acme_only | {"item body"}


def build_matrix_world(app: App) -> MatrixWorld:
    def uow() -> UnitOfWork:
        return app.uow()

    _, alice = orgs.create_org(uow(), handle="acme", name="Acme", admin_name="Alice",
                               admin_email="alice@acme.example",
                               profile=org_profile("acme"))
    sam = orgs.add_person(uow(), alice.id, org="acme", name="Sam", email="sam@acme.example",
                          roles=["signer", "member"])
    mia = orgs.add_person(uow(), alice.id, org="acme", name="Mia", email="mia@acme.example",
                          roles=["member"])
    _, grace = orgs.create_org(uow(), handle="globex", name="Globex", admin_name="Grace",
                               admin_email="grace@globex.example",
                               profile=org_profile("globex"))
    gina = orgs.add_person(uow(), grace.id, org="globex", name="Gina", email="gina@globex.example",
                           roles=["member"])
    _, ian = orgs.create_org(uow(), handle="initech", name="Initech", admin_name="Ian",
                             admin_email="ian@initech.example",
                               profile=org_profile("initech"))
    _, hank = orgs.create_org(uow(), handle="hooli", name="Hooli", admin_name="Hank",
                              admin_email="hank@hooli.example",
                               profile=org_profile("hooli"))
    people = {"admin": alice, "signer": sam, "member": mia, "recipient": gina, "partner": grace,
              "outsider": ian}

    with uow() as work:  # why first: jo's guest account exists once acme approves (below)
        now = work.clock()
        for caller, person in people.items():
            work.auth.set_password_hash(person.id, PASSWORD_HASH)
            work.auth.add_token(TokenRecord(id=new_id("tok"), person_id=person.id, name="matrix",
                                            created_at=now, expires_at=None, revoked_at=None),
                                hashlib.sha256(token_of(caller).encode()).hexdigest())
        spare = TokenRecord(id=new_id("tok"), person_id=alice.id, name="laptop", created_at=now,
                            expires_at=None, revoked_at=None)
        work.auth.add_token(spare, hashlib.sha256(f"{token_of('admin')}-spare".encode()).hexdigest())
        work.commit()

    partnership = partnerships.propose_partnership(uow(), alice.id, name=PARTNERSHIP_NAME,
                                                   purpose="new_product", invite=["globex"])
    partnerships.accept_partnership(uow(), grace.id, partnership.id)
    pending = partnerships.propose_partnership(uow(), alice.id, name=PENDING_NAME, purpose="other",
                                               invite=["globex"])
    courted = partnerships.propose_partnership(uow(), alice.id, name=COURTED_NAME, purpose="other",
                                               invite=["hooli"], invite_emails=[INVITED_EMAIL])
    [partner_invitation] = partner_invitations.list_invitations(uow(), alice.id, courted.id)

    agreement = agreements.draft_agreement(uow(), alice.id, partnership.id, nda_terms(app, PURPOSE))
    digest = agreement.current.digest
    sign_as(uow(), sam.id, agreement.id, digest=digest, title="General Counsel", password=PASSWORD)
    sign_as(uow(), grace.id, agreement.id, digest=digest, title="CEO", password=PASSWORD)
    ready_to_sign(uow(), alice.id)  # why: the signers of the partnership have consented; the rest not
    draft = agreements.draft_agreement(uow(), alice.id, partnership.id, nda_terms(app, DRAFT_PURPOSE))

    item = items.add_item(uow(), mia.id, title=ITEM_TITLE, classification="confidential",
                          topics=["thermal"], content=ITEM_BODY.encode())
    jewel = items.add_item(uow(), alice.id, title=JEWEL_TITLE, classification="restricted",
                           topics=["design"], content=JEWEL_BODY.encode())
    asked = items.update_item(uow(), sam.id, jewel.id, classification="confidential")
    assert asked.pending is not None

    disclosure = disclosures.disclose(uow(), alice.id, DisclosureDraft(
        item_id=item.id, agreement_id=agreement.id, recipients=[gina.email],
        actions=["view", "download"], note="for the thermal review"))
    message = messages.post_message(uow(), alice.id, partnership.id, body=MESSAGE_BODY,
                                    classification="internal")
    request = requests.open_request(uow(), gina.id, partnership.id, title=REQUEST_TITLE,
                                    details=REQUEST_DETAILS, due_on=app.clock().date().isoformat())
    _, invitation = auth.invite_person(uow(), alice.id, NewPerson.checked(
        org="acme", name="Nina", email="nina@acme.example", roles=["member"], password=None))
    assert invitation is not None

    named = representatives.name_representative(uow(), grace.id, agreement.id, {
        "organization": "Precision Parts Ltd", "name": "Jo", "email": "jo@precision.example",
        "reason": "Machines the Kestrel housing"})
    approved = representatives.approve_representative(uow(), alice.id, named.id)
    assert approved.person_id is not None
    reshares.reshare_disclosure(uow(), grace.id, disclosure.id, {
        "representative_id": named.id, "actions": ["view", "download"]})
    with uow() as work:
        jo = work.orgs.get_person(approved.person_id)
        assert jo is not None
        work.auth.set_password_hash(jo.id, PASSWORD_HASH)
        work.auth.add_token(TokenRecord(id=new_id("tok"), person_id=jo.id, name="matrix",
                                        created_at=work.clock(), expires_at=None, revoked_at=None),
                            hashlib.sha256(token_of("guest").encode()).hexdigest())
        work.commit()
    people["guest"] = jo

    return MatrixWorld(
        app=app, people=people, partnership=partnership.id, pending_partnership=pending.id,
        courted_partnership=courted.id, stranger=hank,
        agreement=agreement.id, draft_agreement=draft.id, draft_digest=draft.current.digest,
        item=item.id, jewel=jewel.id, reclassification=asked.pending.id, disclosure=disclosure.id,
        message=message.id, request=request.id, spare_token=spare.id, invitation=invitation,
        partner_invitation=partner_invitation.id, representative=named.id)
