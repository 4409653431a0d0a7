"""A rich fictional demo instance, built through the same use cases as everything else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from sharebound.bootstrap import App
from sharebound.domain.errors import Refused
from sharebound.domain.esign import CURRENT_STATEMENT
from sharebound.services import (
    agreements,
    disclosures,
    esign,
    executed,
    folders,
    items,
    messages,
    notices,
    orgs,
    partnerships,
    representatives,
    requests,
    reshares,
)
from sharebound.services.disclosures import DisclosureDraft

DEMO_PASSWORD = "sharebound-demo"  # why: a fictional instance, printed for people to try
GUEST_EMAIL = "pat@precision-parts.example"  # globex's contract manufacturer, a representative
DEMO_WEEKS = 6  # why: six weeks of history give the give-and-take charts a trend to show

# handle -> the org's legal profile: it fills the cover page of every agreement it drafts
PROFILES = {
    "acme": {"legal_name": "Acme Sensors, Inc.",
             "address": "100 Innovation Way\nWilmington, DE 19801\nUnited States",
             "notice_name": "Sam Stone, General Counsel", "notice_email": "legal@acme.example"},
    "globex": {"legal_name": "Globex Manufacturing GmbH",
               "address": "Industriestrasse 12\n70565 Stuttgart\nGermany",
               "notice_name": "Gus Gold, VP Legal", "notice_email": "legal@globex.example"},
    "initech": {"legal_name": "Initech Labs LLC",
                "address": "4120 Freidrich Lane\nAustin, TX 78744\nUnited States",
                "notice_name": "Ian Ito, CEO", "notice_email": "legal@initech.example"},
}

# handle, name, [(name, email, roles)]: the first person is the org's first admin.
ORGS = [
    ("acme", "Acme Sensors", [
        ("Alice Archer", "alice@acme.example", ["admin", "signer", "member"]),
        ("Sam Stone", "sam@acme.example", ["signer", "member"]),
        ("Mia Moreno", "mia@acme.example", ["member"]),
    ]),
    ("globex", "Globex Manufacturing", [
        ("Grace Green", "grace@globex.example", ["admin", "signer", "member"]),
        ("Gus Gold", "gus@globex.example", ["signer", "member"]),
        ("Gina Gray", "gina@globex.example", ["member"]),
    ]),
    ("initech", "Initech Labs", [
        ("Ian Ito", "ian@initech.example", ["admin", "signer", "member"]),
        ("Iris Ivers", "iris@initech.example", ["member"]),
    ]),
]


@dataclass
class DemoReport:
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # org, email, roles
    refusal: list[str] = field(default_factory=list)
    created: bool = True


def demo_exists(core: App) -> bool:
    with core.uow() as uow:
        return uow.orgs.get_org("acme") is not None


def build_demo(core: App, step: Callable[[str], None] = lambda _: None) -> DemoReport:
    """Create the demo; `step` is told what each stage is doing (for progress)."""
    report = DemoReport()
    if demo_exists(core):
        report.created = False
        report.logins = [(h, e, ",".join(r)) for h, _, people in ORGS for _, e, r in people]
        report.logins.append(("precision (globex's representative)", GUEST_EMAIL, "guest"))
        return report
    travel = _Travel(core.clock, DEMO_WEEKS)  # the story starts weeks ago and comes up to now
    core = replace(core, clock=travel)
    uow = core.uow
    ids: dict[str, str] = {}

    step("organizations and people")
    for handle, name, people in ORGS:
        (admin_name, admin_email, _), *others = people
        _, admin = orgs.create_org(uow(), handle=handle, name=name, admin_name=admin_name,
                                   admin_email=admin_email, admin_password=DEMO_PASSWORD,
                                   profile=PROFILES[handle])
        ids[admin_email] = admin.id
        for person_name, email, roles in others:
            ids[email] = orgs.add_person(uow(), admin.id, org=handle, name=person_name, email=email,
                                         roles=roles, password=DEMO_PASSWORD).id
        report.logins += [(handle, e, ",".join(r)) for _, e, r in people]
    alice, sam, mia = ids["alice@acme.example"], ids["sam@acme.example"], ids["mia@acme.example"]
    grace, gus, gina = ids["grace@globex.example"], ids["gus@globex.example"], ids["gina@globex.example"]
    ian = ids["ian@initech.example"]

    step("partnerships")
    sensor = partnerships.propose_partnership(
        uow(), alice, name="Joint thermal sensor", purpose="new_product", invite=["globex"])
    partnerships.accept_partnership(uow(), grace, sensor.id)
    calibration = partnerships.propose_partnership(
        uow(), ian, name="Calibration data supply", purpose="cost_efficiency", invite=["acme"])
    partnerships.accept_partnership(uow(), alice, calibration.id)

    step("agreements")
    today = core.clock().date()
    for signer in (sam, gus, ian):  # why: each signer consents to e-signing before signing
        esign.give_consent(uow(), signer, statement_sha256=CURRENT_STATEMENT.sha256)
    mutual = agreements.draft_agreement(uow(), alice, sensor.id, _terms(
        kind="mutual", parties=["acme", "globex"], today=today,
        purpose="Evaluate and design a joint thermal sensor for industrial enclosures",
        schedule={"ceiling": "confidential", "topics_excluded": ["pricing"],
                  "recipients": {"mode": "all_members"}, "actions": ["view", "download"],
                  "max_access_days": 90}))
    agreements.sign_agreement(uow(), sam, mutual.id, digest=mutual.current.digest, title="General Counsel",
                              password=DEMO_PASSWORD)
    agreements.sign_agreement(uow(), gus, mutual.id, digest=mutual.current.digest, title="VP Legal",
                              password=DEMO_PASSWORD)
    one_way = agreements.draft_agreement(uow(), ian, calibration.id, _terms(
        kind="one_way", parties=["acme", "initech"], disclosing_parties=["initech"], today=today,
        purpose="Assess Initech's calibration data for Acme's production line",
        schedule={"ceiling": "internal", "recipients": {"mode": "roles", "roles": ["admin", "signer"]},
                  "actions": ["view"], "max_access_days": 30}))
    agreements.sign_agreement(uow(), ian, one_way.id, digest=one_way.current.digest, title="CEO",
                              password=DEMO_PASSWORD)
    agreements.sign_agreement(uow(), sam, one_way.id, digest=one_way.current.digest, title="General Counsel",
                              password=DEMO_PASSWORD)
    executed.make_pending_executed_copies(uow())  # what the worker does after the last signature

    step("items")
    note = _note_adder(core)
    note(mia, "Product brochure", "public", ["marketing"], "Acme ThermoSense: rugged sensing for hot places.")
    guide = note(alice, "Integration guide", "internal", ["integration"],
                 "Mount the sensor on the enclosure's inner wall; 24 V supply; CAN bus at 500 kbit/s.")
    thermal = note(mia, "Thermal test results", "confidential", ["thermal", "testing"],
                   "Chamber runs at 85 °C for 500 h: drift under 0.2 K; two failures at the solder joint.")
    die = note(sam, "Sensor die layout", "restricted", ["design"],
               "Crown jewel: the die layout and trimming procedure of the ThermoSense core.")
    prices = note(alice, "Price list 2027", "confidential", ["pricing"], "Volume prices for 2027.")
    enclosure = note(gina, "Enclosure drawings", "confidential", ["mechanical"],
                     "IP67 enclosure, wall 3 mm, sensor pocket 12 x 8 mm at the hot side.")
    note(grace, "Assembly line capacity", "internal", ["manufacturing"], "Line 3: 40,000 units per month.")
    procedure = note(ian, "Calibration procedure", "internal", ["calibration"],
                     "Three-point calibration at 0, 50 and 100 °C against a reference probe.")

    step("folders")
    programme = folders.create_folder(uow(), alice, "Sensor programme")
    documentation = folders.create_folder(uow(), alice, "Documentation", programme.id)
    reports = folders.create_folder(uow(), alice, "Test reports", programme.id)
    items.update_item(uow(), alice, guide, folder_id=documentation.id)
    items.update_item(uow(), alice, thermal, folder_id=reports.id)

    step("requests")
    due = today + timedelta(days=10)
    thermal_request = requests.open_request(
        uow(), gina, sensor.id, title="Thermal test results", due_on=due, topic="thermal",
        details="Drift over temperature for the enclosure design review.", assignee="mia@acme.example")
    footprint_request = requests.open_request(
        uow(), grace, sensor.id, title="Sensor footprint drawings", due_on=due,
        topic="mechanical", details="The PCB footprint, to place the sensor pocket.")
    yield_request = requests.open_request(
        uow(), sam, sensor.id, title="Assembly yield figures", topic="manufacturing",
        due_on=today + timedelta(days=5), details="Line 3 yield for the last quarter.")

    step("disclosures")
    expires = core.clock() + timedelta(days=60)
    thermal_disclosure = disclosures.disclose(uow(), mia, DisclosureDraft(  # answers globex's request
        item_id=thermal, agreement_id=mutual.id, recipients=["gina@globex.example"],
        actions=["view", "download"], expires_at=expires, note="For the enclosure design review",
        request_id=thermal_request.id))
    disclosures.disclose(uow(), alice, DisclosureDraft(
        item_id=guide, agreement_id=mutual.id,
        recipients=["grace@globex.example", "gina@globex.example"], actions=["view"]))
    disclosures.disclose(uow(), gina, DisclosureDraft(
        item_id=enclosure, agreement_id=mutual.id, recipients=["mia@acme.example"],
        actions=["view", "download"], note="Where your sensor goes"))
    try:
        disclosures.disclose(uow(), sam, DisclosureDraft(
            item_id=die, agreement_id=mutual.id, recipients=["gina@globex.example"], actions=["download"]))
    except Refused as refused:
        report.refusal = [f"{r.code} ({r.term}): {r.message}" for r in refused.decision.reasons]
    try:
        disclosures.disclose(uow(), alice, DisclosureDraft(
            item_id=prices, agreement_id=mutual.id, recipients=["grace@globex.example"], actions=["view"]))
    except Refused as refused:
        report.refusal += [f"{r.code} ({r.term}): {r.message}" for r in refused.decision.reasons]

    step("weeks of sharing")
    give = _giver(core, note)
    for week in range(1, DEMO_WEEKS):
        travel.advance(days=7)
        if week == 1:
            give(gina, "mia", "Enclosure thermal model", "confidential", "thermal", mutual.id)
            give(mia, "gina", "Sensor datasheet", "public", "marketing", mutual.id)
        elif week == 2:  # answers acme's request, due in week 1: late
            give(grace, "sam", "Assembly yield figures", "internal", "manufacturing", mutual.id,
                 request_id=yield_request.id)
            give(gina, "mia", "Connector pinout", "internal", "integration", mutual.id)
        elif week == 3:  # answers globex's request, due ten days after it was asked: late
            give(alice, "grace", "Sensor footprint drawings", "confidential", "mechanical", mutual.id,
                 request_id=footprint_request.id)
            give(gina, "mia", "Test fixture photos", "internal", "testing", mutual.id)
            give(grace, "alice", "Production ramp plan", "internal", "manufacturing", mutual.id)
        elif week == 4:
            give(gina, "mia", "Enclosure revision B", "confidential", "mechanical", mutual.id)
            disclosures.disclose(uow(), ian, DisclosureDraft(
                item_id=procedure, agreement_id=one_way.id, recipients=["alice@acme.example"],
                actions=["view"]))
        else:
            give(gina, "mia", "Field trial schedule", "internal", "testing", mutual.id)
            give(grace, "alice", "Supplier audit summary", "internal", "manufacturing", mutual.id)
    travel.catch_up()
    today = travel().date()
    requests.open_request(uow(), alice, sensor.id, title="Field trial results", topic="testing",
                          due_on=today + timedelta(days=7), details="The first field trial's readings.")

    step("messages")
    messages.post_message(uow(), alice, sensor.id, body="Welcome aboard! The NDA is signed; let's share.")
    question = messages.post_message(
        uow(), gina, sensor.id, classification="confidential", disclosure_id=thermal_disclosure.id,
        body="The drift figures look good; can we get the solder joint failure photos?")
    messages.post_message(uow(), mia, sensor.id, reply_to=question.id,
                          body="@gina photos next week, after the next chamber run. @sam can you book it?")

    step("notices")  # a notice under the mutual NDA, for acme's legal to acknowledge (docs/obligations.md)
    notices.send_notice(uow(), grace, mutual.id, {
        "kind": "compelled_disclosure", "to_whom": "The customs authority",
        "order": "Import audit request 2027-114", "deadline": (today + timedelta(days=14)).isoformat(),
        "body": "Customs asks for the enclosure's material list, which cites the sensor's thermal limits."})

    step("representatives")  # globex's contract manufacturer, approved by acme, one re-share
    named = representatives.name_representative(uow(), grace, mutual.id, {
        "organization": "Precision Parts Ltd", "name": "Pat Moreno", "email": GUEST_EMAIL,
        "reason": "Machines the enclosure around the sensor: needs the thermal limits"})
    approved = representatives.approve_representative(uow(), sam, named.id)
    assert approved.person_id is not None
    with uow() as work:  # why: the demo's guest signs in with the demo password, not an email link
        work.auth.set_password_hash(approved.person_id, core.passwords.hash(DEMO_PASSWORD))
        work.commit()
    reshares.reshare_disclosure(uow(), grace, thermal_disclosure.id, {
        "representative_id": named.id, "actions": ["view"]})
    report.logins.append(("precision (globex's representative)", GUEST_EMAIL, "guest"))
    return report


class _Travel:
    """The demo's clock: it starts `weeks` before now and moves forward as the story goes,
    never past the real clock's now."""

    def __init__(self, real: Callable[[], datetime], weeks: int) -> None:
        self.real = real
        self.now = real() - timedelta(weeks=weeks)

    def __call__(self) -> datetime:
        return min(self.now, self.real())

    def advance(self, days: int) -> None:
        self.now += timedelta(days=days)

    def catch_up(self) -> None:
        self.now = self.real()


def _giver(core: App, note: Callable[[str, str, str, list[str], str], str]) -> Callable[..., str]:
    """Disclose a new note to one person of the partner (`to`: a handle's first part)."""
    domains = {"alice": "acme", "sam": "acme", "mia": "acme", "grace": "globex", "gina": "globex"}

    def give(by: str, to: str, title: str, level: str, topic: str, agreement_id: str,
             request_id: str | None = None) -> str:
        item = note(by, title, level, [topic], f"{title}: the details for the joint sensor.")
        return disclosures.disclose(core.uow(), by, DisclosureDraft(
            item_id=item, agreement_id=agreement_id, recipients=[f"{to}@{domains[to]}.example"],
            actions=["view"], request_id=request_id)).id
    return give


def _note_adder(core: App) -> Callable[[str, str, str, list[str], str], str]:
    def add(person: str, title: str, level: str, topics: list[str], body: str) -> str:
        return items.add_item(core.uow(), person, title=title, classification=level, topics=topics,
                              content=body.encode("utf-8")).id
    return add


def _terms(*, kind: str, parties: list[str], today: date, purpose: str, schedule: dict[str, Any],
           disclosing_parties: list[str] | None = None) -> dict[str, Any]:
    return {
        "kind": kind, "parties": parties, "disclosing_parties": disclosing_parties or [],
        "purpose": purpose, "effective_date": today.isoformat(),
        "term_end": (today + timedelta(days=365)).isoformat(),
        "confidentiality_years": 3, "governing_law": "Delaware",
        "courts": "the state and federal courts located in New Castle County, Delaware",
        # the governing document (our latest standard terms for the kind) and each party's
        # legal name, address and notice contact come from the orgs' legal profiles
        "modifications": ("Section 12 (Export control) also covers the EU Dual-Use Regulation "
                          "(EU) 2021/821.") if kind == "mutual" else "",
        "schedule": schedule,
    }
