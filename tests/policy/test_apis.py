"""The API catalogue (apis.yaml) is checked when the bundle loads."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medshield.errors import PolicyError
from medshield.policy import default_bundle_path, load_bundle


def _with(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "policy"
    shutil.copytree(default_bundle_path(), folder)
    apis = folder / "apis.yaml"
    text = apis.read_text(encoding="utf-8")
    assert old in text
    apis.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def test_the_default_catalogue_loads() -> None:
    ids = {a.id for a in load_bundle().apis}
    assert {"patient.summary", "patient.visits", "patient.prescriptions", "patient.lab_results",
            "patient.operations", "stats.visits"} <= ids  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("element: DE02.01.039.00", "element: DE99.99.999.99", "unknown data element"),
        ("roles: [doctor, api_client]", "roles: [surgeon]", "unknown role"),
        ("    source: h1\n", "", "needs source and query"),
        ("aggregate: {group_by: [visit_type]", "aggregate: {group_by: [ward]", "not a field"),
        ("patient: true}", "patient: false}", "exactly one patient parameter"),
    ],
)
def test_bad_declarations_are_refused_with_their_place(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    with pytest.raises(PolicyError) as err:
        load_bundle(_with(tmp_path, old, new))
    assert message in err.value.message and "apis.yaml:" in str(err.value.where)
