"""``medshield console``: the web console alone, and its staff passwords."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medshield.errors import InputError
from medshield.policy import load_bundle
from medshield.settings import get_settings

console_app = typer.Typer(help="The web console (管理控制台).")


def register(root: typer.Typer) -> None:
    root.add_typer(console_app, name="console")


def _passwords_file(path: Path | None) -> Path:
    from medshield.web.server import ConsoleSettings

    return path or ConsoleSettings().passwords or get_settings().home / "console-passwords.yaml"


@console_app.command("passwd")
def passwd(
    member: Annotated[str, typer.Argument(help="Member id of the policy's organisation.")],
    file: Annotated[Path | None, typer.Option("--file", help="The password file.")] = None,
    policy: Annotated[Path | None, typer.Option("--policy", help="Policy bundle folder.")] = None,
) -> None:
    """Set a staff member's console password (stored as an scrypt hash)."""
    from medshield.web.auth import staff_of, write_passwords

    if staff_of(load_bundle(policy or get_settings().policy), member) is None:
        raise InputError(f"{member!r} is not staff of the policy's organisation", where="member")
    password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise InputError("a console password has at least 10 characters", where="password")
    target = _passwords_file(file)
    write_passwords(target, {member: password})
    typer.echo(f"password of {member} set in {target}")


@console_app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8081,
) -> None:
    """Serve the console alone (``medshield serve`` mounts it under /console)."""
    import uvicorn

    uvicorn.run("medshield.web.server:console_from_settings", factory=True, host=host, port=port,
                log_level="warning", access_log=False)  # fmt: skip
