"""Offline tuning of the field weights, the confidence model and the thresholds.

Run ``python -m knowledge.tuning [--kb DIR] [--cases FILE ...]``. Uses only
what it is given: the articles' own sample questions (leave-one-out: each
sample question is asked of a base built *without* it) and the dev question
sets (by default tests/data/kb_dev_a.jsonl, kb_dev_b.jsonl, kb_dev_c.jsonl). It
never reads a held-out set. It prints the chosen constants; they are copied by
hand into ``retrieval.py`` and documented in ``knowledge/README.md``.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np

from .articles import Article, load_articles
from .evaluation import case_expect, case_question, load_cases
from .retrieval import FIELD_WEIGHTS, SIGNALS, VAGUE_CONFIDENCE, VIEWS, KnowledgeBase

ROOT = Path(__file__).resolve().parent.parent
DEV_SETS = [ROOT / f"tests/data/kb_dev_{k}.jsonl" for k in "abc"]
#: Room kept below the brief's limits (5 % false, 2 % wrong) when the answer
#: threshold is read off the out-of-fold confidences: half of each. Sets
#: written by different hands disagree far more than folds of one set do
#: (fitted without kb_dev_b, the model answered 27 % of kb_dev_b's out-of-scope
#: questions), and a wrong answer is worse than a ticket.
MAX_FALSE = 0.025
MAX_WRONG = 0.01
#: The out-of-scope questions of these sets are near misses written by
#: another hand than kb_dev_c's; they are the best stand-in for an unseen
#: set, so the threshold must also keep *their* false-answer rate below this.
NEAR_MISS_SETS = ("kb_dev_a.jsonl", "kb_dev_b.jsonl")
MAX_FALSE_NEAR = 0.10


@dataclasses.dataclass
class Record:
    question: str
    expect: int  # article index, -1 = out of scope
    comp: np.ndarray  # (n, len(VIEWS)) cosines
    source: str


def record(kb: KnowledgeBase, question: str, expect: int, source: str, index: dict[str, int]) -> Record:
    n_all = len(index)
    q = kb.analyse(question)
    comp = np.zeros((n_all, len(VIEWS)), np.float32)
    if q.smalltalk or q.empty:
        return Record(question, expect, comp, source)
    comp_kb = kb.components(q)
    for i, a in enumerate(kb.articles):
        comp[index[a.id]] = comp_kb[i]
    return Record(question, expect, comp, source)


def loo_records(articles: list[Article]) -> list[Record]:
    """Each sample question asked of a base built without it."""
    index = {a.id: i for i, a in enumerate(articles)}
    out: list[Record] = []
    for i, a in enumerate(articles):
        for j, q in enumerate(a.questions):
            rest = a.questions[:j] + a.questions[j + 1 :]
            held = dataclasses.replace(a, questions=rest)
            kb = KnowledgeBase.build(articles[:i] + [held] + articles[i + 1 :])
            out.append(record(kb, q, i, "loo", index))
    return out


def case_records(articles: list[Article], cases: list[dict], source: str) -> list[Record]:
    index = {a.id: i for i, a in enumerate(articles)}
    kb = KnowledgeBase.build(articles)
    out = []
    for c in cases:
        e = case_expect(c)
        if e is not None and e not in index:
            print(f"warning: {source}: unknown article {e!r}", file=sys.stderr)
            continue
        out.append(record(kb, case_question(c), index[e] if e else -1, source, index))
    return out


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, iters: int = 500) -> np.ndarray:
    """Plain Newton logistic regression with a bias column; returns coefficients."""
    X = np.hstack([np.ones((len(x), 1)), x])
    b = np.zeros(X.shape[1])
    for _ in range(iters):
        p = 1 / (1 + np.exp(-X @ b))
        g = X.T @ (p - y) + l2 * np.r_[0, b[1:]]
        H = (X * (p * (1 - p))[:, None]).T @ X + l2 * np.diag(np.r_[0, np.ones(len(b) - 1)])
        step = np.linalg.solve(H, g)
        b -= step
        if np.abs(step).max() < 1e-8:
            break
    return b


def rates(conf: np.ndarray, correct: np.ndarray, oos: np.ndarray, t: float) -> dict:
    ans = ~oos
    given = conf >= t
    n_ans = max(int(ans.sum()), 1)
    n_oos = max(int(oos.sum()), 1)
    return {
        "threshold": round(float(t), 3),
        "accuracy": round(float((given & correct & ans).sum() / n_ans), 4),
        "wrong": round(float((given & ~correct & ans).sum() / n_ans), 4),
        "false": round(float((given & oos).sum() / n_oos), 4),
    }


def best_threshold(conf, correct, oos, max_false=0.05, max_wrong=0.02) -> dict:
    best = None
    for t in np.unique(np.r_[conf, 1.0]):
        r = rates(conf, correct, oos, t)
        if r["false"] <= max_false and r["wrong"] <= max_wrong:
            if best is None or r["accuracy"] > best["accuracy"]:
                best = r
    return best or rates(conf, correct, oos, 1.01)


def confidence(X: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``KnowledgeBase.score``'s confidence on rows of SIGNALS (the logistic,
    capped for vague questions)."""
    c = 1 / (1 + np.exp(-np.clip(b[0] + X @ b[1:], -50, 50)))
    c[X[:, 0] <= 0] = 0
    vague = X[:, SIGNALS.index("vague")] > 0
    c[vague] = np.minimum(c[vague], VAGUE_CONFIDENCE)
    return c


def fit_standardized(X: np.ndarray, y: np.ndarray, l2: float) -> np.ndarray:
    """Logistic regression on standardized signals (so the L2 penalty treats
    them alike), returned as coefficients on the raw signals."""
    X = X.copy()
    X[:, SIGNALS.index("vague")] = 0  # not fitted: a vague question is capped instead
    mu, sd = X.mean(0), X.std(0)
    sd[sd < 1e-9] = 1.0
    b = fit_logistic((X - mu) / sd, y, l2=l2)
    raw = b[1:] / sd
    return np.r_[b[0] - float(raw @ mu), raw]


def dev_signals(kb: KnowledgeBase, cases: list[tuple[str, str, str | None]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X, correct, out of scope, source) for each dev case under ``kb``'s ranking."""
    X, ok, oos, src = [], [], [], []
    for source, question, expect in cases:
        sc = kb.score(question)
        if sc.order.size == 0:
            X.append(np.zeros(len(SIGNALS)))
            top = None
        else:
            X.append(np.asarray(sc.signals, float))
            top = kb.articles[int(sc.order[0])].id
        ok.append(expect is not None and top == expect)
        oos.append(expect is None)
        src.append(source)
    return np.asarray(X), np.asarray(ok), np.asarray(oos), np.asarray(src)


def out_of_fold(X: np.ndarray, y: np.ndarray, l2: float, folds: int = 10, seed: int = 0) -> np.ndarray:
    """Each case's confidence from a model fitted without its fold."""
    fold = np.random.default_rng(seed).integers(0, folds, len(y))
    c = np.zeros(len(y))
    for f in range(folds):
        tr = fold != f
        c[~tr] = confidence(X[~tr], fit_standardized(X[tr], y[tr], l2))
    return c


def search_weights(recs: list[Record], mix: np.ndarray, rng: np.random.Generator, n: int = 3000) -> np.ndarray:
    """Random search on the simplex (+ the current default) for the best top-1.
    ``mix`` weighs each record (dev sets count more than leave-one-out)."""
    exp = np.array([r.expect for r in recs])
    ins = exp >= 0
    comp = np.stack([r.comp for r in recs])[ins]
    e = exp[ins]
    m = mix[ins]
    cands = np.vstack([np.asarray(FIELD_WEIGHTS, np.float32), rng.dirichlet(np.ones(len(VIEWS)), n).astype(np.float32)])
    best = (-1.0, -1.0, cands[0])
    for w in cands:
        tot = comp @ w
        top = np.argmax(tot, axis=1)
        ok = top == e
        srt = np.sort(tot, axis=1)
        margin = float(((srt[:, -1] - srt[:, -2]) * ok * m).sum() / m.sum())
        acc = float((ok * m).sum() / m.sum())
        if (acc, margin) > best[:2]:
            best = (acc, margin, w)
    return best[2]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kb", type=Path, default=ROOT / "knowledge/articles")
    ap.add_argument("--cases", type=Path, nargs="*", default=None)
    ap.add_argument("--no-loo", action="store_true")
    ap.add_argument("--cache", type=Path, help="pickle the leave-one-out records here (reused if present)")
    ap.add_argument("--l2", type=float, default=10.0, help="L2 penalty of the confidence model")
    ap.add_argument("--search", type=int, default=3000, help="random weight candidates")
    ap.add_argument("--loo-share", type=float, default=0.3, help="share of leave-one-out in the weight objective")
    args = ap.parse_args(argv)
    for c in args.cases or []:
        if "heldout" in c.name:
            ap.error("held-out sets are never used for tuning")
    articles, problems = load_articles(args.kb)
    for p in problems:
        print(f"skipped: {p}", file=sys.stderr)
    dev: list[Record] = []
    dev_paths = args.cases if args.cases is not None else [p for p in DEV_SETS if p.exists()]
    for path in dev_paths:
        dev += case_records(articles, load_cases(path), path.name)
    loo: list[Record] = []
    if not args.no_loo:
        if args.cache and args.cache.exists():
            import pickle

            loo = pickle.loads(args.cache.read_bytes())
        else:
            loo = loo_records(articles)
            if args.cache:
                import pickle

                args.cache.write_bytes(pickle.dumps(loo))
    recs = dev + loo
    mix = np.array([(1 - args.loo_share) / max(len(dev), 1) if r.source != "loo" else args.loo_share / max(len(loo), 1) for r in recs])
    print(f"{len(dev)} dev questions ({sum(r.expect < 0 for r in dev)} out of scope), {len(loo)} leave-one-out")

    rng = np.random.default_rng(0)
    w = search_weights(recs, mix, rng, args.search) if args.search else np.asarray(FIELD_WEIGHTS, np.float32)
    w = np.round(w / w.sum(), 3).astype(np.float32)
    print("FIELD_WEIGHTS =", tuple(float(x) for x in w), dict(zip(VIEWS, w.round(3).tolist())))

    def report(name: str, rs: list[Record]) -> None:
        top = np.argmax(np.stack([r.comp for r in rs]) @ w, axis=1)
        exp = np.array([r.expect for r in rs])
        oos = exp < 0
        print(f"  {name}: top-1 {float((top == exp)[~oos].mean()):.3f} (n={int((~oos).sum())})")

    report("dev", dev)
    if loo:
        report("leave-one-out", loo)

    # Confidence: logistic regression on every signal of the best article
    # (standardized, L2), fitted on the dev questions under the chosen
    # weights. The threshold is read off *out-of-fold* confidences (10 folds),
    # so it is not chosen on the very fit it judges, with some room below the
    # brief's limits (false ≤ MAX_FALSE, wrong ≤ MAX_WRONG here).
    kb = KnowledgeBase.build(articles, weights=w)
    dev_cases = [(path.name, case_question(c), case_expect(c)) for path in dev_paths for c in load_cases(path)]
    X, ok, oos, src = dev_signals(kb, dev_cases)
    y = ok.astype(float)
    for l2 in (1.0, 10.0, 30.0):
        c = out_of_fold(X, y, l2)
        print(f"  l2={l2}: out-of-fold best {best_threshold(c, ok, oos)}; with room {best_threshold(c, ok, oos, MAX_FALSE, MAX_WRONG)}")
    c = out_of_fold(X, y, args.l2)
    near = np.isin(src, NEAR_MISS_SETS)
    thr = None
    for t in np.unique(np.r_[c, 1.0]):
        r = rates(c, ok, oos, t)
        if r["false"] <= MAX_FALSE and r["wrong"] <= MAX_WRONG and (
            not (near & oos).any() or rates(c[near], ok[near], oos[near], t)["false"] <= MAX_FALSE_NEAR
        ):
            if thr is None or r["accuracy"] > thr["accuracy"]:
                thr = r
    thr = thr or rates(c, ok, oos, 1.01)
    for s in sorted(set(src)):
        m = src == s
        print(f"    {s} at {thr['threshold']}: {rates(c[m], ok[m], oos[m], thr['threshold'])}")
    for tr in sorted(set(src)):  # fit on the other sets, judge this one
        m = src == tr
        coef = fit_standardized(X[~m], y[~m], args.l2)
        t = best_threshold(out_of_fold(X[~m], y[~m], args.l2), ok[~m], oos[~m], MAX_FALSE, MAX_WRONG)["threshold"]
        print(f"  fit without {tr}: threshold {t} → on {tr}: {rates(confidence(X[m], coef), ok[m], oos[m], t)}")
    coef = fit_standardized(X, y, args.l2)
    print("CONFIDENCE_COEF =", tuple(round(float(v), 4) for v in coef))
    print(dict(zip(("bias",) + SIGNALS, np.round(coef, 3).tolist())))
    print("DEFAULT_ANSWER_THRESHOLD =", thr["threshold"], "(out of fold)", thr)
    print("in-sample at that threshold:", rates(confidence(X, coef), ok, oos, thr["threshold"]))
    # Suggest threshold: helpful rate (answered right, or the expected article
    # among the suggestions) against out-of-scope questions sent straight to
    # an adviser, on the shipped pipeline (in-sample coefficients).
    kb = KnowledgeBase.build(articles, weights=w, coef=coef, answer_threshold=thr["threshold"])
    outs = [(kb.score(q), e) for _s, q, e in dev_cases]
    for st in (0.02, 0.05, 0.1, 0.15, 0.2, 0.3):
        kb.suggest_threshold = min(st, kb.answer_threshold)
        helpful = escalated = 0
        for sc, e in outs:
            o = kb.decide(sc)
            if e is None:
                escalated += o.kind == "escalate"
            elif (o.article is not None and o.article.id == e) or e in {a.id for a in o.suggestions}:
                helpful += 1
        n_ans = sum(e is not None for _sc, e in outs)
        print(f"  suggest ≥ {st}: helpful {helpful / n_ans:.3f}, out of scope escalated {escalated}/{len(outs) - n_ans}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
