"""The alliance's population: one record per person, generated column-wise with numpy.

A person can be a patient of several institutions (the same identity in several HIS databases),
so people are made once and copied into each institution's ``patient`` table by ``records``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from medshield.elements.divisions import Divisions
from medshield.synth import vocab_people as v
from medshield.synth.idcard import id_numbers

REFERENCE_DAY = date(
    2025, 12, 31
)  # "today" of the synthetic world: data never depends on the clock
NO_EMPLOYER = frozenset({"学生", "离退休人员", "无职业", "个体经营者", "自由职业者"})
AGE_BANDS = (
    (0, 7, 6.0),
    (7, 18, 8.0),
    (18, 45, 30.0),
    (45, 65, 32.0),
    (65, 80, 18.0),
    (80, 96, 6.0),
)


@dataclass(frozen=True)
class People:
    """Columns of the population, index-aligned."""

    name: list[str]
    male: np.ndarray  # bool
    birth: list[str]  # ISO date
    age: np.ndarray
    id_no: list[str]
    mobile: list[str]
    landline: list[str | None]
    county: list[str]  # code of the county of residence
    district_path: list[str]  # 重庆市渝中区 / 四川省成都市武侯区
    town: list[str]
    street: list[str]  # road, number, building
    ethnicity: list[str]
    marital: list[str]
    occupation: list[str]
    employer: list[str | None]
    contact_name: list[str]
    contact_relation: list[str]
    contact_phone: list[str]
    insurance_type: list[str]
    insurance_no: list[str | None]

    def __len__(self) -> int:
        return len(self.name)


def _weighted(rng: np.random.Generator, pairs: tuple[tuple[str, float], ...], n: int) -> list[str]:
    weights = np.array([w for _, w in pairs], dtype=float)
    picks = rng.choice(len(pairs), size=n, p=weights / weights.sum())
    values = [value for value, _ in pairs]
    return [values[i] for i in picks.tolist()]


def _pick(rng: np.random.Generator, values: tuple[str, ...] | list[str], n: int) -> list[str]:
    return [values[i] for i in rng.integers(0, len(values), n).tolist()]


def names(rng: np.random.Generator, male: np.ndarray) -> list[str]:
    n = len(male)
    surnames = _weighted(rng, v.SURNAMES, n)
    first = rng.integers(0, 1 << 30, n).tolist()
    second = rng.integers(0, 1 << 30, n).tolist()
    two = (rng.random(n) < 0.7).tolist()
    out = []
    for s, m, a, b, t in zip(surnames, male.tolist(), first, second, two, strict=True):
        pool = v.GIVEN_MALE if m else v.GIVEN_FEMALE
        given = (
            v.GIVEN_ANY[a % len(v.GIVEN_ANY)] + pool[b % len(pool)] if t else pool[a % len(pool)]
        )
        out.append(s + given)
    return out


def mobiles(rng: np.random.Generator, n: int) -> list[str]:
    segments = _weighted(rng, v.MOBILE_SEGMENTS, n)
    tails = rng.integers(0, 100_000_000, n).tolist()
    return [f"{s}{t:08d}" for s, t in zip(segments, tails, strict=True)]


def _residence(rng: np.random.Generator, div: Divisions, n: int, home: frozenset[str]) -> list[str]:
    provinces = _weighted(rng, v.HOME_PROVINCES, n)
    draws = rng.random(n).tolist()
    pools: dict[str, list[str]] = {}
    for p, _ in v.HOME_PROVINCES:
        codes = [c.code for c in div.counties_of(p)]
        # the alliance's own districts are where most of its patients live
        pools[p] = codes + [c for c in codes if c in home] * 8
    return [pools[p][int(d * len(pools[p]))] for p, d in zip(provinces, draws, strict=True)]


def _birth_regions(rng: np.random.Generator, div: Divisions, county: list[str]) -> list[str]:
    """Mostly the county of residence; some were born elsewhere in the province, some under a
    code since withdrawn (梁平县 500228 before it became 梁平区)."""
    kinds = rng.random(len(county)).tolist()
    picks = rng.random(len(county)).tolist()
    by_province: dict[str, list[str]] = {}
    historic: dict[str, list[str]] = {}
    out = []
    for code, k, pick in zip(county, kinds, picks, strict=True):
        p = code[:2]
        if p not in by_province:
            by_province[p] = [c.code for c in div.counties_of(p)]
            historic[p] = [
                c.code for c in div.counties_of(p, historic=True) if c.historic
            ] or by_province[p]
        if k < 0.75:
            out.append(code)
        elif k < 0.95:
            out.append(by_province[p][int(pick * len(by_province[p]))])
        else:
            out.append(historic[p][int(pick * len(historic[p]))])
    return out


def _street(
    town: str, road: str, no: int, flat: int, block: int, community: str, village: str
) -> str:
    """Below the town: 红星村3组25号 in the countryside, a road and a flat in town."""
    if town.endswith(("镇", "乡")) and block % 2 == 0:
        return f"{village}{no % 12 + 1}组{no}号"
    if flat:
        return f"{road}{no}号{community}{block}栋{flat}单元{block % 9 + 1}-{no % 6 + 1}号"
    return f"{road}{no}号"


def _landline(area: str, tail: int) -> str:
    """023-6xxxxxxx (8-digit local numbers) or 0851-8xxxxxx (7-digit)."""
    return f"{area}-6{tail:07d}" if len(area) == 3 else f"{area}-8{tail % 1_000_000:06d}"


def make_people(rng: np.random.Generator, div: Divisions, n: int, home: frozenset[str]) -> People:
    """``n`` people; ``home`` holds the county codes of the alliance's institutions."""
    male = rng.random(n) < 0.49
    bands = np.array([w for *_, w in AGE_BANDS])
    band = rng.choice(len(AGE_BANDS), size=n, p=bands / bands.sum())
    low = np.array([b[0] for b in AGE_BANDS])[band]
    high = np.array([b[1] for b in AGE_BANDS])[band]
    days_old = ((low + rng.random(n) * (high - low)) * 365.25).astype(np.int64) + 1
    ref = REFERENCE_DAY.toordinal()
    birth = [date.fromordinal(ref - d).isoformat() for d in days_old.tolist()]
    age = days_old // 365.25
    county = _residence(rng, div, n, home)
    paths = {c: div.full_name(c) for c in set(county)}
    town_picks = rng.random(n).tolist()
    towns = []
    for code, pick in zip(county, town_picks, strict=True):
        options = div.towns_of(code)
        towns.append(options[int(pick * len(options))] if options else "")
    roads = _pick(rng, v.ROADS, n)
    numbers = rng.integers(1, 600, n).tolist()
    flats = rng.integers(0, 4, n).tolist()
    blocks = rng.integers(1, 30, n).tolist()
    communities = _pick(rng, v.COMMUNITIES, n)
    villages = _pick(rng, v.VILLAGES, n)
    street = [
        _street(t, r, no, f, b, c, vil)
        for t, r, no, f, b, c, vil in zip(
            towns, roads, numbers, flats, blocks, communities, villages, strict=True
        )
    ]
    has_landline = (rng.random(n) < 0.3).tolist()
    land_tail = rng.integers(0, 10_000_000, n).tolist()
    landline = [
        _landline(v.AREA_CODES[c[:2]], t) if h else None
        for c, h, t in zip(county, has_landline, land_tail, strict=True)
    ]
    ages = age.tolist()
    marital_draw = rng.random(n).tolist()
    marital = [
        "10" if a < 22 or d < 0.08 else "20" if d < 0.86 else "30" if a > 60 and d < 0.95 else "40"
        for a, d in zip(ages, marital_draw, strict=True)
    ]
    jobs = _pick(rng, v.OCCUPATIONS, n)
    occupation = [
        "学生" if a < 18 else "离退休人员" if a >= 60 and j != "无职业" else j
        for a, j in zip(ages, jobs, strict=True)
    ]
    employer_words = _pick(rng, v.EMPLOYER_WORDS, n)
    employer_kinds = _pick(rng, v.EMPLOYER_KINDS, n)
    employer = [
        f"重庆{w}{k}" if 18 <= a < 60 and job not in NO_EMPLOYER else None
        for a, w, k, job in zip(ages, employer_words, employer_kinds, occupation, strict=True)
    ]
    insurance = _weighted(rng, v.INSURANCE, n)
    card = rng.integers(0, 1_000_000_000, n).tolist()
    letters = rng.integers(0, 26, n).tolist()
    insurance_no = [
        None if kind == "全自费" else f"{chr(65 + letter)}{c:09d}"
        for kind, letter, c in zip(insurance, letters, card, strict=True)
    ]
    contact_male = rng.random(n) < 0.5
    return People(
        name=names(rng, male),
        male=male,
        birth=birth,
        age=age,
        id_no=id_numbers(_birth_regions(rng, div, county), birth, male, rng),
        mobile=mobiles(rng, n),
        landline=landline,
        county=county,
        district_path=[paths[c] for c in county],
        town=towns,
        street=street,
        ethnicity=_weighted(rng, v.ETHNICITIES, n),
        marital=marital,
        occupation=occupation,
        employer=employer,
        contact_name=names(rng, contact_male),
        contact_relation=_pick(rng, [code for code, _ in v.RELATIONS], n),
        contact_phone=mobiles(rng, n),
        insurance_type=insurance,
        insurance_no=insurance_no,
    )
