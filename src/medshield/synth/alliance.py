"""``build_alliance``: the synthetic medical alliance, one HIS database per institution.

The same seed gives the same data, row for row: every random draw comes from a generator seeded
by (seed, part), and nothing reads the clock or the machine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from medshield.elements.divisions import Divisions, divisions
from medshield.errors import InputError
from medshield.policy.bundle import PolicyBundle
from medshield.synth import clinical, reference
from medshield.synth.archive import archive_plan, archive_rows
from medshield.synth.clinical import VisitFrame
from medshield.synth.ground_truth import GROUND_TRUTH, TruthRow, truth_rows, write_ground_truth
from medshield.synth.manifest import AllianceManifest
from medshield.synth.membership import assign
from medshield.synth.patients import patients as patient_table
from medshield.synth.patients import visits as visit_table
from medshield.synth.people import People, make_people
from medshield.synth.schema import TABLES
from medshield.synth.site import Site
from medshield.synth.styles import style_for
from medshield.synth.writer import check_url, ensure_database, open_writer, public_url

Progress = Callable[[int, int], None]

MAX_PATIENTS = 10_000_000  # far above a real alliance (R33); more would only exhaust memory
MAX_HISTORY_TABLES = 12_000  # ten times the R33 scale (1,360); 10**23 took 22 GB before failing


def site_tables(site: Site, people: People, div: Divisions) -> dict[str, dict[str, list[Any]]]:
    """Every table of one institution, by logical table key."""
    dept = reference.departments(site)
    staff = reference.staff(site, dept, div)
    patient = patient_table(site, people)
    visit, owner, seconds = visit_table(site, people, patient)
    frame = VisitFrame(
        visit_id=np.array(visit["visit_id"], dtype=np.int64),
        seconds=seconds,
        inpatient=np.array([t == "3" for t in visit["visit_type"]], dtype=bool),
        dept_id=visit["dept_id"],
        person=site.persons[owner],
        first_diagnosis=[""] * len(owner),
    )
    base = (site.position + 1) * 10**8
    return {  # in this order: the operation notes name the diagnosis made before
        "patient": patient,
        "visit": visit,
        "diagnosis": clinical.diagnoses(site, frame, base),
        "prescription": clinical.prescriptions(site, frame, visit["patient_id"]),
        "medical_order": clinical.orders(site, frame, people),
        "lab_result": clinical.lab_results(site, frame),
        "operation_record": clinical.operations(site, frame, people, base),
        "department": dept,
        "staff": staff,
        "drug_catalog": reference.drug_catalog(site),
        "equipment": reference.equipment(site, dept),
        "sys_param": reference.sys_params(site),
    }


def database_url(
    out: Path, template: str | None, db_prefix: str, institution: str
) -> tuple[str, str]:
    """(URL, table prefix) of one institution's database."""
    name = f"{db_prefix}{institution.replace('-', '_')}"
    if template is None:
        return f"sqlite:///{(out / f'{name}.db').resolve()}", ""
    if "{db}" in template:
        return template.replace("{db}", name), ""
    return template, f"{institution.replace('-', '_')}_"  # one shared database


def build_alliance(
    out: Path,
    *,
    bundle: PolicyBundle,
    patients: int,
    seed: int,
    url_template: str | None = None,
    progress: Progress | None = None,
    db_prefix: str = "ms_his_",
    history_tables: int = 0,
) -> AllianceManifest:
    """Build one HIS database per institution of ``bundle`` and the ground truth in ``out``.

    ``url_template`` (e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/{db}``) sends the
    databases to a server, ``{db}`` becoming ``db_prefix`` + institution id; without ``{db}`` all
    institutions share that one database, their tables prefixed with the institution id.
    ``history_tables`` adds that many monthly archive tables to each database (R33 scale).
    """
    started = time.perf_counter()
    if patients < 1:
        raise InputError(f"patients must be at least 1, got {patients}", where="--patients")
    if patients > MAX_PATIENTS:
        raise InputError(
            f"patients must be at most {MAX_PATIENTS:,}, got {patients}", where="--patients"
        )
    if seed < 0:
        raise InputError(f"the seed must be 0 or more, got {seed}", where="--seed")
    if history_tables < 0:
        raise InputError("history_tables cannot be negative", where="--history-tables")
    if history_tables > MAX_HISTORY_TABLES:
        raise InputError(
            f"history_tables must be at most {MAX_HISTORY_TABLES:,}, got {history_tables}",
            where="--history-tables",
        )
    if not bundle.institutions:
        raise InputError("the policy names no institutions", where=str(bundle.root))
    if url_template is not None:
        check_url(url_template.replace("{db}", f"{db_prefix}x"))
    elif {"/", "\\", "\0"} & set(db_prefix):  # the SQLite files stay inside ``out``
        raise InputError(
            "a database prefix is part of a file name: no / or \\", where="--db-prefix"
        )
    out = _writable(Path(out))
    div = divisions()
    homes = frozenset(i.location.admin_code for i in bundle.institutions)
    people = make_people(np.random.default_rng([seed, 0]), div, patients, homes)
    members = assign(np.random.default_rng([seed, 1]), people, bundle.institutions)
    plan = [(spec, "") for spec in TABLES] + archive_plan(history_tables)
    total = len(bundle.institutions) * len(plan)
    done = 0
    truth: list[TruthRow] = []
    databases: dict[str, str] = {}
    rows: dict[str, dict[str, int]] = {}
    logical: dict[str, dict[str, str]] = {}
    for position, inst in enumerate(bundle.institutions):
        site = Site(
            inst, position, style_for(position), np.random.default_rng([seed, 2, position]),
            members[position],
        )  # fmt: skip
        tables = site_tables(site, people, div)
        url, prefix = database_url(out, url_template, db_prefix, inst.id)
        if url.startswith("sqlite"):
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        else:
            ensure_database(url)
        databases[inst.id] = public_url(url)
        rows[inst.id] = {}
        logical[inst.id] = {}
        with open_writer(url, prefix) as writer:
            for k, (spec, suffix) in enumerate(plan):
                name = writer.physical(spec, site.style, suffix)
                data = archive_rows(tables[spec.key], k) if suffix else tables[spec.key]
                rows[inst.id][name] = writer.write(spec, site.style, data, suffix)
                if not suffix:
                    logical[inst.id][spec.key] = name
                truth += truth_rows(
                    inst.id, databases[inst.id], spec, name, site.style, bundle.catalogue
                )
                done += 1
                if progress:
                    progress(done, total)
    write_ground_truth(out / GROUND_TRUTH, truth)
    manifest = AllianceManifest(
        out=out,
        seed=seed,
        patients=patients,
        policy_version=bundle.version,
        databases=databases,
        styles={inst.id: style_for(i).key for i, inst in enumerate(bundle.institutions)},
        ground_truth=out / GROUND_TRUTH,
        rows=rows,
        seconds=round(time.perf_counter() - started, 3),
        tables=logical,
    )
    manifest.write()
    return manifest


def _writable(out: Path) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise InputError(
            f"cannot write to the output folder: {exc.strerror}", where=str(out)
        ) from None
    return out.resolve()
