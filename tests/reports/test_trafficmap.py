"""The traffic map: calls and intercepts placed by the caller's registered location, exactly."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from medshield.ledger import Event, Ledger, open_ledger
from medshield.policy import PolicyBundle
from medshield.policy.schema import Institution, Location
from medshield.reports import build_report, write_report
from medshield.reports.html import render_html
from medshield.reports.mapchart import HIGH, map_option, render_map_svg, tile_colour
from medshield.reports.tilegrid import BY_CODE, COLS, ROWS, TILES, UNKNOWN_AT, tile_of
from medshield.reports.trafficmap import TrafficMapBuilder, traffic_map

from .history import WINDOW


def test_the_layout_has_every_division_once_on_its_own_tile() -> None:
    assert len(TILES) == 34 == len(BY_CODE)
    places = {(t.row, t.col) for t in TILES}
    assert len(places) == 34 and UNKNOWN_AT not in places
    assert all(0 <= t.row < ROWS and 0 <= t.col < COLS for t in TILES)
    assert tile_of("500106") is not None and tile_of("500106").zh == "重庆"  # type: ignore[union-attr]
    assert tile_of("990101") is None


def test_the_known_history_on_the_map(ledger: Ledger, bundle: PolicyBundle) -> None:
    tmap = traffic_map(ledger, bundle.institutions, *WINDOW)
    chongqing = tmap.region("50")
    # 10.1.0.5 twice and 10.1.0.6 (h1), 10.11.0.9 (m1); the call from 203.0.113.7 is unknown
    assert (chongqing.calls, chongqing.intercepts) == (4, 1)
    assert (tmap.unknown.calls, tmap.unknown.intercepts) == (1, 1)
    by_id = {i["id"]: (i["calls"], i["intercepts"]) for i in chongqing.institutions}
    assert len(by_id) == len(bundle.institutions)  # every institution registered in Chongqing
    assert by_id["h1"] == (3, 1) and by_id["m1"] == (1, 0) and by_id["c3"] == (0, 0)
    assert sum(r.calls for r in tmap.regions) == 4  # no other tile has traffic
    # the report carries the same map (the call on day 20 lies outside the window)
    section = build_report("api", ledger, bundle, *WINDOW).section("locations")
    assert section.map is not None and section.map.as_dict() == tmap.as_dict()


def _inst(id_: str, code: str, cidr: str, province: str) -> Institution:
    return Institution(id=id_, name=f"{province}测试医院", kind="member", cidrs=(cidr,),
                       location=Location(province=province, city=province, district="某区",
                                         admin_code=code))  # fmt: skip


def test_alerts_other_provinces_and_codes_off_the_grid(tmp_path: Path) -> None:
    insts = [_inst("sc", "510104", "10.51.0.0/16", "四川省"),
             _inst("gd", "440104", "2001:db8:44::/48", "广东省"),
             _inst("xx", "990101", "10.99.0.0/16", "某地")]  # fmt: skip
    builder = TrafficMapBuilder(insts)
    with open_ledger(f"sqlite:///{tmp_path / 'l.db'}") as ledger:
        ledger.append_many([
            Event(action="gateway.call", actor="t", source_ip="10.51.3.4", outcome="allow"),
            Event(action="gateway.call", actor="t", source_ip="10.51.3.4", outcome="deny"),
            Event(action="gateway.alert", actor="gateway", source_ip="10.51.9.9", outcome="alert"),
            Event(action="gateway.call", actor="t", source_ip="2001:db8:44::7", outcome="alert"),
            Event(action="gateway.call", actor="t", source_ip="10.99.0.1", outcome="allow"),
            Event(action="gateway.call", actor="t", source_ip="8.8.8.8", outcome="allow"),
            Event(action="gateway.call", actor="t", outcome="allow"),  # no address at all
            Event(action="audit.sql.run", actor="a", source_ip="10.51.3.4", outcome="alert"),
        ])  # fmt: skip
        for record in ledger.raw_records():
            builder.add_record(record)
    tmap = builder.build()
    assert (tmap.region("51").calls, tmap.region("51").intercepts) == (2, 2)
    assert (tmap.region("44").calls, tmap.region("44").intercepts) == (1, 1)
    # the institution whose code has no tile, the public address and the missing one
    assert (tmap.unknown.calls, tmap.unknown.intercepts) == (3, 0)
    assert builder.build().as_dict() == tmap.as_dict()  # building twice counts once
    listed = json.dumps(tmap.as_dict(), ensure_ascii=False)
    assert "四川省测试医院" in listed and "某地测试医院" not in listed


def test_the_map_drawn_as_svg_and_as_echarts(ledger: Ledger, bundle: PolicyBundle) -> None:
    tmap = traffic_map(ledger, bundle.institutions, *WINDOW)
    assert tile_colour(4, 4) == "#{:02x}{:02x}{:02x}".format(*HIGH)
    svg = render_map_svg(tmap, "zh")
    assert svg.count("<rect") == 35  # 34 divisions and the unknown tile
    assert (
        f'fill="{tile_colour(4, 4)}"' in svg and "拦截 1" in svg and "渝州大学第一附属医院" in svg
    )
    assert ">CQ<" in render_map_svg(tmap, "en") and ">Unknown<" in render_map_svg(tmap, "en")
    data = map_option(tmap, "en")["series"][0]["data"]  # type: ignore[index]
    cq = next(d for d in data if d["name"] == "50")
    assert cq["value"] == [2, 4, 4] and cq["label"]["formatter"] == "CQ\n4\n{x|intercepts 1}"
    unknown = next(d for d in data if d["name"] == "unknown")
    assert unknown["value"] == [UNKNOWN_AT[1], UNKNOWN_AT[0], 1]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_pdf_report_draws_the_map(ledger: Ledger, bundle: PolicyBundle, tmp_path: Path) -> None:
    report = build_report("api", ledger, bundle, *WINDOW)
    page = render_html(report, charts="svg")  # what the PDF lays out: no script
    assert page.count('class="chart map"') == 1 and "<script" not in page
    pdf = write_report(report, tmp_path / "api.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    assert "示意图" in text and "新疆" in text and "重庆" in text and "未知" in text
