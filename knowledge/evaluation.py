"""Measuring a knowledge base on question sets (JSON lines).

A case is ``{"question": "...", "expect": "article-id"}``, or ``"expect": null``
for a question the articles do not answer (out of scope). Other keys are
ignored. ``"expected"``/``"article"``/``"id"`` are accepted for ``expect``
and ``"text"``/``"q"`` for ``question``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from .examples import json_lines

__all__ = ["evaluate", "load_cases", "case_question", "case_expect"]

_Q_KEYS = ("question", "text", "q")
_E_KEYS = ("expect", "expected", "article", "id", "answer_id")


def case_question(case: dict) -> str:
    for k in _Q_KEYS:
        if k in case and case[k] is not None:
            return str(case[k])
    return ""


def case_expect(case: dict) -> str | None:
    for k in _E_KEYS:
        if k in case:
            v = case[k]
            if isinstance(v, list):  # several acceptable articles: the first is used
                v = v[0] if v else None
            return None if v in (None, "", "null") else str(v)
    return None


def load_cases(path: str | Path) -> list[dict]:
    """Read JSON lines (blank lines and lines starting with # or // are skipped)."""
    cases: list[dict] = []
    for n, obj, error in json_lines(Path(path)):
        if error is not None:
            raise ValueError(f"{path}:{n}: {error}")
        if not isinstance(obj, dict):
            raise ValueError(f"{path}:{n}: each line must be a JSON object")
        cases.append(obj)
    return cases


def _accepted(case: dict) -> set[str]:
    for k in _E_KEYS:
        if k in case and isinstance(case[k], list):
            return {str(x) for x in case[k] if x}
    e = case_expect(case)
    return {e} if e else set()


def evaluate(kb: Any, cases: list[dict]) -> dict:
    """Run every case through ``kb.ask`` and compute the rates.

    * answer_accuracy: expected article given as the answer / answerable cases
    * helpful_rate: answered correctly, or expected article among the suggestions / answerable
    * wrong_answer_rate: another article given as the answer / answerable
    * false_answer_rate: any article given as the answer / out-of-scope cases
    """
    n_ans = n_oos = correct = helpful = wrong = false = 0
    latencies: list[float] = []
    failures: list[dict] = []
    for case in cases:
        question = case_question(case)
        accepted = _accepted(case)
        expect = case_expect(case)
        t0 = time.perf_counter()
        out = kb.ask(question)
        latencies.append((time.perf_counter() - t0) * 1000.0)
        answered = out.article.id if (out.kind == "answer" and out.article is not None) else None
        sugg = [a.id for a in out.suggestions]
        ok = True
        if accepted:
            n_ans += 1
            if answered in accepted:
                correct += 1
                helpful += 1
            else:
                ok = False
                if answered is not None:
                    wrong += 1
                elif accepted & set(sugg):
                    helpful += 1
        else:
            n_oos += 1
            if answered is not None:
                false += 1
                ok = False
        if not ok:
            failures.append(
                {
                    "question": question,
                    "expect": expect,
                    "outcome": out.kind,
                    "article": answered,
                    "suggestions": sugg,
                    "confidence": round(float(out.confidence), 4),
                }
            )
    lat = np.asarray(latencies) if latencies else np.zeros(1)
    return {
        "answer_accuracy": round(correct / n_ans, 4) if n_ans else 0.0,
        "helpful_rate": round(helpful / n_ans, 4) if n_ans else 0.0,
        "wrong_answer_rate": round(wrong / n_ans, 4) if n_ans else 0.0,
        "false_answer_rate": round(false / n_oos, 4) if n_oos else 0.0,
        "n_answerable": n_ans,
        "n_out_of_scope": n_oos,
        "latency_ms_p50": round(float(np.percentile(lat, 50)), 3),
        "latency_ms_p99": round(float(np.percentile(lat, 99)), 3),
        "failures": failures,
    }
