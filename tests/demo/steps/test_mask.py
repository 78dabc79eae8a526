"""The static-masking demo step on a small hospital database with its ground truth."""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from medshield.demo import DemoContext
from medshield.demo.steps.mask import MaskStep
from medshield.ledger import open_ledger
from medshield.policy import load_bundle

ELEMENTS = {
    "name": "DE02.01.039.00",
    "id_no": "DE02.01.030.00",
    "mobile": "DE02.01.010.00",
    "gender": "DE02.01.040.00",
    "age": "DE02.01.026.00",
}


def _hospital(folder: Path) -> SimpleNamespace:
    url = f"sqlite:///{folder / 'his.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE patient (id INTEGER PRIMARY KEY, name TEXT, id_no TEXT, mobile TEXT,"
            " gender TEXT, age INTEGER)"
        )
        connection.exec_driver_sql(
            "INSERT INTO patient VALUES (?, ?, ?, ?, ?, ?)",
            [
                (i, f"{'张李王陈'[i % 4]}{'伟芳娜'[i % 3]}", f"50010319{60 + i % 40}0101{i:03d}X",
                 f"139{i:08d}", str(1 + i % 2), 20 + (i * 7) % 61)
                for i in range(1, 61)
            ],
        )  # fmt: skip
    engine.dispose()
    truth = folder / "ground_truth.csv"
    with truth.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["institution", "database", "table", "column", "element"])
        writer.writerow(["h1", url, "patient", "id", ""])
        for column, element in ELEMENTS.items():
            writer.writerow(["h1", url, "patient", column, element])
    return SimpleNamespace(databases={"h1": url}, ground_truth=truth)


@pytest.mark.parametrize(("lang", "scanned"), [("zh", False), ("en", True)])
def test_masks_refuses_below_k_then_releases(tmp_path: Path, lang: str, scanned: bool) -> None:
    said: list[str] = []
    ctx = DemoContext(workdir=tmp_path, bundle=load_bundle(None), patients=60, seed=7,
                      lang=lang, say=said.append)  # fmt: skip
    ctx.artifacts["alliance"] = hospital = _hospital(tmp_path)
    if scanned:  # what the scan step leaves: source -> table -> column -> element, level
        graded = {c: {"element": e, "level": None} for c, e in {"id": None, **ELEMENTS}.items()}
        ctx.artifacts["level_map"] = {hospital.databases["h1"]: {"patient": graded}}
    ctx.ledger = open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}", bundle=ctx.bundle)
    try:
        MaskStep().run(ctx)
        verdicts = [r.event.outcome for r in ctx.ledger.records(action_prefix="mask.release")]
        jobs = [r.event.detail["step"] for r in ctx.ledger.records(action_prefix="mask.job")]
        assert ctx.ledger.verify().ok
    finally:
        ctx.ledger.close()
    report = ctx.artifacts["mask_report"]
    assert verdicts == ["deny", "allow"]
    assert jobs == ["started", "table_done", "done"]
    assert report.verified and report.measure.k >= 5
    assert report.level_after.level < report.level_before.level
    text = "\n".join(said)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'research_release.db'}")
    with engine.connect() as connection:
        mobiles = [m for (m,) in connection.exec_driver_sql("SELECT mobile FROM patient")]
    engine.dispose()
    assert len(mobiles) == 60 and not any(m and m.startswith("139000") for m in mobiles)
    assert ("拒绝发布" in text) == (lang == "zh")
    origin = "the graded catalogue of the scan" if scanned else "真值表"
    assert origin in text
    with open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}") as ledger:
        assert ledger.verify().ok


def test_without_an_alliance_the_step_says_so(tmp_path: Path) -> None:
    said: list[str] = []
    ctx = DemoContext(workdir=tmp_path, bundle=load_bundle(None), patients=1, seed=1,
                      lang="en", say=said.append)  # fmt: skip
    MaskStep().run(ctx)
    assert said == ["   (no synthetic alliance: skipped)"]
