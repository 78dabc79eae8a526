"""An institution's ``patient`` and ``visit`` tables, from the people who go there."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from medshield.synth import vocab_clinical as vc
from medshield.synth.people import People
from medshield.synth.site import Columns, Site

# Seconds on a UTC clock, written as the HIS's local wall time: the same on every machine.
VISITS_FROM = int(datetime(2023, 1, 1, tzinfo=UTC).timestamp())
VISITS_TO = int(datetime(2025, 12, 31, 23, 59, tzinfo=UTC).timestamp())
CREATED_FROM = int(datetime(2015, 1, 1, tzinfo=UTC).timestamp())
MRN_FORMATS = ("{i:010d}", "BA{i:08d}", "{p:02d}{i:08d}")


def stamps(seconds: np.ndarray) -> list[str]:
    """``YYYY-MM-DD HH:MM:SS`` for each count of seconds since the epoch."""
    text = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
    return [t.replace("T", " ") for t in text.tolist()]


def _take(values: list[str] | list[str | None], idx: list[int]) -> list[str | None]:
    return [values[i] for i in idx]


def patients(site: Site, people: People) -> Columns:
    rng = site.rng
    idx = site.persons.tolist()
    n = len(idx)
    fmt = MRN_FORMATS[site.position % len(MRN_FORMATS)]
    province_prefix = site.style.address_province
    address = []
    for i in idx:
        path = people.district_path[i]
        if not province_prefix and path.startswith("重庆市"):
            path = path.removeprefix("重庆市")
        address.append(f"{path}{people.town[i]}{people.street[i]}")
    draw = rng.random(n).tolist()
    remark: list[str | None] = []
    for i, d in zip(idx, draw, strict=True):
        if d < 0.08:
            remark.append(f"紧急联系人{people.contact_name[i]}，电话：{people.contact_phone[i]}")
        elif d < 0.11:
            remark.append(f"原手机号{people.mobile[i]}已停用")
        elif d < 0.15:
            remark.append("VIP")
        else:
            remark.append(None)
    created = rng.integers(CREATED_FROM, VISITS_FROM, n)
    return {
        "patient_id": [(site.position + 1) * 10**8 + k + 1 for k in range(n)],
        "mrn": [fmt.format(i=k + 1, p=site.position + 1) for k in range(n)],
        "name": _take(people.name, idx),
        "gender": [site.gender(m) for m in people.male[site.persons].tolist()],
        "birth_date": _take(people.birth, idx),
        "age": people.age[site.persons].astype(int).tolist(),
        "id_type": ["01"] * n,  # 01 居民身份证
        "id_no": _take(people.id_no, idx),
        "ethnicity": _take(people.ethnicity, idx),
        "marital": _take(people.marital, idx),
        "occupation": _take(people.occupation, idx),
        "employer": _take(people.employer, idx),
        "mobile": _take(people.mobile, idx),
        "landline": _take(people.landline, idx),
        "address": address,
        "contact_name": _take(people.contact_name, idx),
        "contact_relation": _take(people.contact_relation, idx),
        "contact_phone": _take(people.contact_phone, idx),
        "insurance_type": _take(people.insurance_type, idx),
        "insurance_no": _take(people.insurance_no, idx),
        "remark": remark,
        "created_at": stamps(created),
    }


def visits(site: Site, people: People, patient: Columns) -> tuple[Columns, np.ndarray, np.ndarray]:
    """Visits in time order; for each, the row of its patient in ``patient`` and its time."""
    assert site.staffing is not None
    rng = site.rng
    n = len(patient["patient_id"])
    per_patient = np.clip(1 + rng.poisson(1.0, n), 1, 8)
    owner = np.repeat(np.arange(n), per_patient)
    times = rng.integers(VISITS_FROM, VISITS_TO, len(owner))
    order = np.argsort(times, kind="stable")
    owner, times = owner[order], times[order]
    m = len(owner)
    kind = rng.choice(3, size=m, p=[0.75, 0.1, 0.15]) + 1
    if site.small:
        kind = np.where(kind == 3, 1, kind)
    staffing = site.staffing
    dept = rng.choice(len(staffing.dept_ids), size=m, p=staffing.dept_weights)
    pick = rng.random(m).tolist()
    doctor_no = []
    dept_ids = []
    for d, p in zip(dept.tolist(), pick, strict=True):
        dept_id = staffing.dept_ids[d]
        doctors = staffing.staff_by_dept[dept_id]
        dept_ids.append(dept_id)
        doctor_no.append(doctors[int(p * len(doctors))][0])
    stamp = stamps(times)
    persons = site.persons[owner].tolist()
    symptoms = rng.integers(0, len(vc.SYMPTOMS), m).tolist()
    durations = rng.integers(0, len(vc.DURATIONS), m).tolist()
    extra = rng.random(m).tolist()
    complaint = []
    for s, du, e, person in zip(symptoms, durations, extra, persons, strict=True):
        text = f"{vc.SYMPTOMS[s]}{vc.DURATIONS[du]}"
        if e < 0.04:
            text += f"，家属电话{people.contact_phone[person]}"
        elif e < 0.05:
            text += f"，身份证号{people.id_no[person]}"
        complaint.append(text)
    inpatient = kind == 3
    total = np.round(np.where(inpatient, rng.lognormal(9.0, 0.6, m), rng.lognormal(5.0, 0.8, m)), 2)
    self_paid = np.array([t == "全自费" for t in patient["insurance_type"]])[owner]
    share = np.where(self_paid, 0.0, rng.uniform(0.5, 0.85, m))
    paid = np.round(total * share, 2)
    base = (site.position + 1) * 10**8
    columns: Columns = {
        "visit_id": [base + k + 1 for k in range(m)],
        "patient_id": [patient["patient_id"][o] for o in owner.tolist()],
        "outpatient_no": [
            f"{'ZY' if k == 3 else 'MZ'}{s[2:4]}{s[5:7]}{s[8:10]}{j + 1:06d}"
            for j, (k, s) in enumerate(zip(kind.tolist(), stamp, strict=True))
        ],
        "visit_type": [str(k) for k in kind.tolist()],
        "visit_time": stamp,
        "dept_id": dept_ids,
        "doctor_no": doctor_no,
        "chief_complaint": complaint,
        "total_cost": total.tolist(),
        "self_pay": np.round(total - paid, 2).tolist(),
        "insurance_paid": paid.tolist(),
    }
    return columns, owner, times
