"""Every rule's fixture file: each statement with the verdict the rule must give it."""

from __future__ import annotations

from pathlib import Path

import pytest

from medshield.audit.rules import BUILTIN_RULES
from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.audit.sql.engine import SqlAuditor
from medshield.audit.sql.templates import LearnedTemplates
from medshield.policy import load_bundle

FIXTURES = Path(__file__).parent / "fixtures"
RULES = [cls.name for cls in BUILTIN_RULES]


def _cases(rule: str) -> tuple[list[str], list[tuple[str, str]]]:
    learn, cases = [], []
    for line in (FIXTURES / f"{rule}.sql").read_text(encoding="utf-8").splitlines():
        kind, sep, sql = line.partition(": ")
        if not sep or kind not in {"flag", "pass", "learn"}:
            continue
        (learn.append(sql) if kind == "learn" else cases.append((kind, sql)))
    return learn, cases


def test_every_rule_has_a_fixture_file() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.sql")) == sorted(RULES)


@pytest.mark.parametrize("rule", RULES)
def test_fixture(rule: str) -> None:
    learn, cases = _cases(rule)
    templates = LearnedTemplates()
    for sql in learn:
        templates.learn(sql)
    auditor = SqlAuditor(load_bundle(), SqlCatalogue.from_synth(), templates=templates)
    assert cases, f"no cases in {rule}.sql"
    wrong = []
    for kind, sql in cases:
        verdict = auditor.audit(sql, role="doctor", scenario="collaborative_care")
        hits = [f for f in verdict.findings if f.rule == rule]
        if (kind == "flag") != bool(hits):
            wrong.append(f"{kind}: {sql} -> {[f.evidence for f in verdict.findings]}")
        if hits:  # the shipped policy never silently allows a rule
            assert verdict.action in {"alert", "deny"}
    assert not wrong, "\n".join(wrong)
