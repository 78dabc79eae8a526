"""``medshield serve``: the gateway under uvicorn."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
        sources: Annotated[
            Path | None,
            typer.Option(help="Synthetic alliance folder naming the sources."),
        ] = None,
        workers: Annotated[
            int, typer.Option(help="Worker processes (they share state through Redis).")
        ] = 1,
        demo: Annotated[
            Path | None,
            typer.Option(help="Serve the data `make demo` left in this folder (demo-alliance)."),
        ] = None,
    ) -> None:
        """Serve the data-service gateway (APIs, consent, patient view, admin API) and the web
        console under /console."""
        import uvicorn

        if demo is not None:
            os.environ.update(demo_settings(demo.resolve()))
        if sources is not None:
            os.environ["MEDSHIELD_GATEWAY_SOURCES"] = str(sources.resolve())
        uvicorn.run(
            "medshield.gateway.server:app_from_settings",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            access_log=False,
            proxy_headers=False,  # the gateway reads X-Forwarded-For itself, from trusted proxies
        )


def demo_settings(folder: Path) -> dict[str, str]:
    """The settings that point the gateway and the console at a demo folder's files."""
    return {
        "MEDSHIELD_GATEWAY_SOURCES": str(folder / "alliance"),
        "MEDSHIELD_STORE_URL": f"sqlite:///{folder / 'gateway-store.db'}",
        "MEDSHIELD_CONSOLE_CATALOG": f"sqlite:///{folder / 'catalog.db'}",
        "MEDSHIELD_CONSOLE_LEDGER": f"sqlite:///{folder / 'ledger.db'}",
        "MEDSHIELD_CONSOLE_PASSWORDS": str(folder / "console-passwords.yaml"),
        "MEDSHIELD_CONSOLE_REPORTS": str(folder / "reports"),
        # A demo's SMS codes live as long as its server: a fresh key unless one is set.
        "MEDSHIELD_GATEWAY_CODE_SECRET": os.environ.get("MEDSHIELD_GATEWAY_CODE_SECRET")
        or secrets.token_hex(32),
    }
