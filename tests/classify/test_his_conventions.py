"""HIS naming conventions, one class of error each: record numbers named by English abbreviations
and interface codes, record numbers known by their values, 住院号/就诊号 in one column, and the
false identifiers that values, technical addresses, birth measurements, pinyin tails and
dictionary tables used to cause. Written from public knowledge of HIS conventions."""

from __future__ import annotations

from importlib.resources import files

import pytest

from medshield.classify import ColumnClassifier, ColumnFacts
from medshield.classify.veto import veto
from medshield.detect.record_number import serial_shape
from medshield.policy import load_bundle

INPATIENT, OUTPATIENT, CASE, ARCHIVE = (
    "DE01.00.014.00",
    "DE01.00.010.00",
    "DE01.00.021.00",
    "DE01.00.009.00",
)
VISIT, ID_CARD, PHONE, NAME = "DE01.00.002.00", "DE02.01.030.00", "DE02.01.010.00", "DE02.01.039.00"
BIRTH_DATE, IP = "DE02.01.005.01", "DE02.01.065.00"


@pytest.fixture(scope="module")
def clf() -> ColumnClassifier:
    return ColumnClassifier()


def _classify(clf: ColumnClassifier, name: str, *values: str, **facts: str) -> tuple:
    col = ColumnFacts(
        name,
        facts.get("type", "varchar(32)"),
        facts.get("comment"),
        facts.get("table", "t_record"),
        facts.get("table_comment"),
        values,
    )
    result = clf.classify(col, use_values=bool(values))
    return result.element, result.evidence


@pytest.mark.parametrize(
    ("name", "element"),
    [
        ("zyh", INPATIENT),
        ("inpatient_no", INPATIENT),
        ("ipno", INPATIENT),
        ("ip_no", INPATIENT),
        ("inp_no", INPATIENT),
        ("InpNo", INPATIENT),
        ("admission_no", INPATIENT),
        ("adm_no", INPATIENT),
        ("admno", INPATIENT),
        ("hosp_no", INPATIENT),
        ("zy_no", INPATIENT),
        ("zyhm", INPATIENT),
        ("mzh", OUTPATIENT),
        ("opno", OUTPATIENT),
        ("outp_no", OUTPATIENT),
        ("OutpatientNo", OUTPATIENT),
        ("clinic_no", OUTPATIENT),
        ("clinicno", OUTPATIENT),
        ("mzno", OUTPATIENT),
        ("bah", CASE),
        ("mrn", CASE),
        ("medrec_no", CASE),
        ("medrecno", CASE),
        ("case_no", CASE),
        ("caseno", CASE),
        ("chart_no", CASE),
        ("bahm", CASE),
        ("dah", ARCHIVE),
        ("archive_no", ARCHIVE),
        ("archno", ARCHIVE),
    ],
)
def test_record_numbers_by_vendor_abbreviations(
    clf: ColumnClassifier, name: str, element: str
) -> None:
    assert _classify(clf, name)[0] == element


@pytest.mark.parametrize(
    ("name", "element"),
    [
        ("aac001", "DE01.00.017.00"),  # 个人编号
        ("AAC002", ID_CARD),  # 公民身份号码
        ("aac003", NAME),  # 姓名
        ("AAC006", BIRTH_DATE),  # 出生日期
        ("aae005", PHONE),  # 联系电话
        ("aaz500", "DE01.00.017.00"),  # 社会保障卡号
        ("AKC190", INPATIENT),  # 就诊编号/住院号: the stricter
        ("prm_akc190", INPATIENT),
        ("akb020", "DE08.10.052.00"),  # 医疗机构编码: no one's identifier
    ],
)
def test_social_security_interface_codes(clf: ColumnClassifier, name: str, element: str) -> None:
    assert _classify(clf, name, table="kc21")[0] == element


def test_interface_codes_name_their_source() -> None:
    raw = files("medshield.classify").joinpath("data/lexicon.yaml").read_text(encoding="utf-8")
    assert "akc190" in raw and "指标体系" in raw


@pytest.mark.parametrize(
    ("values", "table", "element"),
    [
        ([f"ZY{2023000100 + i}" for i in range(30)], "patient_visit", INPATIENT),
        ([f"MZ{88001000 + i * 3}" for i in range(30)], "patient_visit", OUTPATIENT),
        ([f"{1000300 + i * 7}" for i in range(30)], "patient", CASE),
        ([f"{1000300 + i * 7}" for i in range(30)], "zy_register", INPATIENT),
    ],
)
def test_record_numbers_by_their_values(
    clf: ColumnClassifier, values: list[str], table: str, element: str
) -> None:
    found, evidence = _classify(clf, "col7", *values, table=table)
    assert found == element
    assert any("candidate" in str(s.get("hint")) for s in evidence["signals"])


@pytest.mark.parametrize(
    ("values", "table"),
    [
        ([f"{1000300 + i * 7}" for i in range(30)], "drug_stock"),  # not a patient's table
        ([f"{1000300 + i % 5}" for i in range(30)], "patient"),  # not unique
        ([f"2023{1 + i % 12:02d}{1 + i % 28:02d}" for i in range(30)], "patient"),  # dates
        ([str(i) for i in range(30)], "patient"),  # a counter, no fixed width
    ],
)
def test_no_record_number_without_the_shape(
    clf: ColumnClassifier, values: list[str], table: str
) -> None:
    assert _classify(clf, "col7", *values, table=table)[0] is None


@pytest.mark.parametrize("name", ["fph", "fphm", "invoice_no", "receipt_no"])
def test_invoice_numbers_are_not_record_numbers(clf: ColumnClassifier, name: str) -> None:
    values = [str(40000000 + i) for i in range(30)]
    assert _classify(clf, name, *values, table="zy_brxx")[0] is None


def test_serial_shapes() -> None:
    assert serial_shape(["ZY0001234", "ZY0001235"]) == "prefix ZY"
    assert serial_shape(["00012345", "00012399"]) == "8 digits"
    assert serial_shape(["123", "45678"]) is None
    assert serial_shape(["20230101", "20230102"]) is None
    assert serial_shape(["1700000000", "1700003600"]) is None  # Unix times


@pytest.mark.parametrize(
    "comment", ["住院号/就诊号", "就诊号（住院号）", "就诊流水号或住院号", "门诊号/就诊号"]
)
def test_visit_or_record_number_is_graded_as_the_stricter(
    clf: ColumnClassifier, comment: str
) -> None:
    element, evidence = _classify(clf, "jzid", comment=comment)
    assert element in (INPATIENT, OUTPATIENT)
    assert any(VISIT in s.get("also", ()) for s in evidence["signals"])
    level = load_bundle().catalogue[element].level
    assert level > load_bundle().catalogue[VISIT].level


def test_visit_number_named_alone_stays_a_visit_number(clf: ColumnClassifier) -> None:
    assert _classify(clf, "x", comment="就诊流水号")[0] == VISIT


def test_pinyin_record_and_visit_number_in_one_name(clf: ColumnClassifier) -> None:
    element, evidence = _classify(clf, "zyh", comment="就诊流水号")
    assert element == INPATIENT
    assert any(VISIT in s.get("also", ()) for s in evidence["signals"])


@pytest.mark.parametrize(
    ("name", "comment", "values", "reason"),
    [
        ("sfzh", None, ["01", "02", "03"] * 10, "short codes"),
        ("phone", None, ["0", "1"] * 15, "short codes"),
        ("brxm", "病人姓名", ["系统", "管理员", "测试"] * 10, "distinct values"),
        ("lxdh", "联系电话", ["无", "不详", "拒绝提供", "未知", "空号", "停机"] * 5, "digits"),
        ("id_card", None, [f"card{i}" for i in range(12)], "digits"),
        ("sjh", None, [f"R{2023000100 + i}" for i in range(12)], "not phone numbers"),  # 收据号
        ("xm", "姓名", [str(1000 + i) for i in range(12)], "numbers"),
        ("email", None, [f"user{i}" for i in range(12)], "@"),
    ],
)
def test_values_veto_a_name_they_contradict(
    clf: ColumnClassifier, name: str, comment: str | None, values: list[str], reason: str
) -> None:
    element, evidence = _classify(clf, name, *values, comment=comment, table="patient")
    assert element is None
    assert any(reason in v["reason"] for v in evidence["veto"])


@pytest.mark.parametrize(
    "phone", ["13800138000", "010-62751234", "62751234", "(0571)8888 6666", "138****8000"]
)
def test_phone_numbers_in_any_writing_are_not_vetoed(phone: str) -> None:
    assert veto(PHONE, [phone] * 4 + [f"1390000{i:04d}" for i in range(8)], direct=True) is None


def test_values_that_agree_do_not_veto(clf: ColumnClassifier) -> None:
    names = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴昊"]
    assert _classify(clf, "brxm", *names, comment="病人姓名", table="patient")[0] == NAME


def test_patient_keys_that_repeat_in_a_child_table_are_not_vetoed() -> None:
    keys = [str(1 + i % 4) for i in range(40)]  # four patients' orders
    assert veto("DE01.00.001.00", keys, direct=True) is None
    assert veto(INPATIENT, ["A1", "B2"] * 10, direct=True) is not None


@pytest.mark.parametrize(
    ("name", "comment"),
    [
        ("file_addr", None),
        ("img_url", None),
        ("pic_path", None),
        ("interface_url", None),
        ("exec_addr", None),
        ("room_address", None),
        ("server_ip", None),
        ("host_ip", None),
        ("wjdz", "文件地址"),
        ("txdz", "图像地址"),
        ("jkdz", "接口地址"),
        ("fjdz", "房间地址"),
        ("fwqip", "服务器IP"),
    ],
)
def test_technical_addresses_are_not_personal(
    clf: ColumnClassifier, name: str, comment: str | None
) -> None:
    values = [f"10.1.2.{i}" for i in range(12)] if "ip" in name else ["北京市海淀区学院路38号"] * 12
    assert _classify(clf, name, *values, comment=comment)[0] is None


@pytest.mark.parametrize("comment", ["科室电话", "医院地址", "值班电话"])
def test_an_institutions_phone_or_address_is_no_ones(clf: ColumnClassifier, comment: str) -> None:
    assert _classify(clf, "col3", comment=comment)[0] is None


def test_an_ip_column_stays_an_ip(clf: ColumnClassifier) -> None:
    assert _classify(clf, "client_ip", *[f"10.1.2.{i}" for i in range(12)])[0] == IP


@pytest.mark.parametrize(
    ("name", "comment"),
    [
        ("birth_weight", None),
        ("birth_length", None),
        ("gestational_age", None),
        ("cstz", "出生体重"),
        ("cssc", "出生身长"),
        ("yz", "孕周"),
        ("csyz", "出生孕周"),
        ("csdz", "出生地址"),
    ],
)
def test_birth_measurements_are_not_birth_dates(
    clf: ColumnClassifier, name: str, comment: str | None
) -> None:
    assert _classify(clf, name, comment=comment, type="decimal(6,2)")[0] != BIRTH_DATE


@pytest.mark.parametrize("name", ["jccsrq", "xtcsrq", "bgcsrq"])
def test_pinyin_tails_are_not_whole_initials(clf: ColumnClassifier, name: str) -> None:
    assert _classify(clf, name, type="datetime")[0] != BIRTH_DATE


@pytest.mark.parametrize("name", ["hzcsrq", "brcsrq", "hzsfzh", "mqsfzh"])
def test_pinyin_after_an_owner_still_reads(clf: ColumnClassifier, name: str) -> None:
    assert _classify(clf, name, type="varchar(20)")[0] in (BIRTH_DATE, ID_CARD)


@pytest.mark.parametrize(
    ("table", "table_comment"),
    [
        ("emr_doc_type", None),
        ("bas_category", None),
        ("sys_dict", None),
        ("t_wslx", "文书类型表"),
        ("t_item", "项目类别维护"),
    ],
)
def test_name_of_a_dictionary_table_is_no_person(
    clf: ColumnClassifier, table: str, table_comment: str | None
) -> None:
    values = ["入院记录", "病程记录", "出院小结", "手术记录", "会诊记录", "护理记录"] * 3
    element, evidence = _classify(clf, "name", *values, table=table, table_comment=table_comment)
    assert element is None
    assert "reference" in evidence["context"]


def test_name_of_a_patient_table_is_still_a_name(clf: ColumnClassifier) -> None:
    assert _classify(clf, "name", table="patient")[0] == NAME
