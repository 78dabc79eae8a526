"""Charts as Apache ECharts in HTML reports. The library is copied into the package at build time
(``scripts/vendor_js.sh``, from the npm package ``echarts``) and embedded in the page, never
loaded from a CDN; without it, and in PDF, charts are the project's own SVG."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from medshield.reports.model import Chart
from medshield.reports.svg import COLOURS

ASSET = Path(__file__).parent / "static" / "echarts.min.js"


@cache
def echarts_script() -> str | None:
    """The vendored ``echarts.min.js``, or None when the build did not copy it."""
    return ASSET.read_text(encoding="utf-8") if ASSET.is_file() else None


def chart_option(chart: Chart) -> dict[str, object]:
    marks = chart.marks or [""] * len(chart.values)
    data = [
        {"value": v, "itemStyle": {"color": COLOURS.get(m, COLOURS[""])}}
        for v, m in zip(chart.values, marks, strict=True)
    ]
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "grid": {"bottom": 90, "left": 60, "right": 20},
        "xAxis": {"type": "category", "data": chart.labels, "axisLabel": {"rotate": 45}},
        "yAxis": {"type": "value"},
        "series": [{"type": chart.kind, "data": data}],
    }


def render_echart(chart: Chart, element_id: str) -> str:
    option = json.dumps(chart_option(chart), ensure_ascii=False).replace("</", "<\\/")
    return (
        f'<div id="{element_id}" class="echart" style="width:760px;height:300px"></div>'
        f"<script>echarts.init(document.getElementById('{element_id}')).setOption({option});"
        "</script>"
    )
