"""The offline tuning helpers: a standardized fit stored as raw coefficients,
examples scored without their own file, and no held-out set accepted."""

import numpy as np
import pytest

from knowledge.retrieval import SIGNALS
from knowledge.tuning import confidence, fit_logistic, fit_standardized, main


def _data(n=300, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, len(SIGNALS))) * rng.uniform(0.1, 10, len(SIGNALS))
    X[:, 0] = np.abs(X[:, 0]) + 0.1  # a positive top score: the logistic applies
    X[:, SIGNALS.index("vague")] = 0
    y = (X[:, 2] / X[:, 2].std() + rng.normal(scale=0.5, size=n) > 0).astype(float)
    return X, y


def test_raw_coefficients_reproduce_the_standardized_model():
    X, y = _data()
    coef = fit_standardized(X, y, l2=1.0)
    Xs = X.copy()
    mu, sd = Xs.mean(0), Xs.std(0)
    sd[sd < 1e-9] = 1.0
    b = fit_logistic((Xs - mu) / sd, y, l2=1.0)
    expected = 1 / (1 + np.exp(-(b[0] + ((Xs - mu) / sd) @ b[1:])))
    assert np.allclose(confidence(X, coef), expected, atol=1e-6)


def test_vague_questions_are_capped():
    X, y = _data()
    coef = fit_standardized(X, y, l2=1.0)
    X[:, SIGNALS.index("vague")] = 1
    assert confidence(X, coef).max() <= 0.5


def test_held_out_sets_are_refused(tmp_path):
    with pytest.raises(SystemExit):
        main(["--cases", str(tmp_path / "kb_heldout_a.jsonl"), "--no-loo"])


def test_examples_are_scored_without_their_own_file():
    from pathlib import Path

    from knowledge.articles import load_articles
    from knowledge.examples import Example
    from knowledge.tuning import LeaveOut

    articles, _ = load_articles(Path(__file__).parent / "fixtures" / "kb_small")
    examples = [
        Example("slipper fattige familier å betale", "friplass", "a.jsonl"),
        Example("hva koster en fiolin", None, "a.jsonl"),
        Example("gratis plass for familier med dårlig råd", "friplass", "b.jsonl"),
        Example("hva koster en gitar", None, "b.jsonl"),
    ]
    lo = LeaveOut(articles, examples, np.asarray((0.056, 0.052, 0.482, 0.29, 0.12), np.float32))
    example, example_oos = SIGNALS.index("example"), SIGNALS.index("example_oos")
    rows = lo.files(["a.jsonl", "b.jsonl"])
    assert rows.expect == ["friplass", None, "friplass", None]
    assert list(rows.oos) == [False, True, False, True]
    # no question is its own nearest example: each sees only the other file's
    assert np.all(rows.X[:, [example, example_oos]].max(axis=1) < 0.99)
    assert rows.X[1, example_oos] > 0.5  # "fiolin" is near "gitar" (b), not itself (a)
    # with a second file left out too, nothing is left to be close to
    both = lo.files(["a.jsonl"], frozenset({"b.jsonl"}))
    assert np.all(both.X[:, example_oos] == 0.0)
