"""``medshield console passwd``: staff only, a hash in the file, never the password."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from medshield.cli.app import app
from medshield.errors import InputError
from medshield.web.auth import verify_password


def test_passwd_writes_a_hash(tmp_path: Path) -> None:
    target = tmp_path / "pw.yaml"
    runner = CliRunner()
    pw = "long enough password\nlong enough password\n"
    ok = runner.invoke(app, ["console", "passwd", "office-01", "--file", str(target)], input=pw)
    assert ok.exit_code == 0, ok.output
    stored = yaml.safe_load(target.read_text())
    assert verify_password("long enough password", stored["office-01"])
    assert "long enough" not in target.read_text()
    refused = runner.invoke(
        app, ["console", "passwd", "doctor-01", "--file", str(target)], input=pw
    )
    assert isinstance(refused.exception, InputError) and "not staff" in str(refused.exception)
    short = runner.invoke(app, ["console", "passwd", "supervisor-01", "--file", str(target)],
                          input="short\nshort\n")  # fmt: skip
    assert isinstance(short.exception, InputError) and "supervisor-01" not in yaml.safe_load(
        target.read_text()
    )
