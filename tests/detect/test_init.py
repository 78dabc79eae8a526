from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medshield.detect import DETECTORS, Finding, build, detect_all, find_spans, registry
from medshield.elements import load_catalogue
from medshield.errors import PolicyError, UnknownNameError

ROOT = Path(__file__).resolve().parents[2]
TEXT = (
    "患者张三，电话13800138000，身份证11010519491231002X，家住重庆市江北区观音桥街道建新北路66号，"
    "邮箱 zs@163.com，住院号：ZY20230001，因急性阑尾炎(K35.902)行阑尾切除术，予头孢他啶。"
)
SECRETS = ("张三", "13800138000", "11010519491231002X", "建新北路", "zs@163.com", "ZY20230001")


def test_every_builtin_is_registered_documented_and_tested() -> None:
    doc = (ROOT / "docs" / "detect.md").read_text(encoding="utf-8")
    assert registry().names() == [cls.name for cls in DETECTORS]
    for cls in DETECTORS:
        assert f"| `{cls.name}` |" in doc, cls.name
        module = Path(inspect.getfile(cls)).stem
        assert (ROOT / "tests" / "detect" / f"test_{module}.py").is_file(), module


def test_unknown_detector_and_bad_params() -> None:
    with pytest.raises(UnknownNameError):
        build("no_such_detector")
    with pytest.raises(PolicyError, match="min_confidence"):
        build("mobile", {"min_confidence": 2})
    with pytest.raises(PolicyError):
        build("mobile", {"unknown_setting": 1})


def test_findings_name_catalogue_elements() -> None:
    catalogue = load_catalogue()
    params = {"record_number": {"patterns": [{"kind": "inpatient", "pattern": r"ZY\d{8}"}]}}
    findings = detect_all([TEXT, "138****5678", "张*"], params=params)
    assert {f.detector for f in findings} >= {"cn_id", "mobile", "person_name", "address", "email"}
    assert all(f.element in catalogue for f in findings)


def test_text_spans_cover_each_identifier_and_evidence_is_redacted() -> None:
    found = find_spans(TEXT)
    spans = [TEXT[f.start : f.end] for f in found]
    for secret in SECRETS:
        assert any(secret in s for s in spans), secret
    for f in found:
        assert all(secret not in f.evidence for secret in SECRETS), f


def test_names_select_detectors_and_min_confidence_filters() -> None:
    values = ["13800138000", "11010519491231002X"]
    assert {f.detector for f in detect_all(values, ["mobile"])} == {"mobile"}
    assert detect_all(values, ["mobile"], params={"mobile": {"min_confidence": 0.99}}) == []


POOL = ["13800138000", "138****5678", "张三", "急性阑尾炎", "11010519491231002X", "无", "", None]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(POOL), max_size=12))
def test_repeated_values_are_scanned_once_with_the_same_findings(values: list[str | None]) -> None:
    def key(f: Finding) -> tuple[str, int, int, int, bool]:
        return (f.detector, f.index, f.start, f.end, f.masked)

    direct = sorted(key(f) for cls in registry() for f in build(cls.name).detect(values))
    assert sorted(key(f) for f in detect_all(values)) == direct


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text(max_size=40),
            st.text(alphabet="0123456789*X-+ 张三省市区路号：，@.:１３８", max_size=40),
        ),
        max_size=8,
    )
)
def test_any_input_gives_spans_inside_their_values(values: list[str | None]) -> None:
    for f in detect_all(values):
        value = values[f.index]
        assert value is not None and 0 <= f.start < f.end <= len(value)
        assert 0.0 <= f.confidence <= 1.0


def test_direct_construction_fills_the_detectors_own_params() -> None:
    from medshield.detect.base import DetectorParams
    from medshield.detect.record_number import RecordNumberDetector

    detector = RecordNumberDetector(DetectorParams(min_confidence=0.6))
    assert detector.params.min_confidence == 0.6
    assert detector.detect(["00123456"], label="病案号")[0].confidence == 0.7
