"""The fuzz tests run the command line in this process, with the CLI tests' fixture."""

from tests.cli.conftest import medshield

__all__ = ["medshield"]
