from __future__ import annotations

import json
from pathlib import Path

from .conftest import Medshield

P = "k1:PABCDEFGHIJKLMNOP"


def test_record_then_ask(tmp_path: Path, medshield: Medshield) -> None:
    steps = [
        ["--stage", "collect", "--from", "m1_his/visit", "--to", "hub/visit", "--actor", "his-m1"],
        ["--stage", "share", "--from", "hub/visit", "--to", "research/cohort", "--form",
         "masked", "--actor", "researcher-007"],
    ]  # fmt: skip
    for step in steps:
        code, _, err = medshield("lineage", "record", *step, "--pseudonym", P)
        assert code == 0, err
    code, out, _ = medshield("lineage", "table", "m1_his/visit", "--format", "json")
    rows = json.loads(out)
    assert code == 0 and [(r["depth"], r["to"], r["form"]) for r in rows] == [
        (1, "hub/visit", "raw"), (2, "research/cohort", "masked")]  # fmt: skip
    code, short, _ = medshield("lineage", "table", "m1/visit", "--format", "json")
    assert code == 0 and json.loads(short) == rows  # a unique part of the source, as elsewhere
    code, out, _ = medshield("lineage", "patient", P, "--format", "jsonl")
    assert [json.loads(line)["actor"] for line in out.splitlines()] == ["his-m1", "researcher-007"]
    code, out, _ = medshield("lineage", "export", "--out", str(tmp_path / "ol.jsonl"))
    assert code == 0 and len((tmp_path / "ol.jsonl").read_text().splitlines()) == 2
    code, out, _ = medshield("lineage", "render", "--out", str(tmp_path / "g.html"))
    assert code == 0 and "research/cohort" in (tmp_path / "g.html").read_text(encoding="utf-8")


def test_raw_id_is_an_error_not_a_traceback(medshield: Medshield) -> None:
    code, _, err = medshield("lineage", "patient", "110101199003077578")
    assert code == 1 and err.startswith("error[MS502]") and "Traceback" not in err
