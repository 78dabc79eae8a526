"""Draw the flow graph as one self-contained HTML page with inline SVG (no scripts, no CDN).

Tables are laid out in columns by how many steps they are from a table nothing flows into;
parallel steps between two tables share one arrow labelled with their stages and forms. Labels
are bilingual: 中文 and English.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path

from medshield import atomic
from medshield.lineage.graph import FlowEdge, FlowGraph

STAGES = {
    "collect": "采集",
    "transmit": "传输",
    "store": "存储",
    "process": "处理",
    "share": "共享",
    "destroy": "销毁",
}
FORMS = {
    "raw": "原始",
    "masked": "脱敏",
    "pseudonymised": "假名化",
    "aggregated": "聚合",
    "refused": "拒绝发布",
}

BOX_W, BOX_H, COL_W, ROW_H, MARGIN = 220, 44, 420, 90, 30


def _columns(graph: FlowGraph) -> dict[str, int]:
    """Each node's column: the longest chain of steps leading to it (cycles cut)."""
    column = dict.fromkeys(graph.nodes, 0)
    for _ in range(len(column)):  # Bellman-Ford style relaxation, bounded by the node count
        changed = False
        for edge in graph:
            if edge.src != edge.dst and column[edge.dst] < column[edge.src] + 1 <= len(column):
                column[edge.dst] = column[edge.src] + 1
                changed = True
        if not changed:
            break
    return column


def _label(edges: list[FlowEdge]) -> str:
    kinds = sorted({(e.stage, e.shown_form) for e in edges})
    text = "; ".join(f"{STAGES.get(s, s)} {s} · {FORMS.get(f, f)} {f}" for s, f in kinds[:2]) + (
        " …" if len(kinds) > 2 else ""
    )
    return f"{text} (×{len(edges)})" if len(edges) > 1 else text


def render_svg(graph: FlowGraph) -> str:
    """The graph as an ``<svg>`` element."""
    column = _columns(graph)
    rows_used: dict[int, int] = defaultdict(int)
    place: dict[str, tuple[int, int]] = {}
    for node in sorted(graph.nodes, key=lambda n: (column[n], n)):
        col = column[node]
        place[node] = (MARGIN + col * COL_W, MARGIN + rows_used[col] * ROW_H)
        rows_used[col] += 1
    width = MARGIN * 2 + (max(column.values(), default=0)) * COL_W + BOX_W
    height = MARGIN * 2 + max(rows_used.values(), default=1) * ROW_H
    pairs: dict[tuple[str, str], list[FlowEdge]] = defaultdict(list)
    for edge in graph:
        pairs[(edge.src, edge.dst)].append(edge)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#555"/></marker></defs>',
    ]
    for (src, dst), edges in sorted(pairs.items()):
        x1, y1 = place[src]
        x2, y2 = place[dst]
        label = escape(_label(edges))
        destroyed = src == dst
        colour = "#b00020" if destroyed or any(e.form == "raw" for e in edges) else "#2e7d32"
        if all(e.refused for e in edges):
            colour = "#757575"  # refused releases: drawn, but as nothing that arrived
        if destroyed:
            cx, cy = x1 + BOX_W // 2, y1 + BOX_H
            parts.append(
                f'<path d="M {cx - 20} {cy} C {cx - 30} {cy + 30}, {cx + 30} {cy + 30}, '
                f'{cx + 20} {cy}" fill="none" stroke="{colour}" marker-end="url(#arrow)"/>'
                f'<text x="{cx}" y="{cy + 38}" text-anchor="middle" fill="{colour}">{label}</text>'
            )
            continue
        sx, sy, tx, ty = x1 + BOX_W, y1 + BOX_H // 2, x2, y2 + BOX_H // 2
        parts.append(
            f'<line x1="{sx}" y1="{sy}" x2="{tx}" y2="{ty}" stroke="{colour}" '
            f'stroke-width="1.5" marker-end="url(#arrow)"><title>{label}</title></line>'
            f'<text x="{(sx + tx) // 2}" y="{(sy + ty) // 2 - 6}" text-anchor="middle" '
            f'fill="{colour}">{label}</text>'
        )
    for node, (x, y) in place.items():
        parts.append(
            f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="#eef3fb" '
            f'stroke="#345"/><text x="{x + BOX_W // 2}" y="{y + BOX_H // 2 + 4}" '
            f'text-anchor="middle">{escape(node)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def render_html(graph: FlowGraph, *, title: str = "数据流向图 Data-flow graph") -> str:
    """A self-contained page: the drawing, then every step as a table row."""
    rows = "\n".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(v))}</td>"
            for v in (
                e.seq,
                f"{STAGES.get(e.stage, e.stage)} {e.stage}",
                e.src,
                e.dst,
                f"{FORMS.get(e.shown_form, e.shown_form)} {e.shown_form}",
                e.actor,
                e.time_in.isoformat(timespec="seconds"),
                e.time_out.isoformat(timespec="seconds"),
                "" if e.rows is None else e.rows,
                len(e.pseudonyms),
            )
        )
        + "</tr>"
        for e in sorted(graph, key=lambda e: (e.time_in, e.seq))
    )
    heads = (
        "账本序号 seq", "环节 stage", "来源 from", "去向 to", "形态 form", "操作人 user",
        "进入 time in", "离开 time out", "行数 rows", "患者数 patients",
    )  # fmt: skip
    header = "".join(f"<th>{h}</th>" for h in heads)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:3px 8px;font-size:12px}}th{{background:#eef3fb}}</style>
</head><body><h1>{escape(title)}</h1>
<p>{len(graph.nodes)} 个数据表 tables · {len(graph)} 个环节 steps ·
红色：原始数据或销毁 red: raw data or destruction · 绿色：脱敏/假名化/聚合 green: protected forms</p>
<div style="overflow-x:auto">{render_svg(graph)}</div>
<h2>环节明细 Steps</h2>
<table><tr>{header}</tr>
{rows}
</table></body></html>
"""


def write_html(graph: FlowGraph, out: Path) -> Path:
    atomic.write_text(out, render_html(graph))
    return out
