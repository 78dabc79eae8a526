"""``medshield policy``: check a policy bundle, explain levels, list what it holds."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from medshield.cli.output import Format, FormatOption, emit
from medshield.elements.categories import SCENARIOS
from medshield.policy import (
    Form,
    PolicyBundle,
    Scope,
    Stage,
    UseContext,
    effective_level,
    load_bundle,
)

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


class Listing(StrEnum):
    ROLES = "roles"
    SCENARIOS = "scenarios"
    ELEMENTS = "elements"


@app.command("show")
def show(
    what: Annotated[Listing, typer.Argument(help="roles, scenarios or elements.")],
    policy: PolicyOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """List the roles, scenarios or data elements the policy holds."""
    bundle = load_bundle(policy)
    emit(_listing(bundle, what), fmt, title=f"{what.value} (policy {bundle.short_version})")


def _listing(bundle: PolicyBundle, what: Listing) -> list[dict[str, object]]:
    if what is Listing.ROLES:
        return [
            {
                "role": r.id,
                "名称": r.zh,
                "name": r.en,
                "layer": r.layer,
                "max_level": r.max_level.en,
                "scenarios": ", ".join(r.scenarios) or "(all)",
            }
            for r in bundle.roles
        ]
    if what is Listing.SCENARIOS:
        granted = {
            key: ", ".join(r.id for r in bundle.roles if not r.scenarios or key in r.scenarios)
            for key in bundle.scenario_keys
        }
        names = {sc.key: (sc.zh, sc.en) for sc in SCENARIOS}
        names |= {sc.key: (sc.zh, sc.en) for sc in bundle.scenarios}
        return [
            {"scenario": key, "名称": names[key][0], "name": names[key][1], "roles": granted[key]}
            for key in sorted(bundle.scenario_keys)
        ]
    return [
        {
            "element": e.code,
            "名称": e.zh,
            "name": e.en,
            "category": e.category,
            "level": e.level.en,
            "identifier": e.identifier,
            "masking": e.masking,
        }
        for e in bundle.catalogue.values()
    ]
