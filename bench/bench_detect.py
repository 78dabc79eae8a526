"""Detectors: throughput over whole columns beside per-value scanning, and precision/recall on a
generated labelled set with near misses beside naive patterns.

Throughput: each detector scans a column of synthetic values once (vectorised: one regex pass over
the joined column) against the same detector called value by value (Presidio-style per-value
scanning), and, for the ID and mobile detectors, against a plain ``re.fullmatch`` loop with a
bare pattern. The all-detector time of one 1,000-value column gives the projected cost of a
catalogue scan of 300,000 columns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bench import detect_his
from bench.detect_labelled import ids, mobiles, names, realistic_columns
from bench.harness import Row, best_of
from medshield.detect import build, detect_all, registry

CORPUS = "generated (bench/detect_labelled.py, seeded)"
SAMPLES: dict[str, list[str]] = {
    "cn_id": ["11010519491231002X", "患者身份证500103198503070019号", "110105********002X", "无"],
    "mobile": ["13800138000", "+86 139-1234-5678", "138****5678", "20231105123456"],
    "landline": ["023-68812345", "(010)62751234", "023-****2345", "12"],
    "person_name": ["张三", "欧阳娜娜", "患者王小明，男", "内科"],
    "address": [
        "重庆市渝中区解放碑街道民族路188号3栋2单元501室",
        "四川省成都市**区",
        "高血压",
        "民族路188号",
    ],
    "record_number": ["ZY20230001", "住院号：ZY20230002", "ZY20****01", "abc"],
    "bank_card": ["6222 0212 3456 7890 128", "4111111111111111", "6222 **** **** 1234", "12"],
    "email": ["zhang.san@163.com", "z***@163.com", "无", "联系 li@pku.edu.cn"],
    "ip_address": ["192.168.1.10", "2001:db8::1", "10.2.*.*", "1.2.3"],
    "birth_date": ["1985-03-07", "1985年3月7日", "1985-**-**", "2023-11-05 12:34:56"],
    "icd10_code": ["K35.902", "A01.0", "K35.***", "B12"],
    "diagnosis": ["急性阑尾炎", "因急性化脓性阑尾炎入院", "急性阑尾*", "张三"],
    "drug": ["思密达", "盐酸二甲双胍片", "予头孢他啶静滴", "张三"],
    "operation": ["阑尾切除术", "行腹腔镜下左半结肠切除术", "技术", "内科"],
}
PARAMS = {"record_number": {"patterns": [{"kind": "inpatient", "pattern": r"ZY\d{8}"}]}}
BARE = {"cn_id": re.compile(r"\d{17}[\dXx]"), "mobile": re.compile(r"1[3-9]\d{9}")}
NAIVE = {
    "cn_id": re.compile(r"\d{17}[\dXx]"),
    "mobile": re.compile(r"(?:\+86 ?)?1\d{2}-?\d{4}-?\d{4}"),
}


def _column(name: str, n: int) -> list[str]:
    sample = SAMPLES[name]
    return [sample[i % len(sample)] for i in range(n)]


def _throughput(n: int, repeat: int) -> list[Row]:
    rows: list[Row] = []
    for cls in registry():
        if cls.name not in SAMPLES:
            continue
        detector = build(cls.name, PARAMS.get(cls.name))
        values = _column(cls.name, n)
        detector.detect(values[:50])  # load dictionaries and tables outside the timing
        vectorised = best_of(lambda d=detector, v=values: d.detect(v), repeat)
        per_value = best_of(lambda d=detector, v=values: [d.detect([x]) for x in v], repeat)
        rows.append(
            Row(
                f"detect {cls.name}: values/s, whole column",
                n / vectorised,
                "values/s",
                "per-value calls",
                n / per_value,
                corpus="synthetic sample values",
            )
        )
        if cls.name in BARE:
            bare = BARE[cls.name]
            plain = best_of(lambda p=bare, v=values: [p.fullmatch(x) for x in v], repeat)
            rows.append(
                Row(
                    f"detect {cls.name}: values/s vs bare re.fullmatch loop (no checks)",
                    n / vectorised,
                    "values/s",
                    "re.fullmatch loop",
                    n / plain,
                    corpus="synthetic sample values",
                )
            )
    return rows


def _catalogue_projection(n_columns: int) -> list[Row]:
    """Mean all-detector time of a 1,000-value column, over one column of every kind with a
    realistic cardinality (identifiers unique, clinical terms repeating), projected to a
    catalogue of ``n_columns`` sampled columns."""
    columns = list(realistic_columns(1000, 11).values())
    detect_all(columns[0][:50], params=PARAMS)
    whole = sum(best_of(lambda c=c: detect_all(c, params=PARAMS), 2) for c in columns) / len(
        columns
    )
    per_value = sum(
        best_of(lambda c=c: [detect_all([x], params=PARAMS) for x in c[:100]], 1) * 10
        for c in columns
    ) / len(columns)
    corpus = f"{len(columns)} generated columns (bench/detect_labelled.py realistic_columns)"
    return [
        Row(
            "all detectors, one 1,000-value column (mean)",
            whole * 1000,
            "ms",
            "per-value calls",
            per_value * 1000,
            target="lower is better",
            corpus=corpus,
        ),
        Row(
            f"projected scan of {n_columns:,} sampled columns, 1 core",
            whole * n_columns / 3600,
            "hours",
            "per-value calls",
            per_value * n_columns / 3600,
            target="lower is better",
            corpus=corpus,
        ),
    ]


def _precision_recall(
    name: str,
    labelled: Sequence[tuple[str, bool]],
    naive: Callable[[str], bool],
    label: str | None = None,
    *,
    corpus: str | None = None,
    title: str | None = None,
) -> list[Row]:
    values = [v for v, _ in labelled]
    hit = {f.index for f in detect_all(values, [name], label=label) if not f.masked}
    truth = [t for _, t in labelled]
    base = [naive(v) for v in values]

    def pr(pred: Sequence[bool]) -> tuple[float, float]:
        tp = sum(p and t for p, t in zip(pred, truth, strict=True))
        fp = sum(p and not t for p, t in zip(pred, truth, strict=True))
        fn = sum(t and not p for p, t in zip(pred, truth, strict=True))
        return tp / max(tp + fp, 1), tp / max(tp + fn, 1)

    (p, r), (bp, br) = pr([i in hit for i in range(len(values))]), pr(base)
    corpus = corpus or f"{CORPUS}, half near misses"
    corpus = f"{corpus}, {len(values):,} values"
    title = title or name
    return [
        Row(f"{title}: precision", p, "ratio", "naive pattern", bp, target="1.0", corpus=corpus),
        Row(f"{title}: recall", r, "ratio", "naive pattern", br, target="1.0", corpus=corpus),
    ]


ACCOUNTS = frozenset({"演示用户", "管理员", "门诊医生", "医技医生", "药房医生", "收费员", "对账员"})


def _his_rows() -> list[Row]:
    """Names among the teaching HIS's patients, staff accounts and departments; patient phones."""
    if not detect_his.available():
        return []
    patients, staff = detect_his.rows("pms_patient"), detect_his.rows("sms_staff")
    departments = [r[3] for r in detect_his.rows("sms_dept")]
    values = [r[1] for r in patients] + [r[1] for r in staff] + departments
    truth = (
        [True] * len(patients) + [r[1] not in ACCOUNTS for r in staff] + [False] * len(departments)
    )
    labelled = list(zip(values, truth, strict=True))
    table = __import__("medshield.detect.names", fromlist=["surnames"]).surnames()
    naive = re.compile(r"[\u4e00-\u9fff]{2,4}")
    rows = _precision_recall(
        "person_name",
        labelled,
        lambda v: naive.fullmatch(v) is not None and table.split(v) is not None,
        corpus=f"{detect_his.CORPUS}: patients, staff accounts, {len(departments)} departments",
        title="HIS person_name",
    )
    phones = [(r[5], True) for r in patients]
    rows += _precision_recall(
        "mobile",
        phones,
        lambda v: NAIVE["mobile"].search(v) is not None,
        corpus=f"{detect_his.CORPUS}: patient phones",
        title="HIS mobile",
    )[1:]
    return rows


def run(quick: bool) -> list[Row]:
    n = 2_000 if quick else 50_000
    rows = _throughput(n, 1 if quick else 3)
    rows += _catalogue_projection(303_881)
    size = 2_000 if quick else 20_000
    table_surnames = __import__("medshield.detect.names", fromlist=["surnames"]).surnames()
    naive_name = re.compile(r"[\u4e00-\u9fff]{2,4}")
    rows += _precision_recall(
        "cn_id", ids(size, 1), lambda v: NAIVE["cn_id"].fullmatch(v) is not None
    )
    rows += _precision_recall(
        "mobile", mobiles(size, 2), lambda v: NAIVE["mobile"].search(v) is not None
    )
    rows += _precision_recall(
        "person_name",
        names(size, 3),
        lambda v: naive_name.fullmatch(v) is not None and table_surnames.split(v) is not None,
    )
    rows += _his_rows()
    return rows
