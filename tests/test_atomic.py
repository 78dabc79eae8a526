"""A target is written whole or not at all: a failure half-way leaves no file, or the old one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from medshield import atomic


class BoomError(Exception):
    pass


def test_a_failure_mid_write_leaves_no_target(tmp_path: Path) -> None:
    target = tmp_path / "报告.csv"
    with pytest.raises(BoomError), atomic.atomic_target(target) as tmp, tmp.open("w") as out:
        out.write("id,name\n1,张三\n")
        raise BoomError
    assert list(tmp_path.iterdir()) == []


def test_a_failure_mid_write_keeps_the_old_target(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(BoomError), atomic.atomic_target(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise BoomError
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]
    assert target.read_text(encoding="utf-8") == "old"


def test_the_whole_content_arrives_under_the_target_name(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    atomic.write_text(target, "第一行\n第二行\n")
    assert target.read_text(encoding="utf-8") == "第一行\n第二行\n"
    atomic.write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_the_temporary_file_is_beside_the_target_and_hidden(tmp_path: Path) -> None:
    with atomic.atomic_target(tmp_path / "a.parquet") as tmp:
        assert tmp.parent == tmp_path and tmp.exists()
        assert tmp.name.startswith(".a.parquet.") and tmp.name.endswith(atomic.PART_SUFFIX)
        assert not (tmp_path / "a.parquet").exists()


def test_a_private_file_is_never_readable_by_others(tmp_path: Path) -> None:
    target = tmp_path / "k.key"
    atomic.write_bytes(target, b"secret", mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) & 0o077 == 0


def test_an_exclusive_write_keeps_a_target_made_first(tmp_path: Path) -> None:
    target = tmp_path / "k.key"
    atomic.write_bytes(target, b"first", exclusive=True)
    with pytest.raises(FileExistsError):
        atomic.write_bytes(target, b"second", exclusive=True)
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["k.key"]


def test_a_target_in_a_missing_folder_is_an_os_error_and_no_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        atomic.write_text(tmp_path / "no" / "such" / "x.txt", "x")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="a POSIX permission bit")
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anyway")
def test_a_read_only_folder_is_an_os_error_and_no_file(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(PermissionError):
            atomic.write_text(folder / "x.txt", "x")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


# Writes that are not a user's target: an append-only log and a lock file, a probe of the folder.
NOT_TARGETS = {
    ("ledger/segments.py", "open"),  # JSONL segments are appended to, record by record
    ("synth/alliance.py", "write_bytes"),  # an empty probe that the folder is writable
}
WRITES = {"write_text", "write_bytes", "write_csv", "write_parquet", "write_pdf"}


def _direct_writes(source: Path, relative: str) -> list[str]:
    """Calls in ``source`` that write a file under its own name, not through ``atomic``."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name, receiver = node.func.attr, node.func.value
        if isinstance(receiver, ast.Name) and receiver.id == "atomic":
            continue
        to_tmp = isinstance(receiver, ast.Name) and receiver.id == "tmp"
        args = [a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if name == "open" and any(set(a.value) & set("wax") for a in args):
            bad = not to_tmp and (relative, "open") not in NOT_TARGETS
        elif name in WRITES and node.args:
            first = node.args[0]
            into = isinstance(first, ast.Name) and first.id in ("tmp", "handle", "out")
            bad = name in ("write_text", "write_bytes") or not (into or to_tmp)
            bad = bad and (relative, name) not in NOT_TARGETS and not to_tmp
        else:
            continue
        if bad:
            found.append(f"{relative}:{node.lineno} .{name}(...)")
    return found


def test_every_target_is_written_through_the_helper() -> None:
    src = Path(atomic.__file__).parent
    found = [
        hit
        for path in sorted(src.rglob("*.py"))
        if path.name != "atomic.py"
        for hit in _direct_writes(path, path.relative_to(src).as_posix())
    ]
    assert found == []


def test_an_error_names_the_target_not_the_temporary_file(tmp_path: Path) -> None:
    (tmp_path / "out.csv").mkdir()
    with pytest.raises(IsADirectoryError) as raised:
        atomic.write_text(tmp_path / "out.csv", "x")
    assert raised.value.filename == str(tmp_path / "out.csv")
    with pytest.raises(FileNotFoundError) as missing:
        atomic.write_text(tmp_path / "no" / "x.csv", "x")
    assert missing.value.filename == str(tmp_path / "no" / "x.csv")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_durable_write_syncs_before_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[bool] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(not (tmp_path / "k.key").exists())  # before the rename
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    atomic.write_bytes(tmp_path / "plain.txt", b"x")
    assert synced == []
    atomic.write_bytes(tmp_path / "k.key", b"secret", mode=0o600, durable=True)
    assert synced == [True] and (tmp_path / "k.key").read_bytes() == b"secret"
