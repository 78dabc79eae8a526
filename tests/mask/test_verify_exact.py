"""The release verifier with a detector whose findings are known: exact residuals, reasons,
levels and ledger events (``mask/verify.py``).

These tests are in the mutation run (docs/mutation.md). Each asserts the exact value the code
should give, so a mutant that changes a count, a reason, an outcome or a skipped column fails
one of them.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from medshield.detect.base import Finding
from medshield.elements.catalogue import DataElement
from medshield.errors import ReleaseRefusedError
from medshield.ledger import Event, open_ledger
from medshield.mask.verify import (
    find_residuals,
    release_event,
    require_release,
    verify_release,
)
from medshield.policy import Form, UseContext, effective_level, load_bundle
from medshield.policy.schema import LevelRule, LevelsSection

BUNDLE = load_bundle()
K = BUNDLE.meta.privacy.k_anonymity
NAME = "DE02.01.039.00"  # patient name: a direct identifier
GENDER = "DE02.01.040.00"  # gender code: not a direct identifier


def _finding(index: int, *, start: int = 0, end: int = 3, element: str | None = NAME,
             masked: bool = False, detector: str = "name") -> Finding:  # fmt: skip
    return Finding(detector, element, index, start, end, 0.9, masked, f"{detector} #{index}")


class Scripted:
    """A detector that returns, for each column label, the findings it was given."""

    def __init__(self, by_label: dict[str, list[Finding]]) -> None:
        self.by_label = by_label
        self.calls: list[tuple[str, list[Any]]] = []

    def __call__(self, values: list[Any], *, label: str) -> list[Finding]:
        self.calls.append((label, values))
        return list(self.by_label.get(label, []))


def test_residuals_count_rows_per_detector_in_detector_order() -> None:
    frame = pl.DataFrame({"note": ["张三来诊", "李四来诊", "王五来诊"]})
    detect = Scripted({"note": [
        _finding(0, detector="zeta"), _finding(0, detector="zeta", start=1, end=2),
        _finding(2, detector="zeta"), _finding(1, detector="alpha"),
    ]})  # fmt: skip
    found = find_residuals(frame, detect=detect, catalogue=BUNDLE.catalogue)
    assert [(r.column, r.detector, r.element, r.count, r.evidence) for r in found] == [
        ("note", "alpha", NAME, 1, "alpha #1"),
        ("note", "zeta", NAME, 2, "zeta #0"),
    ]


def test_masked_findings_and_non_direct_elements_are_not_residuals() -> None:
    frame = pl.DataFrame({"c": ["a", "b"]})
    detect = Scripted({"c": [_finding(0, masked=True), _finding(1, element=GENDER)]})
    assert find_residuals(frame, detect=detect, catalogue=BUNDLE.catalogue) == ()


@pytest.mark.parametrize("element", [None, "XX99.99.999.99"], ids=["none", "unknown"])
def test_a_finding_of_no_or_an_unknown_element_counts(element: str | None) -> None:
    frame = pl.DataFrame({"c": ["a"]})
    found = find_residuals(frame, detect=Scripted({"c": [_finding(0, element=element)]}),
                           catalogue=BUNDLE.catalogue)  # fmt: skip
    assert [(r.element, r.count) for r in found] == [(element, 1)]


def test_only_the_named_columns_are_scanned_and_numbers_are_scanned_as_text() -> None:
    frame = pl.DataFrame({"a": ["x"], "n": [13812345678], "b": ["y"]})
    detect = Scripted({})
    find_residuals(frame, detect=detect, columns=["n", "b"], catalogue=BUNDLE.catalogue)
    assert detect.calls == [("n", ["13812345678"]), ("b", ["y"])]


def test_in_a_kept_column_a_whole_value_is_released_but_one_inside_a_text_is_not() -> None:
    frame = pl.DataFrame({"doctor": ["张三", " 李四 ", "主治医生王五"]})
    findings = [
        _finding(0, start=0, end=2),  # the whole value
        _finding(1, start=1, end=3),  # the whole value inside blanks
        _finding(2, start=4, end=6),  # a name inside a longer text
    ]
    kept = find_residuals(frame, detect=Scripted({"doctor": findings}), kept=["doctor"],
                          catalogue=BUNDLE.catalogue)  # fmt: skip
    assert [(r.column, r.count, r.evidence) for r in kept] == [("doctor", 1, "name #2")]
    not_kept = find_residuals(frame, detect=Scripted({"doctor": findings}),
                              catalogue=BUNDLE.catalogue)  # fmt: skip
    assert [r.count for r in not_kept] == [3]


def test_a_null_in_a_kept_column_is_never_a_whole_value() -> None:
    frame = pl.DataFrame({"doctor": [None, "张三"]}, schema={"doctor": pl.String})
    found = find_residuals(frame, detect=Scripted({"doctor": [_finding(0, start=0, end=0)]}),
                           kept=["doctor"], catalogue=BUNDLE.catalogue)  # fmt: skip
    assert [r.count for r in found] == [1]


def _table(sizes: list[int]) -> pl.DataFrame:
    return pl.DataFrame(
        {"age": [f"{40 + 10 * g}-{49 + 10 * g}" for g, n in enumerate(sizes) for _ in range(n)],
         "note": ["随访" for n in sizes for _ in range(n)]}
    )  # fmt: skip


def test_a_verified_release_states_why_and_is_lowered_by_the_calculus() -> None:
    context = UseContext(role="researcher", scenario="clinical_pathway")
    report = verify_release(_table([K, K]), BUNDLE, quasi=["age"], elements=[NAME],
                            context=context, table="visits", detect=Scripted({}))  # fmt: skip
    assert report.verified and report.table == "visits"
    assert report.reasons == (f"k={K} >= {K}, no residual identifiers",)
    assert (report.k_required, report.l_required, report.replaced) == (K, None, ())
    raw = effective_level(BUNDLE, [NAME], UseContext(role="researcher",
                          scenario="clinical_pathway", form=Form.RAW))  # fmt: skip
    masked = effective_level(BUNDLE, [NAME], UseContext(role="researcher",
                             scenario="clinical_pathway", form=Form.MASKED, verified=True))  # fmt: skip
    assert report.level_before == raw and report.level_after == masked
    assert masked.level < raw.level


def test_every_failure_is_a_reason_and_no_downgrade_follows() -> None:
    detect = Scripted({"note": [_finding(0), _finding(1)]})
    report = verify_release(_table([K - 1, K]), BUNDLE, quasi=["age"], sensitive="note",
                            elements=[NAME], detect=detect)  # fmt: skip
    assert not report.verified
    assert report.l_required == BUNDLE.meta.privacy.l_diversity
    assert report.reasons == (
        f"k={K - 1} below the policy's k={K}",
        f"l=1 below the policy's l={BUNDLE.meta.privacy.l_diversity}",
        "2 residual name value(s) in column 'note'",
    )
    unverified = effective_level(BUNDLE, [NAME], UseContext(form=Form.MASKED, verified=False))
    assert report.level_after == unverified


def test_replaced_columns_are_skipped_and_named_in_the_report() -> None:
    frame = _table([K]).with_columns(pl.lit("P0001").alias("mrn"))
    detect = Scripted({"mrn": [_finding(0)]})
    report = verify_release(frame, BUNDLE, quasi=["age"], replaced=["mrn", "absent"],
                            detect=detect)  # fmt: skip
    assert report.verified and report.replaced == ("mrn",)
    assert [label for label, _ in detect.calls] == ["age", "note"]


def test_an_empty_release_is_not_refused_for_k() -> None:
    empty = _table([]).cast({"age": pl.String, "note": pl.String})
    report = verify_release(empty, BUNDLE, quasi=["age"], sensitive="note", detect=Scripted({}))
    assert report.verified and report.measure.rows == 0


def _refused() -> Any:
    return verify_release(_table([K - 1]), BUNDLE, quasi=["age"], table="t", detect=Scripted({}))


def test_the_release_event_carries_the_verdict_and_its_grounds() -> None:
    good = verify_release(_table([K]), BUNDLE, quasi=["age"], table="t", detect=Scripted({}))
    event = release_event(good, actor="a", source="s", quasi=["age"], plan_digest="p")
    assert (event.action, event.actor, event.outcome, event.rows) == ("mask.release", "a",
                                                                      "allow", K)  # fmt: skip
    assert (event.object.source, event.object.table) == ("s", "t")
    assert event.levels == (good.level_after.level.en,)
    assert event.reasons == good.reasons
    assert event.policy_version == BUNDLE.version
    assert event.detail == {
        "k": K, "l": None, "max_risk": good.measure.max_risk, "avg_risk": good.measure.avg_risk,
        "residuals": 0, "verified": True, "released": True, "quasi": ["age"], "replaced": [],
        "plan": "p", "approved_by": None,
    }  # fmt: skip
    refused = release_event(_refused(), actor="a")
    assert (refused.outcome, refused.detail["released"]) == ("deny", False)
    approved = release_event(_refused(), actor="a", approved_by="officer")
    assert (approved.outcome, approved.detail["released"]) == ("alert", True)
    assert approved.detail["approved_by"] == "officer"


def test_require_release_records_then_refuses_unless_verified_or_approved() -> None:
    events: list[Event] = []
    good = verify_release(_table([K]), BUNDLE, quasi=["age"], table="t", detect=Scripted({}))
    assert require_release(good, append=events.extend, approved_by="officer") is good
    assert events[-1].outcome == "allow" and events[-1].detail["approved_by"] is None
    assert events[-1].actor == "system:mask"

    with pytest.raises(ReleaseRefusedError) as refused:
        require_release(_refused(), append=events.extend, actor="job", source="s", quasi=["age"],
                        plan_digest="p")  # fmt: skip
    assert refused.value.message == f"release refused: k={K - 1} below the policy's k={K}"
    assert refused.value.where == "t"
    last = events[-1]
    assert (last.outcome, last.actor, last.object.source) == ("deny", "job", "s")
    assert (last.detail["quasi"], last.detail["plan"]) == (["age"], "p")

    released = require_release(_refused(), append=events.extend, approved_by="officer")
    assert not released.verified
    assert (events[-1].outcome, events[-1].detail["approved_by"]) == ("alert", "officer")
    assert len(events) == 3


def test_the_default_table_name_is_release() -> None:
    assert verify_release(_table([K]), BUNDLE, quasi=["age"], detect=Scripted({})).table == (
        "release"
    )


def test_the_policy_catalogue_decides_what_is_a_direct_identifier() -> None:
    """An element the policy adds as no identifier is no residual; the same finding against the
    built-in catalogue alone (where the element is unknown) would count."""
    ward = DataElement(code="DE98.98.998.00", zh="病区", en="ward", category="medical_application",
                       level="normal", masking="keep", identifier="none")  # fmt: skip
    extended = dataclasses.replace(
        BUNDLE, elements=BUNDLE.elements.model_copy(update={"extra": (ward,)})
    )
    detect = Scripted({"note": [_finding(0, element=ward.code)]})
    assert not verify_release(_table([K]), BUNDLE, quasi=["age"], detect=detect).verified
    assert verify_release(_table([K]), extended, quasi=["age"], detect=detect).verified


def test_kept_columns_reach_the_residual_check() -> None:
    frame = _table([K]).with_columns(pl.lit("张三").alias("doctor"))
    detect = Scripted({"doctor": [_finding(i, start=0, end=2) for i in range(K)]})
    assert not verify_release(frame, BUNDLE, quasi=["age"], detect=detect).verified
    assert verify_release(frame, BUNDLE, quasi=["age"], detect=detect, kept=["doctor"]).verified


def test_a_refusal_names_every_reason(tmp_path: Path) -> None:
    detect = Scripted({"note": [_finding(0)]})
    report = verify_release(_table([K - 1]), BUNDLE, quasi=["age"], table="t", detect=detect)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with pytest.raises(ReleaseRefusedError) as refused:
        require_release(report, store_url=url)
    assert refused.value.message == (
        f"release refused: k={K - 1} below the policy's k={K}; "
        "1 residual name value(s) in column 'note'"
    )
    with open_ledger(url) as ledger:  # the refusal is in the store that was named
        assert [r.event.outcome for r in ledger.records(action_prefix="mask.release")] == ["deny"]


def test_findings_of_one_detector_with_and_without_an_element_are_listed_apart() -> None:
    frame = pl.DataFrame({"c": ["a", "b"]})
    detect = Scripted({"c": [_finding(0, element=NAME), _finding(1, element=None)]})
    found = find_residuals(frame, detect=detect, catalogue=BUNDLE.catalogue)
    assert [(r.detector, r.element, r.count) for r in found] == [
        ("name", NAME, 1),
        ("name", None, 1),
    ]


def test_the_level_before_is_the_raw_level_whatever_the_context_form() -> None:
    """With a rule that raises raw data only, the level before masking is the raised one even
    when the caller's context is already masked and verified."""
    raw_up = LevelRule.model_validate({"name": "raw_up", "when": {"form": ["raw"]}, "shift": 1})
    bundle = dataclasses.replace(BUNDLE, levels=LevelsSection(rules=(raw_up,)))
    context = UseContext(form=Form.MASKED, verified=True)
    report = verify_release(_table([K]), bundle, quasi=["age"], elements=[GENDER],
                            context=context, detect=Scripted({}))  # fmt: skip
    normal = BUNDLE.catalogue[GENDER].level
    assert report.level_before.level == normal.shifted(1)
    assert report.level_after.level == normal
