"""A small patient table with Chinese values, and a masking plan built from real operators."""

from __future__ import annotations

import random
from typing import Any

import pytest
import sqlalchemy as sa

from medshield.mask.engine import OperatorPlan, plan_from_rules
from medshield.mask.operators.base import MaskContext

SURNAMES = ["张", "李", "王", "欧阳", "陈", "刘"]
GIVEN = ["伟", "芳", "娜娜", "强", "秀英", "敏"]
STREETS = ["浙江省杭州市西湖区文三路", "广东省广州市天河区天河路", "四川省成都市武侯区人民南路"]
DIAGNOSES = ["2型糖尿病", "原发性高血压", "免疫性血小板减少症", None]
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"


def id_number(rng: random.Random) -> str:
    body = f"330106{rng.randint(1940, 2010)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body += f"{rng.randint(0, 999):03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def patient_rows(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [
        {
            "id": i + 1,
            "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "id_no": id_number(rng),
            "phone": f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}",
            "address": f"{rng.choice(STREETS)}{rng.randint(1, 999)}号",
            "age": rng.randint(0, 99),
            "diagnosis": rng.choice(DIAGNOSES),
        }
        for i in range(n)
    ]


PATIENT = sa.Table(
    "patient",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String(50)),
    sa.Column("id_no", sa.String(18)),
    sa.Column("phone", sa.String(20)),
    sa.Column("address", sa.String(200)),
    sa.Column("age", sa.Integer),
    sa.Column("diagnosis", sa.String(100)),
)


def load_patients(url: str, rows: list[dict[str, Any]]) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        PATIENT.create(connection)
        if rows:
            connection.execute(PATIENT.insert(), rows)
    engine.dispose()


RULES: dict[str, tuple[str, dict[str, Any]] | None] = {
    "id": None,
    "name": ("cover", {"keep_surname": True}),
    "id_no": ("pseudonym", {}),
    "phone": ("cover", {"keep_prefix": 3, "keep_suffix": 4}),
    "address": ("cut_address", {"level": "city"}),
    "age": ("generalize", {"kind": "number", "width": 10, "top": 90}),
    "diagnosis": None,
}


def build_plan(context: MaskContext, rules: dict[str, Any] | None = None) -> OperatorPlan:
    return plan_from_rules(RULES if rules is None else rules, context)


@pytest.fixture
def patient_plan(ctx: MaskContext) -> OperatorPlan:
    return build_plan(ctx)
