from __future__ import annotations

import json
from pathlib import Path

import pytest

from medshield.cli.app import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
        ) -> tuple[int, str, str]:  # fmt: skip
    monkeypatch.setattr("sys.argv", ["medshield", *argv])
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


P = "k1:PABCDEFGHIJKLMNOP"


def test_record_then_ask(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    steps = [
        ["--stage", "collect", "--from", "m1_his/visit", "--to", "hub/visit", "--actor", "his-m1"],
        ["--stage", "share", "--from", "hub/visit", "--to", "research/cohort", "--form",
         "masked", "--actor", "researcher-007"],
    ]  # fmt: skip
    for step in steps:
        code, _, err = run(["lineage", "record", *step, "--pseudonym", P], capsys, monkeypatch)
        assert code == 0, err
    code, out, _ = run(["lineage", "table", "m1_his/visit", "--format", "json"], capsys,
                       monkeypatch)  # fmt: skip
    rows = json.loads(out)
    assert code == 0 and [(r["depth"], r["to"], r["form"]) for r in rows] == [
        (1, "hub/visit", "raw"), (2, "research/cohort", "masked")]  # fmt: skip
    code, out, _ = run(["lineage", "patient", P, "--format", "jsonl"], capsys, monkeypatch)
    assert [json.loads(line)["actor"] for line in out.splitlines()] == ["his-m1", "researcher-007"]
    code, out, _ = run(["lineage", "export", "--out", str(tmp_path / "ol.jsonl")], capsys,
                       monkeypatch)  # fmt: skip
    assert code == 0 and len((tmp_path / "ol.jsonl").read_text().splitlines()) == 2
    code, out, _ = run(["lineage", "render", "--out", str(tmp_path / "g.html")], capsys,
                       monkeypatch)  # fmt: skip
    assert code == 0 and "research/cohort" in (tmp_path / "g.html").read_text(encoding="utf-8")


def test_raw_id_is_an_error_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(["lineage", "patient", "110101199003077578"], capsys, monkeypatch)
    assert code == 1 and err.startswith("error[MS502]") and "Traceback" not in err
