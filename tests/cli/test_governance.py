"""``medshield governance``, ``approval``, ``incident`` and ``share`` end to end."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from medshield.policy import default_bundle_path, load_bundle

from .conftest import Medshield


def test_policy_version_through_approval(tmp_path: Path, medshield: Medshield) -> None:
    store = f"sqlite:///{tmp_path / 'store.db'}"
    folder = tmp_path / "policy"
    shutil.copytree(default_bundle_path(), folder)
    gov = folder / "governance.yaml"
    gov.write_text(gov.read_text(encoding="utf-8").replace("max_days: 30", "max_days: 14"),
                   encoding="utf-8")  # fmt: skip
    code, out, _ = medshield("governance", "propose-policy", str(folder), "--actor", "office-01",
                             "--reason", "共享期限缩短", "--store", store, "--format", "json")  # fmt: skip
    request = json.loads(out)[0]["id"]
    for approver in ("office-02", "committee-01", "committee-02"):
        code, out, err = medshield("approval", "vote", str(request), "--actor", approver,
                                   "--store", store, "--format", "json")  # fmt: skip
        assert code == 0, err
    assert json.loads(out)[0]["status"] == "approved"
    code, out, _ = medshield("governance", "versions", "--store", store, "--format", "json")
    assert json.loads(out)[0]["version"] == load_bundle(folder).version


def test_reject_needs_reason(tmp_path: Path, medshield: Medshield) -> None:
    store = f"sqlite:///{tmp_path / 'store.db'}"
    code, out, _ = medshield("approval", "request", "level_change", "--actor", "office-01",
                             "--subject", "column=his.visits.phone", "--subject", "to=sensitive",
                             "--store", store, "--format", "json")  # fmt: skip
    request = str(json.loads(out)[0]["id"])
    code, _, err = medshield("approval", "vote", request, "--actor", "office-02", "--reject",
                             "--store", store)  # fmt: skip
    assert code == 1 and "error[MS942]" in err
    code, out, _ = medshield("approval", "vote", request, "--actor", "office-02", "--reject",
                             "--reason", "依据不足", "--store", store, "--format", "json")  # fmt: skip
    assert json.loads(out)[0]["status"] == "rejected"


def test_drill_and_can(tmp_path: Path, medshield: Medshield) -> None:
    store = f"sqlite:///{tmp_path / 'store.db'}"
    code, out, _ = medshield("incident", "drill", "service_interruption", "--actor",
                             "secadmin-01", "--store", store, "--format", "json")  # fmt: skip
    assert code == 0 and json.loads(out)[0]["passed"] is True
    code, out, _ = medshield("incident", "list", "--store", store, "--format", "json")
    assert json.loads(out)[0]["status"] == "reviewed"
    code, out, _ = medshield("incident", "open", "--actor", "secadmin-01", "--store", store,
                             "--format", "json")  # fmt: skip
    assert code == 0 and json.loads(out) == []  # the drill's alert opens nothing
    assert medshield("governance", "can", "secadmin-01", "drill.run")[0] == 0
    code, _, err = medshield("governance", "can", "doctor-01", "drill.run")
    assert code == 1 and "error[MS941]" in err
    assert medshield("incident", "drill", "leak", "--actor", "doctor-01", "--store", store)[0] == 1
    code, out, _ = medshield(
        "governance", "admin-log", "--refused", "--store", store, "--format", "json"
    )
    assert [(r["actor"], r["action"]) for r in json.loads(out)] == [("doctor-01", "drill.run")]


def test_share_round_trip_and_refusals(tmp_path: Path, medshield: Medshield) -> None:
    store = f"sqlite:///{tmp_path / 'store.db'}"
    keys = tmp_path / "keys"
    assert medshield("share", "keygen", "h1-office", "--out", str(keys))[0] == 0
    assert medshield("share", "keygen", "h2-office", "--out", str(keys))[0] == 0
    source = tmp_path / "report.txt"
    source.write_text("月度报告", encoding="utf-8")
    pkg = tmp_path / "report.mspkg"
    code, _, err = medshield("share", "pack", str(source), "--to", f"h1-office={keys / 'h1-office.pub'}",
                             "--out", str(pkg), "--actor", "secadmin-01", "--store", store)  # fmt: skip
    assert code == 0, err
    code, _, err = medshield("share", "open", str(pkg), "--key", str(keys / "h2-office.key"),
                             "--out", str(tmp_path / "o.txt"), "--actor", "h2", "--store", store)  # fmt: skip
    assert code == 1 and "error[MS952]" in err
    data = bytearray(pkg.read_bytes())
    data[-3] ^= 0x10
    bad = tmp_path / "bad.mspkg"
    bad.write_bytes(bytes(data))
    code, _, err = medshield("share", "open", str(bad), "--key", str(keys / "h1-office.key"),
                             "--out", str(tmp_path / "o.txt"), "--actor", "h1", "--store", store)  # fmt: skip
    assert code == 1 and "error[MS954]" in err
    code, out, _ = medshield("share", "open", str(pkg), "--key", str(keys / "h1-office.key"),
                             "--out", str(tmp_path / "o.txt"), "--actor", "h1", "--store", store)  # fmt: skip
    assert code == 0 and (tmp_path / "o.txt").read_text(encoding="utf-8") == "月度报告"
    usb = tmp_path / "usb"
    usb.mkdir()
    code, _, err = medshield("share", "export", str(source), "--to", str(usb), "--actor",
                             "secadmin-01", "--store", store)  # fmt: skip
    assert code == 1 and "error[MS955]" in err
    assert medshield("share", "export", str(pkg), "--to", str(usb), "--actor", "secadmin-01",
                     "--store", store)[0] == 0  # fmt: skip
