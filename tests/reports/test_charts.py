"""Charts: ECharts options from the report's figures; SVG for PDF and builds without ECharts."""

from __future__ import annotations

import pytest

from medshield.ledger import Ledger
from medshield.policy import PolicyBundle
from medshield.reports import build_report
from medshield.reports.echarts import ASSET, chart_option, echarts_script
from medshield.reports.html import render_html
from medshield.reports.svg import COLOURS

from .history import WINDOW


def test_the_trend_option_colours_peaks(ledger: Ledger, bundle: PolicyBundle) -> None:
    chart = build_report("api", ledger, bundle, *WINDOW).section("trend").chart
    assert chart is not None
    option = chart_option(chart)
    assert option["xAxis"]["data"][10] == "10:00"  # type: ignore[index]
    point = option["series"][0]["data"][10]  # type: ignore[index]
    assert point == {"value": 3.0, "itemStyle": {"color": COLOURS["peak"]}}


def test_svg_charts_when_asked(ledger: Ledger, bundle: PolicyBundle) -> None:
    page = render_html(build_report("api", ledger, bundle, *WINDOW), charts="svg")
    assert "<svg" in page and "echarts" not in page


@pytest.mark.skipif(not ASSET.is_file(), reason="ECharts not vendored: run scripts/vendor_js.sh")
def test_echarts_is_embedded_not_fetched(ledger: Ledger, bundle: PolicyBundle) -> None:
    page = render_html(build_report("api", ledger, bundle, *WINDOW))
    script = echarts_script()
    assert script is not None and script[:200] in page
    assert page.count('class="echart"') == 4  # by API, the locations map and bars, the trend
    assert page.count('id="map-locations"') == 1
