"""Docs that run: every ```python block of docs/*.md is executed, every `$ medshield` line run.

Each block is one test, named ``<file>:<line>``. Python blocks run in a fresh namespace with the
working directory and MEDSHIELD_HOME in a temporary folder, and each holds an ``assert`` of what
it shows. Console blocks run their ``$ medshield ...`` lines, in order, through the installed
entry point (100 columns wide, no colour); each must exit 0 and print what the lines under it
show (trailing spaces and blank lines at either end aside). Volatile parts are written as a
placeholder, ``...``: inside a line it stands for any text on that line (a time, a hash, a
path); a line holding only ``...`` stands for any number of lines (output left out).
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
MEDSHIELD = Path(sys.executable).with_name("medshield")
FENCE = re.compile(r"^```(\w*)\s*$")


@dataclass(frozen=True)
class Block:
    file: str
    line: int  # the line of the opening fence
    lang: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"


def blocks_of(path: Path) -> list[Block]:
    """The fenced blocks of one Markdown file; an unclosed fence is an error."""
    found: list[Block] = []
    lang: str | None = None
    start, body = 0, []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = FENCE.match(line)
        if lang is None and match:
            lang, start, body = match.group(1), number, []
        elif lang is not None and line.strip() == "```":
            found.append(Block(path.name, start, lang, "\n".join(body) + "\n"))
            lang = None
        elif lang is not None:
            body.append(line)
    if lang is not None:
        raise AssertionError(f"{path.name}:{start}: fence never closed")
    return found


ALL = [b for page in sorted(DOCS.glob("*.md")) for b in blocks_of(page)]
PYTHON = [b for b in ALL if b.lang == "python"]
CONSOLE = [b for b in ALL if b.lang == "console" and "$ medshield " in b.text]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("MEDSHIELD_HOME", str(tmp_path / "home"))
    return work


@pytest.mark.parametrize("block", PYTHON, ids=[b.id for b in PYTHON])
def test_python_example_runs(block: Block, workdir: Path) -> None:
    code = compile(block.text, f"docs/{block.id}", "exec")
    exec(code, {"__name__": f"docs_{block.file.removesuffix('.md')}"})  # noqa: S102


def commands_of(block: Block) -> list[list[str]]:
    return [argv for argv, _ in steps_of(block)]


def steps_of(block: Block) -> list[tuple[list[str], list[str]]]:
    """Each ``$ medshield`` line of a console block with the output lines shown under it."""
    steps: list[tuple[list[str], list[str]]] = []
    for line in block.text.splitlines():
        if line.strip().startswith("$ "):
            steps.append((shlex.split(line.strip().removeprefix("$ ")), []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def _trimmed(lines: list[str]) -> list[str]:
    lines = [line.rstrip() for line in lines]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def output_pattern(shown: list[str]) -> re.Pattern[str]:
    """The regular expression of shown output: ``...`` is any text, alone any lines."""
    parts = [
        r"(?:[^\n]*\n)*?"
        if line.strip() == PLACEHOLDER
        else ".*?".join(re.escape(p) for p in line.split(PLACEHOLDER)) + r"\n"
        for line in _trimmed(shown)
    ]
    return re.compile("".join(parts))


def output_matches(shown: list[str], printed: str) -> bool:
    actual = "".join(f"{line}\n" for line in _trimmed(printed.splitlines()))
    return output_pattern(shown).fullmatch(actual) is not None


PLACEHOLDER = "..."


@pytest.mark.parametrize("block", PYTHON, ids=[b.id for b in PYTHON])
def test_python_example_asserts(block: Block) -> None:
    assert re.search(r"^\s*assert\b", block.text, flags=re.M), "the example asserts nothing"


@pytest.mark.parametrize("block", CONSOLE, ids=[b.id for b in CONSOLE])
def test_console_example_prints_what_it_shows(block: Block, workdir: Path) -> None:
    env = {
        **os.environ,
        "MEDSHIELD_HOME": str(workdir.parent / "home"),
        "COLUMNS": "100",
        "NO_COLOR": "1",
        "TERM": "dumb",
    }
    for argv, shown in steps_of(block):
        done = subprocess.run(
            [str(MEDSHIELD), *argv[1:]],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"{shlex.join(argv)} exited {done.returncode}:\n{done.stderr}"
        assert output_matches(shown, done.stdout), f"{shlex.join(argv)} printed:\n" + "\n".join(
            difflib.unified_diff(_trimmed(shown), _trimmed(done.stdout.splitlines()), lineterm="")
        )


def test_block_parser_finds_fences_and_lines(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("# t\n\n```python\nx = 1\n```\n\ntext\n```console\n$ medshield --help\n```\n")
    found = blocks_of(page)
    assert [(b.lang, b.line, b.text) for b in found] == [
        ("python", 3, "x = 1\n"),
        ("console", 8, "$ medshield --help\n"),
    ]
    assert commands_of(found[1]) == [["medshield", "--help"]]
    assert steps_of(found[1]) == [(["medshield", "--help"], [])]
    page.write_text("```python\nx = 1\n")
    with pytest.raises(AssertionError, match="never closed"):
        blocks_of(page)


def test_placeholders_stand_for_volatile_text_and_left_out_lines() -> None:
    shown = ["", "head ...: ok", "...", "end at ...", ""]
    assert output_matches(shown, "head sha256:ab12: ok\nend at 02:30\n")
    assert output_matches(shown, "head x: ok  \n1\n2\nend at 1\n\n")
    assert not output_matches(shown, "head x: bad\nend at 1\n")
    assert not output_matches(shown, "head x: ok\nend at 1\nmore\n")
    assert not output_matches(["a.b"], "axb\n")  # only ``...`` is a placeholder
    assert output_matches([], "") and not output_matches([], "something\n")


def test_index_links_every_page_and_only_existing_ones() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    links = set(re.findall(r"\]\(([^)#]+\.md)", index))
    missing = sorted(link for link in links if not (DOCS / link).is_file())
    assert not missing, f"docs/index.md links pages that do not exist: {missing}"
    pages = {p.name for p in DOCS.glob("*.md")} - {"index.md"}
    assert pages <= links, f"pages not linked from docs/index.md: {sorted(pages - links)}"


def test_readme_quick_start_is_make_demo_and_make_test() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = [
        line.split("#", 1)[0].strip()
        for b in re.findall(r"```\w*\n(.*?)```", section, flags=re.S)
        for line in b.splitlines()
        if line.split("#", 1)[0].strip()
    ]
    assert commands == ["make demo", "make test"]


def test_ci_runs_make_test() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    steps = [ln.strip() for ln in script.splitlines() if ln.strip() and not ln.startswith("#")]
    assert "make test" in steps
    assert os.access(ROOT / ".ci" / "run", os.X_OK)
