"""Tables that hold no patient: departments, staff, drug catalogue, equipment, parameters."""

from __future__ import annotations

from datetime import date

import numpy as np

from medshield.elements.divisions import Divisions
from medshield.synth import vocab_clinical as vc
from medshield.synth.people import REFERENCE_DAY, make_people
from medshield.synth.site import Columns, Site, Staffing

EQUIPMENT = (
    ("CT机", "SOMATOM go.Top"), ("磁共振成像系统", "MAGNETOM Skyra 3.0T"), ("彩色多普勒超声诊断仪", "LOGIQ E20"),
    ("全自动生化分析仪", "AU5800"), ("血液透析机", "4008S"), ("呼吸机", "SV300"), ("心电监护仪", "BeneVision N12"),
    ("数字化X线摄影系统", "DigitalDiagnost C90"), ("全自动血细胞分析仪", "BC-6800Plus"), ("电子胃肠镜", "EVIS X1"),
)  # fmt: skip


def departments(site: Site) -> Columns:
    names = vc.CLINIC_DEPARTMENTS if site.small else tuple(n for n, _ in vc.DEPARTMENTS)
    beds = dict(vc.DEPARTMENTS)
    scale = 0.2 if site.small else 1.0
    ids = [site.position * 100 + i + 1 for i in range(len(names))]
    floors = site.rng.integers(1, 12, len(names)).tolist()
    return {
        "dept_id": ids,
        "dept_name": list(names),
        "beds": [int(beds.get(n, 10) * scale) for n in names],
        "location": [f"{'门诊' if f < 6 else '住院'}楼{f}楼" for f in floors],
    }


def staff(site: Site, dept: Columns, div: Divisions) -> Columns:
    """Doctors and nurses of every department; fills ``site.staffing``."""
    rng = site.rng
    per_dept = rng.integers(2, 4 if site.small else 9, len(dept["dept_id"])).tolist()
    dept_of = [d for d, k in zip(dept["dept_id"], per_dept, strict=True) for _ in range(k)]
    n = len(dept_of)
    home = frozenset({site.institution.location.admin_code})
    crowd = make_people(rng, div, 4 * n + 20, home)
    working = np.flatnonzero((crowd.age >= 24) & (crowd.age < 62))[:n]
    people = {
        "name": [crowd.name[i] for i in working.tolist()],
        "male": crowd.male[working].tolist(),
        "age": crowd.age[working].astype(int).tolist(),
        "mobile": [crowd.mobile[i] for i in working.tolist()],
        "id_no": [crowd.id_no[i] for i in working.tolist()],
    }
    numbers = [f"{site.position + 1:02d}{i + 1:04d}" for i in range(n)]
    titles = [title_for(a, nurse=k % 4 == 3) for k, a in enumerate(people["age"])]
    licences = rng.integers(0, 10**12, n).tolist()
    by_dept: dict[int, list[tuple[str, str]]] = {}
    for d, no, name, title in zip(dept_of, numbers, people["name"], titles, strict=True):
        if "护" not in title:
            by_dept.setdefault(d, []).append((no, name))
    for d, no, name in zip(dept_of, numbers, people["name"], strict=True):
        by_dept.setdefault(d, [(no, name)])  # a department always has someone to sign
    weights = np.array(dept["beds"], dtype=float) + 5.0
    site.staffing = Staffing(
        dept_ids=list(dept["dept_id"]),
        dept_weights=weights / weights.sum(),
        staff_by_dept=by_dept,
    )
    return {
        "staff_no": numbers,
        "name": people["name"],
        "gender": [site.gender(m) for m in people["male"]],
        "title": titles,
        "licence_no": [f"1{x:014d}" for x in licences],
        "dept_id": dept_of,
        "mobile": people["mobile"],
        "id_no": people["id_no"],
    }


def title_for(age: int, *, nurse: bool) -> str:
    """Seniority follows age: 住院医师 in the twenties, 主任医师 past fifty."""
    if nurse:
        return "护师" if age < 35 else "主管护师"
    return (
        "住院医师"
        if age < 30
        else "主治医师"
        if age < 40
        else "副主任医师"
        if age < 50
        else "主任医师"
    )


def drug_catalog(site: Site) -> Columns:
    items = vc.drugs()
    prices = np.round(site.rng.lognormal(3.0, 1.0, len(items)), 2).tolist()
    return {
        "drug_code": [f"YP{site.position + 1:02d}{i + 1:06d}" for i in range(len(items))],
        "generic_name": [d.generic for d in items],
        "brand_name": [d.name if d.name != d.generic else None for d in items],
        "spec": [d.spec for d in items],
        "unit": [d.unit for d in items],
        "manufacturer": [d.maker for d in items],
        "price": prices,
    }


def equipment(site: Site, dept: Columns) -> Columns:
    count = 4 if site.small else 30
    rng = site.rng
    picks = rng.integers(0, len(EQUIPMENT), count).tolist()
    depts = rng.integers(0, len(dept["dept_id"]), count).tolist()
    days = rng.integers(100, 3650, count).tolist()
    ref = REFERENCE_DAY.toordinal()
    return {
        "asset_no": [f"ZC{2015 + i % 10}{i + 1:05d}" for i in range(count)],
        "name": [EQUIPMENT[p][0] for p in picks],
        "model": [EQUIPMENT[p][1] for p in picks],
        "dept_id": [dept["dept_id"][d] for d in depts],
        "purchase_date": [_iso(ref - d) for d in days],
    }


def sys_params(site: Site) -> Columns:
    inst = site.institution
    params = (
        ("hospital.name", inst.name),
        ("hospital.code", f"{inst.location.admin_code}{site.position + 1:04d}"),
        ("his.vendor.style", site.style.key),
        ("outpatient.registration.days_ahead", "7"),
        ("pharmacy.stock.warning", "50"),
        ("emr.autosave.seconds", "60"),
    )
    return {
        "param_key": [k for k, _ in params],
        "param_value": [v for _, v in params],
        "updated_at": [f"{REFERENCE_DAY.isoformat()} 08:00:00"] * len(params),
    }


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()
