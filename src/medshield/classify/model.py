"""The learned name model: char n-gram TF-IDF and logistic regression over a column's name,
comment, SQL type and table name, predicting its data element ("" for none).

Nothing is downloaded and no binary ships with the package: the default model is trained at first
use, deterministically, from examples generated out of the lexicon (each pattern written in
snake_case, CamelCase, UPPER, glued and pinyin styles). ``medshield classify train`` adds labelled
columns (a synthetic alliance's ground truth, labelled corpora) and saves the model to
``$MEDSHIELD_HOME/classify/model.joblib``, which is used from then on. The model fitted at first use
is cached beside it, under the lexicon's version, so later runs load it in a moment.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from medshield.atomic import atomic_target
from medshield.classify.lexicon import Lexicon, load_lexicon
from medshield.classify.tokens import raw_tokens
from medshield.settings import get_settings

if TYPE_CHECKING:  # scikit-learn takes seconds to import: only where a model is built or read
    from sklearn.pipeline import Pipeline

NONE_WORDS = (
    "value", "data", "info", "misc", "extra", "tmp", "field", "attr", "param", "level", "score",
    "category", "sort", "version", "url", "path", "count", "total", "qty", "quantity", "days",
    "result_img_url", "value_list", "model", "catalog", "scope", "pair", "aim", "demand",
    "stock", "remain", "limit", "noon", "star", "word", "seq_num", "domain", "vocabulary",
    "concept_class", "invalid_reason", "standard", "relationship_concept", "cohort", "metadata",
)  # fmt: skip


@dataclass(frozen=True)
class Example:
    text: str
    element: str  # "" for no element


def column_text(name: str, comment: str | None, sql_type: str, table: str) -> str:
    """The one string the model reads for a column."""
    words = " ".join(raw_tokens(name))
    kind = sql_type.split("(")[0].lower() if sql_type else ""
    return f"{words} | {name.lower()} | {comment or ''} | {kind} | {' '.join(raw_tokens(table))}"


def lexicon_examples(lexicon: Lexicon, seed: int = 7) -> list[Example]:
    """Training columns generated from the lexicon in several naming styles."""
    rng = random.Random(seed)  # noqa: S311 - reproducible examples, not secrets
    out: list[Example] = []
    tables = ("patient", "visit", "record", "his", "emr", "t", "mz", "zy", "")
    for p in lexicon.patterns:
        toks = list(p.exact or sorted(p.tokens))
        if p.exact is None:
            rng.shuffle(toks)
        table = p.context or rng.choice(tables)
        styles = (
            "_".join(toks),
            toks[0] + "".join(t.title() for t in toks[1:]),
            "_".join(toks).upper(),
            "".join(toks),
            f"{rng.choice(('pat', 'p', 'src', 'fk'))}_{'_'.join(toks)}",
        )
        for name in styles:
            out.append(Example(column_text(name, None, "", table), p.element))
    for keyword, code, ctx in lexicon.zh:
        out.append(Example(column_text(f"col{rng.randint(1, 99)}", keyword, "", ctx or ""), code))
    for word, readings in lexicon.pinyin.items():
        code, ctx = readings[0]
        out.append(Example(column_text(word, None, "", ctx or ""), code))
        out.append(Example(column_text(word.upper(), None, "", ctx or ""), code))
    for word in NONE_WORDS:
        for style in (word, word.upper(), f"x_{word}"):
            out.append(Example(column_text(style, None, "", rng.choice(tables)), ""))
    return out


class NameModel:
    """A fitted pipeline and the data it was fitted on (by digest)."""

    def __init__(self, pipeline: Pipeline, version: str) -> None:
        self.pipeline = pipeline
        self.version = version

    def predict(self, texts: Sequence[str]) -> list[tuple[str, float]]:
        if not texts:
            return []
        probs = self.pipeline.predict_proba(list(texts))
        classes = self.pipeline.classes_
        best = probs.argmax(axis=1)
        return [(str(classes[i]), float(probs[row, i])) for row, i in enumerate(best)]

    def predict_one(self, text: str) -> tuple[str, float]:
        return self.predict([text])[0]

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        import joblib  # type: ignore[import-untyped]

        with atomic_target(path) as tmp:
            joblib.dump({"pipeline": self.pipeline, "version": self.version}, tmp)


def train(examples: Iterable[Example]) -> NameModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import Pipeline

    data = sorted({(e.text, e.element) for e in examples})
    digest = hashlib.sha256(repr(data).encode("utf-8")).hexdigest()[:16]
    pipeline = Pipeline(
        [
            ("tfidf", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)),
            (
                "lr",
                SGDClassifier(loss="log_loss", alpha=2e-5, max_iter=40, tol=None, random_state=0),
            ),
        ]
    )
    pipeline.fit([t for t, _ in data], [e for _, e in data])
    return NameModel(pipeline, f"model:{digest}")


def model_path() -> Path:
    return get_settings().home / "classify" / "model.joblib"


@cache
def default_model() -> NameModel:
    """The trained model in MEDSHIELD_HOME when there is one, else one fitted on the lexicon."""
    path = model_path()
    if path.is_file():
        return _load(path)
    lexicon = load_lexicon()
    cached = path.with_name(f"{lexicon.version.replace(':', '-')}.joblib")
    if cached.is_file():
        return _load(cached)
    model = train(lexicon_examples(lexicon))
    try:  # a cache of what first use trained; never required
        model.save(cached)
    except OSError:
        pass
    return model


def _load(path: Path) -> NameModel:
    import joblib

    saved = joblib.load(path)  # our own file, written by NameModel.save
    return NameModel(saved["pipeline"], str(saved["version"]))
