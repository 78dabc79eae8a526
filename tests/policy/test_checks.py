"""The checks capabilities add to loading a bundle run without anyone importing them first."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from medshield.errors import PolicyError
from medshield.policy import checks
from medshield.policy.bundle import bundle_checks


def test_the_policy_and_masking_checks_are_found_policy_first() -> None:
    assert checks.check_modules()[0] == "medshield.policy.bundle_checks"
    assert "medshield.mask.bundle_checks" in checks.check_modules()
    names = bundle_checks().names()
    assert names[0] == "references"
    assert "masking" in names


def test_a_fresh_process_that_imports_only_the_policy_still_checks_masking(
    bundle_dir: Path,
) -> None:
    """No caller registers the masking check: ``load_bundle`` finds it by itself."""
    (bundle_dir / "masking.yaml").write_text("rules:\n  - name: r1\n    operator: blur\n")
    code = textwrap.dedent(
        f"""
        import sys
        from medshield.errors import PolicyReferenceError
        from medshield.policy.bundle import load_bundle
        assert not any(m.startswith("medshield.mask") for m in sys.modules)
        try:
            load_bundle({str(bundle_dir)!r})
        except PolicyReferenceError as exc:
            print(exc.code, exc.where)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("MS")
    assert out.stdout.strip().endswith("masking.yaml:3")


def test_a_check_module_that_cannot_load_fails_the_load(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Fail closed: a broken check module is an error, never a skipped check."""
    (tmp_path / "broken_checks.py").write_text("raise RuntimeError('half installed')\n")
    (tmp_path / "empty_checks.py").write_text("BUNDLE_CHECKS = ()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(checks, "check_modules", lambda: ["broken_checks"])
    with pytest.raises(PolicyError, match="half installed"):
        checks.contributed_checks()
    monkeypatch.setattr(checks, "check_modules", lambda: ["empty_checks"])
    with pytest.raises(PolicyError, match="declares no BUNDLE_CHECKS"):
        checks.contributed_checks()
