"""``medshield policy``: check a policy bundle and explain levels."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medshield.cli.output import Format, FormatOption, emit
from medshield.policy import Form, Scope, Stage, UseContext, effective_level, load_bundle

app = typer.Typer(help="Policy bundles: validate, and explain the level of data in a context.")

PolicyOption = Annotated[Path | None, typer.Option("--policy", help="Policy bundle folder.")]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="policy")


@app.command("check")
def check(
    folder: Annotated[Path, typer.Argument(help="The bundle folder (a folder of YAML files).")],
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Validate a policy bundle; print its version and what it holds."""
    bundle = load_bundle(folder)
    row = {
        "bundle": bundle.meta.name,
        "version": bundle.version,
        "elements": len(bundle.catalogue),
        "institutions": len(bundle.institutions),
        "roles": len(bundle.roles),
        "level_rules": len(bundle.levels.rules),
        "masking_rules": len(bundle.masking.rules),
        "audit_rules": len(bundle.audit.rules),
        "apis": len(bundle.apis),
        "columns": len(bundle.columns),
    }
    emit([row], fmt, title="policy OK")


@app.command("level")
def level(
    elements: Annotated[list[str], typer.Argument(help="Data-element codes present in the data.")],
    form: Annotated[
        Form, typer.Option(help="raw, masked, pseudonymised or aggregated.")
    ] = Form.RAW,
    stage: Annotated[Stage, typer.Option(help="Lifecycle stage.")] = Stage.STORE,
    scope: Annotated[
        Scope, typer.Option(help="institution, alliance or public.")
    ] = Scope.INSTITUTION,
    verified: Annotated[bool, typer.Option(help="The masked output passed verification.")] = False,
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Explain the effective level of data holding ELEMENTS in a context, with its trace."""
    bundle = load_bundle(policy)
    ctx = UseContext(form=form, stage=stage, scope=scope, verified=verified)
    result = effective_level(bundle, elements, ctx)
    row = {
        "level": result.level.en,
        "级别": result.level.zh,
        "trace": result.trace,
        "policy_version": result.policy_version,
    }
    emit([row], fmt)
