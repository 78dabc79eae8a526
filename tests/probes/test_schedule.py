"""Per-API probe schedules (R26): ``probes.yaml`` sets each API's interval, a bundle check keeps
it to APIs that have a probe, and only the probes whose interval has passed are due."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from medshield.errors import PolicyError, PolicyReferenceError
from medshield.ledger import DataObject, Event, open_ledger
from medshield.policy import default_bundle_path, load_bundle
from medshield.probes import due_probes, probes_from_catalogue


def _bundle_with(tmp_path: Path, probes_yaml: str) -> Path:
    folder = tmp_path / "policy"
    shutil.copytree(default_bundle_path(), folder)
    (folder / "probes.yaml").write_text(probes_yaml, encoding="utf-8")
    return folder


def test_each_api_gets_its_interval_or_the_default() -> None:
    intervals = {p.api: p.interval_s for p in probes_from_catalogue(load_bundle())}
    assert intervals["patient.prescriptions"] == 900  # probes.yaml of the default bundle
    assert intervals["patient.summary"] == 300  # the default


def test_a_bundle_without_probes_yaml_uses_the_built_in_default(tmp_path: Path) -> None:
    folder = _bundle_with(tmp_path, "")
    (folder / "probes.yaml").unlink()
    assert {p.interval_s for p in probes_from_catalogue(load_bundle(folder))} == {300}


def test_an_api_without_a_probe_is_refused_with_its_line(tmp_path: Path) -> None:
    folder = _bundle_with(
        tmp_path,
        "default_interval_s: 120\nintervals:\n  patient.summary: 60\n  patient.sumary: 60\n",
    )
    with pytest.raises(PolicyReferenceError) as caught:
        load_bundle(folder)
    assert "'patient.sumary'" in caught.value.message and caught.value.code == "MS201"
    assert caught.value.where.endswith("probes.yaml:4")


@pytest.mark.parametrize(
    "text", ["default_interval_s: 0\n", "intervals:\n  patient.summary: 5\n", "every: 60\n"]
)
def test_intervals_out_of_bounds_or_unknown_keys_are_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(PolicyError) as caught:
        load_bundle(_bundle_with(tmp_path, text))
    assert "probes.yaml" in caught.value.where


def test_due_probes_follow_each_interval_from_the_last_result(sqlite_url: str) -> None:
    probes = [p for p in probes_from_catalogue(load_bundle())
              if p.api in ("patient.summary", "patient.prescriptions")]  # fmt: skip
    start = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    with open_ledger(sqlite_url) as ledger:
        assert {p.api for p in due_probes(probes, ledger, start)} == {
            "patient.summary", "patient.prescriptions",
        }  # never run: both due  # fmt: skip
        for p in probes:
            ledger.append(Event(action="probe.result", actor="probe", at=start,
                                object=DataObject(api=p.api), detail={"probe": p.name}))  # fmt: skip
        assert due_probes(probes, ledger, start + timedelta(seconds=299)) == []
        at_300 = due_probes(probes, ledger, start + timedelta(seconds=300))
        assert [p.api for p in at_300] == ["patient.summary"]  # 300 s; prescriptions every 900
        at_900 = due_probes(probes, ledger, start + timedelta(seconds=900))
        assert {p.api for p in at_900} == {"patient.summary", "patient.prescriptions"}
