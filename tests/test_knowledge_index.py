"""TfidfSpace layouts: a grouped space (one row per phrasing, groups = articles)
scores each group by its nearest row, exactly as the row scores would."""

import random

import numpy as np
import pytest

from knowledge.index import FeatureMap, TfidfSpace


def _docs(sizes: list[int], seed: int = 3) -> tuple[list, FeatureMap, np.ndarray]:
    rng = random.Random(seed)
    fmap = FeatureMap()
    words = [f"w{i}" for i in range(40)]
    docs, groups = [], []
    for g, size in enumerate(sizes):
        for _ in range(size):
            docs.append(fmap.add(rng.choices(words, k=rng.randint(0, 6))))
            groups.append(g)
    return docs, fmap, np.asarray(groups)


@pytest.mark.parametrize("sizes", [[1, 3, 2, 1, 4], [1] * 5, [2, 1, 30, 1, 1, 2]])  # the last overflows the dense levels
@pytest.mark.parametrize("budget", [None, 10])
def test_grouped_scores_are_the_nearest_rows(sizes, budget):
    docs, fmap, groups = _docs(sizes)
    rows = TfidfSpace(docs, fmap)
    grouped = TfidfSpace(docs, fmap, groups=groups)
    rng = np.random.default_rng(0)
    for _ in range(20):
        idx, tf = fmap.lookup([f"w{i}" for i in rng.integers(0, 40, 5)] + ["unknown"])
        iv = rows.weigh(idx, tf)
        s_rows, skipped_rows = rows.scores_within(*iv, budget)
        s_groups, skipped = grouped.scores_within(*iv, budget)
        assert skipped == skipped_rows
        expect = np.maximum.reduceat(s_rows, np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]))
        assert s_groups.shape == (len(sizes),)
        assert np.array_equal(s_groups, expect)
        exact = rows.row_scores(np.arange(len(docs)), *iv)
        assert np.allclose(exact, rows.scores(*iv), atol=1e-6)


def test_grouped_space_checks_its_groups():
    docs, fmap, groups = _docs([2, 2])
    with pytest.raises(ValueError):
        TfidfSpace(docs, fmap, groups=groups[::-1])


def test_a_space_without_postings_is_read_by_rows_only():
    docs, fmap, _ = _docs([2, 2])
    space = TfidfSpace(docs, fmap, with_postings=False)
    iv = space.weigh(*fmap.lookup(["w1", "w2"]))
    assert space.row_scores(np.arange(4), *iv).shape == (4,)
    with pytest.raises(ValueError):
        space.scores(*iv)


def test_row_scores_gathered_with_numpy_or_scipy_agree(monkeypatch):
    docs, fmap, _ = _docs([3, 5, 2, 7])
    space = TfidfSpace(docs, fmap)
    rng = np.random.default_rng(1)
    rows = rng.permutation(len(docs))[:9]
    for _ in range(20):
        iv = space.weigh(*fmap.lookup([f"w{i}" for i in rng.integers(0, 40, 6)]))
        monkeypatch.setattr(TfidfSpace, "GATHER_LIMIT", 10**9)
        gathered = space.row_scores(rows, *iv)
        monkeypatch.setattr(TfidfSpace, "GATHER_LIMIT", 0)
        indexed = space.row_scores(rows, *iv)
        assert np.allclose(gathered, indexed, atol=1e-6)
        assert np.allclose(gathered, space.scores(*iv)[rows], atol=1e-6)
