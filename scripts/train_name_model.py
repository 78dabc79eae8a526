"""Trains the name model of running text and writes src/medshield/detect/data/name_model.tsv.

    python scripts/train_name_model.py [--out PATH]
    python scripts/train_name_model.py --compare ../shared/corpora/text --out /tmp/model.tsv

The shipped model is trained on the project's own sentences (``medshield.detect.name_corpus``)
and the shipped term dictionary only; deterministic. ``--compare DIR`` adds the training splits
of the public NER corpora found in DIR, to compare with; such a model must not be shipped
(CLUENER2020 and Resume NER are research-only; Weibo NER's text is under Weibo's terms).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from medshield.detect.name_model import MODEL_FILE, dump
from medshield.detect.name_train import train_from, train_shipped

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "src" / "medshield" / "detect" / "data" / MODEL_FILE
HEADER = (
    "# Weights of the running-text name model (feature<TAB>weight), written by\n"
    "# scripts/train_name_model.py from the project's own sentences\n"
    "# (medshield.detect.name_corpus) and the shipped term dictionary. See NOTICE.\n"
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--compare", type=Path, help="a folder of the public NER corpora")
    args = parser.parse_args()
    if args.compare and args.out.resolve() == DEFAULT_OUT.resolve():
        parser.error("a model trained on the public corpora must not overwrite the shipped one")
    model = train_from(args.compare) if args.compare else train_shipped()
    args.out.write_text(HEADER + dump(model), encoding="utf-8")
    print(f"{len(model.weights)} weights -> {args.out}")


if __name__ == "__main__":
    main()
