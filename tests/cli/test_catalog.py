"""``medshield scan``, ``catalog report|override|levelmap``, ``classify train`` end to end."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medshield.cli.app import app

runner = CliRunner()


def _source(tmp_path: Path) -> str:
    path = tmp_path / "his.db"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE brjbxx (brid INTEGER PRIMARY KEY, brxm TEXT, sfzh TEXT, lxdh TEXT, bz TEXT);"
        "INSERT INTO brjbxx VALUES (1, '张三', '11010519491231002X', '13800138000', '');"
    )
    db.commit()
    db.close()
    return f"sqlite:///{path}"


def test_scan_report_override_levelmap(tmp_path: Path) -> None:
    url = _source(tmp_path)
    result = runner.invoke(app, ["scan", url, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["classified"] == 1

    result = runner.invoke(app, ["catalog", "report", "--format", "json"])
    rows = {r["column"]: r for r in json.loads(result.output)}
    assert rows["sfzh"]["element"] == "DE02.01.030.00"
    assert rows["brxm"]["level"] == "important"
    assert {"source", "table", "column", "element", "category", "level", "confidence"} <= set(
        rows["lxdh"]
    )

    result = runner.invoke(app, ["catalog", "report", "--totals", "--format", "csv"])
    assert result.output.splitlines()[0] == "category,level,columns"

    result = runner.invoke(
        app,
        [
            "catalog",
            "override",
            "his.db",
            "brjbxx",
            "bz",
            "--level",
            "controlled",
            "--reason",
            "备注常含病情隐私",
            "--by",
            "med-affairs",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["level"] == "controlled"

    out = tmp_path / "levels.json"
    result = runner.invoke(app, ["catalog", "levelmap", "--out", str(out)])
    assert result.exit_code == 0, result.output
    mapping = json.loads(out.read_text(encoding="utf-8"))
    (tables,) = mapping.values()
    assert tables["brjbxx"]["bz"]["level"] == "controlled"
    assert tables["brjbxx"]["sfzh"] == {"element": "DE02.01.030.00", "level": "important"}


@pytest.mark.slow
def test_train_writes_a_model(tmp_path: Path) -> None:
    labels = tmp_path / "labels.csv"
    labels.write_text("table,column,element\nbr,hzxm,DE02.01.039.00\n", encoding="utf-8")
    out = tmp_path / "model.joblib"
    result = runner.invoke(app, ["classify", "train", "--labels", str(labels), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    again = tmp_path / "again.joblib"
    second = runner.invoke(app, ["classify", "train", "--labels", str(labels), "--out", str(again)])
    assert result.output.split(":")[0] == second.output.split(":")[0]  # same data, same version
