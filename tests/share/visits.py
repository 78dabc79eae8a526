"""A CSV of outpatient visits with Chinese text and decimals, for the share tests."""

from __future__ import annotations

import csv
import io
import random

SURNAMES = "王李张刘陈杨黄赵吴周"
DIAGNOSES = ["高血压", "2型糖尿病", "冠心病", "慢性阻塞性肺疾病", "哮喘", "肺炎", "脑梗死", "胃炎"]
DEPTS = ["心内科", "内分泌科", "呼吸科", "神经内科", "消化科"]


def visits_csv(rows: int = 400, seed: int = 7) -> str:
    rng = random.Random(seed)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["visit_id", "patient", "dept", "diagnosis", "temp", "glucose", "visited"])
    for i in range(rows):
        w.writerow([
            100000 + i, rng.choice(SURNAMES) + "某", rng.choice(DEPTS),
            f"{rng.choice(DIAGNOSES)}（{rng.choice(['初诊', '复诊'])}）",
            f"{rng.uniform(36.0, 39.5):.1f}", f"{rng.uniform(3.9, 15.0):.2f}",
            f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        ])  # fmt: skip
    return out.getvalue()
