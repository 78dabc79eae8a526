"""A generated, labelled set for the detector benchmark: true values and near misses.

Everything is drawn from a seeded generator: resident ID numbers over real division codes, mobile
numbers in current segments, Chinese names; and the near misses that must not fire (IDs with a
wrong check character, 18-digit order numbers, timestamps, 14-digit order numbers, amounts,
department names, diagnoses, place names, common words).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from medshield.detect.id_card import check_char
from medshield.detect.names import surnames
from medshield.elements.divisions import divisions

GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉林波宁鹏飞浩宇欣怡婷雪琳晨博然子涵轩梓睿俊凯佳颖思雨萱诗嘉志国庆春梅淑珍"
SEGMENTS = (
    "130",
    "135",
    "138",
    "139",
    "147",
    "150",
    "158",
    "166",
    "177",
    "180",
    "186",
    "188",
    "191",
    "199",
)
DEPARTMENTS = (
    "内科",
    "心内科",
    "外科",
    "骨科",
    "儿科",
    "妇产科",
    "急诊科",
    "检验科",
    "放射科",
    "药剂科",
    "康复科",
    "中医科",
    "麻醉科",
    "病理科",
    "眼科",
)
WORDS = (
    "周一",
    "明天",
    "高兴",
    "白天",
    "方便",
    "安静",
    "常规",
    "平稳",
    "林地",
    "金属",
    "黄昏",
    "马路",
    "关心",
    "何必",
    "温暖",
    "夏至",
    "江河",
    "石头",
    "程序",
    "万分",
)
DIAGNOSES = (
    "急性阑尾炎",
    "高血压",
    "糖尿病",
    "冠心病",
    "肺炎",
    "胃炎",
    "哮喘",
    "骨折",
    "贫血",
    "痛风",
)


def _id(rng: random.Random, regions: list[str]) -> str:
    born = date(1930, 1, 1) + timedelta(days=rng.randrange(0, 34_000))
    first17 = f"{rng.choice(regions)}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + check_char(first17)


def ids(n: int, seed: int) -> list[tuple[str, bool]]:
    """(value, is an ID) pairs: half valid IDs, half near misses."""
    rng = random.Random(seed)
    regions = [d.code for d in divisions().counties_of("")]
    out: list[tuple[str, bool]] = []
    for i in range(n):
        if i % 2 == 0:
            out.append((_id(rng, regions), True))
            continue
        good = _id(rng, regions)
        kind = i // 2 % 4
        if kind == 0:  # wrong check character
            out.append((good[:17] + rng.choice([c for c in "0123456789X" if c != good[17]]), False))
        elif kind == 1:  # an order number of 18 digits
            out.append((f"{rng.randrange(10**17, 10**18)}", False))
        elif kind == 2:  # a timestamp with a 4-digit suffix
            out.append(
                (
                    f"2023{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{rng.randrange(10**9, 10**10)}",
                    False,
                )
            )
        else:  # 19 digits
            out.append((good[:17] + "00", False))
    return out


def mobiles(n: int, seed: int) -> list[tuple[str, bool]]:
    rng = random.Random(seed)
    out: list[tuple[str, bool]] = []
    for i in range(n):
        number = f"{rng.choice(SEGMENTS)}{rng.randrange(10**8):08d}"
        if i % 2 == 0:
            variant = i // 2 % 3
            text = (
                number
                if variant == 0
                else f"+86 {number}"
                if variant == 1
                else f"{number[:3]}-{number[3:7]}-{number[7:]}"
            )
            out.append((text, True))
            continue
        kind = i // 2 % 4
        if kind == 0:
            out.append((number + f"{rng.randrange(1000):03d}", False))  # order number
        elif kind == 1:
            out.append(
                (
                    f"2023{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{rng.randrange(10**6):06d}",
                    False,
                )
            )
        elif kind == 2:
            out.append((f"{number}.{rng.randrange(100):02d}", False))  # an amount
        else:
            out.append((f"12{rng.randrange(10**9):09d}", False))  # no such segment
    return out


def names(n: int, seed: int) -> list[tuple[str, bool]]:
    rng = random.Random(seed)
    table = surnames()
    common, compound = sorted(table.common), sorted(table.compound)
    negatives = [*DEPARTMENTS, *WORDS, *DIAGNOSES, *(d.short for d in divisions().provinces())]
    out: list[tuple[str, bool]] = []
    for i in range(n):
        if i % 2 == 0:
            surname = rng.choice(compound) if i % 10 == 0 else rng.choice(common)
            given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            out.append((surname + given, True))
        else:
            out.append((rng.choice(negatives), False))
    return out


def _luhn_complete(body: str) -> str:
    for d in "0123456789":
        digits = body + d
        total = sum(
            (int(c) * 2 - 9 if int(c) > 4 else int(c) * 2) if i % 2 else int(c)
            for i, c in enumerate(reversed(digits))
        )
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


def realistic_columns(n: int, seed: int) -> dict[str, list[str]]:
    """One column per kind with the cardinality real columns have: identifiers unique, names
    mostly so, clinical terms and plain values repeating."""
    from medshield.detect.terms import term_index

    rng = random.Random(seed)
    terms: dict[str, list[str]] = {"diagnosis": [], "drug": [], "operation": []}
    codes: list[str] = []
    for text, group in term_index().by_text.items():
        terms[group[0].kind].append(text)
        codes.extend(t.code for t in group if t.kind == "diagnosis" and t.code[:1].isalpha())
    for pool in (*terms.values(), codes):
        pool.sort()
    districts = [d.code for d in divisions().counties_of("50")]
    table = divisions()
    born = [date(1930, 1, 1) + timedelta(days=rng.randrange(34_000)) for _ in range(n)]
    return {
        "cn_id": [v for v, _ in ids(2 * n, seed)[::2]],
        "mobile": [v for v, _ in mobiles(2 * n, seed)[::2]],
        "landline": [f"023-{rng.randrange(2 * 10**7, 9 * 10**7)}" for _ in range(n)],
        "person_name": [v for v, _ in names(2 * n, seed)[::2]],
        "address": [
            f"{table.full_name(rng.choice(districts))}民族路{rng.randrange(1, 400)}号"
            f"{rng.randrange(1, 30)}栋{rng.randrange(1, 6)}单元{rng.randrange(101, 3200)}室"
            for _ in range(n)
        ],
        "record_number": [f"ZY{rng.randrange(10**8):08d}" for _ in range(n)],
        "bank_card": [_luhn_complete(f"62{rng.randrange(10**16):016d}") for _ in range(n)],
        "email": [
            f"user{rng.randrange(10**6)}@{rng.choice(('163.com', 'qq.com'))}" for _ in range(n)
        ],
        "ip_address": [
            f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            for _ in range(n)
        ],
        "birth_date": [f"{b:%Y-%m-%d}" for b in born],
        "icd10_code": [rng.choice(codes[:2000]) for _ in range(n)],
        "diagnosis": [rng.choice(terms["diagnosis"][:300]) for _ in range(n)],
        "drug": [rng.choice(terms["drug"][:300]) for _ in range(n)],
        "operation": [rng.choice(terms["operation"][:200]) for _ in range(n)],
        "amount": [f"{rng.randrange(1, 10**6) / 100:.2f}" for _ in range(n)],
        "lab value": [f"{rng.randrange(1, 2000) / 10:.1f}" for _ in range(n)],
        "code": [rng.choice(("01", "02", "1", "9", "A", "B")) for _ in range(n)],
        "note": [
            rng.choice(
                ("患者一般情况可，饮食睡眠正常", "复查血常规", "建议门诊随访", "无特殊", "按时服药")
            )
            for _ in range(n)
        ],
    }
