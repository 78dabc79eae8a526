"""``setup_federation``: a folder with a node per institution of a synthetic alliance.

For each chosen institution: its masking key, its TLS certificate, its own ledger and a
``node.json``; for everyone: the CA, the hub's certificate and the node registry (public
masking keys). Each node reads only its own institution's database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from medshield import atomic
from medshield.errors import InputError, NodeUnavailableError
from medshield.federated.config import REGISTRY, URL_FILE, NodeConfig, new_mask_key
from medshield.federated.secure_sum import public_hex
from medshield.federated.tls import HUB, issue, make_ca
from medshield.policy.federated import NodeEntry, NodeRegistry
from medshield.synth.manifest import AllianceManifest


@dataclass(frozen=True)
class Federation:
    folder: Path
    nodes: dict[str, Path]  # node id -> node.json
    registry: Path
    ca: Path
    hub_cert: Path
    hub_key: Path
    ledger: str  # the hub's ledger

    @property
    def tls(self) -> tuple[Path, Path, Path]:
        return self.hub_cert, self.hub_key, self.ca

    def urls(self) -> dict[str, str]:
        """Where each running node listens (written by the node when it starts)."""
        found = {}
        for node_id, config in self.nodes.items():
            path = config.parent / URL_FILE
            if not path.exists():
                raise NodeUnavailableError(f"node {node_id} is not running", where=str(path))
            found[node_id] = path.read_text(encoding="utf-8").strip()
        return found

    @classmethod
    def read(cls, folder: Path) -> Federation:
        folder = Path(folder).resolve()
        if not (folder / REGISTRY).exists():
            raise InputError("no federation here (registry.json missing)", where=str(folder))
        nodes = {p.parent.name: p for p in sorted(folder.glob("*/node.json"))}
        return cls(
            folder,
            nodes,
            folder / REGISTRY,
            folder / "ca.pem",
            folder / f"{HUB}.pem",
            folder / f"{HUB}.key",
            f"sqlite:///{folder / 'hub-ledger.db'}",
        )


def setup_federation(
    alliance: Path, out: Path, institutions: list[str] | None = None, policy: Path | None = None
) -> Federation:
    """Make the federation folder ``out`` for ``institutions`` (all of the alliance when None)."""
    manifest = AllianceManifest.read(alliance)
    chosen = institutions or sorted(manifest.databases)
    unknown = [i for i in chosen if i not in manifest.databases]
    if unknown:
        raise InputError(
            f"no institution {', '.join(unknown)} in the alliance", where=str(alliance)
        )
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    ca, ca_key = make_ca(out)
    issue(out, HUB, ca, ca_key)
    entries = []
    for inst in chosen:
        folder = out / inst
        folder.mkdir(exist_ok=True)
        cert, key = issue(folder, inst, ca, ca_key)
        mask = new_mask_key(folder / "mask.key")
        entries.append(NodeEntry(id=inst, mask_public_key=public_hex(mask)))
        NodeConfig(
            id=inst,
            database=_database_url(manifest, alliance, inst),
            style=manifest.styles[inst],
            tables=manifest.tables[inst],
            mask_key=folder / "mask.key",
            cert=cert,
            key=key,
            ca=ca,
            registry=out / REGISTRY,
            ledger=f"sqlite:///{folder / 'ledger.db'}",
            signing_key=folder / "ledger-signing.key",
            policy=policy,
        ).write(folder / "node.json")
    atomic.write_text(out / REGISTRY, NodeRegistry(nodes=tuple(entries)).model_dump_json(indent=2))
    ca_key.unlink()  # no more certificates are issued for this federation
    return Federation.read(out)


def _database_url(manifest: AllianceManifest, alliance: Path, inst: str) -> str:
    url = manifest.databases[inst]
    if "***" in url:
        raise InputError(
            "the alliance database URL hides its password; write node.json by hand",
            where=inst,
        )
    return url
