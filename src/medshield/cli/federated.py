"""``medshield federated``: nodes, the hub, and the request flow of federated statistics."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from medshield.cli.output import Format, FormatOption, emit
from medshield.federated import (
    FederatedRequest,
    Federation,
    Hub,
    LedgerApprovals,
    Release,
    RequestFlow,
    setup_federation,
)
from medshield.federated.approvals import Role
from medshield.federated.config import NodeConfig, read_registry
from medshield.federated.local import LocalDatabase
from medshield.federated.node import Node
from medshield.federated.server import run
from medshield.ledger import Event, open_ledger
from medshield.policy import load_bundle
from medshield.synth.manifest import AllianceManifest

app = typer.Typer(
    help="Federated statistics: raw data never leaves its institution (原始数据不出域).",
    no_args_is_help=True,
)
query_app = typer.Typer(help="The request flow: submit, approve, run.", no_args_is_help=True)
app.add_typer(query_app, name="query")

FederationArg = Annotated[Path, typer.Argument(help="Federation folder (from `federated setup`).")]
PolicyOption = Annotated[Path | None, typer.Option(help="Policy bundle folder.")]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="federated")


@app.command("setup")
def setup_command(
    alliance: Annotated[Path, typer.Argument(help="Synthetic alliance folder (medshield synth).")],
    out: Annotated[Path, typer.Option("--out", help="Federation folder to create.")],
    node: Annotated[
        list[str] | None, typer.Option("--node", help="Institution to include (repeat).")
    ] = None,
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Keys, certificates, ledgers and node.json for each institution; the node registry."""
    federation = setup_federation(alliance, out, node, policy)
    rows = [{"node": n, "config": str(p)} for n, p in federation.nodes.items()]
    emit(rows, fmt, title="联邦节点 federation nodes")


@app.command("node")
def node_command(
    config: Annotated[Path, typer.Argument(help="The node's node.json.")],
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0: any free port).")] = 0,
) -> None:
    """Run one institution's node (HTTPS, mutual TLS) until interrupted."""
    node = Node.from_config(NodeConfig.read(config))
    try:
        run(node, "127.0.0.1", port, config.parent / "url")
    except KeyboardInterrupt:
        pass


def _hub(federation: Federation, policy: Path | None) -> Hub:
    return Hub.connect(
        load_bundle(policy), read_registry(federation.registry), federation.urls(), federation.tls
    )


def _flow(folder: Path, policy: Path | None) -> RequestFlow:
    federation = Federation.read(folder)
    hub = _hub(federation, policy)
    ledger = open_ledger(federation.ledger, bundle=hub.bundle)
    return RequestFlow(hub, ledger, LedgerApprovals(ledger, hub.bundle.federated.committee))


def _record(
    federation: Federation, hub: Hub, action: str, actor: str, detail: dict[str, Any]
) -> None:
    with open_ledger(federation.ledger, bundle=hub.bundle) as ledger:
        ledger.append(
            Event(action=action, actor=actor, policy_version=hub.bundle.version, detail=detail)
        )


def _release_rows(release: Release) -> list[dict[str, Any]]:
    values = release.value if isinstance(release.value, dict) else {"value": release.value}
    rows: list[dict[str, Any]] = [{"item": k, "value": v} for k, v in values.items()]
    rows += [
        {"item": "epsilon", "value": release.epsilon},
        {"item": f"error_bound ({release.confidence:.0%})", "value": release.error_bound},
    ]
    return rows


@app.command("hub")
def hub_command(
    federation: FederationArg,
    template: Annotated[str, typer.Argument(help="An approved template.")],
    requester: Annotated[str, typer.Option(help="Who asks (the nodes record it).")] = "hub",
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """What the hub sees of one template: each node's masked share, and their sum.

    The sum is the exact alliance total the hub holds; it is never released without noise
    (use `federated query`)."""
    folder = Federation.read(federation)
    hub = _hub(folder, policy)
    aggregate = hub.collect(template, requester)
    _record(folder, hub, "federated.inspect", requester,
            {"query_id": aggregate.query_id, "template": template})  # fmt: skip
    rows = [
        {"from": n, "received": " ".join(str(v) for v in a.share)}
        for n, a in aggregate.seen.items()
    ]
    rows.append({"from": "sum", "received": " ".join(str(v) for v in aggregate.total)})
    emit(rows, fmt, title=f"汇聚方所见 what the hub saw: {template}")


@app.command("psi")
def psi_command(
    federation: FederationArg,
    left: Annotated[str, typer.Argument(help="First institution.")],
    right: Annotated[str, typer.Argument(help="Second institution.")],
    requester: Annotated[str, typer.Option(help="Who asks.")] = "hub",
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """How many patients two institutions share (private set intersection)."""
    folder = Federation.read(federation)
    hub = _hub(folder, policy)
    result = hub.psi(left, right)
    _record(folder, hub, "federated.psi", requester,
            {"left": left, "right": right, "shared": result.shared})  # fmt: skip
    emit([{"left": left, "right": right, "shared_patients": result.shared}], fmt)


@query_app.command("submit")
def submit_command(
    federation: FederationArg,
    template: Annotated[str, typer.Argument(help="An approved template.")],
    requester: Annotated[str, typer.Option(help="The researcher.")],
    mock: Annotated[Path, typer.Option(help="Synthetic mock alliance to try the query on.")],
    purpose: Annotated[str, typer.Option(help="Why (用途).")] = "",
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Submit a request; it runs first on the mock data (its result is shown)."""
    flow = _flow(federation, policy)
    manifest = AllianceManifest.read(mock)
    databases = [
        LocalDatabase.open(manifest.databases[n], manifest.styles[n], manifest.tables[n])
        for n in flow.hub.registry.ids
        if n in manifest.databases
    ]
    request = FederatedRequest(requester=requester, template=template, purpose=purpose)
    preview = flow.submit(request, databases)
    rows = [{"item": "request_id", "value": request.id}, *_release_rows(preview)]
    emit(rows, fmt, title="模拟数据试算 preview on mock data")


@query_app.command("approve")
def approve_command(
    federation: FederationArg,
    request_id: Annotated[str, typer.Argument(help="The request.")],
    approver: Annotated[str, typer.Option(help="Who approves.")],
    role: Annotated[str, typer.Option(help="owner or committee.")],
    institution: Annotated[str | None, typer.Option(help="The owner's institution.")] = None,
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Record the approval of a data owner or of the committee."""
    if role not in ("owner", "committee"):
        raise typer.BadParameter("owner or committee", param_hint="--role")
    flow = _flow(federation, policy)
    kind: Role = "owner" if role == "owner" else "committee"
    flow.gate.approve(request_id, approver, kind, institution)
    missing = flow.gate.missing(request_id, flow.hub.registry.ids)
    emit([{"request_id": request_id, "still_needed": ", ".join(missing) or "-"}], fmt)


@query_app.command("run")
def run_command(
    federation: FederationArg,
    request_id: Annotated[str, typer.Argument(help="An approved request.")],
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Run an approved request on the nodes and release the noised result (recorded)."""
    outcome = _flow(federation, policy).run(request_id)
    emit(
        _release_rows(outcome.release), fmt, title=f"发布结果 released: {outcome.release.template}"
    )
