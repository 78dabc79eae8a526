"""The clinical tables of one institution, each row hanging on a visit: diagnoses,
prescriptions, orders, lab results and operations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from medshield.synth import vocab_clinical as vc
from medshield.synth.patients import stamps
from medshield.synth.people import People
from medshield.synth.site import Columns, Site

DOSE_BY_FORM = (("注射", "1支"), ("胶囊", "1粒"), ("颗粒", "1袋"), ("散", "1袋"), ("片", "1片"))
TWO_HOURS = 7200


@dataclass(frozen=True)
class VisitFrame:
    """What the clinical tables need to know of each visit, index-aligned with ``visit``."""

    visit_id: np.ndarray
    seconds: np.ndarray
    inpatient: np.ndarray
    dept_id: list[int]
    person: np.ndarray  # index into the population
    first_diagnosis: list[str]  # filled by ``diagnoses``; ``operations`` cites it in its notes


def _expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(visit row of each child row, 1-based position of the child within its visit)."""
    owner = np.repeat(np.arange(len(counts)), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.arange(len(owner)) - starts + 1


def diagnoses(site: Site, frame: VisitFrame, base: int) -> Columns:
    rng = site.rng
    table = vc.diagnoses()
    owner, pos = _expand(1 + (rng.random(len(frame.visit_id)) < 0.4).astype(np.int64))
    picks = rng.integers(0, len(table), len(owner)).tolist()
    first = [""] * len(frame.visit_id)
    for o, p, k in zip(owner.tolist(), pos.tolist(), picks, strict=True):
        if p == 1:
            first[o] = table[k][1]
    frame.first_diagnosis[:] = first
    dates = [s[:10] for s in stamps(frame.seconds[owner])]
    return {
        "diag_id": [base + i + 1 for i in range(len(owner))],
        "visit_id": frame.visit_id[owner].tolist(),
        "icd_code": [table[k][0] for k in picks],
        "diag_name": [table[k][1] for k in picks],
        "diag_type": ["主要诊断" if p == 1 else "次要诊断" for p in pos.tolist()],
        "diag_date": dates,
    }


def _drug_picks(rng: np.random.Generator, n: int) -> list[vc.Drug]:
    items = vc.drugs()
    brands = [d for d in items if d.name != d.generic]
    use_brand = (rng.random(n) < 0.3).tolist()
    any_pick = rng.integers(0, len(items), n).tolist()
    brand_pick = rng.integers(0, len(brands), n).tolist()
    return [
        brands[b] if u else items[a]
        for u, a, b in zip(use_brand, any_pick, brand_pick, strict=True)
    ]


def prescriptions(site: Site, frame: VisitFrame, patient_ids: list[int]) -> Columns:
    rng = site.rng
    assert site.staffing is not None
    counts = np.where(
        frame.inpatient,
        rng.poisson(3.0, len(frame.visit_id)),
        rng.poisson(1.4, len(frame.visit_id)),
    )
    owner, pos = _expand(np.clip(counts, 0, 8))
    n = len(owner)
    drugs = _drug_picks(rng, n)
    freq = rng.integers(0, len(vc.FREQUENCIES), n).tolist()
    pick = rng.random(n).tolist()
    doctors = site.staffing.staff_by_dept
    visit_ids = frame.visit_id[owner].tolist()
    return {
        "rx_no": [f"CF{v}" for v in visit_ids],
        "item_no": pos.tolist(),
        "visit_id": visit_ids,
        "patient_id": [patient_ids[o] for o in owner.tolist()],
        "drug_name": [d.name for d in drugs],
        "spec": [d.spec for d in drugs],
        "dose": [dose_of(d) for d in drugs],
        "frequency": [vc.FREQUENCIES[f] for f in freq],
        "route": [route_of(d.generic) for d in drugs],
        "quantity": rng.integers(1, 7, n).tolist(),
        "unit_price": np.round(rng.lognormal(3.0, 1.0, n), 2).tolist(),
        "doctor_name": [
            _someone(doctors[frame.dept_id[o]], p)
            for o, p in zip(owner.tolist(), pick, strict=True)
        ],
    }


def dose_of(drug: vc.Drug) -> str:
    """A single dose that fits the dosage form (herbs by weight)."""
    for form, dose in DOSE_BY_FORM:
        if form in drug.generic:
            return dose
    return "10g" if drug.spec.endswith("/g") else "1次"


def route_of(drug: str) -> str:
    """How a drug is given, from its dosage form."""
    if "注射" in drug:
        return "皮下注射" if "胰岛素" in drug else "静脉滴注"
    if any(form in drug for form in ("滴眼", "软膏", "乳膏", "凝胶", "喷雾", "贴")):
        return "外用"
    return "口服"


def _someone(staff: list[tuple[str, str]], pick: float) -> str:
    return staff[int(pick * len(staff))][1]


def orders(site: Site, frame: VisitFrame, people: People) -> Columns:
    rng = site.rng
    assert site.staffing is not None
    m = len(frame.visit_id)
    counts = np.where(
        frame.inpatient, 2 + rng.poisson(2.0, m), (rng.random(m) < 0.3).astype(np.int64)
    )
    owner, pos = _expand(counts)
    n = len(owner)
    drugs = _drug_picks(rng, n)
    nursing = rng.integers(0, len(vc.NURSING_ORDERS), n).tolist()
    is_drug = (rng.random(n) < 0.6).tolist()
    freq = rng.integers(0, len(vc.FREQUENCIES), n).tolist()
    remark_draw = rng.random(n).tolist()
    pick = rng.random(n).tolist()
    persons = frame.person[owner].tolist()
    remarks: list[str | None] = []
    for d, person in zip(remark_draw, persons, strict=True):
        if d < 0.05:
            remarks.append(
                f"请通知家属{people.contact_name[person]}，电话{people.contact_phone[person]}"
            )
        elif d < 0.07:
            remarks.append(f"核对身份证{people.id_no[person]}后执行")
        elif d < 0.2:
            remarks.append("皮试阴性")
        else:
            remarks.append(None)
    start = frame.seconds[owner] + rng.integers(600, 4 * TWO_HOURS, n)
    visit_ids = frame.visit_id[owner].tolist()
    doctors = site.staffing.staff_by_dept
    return {
        "order_no": [f"YZ{v}{p:02d}" for v, p in zip(visit_ids, pos.tolist(), strict=True)],
        "visit_id": visit_ids,
        "order_type": [
            vc.ORDER_TYPES[0] if i else vc.ORDER_TYPES[1] for i in frame.inpatient[owner].tolist()
        ],
        "content": [
            f"{dr.name} {dr.spec} {vc.FREQUENCIES[f]}" if use else vc.NURSING_ORDERS[k]
            for dr, f, use, k in zip(drugs, freq, is_drug, nursing, strict=True)
        ],
        "start_time": stamps(start),
        "doctor_no": [
            doctors[frame.dept_id[o]][int(p * len(doctors[frame.dept_id[o]]))][0]
            for o, p in zip(owner.tolist(), pick, strict=True)
        ],
        "remark": remarks,
        "status": ["1"] * n,
    }


def lab_results(site: Site, frame: VisitFrame) -> Columns:
    rng = site.rng
    m = len(frame.visit_id)
    counts = np.where(rng.random(m) < 0.45, rng.integers(2, 6, m), 0)
    owner, _ = _expand(counts)
    n = len(owner)
    tests = rng.integers(0, len(vc.LAB_TESTS), n).tolist()
    where = rng.uniform(-0.3, 1.3, n).tolist()
    results, flags = [], []
    for t, w in zip(tests, where, strict=True):
        _, _, _, low, high = vc.LAB_TESTS[t]
        value = low + w * (high - low)
        results.append(f"{value:.2f}" if high < 20 else f"{value:.0f}")
        flags.append("H" if w > 1 else "L" if w < 0 else "")
    report = frame.seconds[owner] + rng.integers(TWO_HOURS, 12 * TWO_HOURS, n)
    visit_ids = frame.visit_id[owner].tolist()
    return {
        "report_no": [f"JY{v}" for v in visit_ids],
        "visit_id": visit_ids,
        "item_name": [vc.LAB_TESTS[t][0] for t in tests],
        "result": results,
        "unit": [vc.LAB_TESTS[t][1] for t in tests],
        "reference_range": [vc.LAB_TESTS[t][2] for t in tests],
        "abnormal_flag": flags,
        "report_time": stamps(report),
    }


def operations(site: Site, frame: VisitFrame, people: People, base: int) -> Columns:
    rng = site.rng
    assert site.staffing is not None
    chosen = np.flatnonzero(frame.inpatient & (rng.random(len(frame.visit_id)) < 0.45))
    n = len(chosen)
    ops = rng.integers(0, len(vc.OPERATIONS), n).tolist()
    anaes = rng.integers(0, len(vc.ANAESTHESIA), n).tolist()
    pick = rng.random(n).tolist()
    extra = rng.random(n).tolist()
    day = stamps(frame.seconds[chosen] + rng.integers(1, 4, n) * 86400)
    notes, surgeons = [], []
    for row, op, an, p, e, d in zip(chosen.tolist(), ops, anaes, pick, extra, day, strict=True):
        person = int(frame.person[row])
        surgeon = _someone(site.staffing.staff_by_dept[frame.dept_id[row]], p)
        sex = "男" if people.male[person] else "女"
        note = (
            f"{d[:10]} 患者{people.name[person]}，{sex}，{int(people.age[person])}岁，"
            f"因“{frame.first_diagnosis[row]}”入院。今日在{vc.ANAESTHESIA[an][1]}下行"
            f"{vc.OPERATIONS[op][1]}，手术顺利，术后安返病房。主刀：{surgeon}。"
        )
        if e < 0.2:
            note += f"术后已电话告知家属{people.contact_name[person]}（{people.contact_phone[person]}）。"
        elif e < 0.25:
            note += f"患者身份证号{people.id_no[person]}。"
        notes.append(note)
        surgeons.append(surgeon)
    visit_ids = frame.visit_id[chosen].tolist()
    return {
        "op_id": [base + i + 1 for i in range(n)],
        "visit_id": visit_ids,
        "inpatient_no": [f"ZY{v % 10**8:08d}" for v in visit_ids],
        "op_code": [vc.OPERATIONS[o][0] for o in ops],
        "op_name": [vc.OPERATIONS[o][1] for o in ops],
        "op_date": [d[:10] for d in day],
        "anaesthesia": [vc.ANAESTHESIA[a][0] for a in anaes],
        "surgeon": surgeons,
        "progress_note": notes,
    }
