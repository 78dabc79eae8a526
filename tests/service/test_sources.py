"""An API's query over sources on the real PostgreSQL and MariaDB servers: bound parameters,
read-only, and the records' dates and decimals served as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, insert, select

from medshield.gateway.app import DataResponse
from medshield.policy import load_bundle
from medshield.service.sources import SourceDirectory, run_api_query
from medshield.synth import build_alliance

TABLES = ("patient", "visit", "department")


def _copy_h1(tmp_path: Path, target: str) -> str:
    manifest = build_alliance(tmp_path / "alliance", bundle=load_bundle(), patients=80, seed=4)
    source = create_engine(manifest.databases["h1"])
    meta = MetaData()
    meta.reflect(source, only=TABLES)
    for table in meta.tables.values():  # SQLite's names (DATETIME) as portable types
        for column in table.columns:
            column.type = column.type.as_generic()
    dest = create_engine(target)
    meta.create_all(dest)
    with source.connect() as src, dest.begin() as out:
        for name in TABLES:
            rows = [dict(r._mapping) for r in src.execute(select(meta.tables[name]))]
            if rows:
                out.execute(insert(meta.tables[name]), rows)
        id_no = src.execute(
            select(meta.tables["patient"].c.id_no)
            .join(meta.tables["visit"], meta.tables["visit"].c.patient_id == meta.tables["patient"].c.patient_id)
            .limit(1)
        ).scalar_one()  # fmt: skip
    source.dispose()
    dest.dispose()
    return str(id_no)


@pytest.mark.parametrize("server", ["postgres_url", "mariadb_url"])
def test_visits_over_a_server(server: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(server)
    id_no = _copy_h1(tmp_path, url)
    api = next(a for a in load_bundle().apis if a.id == "patient.visits")
    sources = SourceDirectory({"h1": url})
    rows = run_api_query(sources, api, {"id_no": id_no, "limit": 20, "offset": 0})
    assert rows and all(r["id_no"] == id_no for r in rows)
    body = json.loads(DataResponse({"items": rows}).body)
    assert body["items"][0]["visit_time"][:2] in ("19", "20")
    injected = run_api_query(sources, api, {"id_no": "' OR '1'='1", "limit": 20, "offset": 0})
    assert injected == []  # bound, never spliced
    sources.dispose()
