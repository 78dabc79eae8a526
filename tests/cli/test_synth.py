from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medshield.cli.app import app, main
from medshield.synth import AllianceManifest

runner = CliRunner()


def test_synth_writes_databases_and_reports_them(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["synth", "--out", str(tmp_path), "--patients", "50", "--seed", "4", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    manifest = AllianceManifest.read(tmp_path)
    assert {r["institution"] for r in rows} == set(manifest.databases)
    assert sum(r["rows"] for r in rows) == manifest.total_rows
    assert all(Path(r["database"].removeprefix("sqlite:///")).is_file() for r in rows)


def test_history_tables_option(tmp_path: Path) -> None:
    args = ["synth", "--out", str(tmp_path), "--patients", "10", "--history-tables", "3"]
    result = runner.invoke(app, [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert AllianceManifest.read(tmp_path).rows["h1"]["lab_result_202212"] > 0


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--patients", "0"], "error[MS300]: patients must be at least 1"),
        (["--patients", "5", "--url-template", "mysql+pymysql://root@127.0.0.1:1/{db}"],
         "error[MS401]: cannot create database"),
    ],
)  # fmt: skip
def test_bad_input_prints_a_coded_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: str,
) -> None:
    monkeypatch.setattr(sys, "argv", ["medshield", "synth", "--out", str(tmp_path), *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith(code) and "Traceback" not in err


def test_unwritable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setattr(sys, "argv", ["medshield", "synth", "--out", str(blocker / "x")])
    with pytest.raises(SystemExit):
        main()
    assert capsys.readouterr().err.startswith("error[MS300]: cannot write to the output folder")
