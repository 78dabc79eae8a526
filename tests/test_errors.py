"""The error tree: unique codes, drawn in the module docstring, listed in docs/errors.md."""

from __future__ import annotations

from pathlib import Path

import pytest

import medshield.errors as errors_module
from medshield.errors import MedshieldError, PolicyError, UnknownNameError

PAGE = Path(__file__).resolve().parents[1] / "docs" / "errors.md"


def _all_errors() -> list[type[MedshieldError]]:
    found: list[type[MedshieldError]] = []
    pending: list[type[MedshieldError]] = [MedshieldError]
    while pending:
        cls = pending.pop()
        if cls.__module__ == "medshield.errors":
            found.append(cls)
        pending.extend(cls.__subclasses__())
    return found


ERRORS = _all_errors()


def test_codes_are_unique() -> None:
    codes = [cls.code for cls in ERRORS]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("cls", ERRORS, ids=lambda c: c.__name__)
def test_each_error_is_in_the_docstring_tree_and_the_docs(cls: type[MedshieldError]) -> None:
    tree = errors_module.__doc__ or ""
    assert any(
        cls.__name__ in line.split() and cls.code in line.split() and str(cls.http_status) in line
        for line in tree.splitlines()
    ), f"{cls.__name__} missing from the docstring of medshield/errors.py"
    row = f"| `{cls.code}` | `{cls.__name__}` | {cls.http_status} |"
    assert row in PAGE.read_text(encoding="utf-8"), f"{row} missing from docs/errors.md"


def test_render_and_dict() -> None:
    exc = PolicyError("bad thing", where="p/roles.yaml:3")
    assert exc.render() == "error[MS200]: bad thing (p/roles.yaml:3)"
    assert UnknownNameError("x").render() == "error[MS301]: x"
    assert exc.to_dict() == {
        "code": "MS200",
        "status": 422,
        "message": "bad thing",
        "where": "p/roles.yaml:3",
    }


def test_every_code_on_the_page_exists() -> None:
    """No stale code in docs/errors.md: each one is a class here (MS001 is the CLI's abort)."""
    import re

    known = {cls.code for cls in ERRORS} | {"MS001"}
    listed = set(re.findall(r"\bMS\d{3}\b", PAGE.read_text(encoding="utf-8")))
    assert listed - known == set()


def test_the_page_shows_an_example_of_each_new_input_code() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for code in ("MS302", "MS303", "MS304", "MS402", "MS403", "MS404", "MS405", "MS406", "MS503"):
        assert f"| `{code}` | `medshield" in text or f"`error[{code}]:" in text, code
