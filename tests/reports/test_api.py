"""The API detection report over a ledger with known content gives exact numbers."""

from __future__ import annotations

from medshield.ledger import Ledger
from medshield.policy import PolicyBundle
from medshield.reports import build_report

from .history import WINDOW


def _rows(report, key):  # type: ignore[no-untyped-def]
    return report.section(key).rows


def test_totals_and_per_institution(ledger: Ledger, bundle: PolicyBundle) -> None:
    rep = build_report("api", ledger, bundle, *WINDOW)
    totals = {r["metric"]: r["value"] for r in _rows(rep, "totals")}
    assert totals == {"请求数": 5, "返回记录数": 16, "受控记录数": 7, "拒绝数": 1,
                      "平均响应(ms)": 21.0, "最大响应(ms)": 40.0}  # fmt: skip
    by_inst = {r["institution"]: r for r in _rows(rep, "by_institution")}
    h1 = by_inst["渝州大学第一附属医院"]
    assert (h1["requests"], h1["records"], h1["under_control"], h1["max_ms"]) == (3, 6, 2, 40.0)
    assert h1["avg_ms"] == round(80 / 3, 2)
    m1 = by_inst["北碚区人民医院"]
    assert (m1["requests"], m1["records"], m1["denied"], m1["avg_ms"]) == (2, 10, 1, 12.5)


def test_locations_errors_intercepts_probes(ledger: Ledger, bundle: PolicyBundle) -> None:
    rep = build_report("api", ledger, bundle, *WINDOW)
    places = {(r["location"], r["requests"]) for r in _rows(rep, "locations")}
    assert places == {("重庆市沙坪坝区", 3), ("重庆市北碚区", 1), ("未知（公网或未登记）", 1)}
    assert _rows(rep, "errors") == [{"code": "MS617", "status": 429, "count": 1,
                                     "api": "patient.visits", "detail": "over the rate limit"}]  # fmt: skip
    assert _rows(rep, "intercepts") == [
        {"kind": "field:id_number", "api": "patient.visits", "count": 1}
    ]
    assert _rows(rep, "probes") == [{"probe": "patient.summary", "passed": 1, "failed": 1,
                                     "last_failure": "masking: id_number clear"}]  # fmt: skip


def test_trend_marks_peaks_in_local_time(ledger: Ledger, bundle: PolicyBundle) -> None:
    rep = build_report("api", ledger, bundle, *WINDOW, lang="en")
    trend = {r["hour"]: (r["requests"], r["period"]) for r in _rows(rep, "trend")}
    assert trend["10:00"] == (3, "peak") and trend["11:00"] == (2, "peak")
    assert trend["03:00"] == (0, "off-peak")
    assert rep.section("trend").chart is not None


def test_load_assessment(ledger: Ledger, bundle: PolicyBundle) -> None:
    rep = build_report("api", ledger, bundle, *WINDOW, lang="en")
    load = {r["api"]: r for r in _rows(rep, "load")}
    visits = load["patient.visits"]
    assert (visits["daily_peak"], visits["peak_day"], visits["peak_per_minute"]) == (
        2, "2026-11-02", 1,
    )  # fmt: skip
    summary = load["patient.summary"]
    assert summary["peak_per_minute"] == 2 and summary["advice"] == "capacity sufficient"
    assert summary["utilisation"] == round(2 / summary["rate_per_minute"], 3)
