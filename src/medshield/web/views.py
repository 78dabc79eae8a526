"""What each page shows, read through the core's functions (the console only translates)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from medshield.classify.report import catalog_page
from medshield.governance.incidents import all_incidents
from medshield.ledger import Ledger, LedgerRecord
from medshield.ledger.replica import replica_status
from medshield.lineage.graph import FlowEdge, FlowGraph, graph_from_ledger
from medshield.lineage.queries import downstream, patient_flow
from medshield.lineage.render import render_svg
from medshield.lineage.steps import check_pseudonym, split_node
from medshield.policy import PolicyBundle
from medshield.reports.labels import label
from medshield.reports.mapchart import map_option
from medshield.reports.trafficmap import TrafficMap, traffic_map

PAGE_SIZE = 50
MAP_SIZE = (640, 448)  # pixels of the traffic map: 80 x 56 a tile, fits a 1366 x 768 screen


@dataclass
class ConsoleContext:
    """What the console reads: the policy, the platform store (catalogue) and its ledger."""

    bundle: PolicyBundle
    store: Engine
    ledger: Ledger
    passwords: dict[str, str]
    reports: Path | None = None


def _since(days: float) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


def _today() -> datetime:
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def _event_row(r: LedgerRecord) -> dict[str, Any]:
    e = r.event
    return {
        "seq": r.seq, "at": r.at.strftime("%Y-%m-%d %H:%M:%S"), "action": e.action,
        "actor": e.actor, "institution": e.institution or "", "outcome": e.outcome,
        "api": e.object.api or "", "table": e.object.table or "",
        "reasons": "; ".join(e.reasons)[:200],
    }  # fmt: skip


def overview(ctx: ConsoleContext) -> dict[str, Any]:
    calls = Counter(
        r.event.outcome for r in ctx.ledger.records(since=_today(), action_prefix="gateway.call")
    )
    alerts = sum(1 for r in ctx.ledger.records(since=_since(7)) if r.event.outcome == "alert")
    seq, head = ctx.ledger.head()
    checkpoints = ctx.ledger.checkpoints()
    return {
        "institutions": ctx.bundle.institutions,
        "calls": sum(calls.values()), "denied": calls.get("deny", 0),
        "alerts": alerts, "head_seq": seq, "head_hash": head[:16],
        "checkpoint": checkpoints[-1] if checkpoints else None,
    }  # fmt: skip


def catalogue(ctx: ConsoleContext, query: dict[str, str], *, review: bool) -> dict[str, Any]:
    try:
        page = max(1, int(query.get("page", "1")))
    except ValueError:
        page = 1
    filters = {k: query.get(k, "").strip() for k in ("source", "table", "element", "level")}
    rows, total = catalog_page(
        ctx.store, **filters, review_only=review, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    pages = max(1, -(-total // PAGE_SIZE))
    return {"rows": rows, "total": total, "page": page, "pages": pages, "filters": filters}


def masking(ctx: ConsoleContext) -> dict[str, Any]:
    jobs = [_event_row(r) for r in ctx.ledger.records(action_prefix="mask.")][-100:]
    return {"rules": ctx.bundle.masking.rules, "default": ctx.bundle.masking.default_operator,
            "roles": ctx.bundle.roles, "scenarios": ctx.bundle.scenarios, "jobs": jobs[::-1]}  # fmt: skip


def traffic(ctx: ConsoleContext, days: int = 7, lang: str = "zh") -> dict[str, Any]:
    per_day: Counter[str] = Counter()
    denied_per_day: Counter[str] = Counter()
    per_inst: Counter[str] = Counter()
    intercepts: list[dict[str, Any]] = []
    for r in ctx.ledger.records(since=_since(days), action_prefix="gateway."):
        day = r.at.strftime("%m-%d")
        if r.event.action == "gateway.call":
            per_day[day] += 1
            per_inst[r.event.institution or "-"] += 1
            if r.event.outcome == "deny":
                denied_per_day[day] += 1
        if r.event.outcome in ("deny", "alert"):
            intercepts.append(_event_row(r))
    names = {i.id: i.name for i in ctx.bundle.institutions}
    days_axis = [(_today() - timedelta(days=d)).strftime("%m-%d") for d in range(days - 1, -1, -1)]
    return {
        "days": days_axis, "calls": [per_day[d] for d in days_axis],
        "denied": [denied_per_day[d] for d in days_axis],
        "institutions": [{"name": names.get(k, k), "calls": v} for k, v in per_inst.most_common()],
        "intercepts": intercepts[-100:][::-1],
        **traffic_map_view(ctx, days, lang),
    }  # fmt: skip


def traffic_map_view(ctx: ConsoleContext, days: int, lang: str) -> dict[str, Any]:
    """The map of the API report, over the same days as the page's trend."""
    tmap = traffic_map(ctx.ledger, ctx.bundle.institutions, since=_since(days))
    width, height = MAP_SIZE
    return {"map": tmap.as_dict(), "map_option": map_option(tmap, lang, width, height),
            "map_size": MAP_SIZE, "map_caption": label("map.caption", lang),
            "map_rows": map_rows(tmap, lang)}  # fmt: skip


def map_rows(tmap: TrafficMap, lang: str) -> list[dict[str, Any]]:
    """The map's figures as a table (for keyboard and screen-reader users): tiles with traffic."""
    rows = [{"where": r.tile.en if lang == "en" else r.tile.zh, "calls": r.calls,
             "intercepts": r.intercepts} for r in tmap.regions if r.calls or r.intercepts]  # fmt: skip
    if tmap.unknown.calls or tmap.unknown.intercepts:
        rows.append({"where": label("unknown", lang), "calls": tmap.unknown.calls,
                     "intercepts": tmap.unknown.intercepts})  # fmt: skip
    return rows


def alerts(ctx: ConsoleContext, days: int = 30) -> dict[str, Any]:
    rows = [_event_row(r) for r in ctx.ledger.records(since=_since(days))
            if r.event.outcome == "alert"]  # fmt: skip
    return {"alerts": rows[-200:][::-1], "incidents": list(all_incidents(ctx.ledger).values())}


def audit(ctx: ConsoleContext, days: int = 30) -> dict[str, Any]:
    rows = [_event_row(r) for r in ctx.ledger.records(since=_since(days), action_prefix="audit.")
            if r.event.outcome in ("alert", "deny")]  # fmt: skip
    return {"findings": rows[-200:][::-1]}


def lineage(ctx: ConsoleContext, node: str, pseudonym: str) -> dict[str, Any]:
    edges: list[FlowEdge] = []
    if node or pseudonym:
        graph = graph_from_ledger(ctx.ledger)
        if pseudonym:
            edges = patient_flow(graph, check_pseudonym(pseudonym))
        else:
            split_node(node)
            edges = [hop.edge for hop in downstream(graph, node)]
    svg = render_svg(build_graph_of(edges)) if edges else ""
    return {"node": node, "pseudonym": pseudonym, "edges": [e.as_row() for e in edges], "svg": svg}


def build_graph_of(edges: list[FlowEdge]) -> FlowGraph:
    graph = FlowGraph()
    for edge in edges:
        graph.add(edge)
    return graph


def report_files(ctx: ConsoleContext) -> list[dict[str, Any]]:
    if ctx.reports is None or not ctx.reports.is_dir():
        return []
    files = sorted((p for p in ctx.reports.iterdir() if p.is_file()), key=lambda p: p.name)
    return [{"name": p.name, "size": p.stat().st_size,
             "modified": datetime.fromtimestamp(p.stat().st_mtime, UTC).strftime("%Y-%m-%d %H:%M")}
            for p in files]  # fmt: skip


def report_path(ctx: ConsoleContext, name: str) -> Path | None:
    """The report file called ``name`` directly in the reports folder (no other path)."""
    if ctx.reports is None or "/" in name or "\\" in name or name.startswith("."):
        return None
    path = ctx.reports / name
    return path if path.is_file() else None


def ledger_status(ctx: ConsoleContext) -> dict[str, Any]:
    seq, head = ctx.ledger.head()
    drills = list(ctx.ledger.records(action_prefix="drill."))
    try:
        replicas = replica_status(ctx.ledger)
    except Exception as exc:  # a replica down is a status to show, not a crash
        replicas = []
        replica_error = str(exc)[:200]
    else:
        replica_error = ""
    return {"seq": seq, "hash": head, "checkpoints": ctx.ledger.checkpoints()[-10:][::-1],
            "replicas": replicas, "replica_error": replica_error,
            "drill": _event_row(drills[-1]) if drills else None}  # fmt: skip
