"""``medshield mask``: the masking dictionary (``mask dict ...``); static masking adds its
commands to the same ``app`` from its own module."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine
from typer._click import Context
from typer.core import TyperGroup

from medshield.cli.output import Format, FormatOption, emit
from medshield.policy.context import Form


class _RunByDefault(TyperGroup):
    """``medshield mask SOURCE TARGET ...`` is ``medshield mask run SOURCE TARGET ...``."""

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["run", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_RunByDefault,
    help="Masking: static masking jobs (medshield mask SOURCE TARGET --scenario S), the masking "
    "dictionary and keys (数据脱敏).",
)
dict_app = typer.Typer(
    help="The masking dictionary: term codes and generic drug names, in batches."
)
app.add_typer(dict_app, name="dict")

StoreOption = Annotated[
    str | None, typer.Option("--store", help="Platform store URL; the configured store when unset.")
]


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="mask")


def _engine(store: str | None) -> Engine:
    from medshield.store.db import connect, upgrade

    upgrade(store)
    return connect(store)


@dict_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV with columns kind,term,code (UTF-8).")],
    approval: Annotated[
        int, typer.Option("--approval", help="The approved dictionary_batch request naming it.")
    ],
    store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Import FILE as the next dictionary batch under an approved request (recorded in the
    ledger with the request id); refused when no approval covers exactly this file."""
    from medshield.governance.gates import import_approved_batch
    from medshield.ledger import open_ledger

    engine = _engine(store)
    with open_ledger(store) as ledger:
        info = import_approved_batch(ledger, file, approval, engine=engine)
    emit([_row(info)], fmt, title="dictionary batch imported")


@dict_app.command("digest")
def digest(
    file: Annotated[Path, typer.Argument(help="CSV with columns kind,term,code (UTF-8).")],
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The digest of FILE's entries, which a dictionary_batch approval request names."""
    from medshield.governance.gates import batch_digest

    emit([{"file": file.name, "digest": batch_digest(file)}], fmt)


@dict_app.command("list")
def list_(store: StoreOption = None, fmt: FormatOption = Format.TABLE) -> None:
    """The dictionary batches: batch 0 is the starter dictionary shipped in the package."""
    from medshield.mask.dictionary import starter_dictionary
    from medshield.mask.dictionary_store import list_batches

    starter = starter_dictionary()
    rows: list[dict[str, object]] = [
        {
            "batch": 0,
            "approved_by": "(shipped)",
            "reason": "starter dictionary",
            "at": "",
            "source": "medshield",
            "entries": len(starter.terms) + len(starter.drugs),
            "digest": "",
        }
    ]
    rows += [_row(b) for b in list_batches(_engine(store))]
    emit(rows, fmt, title="masking dictionary batches")


@dict_app.command("show")
def show(
    batch: Annotated[int, typer.Argument(help="The batch number (0: the starter dictionary).")],
    store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """The entries of one batch (batch 0: the curated abbreviations and brand names)."""
    from medshield.mask.dictionary import curated_entries
    from medshield.mask.dictionary_store import batch_entries

    engine = (
        _engine(store) if store is not None or batch != 0 else None
    )  # a given --store is checked
    entries = curated_entries() if batch == 0 else batch_entries(batch, engine)
    rows = [{"kind": k, "term": t, "code": c or "(removed)"} for k, t, c in entries]
    emit(rows, fmt, title=f"dictionary batch {batch}")


def _row(info: object) -> dict[str, object]:
    from dataclasses import asdict

    row = asdict(info)  # type: ignore[call-overload]
    row["at"] = row["at"].isoformat(timespec="seconds")
    return dict(row)


@app.command("plan")
def plan(
    columns: Annotated[
        list[str],
        typer.Argument(help="A catalogued SOURCE (its URL), or COLUMN=ELEMENT pairs of one table."),
    ],
    role: Annotated[str, typer.Option("--role", help="The caller's role (required).")],
    scenario: Annotated[str | None, typer.Option(help="The scenario of use.")] = None,
    form: Annotated[Form, typer.Option(help="raw, or aggregated for statistics only.")] = Form.RAW,
    policy: Annotated[Path | None, typer.Option("--policy", help="Policy bundle folder.")] = None,
    store: StoreOption = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Which operator masks each column for ROLE in SCENARIO, and why; for a whole SOURCE,
    every table and column with its join group, as ``mask run`` would mask it."""
    from medshield.mask.plan import plan_for
    from medshield.policy import Stage, UseContext, grant_masking, load_bundle
    from medshield.settings import get_settings

    bundle = load_bundle(policy or get_settings().policy)
    if len(columns) == 1 and "=" not in columns[0]:
        from medshield.mask.engine.planning import source_plans

        use = UseContext(form=Form.MASKED, stage=Stage.SHARE, role=role, scenario=scenario)
        plans = source_plans(columns[0], bundle, use, store=_engine(store))
        rows = [{"table": t, **row} for t, p in plans.items() for row in p.rows()]
        emit(rows, fmt, title=f"masking plan of {columns[0]} (policy {bundle.short_version})")
        return
    grant = grant_masking(bundle, UseContext(form=form, role=role, scenario=scenario))
    result = plan_for(_pairs(columns), grant, bundle)
    emit(result.rows(), fmt, title=f"masking plan (policy {bundle.short_version})")


keys_app = typer.Typer(help="The masking key ring (keys/masking.json in MEDSHIELD_HOME).")
app.add_typer(keys_app, name="keys")


@keys_app.command("list")
def keys_list(fmt: FormatOption = Format.TABLE) -> None:
    """Key ids of the ring and which one is active (never the secrets)."""
    from medshield.mask.keys import load_key_ring

    ring = load_key_ring()
    rows = [{"key_id": k, "active": k == ring.active} for k in ring.keys]
    emit(rows, fmt, title="masking keys")


@keys_app.command("rotate")
def keys_rotate(
    key_id: Annotated[str | None, typer.Option("--key-id", help="Id of the new key.")] = None,
    actor: Annotated[str, typer.Option("--actor", help="Who rotates the key.")] = "cli",
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Add a fresh key and make it active; old keys stay so their pseudonyms still resolve."""
    from medshield.ledger import Event, open_ledger
    from medshield.mask.keys import load_key_ring, save_key_ring

    ring = load_key_ring()
    new = ring.rotate(key_id)
    save_key_ring(ring)
    ledger = open_ledger()
    try:
        detail = {"key_id": new, "keys": len(ring.keys)}
        ledger.append(Event(action="mask.keys.rotate", actor=actor, detail=detail))
    finally:
        ledger.close()
    emit([{"key_id": new, "active": True, "keys": len(ring.keys)}], fmt, title="key rotated")


def _pairs(pairs: list[str]) -> dict[str, str | None]:
    from medshield.errors import InputError

    table: dict[str, str | None] = {}
    for pair in pairs:
        column, sep, element = pair.partition("=")
        if not sep or not column:
            raise InputError(f"expected COLUMN=ELEMENT, got {pair!r}")
        table[column] = element or None
    return table


@app.command("stats")
def stats(
    file: Annotated[Path, typer.Argument(help="A CSV (UTF-8, header) or Parquet file.")],
    columns: Annotated[
        list[str], typer.Option("--column", help="COLUMN=ELEMENT of a group column (repeat).")
    ],
    measure: Annotated[list[str], typer.Option("--measure", help="A numeric column (repeat).")],
    role: Annotated[str, typer.Option("--role", help="The caller's role (required).")],
    scenario: Annotated[str | None, typer.Option(help="The scenario of use.")] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="Policy bundle folder.")] = None,
    fmt: FormatOption = Format.TABLE,
) -> None:
    """Statistics only (R22): count, mean, min, max, sum per masked group; small groups hidden."""
    import polars as pl

    from medshield.datafiles import check_size, check_table_file
    from medshield.errors import InputError
    from medshield.mask.aggregate import aggregate_release
    from medshield.mask.release import release_context
    from medshield.policy import UseContext, load_bundle

    check_table_file(file)
    check_size(file)  # read whole, not streamed
    try:
        frame = pl.read_parquet(file) if file.suffix == ".parquet" else pl.read_csv(file)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InputError(
            f"cannot read the data: {exc.__class__.__name__}", where=str(file)
        ) from None
    table = _pairs(columns)
    bundle = load_bundle(policy)
    result = aggregate_release(
        frame,
        table,
        group_by=list(table),
        measures=measure,
        context=UseContext(role=role, scenario=scenario),
        bundle=bundle,
        mask_context=release_context(bundle),
    )
    title = f"statistics; {result.suppressed_groups} group(s) under {result.min_group} hidden"
    emit(result.table.to_dicts(), fmt, title=title)
