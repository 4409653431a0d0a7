"""The partnership feed: post and read messages, under the agreement in force."""

from __future__ import annotations

from dataclasses import replace

from sharebound.domain.agreements import Agreement
from sharebound.domain.audit import partnership_log
from sharebound.domain.classification import Classification
from sharebound.domain.decisions import Decision, Reason
from sharebound.domain.errors import InvalidInput, Refused
from sharebound.domain.ids import new_id
from sharebound.domain.messages import MAX_BODY, Message
from sharebound.domain.rules import decide_message
from sharebound.services import gate
from sharebound.services.common import actor, record, required_text, visible_partnership
from sharebound.services.unit_of_work import UnitOfWork


def post_message(
    uow: UnitOfWork, actor_id: str, partnership_id: str, *, body: str, classification: str = "public"
) -> Message:
    text = required_text("body", body, MAX_BODY)
    try:
        level = Classification(classification)
    except ValueError:
        raise InvalidInput({"classification": "must be one of public, internal, confidential, "
                                              "restricted"}) from None
    with uow:
        person = actor(uow, actor_id)
        partnership = visible_partnership(uow, person, partnership_id, accepted=True)
        now = uow.clock()
        # A message is information too: the content gate reads it as it reads a note.
        content = tuple(Reason("content", "content", f.message)
                        for f in gate.text_findings(uow, person.org, text, level))
        agreement, digest = None, None
        if level is not Classification.PUBLIC:
            in_force = [a for a in uow.agreements.list_for_partnership(partnership.id)
                        if a.is_in_force(now)]
            # The newest agreement that covers this message, else the reasons of the newest one.
            def decide(a: Agreement | None) -> Decision:
                return decide_message(org=person.org, classification=level, agreement=a, now=now,
                                      audience=partnership.orgs)

            decisions: list[tuple[Agreement | None, Decision]] = [(a, decide(a)) for a in reversed(in_force)]
            decisions = decisions or [(None, decide(None))]
            agreement, decision = next(((a, d) for a, d in decisions if d.allowed), decisions[0])
            if not decision.allowed:
                raise Refused(Decision(decision.reasons + content))
            version = agreement.in_force_version(now) if agreement else None
            assert agreement is not None and version is not None  # decide_message checked it
            digest = version.digest
        if content:
            raise Refused(Decision(content))
        message = Message(
            id=new_id("msg"), partnership_id=partnership.id, org=person.org, author_id=person.id,
            body=text, classification=level, agreement_id=agreement.id if agreement else None,
            agreement_digest=digest, created_at=now)
        uow.messages.add(message)
        record(uow, partnership_log(partnership.id), "message_posted", person.id, message.id,
               {"classification": level.value, "agreement": message.agreement_id})
        uow.commit()
    return message


def list_messages(uow: UnitOfWork, actor_id: str, partnership_id: str) -> list[Message]:
    """The feed. A message above public is information under the agreement it was posted
    under: once that agreement is no longer in force, its body is withheld."""
    with uow.reading():
        partnership = visible_partnership(uow, actor(uow, actor_id), partnership_id,
                                          accepted=True)
        now = uow.clock()
        in_force = {a.id for a in uow.agreements.list_for_partnership(partnership.id) if a.is_in_force(now)}
        return [m if m.agreement_id is None or m.agreement_id in in_force
                else replace(m, body="", withheld=True)
                for m in uow.messages.list_for_partnership(partnership.id)]
