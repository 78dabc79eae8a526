"""``medshield db``: the platform store."""

from __future__ import annotations

from typing import Annotated

import typer

from medshield.store import upgrade as upgrade_store

app = typer.Typer(help="The platform store (MEDSHIELD_STORE_URL; a SQLite file by default).")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="db")


@app.command("upgrade")
def upgrade(
    url: Annotated[
        str | None, typer.Option(help="Store URL; MEDSHIELD_STORE_URL when not given.")
    ] = None,
) -> None:
    """Create or migrate the platform store to the newest schema."""
    typer.echo(f"store upgraded: {upgrade_store(url)}")
