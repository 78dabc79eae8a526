"""``medshield report``: HTML and JSON files, Chinese by default, English on request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.reports.history import KNOWN

from medshield.ledger import open_ledger
from medshield.reports.echarts import echarts_script

from .conftest import Medshield

WINDOW = ["--from", "2026-11-01", "--to", "2026-11-10"]


@pytest.fixture
def store(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MEDSHIELD_STORE_URL", sqlite_url)
    with open_ledger(sqlite_url) as ledger:
        ledger.append_many(KNOWN)
    return sqlite_url


def test_html_report_in_chinese_with_charts(
    store: str, tmp_path: Path, medshield: Medshield
) -> None:
    out = tmp_path / "api.html"
    code, stdout, err = medshield("report", "api", *WINDOW, "--out", str(out), "--format", "json")
    assert code == 0, err
    assert json.loads(stdout)[0]["out"] == str(out)
    page = out.read_text(encoding="utf-8")
    assert "数据接口检测报告" in page and "按接口统计" in page
    assert "<script src" not in page and "<link" not in page  # nothing fetched: no CDN
    if echarts_script() is not None:  # vendored at build time (scripts/vendor_js.sh)
        assert "echarts.init(" in page and 'id="chart-by_api"' in page
    else:
        assert "<svg" in page


def test_json_report_in_english(store: str, tmp_path: Path, medshield: Medshield) -> None:
    out = tmp_path / "c.json"
    code, _, err = medshield("report", "compliance", *WINDOW, "--out", str(out), "--lang", "en")
    assert code == 0, err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["title"] == "Compliance report"
    rows = {r["key"]: r for r in data["sections"]["figures"]["rows"]}
    assert rows["consent_grants"]["value"] == 1 and rows["consent_grants"]["seqs"] == "13"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--from", "2026-11-10", "--to", "2026-11-01", "--out", "x.html"], "MS300"),
        (["--from", "yesterday", "--to", "2026-11-01", "--out", "x.html"], "MS300"),
        (["--from", "2026-11-01", "--to", "2026-11-10", "--out", "x.docx"], "MS300"),
        (
            ["--from", "2026-11-01", "--to", "2026-11-10", "--out", "x.html", "--lang", "fr"],
            "MS300",
        ),
    ],
)
def test_bad_input_is_an_error_not_a_traceback(
    store: str, tmp_path: Path, medshield: Medshield, args: list[str], code: str
) -> None:
    exit_code, _, err = medshield("report", "audit", *args)
    assert exit_code != 0 and f"error[{code}]" in err and "Traceback" not in err
