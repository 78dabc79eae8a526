"""The ``medshield`` command: every command has help; errors are one line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from medshield import __version__
from medshield.cli.app import app

from .conftest import Medshield

MEDSHIELD = Path(sys.executable).with_name("medshield")


def _command_paths() -> list[tuple[str, ...]]:
    root = typer.main.get_command(app)
    paths: list[tuple[str, ...]] = [()]

    def walk(command: object, path: tuple[str, ...]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            paths.append((*path, name))
            walk(sub, (*path, name))

    walk(root, ())
    return paths


PATHS = _command_paths()


def test_the_foundation_commands_are_there() -> None:
    assert {("db", "upgrade"), ("policy", "check"), ("policy", "level"), ("demo",)} <= set(PATHS)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "medshield")
def test_every_command_has_help(path: tuple[str, ...], medshield: Medshield) -> None:
    code, out, err = medshield(*path, "--help")
    assert code == 0, err
    assert "Usage:" in out and "--help" in out


def test_version(medshield: Medshield) -> None:
    assert medshield("--version")[:2] == (0, f"{__version__}\n")


def test_policy_error_is_one_line_with_place(tmp_path: Path, medshield: Medshield) -> None:
    (tmp_path / "roles.yaml").write_text("roles:\n  - {id: x, zh: 甲, en: x, layer: nobody}\n")
    code, out, err = medshield("policy", "check", str(tmp_path))
    assert code == 1 and out == ""
    assert err == (
        "error[MS200]: roles.0.layer: Input should be 'committee', 'office', 'administrator',"
        " 'supervisor', 'clinician', 'researcher', 'patient' or 'service'"
        f" ({tmp_path / 'roles.yaml'}:2)\n"
    )


def test_unknown_element_is_an_input_error(medshield: Medshield) -> None:
    code, _, err = medshield("policy", "level", "DE99.99.999.99")
    assert code == 1
    assert err.startswith("error[MS301]: unknown data element 'DE99.99.999.99'")


def test_usage_error_exits_2_without_traceback(medshield: Medshield) -> None:
    code, out, err = medshield("policy", "check", "--no-such-option")
    assert code == 2
    assert "No such option" in err and "Traceback" not in out + err


def test_policy_level_reports_json(medshield: Medshield) -> None:
    args = ("policy", "level", "DE02.01.039.00", "--form", "masked", "--verified")
    code, out, _ = medshield(*args, "--format", "jsonl")
    assert code == 0
    assert '"level": "sensitive"' in out and '"级别": "敏感级"' in out


def test_installed_entry_point_prints_error_and_exits_non_zero(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "bundle.yaml").write_text("name: a\nname: b\n", encoding="utf-8")
    done = subprocess.run(
        [str(MEDSHIELD), "policy", "check", str(bundle)],
        capture_output=True,
        text=True,
        env={**os.environ, "MEDSHIELD_HOME": str(tmp_path / "home")},
        timeout=300,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == f"error[MS200]: duplicated key 'name' ({bundle / 'bundle.yaml'}:2)\n"


def test_a_piped_table_is_not_cut_at_80_columns(capsys: pytest.CaptureFixture[str]) -> None:
    from medshield.cli.output import Format, emit

    long = "很长的原因" * 30
    emit([{"column": "xm", "reason": long}], Format.TABLE)
    out = capsys.readouterr().out
    assert long in out and max(len(line) for line in out.splitlines()) > 80
