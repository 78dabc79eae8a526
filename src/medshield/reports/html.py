"""A report as one self-contained HTML page (tables and inline SVG charts, no external files)."""

from __future__ import annotations

from html import escape
from typing import Any

from medshield.reports.echarts import echarts_script, render_echart
from medshield.reports.labels import label
from medshield.reports.mapchart import render_map_echart, render_map_svg
from medshield.reports.model import Report, Section
from medshield.reports.svg import render_chart

STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif;
       margin: 2em; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1.5em; font-size: 13px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
th { background: #f0f3f8; }
td.num { text-align: right; }
.meta { color: #666; }
"""


def _cell(value: Any) -> str:
    if value is None:
        return '<td class="num">-</td>'
    if isinstance(value, (int, float)):
        return (
            f'<td class="num">{value:g}</td>'
            if isinstance(value, float)
            else (f'<td class="num">{value}</td>')
        )
    return f"<td>{escape(str(value))}</td>"


def _section(section: Section, lang: str, echarts: bool) -> str:
    head = "".join(f"<th>{escape(label(c, lang))}</th>" for c in section.columns)
    body = (
        "".join(
            "<tr>" + "".join(_cell(row.get(c)) for c in section.columns) + "</tr>"
            for row in section.rows
        )
        or f'<tr><td colspan="{len(section.columns)}">{escape(label("none", lang))}</td></tr>'
    )
    chart = ""
    if section.chart and section.rows:
        chart = (
            render_echart(section.chart, f"chart-{section.key}")
            if echarts
            else render_chart(section.chart)
        )
    if section.map:
        chart = (
            render_map_echart(section.map, lang, f"map-{section.key}")
            if echarts
            else render_map_svg(section.map, lang)
        ) + chart
    note = f'<p class="meta">{escape(section.note)}</p>' if section.note else ""
    return (
        f'<section id="{escape(section.key)}"><h2>{escape(label(section.key, lang))}</h2>'
        f"{note}{chart}<table><tr>{head}</tr>{body}</table></section>"
    )


def render_html(report: Report, *, charts: str = "echarts") -> str:
    """The page; ``charts="echarts"`` embeds the vendored ECharts when the build copied it,
    ``"svg"`` (and a build without it) draws inline SVG, which also serves PDF."""
    lang = report.lang
    script = echarts_script() if charts == "echarts" else None
    title = escape(label(f"report.{report.kind}", lang))
    meta = (
        f'<p class="meta">{escape(label("window", lang))}: {report.since.isoformat()} — '
        f"{report.until.isoformat()}; {escape(label('records_read', lang))}: "
        f"{report.records_read}</p>"
    )
    sections = "".join(_section(s, lang, script is not None) for s in report.sections)
    head_script = f"<script>{script}</script>" if script else ""
    html_lang = "en" if lang == "en" else "zh-CN"
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{STYLE}</style>{head_script}</head>"
        f"<body><h1>{title}</h1>{meta}{sections}</body></html>\n"
    )
