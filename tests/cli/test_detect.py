from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medshield.cli.app import app, main

runner = CliRunner()


def test_column_summary_from_file(tmp_path: Path) -> None:
    values = tmp_path / "phones.txt"
    values.write_text("13800138000\n138****5678\n\n无\n", encoding="utf-8")
    result = runner.invoke(
        app, ["detect", "column", str(values), "--label", "联系电话", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert (row["detector"], row["hits"], row["masked_rate"]) == ("mobile", 2, 0.5)
    assert row["hit_rate"] == round(2 / 3, 4)


def test_text_findings_are_redacted() -> None:
    text = "患者张三，电话13800138000"
    result = runner.invoke(app, ["detect", "text", text, "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["detector"], text[r["start"] : r["end"]]) for r in rows] == [
        ("person_name", "张三"),
        ("mobile", "13800138000"),
    ]
    assert "13800138000" not in result.output


def test_list_names_every_detector() -> None:
    result = runner.invoke(app, ["detect", "list", "--format", "csv"])
    assert result.exit_code == 0
    assert "record_number" in result.output and "patterns" in result.output


def test_missing_file_is_an_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["medshield", "detect", "column", str(tmp_path / "none.txt")])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("error[MS300]: cannot read values") and "Traceback" not in err
