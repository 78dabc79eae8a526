"""Walking a chain: every link, every checkpoint, the head.

Detects an edited record (its content no longer gives its hash), a deleted one (a gap in the
sequence), an inserted or reordered one (its previous hash is not the hash of the record before
it), and a truncated tail (a checkpoint or the head names a record that is gone). A tail cut off
after the newest checkpoint, with the head row rewritten to match, cannot be told from a shorter
honest ledger without a replica: verify against one (``restore``/``drill``) for that.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from medshield.ledger.canonical import GENESIS, Linker
from medshield.ledger.records import Checkpoint, VerifyReport
from medshield.ledger.signing import checkpoint_message, signature_valid

Row = tuple[int, int, str, str, str, str]  # seq, at_us, action, body, prev_hash, hash


def check_checkpoints(
    checkpoints: Sequence[Checkpoint], hash_alg: str, trusted_key: str | None
) -> str | None:
    """The first problem with the checkpoints themselves (signature, key, algorithm), or None."""
    for cp in checkpoints:
        if cp.hash_alg != hash_alg:
            return f"checkpoint {cp.seq} is for hash {cp.hash_alg}, the chain uses {hash_alg}"
        if trusted_key is not None and cp.public_key != trusted_key:
            return f"checkpoint {cp.seq} is signed by an untrusted key {cp.public_key[:16]}..."
        message = checkpoint_message(cp.seq, cp.hash, cp.at_us, cp.hash_alg)
        if not signature_valid(cp.sig_alg, cp.public_key, message, cp.signature):
            return f"checkpoint {cp.seq} has an invalid {cp.sig_alg} signature"
    return None


def verify_rows(
    rows: Iterable[Row],
    *,
    hash_alg: str,
    checkpoints: Sequence[Checkpoint] = (),
    start_seq: int = 1,
    start_prev: str = GENESIS,
    head: tuple[int, str] | None = None,
    trusted_key: str | None = None,
) -> VerifyReport:
    """Verify ``rows`` (ascending ``seq``) as the chain from ``start_seq`` on."""
    started = time.perf_counter()
    linker = Linker(hash_alg)
    digest = linker.digest
    named = {cp.seq: cp.hash for cp in checkpoints}
    expected, prev = start_seq, start_prev
    bad: int | None = None
    problem: str | None = None
    for seq, at_us, action, body, prev_hash, hash_ in rows:
        if seq != expected:
            bad = expected
            problem = (
                f"record {expected} is missing (deleted)"
                if seq > expected
                else f"record {seq} appears out of order or twice"
            )
            break
        if prev_hash != prev:
            bad, problem = seq, f"record {seq} does not follow record {seq - 1} (inserted or moved)"
            break
        # the link of canonical.Linker, inlined: this loop is the cost of verifying
        body_digest = digest(body.encode("utf-8"))
        if digest(f"{seq}|{prev_hash}|{at_us}|{action}|{body_digest}".encode()) != hash_:
            bad, problem = seq, f"record {seq} does not match its hash (edited)"
            break
        if seq in named and named[seq] != hash_:
            bad, problem = seq, f"record {seq} differs from its signed checkpoint (rewritten)"
            break
        prev = hash_
        expected += 1
    last = expected - 1
    checked = last - start_seq + 1
    if problem is None:
        beyond = [cp.seq for cp in checkpoints if cp.seq > last]
        if beyond:
            bad = last + 1
            problem = f"chain ends at {last} but a signed checkpoint names record {max(beyond)} (truncated)"
        elif head is not None and head[0] > last:
            bad, problem = (
                last + 1,
                f"chain ends at {last} but the head names record {head[0]} (truncated)",
            )
        elif head is not None and head[0] < last:
            bad, problem = (
                head[0] + 1,
                f"record {head[0] + 1} lies beyond the head (added outside the ledger)",
            )
        elif head is not None and head[0] == last and head[1] != prev:
            bad, problem = last, f"the head names another hash for record {last}"
    cp_problem = check_checkpoints(checkpoints, hash_alg, trusted_key)
    if problem is None and cp_problem is not None:
        problem = cp_problem
    return VerifyReport(
        ok=problem is None,
        checked=max(checked, 0),
        first_bad_seq=bad,
        problem=problem,
        checkpoints_ok=cp_problem is None,
        checkpoints=len(checkpoints),
        head_seq=head[0] if head is not None else last,
        seconds=time.perf_counter() - started,
    )
