"""``federated.yaml``: approved templates, budgets, and what a malformed template is told."""

from __future__ import annotations

from pathlib import Path

import pytest

from medshield.errors import PolicyError
from medshield.policy import load_bundle
from medshield.policy.federated import BudgetDef


def test_the_default_bundle_approves_every_kind() -> None:
    federated = load_bundle().federated
    assert {t.kind for t in federated.templates} == {
        "count", "sum", "mean", "histogram", "quantile", "crosstab"
    }  # fmt: skip
    assert federated.min_nodes >= 3 and federated.committee


def test_a_budget_limit_is_per_requester() -> None:
    budget = BudgetDef(default_epsilon=2.0, requesters={"dr-li": 0.5})
    assert budget.limit("dr-li") == 0.5 and budget.limit("anyone") == 2.0


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{key: t, kind: mean, table: patient}", "needs a column"),
        ("{key: t, kind: sum, table: patient, column: age, lower: 5, upper: 5}", "upper"),
        ("{key: t, kind: crosstab, table: patient}", "dimensions"),
        ("{key: t, kind: raw_rows, table: patient}", "kind"),
        ("{key: t, kind: count, table: patient, epsilon: 0}", "epsilon"),
    ],
)
def test_a_malformed_template_is_a_policy_error(
    bundle_dir: Path, template: str, message: str
) -> None:
    (bundle_dir / "federated.yaml").write_text(f"templates:\n  - {template}\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=message) as caught:
        load_bundle(bundle_dir)
    assert "federated.yaml" in (caught.value.where or "")
