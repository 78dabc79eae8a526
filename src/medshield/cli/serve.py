"""``medshield serve``: the gateway under uvicorn."""

from __future__ import annotations

import os
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
    ) -> None:
        """Serve the data-service gateway: APIs, consent, patient view, admin API."""
        import uvicorn

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
