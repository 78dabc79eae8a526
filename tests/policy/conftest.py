"""A writable copy of the default policy bundle, and a way to find lines in it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from medshield.policy import default_bundle_path


@pytest.fixture
def bundle_dir(tmp_path: Path) -> Path:
    """A copy of the default bundle that a test may break."""
    target = tmp_path / "bundle"
    shutil.copytree(default_bundle_path(), target)
    return target


def _line_of(file: Path, needle: str) -> int:
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {file}")


@pytest.fixture
def line_of() -> Callable[[Path, str], int]:
    """``line_of(file, needle)``: the 1-based number of the first line holding ``needle``."""
    return _line_of
