"""Every rule's fixture file: each statement with the verdict the rule must give it."""

from __future__ import annotations

from pathlib import Path

import pytest

from medshield.audit.rules import BUILTIN_RULES
from medshield.audit.sql.catalogue import ColumnFacts, SqlCatalogue, TableFacts
from medshield.audit.sql.engine import SqlAuditor
from medshield.audit.sql.templates import LearnedTemplates
from medshield.policy import load_bundle

FIXTURES = Path(__file__).parent / "fixtures"
RULES = [cls.name for cls in BUILTIN_RULES]


def _cases(rule: str) -> tuple[list[str], list[tuple[str, str, str | None]]]:
    """``learn:`` statements, and ``(flag|pass, statement, caller's institution)`` cases; an
    ``institution:`` line sets the caller's institution of the cases after it."""
    learn, cases = [], []
    institution = None
    for line in (FIXTURES / f"{rule}.sql").read_text(encoding="utf-8").splitlines():
        kind, sep, sql = line.partition(": ")
        if kind == "institution" and sep:
            institution = sql.strip()
        elif sep and kind in {"flag", "pass", "learn"}:
            (learn.append(sql) if kind == "learn" else cases.append((kind, sql, institution)))
    return learn, cases


def _catalogue() -> SqlCatalogue:
    """The synthetic HIS schema and the hub's consolidated diagnoses, ``org_code`` naming the
    institution of each row."""
    base = SqlCatalogue.from_synth()
    diagnosis = base.tables["diagnosis"]
    columns = {**diagnosis.columns, "org_code": ColumnFacts("varchar")}
    hub = TableFacts("hub_diagnosis", columns, diagnosis.indexed | {"org_code"}, 5000)
    return SqlCatalogue({**base.tables, "hub_diagnosis": hub})


def test_every_rule_has_a_fixture_file() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.sql")) == sorted(RULES)


@pytest.mark.parametrize("rule", RULES)
def test_fixture(rule: str) -> None:
    learn, cases = _cases(rule)
    templates = LearnedTemplates()
    for sql in learn:
        templates.learn(sql)
    auditor = SqlAuditor(load_bundle(), _catalogue(), templates=templates)
    assert cases, f"no cases in {rule}.sql"
    wrong = []
    for kind, sql, institution in cases:
        verdict = auditor.audit(
            sql, role="doctor", scenario="collaborative_care", institution=institution
        )
        hits = [f for f in verdict.findings if f.rule == rule]
        if (kind == "flag") != bool(hits):
            wrong.append(
                f"{kind}: {sql} ({institution}) -> {[f.evidence for f in verdict.findings]}"
            )
        if hits:  # the shipped policy never silently allows a rule
            assert verdict.action in {"alert", "deny"}
    assert not wrong, "\n".join(wrong)
