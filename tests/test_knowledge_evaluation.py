"""evaluate(): the rate definitions, on a scripted base."""

import json

import pytest

from knowledge.articles import Article
from knowledge.evaluation import evaluate, load_cases
from knowledge.retrieval import Outcome


def art(i: str) -> Article:
    return Article(i, i, ("a", "b"), (), None, None, None, "nb", "body", False, f"{i}.md", {})


A, B, C = art("a"), art("b"), art("c")


class Scripted:
    def __init__(self, answers: dict[str, Outcome]):
        self.answers = answers

    def ask(self, text: str) -> Outcome:
        return self.answers[text]


def test_rate_definitions():
    kb = Scripted(
        {
            "q1": Outcome("answer", A, (), 0.9),  # correct
            "q2": Outcome("answer", B, (), 0.8),  # wrong article
            "q3": Outcome("suggest", None, (C, A), 0.4),  # expected among suggestions: helpful
            "q4": Outcome("escalate", None, (), 0.1),  # escalated
            "o1": Outcome("answer", C, (), 0.7),  # false answer
            "o2": Outcome("escalate", None, (), 0.1),
            "o3": Outcome("answer", None, (), 1.0, "greeting"),  # small talk is no article
        }
    )
    cases = [
        {"question": "q1", "expect": "a"},
        {"question": "q2", "expect": "a"},
        {"question": "q3", "expect": "a"},
        {"question": "q4", "expect": "a"},
        {"question": "o1", "expect": None},
        {"question": "o2", "expect": None},
        {"question": "o3", "expect": None},
    ]
    r = evaluate(kb, cases)
    assert r["n_answerable"] == 4 and r["n_out_of_scope"] == 3
    assert r["answer_accuracy"] == 0.25
    assert r["helpful_rate"] == 0.5
    assert r["wrong_answer_rate"] == 0.25
    assert r["false_answer_rate"] == pytest.approx(0.3333, abs=1e-4)
    assert r["latency_ms_p50"] >= 0 and r["latency_ms_p99"] >= r["latency_ms_p50"]
    failed = {f["question"]: f for f in r["failures"]}
    assert set(failed) == {"q2", "q3", "q4", "o1"}
    assert failed["q2"] == {
        "question": "q2", "expect": "a", "outcome": "answer", "article": "b", "suggestions": [], "confidence": 0.8,
    }
    assert failed["q3"]["suggestions"] == ["c", "a"]


def test_load_cases_reads_json_lines(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text(
        "\n".join([json.dumps({"question": "Hva?", "expect": "a"}), "", "# comment", json.dumps({"question": "x", "expect": None})]),
        encoding="utf-8",
    )
    assert load_cases(p) == [{"question": "Hva?", "expect": "a"}, {"question": "x", "expect": None}]
    p.write_text("[1, 2]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="c.jsonl:1"):
        load_cases(p)
