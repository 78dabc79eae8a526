import pytest

from medshield.classify import ColumnClassifier, ColumnFacts
from medshield.classify.classifier import REVIEW_BELOW

PHONES = ["13800138000", "13912345678", "15061234567", "18612345678", "13512345678"]


def test_one_element_or_none_per_column_with_evidence() -> None:
    result = ColumnClassifier().classify(
        ColumnFacts("sfzh", "VARCHAR(18)", "身份证号", "brjbxx", None, ())
    )
    assert result.element == "DE02.01.030.00"
    assert result.confidence >= REVIEW_BELOW
    assert {s["by"] for s in result.evidence["signals"]} >= {"comment", "pinyin"}


def test_values_outvote_a_misleading_name() -> None:
    result = ColumnClassifier().classify(ColumnFacts("col_a", "VARCHAR(20)", values=PHONES))
    assert result.element == "DE02.01.010.00"
    assert any(s["by"] == "values" for s in result.evidence["signals"])


def test_names_only_ignores_values() -> None:
    result = ColumnClassifier().classify(
        ColumnFacts("col_a", "VARCHAR(20)", values=PHONES), use_values=False
    )
    assert result.element != "DE02.01.010.00"


def test_identifiers_inside_free_text_are_embedded() -> None:
    values = ["患者张三，电话13800138000，复诊"] + ["按时服药，注意休息"] * 40
    result = ColumnClassifier().classify(
        ColumnFacts("remark", "TEXT", "备注", "visit", None, values)
    )
    assert result.element == "DE99.00.004.00"
    assert "DE02.01.010.00" in result.embedded
    assert "DE02.01.010.00" in result.elements


def test_free_text_stays_suspect_without_identifiers_in_the_sample() -> None:
    clf = ColumnClassifier()
    assert clf.classify(ColumnFacts("chief_complaint", "TEXT", None, "visit")).may_embed
    clean = ["咳嗽三天，伴发热，无胸痛"] * 40
    sampled = clf.classify(ColumnFacts("chief_complaint", "TEXT", None, "visit", None, clean))
    assert sampled.may_embed and not sampled.embedded
    short = clf.classify(ColumnFacts("status", "VARCHAR(8)", None, "visit", None, ["1"] * 40))
    assert not short.may_embed


def test_templates_are_not_patient_text() -> None:
    result = ColumnClassifier().classify(
        ColumnFacts("chief_complaint", "VARCHAR(300)", None, "dms_case_model", "病历模版表")
    )
    assert not result.may_embed


def test_unknown_columns_go_to_review() -> None:
    result = ColumnClassifier().classify(ColumnFacts("zzq_77", "VARCHAR(10)"))
    assert result.element is None
    assert result.review


def test_a_number_named_like_text_goes_to_review() -> None:
    result = ColumnClassifier().classify(ColumnFacts("name", "INTEGER", None, "patient"))
    text_typed = ColumnClassifier().classify(ColumnFacts("name", "VARCHAR(20)", None, "patient"))
    assert result.review and not text_typed.review


def test_batch_and_single_agree() -> None:
    clf = ColumnClassifier()
    cols = [ColumnFacts(n, "VARCHAR(32)", None, "patient") for n in ("xm", "zjhm", "remark2")]
    assert [r.element for r in clf.classify_many(cols)] == [clf.classify(c).element for c in cols]


VENDOR_NAMES = [  # naming habits beyond the synthetic alliance's six styles
    ("lname", "DE02.01.039.00"),
    ("ptnt_nm", "DE02.01.039.00"),
    ("NOK_NAME", "DE02.01.039.01"),
    ("email_address", "DE02.01.012.00"),
    ("PAT_MRN_ID", "DE01.00.021.00"),
    ("medicaid_id", "DE01.00.017.00"),
    ("drivers_license_no", "DE02.01.030.00"),
    ("marital_status_cd", "DE02.01.018.00"),
    ("telno", "DE02.01.010.00"),
    ("xingming", "DE02.01.039.00"),  # full pinyin
    ("shenfenzhenghao", "DE02.01.030.00"),
    ("HZSFZH", "DE02.01.030.00"),  # 患者 + 身份证号, glued
]


@pytest.mark.parametrize(("name", "element"), VENDOR_NAMES)
def test_names_of_other_vendors(name: str, element: str) -> None:
    facts = ColumnFacts(name, "VARCHAR(64)", None, "patient")
    assert ColumnClassifier().classify(facts, use_values=False).element == element
