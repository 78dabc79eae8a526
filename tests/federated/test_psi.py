"""PSI cardinality: the right count, and nothing else for the hub or either node."""

from __future__ import annotations

import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from medshield.federated import Federation, Hub
from medshield.federated.psi import blind, cardinality, hash_to_point, multiply, reblind

from .conftest import local_databases


def _id_numbers(federation: Federation, node: str) -> set[str]:
    db = local_databases(federation)[node]
    table = db.table("patient")
    col = table.column("id_no")
    return {r[0] for r in table.rows(sa.select(col).select_from(table.table)) if r[0]}


def test_psi_counts_the_shared_patients_exactly(hub: Hub, federation: Federation) -> None:
    left, right = _id_numbers(federation, "h1"), _id_numbers(federation, "h2")
    shared = len(left & right)
    assert shared > 0 and len(left) > shared
    result = hub.psi("h1", "h2")
    assert result.shared == shared


def test_the_hub_cannot_open_the_points_even_with_every_identifier(
    hub: Hub, federation: Federation
) -> None:
    result = hub.psi("h2", "m1")
    everyone = _id_numbers(federation, "h2") | _id_numbers(federation, "m1")
    dictionary = {hash_to_point(x).hex() for x in everyone}  # the hub hashes every ID number
    transcript = {p for step in ("blind", "reblind") for p in result.seen[step].points}  # type: ignore[union-attr]
    transcript |= set(result.seen["reblind"].reblinded)  # type: ignore[union-attr]
    assert transcript and not transcript & dictionary
    assert not any(x in str(result.seen) for x in list(everyone)[:50])


def test_the_answers_are_shuffled_so_a_node_cannot_tell_who_matched() -> None:
    ids = [f"50010{k:013d}" for k in range(200)]
    a, b = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    sent = blind(a, ids)
    back = reblind(b, sent)
    in_order = [multiply(b, bytes.fromhex(p)).hex() for p in sent]
    assert sorted(back) == sorted(in_order) and back != in_order
    assert cardinality(a, back, blind(b, ids[50:300])) == 150


def test_blinding_commutes() -> None:
    a, b = X25519PrivateKey.generate(), X25519PrivateKey.generate()
    point = hash_to_point("500106199001011234")
    assert multiply(a, multiply(b, point)) == multiply(b, multiply(a, point))
