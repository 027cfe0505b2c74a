"""The bundled articles against the held-out sets that no tuning has seen (kb_heldout_c.jsonl,
kb_heldout_d.jsonl and kb_heldout_e.jsonl, each written by someone who never saw the tuning data or
the sample questions, and measured once after the tuning was done; knowledge/README.md has the
figures).

Where the brief's limit holds on a set it must keep holding; where it is missed (answer accuracy
on all three, 0.859, 0.876 and 0.846 against 0.92; false answers on d and e, 4 of 67 and 5 of 77
against 5 %; helpful on e, 0.967 against 0.97) the figure is guarded only against getting worse. Never tune on these files: a failure here means the change
made the bot less safe or less useful, not that the thresholds should move to fit them."""

from pathlib import Path

import pytest

from knowledge.articles import load_articles
from knowledge.evaluation import evaluate, load_cases
from knowledge.retrieval import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
BRIEF = {"answer_accuracy": 0.92, "helpful_rate": 0.97, "wrong_answer_rate": 0.02, "false_answer_rate": 0.05}
# per set: the brief's figure where it is met, else the measured one (rounded towards worse)
FLOORS = {
    "kb_heldout_c.jsonl": {"answer_accuracy": 0.84, "helpful_rate": 0.97, "wrong_answer_rate": 0.02,
                           "false_answer_rate": 0.05},
    "kb_heldout_d.jsonl": {"answer_accuracy": 0.86, "helpful_rate": 0.97, "wrong_answer_rate": 0.02,
                           "false_answer_rate": 0.06},
    "kb_heldout_e.jsonl": {"answer_accuracy": 0.84, "helpful_rate": 0.96, "wrong_answer_rate": 0.02,
                           "false_answer_rate": 0.07},
}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    articles, problems = load_articles(ROOT / "knowledge" / "articles")
    assert problems == []
    return KnowledgeBase.build(articles)


@pytest.fixture(scope="module", params=sorted(FLOORS))
def held_out(request: pytest.FixtureRequest, kb: KnowledgeBase) -> tuple[str, dict]:
    return request.param, evaluate(kb, load_cases(ROOT / "tests" / "data" / request.param))


def test_the_set_is_large_enough_to_mean_something(held_out: tuple[str, dict]) -> None:
    _, result = held_out
    assert result["n_answerable"] >= 150 and result["n_out_of_scope"] >= 40


def test_wrong_answers_stay_within_the_limit(held_out: tuple[str, dict]) -> None:
    name, result = held_out
    assert result["wrong_answer_rate"] <= FLOORS[name]["wrong_answer_rate"] <= BRIEF["wrong_answer_rate"]


def test_false_answers_no_worse_than_measured(held_out: tuple[str, dict]) -> None:
    name, result = held_out
    assert result["false_answer_rate"] <= FLOORS[name]["false_answer_rate"]


def test_helpful_rate_no_worse_than_measured(held_out: tuple[str, dict]) -> None:
    name, result = held_out
    assert result["helpful_rate"] >= FLOORS[name]["helpful_rate"]


def test_answer_accuracy_no_worse_than_measured(held_out: tuple[str, dict]) -> None:
    name, result = held_out
    assert result["answer_accuracy"] >= FLOORS[name]["answer_accuracy"]
