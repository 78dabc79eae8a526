from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Medshield


@pytest.mark.slow
def test_demo_language_comes_from_the_setting_unless_given(
    medshield: Medshield, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDSHIELD_LANG", "en")
    code, out, err = medshield("demo", "--out", str(tmp_path / "en"), "--patients", "100")
    assert code == 0, err
    assert "Demo finished: summary" in out and "演示完成" not in out
    code, out, err = medshield(
        "demo", "--out", str(tmp_path / "zh"), "--patients", "100", "--lang", "zh"
    )
    assert code == 0, err
    assert "演示完成" in out


def test_unknown_language_is_a_usage_error(medshield: Medshield, tmp_path: Path) -> None:
    code, _, err = medshield("demo", "--out", str(tmp_path), "--lang", "fr")
    assert code == 2 and "lang must be zh or en" in err
