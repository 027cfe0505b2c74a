"""The bundled articles against the fresh held-out set (kb_heldout_c.jsonl), which no tuning has
seen. The brief's limits on wrong and false answers and on the helpful rate hold there and must
keep holding; answer accuracy misses the brief's 0.92 (0.802 measured, knowledge/README.md), so
it is guarded only against getting worse. Never tune on this file: a failure here means the
change made the bot less safe, not that the thresholds should move to fit it."""

from pathlib import Path

import pytest

from knowledge.articles import load_articles
from knowledge.evaluation import evaluate, load_cases
from knowledge.retrieval import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = ROOT / "tests" / "data" / "kb_heldout_c.jsonl"


@pytest.fixture(scope="module")
def result() -> dict:
    articles, problems = load_articles(ROOT / "knowledge" / "articles")
    assert problems == []
    return evaluate(KnowledgeBase.build(articles), load_cases(HELD_OUT))


def test_the_set_is_large_enough_to_mean_something(result: dict) -> None:
    assert result["n_answerable"] >= 150 and result["n_out_of_scope"] >= 40


def test_at_most_2_percent_wrong_answers(result: dict) -> None:
    assert result["wrong_answer_rate"] <= 0.02


def test_at_most_5_percent_false_answers(result: dict) -> None:
    assert result["false_answer_rate"] <= 0.05


def test_helpful_rate_at_least_97_percent(result: dict) -> None:
    assert result["helpful_rate"] >= 0.97


def test_answer_accuracy_no_worse_than_measured(result: dict) -> None:
    assert result["answer_accuracy"] >= 0.78  # measured 0.802; the brief's 0.92 is not met
