"""A node's configuration and key files, as ``federated setup`` writes them."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from pydantic import BaseModel, ConfigDict, ValidationError

from medshield import atomic
from medshield.datafiles import check_size
from medshield.errors import InputError
from medshield.policy.federated import NodeRegistry

REGISTRY = "registry.json"
URL_FILE = "url"  # beside node.json: where the running node listens
M = TypeVar("M", bound=BaseModel)


class NodeConfig(BaseModel):
    """Everything a node needs: its database, keys, certificates, ledger and policy."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    database: str  # SQLAlchemy URL of the institution's own HIS
    style: str  # vendor style of that HIS
    tables: dict[str, str]  # logical table -> physical name
    mask_key: Path  # X25519 private key (PEM)
    cert: Path
    key: Path
    ca: Path
    registry: Path
    ledger: str  # the node's own ledger store (SQLAlchemy URL)
    signing_key: Path  # Ed25519 key of the ledger checkpoints
    policy: Path | None = None  # the policy bundle (the default one when None)

    @classmethod
    def read(cls, path: Path) -> NodeConfig:
        return read_model(cls, path)

    def write(self, path: Path) -> Path:
        atomic.write_text(path, self.model_dump_json(indent=2))
        return path


def read_model(model: type[M], path: Path) -> M:
    check_size(Path(path))
    try:
        return model.model_validate_json(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("file not found", where=str(path)) from None
    except ValidationError as exc:
        raise InputError(f"malformed file: {exc.errors()[0]['msg']}", where=str(path)) from None


def read_registry(path: Path) -> NodeRegistry:
    return read_model(NodeRegistry, path)


def new_mask_key(path: Path) -> X25519PrivateKey:
    key = X25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    atomic.write_bytes(path, pem, mode=0o600)
    return key


def load_mask_key(path: Path) -> X25519PrivateKey:
    check_size(Path(path))
    try:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the masking key: {exc}", where=str(path)) from None
    if not isinstance(key, X25519PrivateKey):
        raise InputError("the masking key is not an X25519 key", where=str(path))
    return key
