"""Verification of a masked release: residual identifiers and k refuse it, and that is recorded."""

from __future__ import annotations

import polars as pl
import pytest

from medshield.detect import detect_all
from medshield.elements.levels import Level
from medshield.errors import ReleaseRefusedError
from medshield.ledger import open_ledger
from medshield.mask.engine import mask_frame
from medshield.mask.operators.base import MaskContext
from medshield.mask.verify import find_residuals, require_release, verify_release
from medshield.policy import Scope, Stage, UseContext, load_bundle

from .engine.conftest import RULES, build_plan, patient_rows

ELEMENTS = ("DE02.01.010.00", "DE02.01.030.00", "DE02.01.026.00")
PATIENTS = pl.DataFrame(patient_rows(500, seed=21))


def _released(ctx: MaskContext, **changes: object) -> pl.DataFrame:
    return mask_frame(PATIENTS, build_plan(ctx, {**RULES, **changes}))


def test_a_correct_release_is_verified_and_goes_down_one_level(ctx: MaskContext) -> None:
    bundle = load_bundle()
    use = UseContext(stage=Stage.SHARE, scope=Scope.ALLIANCE)
    report = verify_release(
        _released(ctx), bundle, quasi=["age"], sensitive="diagnosis", elements=ELEMENTS, context=use
    )
    assert report.residuals == ()
    assert report.measure.k >= bundle.meta.privacy.k_anonymity
    assert report.verified
    assert report.level_after.level == report.level_before.level.shifted(-1)
    assert require_release(report) is report


def test_a_rule_that_leaves_phone_numbers_is_caught(ctx: MaskContext) -> None:
    broken = _released(ctx, phone=None)  # the broken rule: phone numbers pass unmasked
    residuals = find_residuals(broken)
    raw = {f.index for f in detect_all(PATIENTS["phone"].to_list(), ["mobile"]) if not f.masked}
    assert len(raw) > 450
    assert [(r.column, r.detector, r.count) for r in residuals] == [("phone", "mobile", len(raw))]
    assert all(p not in residuals[0].evidence for p in PATIENTS["phone"].head(50))
    report = verify_release(broken, load_bundle(), quasi=["age"], elements=ELEMENTS)
    assert not report.verified
    assert report.level_after.level == report.level_before.level  # no downgrade
    with pytest.raises(ReleaseRefusedError, match="residual mobile"):
        require_release(report, actor="u-research")
    with open_ledger() as ledger:
        events = [r.event for r in ledger.records(action_prefix="mask.release")]
    assert [(e.outcome, e.actor, e.detail["verified"]) for e in events] == [
        ("deny", "u-research", False)
    ]
    assert events[0].detail["residuals"] == len(raw)


def test_masked_forms_do_not_count(ctx: MaskContext) -> None:
    assert find_residuals(_released(ctx)) == ()


def test_k_below_the_policy_is_refused(ctx: MaskContext) -> None:
    bundle = load_bundle()
    released = _released(ctx, age=None)  # exact ages make classes of one or two
    report = verify_release(released, bundle, quasi=["age", "address"], elements=ELEMENTS)
    assert report.measure.k < bundle.meta.privacy.k_anonymity
    assert not report.verified and report.residuals == ()
    assert report.level_after.level >= Level.SENSITIVE
    with pytest.raises(ReleaseRefusedError, match="k=") as refused:
        require_release(report)
    assert refused.value.code == "MS701"


def test_replacement_identifiers_are_not_residuals_but_a_forgotten_column_is(
    ctx: MaskContext,
) -> None:
    """A medical record number replaced by a random id still looks like a record number to
    the detectors; only the plan's own replacement columns are spared, and a column the plan
    left as it is stays scanned."""
    with_mrn = PATIENTS.with_columns(mrn=pl.format("MR{}", pl.col("id") + 10_000_000))
    rules = {**RULES, "mrn": ("random_id", {})}
    released = mask_frame(with_mrn, build_plan(ctx, rules))
    bundle = load_bundle()
    scanned = verify_release(released, bundle, quasi=["age"], elements=ELEMENTS)
    assert "mrn" in {r.column for r in scanned.residuals}
    spared = verify_release(released, bundle, quasi=["age"], elements=ELEMENTS, replaced=["mrn"])
    assert spared.verified and spared.replaced == ("mrn",)
    forgotten = mask_frame(with_mrn, build_plan(ctx, {**RULES, "mrn": None}))
    naming_it = verify_release(forgotten, bundle, quasi=["age"], elements=ELEMENTS)
    assert "mrn" in {r.column for r in naming_it.residuals}
