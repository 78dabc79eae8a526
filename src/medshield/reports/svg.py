"""Charts as inline SVG: drawn by the platform itself, so a report needs no script and no network,
and the same markup goes into HTML and PDF."""

from __future__ import annotations

from html import escape

from medshield.reports.model import Chart

WIDTH, HEIGHT, PAD, BOTTOM = 760, 260, 40, 70
COLOURS = {"peak": "#d9534f", "off_peak": "#5bc0de", "": "#3b7dd8"}


def render_chart(chart: Chart) -> str:
    if not chart.values:
        return ""
    top = max(chart.values) or 1
    n = len(chart.values)
    step = (WIDTH - 2 * PAD) / n
    plot = HEIGHT - PAD - BOTTOM

    def y(v: float) -> float:
        return PAD + plot * (1 - v / top)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" class="chart">',
        f'<line x1="{PAD}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - PAD}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#888"/>',
        f'<text x="{PAD - 4}" y="{PAD + 4}" text-anchor="end" font-size="10">{top:g}</text>',
    ]
    marks = chart.marks or [""] * n
    points = []
    for i, (name, value) in enumerate(zip(chart.labels, chart.values, strict=True)):
        x = PAD + i * step
        colour = COLOURS.get(marks[i], COLOURS[""])
        if chart.kind == "bar":
            parts.append(
                f'<rect x="{x + step * 0.1:.1f}" y="{y(value):.1f}" width="{step * 0.8:.1f}" '
                f'height="{HEIGHT - BOTTOM - y(value):.1f}" fill="{colour}">'
                f"<title>{escape(name)}: {value:g}</title></rect>"
            )
        else:
            cx = x + step / 2
            points.append(f"{cx:.1f},{y(value):.1f}")
            parts.append(f'<circle cx="{cx:.1f}" cy="{y(value):.1f}" r="3" fill="{colour}"/>')
        lx, ly = x + step / 2, HEIGHT - BOTTOM + 12
        parts.append(
            f'<text x="{lx:.1f}" y="{ly}" font-size="10" text-anchor="end" '
            f'transform="rotate(-45 {lx:.1f} {ly})">{escape(name[:24])}</text>'
        )
    if points:
        parts.insert(3, f'<polyline fill="none" stroke="#3b7dd8" points="{" ".join(points)}"/>')
    parts.append("</svg>")
    return "".join(parts)
