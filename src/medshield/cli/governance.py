"""``medshield governance`` and ``medshield approval``: the organisation, admin rights, the
closed-loop checks, policy versions, and approval workflows."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medshield.cli.output import Format, FormatOption, emit
from medshield.cli.risk import ActorOption, PolicyOption, StoreOption
from medshield.errors import InputError, NotAuthorisedError
from medshield.governance import (
    Admin,
    active_version,
    all_requests,
    get_request,
    loop_trace,
    version_history,
    vote,
)
from medshield.ledger import open_ledger
from medshield.policy import load_bundle
from medshield.policy.admin import decide_admin
from medshield.policy.governance import ADMIN_ACTIONS

gov = typer.Typer(
    help="Organisation (组织架构), admin rights, closed-loop checks, policy versions."
)
approval = typer.Typer(help="Approval workflows (审批): request, vote, list, show.")


def register(root: typer.Typer) -> None:
    root.add_typer(gov, name="governance")
    root.add_typer(approval, name="approval")


@gov.command("members")
def members(policy: PolicyOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """The organisation's members and the admin actions each may do."""
    bundle = load_bundle(policy)
    rows = [{"member": m.id, "roles": ",".join(m.roles), "title": m.title,
             "may": [a for a in ADMIN_ACTIONS if decide_admin(bundle, m.id, a).allowed]}
            for m in bundle.governance.members]  # fmt: skip
    emit(rows, fmt, title="组织架构 organisation")


@gov.command("can")
def can(
    actor: Annotated[str, typer.Argument(help="Member id.")],
    action: Annotated[str, typer.Argument(help="Admin action, e.g. risk.assess.")],
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Whether a member may do an admin action, and why (nothing is recorded)."""
    d = decide_admin(load_bundle(policy), actor, action)
    emit([{"actor": actor, "action": action, "allowed": d.allowed, "reason": d.reasons[0]}], fmt)
    if not d.allowed:
        raise NotAuthorisedError(d.reasons[0], where=f"{actor}: {action}")


@gov.command("admin-log")
def admin_log(
    actor: Annotated[str | None, typer.Option(help="Only this member's actions.")] = None,
    refused: Annotated[bool, typer.Option(help="Only refused actions.")] = False,
    store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The platform's own admin actions, allowed and refused, from the ledger."""
    with open_ledger(store) as ledger:
        rows = [
            {"seq": r.seq, "at": r.at.isoformat(), "actor": r.event.actor,
             "action": r.event.detail.get("action"), "outcome": r.event.outcome,
             "target": r.event.detail.get("target"), "reason": r.event.reasons[0] if r.event.reasons else ""}
            for r in ledger.records(action_prefix="admin.")
            if (actor is None or r.event.actor == actor) and (not refused or r.event.outcome == "deny")
        ]  # fmt: skip
    emit(rows, fmt, title="管理操作审计 admin actions")


@gov.command("checks")
def checks(
    actor: ActorOption, policy: PolicyOption = None, store: StoreOption = None,
    catalog: Annotated[str | None, typer.Option(help="Store URL of the catalogue (default: --store).")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:  # fmt: skip
    """Run the closed-loop checks; record findings, risk proposals and change proposals."""
    from medshield.classify.catalog import open_catalog

    with open_ledger(store) as ledger:
        run = Admin(ledger, load_bundle(policy), actor).run_checks(
            store=open_catalog(catalog or store)
        )
    emit(run.as_rows(), fmt, title="检查发现 findings")
    if fmt is Format.TABLE:
        typer.echo(f"recorded {len(run.recorded)} findings, {len(run.risk_proposals)} risk "
                   f"proposals, {len(run.changes)} change proposals")  # fmt: skip


@gov.command("training")
def training(
    member: Annotated[str, typer.Argument(help="Member id who was trained.")],
    course: Annotated[str, typer.Option(help="Course name.")],
    actor: ActorOption, policy: PolicyOption = None, store: StoreOption = None,
) -> None:  # fmt: skip
    """Record a training (the loop checks for missing training records)."""
    with open_ledger(store) as ledger:
        seq = Admin(ledger, load_bundle(policy), actor).record_training(member, course)
    typer.echo(f"training recorded at seq {seq}")


@gov.command("propose-policy")
def propose_policy(
    folder: Annotated[Path, typer.Argument(help="Folder of the new policy bundle.")],
    actor: ActorOption,
    reason: Annotated[str, typer.Option(help="What changes and why.")],
    change: Annotated[int | None, typer.Option(help="Seq of the loop's change proposal.")] = None,
    policy: PolicyOption = None, store: StoreOption = None, fmt: FormatOption = Format.TABLE,
) -> None:  # fmt: skip
    """Ask for a new policy version; it becomes active once its approval completes."""
    new = load_bundle(folder)
    with open_ledger(store) as ledger:
        req = Admin(ledger, load_bundle(policy), actor).propose_policy(new, reason, change)
    emit([req.as_row()], fmt)


@gov.command("versions")
def versions(store: StoreOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """The policy versions approvals made active, newest last."""
    with open_ledger(store) as ledger:
        rows = version_history(ledger)
        if fmt is Format.TABLE:
            typer.echo(f"active: {active_version(ledger) or 'none yet'}")
    emit(rows, fmt, title="策略版本 policy versions")


@gov.command("trace")
def trace(
    version: Annotated[str, typer.Argument(help="Policy version (sha256:...).")],
    store: StoreOption = None, fmt: FormatOption = Format.TABLE,
) -> None:  # fmt: skip
    """The closed loop behind a version: findings, change proposal, approval, activation."""
    with open_ledger(store) as ledger:
        emit(loop_trace(ledger, version), fmt, title="闭环 closed loop")


def _subject(pairs: list[str]) -> dict[str, str]:
    subject = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(f"expected KEY=VALUE, got {pair!r}", where="--subject")
        subject[key] = value
    return subject


@approval.command("request")
def request(
    kind: Annotated[str, typer.Argument(help="Workflow: publish_external, level_change, data_access, ...")],
    actor: ActorOption,
    subject: Annotated[list[str], typer.Option(help="KEY=VALUE about what is approved (repeatable).")],
    reason: Annotated[str, typer.Option(help="Why.")] = "",
    policy: PolicyOption = None, store: StoreOption = None, fmt: FormatOption = Format.TABLE,
) -> None:  # fmt: skip
    """Open an approval request."""
    with open_ledger(store) as ledger:
        req = Admin(ledger, load_bundle(policy), actor).request(kind, _subject(subject), reason)
    emit([req.as_row()], fmt)


@approval.command("vote")
def vote_cmd(
    request_id: Annotated[int, typer.Argument(help="Request id (its ledger seq).")],
    actor: ActorOption,
    approve: Annotated[bool, typer.Option("--approve/--reject", help="Approve or reject.")] = True,
    reason: Annotated[str, typer.Option(help="Reason (required to reject).")] = "",
    policy: PolicyOption = None, store: StoreOption = None, fmt: FormatOption = Format.TABLE,
) -> None:  # fmt: skip
    """Approve the current step of a request, or reject it."""
    with open_ledger(store) as ledger:
        req = vote(ledger, load_bundle(policy), actor, request_id, approve=approve, reason=reason)
    emit([req.as_row()], fmt)


@approval.command("list")
def list_requests(store: StoreOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """Every approval request and its state."""
    with open_ledger(store) as ledger:
        emit([r.as_row() for r in all_requests(ledger).values()], fmt, title="审批 approvals")


@approval.command("show")
def show(
    request_id: Annotated[int, typer.Argument(help="Request id.")],
    store: StoreOption = None, fmt: FormatOption = Format.TABLE,
) -> None:  # fmt: skip
    """One request with every vote."""
    with open_ledger(store) as ledger:
        req = get_request(ledger, request_id)
    emit([{"actor": v.actor, "step": v.step, "decision": v.decision, "reason": v.reason,
           "at": v.at.isoformat()} for v in req.votes] or [req.as_row()], fmt,
         title=f"{req.kind} #{req.id}: {req.as_row()['status']}")  # fmt: skip
