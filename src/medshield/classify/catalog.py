"""Scanning sources into the catalogue, incrementally.

A table is skipped when its structure fingerprint and the classifier and detector versions are
those it was graded with; when only the policy changed its columns are re-graded without reading
data; otherwise it is sampled and classified again. Manual overrides survive every rescan, and
each level that changes is recorded in the ledger (``catalog.regrade``) with its trace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from medshield.classify.classifier import CLASSIFIER_VERSION, ColumnClassifier, ColumnFacts
from medshield.classify.evidence import detector_version
from medshield.classify.grade import grade, stored_elements, stored_may_embed
from medshield.classify.history import LevelChange, record_changes
from medshield.classify.sampling import Sampling, sample_table
from medshield.classify.scan import TableInfo, list_tables, open_source, safe_url, with_sample
from medshield.errors import ClassificationError
from medshield.policy import PolicyBundle
from medshield.store.models.catalog import CatalogColumn, CatalogSource, CatalogTable

Progress = Callable[[str, int, int], None]


@dataclass
class ScanSummary:
    """What one scan of one source did."""

    source: str
    tables: int = 0
    columns: int = 0
    classified: int = 0
    regraded: int = 0
    skipped: int = 0
    removed: int = 0
    changes: list[LevelChange] = field(default_factory=list)
    unsampled: list[str] = field(default_factory=list)  # tables graded from names alone, why


@dataclass(frozen=True)
class ScanOptions:
    sample: int = 100
    sampling: Sampling = Sampling.RANDOM
    timeout_s: float = 30.0
    use_values: bool = True


def classifier_version(classifier: ColumnClassifier) -> str:
    return f"{CLASSIFIER_VERSION}+{classifier.lexicon.version}+{classifier.name_model.version}"


def scan_source(
    store: Engine,
    url: str,
    bundle: PolicyBundle,
    *,
    options: ScanOptions | None = None,
    classifier: ColumnClassifier | None = None,
    progress: Progress | None = None,
    actor: str = "medshield.scan",
) -> ScanSummary:
    """Scan the database at ``url`` into the catalogue in ``store``."""
    opts = options or ScanOptions()
    clf = classifier or ColumnClassifier()
    versions = (classifier_version(clf), detector_version(), bundle.version)
    name = safe_url(url)
    engine = open_source(url)
    summary = ScanSummary(source=name)
    try:
        tables = list(list_tables(engine))
        now = datetime.now(UTC)
        with Session(store) as session, session.begin():
            source = session.scalar(select(CatalogSource).where(CatalogSource.name == name))
            if source is None:
                source = CatalogSource(
                    name=name,
                    dialect=engine.dialect.name,
                    first_scanned_at=now,
                    last_scanned_at=now,
                )
                session.add(source)
                session.flush()
            source.last_scanned_at = now
            known = {
                (t.schema_name, t.name): t
                for t in session.scalars(
                    select(CatalogTable).where(CatalogTable.source_id == source.id)
                )
            }
            for number, info in enumerate(tables, start=1):
                if progress:
                    progress(info.qualified, number, len(tables))
                row = known.pop((info.schema or "", info.name), None)
                summary.tables += 1
                summary.columns += len(info.columns)
                same_shape = (
                    row is not None
                    and row.fingerprint == info.fingerprint
                    and (row.classifier_version, row.detector_version) == versions[:2]
                )
                if row is not None and same_shape and row.policy_version == versions[2]:
                    summary.skipped += 1
                    continue
                if row is not None and same_shape:
                    summary.changes += _regrade(session, row, bundle, now)
                    summary.regraded += 1
                    continue
                try:
                    rows, samples = sample_table(
                        engine, info, opts.sample, opts.sampling, opts.timeout_s
                    )
                except ClassificationError as exc:  # graded from its names; said in the summary
                    rows, samples = None, {}
                    summary.unsampled.append(f"{info.qualified}: {exc.message}")
                sampled = with_sample(info, rows, samples)
                summary.changes += _classify(
                    session, source.id, row, sampled, clf, bundle, versions, opts.use_values, now
                )
                summary.classified += 1
            for gone in known.values():
                session.delete(gone)
                summary.removed += 1
        counts = {
            key: getattr(summary, key)
            for key in ("tables", "columns", "classified", "regraded", "skipped", "removed")
        }
        counts |= {"unsampled": len(summary.unsampled), "versions": list(versions)}
        record_changes(store, name, summary.changes, bundle, actor=actor, scan=counts)
    finally:
        engine.dispose()
    return summary


def _classify(
    session: Session,
    source_id: int,
    row: CatalogTable | None,
    info: TableInfo,
    clf: ColumnClassifier,
    bundle: PolicyBundle,
    versions: tuple[str, str, str],
    use_values: bool,
    now: datetime,
) -> list[LevelChange]:
    previous: dict[str, CatalogColumn] = {}
    if row is None:
        row = CatalogTable(source_id=source_id, schema_name=info.schema or "", name=info.name)
        session.add(row)
    else:
        previous = {
            c.name: c
            for c in session.scalars(select(CatalogColumn).where(CatalogColumn.table_id == row.id))
        }
        session.execute(delete(CatalogColumn).where(CatalogColumn.table_id == row.id))
    row.comment, row.fingerprint, row.row_count = info.comment, info.fingerprint, info.row_count
    row.sampled, row.scanned_at = info.sampled, now
    row.classifier_version, row.detector_version, row.policy_version = versions
    session.flush()
    facts = [
        ColumnFacts(c.name, c.type, c.comment, info.name, info.comment, c.values)
        for c in info.columns
    ]
    changes: list[LevelChange] = []
    for position, (col, result) in enumerate(
        zip(info.columns, clf.classify_many(facts, use_values=use_values), strict=True)
    ):
        old = previous.get(col.name)
        g = grade(bundle, result.elements, may_embed=result.may_embed, **_override_args(old))
        new = CatalogColumn(
            table_id=row.id,
            name=col.name,
            position=position,
            type=col.type,
            comment=col.comment,
            element=g.element,
            category=g.category,
            level=g.level.en,
            level_trace=g.trace,
            confidence=result.confidence,
            evidence={**result.evidence, "classified": result.element},
            classifier_version=versions[0],
            detector_version=versions[1],
            policy_version=versions[2],
            updated_at=now,
        )
        if old is not None:
            new.override_element, new.override_level = old.override_element, old.override_level
            new.override_reason, new.override_by = old.override_reason, old.override_by
            new.override_at = old.override_at
            if old.level != new.level or old.element != new.element:
                changes.append(LevelChange.between(info.qualified, old, new))
        session.add(new)
    return changes


def _override_args(col: CatalogColumn | None) -> dict[str, str | None]:
    if col is None:
        return {}
    return {
        "override_element": col.override_element,
        "override_level": col.override_level,
        "override_by": col.override_by,
    }


def _regrade(
    session: Session, row: CatalogTable, bundle: PolicyBundle, now: datetime
) -> list[LevelChange]:
    """Grade the stored classification again under a new policy; no data is read."""
    changes: list[LevelChange] = []
    table = f"{row.schema_name}.{row.name}" if row.schema_name else row.name
    for col in session.scalars(select(CatalogColumn).where(CatalogColumn.table_id == row.id)):
        g = grade(
            bundle,
            stored_elements(col.evidence),
            may_embed=stored_may_embed(col.evidence),
            **_override_args(col),
        )
        before = (col.element, col.level)
        old_level = col.level
        col.element, col.category, col.level = g.element, g.category, g.level.en
        col.level_trace, col.policy_version, col.updated_at = g.trace, bundle.version, now
        if before != (col.element, col.level):
            changes.append(
                LevelChange(table, col.name, before[0], col.element, old_level, col.level, g.trace)
            )
    row.policy_version = bundle.version
    return changes


def open_catalog(url: str | None = None) -> Engine:
    """The platform store, migrated to the newest schema."""
    from medshield.store import connect, upgrade

    upgrade(url)
    return connect(url)
