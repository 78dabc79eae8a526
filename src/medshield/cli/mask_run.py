"""``medshield mask run`` and ``medshield mask verify``: static masking jobs and their release
check, added to the ``mask`` command group."""

from __future__ import annotations

import uuid
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

import typer

from medshield.cli.actors import OperatorOption, operator_name
from medshield.cli.mask import app
from medshield.cli.output import Format, FormatOption, emit

if TYPE_CHECKING:
    from medshield.policy import PolicyBundle, UseContext


class EngineName(StrEnum):
    LOCAL = "local"
    SPARK = "spark"


PolicyOption = Annotated[Path | None, typer.Option("--policy", help="Policy bundle folder.")]
StoreOption = Annotated[
    str | None, typer.Option("--store", help="Platform store URL; the configured store when unset.")
]
ApprovedByOption = Annotated[
    str | None,
    typer.Option(
        "--approved-by",
        help="Release tables that verification refuses, on this approver's authority "
        "(recorded with the full quasi-identifier and replaced sets).",
    ),
]


def register(root: typer.Typer) -> None:
    """The commands live in the ``mask`` group, which ``cli.mask`` registers."""


def _names(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _rules(plan: Any) -> dict[str, tuple[str, dict[str, Any]]]:
    """A ``MaskPlan`` as column -> (operator, params)."""
    return {c.column: (c.operator, c.params) for c in plan.columns}


@app.command("run")
def run(
    source: Annotated[
        str, typer.Argument(help="Source database URL (SQLAlchemy), or a .csv / .parquet file.")
    ],
    target: Annotated[
        str, typer.Argument(help="Target database URL (tables are replaced), or a file.")
    ],
    scenario: Annotated[str, typer.Option("--scenario", help="The use the data is masked for.")],
    role: Annotated[str, typer.Option("--role", help="Role of the recipients (required).")],
    tables: Annotated[
        str | None, typer.Option("--tables", help="Comma-separated tables; all when unset.")
    ] = None,
    engine: Annotated[
        EngineName, typer.Option("--engine", help="local (Polars) or spark (local mode).")
    ] = EngineName.LOCAL,
    resume: Annotated[
        str | None, typer.Option("--resume", help="Continue this job id after a crash.")
    ] = None,
    batch_rows: Annotated[
        int | None,
        typer.Option(
            "--batch-rows",
            min=1,
            help="Rows per batch; when unset, sized to about 64 MB of memory.",
        ),
    ] = None,
    approved_by: ApprovedByOption = None,
    operator: OperatorOption = None,
    policy: PolicyOption = None,
    store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Mask SOURCE into TARGET table by table, as the policy plans it for SCENARIO and ROLE;
    every table is verified before it is released (exit 1 when one is refused)."""
    from medshield.mask.engine import mask_database, plan_from_rules
    from medshield.mask.engine.planning import source_plans
    from medshield.mask.engine.release_check import ReleaseCheck
    from medshield.mask.release import release_context
    from medshield.policy import Form, Stage, UseContext, grant_masking, load_bundle
    from medshield.settings import get_settings
    from medshield.store.db import connect, upgrade

    bundle = load_bundle(policy or get_settings().policy)
    use = UseContext(form=Form.MASKED, stage=Stage.SHARE, role=role, scenario=scenario)
    grant_masking(bundle, use)  # refused before anything is read, planned or written
    upgrade(store)
    actor = operator_name(operator)
    if "://" not in source:
        _check_file_job(source, target, tables=tables, engine=engine, resume=resume)
        job = FileJob(Path(source), Path(target), actor, approved_by)
        _mask_file(job, bundle, use, store, batch_rows, fmt)
        return
    plans = source_plans(source, bundle, use, store=connect(store), tables=_names(tables) or None)
    check = ReleaseCheck(plans, bundle, source=safe_source(source), actor=actor)
    check.approved_by = approved_by
    job_id = resume or f"mask-j{uuid.uuid4().hex[:12]}"
    store_engine = connect(store)
    context = release_context(bundle, release_id=job_id, store=store_engine)
    masker = None
    if engine is EngineName.SPARK:
        from medshield.mask.engine.spark import spark_masker, spark_session

        masker = spark_masker(spark_session(), context)
    result = mask_database(
        source,
        target,
        plans={t: plan_from_rules(_rules(p), context) for t, p in plans.items()},
        batch_rows=batch_rows,
        job_id=job_id,
        resume=resume is not None,
        store_url=store,
        scenario=scenario,
        role=role,
        actor=actor,
        masker=masker,
        verify=check,
        progress=lambda table, done: typer.echo(f"{table}: {done:,} rows", err=True),
    )
    rows = [
        {
            "job": result.job_id,
            "table": t.table,
            "rows": t.rows,
            "skipped": t.skipped,
            "released": t.released,
        }
        for t in result.tables
    ]
    emit(rows, fmt, title=f"masked {result.source} -> {result.target}")
    _refuse(check)


def safe_source(url: str) -> str:
    from medshield.mask.engine.database import safe_url

    return safe_url(url)


def _refuse(check: Any) -> None:
    """Exit non-zero, naming each table verification refused and why."""
    from medshield.errors import ReleaseRefusedError

    refused = check.refused()
    if refused:
        why = "; ".join(f"{t}: {'; '.join(r.reasons)}" for t, r in refused.items())
        raise ReleaseRefusedError(
            f"release refused, {len(refused)} table(s) not written: {why}",
            where=", ".join(refused),
        )


def _check_file_job(
    source: str, target: str, *, tables: str | None, engine: EngineName, resume: str | None
) -> None:
    """A file is masked into another file by the local engine in one go; options that only
    mean something for databases are refused rather than ignored."""
    from medshield.errors import InputError

    if "://" in target:
        raise InputError("a file is masked into a file", where=target)
    if Path(source).resolve() == Path(target).resolve():
        raise InputError("the target is the source: masking would overwrite the raw file")
    for given, option in ((tables, "--tables"), (resume, "--resume")):
        if given is not None:
            raise InputError(f"{option} applies to databases, not files", where=option)
    if engine is not EngineName.LOCAL:
        raise InputError("files are masked by the local engine", where="--engine")


class FileJob(NamedTuple):
    source: Path
    target: Path
    actor: str
    approved_by: str | None


def _mask_file(
    job: FileJob,
    bundle: PolicyBundle,
    use: UseContext,
    store: str | None,
    batch_rows: int | None,
    fmt: Format,
) -> None:
    """One CSV or Parquet file masked into another, recorded in the ledger like a table."""
    import time

    from medshield.mask.engine import describe_plan, plan_from_rules
    from medshield.mask.engine.files import mask_file
    from medshield.mask.engine.planning import file_plan
    from medshield.mask.engine.record import append_events, job_event, table_events
    from medshield.mask.engine.release_check import ReleaseCheck
    from medshield.mask.release import release_context
    from medshield.store.db import connect

    source, target = job.source, job.target
    plan = file_plan(source, bundle, use)
    check = ReleaseCheck({source.name: plan}, bundle, source=str(source), actor=job.actor)
    check.approved_by = job.approved_by
    job_id = f"mask-j{uuid.uuid4().hex[:12]}"
    context = release_context(bundle, release_id=job_id, store=connect(store))
    started = time.perf_counter()
    operators = plan_from_rules(_rules(plan), context)
    rows = mask_file(
        source,
        target,
        operators,
        batch_rows=batch_rows,
        progress=lambda name, done: typer.echo(f"{name}: {done:,} rows", err=True),
        verify=check,
    )
    verdict = check.verdicts[source.name]
    event: dict[str, Any] = {"job_id": job_id, "actor": job.actor, "source": str(source)}
    append_events(
        [
            job_event(
                **event, target=str(target), state="started", detail={"scenario": use.scenario}
            ),
            *table_events(
                **event,
                target=str(target),
                table=source.name,
                columns=[c.column for c in plan.columns],
                rows=rows,
                plan=describe_plan(operators),
                duration_ms=(time.perf_counter() - started) * 1000,
                **verdict.lineage,
            ),
            verdict.event,
        ],
        store_url=store,
    )
    row = {"job": job_id, "table": source.name, "rows": rows, "skipped": False}
    emit([{**row, "released": verdict.released}], fmt, title=f"masked {source} -> {target}")
    _refuse(check)


@app.command("verify")
def verify(
    target: Annotated[str, typer.Argument(help="Database URL of the masked release.")],
    table: Annotated[str, typer.Option("--table", help="The table to verify.")],
    quasi: Annotated[
        str | None,
        typer.Option(
            "--quasi",
            help="More quasi-identifiers (comma-separated), added to those of the job's plan.",
        ),
    ] = None,
    sensitive: Annotated[
        str | None, typer.Option("--sensitive", help="Sensitive column for l-diversity.")
    ] = None,
    elements: Annotated[
        str | None,
        typer.Option("--elements", help="Element codes held; from the masking job when unset."),
    ] = None,
    replaced: Annotated[
        str | None,
        typer.Option(
            "--replaced",
            help="More columns of pseudonyms or random ids, not scanned (needs --approved-by).",
        ),
    ] = None,
    approved_by: ApprovedByOption = None,
    operator: OperatorOption = None,
    policy: PolicyOption = None,
    store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Check a masked table (k, l, risk, residual identifiers) with the quasi-identifier and
    replaced sets of the plan that masked it; exit 1 if it may not be released."""
    from medshield.errors import InputError
    from medshield.mask.engine.lookup import job_plan, masked_elements
    from medshield.mask.engine.reading import read_table
    from medshield.mask.verify import require_release, verify_release
    from medshield.policy import Form, Stage, UseContext, load_bundle
    from medshield.settings import get_settings
    from medshield.store.db import connect, upgrade

    if replaced and not approved_by:
        raise InputError("--replaced exempts columns from the scan: it needs --approved-by")
    bundle = load_bundle(policy or get_settings().policy)
    upgrade(store)
    plan = job_plan(connect(store), target, table, bundle)
    if plan is None and not quasi:
        raise InputError("no masking job wrote this table: give --quasi", where=table)
    codes = _names(elements) or list(masked_elements(connect(store), target, table))
    frame = read_table(target, table)
    planned = plan.quasi_columns() if plan else ()
    quasi_set = [*[c for c in planned if c in frame.columns], *_names(quasi)]
    quasi_set = list(dict.fromkeys(quasi_set))
    replaced_set = [*(plan.replaced_columns() if plan else ()), *_names(replaced)]
    report = verify_release(
        frame,
        bundle,
        quasi=quasi_set,
        sensitive=sensitive,
        elements=codes,
        context=UseContext(form=Form.MASKED, stage=Stage.SHARE),
        table=table,
        replaced=replaced_set,
        kept=plan.kept_columns() if plan else (),
    )
    emit([report.as_row()], fmt, title="release verification")
    require_release(
        report,
        actor=operator_name(operator),
        store_url=store,
        quasi=quasi_set,
        plan_digest=plan.digest if plan else None,
        approved_by=approved_by,
    )
