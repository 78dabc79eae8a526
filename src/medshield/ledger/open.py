"""Opening a ledger with the settings of the policy bundle (``bundle.meta.ledger``)."""

from __future__ import annotations

from medshield.errors import LedgerError
from medshield.ledger.canonical import HASH_ALGS
from medshield.ledger.engine import ledger_engine
from medshield.ledger.ledger import Ledger
from medshield.ledger.signing import Signer, signer_for
from medshield.policy import PolicyBundle, load_bundle
from medshield.settings import get_settings


def replica_locations(value: str | None = None) -> tuple[str, ...]:
    """The replica URLs or folders of MEDSHIELD_LEDGER_REPLICAS (comma-separated)."""
    raw = value if value is not None else get_settings().ledger_replicas
    return tuple(part.strip() for part in (raw or "").split(",") if part.strip())


def open_ledger(
    url: str | None = None,
    *,
    hash_alg: str | None = None,
    signer: Signer | None = None,
    bundle: PolicyBundle | None = None,
    checkpoint_every: int | None = None,
    checkpoint_seconds: float | None = None,
    replicas: tuple[str, ...] | None = None,
    create: bool = True,
) -> Ledger:
    """Open the ledger in the store at ``url`` (the platform store when None).

    What is not given comes from the policy bundle's ``meta.ledger`` (hash, signature,
    checkpoint_every, checkpoint_seconds) and from MEDSHIELD_LEDGER_REPLICAS. The tables are
    created when the store has none yet, unless ``create`` is False (a missing ledger is then a
    ``LedgerMissingError``).
    """
    settings = get_settings()
    needs_policy = hash_alg is None or signer is None or checkpoint_every is None
    needs_policy = needs_policy or checkpoint_seconds is None
    if needs_policy and bundle is None:
        bundle = load_bundle(settings.policy)
    policy = bundle.meta.ledger if bundle is not None else None
    alg = hash_alg or (policy.hash if policy else "sha256")
    if alg not in HASH_ALGS:
        raise LedgerError(f"unknown ledger hash {alg!r}; known: {', '.join(HASH_ALGS)}")
    engine = ledger_engine(url or settings.resolved_store_url(), create=create)
    return Ledger(
        engine,
        hash_alg=alg,
        hash_alg_explicit=hash_alg is not None,
        signer=signer or signer_for(policy.signature if policy else "ed25519"),
        checkpoint_every=checkpoint_every or (policy.checkpoint_every if policy else 1000),
        checkpoint_seconds=checkpoint_seconds or (policy.checkpoint_seconds if policy else 60.0),
        replicas=replicas if replicas is not None else replica_locations(),
    )
