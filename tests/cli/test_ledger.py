"""``medshield ledger``: verify, export, replicate, status, tail, restore, drill."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from medshield.ledger import DataObject, Event, open_ledger

from .conftest import Medshield


@pytest.fixture
def store(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MEDSHIELD_STORE_URL", sqlite_url)
    with open_ledger(sqlite_url, checkpoint_every=10) as ledger:
        for start in range(0, 40, 8):
            ledger.append_many(
                [
                    Event(
                        action="query.run",
                        actor=f"analyst_{i}",
                        object=DataObject(table="处方"),
                        rows=i,
                    )
                    for i in range(start, start + 8)
                ]
            )
    return sqlite_url


def test_verify_tail_status(store: str, medshield: Medshield) -> None:
    code, out, _ = medshield("ledger", "verify", "--format", "json")
    assert code == 0
    [row] = json.loads(out)
    assert row["ok"] is True and row["checked"] == 40
    code, out, _ = medshield("ledger", "tail", "-n", "3", "--format", "jsonl")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["seq"] for r in rows] == [38, 39, 40]
    assert rows[0]["object"] == "处方"
    code, out, _ = medshield("ledger", "status", "--format", "json")
    assert code == 0
    assert {"item": "head", "value": 40} in json.loads(out)


def test_verify_names_the_edited_record(store: str, medshield: Medshield) -> None:
    with sqlite3.connect(store.removeprefix("sqlite:///")) as conn:
        conn.execute(
            "UPDATE ledger_records SET body = replace(body, '处方', '医嘱') WHERE seq = 17"
        )
    code, out, err = medshield("ledger", "verify", "--format", "json")
    assert code == 1
    assert json.loads(out)[0]["first_bad_seq"] == 17
    assert err.startswith("error[MS501]: record 17 does not match its hash")
    assert "Traceback" not in err


def test_export_then_verify_file(store: str, tmp_path: Path, medshield: Medshield) -> None:
    out_file = tmp_path / "range.jsonl"
    code, out, _ = medshield(
        "ledger",
        "export",
        "--from",
        "12",
        "--to",
        "25",
        "--out",
        str(out_file),
        "--format",
        "json",
    )
    assert code == 0 and json.loads(out)[0]["records"] == 14
    code, out, _ = medshield("ledger", "verify", "--file", str(out_file), "--format", "json")
    assert code == 0 and json.loads(out)[0]["checked"] == 14
    lines = out_file.read_text(encoding="utf-8").splitlines()
    out_file.write_text(
        "\n".join(line for line in lines if '"seq": 20,' not in line) + "\n", encoding="utf-8"
    )
    code, _, err = medshield("ledger", "verify", "--file", str(out_file))
    assert code == 1 and "record 20 is missing" in err


def test_replicate_restore_drill(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, medshield: Medshield
) -> None:
    replica = tmp_path / "replica"
    monkeypatch.setenv("MEDSHIELD_LEDGER_REPLICAS", str(replica))
    code, out, _ = medshield("ledger", "status", "--format", "json")
    status = {r["item"]: r["value"] for r in json.loads(out)}
    assert code == 0 and status[f"replica {replica} seq"] == 0
    assert status[f"replica {replica} lag records"] == 40 and status["head"] == 40
    assert isinstance(status[f"replica {replica} lag seconds"], float)
    code, out, _ = medshield("ledger", "replicate", "--format", "json")
    assert code == 0 and json.loads(out)[0]["lag_records"] == 0
    target = f"sqlite:///{tmp_path / 'rebuilt.db'}"
    code, out, _ = medshield(
        "ledger",
        "restore",
        "--from",
        str(replica),
        "--to",
        target,
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(out)[0] == {**json.loads(out)[0], "records": 40, "head": 40, "verified": True}
    code, out, _ = medshield("ledger", "drill", "--format", "json")
    assert code == 0
    rows = {r["check"]: r["value"] for r in json.loads(out)}
    assert rows["acknowledged records lost"] == 0 and rows["drill passed"] is True


def test_no_replica_warns_and_refuses_the_drill(store: str, medshield: Medshield) -> None:
    code, out, err = medshield("ledger", "status", "--store", store, "--format", "json")
    status = {r["item"]: r["value"] for r in json.loads(out)}
    assert code == 0 and "no replica configured" in status["warning"]
    assert err.startswith("warning: no replica configured")
    code, out, err = medshield("ledger", "drill")
    assert code == 1 and err.startswith("error[MS603]: no replica configured") and out == ""


def test_verify_against_replica_shows_a_cut_tail(
    store: str, tmp_path: Path, medshield: Medshield
) -> None:
    replica = str(tmp_path / "replica")
    code, _, _ = medshield("ledger", "replicate", "--replica", replica)
    assert code == 0
    with sqlite3.connect(store.removeprefix("sqlite:///")) as conn:
        (kept,) = conn.execute("SELECT hash FROM ledger_records WHERE seq = 30").fetchone()
        conn.execute("DELETE FROM ledger_records WHERE seq > 30")
        conn.execute("DELETE FROM ledger_checkpoints WHERE seq > 30")
        conn.execute("UPDATE ledger_head SET seq = 30, hash = ? WHERE id = 1", (kept,))
    code, _, _ = medshield("ledger", "verify")
    assert code == 0  # the primary alone cannot tell
    code, _, err = medshield("ledger", "verify", "--replica", replica)
    assert code == 1
    assert "the replica holds records up to 40, the primary ends at 30" in err


def test_replicate_every_keeps_shipping(store: str, tmp_path: Path, medshield: Medshield) -> None:
    replica = str(tmp_path / "replica")
    args = ("ledger", "replicate", "--replica", replica, "--every", "0.05", "--rounds", "2")
    code, out, _ = medshield(*args, "--format", "jsonl")
    assert code == 0
    rounds = [json.loads(line) for line in out.splitlines()]
    assert [r["shipped"] for r in rounds] == [40, 0]
    assert [r["lag_records"] for r in rounds] == [0, 0]
