from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from medshield.policy import load_bundle
from medshield.synth import AllianceManifest, build_alliance

SMALL = 400


@pytest.fixture(scope="package")
def small_alliance(tmp_path_factory: pytest.TempPathFactory) -> AllianceManifest:
    """One SQLite alliance of 400 people shared by the tests of this package (read only)."""
    out = tmp_path_factory.mktemp("alliance")
    return build_alliance(out, bundle=load_bundle(), patients=SMALL, seed=11)


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def rows_of(url: str, table: str) -> list[dict[str, object]]:
    conn = sqlite3.connect(sqlite_path(url))
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(f'SELECT * FROM "{table}"')]  # noqa: S608
    finally:
        conn.close()


def patient_table(manifest: AllianceManifest, institution: str) -> str:
    return manifest.table(institution, "patient")


Rows = Callable[[str, str], list[dict[str, object]]]


@pytest.fixture
def read_rows() -> Rows:
    """``read_rows(sqlite_url, table)``: every row of a table as dicts."""
    return rows_of
