"""``medshield mask run`` and ``medshield mask verify`` on a SQLite hospital database."""

from __future__ import annotations

import getpass
import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from medshield.ledger import Event, open_ledger
from medshield.ledger.canonical import canonical_body
from medshield.lineage.graph import graph_from_ledger
from medshield.lineage.render import render_svg
from medshield.policy import default_bundle_path

from .conftest import Medshield

RESEARCH = ("--scenario", "clinical_pathway", "--role", "researcher")


def patient_rows(n: int) -> list[dict[str, object]]:
    surnames, given = "张李王陈刘杨", ["伟", "芳", "娜娜", "秀英"]
    return [
        {
            "id": i,
            "name": surnames[i % 6] + given[i % 4],
            "id_no": f"3301061990{i % 12 + 1:02d}{i % 28 + 1:02d}{i % 1000:03d}X",
            "phone": f"138{i:08d}",
            "address": f"浙江省杭州市西湖区文三路{i}号",
            "age": 20 + i % 60,
            "diagnosis": "2型糖尿病" if i % 2 else "原发性高血压",
        }
        for i in range(1, n + 1)
    ]


def load_patients(url: str, rows: list[dict[str, object]]) -> None:
    engine = sa.create_engine(url)
    table = sa.Table(
        "patient",
        sa.MetaData(),
        sa.Column("id", sa.Integer, primary_key=True),
        *(sa.Column(c, sa.String(200)) for c in ("name", "id_no", "phone", "address")),
        sa.Column("age", sa.Integer),
        sa.Column("diagnosis", sa.String(100)),
    )
    with engine.begin() as connection:
        table.create(connection)
        connection.execute(table.insert(), rows)
    engine.dispose()


# classify.report still calls Result.tuples(), deprecated in SQLAlchemy 2.1
@pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")
def test_run_then_verify(tmp_path: Path, medshield: Medshield) -> None:
    source, target = f"sqlite:///{tmp_path / 'his.db'}", f"sqlite:///{tmp_path / 'out.db'}"
    rows = patient_rows(300)
    load_patients(source, rows)
    code, out, err = medshield(
        "mask",
        "run",
        source,
        target,
        "--scenario",
        "clinical_pathway",
        "--role",
        "researcher",
        "--format",
        "json",
    )
    assert code == 0, err
    [result] = json.loads(out)
    assert (result["table"], result["rows"], result["skipped"]) == ("patient", 300, False)
    engine = sa.create_engine(target)
    with engine.connect() as connection:
        masked = connection.execute(sa.text("SELECT phone, id_no, name FROM patient")).all()
    engine.dispose()
    raw = {(r["phone"], r["id_no"], r["name"]) for r in rows}
    assert len(masked) == 300
    for phone, id_no, name in masked:
        assert phone not in {r[0] for r in raw} and id_no not in {r[1] for r in raw}
        assert name not in {r[2] for r in raw}

    code, out, err = medshield(
        "mask",
        "verify",
        target,
        "--table",
        "patient",
        "--quasi",
        "age",
        "--format",
        "json",
    )
    assert code == 0, err
    [report] = json.loads(out)
    assert report["verified"] is True and report["residuals"] == 0
    assert report["level_after"] != report["level_before"]  # elements found through the job

    code, out, err = medshield(
        "mask",
        "verify",
        source,
        "--table",
        "patient",
        "--quasi",
        "age",
        "--elements",
        "DE02.01.010.00",
    )
    assert code == 1
    assert err.startswith("error[MS701]: release refused") and "mobile" in err
    with open_ledger() as ledger:
        verdicts = [r.event.outcome for r in ledger.records(action_prefix="mask.release")]
    assert verdicts == ["allow", "allow", "deny"]  # the job's own, then the two checks


@pytest.mark.parametrize(
    ("role", "scenario", "why"),
    [
        ("researcher", "nope", "unknown scenario 'nope'"),
        ("nurse", "clinical_pathway", "unknown role 'nurse'"),
        ("researcher", "collaborative_care", "not granted scenario 'collaborative_care'"),
    ],
)
def test_a_refused_context_masks_nothing(
    tmp_path: Path, medshield: Medshield, role: str, scenario: str, why: str
) -> None:
    source, target = f"sqlite:///{tmp_path / 'his.db'}", tmp_path / "out.db"
    load_patients(source, patient_rows(5))
    args = ["--scenario", scenario, "--role", role]
    code, out, err = medshield("mask", "run", source, f"sqlite:///{target}", *args)
    assert code == 1 and err.startswith("error[MS601]: masking refused") and why in err
    assert out == "" and not target.exists()


def test_the_role_is_required(tmp_path: Path, medshield: Medshield) -> None:
    source = f"sqlite:///{tmp_path / 'his.db'}"
    code, _, err = medshield("mask", "run", source, source, "--scenario", "clinical_pathway")
    assert code == 2 and "--role" in err


@pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")
def test_mask_source_target_without_run(tmp_path: Path, medshield: Medshield) -> None:
    source, target = f"sqlite:///{tmp_path / 'his.db'}", f"sqlite:///{tmp_path / 'out.db'}"
    load_patients(source, patient_rows(60))
    code, out, err = medshield(
        "mask",
        source,
        target,
        "--scenario",
        "clinical_pathway",
        "--role",
        "researcher",
        "--format",
        "json",
    )
    assert code == 0, err
    assert json.loads(out)[0]["rows"] == 60


def test_mask_a_csv_file_into_a_parquet_file(tmp_path: Path, medshield: Medshield) -> None:
    import polars as pl

    rows = patient_rows(60)  # ages 20-79: ten in each band
    source, target = tmp_path / "patients.csv", tmp_path / "release.parquet"
    pl.DataFrame(rows).write_csv(source)
    code, out, err = medshield(
        "mask",
        str(source),
        str(target),
        "--scenario",
        "clinical_pathway",
        "--role",
        "researcher",
        "--format",
        "json",
    )
    assert code == 0, err
    assert json.loads(out)[0]["rows"] == 60
    masked = pl.read_parquet(target)
    assert masked.height == 60 and masked.columns == list(rows[0])
    raw_ids = {r["id_no"] for r in rows} | {r["phone"] for r in rows}
    assert not raw_ids & set(
        masked["id_no"].cast(pl.String).to_list() + masked["phone"].cast(pl.String).to_list()
    )
    assert not masked["address"].drop_nulls().str.contains("文三路").any()
    with open_ledger() as ledger:
        steps = [r.event.detail.get("step") for r in ledger.records(action_prefix="mask.job")]
    assert "table_done" in steps


def test_a_file_is_not_masked_into_a_database(tmp_path: Path, medshield: Medshield) -> None:
    source = tmp_path / "patients.csv"
    source.write_text("name\n张三\n", encoding="utf-8")
    code, _, err = medshield("mask", str(source), "sqlite:///x.db", *RESEARCH)
    assert code == 1 and "error[MS300]" in err and "a file is masked into a file" in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--tables", "patient"), "--tables applies to databases"),
        (("--resume", "mask-j0"), "--resume applies to databases"),
        (("--engine", "spark"), "files are masked by the local engine"),
    ],
)
def test_database_options_on_a_file_are_refused(
    tmp_path: Path, medshield: Medshield, extra: tuple[str, str], message: str
) -> None:
    source = tmp_path / "patients.csv"
    source.write_text("name\n张三\n", encoding="utf-8")
    code, _, err = medshield("mask", str(source), str(tmp_path / "out.csv"), *RESEARCH, *extra)
    assert code == 1 and "error[MS300]" in err and message in err
    assert not (tmp_path / "out.csv").exists()


def test_a_file_is_not_masked_onto_itself(tmp_path: Path, medshield: Medshield) -> None:
    source = tmp_path / "patients.csv"
    source.write_text("name\n张三\n", encoding="utf-8")
    code, _, err = medshield("mask", str(source), str(source), *RESEARCH)
    assert code == 1 and "the target is the source" in err
    assert source.read_text(encoding="utf-8") == "name\n张三\n"


@pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")
def test_an_override_reaches_masking(tmp_path: Path, medshield: Medshield) -> None:
    """Lab results graded by hand: as lab results a researcher gets them; overridden to
    controlled, the next release of the same source has the column emptied."""
    source, target = f"sqlite:///{tmp_path / 'his.db'}", f"sqlite:///{tmp_path / 'out.db'}"
    engine = sa.create_engine(source)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE jybg (id INTEGER PRIMARY KEY, jyjg TEXT)"))
        connection.execute(
            sa.text("INSERT INTO jybg VALUES (:i, :v)"),
            [{"i": i, "v": "HIV抗体阳性" if i % 7 == 0 else "阴性"} for i in range(60)],
        )
    engine.dispose()
    assert medshield("scan", source)[0] == 0
    why = ("--reason", "检验结果", "--by", "med-affairs")
    code, _, err = medshield(
        "catalog", "override", "his.db", "jybg", "jyjg", "--element", "DE04.50.132.00", *why
    )
    assert code == 0, err

    def released() -> list[object]:
        code, _, err = medshield("mask", "run", source, target, *RESEARCH)
        assert code == 0, err
        out = sa.create_engine(target)
        with out.connect() as connection:
            values = connection.execute(sa.text("SELECT jyjg FROM jybg")).scalars().all()
        out.dispose()
        return list(values)

    assert "HIV抗体阳性" in released()
    code, _, err = medshield(
        "catalog",
        "override",
        "his.db",
        "jybg",
        "jyjg",
        "--level",
        "controlled",
        "--reason",
        "含HIV检测结果",
        "--by",
        "med-affairs",
    )
    assert code == 0, err
    values = released()
    assert len(values) == 60 and not any(values)
    with open_ledger() as ledger:
        overrides = [r.event for r in ledger.records(action_prefix="catalog.override")]
        jobs = {r.event.actor for r in ledger.records(action_prefix="mask.job")}
    user = getpass.getuser()
    assert {e.actor for e in overrides} == {user} and jobs == {user}  # the OS user by default
    assert "decided by med-affairs" in overrides[-1].reasons[0]


@pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")
def test_a_table_that_fails_verification_is_not_released(
    tmp_path: Path, medshield: Medshield
) -> None:
    """40 patients aged 21-60: the one aged 60 is alone in the 60-69 band (k=1). Under a
    policy that refuses small classes, the job writes nothing and exits 1; an approver can
    release it, and the ledger says who."""
    source, target = f"sqlite:///{tmp_path / 'his.db'}", f"sqlite:///{tmp_path / 'out.db'}"
    load_patients(source, patient_rows(40))
    policy = tmp_path / "policy"
    shutil.copytree(default_bundle_path(), policy)
    masking = policy / "masking.yaml"
    text = masking.read_text(encoding="utf-8")
    masking.write_text(text.replace("small_classes: suppress", "small_classes: refuse"), "utf-8")
    run = ("mask", "run", source, target, *RESEARCH, "--operator", "op_li", "--policy", str(policy))
    code, out, err = medshield(*run, "--format", "json")
    assert code == 1 and "error[MS701]: release refused" in err and "k=1" in err
    assert json.loads(out)[0]["released"] is False
    assert "patient" not in sa.inspect(sa.create_engine(target)).get_table_names()

    code, out, err = medshield(*run, "--approved-by", "sec_office_01", "--format", "json")
    assert code == 0, err
    assert json.loads(out)[0]["released"] is True
    with open_ledger() as ledger:
        releases = [r.event for r in ledger.records(action_prefix="mask.release")]
        jobs = [r.event for r in ledger.records(action_prefix="mask.job")]
    refused, approved = releases
    assert (refused.outcome, approved.outcome) == ("deny", "alert")
    assert {e.actor for e in (*releases, *jobs)} == {"op_li"}
    assert approved.detail["approved_by"] == "sec_office_01" and approved.detail["released"]
    assert set(approved.detail["quasi"]) == {"id_no", "address", "age"}
    assert approved.detail["replaced"] == [] and approved.detail["plan"].startswith("sha256:")
    assert refused.object is not None and refused.object.source == source
    steps = [e.detail["step"] for e in jobs]
    assert steps.count("table_refused") == 1 and "refused" in steps
    with open_ledger() as ledger:
        lineage = [r.event for r in ledger.records(action_prefix="lineage.")]
        graph = graph_from_ledger(ledger)
        bodies = [r.body for r in ledger.raw_records() if r.action.startswith("lineage.")]
    # A refused step is a revised copy of its step: stored in the canonical form all the same.
    assert bodies == [canonical_body(Event.model_validate_json(b)) for b in bodies]
    refused_step, released_step = lineage
    assert refused_step.outcome == "deny" and refused_step.detail["refused"] is True
    assert "DE02.01.026.00" in released_step.elements and released_step.levels
    assert released_step.policy_version == approved.policy_version
    assert "DE02.01.039.00" not in released_step.elements  # names suppressed: not released
    assert [e.refused for e in graph] == [True, False] and "拒绝发布 refused" in render_svg(graph)

    # verifying it again uses the plan's quasi-identifiers: no weak pick, no silent exemption
    code, _, err = medshield(
        "mask", "verify", target, "--table", "patient", "--policy", str(policy)
    )
    assert code == 1 and "k=1 below" in err
    code, _, err = medshield("mask", "verify", target, "--table", "patient", "--replaced", "age")
    assert code == 1 and err.startswith("error[MS300]: --replaced") and "--approved-by" in err


@pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")
def test_rows_of_small_classes_are_suppressed(tmp_path: Path, medshield: Medshield) -> None:
    """The shipped policy suppresses the rows fewer than k share, and releases the rest."""
    source, target = f"sqlite:///{tmp_path / 'his.db'}", f"sqlite:///{tmp_path / 'out.db'}"
    load_patients(source, patient_rows(40))
    code, out, err = medshield("mask", "run", source, target, *RESEARCH, "--format", "json")
    assert code == 0, err
    assert json.loads(out)[0]["rows"] == 39  # the one aged 60
    with open_ledger() as ledger:
        [release] = [r.event for r in ledger.records(action_prefix="mask.release")]
    assert release.outcome == "allow" and release.detail["suppressed_rows"] == 1


@pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")
def test_a_synthetic_hospital_is_released_whole_with_the_shipped_policy(
    tmp_path: Path, medshield: Medshield
) -> None:
    """Every table of a synthetic HIS passes the job's own verification: staff names the
    policy keeps and the random ids the plan writes are not residuals."""
    code, out, err = medshield(
        "synth", "--out", str(tmp_path / "al"), "--patients", "300", "--format", "json"
    )
    assert code == 0, err
    source = json.loads(out)[1]["database"]
    target = f"sqlite:///{tmp_path / 'release.db'}"
    code, out, err = medshield("mask", "run", source, target, *RESEARCH, "--format", "json")
    assert code == 0, err
    tables = json.loads(out)
    assert len(tables) >= 10 and all(t["released"] for t in tables)
    with open_ledger() as ledger:
        releases = [r.event for r in ledger.records(action_prefix="mask.release")]
    assert len(releases) == len(tables) and {e.outcome for e in releases} == {"allow"}


@pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")
def test_plan_of_a_whole_source_and_the_policy_listings(
    tmp_path: Path, medshield: Medshield
) -> None:
    source = f"sqlite:///{tmp_path / 'his.db'}"
    engine = sa.create_engine(source)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE brxx (brid TEXT PRIMARY KEY, xm TEXT)"))
        connection.execute(
            sa.text("CREATE TABLE jzjl (jzlsh TEXT PRIMARY KEY, brid TEXT REFERENCES brxx(brid))")
        )
    engine.dispose()
    assert medshield("scan", source)[0] == 0
    code, out, err = medshield("mask", "plan", source, *RESEARCH, "--format", "json")
    assert code == 0, err
    rows = {(r["table"], r["column"]): r for r in json.loads(out)}
    assert {"brxx", "jzjl"} == {t for t, _ in rows}
    assert rows[("brxx", "brid")]["join_group"] == rows[("jzjl", "brid")]["join_group"] != ""
    assert rows[("brxx", "brid")]["operator"] == rows[("jzjl", "brid")]["operator"]
    assert all(r["reason"] for r in rows.values())

    for what, key in (("roles", "role"), ("scenarios", "scenario"), ("elements", "element")):
        code, out, err = medshield("policy", "show", what, "--format", "json")
        assert code == 0, err
        assert len(json.loads(out)) > 3 and key in json.loads(out)[0]
    code, out, _ = medshield("policy", "show", "roles", "--format", "json")
    researcher = next(r for r in json.loads(out) if r["role"] == "researcher")
    assert researcher["max_level"] == "sensitive" and "clinical_pathway" in researcher["scenarios"]


def test_missing_databases_are_one_line_errors_and_never_created(
    tmp_path: Path, medshield: Medshield
) -> None:
    missing = tmp_path / "missing.db"
    code, _, err = medshield("scan", f"sqlite:///{missing}")
    assert code == 1 and "database file not found" in err and len(err.strip().splitlines()) == 1
    code, _, err = medshield(
        "mask", "verify", f"sqlite:///{missing}", "--table", "t", "--quasi", "a"
    )
    assert code == 1 and "database file not found" in err
    assert not missing.exists()


@pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")
def test_a_missing_target_server_database_is_a_one_line_error(
    tmp_path: Path, medshield: Medshield, postgres_url: str
) -> None:
    source = f"sqlite:///{tmp_path / 'his.db'}"
    load_patients(source, patient_rows(60))
    target = postgres_url.rsplit("/", 1)[0] + "/ms_no_such_database_20"
    code, _, err = medshield("mask", "run", source, target, *RESEARCH)
    assert code == 1 and err.startswith("error[MS400]: masking job failed")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")
def test_joins_and_dates_survive_a_release(tmp_path: Path, medshield: Medshield) -> None:
    """A HIS where the visit number is classified two ways in two tables, and the lab report
    time needs no masking of its own: every lab result still joins its visit, and its time
    moved with the visit date."""
    source, target = f"sqlite:///{tmp_path / 'his.db'}", f"sqlite:///{tmp_path / 'out.db'}"
    engine = sa.create_engine(source)
    with engine.begin() as connection:
        connection.execute(
            sa.text("CREATE TABLE jzjl (jzlsh TEXT PRIMARY KEY, brid TEXT, jzrq TEXT)")
        )
        connection.execute(
            sa.text("CREATE TABLE jyjg (id INTEGER PRIMARY KEY, mzh TEXT, bgsj TEXT, jyxm TEXT)")
        )
        visits = [
            {"v": f"V{i:06d}", "p": f"P{i % 100:05d}", "d": f"2024-03-{i % 28 + 1:02d}"}
            for i in range(400)
        ]
        connection.execute(sa.text("INSERT INTO jzjl VALUES (:v, :p, :d)"), visits)
        labs = [{"i": i, "v": v["v"], "d": v["d"], "x": "血常规"} for i, v in enumerate(visits)]
        connection.execute(sa.text("INSERT INTO jyjg VALUES (:i, :v, :d, :x)"), labs)
    engine.dispose()
    code, out, err = medshield("mask", "plan", source, *RESEARCH, "--format", "json")
    assert code == 0, err
    plan = {(r["table"], r["column"]): r for r in json.loads(out)}
    assert plan[("jzjl", "jzlsh")]["join_group"] == plan[("jyjg", "mzh")]["join_group"] != ""
    code, out, err = medshield("mask", "run", source, target, *RESEARCH, "--approved-by", "s1")
    assert code == 0, err
    released = sa.create_engine(target)
    with released.connect() as connection:
        joined = connection.execute(
            sa.text("SELECT v.jzrq, l.bgsj FROM jyjg l JOIN jzjl v ON v.jzlsh = l.mzh")
        ).all()
    released.dispose()
    assert len(joined) == 400  # no lab result lost its visit
    raw = {v["d"] for v in visits}
    assert all(str(a)[:10] == str(b)[:10] for a, b in joined)  # one shift for both
    assert not {str(b)[:10] for _, b in joined} <= raw  # and no raw time beside it
