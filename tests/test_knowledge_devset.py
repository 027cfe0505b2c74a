"""The bundled articles against the dev question sets (the sets the constants
were tuned on; the held-out sets are the lead's test and are never read here).

Floors are the dev figures as tuned (knowledge/README.md), minus a little slack
for article edits; the guard rails (wrong and false answers) are the brief's.
"""

from pathlib import Path

import pytest

from knowledge.articles import load_articles
from knowledge.evaluation import evaluate, load_cases
from knowledge.retrieval import KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "knowledge" / "articles"
DEV = [ROOT / "tests" / "data" / f"kb_dev_{k}.jsonl" for k in "abc"]

pytestmark = pytest.mark.skipif(
    not all(p.exists() for p in DEV) or not any(ARTICLES.glob("*.md")),
    reason="dev sets or bundled articles not present",
)


@pytest.fixture(scope="module")
def result() -> dict:
    articles, problems = load_articles(ARTICLES)
    assert problems == [], [str(p) for p in problems]
    kb = KnowledgeBase.build(articles)
    cases = [c for p in DEV for c in load_cases(p)]
    known = {a.id for a in articles}
    unknown = {c["expect"] for c in cases if c.get("expect") and c["expect"] not in known}
    assert not unknown, f"dev cases name articles that do not exist: {sorted(unknown)}"
    return evaluate(kb, cases)


def test_no_more_than_2_percent_wrong_answers(result):
    assert result["wrong_answer_rate"] <= 0.02, result["failures"]


def test_no_more_than_5_percent_false_answers(result):
    assert result["false_answer_rate"] <= 0.05, [f for f in result["failures"] if f["expect"] is None]


def test_helpful_rate(result):
    assert result["helpful_rate"] >= 0.97


def test_answer_accuracy_floor(result):
    # Tuned figure on dev: see knowledge/README.md. The brief's 0.92 is NOT met.
    assert result["answer_accuracy"] >= 0.80

