"""``medshield share``: encrypted packages (加密文件共享): keygen, pack, open, inspect, trace, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medshield import atomic
from medshield.cli.output import Format, FormatOption, emit
from medshield.cli.risk import ActorOption, PolicyOption, StoreOption
from medshield.datafiles import read_whole
from medshield.errors import InputError
from medshield.ledger import open_ledger
from medshield.policy import load_bundle
from medshield.share import (
    describe,
    export_to_media,
    generate_keypair,
    open_file,
    pack_file,
    trace_file,
)

app = typer.Typer(help="Encrypted file sharing (加密文件共享): packages per recipient, watermarks.")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="share")


@app.command("keygen")
def keygen(
    recipient: Annotated[str, typer.Argument(help="Recipient id, e.g. h2-office.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for RECIPIENT.key and RECIPIENT.pub.")],
) -> None:
    """Make a recipient's X25519 key pair (the private key is written 0600)."""
    key, pub = generate_keypair(out, recipient)
    typer.echo(f"{key}\n{pub}")


def _recipients(pairs: list[str]) -> dict[str, Path]:
    found = {}
    for pair in pairs:
        rid, sep, path = pair.partition("=")
        if not sep or not rid or not path:
            raise InputError(f"expected RECIPIENT=PUBLIC_KEY_FILE, got {pair!r}", where="--to")
        found[rid] = Path(path)
    return found


@app.command("pack")
def pack_cmd(
    source: Annotated[Path, typer.Argument(help="File to share (a CSV, XLSX or PDF gets each recipient's watermark).")],
    to: Annotated[list[str], typer.Option("--to", help="RECIPIENT=PUBLIC_KEY_FILE (repeatable).")],
    out: Annotated[Path, typer.Option("--out", help="Package file to write.")],
    actor: ActorOption,
    days: Annotated[int, typer.Option(help="Days until the package expires.")] = 7,
    policy: PolicyOption = None, store: StoreOption = None, fmt: FormatOption = Format.TABLE,
) -> None:  # fmt: skip
    """Seal a file for its recipients."""
    if not source.is_file():
        raise InputError("no such file", where=str(source))
    with open_ledger(store) as ledger:
        info = pack_file(
            ledger, load_bundle(policy), actor, source, _recipients(to), out, days=days
        )
    emit([info], fmt)


@app.command("open")
def open_cmd(
    package: Annotated[Path, typer.Argument(help="Package file.")],
    key: Annotated[Path, typer.Option("--key", help="The recipient's private key file.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the content.")],
    actor: ActorOption,
    store: StoreOption = None,
) -> None:
    """Open a package (checked and recorded, refused with a code when anything is wrong)."""
    with open_ledger(store) as ledger:
        opened = open_file(ledger, actor, package, key)
    atomic.write_bytes(out, opened.content)
    typer.echo(f"{opened.filename} for {opened.recipient} -> {out}")


@app.command("inspect")
def inspect_cmd(
    package: Annotated[Path, typer.Argument(help="Package file.")], fmt: FormatOption = Format.TABLE
) -> None:
    """What a package says about itself, after checking its form and digest (no key needed)."""
    if not package.is_file():
        raise InputError("no such file", where=str(package))
    info = describe(read_whole(package))
    emit(
        [{"field": k, "value": v} for k, v in info.items()] if fmt is Format.TABLE else [info], fmt
    )


@app.command("trace")
def trace_cmd(
    leaked: Annotated[Path, typer.Argument(help="A leaked CSV.")],
    actor: ActorOption, store: StoreOption = None, fmt: FormatOption = Format.TABLE,
) -> None:  # fmt: skip
    """Name the recipient whose watermark a leaked CSV, XLSX or PDF carries."""
    with open_ledger(store) as ledger:
        verdict = trace_file(ledger, actor, leaked)
    emit([verdict.as_row()], fmt, title="水印溯源 watermark trace")


@app.command("export")
def export_cmd(
    package: Annotated[Path, typer.Argument(help="Package to copy.")],
    media: Annotated[Path, typer.Option("--to", help="Mount folder of the removable medium.")],
    actor: ActorOption, policy: PolicyOption = None, store: StoreOption = None,
) -> None:  # fmt: skip
    """Copy to removable media: only encrypted packages are allowed."""
    with open_ledger(store) as ledger:
        target = export_to_media(ledger, load_bundle(policy), actor, package, media)
    typer.echo(str(target))
