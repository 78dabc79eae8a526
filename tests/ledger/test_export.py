"""Exports verify on their own; a tampered export does not."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from medshield.ledger import Event, Ledger, open_ledger
from medshield.ledger.export import export_range, verify_export

Events = Callable[..., list[Event]]


@pytest.fixture
def ledger(sqlite_url: str, events: Events) -> Iterator[Ledger]:
    with open_ledger(sqlite_url, checkpoint_every=10) as opened:
        for start in range(0, 60, 5):
            opened.append_many(events(5, start=start))
        yield opened


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _write(path: Path, lines: list[dict[str, object]]) -> None:
    path.write_text(
        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8"
    )


def test_export_verifies_on_its_own(ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "range.jsonl"
    summary = export_range(ledger, out, 23, 37)
    assert summary.records == 15 and summary.anchored_before and summary.anchored_after
    lines = _lines(out)
    kinds = [x["type"] for x in lines]
    assert kinds.count("record") == 15
    assert [x["seq"] for x in lines if x["type"] == "checkpoint"] == [20, 30, 40]
    links = [x for x in lines if x["type"] == "link"]
    assert [x["seq"] for x in links] == [21, 22, 38, 39, 40]
    assert all("body" not in x for x in links)  # undisclosed records travel as digests
    report = verify_export(out)
    assert report.ok, report.problem
    assert report.checked == 15
    trusted = ledger.checkpoints()[0].public_key
    assert verify_export(out, trusted_key=trusted).ok
    assert not verify_export(out, trusted_key="00" * 32).ok


def test_whole_ledger_export(ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "all.jsonl"
    export_range(ledger, out)
    report = verify_export(out)
    assert report.ok and report.checked == 60


def _tamper(kind: str, lines: list[dict[str, object]]) -> int:
    """Tamper with the export in place; return the record the verifier must name."""
    records = [i for i, x in enumerate(lines) if x["type"] == "record"]
    if kind == "edit":
        i = records[4]
        lines[i]["body"] = str(lines[i]["body"]).replace("血小板", "红细胞")
        return int(str(lines[i]["seq"]))
    if kind == "delete":
        seq = int(str(lines[records[6]]["seq"]))
        del lines[records[6]]
        return seq
    if kind == "reorder":
        a, b = records[2], records[3]
        seq = int(str(lines[a]["seq"]))
        lines[a], lines[b] = lines[b], lines[a]
        return seq
    if kind == "truncate":
        seq = int(str(lines[records[-3]]["seq"]))
        del lines[records[-3] :]
        return seq
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["edit", "delete", "reorder", "truncate"])
def test_tampered_export_is_caught(ledger: Ledger, tmp_path: Path, kind: str) -> None:
    out = tmp_path / "range.jsonl"
    export_range(ledger, out, 23, 37)
    lines = _lines(out)
    expected = _tamper(kind, lines)
    _write(out, lines)
    report = verify_export(out)
    assert not report.ok
    assert report.first_bad_seq == expected, report.problem


def test_forged_checkpoint_signature_is_caught(ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "range.jsonl"
    export_range(ledger, out, 23, 37)
    lines = _lines(out)
    cp = next(x for x in lines if x["type"] == "checkpoint")
    cp["signature"] = "00" + str(cp["signature"])[2:]
    _write(out, lines)
    report = verify_export(out)
    assert not report.ok and not report.checkpoints_ok
    assert "invalid ed25519 signature" in (report.problem or "")


def test_cut_export_with_edited_header_is_caught(ledger: Ledger, tmp_path: Path) -> None:
    out = tmp_path / "range.jsonl"
    export_range(ledger, out, 23, 37)
    keep = [x for x in _lines(out) if x["type"] == "header" or int(str(x["seq"])) <= 33]
    keep[0]["to"] = 33  # the cut hidden in the header
    _write(out, keep)
    report = verify_export(out)
    assert not report.ok
    assert report.problem == "the export header signature is invalid (header edited)"
