"""Verification of a masked release: residual identifiers, k-anonymity, l-diversity.

Only a release that passes is ``verified``, and only a verified release gets the level calculus'
"masked" downgrade. A release that fails is refused (``ReleaseRefusedError``) and the refusal is
recorded in the ledger: fail closed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from medshield.elements.catalogue import ElementCatalogue, load_catalogue
from medshield.errors import ReleaseRefusedError
from medshield.ledger import DataObject, Event
from medshield.mask.privacy import PrivacyMeasure, measure
from medshield.policy import Form, LevelResult, PolicyBundle, UseContext, effective_level

Detect = Callable[..., list[Any]]  # detect_all(values, *, label=...) -> findings


@dataclass(frozen=True)
class Residual:
    """Identifiers a detector still finds in one column (``evidence`` is redacted)."""

    column: str
    detector: str
    element: str | None
    count: int
    evidence: str


@dataclass(frozen=True)
class VerificationReport:
    table: str
    measure: PrivacyMeasure
    k_required: int
    l_required: int | None
    residuals: tuple[Residual, ...]
    verified: bool
    reasons: tuple[str, ...]
    level_before: LevelResult
    level_after: LevelResult
    replaced: tuple[str, ...] = ()  # columns of replacement identifiers, not scanned

    def as_row(self) -> dict[str, object]:
        return {
            "table": self.table,
            "rows": self.measure.rows,
            "k": self.measure.k,
            "k_required": self.k_required,
            "l": self.measure.l,
            "max_risk": round(self.measure.max_risk, 4),
            "avg_risk": round(self.measure.avg_risk, 4),
            "residuals": sum(r.count for r in self.residuals),
            "verified": self.verified,
            "level_before": self.level_before.level.en,
            "level_after": self.level_after.level.en,
            "reasons": "; ".join(self.reasons),
        }


def _default_detect() -> Detect:
    from medshield.detect import detect_all

    return detect_all


def _direct(catalogue: ElementCatalogue, element: str | None) -> bool:
    """A finding counts unless its element is known and not a direct identifier."""
    if element is None or element not in catalogue:
        return True
    return catalogue[element].identifier == "direct"


def _whole(finding: Any, values: Sequence[Any]) -> bool:
    """The finding is the whole value, not something inside a longer text."""
    value = values[finding.index]
    return isinstance(value, str) and finding.end - finding.start >= len(value.strip())


def find_residuals(
    frame: pl.DataFrame,
    *,
    detect: Detect | None = None,
    columns: Iterable[str] | None = None,
    catalogue: ElementCatalogue | None = None,
    kept: Iterable[str] = (),
) -> tuple[Residual, ...]:
    """Direct identifiers left in ``frame``; masked forms do not count, quasi-identifiers
    (a city, an age band) are for the k-anonymity check, not residuals. In a ``kept`` column
    (kept as it is by the plan) a finding that is the whole value is the value the policy
    releases; one inside a longer text still counts."""
    run = detect or _default_detect()
    elements = catalogue if catalogue is not None else load_catalogue()
    keep = set(kept)
    found: list[Residual] = []
    for name in columns if columns is not None else frame.columns:
        column = frame.get_column(name)
        if column.dtype not in (pl.String, pl.Categorical):
            column = column.cast(pl.String)
        values = column.to_list()
        by_detector: dict[tuple[str, str | None], list[Any]] = {}
        for finding in run(values, label=name):
            if name in keep and _whole(finding, values):
                continue
            if not finding.masked and _direct(elements, finding.element):
                by_detector.setdefault((finding.detector, finding.element), []).append(finding)
        for (detector, element), findings in sorted(by_detector.items(), key=lambda i: i[0][0]):
            rows = len({f.index for f in findings})
            found.append(Residual(name, detector, element, rows, findings[0].evidence))
    return tuple(found)


def verify_release(
    frame: pl.DataFrame,
    bundle: PolicyBundle,
    *,
    quasi: Sequence[str],
    sensitive: str | None = None,
    elements: Iterable[str] = (),
    context: UseContext | None = None,
    table: str = "release",
    detect: Detect | None = None,
    replaced: Iterable[str] = (),
    kept: Iterable[str] = (),
) -> VerificationReport:
    """Measure a masked table and say whether it may be released, with levels before and after.

    ``replaced`` names the columns the plan filled with replacement identifiers (``pseudonym``,
    ``random_id``, ``fpe``): their values look like identifiers by design (R22: "random unique
    identifiers in place of identity") and are not scanned. Only the plan may name them, so a
    rule that forgot to mask a column still leaves it scanned. ``kept`` names the columns the
    plan keeps as they are (``MaskPlan.kept_columns``): their whole values are not residuals."""
    privacy = bundle.meta.privacy
    result = measure(frame, quasi, sensitive)
    skipped = tuple(c for c in frame.columns if c in set(replaced))
    scanned = [c for c in frame.columns if c not in skipped]
    residuals = find_residuals(
        frame, detect=detect, columns=scanned, catalogue=bundle.catalogue, kept=kept
    )
    reasons: list[str] = []
    if result.rows and result.k < privacy.k_anonymity:
        reasons.append(f"k={result.k} below the policy's k={privacy.k_anonymity}")
    if result.l is not None and result.rows and result.l < privacy.l_diversity:
        reasons.append(f"l={result.l} below the policy's l={privacy.l_diversity}")
    for r in residuals:
        reasons.append(f"{r.count} residual {r.detector} value(s) in column {r.column!r}")
    verified = not reasons
    if verified:
        reasons.append(f"k={result.k} >= {privacy.k_anonymity}, no residual identifiers")
    base = context or UseContext()
    codes = tuple(elements)
    before = effective_level(bundle, codes, dataclasses.replace(base, form=Form.RAW))
    after = effective_level(
        bundle, codes, dataclasses.replace(base, form=Form.MASKED, verified=verified)
    )
    return VerificationReport(
        table=table,
        measure=result,
        k_required=privacy.k_anonymity,
        l_required=privacy.l_diversity if sensitive else None,
        residuals=residuals,
        verified=verified,
        reasons=tuple(reasons),
        level_before=before,
        level_after=after,
        replaced=skipped,
    )


def release_event(
    report: VerificationReport,
    *,
    actor: str,
    source: str | None = None,
    quasi: Sequence[str] = (),
    plan_digest: str | None = None,
    approved_by: str | None = None,
) -> Event:
    """The ``mask.release`` event: the verdict with the quasi and replaced sets it was made on;
    a refusal released by an approver is an ``alert`` that names the approver."""
    outcome = "allow" if report.verified else ("alert" if approved_by else "deny")
    return Event(
        action="mask.release",
        actor=actor,
        object=DataObject(source=source, table=report.table),
        levels=(report.level_after.level.en,),
        rows=report.measure.rows,
        outcome=outcome,
        reasons=report.reasons,
        policy_version=report.level_after.policy_version,
        detail={
            "k": report.measure.k,
            "l": report.measure.l,
            "max_risk": report.measure.max_risk,
            "avg_risk": report.measure.avg_risk,
            "residuals": sum(r.count for r in report.residuals),
            "verified": report.verified,
            "released": report.verified or approved_by is not None,
            "quasi": list(quasi),
            "replaced": list(report.replaced),
            "plan": plan_digest,
            "approved_by": approved_by,
        },
    )


def require_release(
    report: VerificationReport,
    *,
    actor: str = "system:mask",
    source: str | None = None,
    append: Callable[[list[Event]], object] | None = None,
    store_url: str | None = None,
    quasi: Sequence[str] = (),
    plan_digest: str | None = None,
    approved_by: str | None = None,
) -> VerificationReport:
    """Record the verdict in the ledger; raise ``ReleaseRefusedError`` unless verified, or
    released by ``approved_by`` (recorded as such)."""
    from medshield.mask.engine.record import append_events

    approver = None if report.verified else approved_by
    event = release_event(
        report,
        actor=actor,
        source=source,
        quasi=quasi,
        plan_digest=plan_digest,
        approved_by=approver,
    )
    if append is not None:
        append([event])
    else:
        append_events([event], store_url=store_url)
    if not report.verified and approver is None:
        raise ReleaseRefusedError(
            "release refused: " + "; ".join(report.reasons), where=report.table
        )
    return report
