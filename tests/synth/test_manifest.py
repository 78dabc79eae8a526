from __future__ import annotations

from pathlib import Path

import pytest

from medshield.errors import InputError
from medshield.synth import AllianceManifest


def test_read_gives_back_what_build_wrote(small_alliance: AllianceManifest) -> None:
    again = AllianceManifest.read(small_alliance.out)
    assert again == small_alliance
    assert again.total_rows == sum(sum(t.values()) for t in small_alliance.rows.values())
    assert again.ground_truth.is_file()
    assert [again.table(i, "patient") for i in ("h1", "h2", "h3")] == [
        "patient", "brjbxx", "PatientInfo",
    ]  # fmt: skip
    assert set(again.tables["m1"].values()) == set(again.rows["m1"])
    with pytest.raises(InputError, match="no table 'pharmacy'"):
        again.table("h1", "pharmacy")


def test_missing_or_broken_manifest(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="manifest.json missing"):
        AllianceManifest.read(tmp_path)
    (tmp_path / "manifest.json").write_text('{"seed": "x"}', encoding="utf-8")
    with pytest.raises(InputError, match="malformed manifest"):
        AllianceManifest.read(tmp_path)
