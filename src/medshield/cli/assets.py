"""``medshield assets``: data asset management (R37) — owners, quality and use of each table."""

from __future__ import annotations

from typing import Annotated

import typer

from medshield.cli.output import Format, FormatOption, emit
from medshield.cli.risk import PolicyOption, StoreOption
from medshield.errors import UnknownNameError

app = typer.Typer(help="Data assets (数据资产): owners, quality and use of each catalogued table.")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="assets")


@app.command("report")
def report(
    sources: Annotated[
        list[str] | None,
        typer.Argument(help="Source URLs to measure quality on (catalogued sources only)."),
    ] = None,
    only_findings: Annotated[
        bool, typer.Option("--findings", help="Only assets with a finding.")
    ] = False,
    policy: PolicyOption = None,
    store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """One row per catalogued table: owner, steward, level, quality (for the SOURCES given),
    gateway and query use from the ledger, and findings."""
    from medshield.classify.scan import open_source, safe_url
    from medshield.governance.assets import catalogue_assets, record_usage
    from medshield.governance.assets_quality import measure_table
    from medshield.ledger import open_ledger
    from medshield.policy import load_bundle
    from medshield.store.db import connect, upgrade

    bundle = load_bundle(policy)
    upgrade(store)
    assets = catalogue_assets(connect(store), bundle)
    for url in sources or ():
        name = safe_url(url)
        mine = [a for a in assets if a.url == name]
        if not mine:
            raise UnknownNameError("the source is not in the catalogue: scan it first", where=name)
        engine = open_source(url)
        try:
            for asset in mine:
                asset.quality = measure_table(engine, asset.table, asset.schema, asset.columns)
        finally:
            engine.dispose()
    with open_ledger(store) as ledger:
        record_usage(assets, ledger, bundle)
    rows = [a.as_row(bundle) for a in assets if not only_findings or a.findings(bundle)]
    emit(rows, fmt, title="数据资产 data assets")
