"""The bundled articles against their own example questions, each file left out in turn
(knowledge/articles/examples/: the dev sets and the spent held-out sets the constants were
tuned on). Every file is asked of a base built with the examples of the *other* files, as a new
question would be, and the files are pooled.

Floors are the figures as tuned (knowledge/README.md, "Thresholds") less a little slack for
article edits; the guard rails (wrong and false answers) are the brief's. The honest figure is
the held-out set's (test_knowledge_heldout.py): the confidence model itself was fitted on these.
"""

from pathlib import Path

import pytest

from knowledge.evaluation import evaluate, load_cases
from knowledge.library import load_directory
from knowledge.retrieval import KnowledgeBase

ARTICLES = Path(__file__).resolve().parent.parent / "knowledge" / "articles"


@pytest.fixture(scope="module")
def per_file() -> dict[str, dict]:
    articles, examples, problems = load_directory(ARTICLES)
    assert problems == [], [str(p) for p in problems]
    files = sorted({e.source for e in examples})
    assert len(files) >= 3
    out = {}
    for name in files:
        kb = KnowledgeBase.build(articles, examples=[e for e in examples if e.source != name])
        out[name] = evaluate(kb, load_cases(ARTICLES / "examples" / name))
    return out


@pytest.fixture(scope="module")
def pooled(per_file: dict[str, dict]) -> dict[str, float]:
    n_ans = sum(r["n_answerable"] for r in per_file.values())
    n_oos = sum(r["n_out_of_scope"] for r in per_file.values())

    def pool(key: str, n: str) -> float:
        return sum(r[key] * r[n] for r in per_file.values()) / sum(r[n] for r in per_file.values())

    return {
        "n_answerable": n_ans,
        "n_out_of_scope": n_oos,
        "answer_accuracy": pool("answer_accuracy", "n_answerable"),
        "helpful_rate": pool("helpful_rate", "n_answerable"),
        "wrong_answer_rate": pool("wrong_answer_rate", "n_answerable"),
        "false_answer_rate": pool("false_answer_rate", "n_out_of_scope"),
    }


def test_there_are_enough_examples_to_mean_something(pooled):
    assert pooled["n_answerable"] >= 1500 and pooled["n_out_of_scope"] >= 400


def test_no_more_than_2_percent_wrong_answers(pooled):
    assert pooled["wrong_answer_rate"] <= 0.02


def test_no_more_than_5_percent_false_answers(pooled):
    assert pooled["false_answer_rate"] <= 0.05


def test_helpful_rate(pooled):
    assert pooled["helpful_rate"] >= 0.97


def test_answer_accuracy_floor(pooled):
    assert pooled["answer_accuracy"] >= 0.91


def test_no_file_gets_more_than_5_percent_wrong_answers(per_file):
    # one file written by one hand may scatter, but not into wrong answers about the law
    assert {name: r["wrong_answer_rate"] for name, r in per_file.items() if r["wrong_answer_rate"] > 0.05} == {}
