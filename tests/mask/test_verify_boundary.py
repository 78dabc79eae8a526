"""The verifier's thresholds at their boundary: exactly the policy's k (and l) passes."""

from __future__ import annotations

from typing import Any

import polars as pl

from medshield.mask.verify import verify_release
from medshield.policy import load_bundle


def _no_findings(values: list[Any], **_: Any) -> list[Any]:
    return []


def _release(group_sizes: list[int], diseases_per_group: int = 1) -> pl.DataFrame:
    rows = [
        {"age": f"{40 + 10 * g}-{49 + 10 * g}", "zd": f"病{i % diseases_per_group}"}
        for g, size in enumerate(group_sizes)
        for i in range(size)
    ]
    return pl.DataFrame(rows)


def test_k_exactly_at_the_policy_passes_and_one_below_is_refused() -> None:
    """Catches ``result.k < k`` turned into ``result.k <= k`` in ``mask/verify.py`` (a release
    at exactly the policy's k refused), and the opposite slip (one below let through)."""
    bundle = load_bundle()
    k = bundle.meta.privacy.k_anonymity
    at = verify_release(_release([k, k + 3]), bundle, quasi=["age"], detect=_no_findings)
    assert at.measure.k == k
    assert at.verified, at.reasons
    below = verify_release(_release([k - 1, k + 3]), bundle, quasi=["age"], detect=_no_findings)
    assert below.measure.k == k - 1
    assert not below.verified
    assert below.reasons == (f"k={k - 1} below the policy's k={k}",)


def test_l_exactly_at_the_policy_passes_and_one_below_is_refused() -> None:
    """Catches ``result.l < l`` turned into ``<=`` (or the opposite) in ``mask/verify.py``."""
    bundle = load_bundle()
    k, l_ = bundle.meta.privacy.k_anonymity, bundle.meta.privacy.l_diversity
    size = max(k, l_)
    at = verify_release(
        _release([size, size], l_), bundle, quasi=["age"], sensitive="zd", detect=_no_findings
    )
    assert at.measure.l == l_
    assert at.verified, at.reasons
    below = verify_release(
        _release([size, size], l_ - 1), bundle, quasi=["age"], sensitive="zd", detect=_no_findings
    )
    assert below.measure.l == l_ - 1
    assert not below.verified
    assert below.reasons == (f"l={l_ - 1} below the policy's l={l_}",)


def test_the_report_row_says_what_was_measured() -> None:
    """``VerificationReport.as_row``, what ``mask verify`` prints: each field from the report."""
    bundle = load_bundle()
    k = bundle.meta.privacy.k_anonymity
    report = verify_release(
        _release([3, k + 3]), bundle, quasi=["age"], sensitive="zd",
        elements=["DE02.01.039.00"], detect=_no_findings, table="cohort",
    )  # fmt: skip
    row = report.as_row()
    assert list(row) == [
        "table", "rows", "k", "k_required", "l", "max_risk", "avg_risk", "residuals",
        "verified", "level_before", "level_after", "reasons",
    ]  # fmt: skip
    assert (row["table"], row["rows"], row["k"], row["k_required"], row["l"]) == (
        "cohort", k + 6, 3, k, 1,
    )  # fmt: skip
    assert row["max_risk"] == 0.3333  # 1/3, to four places
    assert row["avg_risk"] == round(2 / (k + 6), 4)
    assert (row["residuals"], row["verified"]) == (0, False)
    assert (row["level_before"], row["level_after"]) == ("important", "important")
    l_ = bundle.meta.privacy.l_diversity
    assert row["reasons"] == f"k=3 below the policy's k={k}; l=1 below the policy's l={l_}"


def test_the_ledger_event_of_a_release_carries_the_verdict() -> None:
    """What ``require_release`` appends: the table, level, rows, outcome, reasons, policy
    version and the measures, for a release let through and for one refused."""
    import pytest

    from medshield.errors import ReleaseRefusedError
    from medshield.mask.verify import require_release

    bundle = load_bundle()
    k = bundle.meta.privacy.k_anonymity
    for sizes, verified in (([k, k], True), ([k - 1, k], False)):
        report = verify_release(
            _release(sizes), bundle, quasi=["age"], elements=["DE02.01.039.00"],
            detect=_no_findings, table="cohort",
        )  # fmt: skip
        appended: list[Any] = []
        if verified:
            require_release(report, actor="u1", source="hub", append=appended.extend)
        else:
            with pytest.raises(ReleaseRefusedError):
                require_release(report, actor="u1", source="hub", append=appended.extend)
        [event] = appended
        assert (event.action, event.actor) == ("mask.release", "u1")
        assert (event.object.source, event.object.table) == ("hub", "cohort")
        assert event.levels == (report.level_after.level.en,)
        assert event.rows == sum(sizes)
        assert event.outcome == ("allow" if verified else "deny")
        assert event.reasons == report.reasons
        assert event.policy_version == bundle.version
        assert event.detail == {
            "k": min(sizes), "l": None, "max_risk": 1 / min(sizes),
            "avg_risk": 2 / sum(sizes), "residuals": 0, "verified": verified,
            "released": verified, "approved_by": None, "plan": None, "quasi": [],
            "replaced": [],
        }  # fmt: skip


def test_a_release_is_recorded_by_the_masking_system_unless_someone_is_named() -> None:
    from medshield.mask.verify import require_release

    bundle = load_bundle()
    k = bundle.meta.privacy.k_anonymity
    report = verify_release(_release([k]), bundle, quasi=["age"], detect=_no_findings)
    appended: list[Any] = []
    require_release(report, append=appended.extend)
    assert [e.actor for e in appended] == ["system:mask"]
