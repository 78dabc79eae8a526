from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medshield.cli.app import app, main
from medshield.errors import MaskingRefusedError, UnknownNameError

runner = CliRunner()


def _approved(batch: Path, store: str, env: dict[str, str]) -> str:
    """File a dictionary_batch request for ``batch`` through the CLI and approve it."""
    out = runner.invoke(app, ["mask", "dict", "digest", str(batch), "--format", "json"], env=env)
    digest = json.loads(out.output)[0]["digest"]
    asked = runner.invoke(
        app,
        ["approval", "request", "dictionary_batch", "--actor", "secadmin-01", "--subject",
         f"digest={digest}", "--reason", "季度更新", "--store", store, "--format", "json"],
        env=env,
    )  # fmt: skip
    assert asked.exit_code == 0, asked.output
    request = str(json.loads(asked.output)[0]["id"])
    voted = runner.invoke(
        app, ["approval", "vote", request, "--actor", "office-01", "--store", store], env=env
    )
    assert voted.exit_code == 0, voted.output
    return request


def test_import_list_show(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path / 'store.db'}"
    batch = tmp_path / "b1.csv"
    batch.write_text("kind,term,code\nterm,癌症,C80\ndrug,新药甲,\n", encoding="utf-8")
    env = {"MEDSHIELD_HOME": str(tmp_path / "home")}
    args = ["mask", "dict", "import", str(batch), "--store", store]
    refused = runner.invoke(app, [*args, "--approval", "1"], env=env)
    assert refused.exit_code == 1 and isinstance(refused.exception, UnknownNameError)
    result = runner.invoke(
        app, [*args, "--approval", _approved(batch, store, env), "--format", "json"], env=env
    )
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert (row["batch"], row["entries"], row["approved_by"]) == (1, 2, "office-01")

    listed = runner.invoke(
        app, ["mask", "dict", "list", "--store", store, "--format", "jsonl"], env=env
    )
    rows = [json.loads(line) for line in listed.output.splitlines()]
    assert [r["batch"] for r in rows] == [0, 1] and rows[0]["entries"] > 20000

    shown = runner.invoke(
        app, ["mask", "dict", "show", "1", "--store", store, "--format", "csv"], env=env
    )
    assert shown.output.splitlines() == ["kind,term,code", "term,癌症,C80", "drug,新药甲,(removed)"]


def test_show_starter_batch() -> None:
    result = runner.invoke(app, ["mask", "dict", "show", "0", "--format", "jsonl"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {"kind": "drug", "term": "思密达", "code": "蒙脱石散"} in rows


def test_bad_file_prints_code_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,term,code\nsymptom,咳嗽,R05\n", encoding="utf-8")
    store = f"sqlite:///{tmp_path / 'store.db'}"
    argv = ["medshield", "mask", "dict", "import", str(bad), "--approval", "1"]
    monkeypatch.setattr(sys, "argv", [*argv, "--store", store])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("error[MS300]: kind must be term or drug") and "bad.csv:2" in err


def test_plan_prints_operator_and_reason() -> None:
    args = ["mask", "plan", "xm=DE02.01.039.00", "x=", "--role", "doctor"]
    result = runner.invoke(app, [*args, "--scenario", "collaborative_care", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["column"]: r for r in json.loads(result.output)}
    assert rows["xm"]["operator"] == "cover" and rows["xm"]["reason"] == "rule doctor_name_covered"
    assert rows["x"]["operator"] == "suppress" and "fail-closed" in rows["x"]["reason"]


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["--role", "nurse"], "unknown role 'nurse'"),
        (["--role", "researcher", "--scenario", "collaborative_care"], "not granted scenario"),
    ],
)
def test_plan_for_a_refused_context_is_an_error(args: list[str], why: str) -> None:
    result = runner.invoke(app, ["mask", "plan", "xm=DE02.01.039.00", *args])
    assert result.exit_code == 1 and isinstance(result.exception, MaskingRefusedError)
    assert why in result.exception.message


def test_keys_rotate_and_list(tmp_path: Path) -> None:
    env = {"MEDSHIELD_HOME": str(tmp_path), "MEDSHIELD_STORE_URL": f"sqlite:///{tmp_path / 's.db'}"}
    assert runner.invoke(app, ["mask", "keys", "rotate", "--key-id", "k2"], env=env).exit_code == 0
    listed = runner.invoke(app, ["mask", "keys", "list", "--format", "json"], env=env)
    assert json.loads(listed.output) == [
        {"key_id": "k1", "active": False},
        {"key_id": "k2", "active": True},
    ]
    assert "secret" not in listed.output
    from medshield.ledger import open_ledger

    with open_ledger(env["MEDSHIELD_STORE_URL"]) as ledger:
        [event] = [r.event for r in ledger.records(action_prefix="mask.keys.rotate")]
    assert event.detail == {"key_id": "k2", "keys": 2}


def test_stats_gives_statistics_of_masked_groups(tmp_path: Path) -> None:
    from medshield.mask.operators.idnumber import check_digit

    ids = [f"500103{1980 + 10 * (i % 2)}0101{i:03d}" for i in range(30)]
    ids = [i + check_digit(i) for i in ids]
    data = tmp_path / "visits.csv"
    lines = ["sfzh,zfy", *(f"{i},{n}" for n, i in enumerate(ids))]
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {"MEDSHIELD_HOME": str(tmp_path)}
    args = ["mask", "stats", str(data), "--column", "sfzh=DE02.01.030.00", "--measure", "zfy"]
    research = ["--role", "researcher", "--scenario", "clinical_pathway"]
    result = runner.invoke(app, [*args, *research, "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    today = date.today()  # born on 1 January: the age is the difference of the years
    bands = sorted(
        f"{(today.year - y) // 10 * 10}-{(today.year - y) // 10 * 10 + 9}" for y in (1980, 1990)
    )
    assert [(r["sfzh"], r["n"]) for r in rows] == [(bands[0], 15), (bands[1], 15)]
    assert sum(r["zfy_sum"] for r in rows) == sum(range(30))
    assert not any(i in result.output for i in ids)
