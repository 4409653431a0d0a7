"""The disclosure rule (DESIGN.md, "The two rules") written a second time, as Cedar policies.

`tests/unit/test_cedar_differential.py` checks that `decide_disclosure` and these policies
answer every generated case alike; `bench/bench_rules.py` uses them as the speed reference.

The request is  principal = Org::"<discloser>", action = Action::"disclose",
resource = Item::"<item id>", and the context carries the agreement's facts (taken from the
agreement's governing version, as the rule does) and the request's facts. Times are whole
microseconds since the Unix epoch, so no rounding separates the two sides.

The policy set is one `permit` for every disclosure plus one `forbid` per way to fail. Each
forbid's `@id` is "<reason code>" or "<reason code>:<which check>", so the codes of the
forbids that fire can be compared with the codes `decide_disclosure` returns.

What Python computes before Cedar sees the request (and why):

- `agreement.in_force`: the agreement's status (signatures, effective date, term end,
  termination) is computed by `Agreement.status`; the rule only asks whether it is in force.
- The projections `recipient_orgs`, `recipient_emails`, `recipient_role_keys`: the set of the
  recipients' orgs, of their emails, and of their role sets (each role set written as one
  string, "admin+member", "" for none). Cedar has no quantifier or map over a set of records
  (nothing like `all(r.org in parties for r in recipients)`), so the recipient records are
  also handed over flattened field by field. This reshapes the input and decides nothing:
  every recipient check is per field and universally quantified, so "every recipient's org
  is a party" is exactly `parties.containsAll(recipient_orgs)`, and likewise for emails.
  The role check ("each recipient holds at least one allowed role") is not a containment
  of flat sets; it is written in Cedar over the set of role sets, by naming each of the 8
  subsets S of the fixed role universe {admin, signer, member}: refused iff some recipient
  holds exactly S and S shares no role with the allowed ones. (Role sets are keys rather
  than a `Set<Set<String>>` only because the policies then need no empty set literal, which
  Cedar's validator rejects.) No per-recipient boolean is computed in Python.
- `ceiling_rank` / `classification_rank`: a fixed table here (public 0 ... restricted 3),
  deliberately not `Classification.rank`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from typing import Any

from sharebound.domain.agreements import Agreement, AgreementStatus
from sharebound.domain.items import Item
from sharebound.domain.orgs import Person

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROS_PER_DAY = 86_400_000_000
RANK = {"public": 0, "internal": 1, "confidential": 2, "restricted": 3}
ROLE_UNIVERSE = ("admin", "signer", "member")


def role_key(roles: Collection[str]) -> str:
    """A role set written as one string: sorted, joined by "+"; "" for no role."""
    return "+".join(sorted(roles))


def _role_clauses() -> str:
    """One clause per subset S of the role universe: some recipient holds exactly the roles S,
    and S shares no role with the roles the agreement allows. (The empty S is written without
    `containsAny([])`, which is always false: Cedar's validator rejects empty set literals.)"""
    clauses = []
    for size in range(len(ROLE_UNIVERSE) + 1):
        for subset in combinations(ROLE_UNIVERSE, size):
            clause = f'context.recipient_role_keys.contains("{role_key(subset)}")'
            if subset:
                literal = "[" + ", ".join(f'"{r}"' for r in subset) + "]"
                clause = f"({clause} &&\n       !context.agreement.recipient_roles.containsAny({literal}))"
            clauses.append(clause)
    return "\n    || ".join(clauses)


POLICIES = """
// Allowed unless one of the forbids below applies.
@id("allow")
permit (principal is Org, action == Action::"disclose", resource is Item);

// owner: A owns I
@id("owner")
forbid (principal, action == Action::"disclose", resource)
when { resource.owner != principal };

// party: A is a party of N ...
@id("party")
forbid (principal, action == Action::"disclose", resource)
when { !context.agreement.parties.contains(principal) };

// ... and a disclosing party if N is one-way
@id("party:disclosing_parties")
forbid (principal, action == Action::"disclose", resource)
when {
  context.agreement.kind == "one_way" &&
  !context.agreement.disclosing_parties.contains(principal)
};

// in_force: N is in force now (the status is computed from N's signatures and dates)
@id("in_force")
forbid (principal, action == Action::"disclose", resource)
when { !context.agreement.in_force };

// ceiling: restricted never ...
@id("ceiling:restricted")
forbid (principal, action == Action::"disclose", resource)
when { resource.classification == "restricted" };

// ... and nothing above N's ceiling
@id("ceiling")
forbid (principal, action == Action::"disclose", resource)
when { resource.classification_rank > context.agreement.ceiling_rank };

// topics: no excluded topic ...
@id("topics:excluded")
forbid (principal, action == Action::"disclose", resource)
when { resource.topics.containsAny(context.agreement.topics_excluded) };

// ... and, when allowed topics are set, at least one topic and all of them allowed
@id("topics:allowed")
forbid (principal, action == Action::"disclose", resource)
when {
  !context.agreement.topics_allowed.isEmpty() &&
  (resource.topics.isEmpty() ||
   !context.agreement.topics_allowed.containsAll(resource.topics))
};

// recipients: at least one ...
@id("recipients:none")
forbid (principal, action == Action::"disclose", resource)
when { context.recipients.isEmpty() };

// ... none of A's own people ...
@id("recipients:own_org")
forbid (principal, action == Action::"disclose", resource)
when { context.recipient_orgs.contains(principal) };

// ... each a person of a party ...
@id("recipients:parties")
forbid (principal, action == Action::"disclose", resource)
when { !context.agreement.parties.containsAll(context.recipient_orgs) };

// ... who, under a one-way agreement, is not of a disclosing party ...
@id("recipients:disclosing_parties")
forbid (principal, action == Action::"disclose", resource)
when {
  context.agreement.kind == "one_way" &&
  context.recipient_orgs.containsAny(context.agreement.disclosing_parties)
};

// ... who holds one of the allowed roles, in roles mode ...
@id("recipients:roles")
forbid (principal, action == Action::"disclose", resource)
when {
  context.agreement.recipient_mode == "roles" && (
       ROLE_CLAUSES
  )
};

// ... who is one of the named people, in named mode
@id("recipients:named")
forbid (principal, action == Action::"disclose", resource)
when {
  context.agreement.recipient_mode == "named" &&
  !context.agreement.recipient_people.containsAll(context.recipient_emails)
};

// actions: at least one, each permitted (an unknown action is never permitted)
@id("actions:none")
forbid (principal, action == Action::"disclose", resource)
when { context.actions.isEmpty() };

@id("actions")
forbid (principal, action == Action::"disclose", resource)
when { !context.agreement.actions.containsAll(context.actions) };

// window: access ends in the future ...
@id("window:future")
forbid (principal, action == Action::"disclose", resource)
when { context.expires_at <= context.now };

// ... within N's longest access window ...
@id("window:max_access_days")
forbid (principal, action == Action::"disclose", resource)
when {
  context.expires_at > context.now + context.agreement.max_access_days * 86400000000
};

// ... and no later than N's term end, when N has one
@id("window:term_end")
forbid (principal, action == Action::"disclose", resource)
when { context.agreement has term_end && context.expires_at > context.agreement.term_end };

// content: the content gate found nothing that blocks
@id("content")
forbid (principal, action == Action::"disclose", resource)
when { context.content_findings > 0 };
""".replace("ROLE_CLAUSES", _role_clauses())

SCHEMA = """
entity Org;
entity Item {
  owner: Org,
  classification: String,
  classification_rank: Long,
  topics: Set<String>,
};
type Recipient = { org: Org, email: String, roles: Set<String> };
type Terms = {
  parties: Set<Org>,
  disclosing_parties: Set<Org>,
  kind: String,
  in_force: Bool,
  ceiling_rank: Long,
  topics_allowed: Set<String>,
  topics_excluded: Set<String>,
  recipient_mode: String,
  recipient_roles: Set<String>,
  recipient_people: Set<String>,
  actions: Set<String>,
  max_access_days: Long,
  term_end?: Long,
};
action disclose appliesTo {
  principal: Org,
  resource: Item,
  context: {
    agreement: Terms,
    recipients: Set<Recipient>,
    recipient_orgs: Set<Org>,
    recipient_emails: Set<String>,
    recipient_role_keys: Set<String>,
    actions: Set<String>,
    expires_at: Long,
    now: Long,
    content_findings: Long,
  },
};
"""


def epoch_micros(moment: datetime) -> int:
    """Whole microseconds since the epoch; `moment` must be aware."""
    if moment.utcoffset() is None:
        raise ValueError("naive datetime")
    return (moment - EPOCH) // timedelta(microseconds=1)


def day_start_micros(day: date) -> int:
    """00:00 UTC of `day`, computed from the calendar here, not by the domain's helper."""
    return (day.toordinal() - date(1970, 1, 1).toordinal()) * MICROS_PER_DAY


def org_uid(handle: str) -> dict[str, str]:
    return {"type": "Org", "id": handle}


def _org_ref(handle: str) -> dict[str, dict[str, str]]:
    return {"__entity": org_uid(handle)}


def item_entity(item: Item) -> dict[str, Any]:
    return {
        "uid": {"type": "Item", "id": item.id},
        "attrs": {
            "owner": _org_ref(item.owner),
            "classification": item.classification.value,
            "classification_rank": RANK[item.classification.value],
            "topics": sorted(item.topics),
        },
        "parents": [],
    }


def org_entities(handles: Collection[str]) -> list[dict[str, Any]]:
    return [{"uid": org_uid(h), "attrs": {}, "parents": []} for h in sorted(set(handles))]


def cedar_context(
    *,
    agreement: Agreement,
    recipients: Sequence[Person],
    actions: Collection[str],
    expires_at: datetime,
    now: datetime,
    findings: Sequence[str] = (),
) -> dict[str, Any]:
    terms = agreement.governing_version(now).terms
    schedule = terms.schedule
    facts: dict[str, Any] = {
        "parties": [_org_ref(p) for p in terms.parties],
        "disclosing_parties": [_org_ref(p) for p in sorted(terms.disclosing_parties)],
        "kind": terms.kind.value,
        "in_force": agreement.status(now) is AgreementStatus.IN_FORCE,
        "ceiling_rank": RANK[schedule.ceiling.value],
        "topics_allowed": sorted(schedule.topics_allowed),
        "topics_excluded": sorted(schedule.topics_excluded),
        "recipient_mode": schedule.recipients.mode.value,
        "recipient_roles": sorted(schedule.recipients.roles),
        "recipient_people": sorted(schedule.recipients.people),
        "actions": sorted(a.value for a in schedule.actions),
        "max_access_days": schedule.max_access_days,
    }
    if terms.term_end is not None:
        facts["term_end"] = day_start_micros(terms.term_end)
    records = [
        {"org": _org_ref(p.org), "email": p.email, "roles": sorted(r.value for r in p.roles)}
        for p in recipients
    ]
    return {
        "agreement": facts,
        "recipients": records,
        # Projections of `recipients`, field by field (see the module docstring).
        "recipient_orgs": [r["org"] for r in records],
        "recipient_emails": [r["email"] for r in records],
        "recipient_role_keys": [role_key(r["roles"]) for r in records],
        "actions": sorted(set(actions)),
        "expires_at": epoch_micros(expires_at),
        "now": epoch_micros(now),
        "content_findings": len(findings),
    }


def cedar_request(
    *,
    discloser: str,
    item: Item,
    agreement: Agreement,
    recipients: Sequence[Person],
    actions: Collection[str],
    expires_at: datetime,
    now: datetime,
    findings: Sequence[str] = (),
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The Cedar request and entities for the same inputs `decide_disclosure` takes."""
    request = {
        "principal": org_uid(discloser),
        "action": {"type": "Action", "id": "disclose"},
        "resource": {"type": "Item", "id": item.id},
        "context": cedar_context(
            agreement=agreement, recipients=recipients, actions=actions,
            expires_at=expires_at, now=now, findings=findings,
        ),
    }
    orgs = {discloser, item.owner, *agreement.governing_version(now).terms.parties,
            *(p.org for p in recipients)}
    return request, [*org_entities(orgs), item_entity(item)]


def reason_codes(policy_ids: Sequence[str], annotations: dict[str, str]) -> set[str]:
    """The reason codes of the forbids that determined a Deny (from their `@id`s)."""
    return {annotations[p].split(":")[0] for p in policy_ids if annotations.get(p) != "allow"}
