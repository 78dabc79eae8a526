"""``verify_rows`` on chains built by hand: each kind of damage, its record and its words."""

from __future__ import annotations

from medshield.ledger.canonical import GENESIS, Linker
from medshield.ledger.records import Checkpoint
from medshield.ledger.signing import checkpoint_message, signer_for
from medshield.ledger.verify import Row, verify_rows

LINK = Linker("sha256")


def chain(n: int) -> list[Row]:
    rows: list[Row] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        at, body = 1_700_000_000_000_000 + seq, f'{{"i":{seq}}}'
        hash_ = LINK.record_hash(seq, prev, at, "api.call", body)
        rows.append((seq, at, "api.call", body, prev, hash_))
        prev = hash_
    return rows


def signed(seq: int, hash_: str) -> Checkpoint:
    signer = signer_for("ed25519")
    message = checkpoint_message(seq, hash_, 1, "sha256")
    return Checkpoint(seq, hash_, 1, "sha256", "ed25519", signer.public_key_hex(),
                      signer.sign(message).hex())  # fmt: skip


def test_an_intact_chain_verifies_from_record_one() -> None:
    rows = chain(5)
    report = verify_rows(rows, hash_alg="sha256", head=(5, rows[-1][5]))
    assert report.ok and report.problem is None and report.first_bad_seq is None
    assert (report.checked, report.head_seq, report.checkpoints_ok) == (5, 5, True)


def test_a_deleted_record_is_named() -> None:
    rows = chain(5)
    report = verify_rows(rows[:2] + rows[3:], hash_alg="sha256")
    assert (report.ok, report.first_bad_seq) == (False, 3)
    assert report.problem == "record 3 is missing (deleted)"
    assert report.checked == 2


def test_a_repeated_record_is_named() -> None:
    rows = chain(4)
    report = verify_rows(rows[:2] + rows[1:], hash_alg="sha256")
    assert (report.ok, report.first_bad_seq) == (False, 3)
    assert report.problem == "record 2 appears out of order or twice"


def test_an_edited_record_is_named() -> None:
    rows = chain(4)
    seq, at, action, body, prev, hash_ = rows[1]
    rows[1] = (seq, at, action, body.replace("2", "7"), prev, hash_)
    report = verify_rows(rows, hash_alg="sha256")
    assert (report.ok, report.first_bad_seq) == (False, 2)
    assert report.problem == "record 2 does not match its hash (edited)"


def test_a_record_rewritten_against_its_checkpoint_is_named() -> None:
    rows = chain(4)
    report = verify_rows(rows, hash_alg="sha256", checkpoints=[signed(3, "f" * 64)])
    assert (report.ok, report.first_bad_seq) == (False, 3)
    assert report.problem == "record 3 differs from its signed checkpoint (rewritten)"


def test_a_checkpoint_beyond_the_chain_shows_a_truncation() -> None:
    rows = chain(6)
    report = verify_rows(rows[:4], hash_alg="sha256", checkpoints=[signed(6, rows[5][5])])
    assert (report.ok, report.first_bad_seq) == (False, 5)
    assert report.problem == "chain ends at 4 but a signed checkpoint names record 6 (truncated)"


def test_the_head_shows_a_truncation_an_addition_and_another_hash() -> None:
    rows = chain(5)
    cut = verify_rows(rows[:4], hash_alg="sha256", head=(5, rows[4][5]))
    assert (cut.first_bad_seq, cut.problem) == (
        5, "chain ends at 4 but the head names record 5 (truncated)",
    )  # fmt: skip
    added = verify_rows(rows, hash_alg="sha256", head=(4, rows[3][5]))
    assert (added.first_bad_seq, added.problem) == (
        5, "record 5 lies beyond the head (added outside the ledger)",
    )  # fmt: skip
    other = verify_rows(rows, hash_alg="sha256", head=(5, "0" * 64))
    assert (other.first_bad_seq, other.problem) == (5, "the head names another hash for record 5")
    assert not (cut.ok or added.ok or other.ok)


def test_a_range_verifies_from_its_first_record() -> None:
    rows = chain(5)
    report = verify_rows(rows[2:], hash_alg="sha256", start_seq=3, start_prev=rows[1][5])
    assert report.ok and report.checked == 3


def test_a_damaged_record_is_reported_before_a_bad_signature() -> None:
    """The first damage in the chain is the problem; a forged checkpoint comes second."""
    rows = chain(3)
    seq, at, action, body, prev, hash_ = rows[0]
    rows[0] = (seq, at, action, body + " ", prev, hash_)
    forged = signed(3, rows[2][5])
    forged = Checkpoint(*[*vars(forged).values()][:-1], signature="00" * 64)
    report = verify_rows(rows, hash_alg="sha256", checkpoints=[forged], head=(3, rows[2][5]))
    assert report.problem == "record 1 does not match its hash (edited)"
    assert (report.checkpoints_ok, report.checkpoints, report.head_seq) == (False, 1, 3)
    assert 0 < report.seconds < 60  # the time the check took, measured


def test_a_forged_signature_alone_fails_the_chain() -> None:
    rows = chain(3)
    good = signed(3, rows[2][5])
    report = verify_rows(rows, hash_alg="sha256", checkpoints=[good])
    assert report.ok and (report.checkpoints, report.head_seq) == (1, 3)
    forged = Checkpoint(*[*vars(good).values()][:-1], signature="00" * 64)
    report = verify_rows(rows, hash_alg="sha256", checkpoints=[forged])
    assert not report.ok and report.problem == "checkpoint 3 has an invalid ed25519 signature"


def test_the_head_seq_is_the_heads_own() -> None:
    rows = chain(5)
    assert verify_rows(rows, hash_alg="sha256", head=(4, rows[3][5])).head_seq == 4
