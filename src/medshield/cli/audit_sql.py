"""``medshield audit sql`` and ``medshield audit learn``: statement logs audited line by line."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.audit.sql.engine import SqlAuditor
from medshield.audit.sql.events import statement_digest, verdict_event
from medshield.audit.sql.stream import JsonRecords, StreamSummary, audit_lines
from medshield.audit.sql.templates import LearnedTemplates
from medshield.cli.output import Format, FormatOption, emit
from medshield.datafiles import check_size
from medshield.errors import AuditError, FileFormatError, InputError
from medshield.ledger import Event, open_ledger
from medshield.policy import PolicyBundle, load_bundle

FileArg = Annotated[
    str, typer.Argument(help="A statement log, one submission a line; - for stdin.")
]
DialectOption = Annotated[
    str | None,
    typer.Option(
        "--dialect", help="mysql, mariadb, postgres, oracle, tsql; default: the policy's."
    ),
]
CatalogueOption = Annotated[
    str,
    typer.Option(
        "--catalogue",
        help="The schema to resolve against: a JSON/YAML catalogue file, 'source:URL' (a live "
        "database), or 'synth' (the synthetic alliance's HIS schema).",
    ),
]
PolicyOption = Annotated[
    Path | None, typer.Option("--policy", help="Policy bundle folder; the default when unset.")
]
CSV_COLUMNS = ("line", "action", "fingerprint", "tier", "findings")
FLUSH_TEMPLATES = 2000  # ledger tallies kept before they are written (each holds a verdict)


def register(audit_app: typer.Typer) -> None:
    audit_app.command("sql")(sql)
    audit_app.command("learn")(learn)


@contextmanager
def _lines(file: str) -> Iterator[TextIO]:
    if file == "-":
        yield sys.stdin
        return
    try:
        handle = open(file, encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", where=file) from None
    with handle:
        yield handle


def load_catalogue(value: str, bundle: PolicyBundle) -> SqlCatalogue:
    if value == "synth":
        return SqlCatalogue.from_synth()
    if value.startswith("source:"):
        from medshield.audit.sql.catalogue_source import catalogue_from_source
        from medshield.classify.scan import open_source

        engine = open_source(value.removeprefix("source:"))
        try:
            return catalogue_from_source(engine, bundle)
        finally:
            engine.dispose()
    path = Path(value)
    check_size(path)
    try:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AuditError(f"cannot read catalogue: {exc.strerror}", where=value) from None
    except yaml.YAMLError as exc:
        raise AuditError(f"catalogue is not JSON/YAML: {exc}", where=value) from None
    if not isinstance(data, dict):
        raise AuditError("a catalogue holds a mapping with 'tables'", where=value)
    return SqlCatalogue.from_mapping(data, where=value)


def sql(
    file: FileArg = "-",
    dialect: DialectOption = None,
    catalogue: CatalogueOption = "synth",
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Learned templates (medshield audit learn).")
    ] = None,
    role: Annotated[str | None, typer.Option("--role", help="The submitter's role.")] = None,
    scenario: Annotated[str | None, typer.Option("--scenario", help="The scenario.")] = None,
    institution: Annotated[
        str | None,
        typer.Option("--institution", help="The submitter's institution (institutions.yaml)."),
    ] = None,
    user: Annotated[str, typer.Option("--user", help="Who runs the audit (ledger actor).")] = (
        "medshield.audit"
    ),
    ledger: Annotated[
        bool, typer.Option("--ledger/--no-ledger", help="Record alerts and denials.")
    ] = True,
    policy: PolicyOption = None,
    fmt: FormatOption = Format.JSONL,
) -> None:
    """Audit a statement log: exactly one record per input line, streaming."""
    bundle = load_bundle(policy)
    learned = LearnedTemplates.load(templates) if templates else None
    auditor = SqlAuditor(
        bundle, load_catalogue(catalogue, bundle), dialect=dialect, templates=learned
    )
    summary = StreamSummary(trace=ledger)
    book = open_ledger(bundle=bundle) if ledger else None
    try:
        with _lines(file) as lines:
            verdicts = audit_lines(
                lines,
                auditor,
                role=role,
                scenario=scenario,
                institution=institution,
                summary=summary,
            )
            context = (bundle, user, role, scenario, institution)
            _write(_flushing(verdicts, summary, book, context), fmt)
        if book is not None:
            _flush(book, summary, *context)
            book.append(
                Event(
                    action="audit.sql.run",
                    actor=user,
                    policy_version=bundle.version,
                    payload_digest=None if file == "-" else statement_digest(file),
                    detail={
                        "lines": summary.lines,
                        "actions": summary.actions,
                        "dialect": auditor.dialect,
                    },
                )
            )
    finally:
        if book is not None:
            book.close()


def _flushing(
    verdicts: Iterator[Any], summary: StreamSummary, book: Any, context: tuple[Any, ...]
) -> Iterator[Any]:
    """The verdicts, the ledger written whenever enough tallies are held (constant memory)."""
    for item in verdicts:
        yield item
        if book is not None and len(summary.tallies) >= FLUSH_TEMPLATES:
            _flush(book, summary, *context)


def _write(verdicts: Iterator[Any], fmt: Format) -> None:
    out = sys.stdout
    if fmt is Format.JSONL:
        records = JsonRecords()
        for number, _, verdict in verdicts:
            out.write(records.record(number, verdict) + "\n")
        return
    if fmt is Format.JSON:
        out.write("[")
        for number, _, verdict in verdicts:
            out.write(
                ("\n" if number == 1 else ",\n")
                + json.dumps({"line": number, **verdict.as_dict()}, ensure_ascii=False)
            )
        out.write("\n]\n")
        return
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS) if fmt is Format.CSV else None
    if writer is not None:
        writer.writeheader()
    batch: list[dict[str, Any]] = []  # a table is printed 500 lines at a time
    for number, _, verdict in verdicts:
        row = {
            "line": number,
            "action": verdict.action,
            "fingerprint": verdict.fingerprint,
            "tier": verdict.tier.name,
            "findings": "; ".join(f"{f.rule}: {f.evidence}" for f in verdict.findings),
        }
        if writer is not None:
            writer.writerow(row)
            continue
        batch.append(row)
        if len(batch) >= 500:
            emit(batch, fmt)
            batch = []
    if batch:
        emit(batch, fmt)


def _flush(
    book: Any,
    summary: StreamSummary,
    bundle: PolicyBundle,
    user: str,
    role: str | None,
    scenario: str | None,
    institution: str | None,
) -> None:
    """One ledger event per denied statement, and per template and action alerted on: each
    with its count, line ranges and the chained digest of its statements."""
    book.append_many(
        [
            verdict_event(
                t.verdict,
                t.sql,
                actor=user,
                policy_version=bundle.version,
                role=role,
                scenario=scenario,
                institution=institution,
                extra=t.trace(),
            )
            for t in summary.tallies.values()
        ]
    )
    summary.tallies.clear()


def learn(
    file: FileArg,
    out: Annotated[
        Path, typer.Option("--out", help="Templates file to write (merged if it exists).")
    ],
    dialect: DialectOption = None,
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Learn an application's statement templates from a log of its normal statements."""
    from medshield.audit.sql.analysis import dialect_of, parse_submission

    bundle = load_bundle(policy)
    read = dialect_of(dialect or bundle.audit.sql.dialect)
    templates = LearnedTemplates.load(out) if out.exists() else LearnedTemplates()
    before, lines, skipped = len(templates), 0, 0
    with _lines(file) as handle:
        for raw in handle:
            line = raw.strip()
            if not line:
                continue
            lines += 1
            try:
                parse_submission(line, read)
            except Exception:  # noqa: BLE001 - what does not parse is not a template
                skipped += 1
                continue
            templates.learn(line)
    if lines == skipped:  # an empty file, or one where nothing is SQL (binary garbage)
        what = f"none of its {lines} lines parses" if lines else "it holds no statement"
        raise FileFormatError(f"nothing to learn: {what} as {read} SQL", where=file)
    templates.save(out)
    with open_ledger(bundle=bundle) as book:
        book.append(
            Event(
                action="audit.sql.learn",
                actor="medshield.audit",
                policy_version=bundle.version,
                payload_digest=statement_digest(out.read_text(encoding="utf-8")),
                detail={
                    "lines": lines,
                    "skipped": skipped,
                    "templates": len(templates),
                    "new": len(templates) - before,
                },
            )
        )
    emit(
        [
            {
                "lines": lines,
                "unparsed": skipped,
                "templates": len(templates),
                "new": len(templates) - before,
                "file": str(out),
            }
        ],
        fmt,
    )
