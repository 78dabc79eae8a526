"""``audit.yaml`` ``logs:``: the detectors' thresholds, validated with the bundle."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medshield.errors import PolicyError
from medshield.policy import default_bundle_path, load_bundle


def _bundle_with(tmp_path: Path, audit_yaml: str) -> Path:
    folder = tmp_path / "bundle"
    shutil.copytree(default_bundle_path(), folder)
    (folder / "audit.yaml").write_text(audit_yaml, encoding="utf-8")
    return folder


def test_defaults_and_overrides(tmp_path: Path) -> None:
    assert load_bundle().audit.logs.login_failures.per_ip == 10
    folder = _bundle_with(
        tmp_path,
        "logs:\n  login_failures: {per_ip: 3}\n  remote_access: {trusted_cidrs: [192.0.2.0/24]}\n",
    )
    logs = load_bundle(folder).audit.logs
    assert logs.login_failures.per_ip == 3 and logs.remote_access.trusted_cidrs == ("192.0.2.0/24",)


@pytest.mark.parametrize(
    "bad",
    [
        "logs:\n  remote_access: {trusted_cidrs: [10.0.0.1/8]}\n",
        "logs:\n  remote_access: {timezone: Mars/Olympus}\n",
        "logs:\n  login_failures: {per_ip: 0}\n",
        "logs:\n  unknown_detector: {}\n",
    ],
)
def test_bad_settings_are_refused_with_their_place(tmp_path: Path, bad: str) -> None:
    with pytest.raises(PolicyError) as info:
        load_bundle(_bundle_with(tmp_path, bad))
    assert "audit.yaml" in (info.value.where or "")
