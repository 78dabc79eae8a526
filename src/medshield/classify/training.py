"""Training the name model on labelled columns: label CSVs and synthetic ground truth."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from medshield.classify.lexicon import load_lexicon
from medshield.classify.model import Example, column_text, lexicon_examples, model_path, train
from medshield.errors import InputError


def labelled_examples(path: Path) -> Iterator[Example]:
    """Columns of a label or ground-truth CSV: needs ``table``, ``column``, ``element``."""
    if not path.is_file():
        raise InputError("label file not found", where=str(path))
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"table", "column", "element"} - set(reader.fieldnames or [])
        if missing:
            raise InputError(f"missing columns {sorted(missing)}", where=f"{path}:1")
        for row in reader:
            text = column_text(
                row["column"], row.get("comment") or None, row.get("type") or "", row["table"]
            )
            yield Example(text, (row["element"] or "").strip())


def train_and_save(
    labels: Iterable[Path], truth: Iterable[Path], out: Path | None = None
) -> tuple[Path, int, str]:
    examples = lexicon_examples(load_lexicon())
    for path in [*labels, *truth]:
        examples.extend(labelled_examples(path))
    model = train(examples)
    target = out or model_path()
    model.save(target)
    return target, len(examples), model.version
