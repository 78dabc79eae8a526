"""Writing a target file whole or not at all.

Every file medshield writes for a user (a masked table, a report, a package, an export, a key)
goes through ``atomic_target``: the content is written to a temporary name in the target's own
folder (``.<name>.<random>.part``, hidden, on the same file system) and renamed onto the target
only once the writer returned. A failure half-way (a full disk, a refused verification, a crash)
leaves the target as it was: absent, or its previous content. The rename is atomic on POSIX and
on Windows (``os.replace``); ``exclusive`` links instead, so that a target another process
created first is kept (``FileExistsError``).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PART_SUFFIX = ".part"


def temporary_name(target: Path) -> Path:
    """A fresh hidden name beside ``target``."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}{PART_SUFFIX}")


@contextmanager
def atomic_target(
    target: str | Path, *, mode: int = 0o666, exclusive: bool = False
) -> Iterator[Path]:
    """A temporary path to write ``target``'s content to; renamed onto ``target`` on success.

    The temporary file exists (empty, created with ``mode`` less the umask) when the block
    starts, so that a writer that only takes a path keeps those permissions.
    """
    target = Path(target)
    tmp = temporary_name(target)
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
        try:
            yield tmp
            if exclusive:
                os.link(tmp, target)
            else:
                os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        if exc.filename in (str(tmp), tmp):  # name the target, not the temporary file
            raise type(exc)(exc.errno, exc.strerror, str(target)) from None
        raise


def write_bytes(
    target: str | Path,
    data: bytes,
    *,
    mode: int = 0o666,
    exclusive: bool = False,
    durable: bool = False,
) -> None:
    """``target`` holds ``data``, written whole or not at all; ``durable`` (keys) syncs the
    content to disk before the rename, so that a power cut cannot leave an empty key."""
    with atomic_target(target, mode=mode, exclusive=exclusive) as tmp, tmp.open("wb") as out:
        out.write(data)
        if durable:
            out.flush()
            os.fsync(out.fileno())


def write_text(target: str | Path, text: str, *, mode: int = 0o666, durable: bool = False) -> None:
    """``target`` holds ``text`` in UTF-8, written whole or not at all."""
    write_bytes(target, text.encode("utf-8"), mode=mode, durable=durable)
