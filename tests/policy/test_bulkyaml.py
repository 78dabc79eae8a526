"""The bulk YAML loader gives what ``yaml.safe_load`` gives, refuses duplicated keys, places errors."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medshield.errors import PolicyError
from medshield.policy.bulkyaml import load_bulk
from medshield.policy.yamlpos import load_positioned

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
    | st.dates()
)
documents = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=25,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(doc=documents, flow=st.booleans())
def test_same_values_as_safe_load(doc: object, flow: bool, tmp_path: Path) -> None:
    file = tmp_path / "doc.yaml"
    file.write_text(yaml.safe_dump(doc, allow_unicode=True, default_flow_style=flow), "utf-8")
    expected = yaml.safe_load(file.read_text(encoding="utf-8"))
    assert load_bulk(file).data == expected
    assert load_positioned(file).data == expected


def test_anchors_merges_and_tags(tmp_path: Path) -> None:
    file = tmp_path / "doc.yaml"
    file.write_text(
        "base: &b {level: normal, roles: [doctor]}\n"
        "entry: {<<: *b, column: 姓名}\n"
        "when: 2024-05-01\n"
        "count: 0x1F\n",
        encoding="utf-8",
    )
    data = load_bulk(file).data
    assert data["entry"] == {"level": "normal", "roles": ["doctor"], "column": "姓名"}
    assert data["when"] == datetime.date(2024, 5, 1) and data["count"] == 31


def test_duplicated_key_is_refused_with_its_line(tmp_path: Path) -> None:
    file = tmp_path / "doc.yaml"
    file.write_text("a:\n  b: 1\n  c: 2\n  b: 3\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="duplicated key 'b'") as caught:
        load_bulk(file)
    assert caught.value.where == f"{file}:4"


def test_lines_are_found_only_when_asked(tmp_path: Path) -> None:
    file = tmp_path / "doc.yaml"
    file.write_text("# head\nitems:\n  - {x: 1}\n  - x: 2\n    y: [a, b]\n", encoding="utf-8")
    doc = load_bulk(file)
    positioned = load_positioned(file)
    for path in [
        (),
        ("items",),
        ("items", 1),
        ("items", 1, "y"),
        ("items", 1, "y", 1),
        ("items", 9),
    ]:
        assert doc.where(path) == positioned.where(path), path


def test_not_utf8_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "doc.yaml"
    file.write_bytes("columns: [患者]\n".encode("gb18030"))
    with pytest.raises(PolicyError, match="cannot read policy file"):
        load_bulk(file)
