"""``medshield destroy``: fail closed, dry run, certificate in the ledger."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from medshield.ledger import open_ledger

from .conftest import Medshield


@pytest.fixture
def source(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'his.db'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text("CREATE TABLE visits (id INTEGER PRIMARY KEY, name TEXT, visited TIMESTAMP)")
        )
        for i, (name, visited) in enumerate([("张三", "1990-01-01"), ("李四", "1991-02-03"),
                                             ("王五", "2026-01-01")]):  # fmt: skip
            conn.execute(
                text("INSERT INTO visits VALUES (:i, :n, :v)"), {"i": i, "n": name, "v": visited}
            )
    engine.dispose()
    return url


def _count(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM visits")).scalar_one()
    engine.dispose()
    return int(n)


def test_refused_without_approver(source: str, medshield: Medshield) -> None:
    code, _, err = medshield("destroy", source, "--table", "visits", "--where", "id = 0")
    assert code == 1 and err.startswith("error[MS600]") and _count(source) == 3


def test_dry_run_then_destroy_with_a_retention_rule(
    source: str, sqlite_url: str, monkeypatch: pytest.MonkeyPatch, medshield: Medshield
) -> None:
    monkeypatch.setenv("MEDSHIELD_STORE_URL", sqlite_url)
    args = ["destroy", source, "--table", "visits", "--rule", "controlled_after_30_years",
            "--date-column", "visited", "--approved-by", "committee-01", "--format", "json"]  # fmt: skip
    code, out, err = medshield(*args, "--dry-run")
    assert code == 0, err
    [dry] = json.loads(out)
    assert dry["rows"] == 2 and dry["seq"] is None and _count(source) == 3
    code, out, err = medshield(*args, "--operator", "secadmin-2")
    assert code == 0, err
    [cert] = json.loads(out)
    assert (
        cert["rows"] == 2
        and cert["verified"]
        and cert["retention_rule"] == "controlled_after_30_years"
    )
    assert _count(source) == 1
    with open_ledger(sqlite_url) as ledger:
        [record] = list(ledger.records(action_prefix="lifecycle.destroy"))
        assert (record.seq, record.hash) == (cert["seq"], cert["hash"])
        assert record.event.actor == "secadmin-2"
        assert ledger.verify().ok
