"""Approval workflows (R3, R31): steps with approvers by role, the two-person rule, expiry.

A request and every vote are ledger events; a request's state is always read back from them:

- ``approval.requested`` — the kind (a workflow of the policy), the subject, who asked, the expiry;
- ``approval.voted`` — one person's approval of the current step, or a rejection with its reason;
- ``approval.decided`` — approved, rejected or expired;
- ``approval.refused`` — a vote refused by the rules below, with the reason.

Rules: the requester never approves their own request; nobody votes twice on one request (so a
step needing two approvals needs two people, and no person carries two steps); a vote must come
from a role the current step names; a rejection needs a reason; after ``expires_hours`` nothing
more is accepted and the request is expired. The request id is the ledger seq of its request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from medshield.errors import ApprovalError, ApprovalExpiredError, UnknownNameError
from medshield.ledger import Event, Ledger, LedgerRecord
from medshield.policy import PolicyBundle
from medshield.policy.governance import Workflow

REQUESTED, VOTED, DECIDED = "approval.requested", "approval.voted", "approval.decided"
REFUSED = "approval.refused"

# Called with the approved request, after its ``approval.decided``: e.g. a policy version becomes
# active. Registered by kind (``on_approved``).
_HOOKS: dict[str, Callable[[Ledger, ApprovalRequest], None]] = {}


def on_approved(kind: str) -> Callable[[Callable[[Ledger, ApprovalRequest], None]], Any]:
    def register(hook: Callable[[Ledger, ApprovalRequest], None]) -> Any:
        _HOOKS[kind] = hook
        return hook

    return register


@dataclass(frozen=True)
class Vote:
    actor: str
    step: str
    decision: str  # approve or reject
    reason: str
    at: datetime


@dataclass
class ApprovalRequest:
    id: int
    kind: str
    subject: dict[str, Any]
    requester: str
    reason: str
    requested_at: datetime
    expires_at: datetime
    steps: list[dict[str, Any]]  # name, roles, approvals
    votes: list[Vote] = field(default_factory=list)
    status: str = "pending"  # pending, approved, rejected, expired

    def current_step(self) -> dict[str, Any] | None:
        for step in self.steps:
            done = sum(1 for v in self.votes if v.step == step["name"] and v.decision == "approve")
            if done < step["approvals"]:
                return step
        return None

    def effective_status(self, now: datetime) -> str:
        if self.status == "pending" and now >= self.expires_at:
            return "expired"
        return self.status

    def as_row(self, now: datetime | None = None) -> dict[str, Any]:
        step = self.current_step()
        return {
            "id": self.id,
            "kind": self.kind,
            "status": self.effective_status(now or datetime.now(UTC)),
            "step": step["name"] if step and self.status == "pending" else "",
            "requester": self.requester,
            "votes": [f"{v.actor}:{v.decision}" for v in self.votes],
            "expires_at": self.expires_at.isoformat(),
            "subject": self.subject,
        }


def _workflow(bundle: PolicyBundle, kind: str) -> Workflow:
    flow = bundle.governance.workflow(kind)
    if flow is None:
        known = ", ".join(w.kind for w in bundle.governance.workflows)
        raise UnknownNameError(f"no approval workflow {kind!r}; known: {known}", where=kind)
    return flow


def _roles(bundle: PolicyBundle, actor: str) -> tuple[str, ...]:
    member = bundle.governance.member(actor)
    return member.roles if member else ()


def request_approval(
    ledger: Ledger,
    bundle: PolicyBundle,
    actor: str,
    kind: str,
    subject: dict[str, Any],
    *,
    reason: str = "",
    now: datetime | None = None,
) -> ApprovalRequest:
    """Open a request of workflow ``kind`` about ``subject``."""
    flow = _workflow(bundle, kind)
    if flow.requesters and not set(_roles(bundle, actor)) & set(flow.requesters):
        raise ApprovalError(f"{actor!r} may not request {kind}; requesters: "
                            f"{', '.join(flow.requesters)}", where=kind)  # fmt: skip
    missing = [f for f in flow.subject_fields if not str(subject.get(f, "")).strip()]
    if missing:
        raise ApprovalError(f"a {kind} request must state {', '.join(missing)}", where=kind)
    if subject.get("until") is not None:
        _instant(subject["until"], kind)
    now = now or datetime.now(UTC)
    expires = now + timedelta(hours=flow.expires_hours)
    steps = [s.model_dump() for s in flow.steps]
    detail = {"kind": kind, "subject": subject, "reason": reason, "steps": steps,
              "expires_at": expires.isoformat()}  # fmt: skip
    receipt = ledger.append(Event(action=REQUESTED, actor=actor, at=now, detail=detail,
                                  policy_version=bundle.version))  # fmt: skip
    return get_request(ledger, receipt.seq)


def _instant(value: object, where: str) -> datetime:
    """An ISO date or time; a date or a time without zone is taken as UTC."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise ApprovalError(f"until must be an ISO date, not {value!r}", where=where) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _from_request(record: LedgerRecord) -> ApprovalRequest:
    d = record.event.detail
    return ApprovalRequest(
        id=record.seq,
        kind=str(d["kind"]),
        subject=dict(d["subject"]),
        requester=record.event.actor,
        reason=str(d.get("reason", "")),
        requested_at=record.at,
        expires_at=datetime.fromisoformat(str(d["expires_at"])),
        steps=list(d["steps"]),
    )


def all_requests(ledger: Ledger, start_seq: int | None = None) -> dict[int, ApprovalRequest]:
    """Every request with its votes and final state, from the ledger (those recorded at
    ``start_seq`` or later: a request's votes and decision always come after it)."""
    found: dict[int, ApprovalRequest] = {}
    for r in ledger.records(start_seq=start_seq, action_prefix="approval."):
        d = r.event.detail
        if r.event.action == REQUESTED:
            found[r.seq] = _from_request(r)
        elif r.event.action == VOTED and d.get("request") in found:
            found[d["request"]].votes.append(
                Vote(
                    r.event.actor,
                    str(d["step"]),
                    str(d["decision"]),
                    str(d.get("reason", "")),
                    r.at,
                )
            )
        elif r.event.action == DECIDED and d.get("request") in found:
            found[d["request"]].status = str(d["status"])
    return found


def get_request(ledger: Ledger, request_id: int) -> ApprovalRequest:
    request = all_requests(ledger, start_seq=request_id).get(request_id)
    if request is None:
        raise UnknownNameError(f"no approval request {request_id}", where=str(request_id))
    return request


def vote(
    ledger: Ledger,
    bundle: PolicyBundle,
    actor: str,
    request_id: int,
    *,
    approve: bool,
    reason: str = "",
    now: datetime | None = None,
) -> ApprovalRequest:
    """Approve the current step of a request, or reject the request (a reason is required)."""
    now = now or datetime.now(UTC)
    req = get_request(ledger, request_id)
    if req.status != "pending":
        raise ApprovalError(f"request {request_id} is already {req.status}", where=str(request_id))
    if now >= req.expires_at:
        _decide(ledger, req, "expired", now)
        raise ApprovalExpiredError(
            f"request {request_id} expired at {req.expires_at.isoformat()}", where=str(request_id)
        )
    step = req.current_step()
    assert step is not None  # a pending request always has a step left
    refusal = _refusal(bundle, req, step, actor, approve, reason)
    if refusal is not None:  # a refused vote is recorded too: the platform audits itself
        ledger.append(Event(action=REFUSED, actor=actor, at=now, outcome="deny",
                            policy_version=bundle.version, reasons=(refusal,),
                            detail={"request": request_id, "kind": req.kind, "step": step["name"]}))  # fmt: skip
        raise ApprovalError(refusal, where=f"{actor}: request {request_id}")
    decision = "approve" if approve else "reject"
    ledger.append(Event(action=VOTED, actor=actor, at=now, outcome="allow" if approve else "deny",
                        policy_version=bundle.version, reasons=(reason,) if reason else (),
                        detail={"request": request_id, "kind": req.kind, "step": step["name"],
                                "decision": decision, "reason": reason}))  # fmt: skip
    req = get_request(ledger, request_id)
    if not approve:
        _decide(ledger, req, "rejected", now, reason)
    elif req.current_step() is None:
        _decide(ledger, req, "approved", now)
        hook = _HOOKS.get(req.kind)
        if hook is not None:
            hook(ledger, get_request(ledger, request_id))
    return get_request(ledger, request_id)


def _refusal(
    bundle: PolicyBundle,
    req: ApprovalRequest,
    step: dict[str, Any],
    actor: str,
    approve: bool,
    reason: str,
) -> str | None:
    """Why ``actor`` may not cast this vote, or None."""
    if actor == req.requester:
        return "the requester may not approve their own request"
    if any(v.actor == actor for v in req.votes):
        return (f"{actor!r} has already voted on request {req.id}; "
                "a second approval must come from another person")  # fmt: skip
    if not set(_roles(bundle, actor)) & set(step["roles"]):
        return f"step {step['name']} needs one of {', '.join(step['roles'])}"
    if not approve and not reason.strip():
        return "a rejection needs its reason"
    return None


def _decide(
    ledger: Ledger, req: ApprovalRequest, status: str, now: datetime, reason: str = ""
) -> None:
    ledger.append(Event(action=DECIDED, actor="medshield-approvals", at=now,
                        outcome="allow" if status == "approved" else "deny",
                        detail={"request": req.id, "kind": req.kind, "status": status,
                                "reason": reason}))  # fmt: skip


def approved_until(req: ApprovalRequest) -> datetime | None:
    """The end of the period a request applied for (``subject.until``), or None."""
    until = req.subject.get("until")
    return _instant(until, req.kind) if until else None


def require_approved(
    ledger: Ledger, request_id: int, kind: str, now: datetime | None = None
) -> ApprovalRequest:
    """The approved request ``request_id`` of ``kind``; ApprovalError otherwise (fail closed).

    A data-access approval whose ``subject.until`` (the period applied for) has passed counts
    as expired."""
    now = now or datetime.now(UTC)
    req = get_request(ledger, request_id)
    if req.kind != kind:
        raise ApprovalError(f"request {request_id} is a {req.kind} request, not {kind}")
    status = req.effective_status(now)
    if status == "expired":
        raise ApprovalExpiredError(f"request {request_id} expired", where=str(request_id))
    if status != "approved":
        raise ApprovalError(
            f"request {request_id} is {status}, not approved", where=str(request_id)
        )
    until = req.subject.get("until")
    if until and now >= _instant(until, kind):
        raise ApprovalExpiredError(f"the approved period of request {request_id} ended {until}")
    return req
