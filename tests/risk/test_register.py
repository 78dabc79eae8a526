from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pytest

from medshield.errors import RiskRegisterError
from medshield.ledger import Ledger
from medshield.risk import (
    TABLE_1,
    Band,
    assess,
    default_register,
    heatmap_html,
    heatmap_svg,
    history,
    read_register,
    to_csv,
    to_json,
)


def test_table_1_gives_1_critical_2_important_5_moderate_4_low() -> None:
    bands = Counter(r.band for r in default_register().values())
    assert len(TABLE_1) == 12
    assert bands == {Band.CRITICAL: 1, Band.IMPORTANT: 2, Band.MODERATE: 5, Band.LOW: 4}


def test_table_1_rows_as_in_the_paper() -> None:
    reg = default_register()
    assert (reg["RK01"].point, reg["RK01"].score, reg["RK01"].band.zh) == (
        "数据泄漏风险",
        25,
        "关键风险",
    )
    assert (reg["RK05"].likelihood, reg["RK05"].severity, reg["RK05"].band) == (
        3,
        5,
        Band.IMPORTANT,
    )
    assert (reg["RK10"].score, reg["RK10"].band) == (4, Band.LOW)


def test_assessments_change_the_register_and_keep_history(ledger: Ledger) -> None:
    assert read_register(ledger) == default_register()
    assess(ledger, "office-01", "RK10", 3, 2, "流量告警增多")
    risk = assess(ledger, "office-01", "RK10", 3, 3, "复核后提高影响")
    assert (risk.score, risk.band, risk.assessed_by) == (9, Band.MODERATE, "office-01")
    assert read_register(ledger)["RK10"] == risk
    steps = history(ledger, "RK10")
    assert [(h.likelihood, h.severity) for h in steps] == [(2, 2), (3, 2), (3, 3)]
    assert steps[0].assessed_by == "paper-table-1"
    assert [r.event.detail["previous"] for r in ledger.records(action_prefix="risk.assessed")] == [
        [2, 2], [3, 2]]  # fmt: skip


def test_an_assessment_keeps_what_it_weighed(ledger: Ledger) -> None:
    factors = {"stage": "共享", "users": "科研人员批量导出", "controls": "令牌范围过宽"}
    risk = assess(ledger, "office-01", "RK03", 5, 3, "导出量增长", factors=factors)
    assert risk.factors == factors and history(ledger, "RK03")[-1].factors == factors
    with pytest.raises(RiskRegisterError, match="unknown factor"):
        assess(ledger, "office-01", "RK03", 5, 3, "x", factors={"mood": "bad"})


def test_bad_assessments_are_refused(ledger: Ledger) -> None:
    with pytest.raises(RiskRegisterError):
        assess(ledger, "office-01", "RK99", 2, 2, "x")
    with pytest.raises(RiskRegisterError):
        assess(ledger, "office-01", "RK01", 6, 2, "x")
    with pytest.raises(RiskRegisterError):
        assess(ledger, "office-01", "RK01", 2, 2, "  ")
    with pytest.raises(RiskRegisterError):
        history(ledger, "RK99")
    assert ledger.is_empty()


def test_exports_and_heat_map(ledger: Ledger) -> None:
    risks = read_register(ledger).values()
    rows = list(csv.DictReader(io.StringIO(to_csv(risks))))
    assert len(rows) == 12 and rows[0]["id"] == "RK01" and rows[0]["band_zh"] == "关键风险"
    assert json.loads(to_json(risks))[9]["score"] == 4
    svg = heatmap_svg(risks)
    assert svg.count("<rect") == 25 and svg.count("data-risk=") == 12
    assert 'data-band="critical" data-count="1"' in svg
    page = heatmap_html(risks)
    assert page.startswith("<!doctype html>") and page.count("<tr>") == 13
