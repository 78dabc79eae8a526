from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from medshield.audit.sql.catalogue import SqlCatalogue
from medshield.audit.sql.engine import SqlAuditor
from medshield.audit.sql.stream import audit_lines
from medshield.audit.sql.templates import LearnedTemplates
from medshield.errors import AuditError, PolicyError, PolicyReferenceError, UnknownNameError
from medshield.policy import default_bundle_path, load_bundle

CATALOGUE = SqlCatalogue.from_synth()


def _bundle(tmp_path: Path, rules: str) -> object:
    folder = tmp_path / "policy"
    shutil.copytree(default_bundle_path(), folder)
    audit = folder / "audit.yaml"
    text = audit.read_text(encoding="utf-8")
    audit.write_text(text.replace("rules:\n", "rules:\n" + rules, 1), encoding="utf-8")
    return load_bundle(folder)


def test_actions_follow_role_and_scenario() -> None:
    auditor = SqlAuditor(load_bundle(), CATALOGUE)
    sql = "SELECT id_no FROM patient WHERE patient_id = 1"
    doctor = auditor.audit(sql, role="doctor", scenario="collaborative_care")
    admin = auditor.audit(sql, role="security_admin", scenario="security_operations")
    assert doctor.action == admin.action == "alert"
    assert doctor.findings[0].severity == "medium"


def test_a_rule_set_to_allow_for_one_role_only(tmp_path: Path) -> None:
    rule = "  - {rule: sql_injection, action: allow, roles: [security_admin]}\n"
    auditor = SqlAuditor(_bundle(tmp_path, rule), CATALOGUE)  # type: ignore[arg-type]
    sql = "SELECT dept_name FROM department WHERE dept_id = 1 OR 1=1"
    assert auditor.audit(sql, role="security_admin").action == "allow"
    assert auditor.audit(sql, role="doctor").action == "deny"


def test_parse_errors_cannot_be_allowed(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, "  - {rule: parse_error, action: allow}\n")
    with pytest.raises(PolicyError, match="fails closed"):
        SqlAuditor(bundle, CATALOGUE)  # type: ignore[arg-type]


def test_unknown_roles_in_audit_rules_are_errors(tmp_path: Path) -> None:
    rule = "  - {rule: sql_injection, action: alert, roles: [nobody]}\n"
    with pytest.raises(PolicyReferenceError, match="nobody"):
        SqlAuditor(_bundle(tmp_path, rule), CATALOGUE)  # type: ignore[arg-type]


def test_unknown_rules_and_params_are_errors(tmp_path: Path) -> None:
    with pytest.raises(UnknownNameError):
        SqlAuditor(_bundle(tmp_path / "a", "  - {rule: no_such_rule}\n"), CATALOGUE)  # type: ignore[arg-type]
    bad = "  - {rule: high_risk, params: {bulk_rows: -1}}\n"
    with pytest.raises(PolicyError, match="bulk_rows"):
        SqlAuditor(_bundle(tmp_path / "b", bad), CATALOGUE)  # type: ignore[arg-type]


def test_streaming_is_lazy() -> None:
    """An endless log yields records as it goes: nothing reads ahead."""
    auditor = SqlAuditor(load_bundle(), CATALOGUE)
    endless = (f"SELECT dept_name FROM department WHERE dept_id = {i}" for i in itertools.count())
    first = list(itertools.islice(audit_lines(endless, auditor), 1000))
    assert [n for n, _, _ in first] == list(range(1, 1001))
    assert len(auditor.analyser._cache) == 1  # one template, analysed once


def test_a_kept_analysis_is_parsed_again_for_another_institution() -> None:
    """The analysis kept per fingerprint has no parse trees; the rules of a caller at another
    institution read them from the statement analysed again, and judge as a fresh auditor."""
    sql = "SELECT icd_code, diag_name FROM ms_his_h2.diagnosis WHERE visit_id = 7"
    auditor = SqlAuditor(load_bundle(), CATALOGUE)
    first = auditor.audit(sql, institution="h2")
    kept = auditor.analyser.analyse(sql)
    assert not kept.has_trees and kept.kept is kept and first.analysis is kept
    with pytest.raises(AuditError, match="no parse trees"):
        _ = kept.statements[0].tree
    other = auditor.audit(sql, institution="h1")
    fresh = SqlAuditor(load_bundle(), CATALOGUE).audit(sql, institution="h1")
    assert other.findings == fresh.findings
    assert "institution h2" in " ".join(f.evidence for f in other.findings)
    assert not any("institution" in f.evidence for f in first.findings)


def test_templates_file(tmp_path: Path) -> None:
    templates = LearnedTemplates()
    templates.learn("SELECT name FROM patient WHERE patient_id = 5")
    path = tmp_path / "t.txt"
    templates.save(path)
    again = LearnedTemplates.load(path)
    assert "select name from patient where patient_id = ?" in again and len(again) == 1
    assert again.slot_match("select name from patient where patient_id = ? or ?=?")
    assert again.slot_match("select dept_name from department") is None
    with pytest.raises(AuditError):
        LearnedTemplates.load(tmp_path / "missing.txt")


def test_catalogue_mapping_errors() -> None:
    with pytest.raises(AuditError, match="malformed catalogue"):
        SqlCatalogue.from_mapping({"tables": {"t": {"columns": {"a": {"level": "极高"}}}}})
    with pytest.raises(AuditError):
        SqlCatalogue.from_mapping({"nothing": 1})


def test_a_verdict_allows_only_a_known_yes() -> None:
    """Fail closed: a verdict whose action is neither allow nor alert does not allow."""
    from dataclasses import replace

    auditor = SqlAuditor(load_bundle(), CATALOGUE)
    verdict = auditor.audit("SELECT 1", role="doctor", scenario="collaborative_care")
    assert replace(verdict, action="allow").allowed and replace(verdict, action="alert").allowed
    for action in ("deny", "", "ALLOW", "unknown"):
        assert not replace(verdict, action=action).allowed
