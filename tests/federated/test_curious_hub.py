"""A curious hub holds every message the nodes sent it; it still cannot tell one node's value.

The nodes' true partials are computed here directly on their databases (what only each
institution can do) and compared with the hub's transcript.
"""

from __future__ import annotations

from itertools import combinations

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from medshield.federated import Federation, Hub
from medshield.federated.config import read_registry
from medshield.federated.kinds import kind_of
from medshield.federated.secure_sum import PRIME, decode, pair_mask

from .conftest import local_databases


def test_no_share_and_no_proper_subset_of_shares_reveals_a_partial(
    hub: Hub, federation: Federation
) -> None:
    databases = local_databases(federation)
    aggregate = hub.collect("patient_age_histogram", "curious")
    kind = kind_of(aggregate.template.kind)
    partial = {n: kind.measure(aggregate.template, db) for n, db in databases.items()}
    seen = {n: a.share for n, a in aggregate.seen.items()}
    nodes = sorted(seen)
    for size in range(1, len(nodes)):
        for group in combinations(nodes, size):
            summed = decode(
                [sum(col) % PRIME for col in zip(*(seen[n] for n in group), strict=True)]
            )
            truth = [sum(col) for col in zip(*(partial[n] for n in group), strict=True)]
            assert all(s != t for s, t in zip(summed, truth, strict=True))
            # masked values are spread over the whole field, far from any plausible count
            assert all(abs(s) > 2**100 for s in summed)
    everything = decode([sum(col) % PRIME for col in zip(*seen.values(), strict=True)])
    assert everything == [sum(col) for col in zip(*partial.values(), strict=True)]


def test_masks_are_uniform_over_the_field() -> None:
    own, peer = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    public = peer.public_key().public_bytes_raw().hex()
    values = pair_mask(own, public, b"ctx", 4000)
    top = [v * 16 // PRIME for v in values]  # 16 equal buckets
    counts = [top.count(b) for b in range(16)]
    chi2 = sum((c - 250) ** 2 / 250 for c in counts)
    assert chi2 < 50  # 15 degrees of freedom: p ~ 1e-5


def test_the_hubs_own_keys_do_not_recreate_the_masks(hub: Hub, federation: Federation) -> None:
    registry = read_registry(federation.registry)
    guess = X25519PrivateKey.generate()  # the hub has only public keys; any key it makes is its own
    a, b = registry.nodes[0], registry.nodes[1]
    assert pair_mask(guess, a.mask_public_key, b"ctx", 3) != pair_mask(
        guess, b.mask_public_key, b"ctx", 3
    )
    aggregate = hub.collect("patient_count", "curious")
    share = aggregate.seen[a.id].share[0]
    attempts = [
        (share - m) % PRIME
        for peer in registry.nodes
        for m in pair_mask(guess, peer.mask_public_key, b"ctx", 1)
    ]
    assert all(min(x, PRIME - x) > 2**100 for x in attempts)


def test_a_replayed_context_with_another_template_gives_unrelated_masks() -> None:
    own, peer = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    public = peer.public_key().public_bytes_raw().hex()
    assert pair_mask(own, public, b"q1|count", 2) != pair_mask(own, public, b"q1|sum", 2)
