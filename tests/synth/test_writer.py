"""The alliance on the real PostgreSQL and MariaDB servers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from medshield.errors import InputError, ServiceUnavailableError
from medshield.policy import load_bundle
from medshield.policy.bundle import default_bundle_path
from medshield.synth import build_alliance, read_ground_truth


def _check_server(url: str, tmp_path: Path) -> sa.Engine:
    manifest = build_alliance(tmp_path, bundle=load_bundle(), patients=60, seed=2, url_template=url)
    assert set(manifest.databases.values()) == {url}  # one shared database, prefixed tables
    engine = sa.create_engine(url)
    inspector = sa.inspect(engine)
    tables = set(inspector.get_table_names())
    for inst, counts in manifest.rows.items():
        for table in counts:
            assert table.startswith(f"{inst}_") and table in tables
    with engine.connect() as conn:
        for counts in manifest.rows.values():
            for table, count in counts.items():
                found = conn.execute(
                    sa.select(sa.func.count()).select_from(sa.table(table))
                ).scalar()
                assert found == count, table
        names: list[str] = list(
            conn.execute(sa.select(sa.column("brxm")).select_from(sa.table("h2_brjbxx")))
            .scalars()
            .all()
        )
    assert names and all("\u4e00" <= n[0] <= "\u9fff" for n in names)  # Chinese survives
    truth = {(t.table, t.column) for t in read_ground_truth(manifest.ground_truth)}
    for table in tables:
        for column in inspector.get_columns(table):
            assert (table, column["name"]) in truth
    comments = {c["name"]: c.get("comment") for c in inspector.get_columns("h2_brjbxx")}
    assert comments["sfzh"] == "身份证号"
    bare = {c["name"]: c.get("comment") for c in inspector.get_columns("h3_PatientInfo")}
    assert bare["IdNo"] is None
    indexed = {tuple(ix["column_names"]) for ix in inspector.get_indexes("h1_visit")}
    assert {("patient_id",), ("visit_time",)} <= indexed
    assert inspector.get_indexes("h3_VisitRecord") == []  # camel_bare: no indexes
    return engine


@pytest.mark.postgres
def test_postgres(postgres_url: str, tmp_path: Path) -> None:
    engine = _check_server(postgres_url, tmp_path)
    with engine.connect() as conn:
        kind = conn.execute(
            sa.text("SELECT data_type FROM information_schema.columns "
                    "WHERE table_name = 'h1_patient' AND column_name = 'birth_date'")
        ).scalar()  # fmt: skip
    assert kind == "date"
    engine.dispose()


@pytest.mark.mariadb
def test_mariadb(mariadb_url: str, tmp_path: Path) -> None:
    engine = _check_server(mariadb_url, tmp_path)
    with engine.connect() as conn:
        charset = conn.execute(
            sa.text("SELECT CCSA.character_set_name FROM information_schema.TABLES T "
                    "JOIN information_schema.COLLATION_CHARACTER_SET_APPLICABILITY CCSA "
                    "ON CCSA.collation_name = T.table_collation "
                    "WHERE T.table_schema = DATABASE() AND T.table_name = 'h1_patient'")
        ).scalar()  # fmt: skip
    assert charset == "utf8mb4"
    engine.dispose()


def _two_institutions(folder: Path) -> Path:
    """The default policy with only a hub and a member (server databases are slow to create)."""
    shutil.copytree(default_bundle_path(), folder)
    lines = (folder / "institutions.yaml").read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if not ln.startswith("  - ") or "id: h1," in ln or "id: m1," in ln]
    (folder / "institutions.yaml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return folder


@pytest.mark.postgres
def test_one_database_per_institution(postgres_url: str, tmp_path: Path) -> None:
    base, name = postgres_url.rsplit("/", 1)
    prefix = f"{name}_"
    bundle = load_bundle(_two_institutions(tmp_path / "policy"))
    manifest = build_alliance(
        tmp_path / "out", bundle=bundle, patients=20, seed=2, url_template=f"{base}/{{db}}",
        db_prefix=prefix,
    )  # fmt: skip
    admin = sa.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    try:
        assert manifest.databases == {"h1": f"{base}/{prefix}h1", "m1": f"{base}/{prefix}m1"}
        engine = sa.create_engine(manifest.databases["m1"])
        assert "brjbxx" in sa.inspect(engine).get_table_names()
        engine.dispose()
    finally:
        with admin.connect() as conn:
            for inst in manifest.databases:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{prefix}{inst}" WITH (FORCE)'))
        admin.dispose()


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:1/{db}"
    with pytest.raises(ServiceUnavailableError) as err:
        build_alliance(tmp_path, bundle=load_bundle(), patients=5, seed=1, url_template=url)
    assert "127.0.0.1:1" in (err.value.where or "")


@pytest.mark.parametrize(
    ("template", "message"),
    [("not a url", "not a database URL"), ("oracle://scott@db/{db}", "unsupported database kind")],
)
def test_bad_template_is_an_input_error(tmp_path: Path, template: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        build_alliance(tmp_path, bundle=load_bundle(), patients=5, seed=1, url_template=template)
