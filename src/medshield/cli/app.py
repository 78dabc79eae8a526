"""The root of the ``medshield`` command. Each capability adds its sub-command module here."""

from __future__ import annotations

import os
import sys

import typer
from typer._click.exceptions import ClickException

from medshield import __version__
from medshield.cli import (  # one line a capability, in name order
    alert,
    assets,
    audit,
    catalog,
    console,
    db,
    demo,
    destroy,
    detect,
    federated,
    governance,
    incident,
    ledger,
    ledger_check,
    lineage,
    mask,
    mask_run,
    policy,
    probe,
    query,
    report,
    risk,
    serve,
    share,
    synth,
)
from medshield.cli.failures import coded
from medshield.errors import InputError, MedshieldError

app = typer.Typer(
    name="medshield",
    help="Data-security platform of a medical alliance's data hub (医联体数据安全平台).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# One line a capability: a module with a ``register(app)`` function. The order is the order of
# ``medshield --help``.
COMMANDS = (
    db,
    demo,
    policy,
    synth,
    lineage,
    destroy,
    ledger_check,
    ledger,
    catalog,
    assets,
    mask,
    mask_run,
    detect,
    federated,
    serve,
    console,
    risk,
    governance,
    incident,
    share,
    audit,
    query,
    report,
    alert,
    probe,
)

for module in COMMANDS:
    module.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", help="Print the version and exit.", is_eager=True, callback=_version
    ),
) -> None:
    pass


def _check_arguments(arguments: list[str]) -> None:
    """Every argument is text: bytes that were not UTF-8 arrive as lone surrogates."""
    for number, argument in enumerate(arguments, start=1):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            raise InputError(
                "an argument is not valid UTF-8 text", where=f"argument {number}"
            ) from None


def main() -> None:
    """Entry point: errors print ``error[CODE]: message (where)``, never a traceback."""
    try:
        _check_arguments(sys.argv[1:])
        code = app(standalone_mode=False)  # a command's typer.Exit(N) comes back as N here
        if isinstance(code, int) and not isinstance(code, bool) and code != 0:
            sys.exit(code)
    except MedshieldError as exc:
        typer.echo(exc.render(), err=True)
        sys.exit(1)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("error[MS001]: aborted", err=True)
        sys.exit(130)
    except ClickException as exc:  # usage errors: the command line itself is wrong
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("error[MS001]: interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last guard: no traceback reaches a user
        if os.environ.get("MEDSHIELD_DEBUG"):
            raise
        known = coded(exc)
        if known is not None:
            typer.echo(known.render(), err=True)
            sys.exit(1)
        typer.echo(f"error[MS000]: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(70)
