"""A job's own release check: quasi-identifiers from the plan, free text scanned, approvals."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from medshield.mask.engine.files import mask_file
from medshield.mask.engine.frames import plan_from_rules
from medshield.mask.engine.release_check import ReleaseCheck
from medshield.mask.operators.base import MaskContext
from medshield.mask.plan import plan_for
from medshield.policy import Form, Stage, UseContext, grant_masking, load_bundle

BUNDLE = load_bundle()
USE = UseContext(
    form=Form.MASKED, stage=Stage.SHARE, role="researcher", scenario="clinical_pathway"
)
COLUMNS: dict[str, str | None] = {
    "xb": "DE02.01.040.00",  # sex: a quasi-identifier, kept
    "jymc": "DE04.50.131.00",  # lab item name: free text the plan keeps
    "mrn": "DE01.00.021.00",  # record number: a random id
}


def test_quasi_and_replaced_sets_come_from_the_plan() -> None:
    plan = plan_for(COLUMNS, grant_masking(BUNDLE, USE), BUNDLE)
    assert plan.quasi_columns() == ("xb",) and plan.replaced_columns() == ("mrn",)
    frame = pl.DataFrame(
        {"xb": ["1"] * 6, "jymc": ["血常规"] * 6, "mrn": [f"R{i}" for i in range(6)]}
    )
    check = ReleaseCheck({"t": plan}, BUNDLE, source="sqlite:///his.db", actor="op")
    verdict = check("t", frame)
    assert verdict.released and verdict.event.outcome == "allow"
    assert verdict.event.detail["quasi"] == ["xb"] and verdict.event.detail["replaced"] == ["mrn"]
    assert check.refused() == {}


def test_identifiers_left_in_free_text_refuse_the_release() -> None:
    plan = plan_for(COLUMNS, grant_masking(BUNDLE, USE), BUNDLE)
    notes = ["血常规"] * 5 + ["复查，联系电话13812345678"]
    frame = pl.DataFrame({"xb": ["1"] * 6, "jymc": notes, "mrn": [f"R{i}" for i in range(6)]})
    check = ReleaseCheck({"t": plan}, BUNDLE, source="s", actor="op")
    verdict = check("t", frame)
    assert not verdict.released and verdict.event.outcome == "deny"
    assert any("jymc" in r for r in verdict.report.reasons)
    approved = ReleaseCheck({"t": plan}, BUNDLE, source="s", actor="op", approved_by="sec_01")
    assert approved("t", frame).released
    assert approved.verdicts["t"].event.detail["approved_by"] == "sec_01"


def test_a_refused_file_is_not_written(tmp_path: Path) -> None:
    plan = plan_for(COLUMNS, grant_masking(BUNDLE, USE), BUNDLE)
    source, target = tmp_path / "lab.csv", tmp_path / "out.csv"
    notes = ["血常规"] * 5 + ["联系电话13812345678"]
    frame = pl.DataFrame({"xb": ["1"] * 6, "jymc": notes, "mrn": [f"MR{i}" for i in range(6)]})
    frame.write_csv(source)
    ops = plan_from_rules({c.column: (c.operator, c.params) for c in plan.columns}, MaskContext())
    check = ReleaseCheck({"lab.csv": plan}, BUNDLE, source=str(source), actor="op")
    assert mask_file(source, target, ops, verify=check) == 6
    assert not check.verdicts["lab.csv"].released  # a mobile number left in free text
    assert not target.exists() and list(tmp_path.iterdir()) == [source]


def test_small_classes_are_suppressed_before_the_check() -> None:
    plan = plan_for(COLUMNS, grant_masking(BUNDLE, USE), BUNDLE)
    frame = pl.DataFrame(
        {"xb": ["1"] * 6 + ["2"], "jymc": ["血常规"] * 7, "mrn": [f"R{i}" for i in range(7)]}
    )
    verdict = ReleaseCheck({"t": plan}, BUNDLE, source="s", actor="op")("t", frame)
    assert verdict.released and verdict.suppressed == 1 and verdict.frame.height == 6
    assert verdict.event.detail["suppressed_rows"] == 1
