"""Loading the policy bundle: the default validates, and bad input names its file and line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from medshield.errors import PolicyError, PolicyReferenceError
from medshield.policy import load_bundle
from medshield.policy.bundle import bundle_version

LineOf = Callable[[Path, str], int]
BAD_CODE = "DE99.99.999.99"


def _append(file: Path, text: str) -> None:
    file.write_text(file.read_text(encoding="utf-8") + text, encoding="utf-8")


def _replace(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_default_bundle_validates() -> None:
    bundle = load_bundle()
    assert bundle.meta.name == "default"
    assert bundle.version == bundle_version(bundle.root)
    assert bundle.version.startswith("sha256:") and len(bundle.short_version) == 12
    assert {i.id for i in bundle.institutions if i.kind == "hub"} == {"h1", "h2", "h3", "h4"}
    assert bundle.role("doctor") is not None and bundle.role("nobody") is None
    assert bundle.catalogue["DE02.01.017.00"].level.en == "normal"  # the bundle's override


def test_version_follows_content(bundle_dir: Path) -> None:
    before = load_bundle(bundle_dir).version
    _append(bundle_dir / "bundle.yaml", "# a comment changes the bytes\n")
    assert load_bundle(bundle_dir).version != before


def test_an_unchanged_bundle_is_not_parsed_again(bundle_dir: Path) -> None:
    first = load_bundle(bundle_dir)
    assert load_bundle(bundle_dir) is first
    _replace(bundle_dir / "roles.yaml", "zh: 临床医生", "zh: 临床大夫")  # same size, other bytes
    changed = load_bundle(bundle_dir)
    assert changed is not first and changed.version != first.version
    doctor = changed.role("doctor")
    assert doctor is not None and doctor.zh == "临床大夫"


def test_a_bundle_broken_after_loading_is_refused(bundle_dir: Path) -> None:
    load_bundle(bundle_dir)
    _append(bundle_dir / "roles.yaml", "roles: [\n")
    with pytest.raises(PolicyError):
        load_bundle(bundle_dir)


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_bundle(tmp_path / "nowhere")
    assert caught.value.where == str(tmp_path / "nowhere")


def test_empty_folder_takes_defaults(tmp_path: Path) -> None:
    bundle = load_bundle(tmp_path)
    assert bundle.roles == () and bundle.levels.rules == ()


# Each case: file, how to break it, a text on the offending line, error class, message part.
Case = tuple[str, Callable[[Path], None], str, type[PolicyError], str]

CASES: dict[str, Case] = {
    "malformed_yaml": (
        "roles.yaml",
        lambda f: _append(f, "  - id: broken\n    zh: a: b\n    en: broken\n"),
        "zh: a: b",
        PolicyError,
        "malformed YAML",
    ),
    "unknown_element_in_overrides": (
        "elements.yaml",
        lambda f: _replace(f, "extra: []", f"  {BAD_CODE}: {{level: normal}}\nextra: []"),
        BAD_CODE,
        PolicyReferenceError,
        f"unknown data element {BAD_CODE!r}",
    ),
    "unknown_element_in_level_rules": (
        "levels.yaml",
        lambda f: _append(
            f, f"  - name: odd\n    when:\n      elements:\n        - {BAD_CODE}\n    shift: 1\n"
        ),
        BAD_CODE,
        PolicyReferenceError,
        f"unknown data element {BAD_CODE!r}",
    ),
    "unknown_element_in_masking_rules": (
        "masking.yaml",
        lambda f: f.write_text(
            f"rules:\n  - name: m\n    operator: cover\n    elements: [{BAD_CODE}]\n",
            encoding="utf-8",
        ),
        BAD_CODE,
        PolicyReferenceError,
        f"unknown data element {BAD_CODE!r}",
    ),
    "unknown_element_in_apis": (
        "apis.yaml",
        lambda f: f.write_text(
            f"apis:\n  - id: patient.view\n    path: /patients\n    elements:\n"
            f"      - DE02.01.039.00\n      - {BAD_CODE}\n",
            encoding="utf-8",
        ),
        BAD_CODE,
        PolicyReferenceError,
        f"unknown data element {BAD_CODE!r}",
    ),
    "invalid_cidr": (
        "institutions.yaml",
        lambda f: _replace(f, "10.2.0.0/16", "10.2.0.0/33"),
        "10.2.0.0/33",
        PolicyError,
        "invalid CIDR '10.2.0.0/33'",
    ),
    "unknown_level_name": (
        "roles.yaml",
        lambda f: _append(f, "  - {id: oddity, zh: 怪, en: odd, layer: office, max_level: 极高}\n"),
        "oddity",
        PolicyError,
        "unknown level '极高'",
    ),
    "duplicated_institution": (
        "institutions.yaml",
        lambda f: _append(
            f,
            "  - {id: m2, name: 重复的医院, kind: member, hub: h1, location: {province: 重庆市,"
            ' city: 重庆市, district: 合川区, admin_code: "500117"}}\n',
        ),
        "重复的医院",
        PolicyReferenceError,
        "duplicated institution 'm2'",
    ),
    "duplicated_yaml_key": (
        "bundle.yaml",
        lambda f: _append(f, "name: second-name\n"),
        "second-name",
        PolicyError,
        "duplicated key 'name'",
    ),
    "unknown_key": (
        "roles.yaml",
        lambda f: _append(
            f,
            "  - id: painter\n    zh: 画师\n    en: painter\n    layer: office\n    colour: red\n",
        ),
        "colour: red",
        PolicyError,
        "colour: Extra inputs are not permitted",
    ),
    "wrong_type": (
        "bundle.yaml",
        lambda f: _replace(f, "checkpoint_every: 1000", "checkpoint_every: many"),
        "checkpoint_every: many",
        PolicyError,
        "ledger.checkpoint_every",
    ),
    "unknown_role_in_masking_rules": (
        "masking.yaml",
        lambda f: f.write_text(
            "rules:\n  - name: m\n    operator: cover\n    roles: [doctor, wizard]\n",
            encoding="utf-8",
        ),
        "wizard",
        PolicyReferenceError,
        "unknown role 'wizard'",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_names_file_and_line(case: str, bundle_dir: Path, line_of: LineOf) -> None:
    name, breaks, needle, error, message = CASES[case]
    file = bundle_dir / name
    if not file.exists():
        file.write_text("", encoding="utf-8")
    breaks(file)
    with pytest.raises(error) as caught:
        load_bundle(bundle_dir)
    where = f"{file}:{line_of(file, needle)}"
    assert message in caught.value.message
    assert caught.value.where == where
    assert caught.value.render() == f"error[{error.code}]: {caught.value.message} ({where})"


def test_unclosed_bracket_names_where_it_opened(bundle_dir: Path, line_of: LineOf) -> None:
    file = bundle_dir / "roles.yaml"
    _append(file, "  - {id: broken, zh: [unclosed\n")
    with pytest.raises(PolicyError) as caught:
        load_bundle(bundle_dir)
    assert caught.value.where is not None and caught.value.where.startswith(f"{file}:")
    assert f"started at line {line_of(file, 'id: broken')}" in caught.value.message


def test_unknown_policy_file_is_named(bundle_dir: Path) -> None:
    stray = bundle_dir / "extras.yaml"
    stray.write_text("anything: 1\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_bundle(bundle_dir)
    assert "unknown policy file 'extras.yaml'" in caught.value.message
    assert caught.value.where is not None and caught.value.where.startswith(str(stray))


def test_list_file_with_a_stray_top_key(bundle_dir: Path, line_of: LineOf) -> None:
    file = bundle_dir / "roles.yaml"
    _append(file, "people: []\n")
    with pytest.raises(PolicyError) as caught:
        load_bundle(bundle_dir)
    assert caught.value.where == f"{file}:{line_of(file, 'people:')}"


EXTRA = (
    "  - {{code: {code}, zh: 医保卡号, en: insurance card number, category: medical_payment,"
    " level: important, masking: cover, identifier: direct}}\n"
)


def test_extra_element_may_not_shadow_a_built_in(bundle_dir: Path, line_of: LineOf) -> None:
    file = bundle_dir / "elements.yaml"
    _replace(file, "extra: []", "extra:\n" + EXTRA.format(code="DE02.01.039.00"))
    with pytest.raises(PolicyReferenceError, match="already built in") as caught:
        load_bundle(bundle_dir)
    assert caught.value.where == f"{file}:{line_of(file, '医保卡号')}"


def test_extra_element_is_added_to_the_catalogue(bundle_dir: Path) -> None:
    file = bundle_dir / "elements.yaml"
    _replace(file, "extra: []", "extra:\n" + EXTRA.format(code="DE98.00.001.00"))
    assert load_bundle(bundle_dir).catalogue["DE98.00.001.00"].zh == "医保卡号"
