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


def test_crypto_shred_through_the_cli(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch, medshield: Medshield
) -> None:
    """``destroy --method crypto_shred --key-column --keys``: the selected subjects' keys go,
    their sealed values no longer open, the others' still do, and the certificate is in the
    ledger. Catches the CLI dropping ``--method`` (rows deleted instead, keys kept) or
    ``--keys`` (keys looked for in the source, none shredded, not verified)."""
    from medshield.destroy import PatientKeys
    from medshield.errors import UnknownNameError

    monkeypatch.setenv("MEDSHIELD_STORE_URL", sqlite_url)
    source, keys_url = (f"sqlite:///{tmp_path / name}" for name in ("his.db", "keys.db"))
    keys = PatientKeys(create_engine(keys_url))
    a, b = "k1:PAAAAAAAAAAAAAAAA", "k1:PBBBBBBBBBBBBBBBB"
    notes = {a: keys.seal(a, "复诊"), b: keys.seal(b, "随访")}
    engine = create_engine(source)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE visits (id INTEGER PRIMARY KEY, patient TEXT, note BLOB)"))
        for i, patient in enumerate((a, b)):
            conn.execute(
                text("INSERT INTO visits VALUES (:i, :p, :n)"),
                {"i": i, "p": patient, "n": notes[patient]},
            )
    engine.dispose()
    code, out, err = medshield(
        "destroy", source, "--table", "visits", "--where", f"patient = '{a}'",
        "--method", "crypto_shred", "--key-column", "patient", "--keys", keys_url,
        "--approved-by", "committee-07", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    [cert] = json.loads(out)
    assert (cert["method"], cert["rows"], cert["keys_shredded"]) == ("crypto_shred", 1, 1)
    assert cert["verified"]
    assert _count(source) == 2  # the rows stay; what they hold no longer opens
    with pytest.raises(UnknownNameError, match="no data key"):
        keys.open(a, notes[a])
    assert keys.open(b, notes[b]) == "随访"
    keys.engine.dispose()
    with open_ledger(sqlite_url) as ledger:
        [record] = list(ledger.records(action_prefix="lifecycle.destroy"))
        assert (record.seq, record.hash) == (cert["seq"], cert["hash"])
