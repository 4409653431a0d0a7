"""Side doors a review found after the channels were gated: what else of one org's reaches another."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from sharebound.adapters.keys import KeyRing
from sharebound.adapters.sealed import SealedReader, Unreadable, seal
from sharebound.domain.addresses import address_kind
from sharebound.domain.errors import Refused
from sharebound.services import agreements, audit, disclosures, gate, items, requests, transparency
from sharebound.services.disclosures import DisclosureDraft
from tests.factories import terms_json
from tests.integration.world import World, changes_nothing


def _codes(refused: pytest.ExceptionInfo[Refused]) -> list[str]:
    return [r.message for r in refused.value.decision.reasons if r.code == "content"]


def test_a_requests_topic_passes_the_gate_too(world: World) -> None:
    gate.add_term(world.uow(), world.alice.id, "acme", "Kestrel")

    with changes_nothing(world), pytest.raises(Refused) as refused:
        requests.open_request(world.uow(), world.alice.id, world.partnership.id, title="Bench data",
                              due_on=world.app.clock().date(), topic="kestrel bench")

    assert any("the topic" in m and "Kestrel" in m for m in _codes(refused))


def test_an_items_title_topics_and_file_name_pass_the_gate_with_its_content(world: World) -> None:
    agreement = world.signed()
    gate.add_term(world.uow(), world.alice.id, "acme", "Kestrel")
    item = items.add_item(world.uow(), world.mia.id, title="Kestrel bench results",
                          classification="internal", topics=["thermal"], content=b"Drift under 0.2 K")
    draft = DisclosureDraft(item_id=item.id, agreement_id=agreement.id,
                            recipients=["gina@globex.example"], actions=["view"])

    with pytest.raises(Refused) as refused:
        disclosures.disclose(world.uow(), world.mia.id, draft)

    assert any(m.startswith("in the title, ") and "Kestrel" in m for m in _codes(refused))


def test_the_ndas_own_free_text_is_public_text_through_the_gate(world: World) -> None:
    gate.add_term(world.uow(), world.alice.id, "acme", "Kestrel")
    terms = terms_json(purpose="Evaluate the Kestrel sensor", effective_date="2027-03-01",
                       term_end="2028-03-01")

    with changes_nothing(world), pytest.raises(Refused) as refused:
        agreements.draft_agreement(world.uow(), world.alice.id, world.partnership.id, terms)

    assert any("the purpose" in m and "Kestrel" in m for m in _codes(refused))


def test_a_withheld_decline_reason_is_not_read_back_from_the_history_or_the_log(world: World) -> None:
    agreement = world.signed()
    asked = requests.open_request(world.uow(), world.gina.id, world.partnership.id, title="Raw data",
                                  due_on=world.app.clock().date(), classification="internal")
    requests.decline_request(world.uow(), world.alice.id, asked.id, reason="the oven runs at 85 C")
    agreements.terminate_agreement(world.uow(), world.grace.id, agreement.id, reason="Done")

    view = requests.get_request(world.uow(), world.gina.id, asked.id)
    log = audit.partnership_events(world.uow(), world.gina.id, world.partnership.id)

    declined = [e for e in (*view.history, *log) if e.kind == "request_declined"]
    assert view.request.withheld and len(declined) == 2
    assert all("reason" not in e.data for e in declined)
    # the transparency log seals that decline as a whole: its leaf, never its reason
    page = transparency.entries(world.uow(), world.gina.id, ("partnership", world.partnership.id),
                                0, 1000)
    opened = [e["opening"]["body"] for e in page["entries"] if e["opening"]]
    assert len(page["entries"]) == page["size"] > len(opened)
    assert not [b for b in opened if b["kind"] == "request_declined"]
    assert "the oven" not in str(page)


def test_a_sealed_blob_forged_as_empty_does_not_read_as_empty(tmp_path: Path, world: World) -> None:
    ring: KeyRing = world.app.keys
    key_id, data_key = ring.active()
    path = tmp_path / "blob"
    path.write_bytes(b"".join(seal(iter([b"x" * 3000]), key_id, data_key)))
    header_end = len(b"".join(seal(iter([b""]), key_id, data_key))) - 16
    forged = path.read_bytes()[:header_end] + bytes(16)  # the header, then a made-up final tag
    path.write_bytes(forged)

    with pytest.raises(Unreadable):
        SealedReader(path, ring.data_key).read()


def test_deprecated_site_local_ipv6_is_not_the_public_internet() -> None:
    assert address_kind(ipaddress.IPv6Address("fec0::1")) == "private"
