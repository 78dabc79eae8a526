import numpy as np
import pytest

from medshield.classify.lexicon import load_lexicon
from medshield.classify.model import Example, column_text, lexicon_examples, train


@pytest.mark.slow
def test_training_is_deterministic() -> None:
    examples = lexicon_examples(load_lexicon())
    first, second = train(examples), train(list(reversed(examples)))
    assert first.version == second.version
    assert np.array_equal(first.pipeline["lr"].coef_, second.pipeline["lr"].coef_)


@pytest.mark.slow
def test_labelled_columns_teach_the_model_new_names() -> None:
    lexicon = lexicon_examples(load_lexicon())
    odd = column_text("qzkh_zz", None, "VARCHAR(20)", "zzz")
    before = train(lexicon).predict_one(odd)
    taught = train([*lexicon, Example(odd, "DE02.01.066.00")])
    assert before[0] != "DE02.01.066.00"
    assert taught.predict_one(odd)[0] == "DE02.01.066.00"
