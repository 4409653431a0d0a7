"""Representatives and re-shares (issue 14, item 4): globex names its contract manufacturer,
acme approves, the guest is invited by email, globex re-shares within the original's bounds,
the chain is stamped and traced, and every refusal is a clear error that changes nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from sharebound.domain.agreements import Agreement
from sharebound.domain.audit import partnership_log
from sharebound.domain.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Refused
from sharebound.domain.orgs import Person
from sharebound.domain.representatives import Representative, RepresentativeState
from sharebound.services import (
    access_report,
    agreements,
    auth,
    copies,
    disclosures,
    items,
    notices,
    register,
    representatives,
    reshares,
    returns,
    trace,
)
from sharebound.services.disclosures import DisclosureDraft
from sharebound.services.worker import run_pass
from tests.conftest import FakeClock
from tests.integration.notify_helpers import outbox_rows, told
from tests.integration.servers import smtp_server
from tests.integration.test_notices import BASE, mailing
from tests.integration.world import World, changes_nothing

JO = {"organization": "Precision Parts Ltd", "name": "Jo Smith", "email": "jo@precision.example",
      "reason": "Machines the housing from the drawing"}


def _disclosed(world: World, agreement: Agreement, actions: tuple[str, ...] = ("view", "download"),
               **draft: Any) -> str:
    return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(), agreement_id=agreement.id, recipients=["gina@globex.example"],
        actions=list(actions), **draft)).id


def _named(world: World, agreement: Agreement, **fields: str) -> Representative:
    return representatives.name_representative(world.uow(), world.grace.id, agreement.id, JO | fields)


def _invitation_token(world: World, email: str) -> str:
    uow = world.uow()
    with uow.reading():
        for row in outbox_rows(world):
            payload = json.loads(row.payload)
            if payload.get("kind") == representatives.EMAIL_KIND and payload["to"] == email:
                return representatives.token_of(uow, payload)
    raise AssertionError(f"no invitation to {email} in the outbox")


def _approved_guest(world: World, agreement: Agreement) -> tuple[Representative, Person]:
    """Jo, named by globex and approved by acme, who accepted the emailed invitation."""
    named = _named(world, agreement)
    approved = representatives.approve_representative(world.uow(), world.alice.id, named.id)
    guest = auth.accept_invitation(world.uow(), token=_invitation_token(world, JO["email"]),
                                   password="jo's own passphrase")
    assert guest.id == approved.person_id
    return approved, guest


def test_globex_reshares_to_its_approved_representative_who_reads_a_copy_stamped_with_the_chain(
        world: World) -> None:
    agreement = world.signed()
    made = _disclosed(world, agreement)
    representative, jo = _approved_guest(world, agreement)

    reshare = reshares.reshare_disclosure(world.uow(), world.grace.id, made, {
        "representative_id": representative.id, "actions": ["view", "download"]})
    download = copies.download_disclosure(world.uow(), jo.id, made)

    assert representative.state is RepresentativeState.APPROVED and representative.decided_org == "acme"
    assert jo.org.startswith("rep-") and jo.roles == frozenset()
    assert download.content is not None and download.copy_id is not None
    stamped = download.content.decode()
    assert ("disclosed by Acme → Globex to Jo Smith <jo@precision.example> (Precision Parts Ltd)"
            in stamped)
    [view] = reshares.list_reshares(world.uow(), world.alice.id, made).rows
    assert (view.reshare.id, view.representative.name, view.discloser) == (reshare.id, "Jo Smith", "acme")
    [entry] = access_report.disclosure_accesses(world.uow(), world.alice.id, made).entries
    assert (entry.person_name, entry.representative_of) == (
        "Jo Smith", "Precision Parts Ltd, representative of globex")
    owed = returns.copies_to_return(world.uow(), world.grace.id, agreement.id)
    assert [(c.person_name, c.copy_id) for c in owed.copies] == [("Jo Smith", download.copy_id)]
    traced = trace.trace_copy_id(world.uow(), None, download.copy_id)
    assert traced.chain is not None and traced.chain.startswith(
        "acme → globex → Jo Smith <jo@precision.example> (Precision Parts Ltd)")
    assert [s.disclosure.id for s in reshares.shared_with_me(world.uow(), jo.id)] == [made]


def test_the_guest_sees_nothing_but_what_was_reshared_to_them(world: World) -> None:
    agreement = world.signed()
    made = _disclosed(world, agreement)
    other = _disclosed(world, agreement)
    representative, jo = _approved_guest(world, agreement)
    reshares.reshare_disclosure(world.uow(), world.grace.id, made, {
        "representative_id": representative.id, "actions": ["view"]})

    with pytest.raises(NotFound):
        copies.open_view(world.uow(), jo.id, other)
    with pytest.raises(NotFound):
        representatives.list_representatives(world.uow(), jo.id, agreement.id)
    with pytest.raises(Refused) as refused:
        copies.download_disclosure(world.uow(), jo.id, made)  # view only: never wider
    assert refused.value.decision.codes == ("actions",)
    assert register.list_register(world.uow(), jo.id, direction="received").rows == []
    assert register.list_register(world.uow(), jo.id, direction="given").rows == []
    seen = register.view_disclosure(world.uow(), jo.id, made)
    assert seen.recipients == () and seen.body is None  # not globex's people; content stamped only
    assert items.list_items(world.uow(), jo.id) == []


def test_revoking_the_original_ends_the_representatives_access_at_once(world: World) -> None:
    agreement = world.signed()
    made = _disclosed(world, agreement)
    representative, jo = _approved_guest(world, agreement)
    reshares.reshare_disclosure(world.uow(), world.grace.id, made, {
        "representative_id": representative.id, "actions": ["view"]})
    copies.open_view(world.uow(), jo.id, made)

    disclosures.revoke_disclosure(world.uow(), world.alice.id, made)

    for person in (jo, world.gina):
        with pytest.raises(Refused) as refused:
            copies.open_view(world.uow(), person.id, made)
        assert "revoked" in refused.value.decision.codes


def test_withdrawing_a_representative_ends_their_access(world: World) -> None:
    agreement = world.signed()
    made = _disclosed(world, agreement)
    representative, jo = _approved_guest(world, agreement)
    reshares.reshare_disclosure(world.uow(), world.grace.id, made, {
        "representative_id": representative.id, "actions": ["view"]})

    withdrawn = representatives.withdraw_representative(world.uow(), world.grace.id, representative.id)

    assert withdrawn.state is RepresentativeState.WITHDRAWN
    # no longer anyone's representative: the disclosure, its title and note included, is gone
    with pytest.raises(NotFound):
        copies.open_view(world.uow(), jo.id, made)
    with pytest.raises(NotFound):
        register.view_disclosure(world.uow(), jo.id, made)


def test_a_demand_for_return_covers_the_representatives_copies(world: World) -> None:
    agreement = world.signed()
    made = _disclosed(world, agreement)
    representative, jo = _approved_guest(world, agreement)
    reshares.reshare_disclosure(world.uow(), world.grace.id, made, {
        "representative_id": representative.id, "actions": ["download"]})
    copy = copies.download_disclosure(world.uow(), jo.id, made).copy_id

    notices.send_notice(world.uow(), world.alice.id, agreement.id,
                        {"kind": "demand_return", "body": "Return everything"})

    with pytest.raises(Refused) as refused:
        copies.download_disclosure(world.uow(), jo.id, made)
    assert "demanded" in refused.value.decision.codes
    owed = returns.copies_to_return(world.uow(), world.grace.id, agreement.id)
    assert [c.copy_id for c in owed.copies] == [copy]
    [to_acme] = returns.returns_owed(world.uow(), world.alice.id, agreement.id)
    assert [c.copy_id for c in to_acme.copies] == [copy]


def test_acme_declines_with_a_reason_and_nobody_is_invited(world: World) -> None:
    agreement = world.signed()
    named = _named(world, agreement)

    declined = representatives.decline_representative(world.uow(), world.sam.id, named.id,
                                                      "Not under this NDA")

    assert (declined.state, declined.decision_reason, declined.person_id) == (
        RepresentativeState.DECLINED, "Not under this NDA", None)
    assert not [r for r in outbox_rows(world)
                if json.loads(r.payload).get("kind") == representatives.EMAIL_KIND]
    with pytest.raises(Conflict):
        representatives.approve_representative(world.uow(), world.alice.id, named.id)


def test_each_decision_is_in_the_partnerships_log(world: World) -> None:
    agreement = world.signed()
    made = _disclosed(world, agreement)
    representative, _ = _approved_guest(world, agreement)
    reshares.reshare_disclosure(world.uow(), world.grace.id, made, {
        "representative_id": representative.id, "actions": ["view"]})
    representatives.withdraw_representative(world.uow(), world.grace.id, representative.id)

    with world.uow() as uow:
        kinds = [e.kind for e in uow.events.read(partnership_log(world.partnership.id))]
    assert [k for k in kinds if k.startswith(("representative_", "disclosure_reshared"))] == [
        "representative_named", "representative_approved", "disclosure_reshared",
        "representative_withdrawn"]


def test_the_approved_representative_is_invited_by_email_and_signs_in_with_the_link(world: World) -> None:
    agreement = world.signed()
    named = _named(world, agreement)
    with smtp_server() as (inbox, port):
        representatives.approve_representative(world.uow(), world.alice.id, named.id)
        run_pass(mailing(world, port), "test-worker", schedules=False)
        [email] = [m for m in inbox.messages if m["To"] == JO["email"]]

    text = inbox.parts(email)["text/plain"]
    assert email["Subject"] == "Sharebound: Globex named you its representative"
    assert "Acme approved" in text and "Thermal" not in text  # who, never what
    link = next(line for line in text.splitlines() if line.startswith(f"{BASE}/invitations/accept?"))
    token = parse_qs(urlsplit(link).query)["token"][0]
    guest = auth.accept_invitation(world.uow(), token=token, password="jo's own passphrase")
    assert guest.email == JO["email"] and guest.org.startswith("rep-")


def test_each_step_tells_the_other_side_in_titles_only(world: World) -> None:
    agreement = world.signed()
    made = _disclosed(world, agreement)
    representative, _ = _approved_guest(world, agreement)

    reshares.reshare_disclosure(world.uow(), world.grace.id, made, {
        "representative_id": representative.id, "actions": ["view"]})

    heard = {(name, kind, title) for name, kind, title in told(world)
             if kind in ("representative", "reshared")}
    assert heard == {
        ("Alice", "representative", "globex named Jo Smith (Precision Parts Ltd) its representative: "
                                    "approve or decline"),
        ("Sam", "representative", "globex named Jo Smith (Precision Parts Ltd) its representative: "
                                  "approve or decline"),
        ("Grace", "representative",
         "acme approved Jo Smith (Precision Parts Ltd) as globex's representative"),
        ("Alice", "reshared", "globex re-shared “Thermal test results” to its representative Jo Smith "
                              "(Precision Parts Ltd)"),
        ("Sam", "reshared", "globex re-shared “Thermal test results” to its representative Jo Smith "
                            "(Precision Parts Ltd)"),
        ("Mia", "reshared", "globex re-shared “Thermal test results” to its representative Jo Smith "
                            "(Precision Parts Ltd)")}


# --- bad input: a clear 4xx that changes nothing ----------------------------------------------

@pytest.mark.parametrize("email", ["gina@globex.example", "alice@acme.example"])
def test_a_representative_from_a_partners_own_org_is_refused(world: World, email: str) -> None:
    agreement = world.signed()

    with changes_nothing(world), pytest.raises(Refused) as refused:
        _named(world, agreement, email=email)
    assert refused.value.decision.codes == ("representative",)


def test_a_malformed_email_is_refused_naming_the_field(world: World) -> None:
    agreement = world.signed()

    with changes_nothing(world), pytest.raises(InvalidInput) as bad:
        _named(world, agreement, email="jo at precision")
    assert set(bad.value.errors) == {"email"}


def test_missing_fields_are_all_named_at_once(world: World) -> None:
    agreement = world.signed()

    with changes_nothing(world), pytest.raises(InvalidInput) as bad:
        representatives.name_representative(world.uow(), world.grace.id, agreement.id, {})
    assert set(bad.value.errors) == {"organization", "name", "email", "reason"}


def test_a_representative_under_an_agreement_not_in_force_is_refused(world: World) -> None:
    draft = world.draft()

    with changes_nothing(world), pytest.raises(Refused) as refused:
        _named(world, draft)
    assert refused.value.decision.codes == ("in_force",)


def test_the_disclosing_party_of_a_one_way_agreement_names_no_representative(world: World) -> None:
    agreement = world.signed(kind="one_way", disclosing_parties=["acme"])

    with changes_nothing(world), pytest.raises(Refused) as refused:
        representatives.name_representative(world.uow(), world.alice.id, agreement.id, JO)
    assert refused.value.decision.codes == ("party",)


def test_a_member_who_answers_for_nothing_names_no_representative(world: World) -> None:
    agreement = world.signed()

    with changes_nothing(world), pytest.raises(PermissionDenied):
        representatives.name_representative(world.uow(), world.gina.id, agreement.id, JO)


def test_approving_ones_own_representative_is_refused(world: World) -> None:
    agreement = world.signed()
    named = _named(world, agreement)

    with changes_nothing(world), pytest.raises(Refused) as refused:
        representatives.approve_representative(world.uow(), world.grace.id, named.id)
    assert refused.value.decision.codes == ("party",)


def test_a_representative_is_not_approved_once_the_agreement_ended(world: World) -> None:
    agreement = world.signed()
    named = _named(world, agreement)
    agreements.terminate_agreement(world.uow(), world.grace.id, agreement.id, reason="Done")

    with changes_nothing(world), pytest.raises(Refused) as refused:
        representatives.approve_representative(world.uow(), world.alice.id, named.id)
    assert refused.value.decision.codes == ("in_force",)


def test_an_outsider_cannot_see_or_decide_a_representative(world: World) -> None:
    agreement = world.signed()
    named = _named(world, agreement)

    with changes_nothing(world), pytest.raises(NotFound):
        representatives.approve_representative(world.uow(), world.ian.id, named.id)


def test_a_reshare_beyond_the_originals_window_or_actions_is_refused(world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    made = _disclosed(world, agreement, actions=("view",), expires_at=clock.now + timedelta(days=10))
    representative, _ = _approved_guest(world, agreement)

    with changes_nothing(world), pytest.raises(Refused) as refused:
        reshares.reshare_disclosure(world.uow(), world.grace.id, made, {
            "representative_id": representative.id, "actions": ["view", "download"],
            "expires_at": (clock.now + timedelta(days=11)).isoformat()})
    assert sorted(refused.value.decision.codes) == ["actions", "window"]


def test_a_crown_jewel_is_never_reshared(world: World) -> None:
    agreement = world.signed()
    made = _disclosed(world, agreement)
    representative, _ = _approved_guest(world, agreement)
    items.update_item(world.uow(), world.alice.id, _item_of(world, made), classification="restricted")

    with changes_nothing(world), pytest.raises(Refused) as refused:
        reshares.reshare_disclosure(world.uow(), world.grace.id, made, {
            "representative_id": representative.id, "actions": ["view"]})
    assert refused.value.decision.codes == ("ceiling",)


def test_a_reshare_of_a_revoked_disclosure_or_to_a_pending_representative_is_refused(world: World) -> None:
    agreement = world.signed()
    made = _disclosed(world, agreement)
    pending = _named(world, agreement)
    disclosures.revoke_disclosure(world.uow(), world.alice.id, made)

    with changes_nothing(world), pytest.raises(Refused) as refused:
        reshares.reshare_disclosure(world.uow(), world.grace.id, made, {
            "representative_id": pending.id, "actions": ["view"]})
    assert sorted(refused.value.decision.codes) == ["representative", "revoked"]


def test_the_discloser_does_not_reshare_its_own_disclosure(world: World) -> None:
    agreement = world.signed()
    made = _disclosed(world, agreement)
    representative, _ = _approved_guest(world, agreement)

    with changes_nothing(world), pytest.raises(PermissionDenied):
        reshares.reshare_disclosure(world.uow(), world.alice.id, made, {
            "representative_id": representative.id, "actions": ["view"]})


def _item_of(world: World, disclosure_id: str) -> str:
    with world.uow() as uow:
        found = uow.disclosures.get(disclosure_id)
        assert found is not None
        return str(found.item_id)
