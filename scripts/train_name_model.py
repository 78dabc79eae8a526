"""Trains the name model of running text and writes src/medshield/detect/data/name_model.tsv.

    python scripts/train_name_model.py [--corpora ../shared/corpora/text] [--out PATH]

Reads the training splits of CLUENER2020, Resume NER and Weibo NER (never their dev/test
splits, which the benchmarks measure on) and the shipped term dictionary; deterministic.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from medshield.detect.name_model import MODEL_FILE, dump
from medshield.detect.name_train import TRAIN_FILES, train_from

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "src" / "medshield" / "detect" / "data" / MODEL_FILE
HEADER = (
    "# Weights of the running-text name model (feature<TAB>weight), written by\n"
    "# scripts/train_name_model.py from the training splits of CLUENER2020, Resume NER and\n"
    "# Weibo NER and the shipped term dictionary. See NOTICE.\n"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--corpora",
        type=Path,
        default=Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "text",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--files", nargs="+", default=list(TRAIN_FILES), help="training files of --corpora"
    )
    args = parser.parse_args()
    model = train_from(args.corpora, args.files)
    args.out.write_text(HEADER + dump(model), encoding="utf-8")
    print(f"{len(model.weights)} weights -> {args.out}")


if __name__ == "__main__":
    main()
