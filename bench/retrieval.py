"""Retrieval bench: our knowledge base against BM25 and char n-gram TF-IDF.

    .venv/bin/python -m bench.retrieval [--cases FILE ...] [--kb DIR] [--articles N]

1. Quality, on the same cases: each method at its best threshold that keeps
   false answers ≤ 5 % (an oracle threshold, chosen on these very cases), plus
   our base as shipped (default thresholds, nothing chosen on the cases).
   Columns: answer accuracy, wrong answers (of answerable), false answers (of
   out-of-scope), top-1 (ranking alone, answerable cases).
2. Scale: index build time and peak memory (tracemalloc) for N synthetic
   articles, and query latency p50/p99 over them on one core.

Baselines (dev dependencies only): rank_bm25's BM25Okapi on lowercase words of
the whole article; scikit-learn's char_wb 3–5-gram TF-IDF on the whole article.
Default cases are the held-out set(s) in tests/data; the example questions that
are also cases are left out of the base (as ``kulturbot kb eval`` does).
"""

from __future__ import annotations

import os

# one core: keep BLAS single-threaded (set before numpy is imported)
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from knowledge.articles import Article  # noqa: E402
from knowledge.evaluation import case_expect, case_question, evaluate, load_cases  # noqa: E402
from knowledge.examples import Example, leave_out  # noqa: E402
from knowledge.library import load_directory  # noqa: E402
from knowledge.retrieval import KnowledgeBase  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HELD_OUT = sorted((ROOT / "tests" / "data").glob("kb_heldout_*.jsonl"))
MAX_FALSE = 0.05


def article_text(a: Article) -> str:
    return "\n".join([a.title, *a.questions, " ".join(a.tags), a.body])


@dataclass
class Ranked:
    top: int  # index of the best article, -1 if nothing scored
    score: float  # the value a threshold is applied to


def best_threshold(ranked: list[Ranked], expect: list[int]) -> dict:
    """The threshold with the highest answer accuracy whose false-answer rate ≤ MAX_FALSE."""
    ans = np.array([e >= 0 for e in expect])
    top = np.array([r.top for r in ranked])
    score = np.array([r.score for r in ranked])
    exp = np.array(expect)
    n_ans = max(int(ans.sum()), 1)
    n_oos = max(int((~ans).sum()), 1)
    best = None
    for t in np.unique(np.r_[score, np.inf]):
        given = (score >= t) & (top >= 0)
        false = float((given & ~ans).sum() / n_oos)
        if false > MAX_FALSE:
            continue
        acc = float((given & ans & (top == exp)).sum() / n_ans)
        wrong = float((given & ans & (top != exp)).sum() / n_ans)
        if best is None or acc > best["accuracy"]:
            best = {"accuracy": acc, "wrong": wrong, "false": false, "threshold": float(t)}
    best["top1"] = float((top == exp)[ans].mean()) if ans.any() else 0.0
    return best


def run_bm25(articles: list[Article], questions: list[str]) -> list[Ranked]:
    from rank_bm25 import BM25Okapi

    tok = lambda s: re.findall(r"\w+", s.lower())  # noqa: E731
    bm = BM25Okapi([tok(article_text(a)) for a in articles])
    out = []
    for q in questions:
        s = bm.get_scores(tok(q))
        i = int(np.argmax(s))
        out.append(Ranked(i if s[i] > 0 else -1, float(s[i])))
    return out


def run_char_tfidf(articles: list[Article], questions: list[str]) -> list[Ranked]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True)
    m = vec.fit_transform([article_text(a) for a in articles])
    s = (vec.transform(questions) @ m.T).toarray()
    return [Ranked(int(np.argmax(r)) if r.max() > 0 else -1, float(r.max())) for r in s]


def run_ours(kb: KnowledgeBase, questions: list[str]) -> list[Ranked]:
    out = []
    for q in questions:
        sc = kb.score(q)
        out.append(Ranked(int(sc.order[0]) if sc.order.size else -1, sc.confidence))
    return out


def quality(articles: list[Article], examples: list[Example], cases: list[dict]) -> None:
    ids = {a.id: i for i, a in enumerate(articles)}
    usable = [c for c in cases if case_expect(c) is None or case_expect(c) in ids]
    if len(usable) < len(cases):
        print(f"  ({len(cases) - len(usable)} cases name articles that do not exist; left out)")
    questions = [case_question(c) for c in usable]
    expect = [ids[case_expect(c)] if case_expect(c) else -1 for c in usable]
    n_ans = sum(e >= 0 for e in expect)
    print(f"{len(articles)} articles, {n_ans} answerable + {len(expect) - n_ans} out-of-scope questions\n")
    plain = KnowledgeBase.build(articles)
    kb = KnowledgeBase.build(articles, examples=examples)
    print(f"({len(examples)} example questions; none of them is one of these cases)\n")
    rows = [
        ("BM25 (rank_bm25, words)", best_threshold(run_bm25(articles, questions), expect)),
        ("char 3-5 TF-IDF (sklearn)", best_threshold(run_char_tfidf(articles, questions), expect)),
        ("kulturbot, oracle threshold", best_threshold(run_ours(kb, questions), expect)),
    ]
    print(f"{'method':<38} {'accuracy':>8} {'wrong':>7} {'false':>7} {'top-1':>7} {'threshold':>10}")
    for name, r in rows:
        print(f"{name:<38} {r['accuracy']:>8.3f} {r['wrong']:>7.3f} {r['false']:>7.3f} {r['top1']:>7.3f} "
              f"{r['threshold']:>10.3f}")
    for name, base in (("kulturbot without examples, shipped", plain), ("kulturbot, as shipped", kb)):
        res = evaluate(base, usable)
        top1 = best_threshold(run_ours(base, questions), expect)["top1"]
        print(
            f"{name:<38} {res['answer_accuracy']:>8.3f} {res['wrong_answer_rate']:>7.3f} "
            f"{res['false_answer_rate']:>7.3f} {top1:>7.3f} {base.answer_threshold:>10.3f}"
        )
    print(f"\nas shipped: helpful rate {res['helpful_rate']:.3f}, "
          f"latency p50 {res['latency_ms_p50']:.2f} ms, p99 {res['latency_ms_p99']:.2f} ms")


# --- scale ----------------------------------------------------------------------

def synthetic_vocabulary(real_words: list[str], size: int, seed: int = 1) -> tuple[list[str], np.ndarray]:
    """Real article words plus compounds of two of them (Norwegian writes
    compounds as one word), with Zipf-like frequencies as in natural text."""
    rng = random.Random(seed)
    words = list(dict.fromkeys(real_words))
    seen = set(words)
    while len(words) < size:
        w = rng.choice(real_words) + rng.choice(real_words)
        if w not in seen:
            seen.add(w)
            words.append(w)
    rng.shuffle(words)
    weights = 1.0 / np.arange(1, len(words) + 1)
    return words, weights / weights.sum()


def synthetic_articles(n: int, words: list[str], weights: np.ndarray | None = None, seed: int = 1) -> list[Article]:
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    pool = iter(())

    def draw() -> str:
        nonlocal pool
        try:
            return next(pool)
        except StopIteration:
            pool = iter([words[i] for i in nrng.choice(len(words), 50_000, p=weights)])
            return next(pool)

    def phrase(k: int) -> str:
        return " ".join(draw() for _ in range(k))

    out = []
    for i in range(n):
        out.append(
            Article(
                id=f"syn-{i}",
                title=phrase(rng.randint(4, 9)).capitalize() + "?",
                questions=tuple(phrase(rng.randint(4, 10)).capitalize() + "?" for _ in range(rng.randint(2, 6))),
                tags=tuple(draw() for _ in range(3)),
                source=None,
                owner=None,
                reviewed=date(2026, 1, 1),
                lang="nb",
                body=". ".join(phrase(rng.randint(6, 16)) for _ in range(rng.randint(5, 14))) + ".",
                uncertain=False,
                path=f"syn-{i}.md",
                extra={},
            )
        )
    return out


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def synthetic_examples(arts: list[Article], per_article: int, words: list[str], weights: np.ndarray,
                       seed: int = 3) -> list[Example]:
    """``per_article`` example questions per article (a sample question with
    its words shuffled and one dropped), and one out-of-scope example per
    twenty articles (random words)."""
    rng = random.Random(seed)
    out = []
    for a in arts:
        for _ in range(per_article):
            q = rng.choice(a.questions).rstrip("?").split()
            rng.shuffle(q)
            out.append(Example(" ".join(q[: max(3, len(q) - 1)]) + "?", a.id, "synthetic.jsonl"))
    nrng = np.random.default_rng(seed)
    for _ in range(len(arts) // 20):
        question = " ".join(words[i] for i in nrng.choice(len(words), 6, p=weights)) + "?"
        out.append(Example(question, None, "synthetic.jsonl"))
    return out


def measure(label: str, arts: list[Article], examples: list[Example], queries: list[str]) -> None:
    t0 = time.perf_counter()
    kb = KnowledgeBase.build(arts, examples=examples)
    build_s = time.perf_counter() - t0
    del kb
    tracemalloc.start()
    kb = KnowledgeBase.build(arts, examples=examples)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    for q in queries[:50]:  # warm-up
        kb.ask(q)
    lat = []
    cpu = []
    for q in queries:
        t = time.perf_counter()
        c = time.thread_time()
        kb.ask(q)
        cpu.append((time.thread_time() - c) * 1000)
        lat.append((time.perf_counter() - t) * 1000)
    lat = np.asarray(lat)
    cpu = np.asarray(cpu)
    print(f"  {label}")
    print(f"    index build      {build_s:.1f} s")
    print(f"    peak memory      {peak / 2**20:.0f} MiB (tracemalloc, during build)")
    print(f"    query CPU time   p50 {np.percentile(cpu, 50):.2f} ms, p99 {np.percentile(cpu, 99):.2f} ms "
          f"(max {cpu.max():.2f} ms; {len(cpu)} queries on one core; target p99 < 5 ms)")
    print(f"    wall clock       p50 {np.percentile(lat, 50):.2f} ms, p99 {np.percentile(lat, 99):.2f} ms "
          f"(max {lat.max():.2f} ms; includes time other processes held the core, and GC)")


def scale(real: list[Article], n: int, n_queries: int, per_article: int) -> None:
    real_words = sorted({w for a in real for w in re.findall(r"[a-zæøå]{3,}", article_text(a).lower())})
    if len(real_words) < 500:
        real_words += [f"ord{i}" for i in range(2000)]
    words, weights = synthetic_vocabulary(real_words, 60_000)
    arts = synthetic_articles(n, words, weights)
    rng = random.Random(7)
    queries = []
    for _ in range(n_queries):
        a = rng.choice(arts)
        q = rng.choice(a.questions).rstrip("?").split()
        rng.shuffle(q)
        q = [typo(w, rng) if rng.random() < 0.2 else w for w in q[: rng.randint(3, len(q))]]
        queries.append(" ".join(q) + "?")
    print(f"\nscale: {n} synthetic articles ({sum(len(a.questions) + 1 for a in arts)} phrasings, "
          f"Zipf-distributed vocabulary of {len(words)} words)")
    measure("without examples", arts, [], queries)
    if per_article:
        examples = synthetic_examples(arts, per_article, words, weights)
        measure(f"with {len(examples)} example questions ({per_article} per article + 1 out-of-scope per 20 articles)",
                arts, examples, queries)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=Path, nargs="*", default=None,
                    help="JSON-lines case files (default: the held-out sets)")
    ap.add_argument("--kb", type=Path, default=ROOT / "knowledge/articles")
    ap.add_argument("--articles", type=int, default=10_000, help="synthetic articles for the scale test (0: skip)")
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--examples-per-article", type=int, default=2, help="synthetic examples for the scale test")
    args = ap.parse_args(argv)
    try:  # one core for latency
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    except (AttributeError, OSError):
        pass
    articles, examples, problems = load_directory(args.kb)
    if problems:
        print(f"({len(problems)} problems skipped: run `kulturbot kb validate`)")
    files = args.cases if args.cases is not None else HELD_OUT
    cases: list[dict] = []
    for f in files:
        cases += load_cases(f)
    print("cases:", ", ".join(str(f.name) for f in files) or "none")
    if cases and articles:
        quality(articles, leave_out(examples, (case_question(c) for c in cases)), cases)
    if args.articles:
        scale(articles, args.articles, args.queries, args.examples_per_article)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
