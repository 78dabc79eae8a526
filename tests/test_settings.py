"""Every setting is documented in docs/settings.md, and the page names no setting that is gone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medshield.errors import ConfigError, PolicyError
from medshield.policy import load_bundle
from medshield.settings import Settings, get_settings

PAGE = Path(__file__).resolve().parents[1] / "docs" / "settings.md"
OUTSIDE_THE_MODEL = {"MEDSHIELD_DEBUG", "MEDSHIELD_TEST_PG", "MEDSHIELD_TEST_MARIADB"}


def _documented() -> set[str]:
    rows = [ln for ln in PAGE.read_text(encoding="utf-8").splitlines() if ln.startswith("| `")]
    return {m.group(1) for ln in rows if (m := re.match(r"\| `(MEDSHIELD_\w+)`", ln))}


def test_every_setting_is_documented() -> None:
    fields = {f"MEDSHIELD_{name.upper()}" for name in Settings.model_fields}
    documented = _documented()
    assert fields - documented == set(), "settings missing from docs/settings.md"
    assert documented - fields == set(), "docs/settings.md documents settings that do not exist"


def test_every_setting_has_a_description() -> None:
    assert all(f.description for f in Settings.model_fields.values())


def test_variables_outside_the_model_are_named_on_the_page() -> None:
    text = PAGE.read_text(encoding="utf-8")
    assert all(name in text for name in OUTSIDE_THE_MODEL)


def test_store_url_defaults_to_a_file_in_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDSHIELD_HOME", str(tmp_path / "elsewhere"))
    assert get_settings().resolved_store_url() == f"sqlite:///{tmp_path / 'elsewhere'}/store.db"
    monkeypatch.setenv("MEDSHIELD_STORE_URL", "postgresql+psycopg://u@h/db")
    assert get_settings().resolved_store_url() == "postgresql+psycopg://u@h/db"


def test_policy_setting_chooses_the_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bundle.yaml").write_text("name: 测试策略\n", encoding="utf-8")
    monkeypatch.setenv("MEDSHIELD_POLICY", str(tmp_path))
    assert load_bundle().meta.name == "测试策略"
    monkeypatch.setenv("MEDSHIELD_POLICY", str(tmp_path / "missing"))
    with pytest.raises(PolicyError, match="not found"):
        load_bundle()


@pytest.mark.parametrize(
    ("variable", "value"),
    [("MEDSHIELD_MAX_INPUT_BYTES", "abc"), ("MEDSHIELD_MAX_INPUT_BYTES", "0")],
)
def test_a_setting_that_does_not_parse_is_a_coded_error(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        get_settings()
    assert caught.value.code == "MS100" and caught.value.where == variable
