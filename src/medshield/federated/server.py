"""A node's HTTPS server: mutual TLS, the hub's certificate only, JSON in and out."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from medshield import atomic
from medshield.errors import AccessDeniedError, InputError, MedshieldError
from medshield.federated.config import URL_FILE, NodeConfig
from medshield.federated.messages import (
    PsiBlindRequest,
    PsiFinishRequest,
    PsiReblindRequest,
    QueryRequest,
)
from medshield.federated.node import Node
from medshield.federated.tls import HUB, common_name, server_context

MAX_BODY = 64 * 1024 * 1024


def routes(node: Node) -> dict[str, tuple[type[BaseModel], Callable[[Any], BaseModel]]]:
    return {
        "/v1/query": (QueryRequest, node.answer),
        "/v1/psi/blind": (PsiBlindRequest, node.psi_blind),
        "/v1/psi/reblind": (PsiReblindRequest, node.psi_reblind),
        "/v1/psi/finish": (PsiFinishRequest, node.psi_finish),
    }


class _Handler(BaseHTTPRequestHandler):
    node: Node
    server_version = "medshield-node"

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        if self.path != "/v1/health":
            self._send(404, {"error": InputError("no such path").to_dict()})
            return
        self._send(200, {"node": self.node.config.id, "ok": True})

    def do_POST(self) -> None:  # noqa: N802
        peer = common_name(self.connection.getpeercert())  # type: ignore[attr-defined]
        try:
            call, request = self._parse(peer)
        except MedshieldError as exc:  # refused before any data was touched: still recorded
            self.node.refused(self.path, peer or "unknown", exc)
            self._send(exc.http_status, {"error": exc.to_dict()})
            return
        try:
            self._send(200, json.loads(call(request).model_dump_json()))
        except MedshieldError as exc:
            self._send(exc.http_status, {"error": exc.to_dict()})

    def _parse(self, peer: str | None) -> tuple[Callable[[Any], BaseModel], BaseModel]:
        if peer != HUB:
            raise AccessDeniedError("only the hub may query a node")
        route = routes(self.node).get(self.path)
        if route is None:
            raise InputError(f"no such path {self.path!r}")
        model, call = route
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 < length <= MAX_BODY:
            raise InputError("missing or oversized body")
        try:
            return call, model.model_validate_json(self.rfile.read(length))
        except ValidationError as exc:
            raise InputError(f"malformed request: {exc.errors()[0]['msg']}") from None

    def _send(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # every answer is in the node's ledger


def serve(node: Node, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A server bound to ``host:port`` (0: any free port), not yet serving."""
    handler = type("NodeHandler", (_Handler,), {"node": node})
    server = ThreadingHTTPServer((host, port), handler)
    c = node.config
    server.socket = server_context(c.cert, c.key, c.ca).wrap_socket(server.socket, server_side=True)
    server.daemon_threads = True
    return server


def run(node: Node, host: str, port: int, url_file: Path | None = None) -> None:
    """Serve until interrupted; the first line printed is the node's URL (also in ``url_file``)."""
    server = serve(node, host, port)
    url = f"https://{host}:{server.server_address[1]}"
    if url_file is not None:
        atomic.write_text(url_file, url + "\n")
    print(url, flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    """``python -m medshield.federated.server NODE_JSON [PORT]``."""
    args = sys.argv[1:] if argv is None else argv
    config = NodeConfig.read(Path(args[0]))
    try:
        port = int(args[1]) if len(args) > 1 else 0
        run(Node.from_config(config), "127.0.0.1", port, Path(args[0]).parent / URL_FILE)
    except KeyboardInterrupt:
        pass
    except MedshieldError as exc:
        print(exc.render(), file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
