"""What the guards against bad input cost: writing targets whole, the size check, a policy
bundle loaded again unchanged, and one command refused in process.

Baselines, in the same run: a plain ``Path.write_bytes`` of the same files; a plain
``Path.read_bytes``; the first (uncached) load of the same bundle; and the same refusal in a new
``medshield`` process, which is what a subprocess-based fuzzer pays per example.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
from contextlib import redirect_stderr
from pathlib import Path

from bench.harness import Row, best_timed, timed
from medshield import atomic
from medshield.datafiles import read_whole
from medshield.policy import default_bundle_path, load_bundle

FILES_FULL, FILES_QUICK = 2_000, 200
SIZE = 64 * 1024
REFUSALS_FULL, REFUSALS_QUICK = 20, 2
SUBPROCESSES_FULL, SUBPROCESSES_QUICK = 5, 1  # each pays the imports: seconds


def _writes(folder: Path, count: int, data: bytes, whole: bool) -> None:
    for i in range(count):
        target = folder / f"报告_{i}.csv"
        if whole:
            atomic.write_bytes(target, data)
        else:
            target.write_bytes(data)


def _refuse_in_process(count: int, missing: Path) -> None:
    from medshield.cli.app import main

    for _ in range(count):
        sys.argv = ["medshield", "mask", "stats", str(missing), "--column", "a=b",
                    "--measure", "c", "--role", "researcher"]  # fmt: skip
        with redirect_stderr(io.StringIO()):
            try:
                main()
            except SystemExit as exc:
                assert exc.code == 1


def _refuse_in_subprocess(count: int, missing: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for _ in range(count):
        done = subprocess.run(
            [sys.executable, "-c", "from medshield.cli.app import main; main()", "mask", "stats", str(missing),
             "--column", "a=b", "--measure", "c", "--role", "researcher"],
            capture_output=True, env=env, check=False,
        )  # fmt: skip
        assert done.returncode == 1, done.stderr[-500:]


def run(quick: bool) -> list[Row]:
    files = FILES_QUICK if quick else FILES_FULL
    refusals = REFUSALS_QUICK if quick else REFUSALS_FULL
    subprocesses = SUBPROCESSES_QUICK if quick else SUBPROCESSES_FULL
    data = os.urandom(SIZE)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "plain").mkdir()
        (root / "whole").mkdir()
        plain, _ = best_timed(lambda: _writes(root / "plain", files, data, whole=False))
        whole, _ = best_timed(lambda: _writes(root / "whole", files, data, whole=True))
        corpus = f"{files:,} files of {SIZE // 1024} KB"
        rows.append(Row("target written whole (temporary name, rename)", files / whole,
                        "files/s", "Path.write_bytes", files / plain, "ratio near 1", corpus))  # fmt: skip
        names = sorted((root / "plain").iterdir())
        read_plain, _ = best_timed(lambda: [p.read_bytes() for p in names])
        read_checked, _ = best_timed(lambda: [read_whole(p) for p in names])
        rows.append(Row("file read whole with the size check", files / read_checked, "files/s",
                        "Path.read_bytes", files / read_plain, "ratio near 1", corpus))  # fmt: skip

        bundle = root / "bundle"
        import shutil

        shutil.copytree(default_bundle_path(), bundle)
        first, _ = timed(lambda: load_bundle(bundle))
        again, _ = best_timed(lambda: load_bundle(bundle), repeat=5)
        rows.append(Row("policy bundle loaded again, unchanged", again, "s",
                        "first load (parse, validate)", first, "< 0.1 of the first",
                        "the default bundle"))  # fmt: skip

        missing = root / "missing.csv"
        _refuse_in_process(1, missing)  # imports warm, as in the fuzzer
        inproc, _ = timed(lambda: _refuse_in_process(refusals, missing))
        sub, _ = timed(lambda: _refuse_in_subprocess(subprocesses, missing))
        rows.append(Row("a refused command, in process (per example)", inproc / refusals, "s",
                        "a new medshield process", sub / subprocesses, "well under 1",
                        f"mask stats on a missing file, {refusals} in process, "
                        f"{subprocesses} in new processes"))  # fmt: skip
    return rows
