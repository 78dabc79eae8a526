from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

from medshield.ledger import Ledger
from medshield.lineage import FlowGraph, graph_from_ledger, record_step
from medshield.lineage.render import render_html, render_svg, write_html


def test_page_is_self_contained_and_bilingual(
    ledger: Ledger, flow: dict[str, str], tmp_path: Path
) -> None:
    out = write_html(graph_from_ledger(ledger), tmp_path / "flow.html")
    page = out.read_text(encoding="utf-8")
    assert "<svg" in page and "数据流向图" in page and "Data-flow graph" in page
    assert "共享 share" in page and "脱敏 masked" in page
    assert not re.search(r"<script|https?://(?!www\.w3\.org/2000/svg)", page)
    for node in ("hosp_a/ods_visit", "hub/visit_masked", "research/cohort"):
        assert node in page
    assert flow["a"] not in page


def test_svg_is_well_formed_with_one_box_per_table(ledger: Ledger, flow: dict[str, str]) -> None:
    graph = graph_from_ledger(ledger)
    root = ET.fromstring(render_svg(graph))
    rects = root.findall("{http://www.w3.org/2000/svg}rect")
    assert len(rects) == len(graph.nodes)


def test_labels_are_escaped(ledger: Ledger) -> None:
    now = datetime.now(UTC)
    record_step(ledger, stage="store", actor="etl", from_="a/<b>", to="c/d&e", form="raw",
                time_in=now, time_out=now)  # fmt: skip
    svg = render_svg(graph_from_ledger(ledger))
    ET.fromstring(svg)
    assert "a/&lt;b&gt;" in svg


def test_empty_graph_renders() -> None:
    assert "0 个数据表" in render_html(FlowGraph())
