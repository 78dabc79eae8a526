"""The register's heat map: a 5 x 5 grid of likelihood by severity, as SVG or an HTML page."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from medshield.risk.register import Risk
from medshield.risk.scoring import Band, band_of

CELL = 96
MARGIN = 70
COLOURS = {
    Band.CRITICAL: "#c0392b",
    Band.IMPORTANT: "#e67e22",
    Band.MODERATE: "#f1c40f",
    Band.LOW: "#7dcea0",
    Band.MINOR: "#d5f5e3",
}


def heatmap_svg(risks: Iterable[Risk]) -> str:
    """SVG: severity across, likelihood up; each cell coloured by its band, listing its risks."""
    cells: dict[tuple[int, int], list[Risk]] = {}
    for risk in risks:
        cells.setdefault((risk.likelihood, risk.severity), []).append(risk)
    size = MARGIN + 5 * CELL + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}" font-family="sans-serif" font-size="11">',
        "<title>风险热力图 risk heat map</title>",
    ]
    for likelihood in range(1, 6):
        y = 10 + (5 - likelihood) * CELL
        parts.append(
            f'<text x="{MARGIN - 14}" y="{y + CELL // 2}" text-anchor="end">L={likelihood}</text>'
        )
        for severity in range(1, 6):
            x = MARGIN + (severity - 1) * CELL
            band = band_of(likelihood * severity)
            here = cells.get((likelihood, severity), [])
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" fill="{COLOURS[band]}" '
                f'stroke="#ffffff" data-band="{band.value}" data-count="{len(here)}"/>'
            )
            for i, risk in enumerate(here[:5]):
                parts.append(
                    f'<text x="{x + 6}" y="{y + 16 + 15 * i}" data-risk="{escape(risk.id)}">'
                    f"{escape(risk.id)} {escape(risk.point)}</text>"
                )
    base = 10 + 5 * CELL + 18
    for severity in range(1, 6):
        x = MARGIN + (severity - 1) * CELL + CELL // 2
        parts.append(f'<text x="{x}" y="{base}" text-anchor="middle">S={severity}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def heatmap_html(risks: Iterable[Risk], *, title: str = "数据安全风险登记册") -> str:
    """A self-contained page: the heat map and the register as a table."""
    ordered = sorted(risks, key=lambda r: (-r.score, r.id))
    rows = "\n".join(
        f"<tr><td>{escape(r.id)}</td><td>{escape(r.point)}</td><td>{r.likelihood}</td>"
        f"<td>{r.severity}</td><td>{r.score}</td>"
        f'<td style="background:{COLOURS[r.band]}">{r.band.zh}</td></tr>'
        for r in ordered
    )
    return (
        '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>\n<h1>{escape(title)}</h1>\n"
        f'{heatmap_svg(ordered)}\n<table border="1" cellpadding="4">\n'
        "<tr><th>编号</th><th>风险点</th><th>L</th><th>S</th><th>R</th><th>等级</th></tr>\n"
        f"{rows}\n</table>\n</body></html>\n"
    )
