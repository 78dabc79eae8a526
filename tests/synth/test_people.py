from __future__ import annotations

import re
from datetime import date

import numpy as np

from medshield.elements.divisions import divisions
from medshield.synth import AllianceManifest
from medshield.synth.people import REFERENCE_DAY, make_people

from .conftest import Rows, patient_table

MOBILE = re.compile(r"^1(3\d|4[5-9]|5[0-35-9]|6[2567]|7[0-8]|8\d|9[0-35-9])\d{8}$")
LANDLINE = re.compile(r"^0\d{2,3}-[2-9]\d{6,7}$")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _check(first17: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def test_population_is_plausible() -> None:
    d = divisions()
    people = make_people(np.random.default_rng(3), d, 3000, frozenset({"500103"}))
    assert len(people) == 3000
    for i in range(len(people)):
        id_no, birth = people.id_no[i], people.birth[i]
        assert len(id_no) == 18 and id_no[17] == _check(id_no[:17])
        assert d.is_valid_region(id_no[:6])
        assert id_no[6:14] == birth.replace("-", "")
        assert (int(id_no[16]) % 2 == 1) == bool(people.male[i])
        assert date.fromisoformat(birth) <= REFERENCE_DAY
        assert MOBILE.match(people.mobile[i]) and MOBILE.match(people.contact_phone[i])
        landline = people.landline[i]
        assert landline is None or LANDLINE.match(landline), landline
        assert 2 <= len(people.name[i]) <= 4
    chongqing = sum(c.startswith("50") for c in people.county) / len(people)
    assert 0.7 < chongqing < 0.95
    historic = sum(bool(d.get(i[:6]) and d.get(i[:6]).historic) for i in people.id_no)  # type: ignore[union-attr]
    assert historic > 0  # some were registered under codes since withdrawn
    assert len(set(people.id_no)) > 2990


def test_patient_rows_are_consistent(small_alliance: AllianceManifest, read_rows: Rows) -> None:
    d = divisions()
    for inst, url in small_alliance.databases.items():
        rows = read_rows(url, patient_table(small_alliance, inst))
        keys = list(rows[0])
        id_key, birth_key, gender_key, addr_key = keys[7], keys[4], keys[3], keys[14]
        male, female = {"1": ("1", "2"), "男": ("男", "女"), "M": ("M", "F")}[
            next(str(r[gender_key]) for r in rows if str(r[gender_key]) in ("1", "男", "M"))
        ]
        towns = 0
        for r in rows:
            id_no = str(r[id_key])
            assert id_no[17] == _check(id_no[:17]) and d.is_valid_region(id_no[:6])
            assert id_no[6:14] == str(r[birth_key]).replace("-", "")
            assert r[gender_key] == (male if int(id_no[16]) % 2 else female)
            parts = d.parse_address(str(r[addr_key]))
            assert parts.district is not None, r[addr_key]
            assert re.search(r"\d+号$", parts.rest)
            towns += parts.town is not None
        assert towns / len(rows) > 0.9, inst
