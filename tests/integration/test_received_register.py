"""One meaning of "received": the receiving org's admins and signers see everything their org
received (metadata; content stays the recipients'), and home, the partnership page, the API's
register and the digests agree; the discloser's access report."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sharebound.domain.errors import NotFound, PermissionDenied
from sharebound.domain.notifications import Mode
from sharebound.services import access_report, copies, disclosures, home, orgs, register
from sharebound.services.digests import digest_sections
from sharebound.services.disclosures import DisclosureDraft
from sharebound.services.pages.partnership import partnership_page
from tests.conftest import FakeClock
from tests.integration.world import World


def _disclose(world: World, agreement_id: str, to: str, body: str = "Drift under 0.2 K") -> str:
    return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
        item_id=world.note(body=body), agreement_id=agreement_id, recipients=[to],
        actions=["view", "download"])).id


def test_globex_admin_sees_the_org_whole_received_register_and_home_agrees(world: World) -> None:
    agreement = world.signed()
    to_gina = [_disclose(world, agreement.id, "gina@globex.example") for _ in range(2)]
    copies.download_disclosure(world.uow(), world.gina.id, to_gina[0])

    seen = register.list_register(world.uow(), world.grace.id, direction="received").rows
    summary = home.home(world.uow(), world.grace.id).partnerships[0]
    page = partnership_page(world.uow(), world.grace.id, world.partnership.id)

    assert sorted(v.disclosure.id for v in seen) == sorted(to_gina)
    assert summary.received_recently == len(seen) == 2
    assert page.inside is not None and len(page.inside.received.rows) == 2
    assert {v.disclosure.id: v.copies for v in seen} == {to_gina[0]: 1, to_gina[1]: 0}
    assert [p.name for v in seen for p in v.recipients] == ["Gina", "Gina"]


def test_a_member_reads_received_as_what_was_disclosed_to_them_everywhere(world: World) -> None:
    agreement = world.signed()
    _disclose(world, agreement.id, "grace@globex.example")
    mine = _disclose(world, agreement.id, "gina@globex.example")

    seen = register.list_register(world.uow(), world.gina.id, direction="received").rows

    assert [v.disclosure.id for v in seen] == [mine]
    assert home.home(world.uow(), world.gina.id).partnerships[0].received_recently == 1


def test_the_receiving_org_admin_reads_metadata_but_never_the_content(world: World) -> None:
    agreement = world.signed()
    made = _disclose(world, agreement.id, "gina@globex.example", body="secret-kestrel-body")

    view = register.view_disclosure(world.uow(), world.grace.id, made)

    assert view.item_title == "Thermal test results" and view.body is None
    with pytest.raises(NotFound):
        copies.download_disclosure(world.uow(), world.grace.id, made)
    with pytest.raises(NotFound):
        copies.open_view(world.uow(), world.grace.id, made)
    with pytest.raises(NotFound):  # a member of the receiving org who is not a recipient
        register.view_disclosure(world.uow(), world.gina.id,
                                 _disclose(world, agreement.id, "grace@globex.example"))


def test_the_digest_of_an_admin_lists_what_the_org_received(world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    _disclose(world, agreement.id, "gina@globex.example")
    since = clock.now - timedelta(hours=1)

    with world.uow().reading() as uow:
        sections = digest_sections(uow, world.grace, Mode.DAILY, since=since,
                                   until=clock.now + timedelta(hours=1))

    shared = next(s for s in sections if s.heading == "Shared with globex")
    assert [line.title for line in shared.lines] == ["acme: “Thermal test results”"]


def test_the_discloser_reads_who_viewed_and_downloaded_what_and_when(
        world: World, clock: FakeClock) -> None:
    agreement = world.signed()
    made = _disclose(world, agreement.id, "gina@globex.example")
    download = copies.download_disclosure(world.uow(), world.gina.id, made)
    clock.advance(minutes=5)
    register.view_disclosure(world.uow(), world.gina.id, made)

    report = access_report.disclosure_accesses(world.uow(), world.mia.id, made)
    by_agreement = access_report.agreement_access_report(world.uow(), world.alice.id, agreement.id)

    assert [(e.person_name, e.org, e.action) for e in report.entries] == [
        ("Gina", "globex", "view"), ("Gina", "globex", "download")]
    assert report.entries[1].copy_id == download.copy_id
    assert report.entries[0].at == clock.now
    assert by_agreement.entries == report.entries and by_agreement.complete


def test_the_access_report_is_only_the_discloser_org_s(world: World) -> None:
    agreement = world.signed()
    made = _disclose(world, agreement.id, "gina@globex.example")

    max_ = orgs.add_person(world.uow(), world.alice.id, org="acme", name="Max", email="max@acme.example",
                           roles=["member"])

    assert access_report.disclosure_accesses(world.uow(), world.sam.id, made).entries == []
    with pytest.raises(PermissionDenied):  # a member of acme who did not disclose it
        access_report.disclosure_accesses(world.uow(), max_.id, made)
    assert access_report.agreement_access_report(world.uow(), world.gina.id, agreement.id).entries == []
    for outsider in (world.gina, world.grace, world.ian):
        with pytest.raises(NotFound):
            access_report.disclosure_accesses(world.uow(), outsider.id, made)


def test_home_counts_the_last_30_days_to_the_second_across_day_boundaries(
    world: World, clock: FakeClock
) -> None:
    agreement = world.signed()
    _disclose(world, agreement.id, "gina@globex.example")
    clock.advance(hours=13)
    _disclose(world, agreement.id, "gina@globex.example")  # the part of a day counted row by row
    clock.advance(days=20)
    _disclose(world, agreement.id, "gina@globex.example")  # a whole day, summed by day

    def recently() -> tuple[int, int, int]:
        return (home.home(world.uow(), world.grace.id).partnerships[0].received_recently,
                home.home(world.uow(), world.gina.id).partnerships[0].received_recently,
                home.home(world.uow(), world.mia.id).partnerships[0].given_recently)

    clock.advance(days=10, hours=-6)  # 30 days and 7 hours after the first
    assert recently() == (2, 2, 2)
    clock.advance(days=1)
    assert recently() == (1, 1, 1)


def test_home_lists_what_the_person_received_that_ends_within_a_week_soonest_first(
    world: World, clock: FakeClock
) -> None:
    agreement = world.signed()
    start = clock()

    def ending_in(days: int, to: str = "gina@globex.example") -> str:
        return disclosures.disclose(world.uow(), world.mia.id, DisclosureDraft(
            item_id=world.note(), agreement_id=agreement.id, recipients=[to], actions=["view"],
            expires_at=start + timedelta(days=days))).id

    late, soon, sooner, revoked = ending_in(30), ending_in(12), ending_in(10), ending_in(11)
    ending_in(10, to="grace@globex.example")  # someone else's
    disclosures.revoke_disclosure(world.uow(), world.mia.id, revoked)
    clock.advance(days=5)  # soon and sooner now end within the week; the revoked one is over

    assert [d.id for d in home.home(world.uow(), world.gina.id).expiring] == [sooner, soon]
    clock.advance(days=5, hours=1)  # sooner has ended
    assert [d.id for d in home.home(world.uow(), world.gina.id).expiring] == [soon]
    assert late not in [d.id for d in home.home(world.uow(), world.gina.id).expiring]
