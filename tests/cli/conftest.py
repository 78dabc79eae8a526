"""The ``medshield`` entry point run in this process, for the CLI tests."""

from __future__ import annotations

import sys
from typing import Protocol

import pytest

from medshield.cli.app import main


class Medshield(Protocol):
    def __call__(self, *args: str) -> tuple[int, str, str]: ...


@pytest.fixture
def medshield(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Medshield:
    """Runs ``medshield *args``: (exit code, stdout, stderr); a normal return is exit code 0."""

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["medshield", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        out, err = capsys.readouterr()
        return code, out, err

    return run
