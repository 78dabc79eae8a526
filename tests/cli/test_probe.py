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
    # each API's interval from probes.yaml, or its default
    assert rows["probe.patient.prescriptions"]["interval_s"] == 900
    assert rows["probe.patient.summary"]["interval_s"] == 300
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


def test_run_refuses_a_target_that_cannot_be_called(medshield: Medshield) -> None:
    """A value with a control character, or a gateway that is no http(s) URL, is refused with a
    code before any probe runs (it was an internal error from the HTTP client)."""
    base = ("probe", "run", "--token", "t")
    for extra, where in (
        (("--gateway", "http://127.0.0.1:9", "--patient", "\t"), "--patient"),
        (("--gateway", "%s%n{0}${x}", "--patient", "p1"), "--gateway"),
        (("--gateway", "http://127.0.0.1:9", "--patient", "p1", "--forwarded-for", "张三"),
         "--forwarded-for"),
    ):  # fmt: skip
        code, _, err = medshield(*base, *extra)
        assert code == 1 and err.startswith("error[MS300]") and f"({where})" in err, err


def test_run_due_runs_each_probe_only_when_its_interval_has_passed(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, medshield: Medshield
) -> None:
    monkeypatch.setenv("MEDSHIELD_STORE_URL", sqlite_url)
    args = ("probe", "run", "--gateway", "http://127.0.0.1:9", "--token", "t", "--patient", "p1",
            "--due", "--format", "json")  # fmt: skip
    code, out, err = medshield(*args)  # nothing listens there: every probe runs and fails
    assert code == 3, err
    first = {r["probe"] for r in json.loads(out)}
    assert "probe.patient.summary" in first and "probe.patient.prescriptions" in first
    code, out, err = medshield(*args)  # at once again: none is due yet
    assert code == 0, err
    assert json.loads(out) == []
