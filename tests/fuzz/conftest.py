"""The fuzz tests run the command line in this process, with the CLI tests' fixture."""

import sys

import pytest
from tests.cli.conftest import medshield

__all__ = ["medshield"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """How many examples the fuzzer ran, and how long they took."""
    harness = next(  # imported as fuzz.test_fuzz_cli or tests.fuzz.test_fuzz_cli
        (m for name, m in list(sys.modules.items()) if name.endswith("fuzz.test_fuzz_cli")), None
    )
    run = getattr(harness, "RUN", None)
    if run is not None and run.count:
        terminalreporter.write_line(
            f"fuzz: {run.count} examples (budget {harness.TOTAL}) over {len(harness.COMMANDS)} "
            "commands in "
            f"{run.last - run.first:.0f} s ({run.seconds:.0f} s inside the commands)"
        )
