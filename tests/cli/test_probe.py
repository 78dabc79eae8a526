"""``medshield probe list|pause``: the catalogue's probes and their paused state."""

from __future__ import annotations

import json

import pytest

from .conftest import Medshield


def test_list_pause_resume(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, medshield: Medshield
) -> None:
    monkeypatch.setenv("MEDSHIELD_STORE_URL", sqlite_url)
    code, out, err = medshield("probe", "list", "--format", "json")
    assert code == 0, err
    rows = {r["probe"]: r for r in json.loads(out)}
    assert rows["probe.patient.prescriptions"]["consent"] is True
    assert not any(r["paused"] for r in rows.values())
    assert medshield("probe", "pause", "probe.patient.summary", "--actor", "ops")[0] == 0
    paused = {
        r["probe"]
        for r in json.loads(medshield("probe", "list", "--format", "json")[1])
        if r["paused"]
    }
    assert paused == {"probe.patient.summary"}
    assert (
        medshield("probe", "pause", "probe.patient.summary", "--actor", "ops", "--resume")[0] == 0
    )
    code, _, err = medshield("probe", "pause", "probe.nothing", "--actor", "ops")
    assert code != 0 and "error[MS301]" in err
