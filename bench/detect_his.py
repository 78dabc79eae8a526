"""Values of the teaching HIS (ZainZhao/HIS, Apache-2.0: fake patients, staff and departments)
from ``../shared/corpora/schemas/zh_ZainZhao-HIS_his.sql``, for the detector benchmark."""

from __future__ import annotations

import re
from pathlib import Path

HIS = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "corpora"
    / "schemas"
    / "zh_ZainZhao-HIS_his.sql"
)
CORPUS = "ZainZhao/HIS his.sql (teaching HIS, fake people)"
_FIELD = re.compile(r"'(?:[^'\\]|\\.)*'|NULL|[-\d.]+")


def available() -> bool:
    return HIS.is_file()


def rows(table: str) -> list[list[str]]:
    """The rows of ``INSERT INTO `table` VALUES (...), (...);`` as lists of strings."""
    sql = HIS.read_text(encoding="utf-8")
    out: list[list[str]] = []
    for insert in re.finditer(rf"INSERT INTO `{table}` VALUES (.*?);\n", sql, re.S):
        for row in re.finditer(r"\((.*?)\)(?:, |$)", insert.group(1)):
            out.append([f.strip("'") for f in _FIELD.findall(row.group(1))])
    return out
