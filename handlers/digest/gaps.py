"""Knowledge gaps: questions the bot could not answer, grouped by similarity.

Each question becomes a set of stemmed content words (the knowledge base's own Norwegian
normaliser: nynorsk folded to bokmål, synonyms, stop words dropped). Identical sets are
counted once with their multiplicity; the rest are compared by cosine similarity of IDF-weighted
word sets. Grouping is single-pass "leader" clustering, most frequent questions first: a
question joins the group whose centroid is most similar, at or above the threshold, or starts
a new group; then the largest groups absorb any group whose centroid is as close. It runs in
chunks on sparse matrices, so that a year of questions stays well under a second.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np
from scipy import sparse

from knowledge.normalize import clean_markup, content, fold, normalize_tokens, stem, tokenize

THRESHOLD = 0.4
CHUNK = 256
MERGE_TOP = 200
LABEL_CHARS = 100
# what knowledge.normalize.clean_markup looks for: links, mentions, tags, entities, e-mail,
# emoji codes, "f.eks."; a text with none of these is left as it is by the cleaning
_MARKUP = ("<", ">", "&", "[", "@", ":", "http", "www", "eks")


@dataclass(frozen=True)
class Gap:
    """A group of similar unanswered questions: one of them as its label, and how many."""

    label: str
    count: int


def terms(text: str) -> frozenset[str]:
    """Stemmed content words, plus their character 4-grams (so that "korpsdirigent" meets
    "dirigent" and "organisering" meets "organiserer")."""
    if any(mark in text for mark in _MARKUP):  # most questions have none: skip the cleaning
        text = clean_markup(text)
    found: set[str] = set()
    for word in set(tokenize(fold(text))):
        found.update(_word_terms(word))
    return frozenset(found)


@lru_cache(maxsize=200_000)
def _word_terms(word: str) -> tuple[str, ...]:
    """One word's features, through the knowledge base's normaliser (nynorsk, synonyms,
    abbreviations, stop words, stemming): words repeat far more than questions do."""
    found: set[str] = set()
    for token in content(normalize_tokens(word, clean=False)):
        stemmed = stem(token)
        found.add(stemmed)
        if len(stemmed) > 3:
            padded = f"_{stemmed}_"
            found.update(f"#{padded[i:i + 4]}" for i in range(len(padded) - 3))
    return tuple(found)


def group(texts: list[str], *, limit: int = 5, threshold: float = THRESHOLD) -> list[Gap]:
    """The `limit` largest groups of similar texts, largest first (ties: the earlier group)."""
    docs: dict[frozenset[str], Counter[str]] = {}
    for text, count in Counter(" ".join(text.split()) for text in texts).items():
        key = terms(text)
        if key:
            docs.setdefault(key, Counter())[text] += count
    if not docs:
        return []
    keys = list(docs)
    counts = np.array([sum(docs[k].values()) for k in keys], dtype=np.float64)
    matrix = _tfidf(keys, counts)
    owner = _merge(matrix, counts, _leaders(matrix, counts, threshold), threshold)

    sizes: Counter[int] = Counter()
    wording: dict[int, Counter[str]] = {}
    for index, leader in enumerate(owner):
        sizes[leader] += int(counts[index])
        wording.setdefault(leader, Counter()).update(docs[keys[index]])
    ranked = sorted(sizes, key=lambda leader: (-sizes[leader], leader))[:limit]
    return [Gap(_label(wording[leader]), sizes[leader]) for leader in ranked]


def _label(wording: Counter[str]) -> str:
    """The most frequent wording (ties: the shortest), cut to a readable length."""
    text = min(wording, key=lambda w: (-wording[w], len(w), w))
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _tfidf(keys: list[frozenset[str]], counts: np.ndarray) -> sparse.csr_matrix:
    vocabulary: dict[str, int] = {}
    flat = list(chain.from_iterable(keys))
    cols = np.fromiter((vocabulary.setdefault(term, len(vocabulary)) for term in flat), dtype=np.int64, count=len(flat))
    rows = np.repeat(np.arange(len(keys)), np.fromiter(map(len, keys), dtype=np.int64, count=len(keys)))
    # document frequency over all questions (a repeated question counts each time it was asked)
    df = np.bincount(cols, weights=counts[rows], minlength=len(vocabulary))
    idf = np.log((1.0 + counts.sum()) / (1.0 + df)) + 1.0
    values = idf[cols]
    norms = np.sqrt(np.bincount(rows, weights=values**2, minlength=len(keys)))
    values = values / norms[rows]
    return sparse.csr_matrix((values, (rows, cols)), shape=(len(keys), len(vocabulary)))


def _leaders(matrix: sparse.csr_matrix, counts: np.ndarray, threshold: float) -> list[int]:
    """owner[i] = the first question of i's group. A question is compared with each group's
    centroid (the count-weighted mean of its questions), not with one member, so that groups
    neither hang on their first wording nor drift along a chain of near neighbours."""
    n = matrix.shape[0]
    order = np.argsort(-counts, kind="stable")
    owner = np.full(n, -1, dtype=np.int64)
    leaders: list[int] = []  # group number → its first question
    sums: sparse.csr_matrix | None = None  # group number × terms: count-weighted sums
    for begin in range(0, n, CHUNK):
        chunk = order[begin : begin + CHUNK]
        group_no = np.full(len(chunk), -1, dtype=np.int64)
        if sums is not None:
            sims = (matrix[chunk] @ _normalized(sums).T).toarray()
            best = sims.argmax(axis=1)
            matched = sims[np.arange(len(chunk)), best] >= threshold
            group_no[matched] = best[matched]
        rest = np.flatnonzero(group_no < 0)
        if len(rest):
            inner = (matrix[chunk[rest]] @ matrix[chunk[rest]].T).toarray()
            local: list[int] = []  # positions in rest that started a group in this chunk
            for i in range(len(rest)):
                if local:
                    sims_i = inner[i, local]
                    j = int(sims_i.argmax())
                    if sims_i[j] >= threshold:
                        group_no[rest[i]] = group_no[rest[local[j]]]
                        continue
                group_no[rest[i]] = len(leaders)
                leaders.append(int(chunk[rest[i]]))
                local.append(i)
        owner[chunk] = np.asarray(leaders)[group_no]
        weights = sparse.csr_matrix((counts[chunk], (group_no, np.arange(len(chunk)))), shape=(len(leaders), len(chunk)))
        added = weights @ matrix[chunk]
        if sums is None:
            sums = added.tocsr()
        else:
            sums.resize((len(leaders), matrix.shape[1]))
            sums = (sums + added).tocsr()
    return [int(x) for x in owner]


def _normalized(rows: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags(1.0 / norms) @ rows


def _merge(matrix: sparse.csr_matrix, counts: np.ndarray, owner: list[int], threshold: float) -> list[int]:
    """One pass is order-sensitive: a group may start before its closer twin shows up. Join the
    largest MERGE_TOP groups (those a digest shows) with any group whose centroid is as similar."""
    groups = sorted(set(owner))
    number = {g: i for i, g in enumerate(groups)}
    membership = sparse.csr_matrix((counts, ([number[g] for g in owner], np.arange(len(owner)))),
                                   shape=(len(groups), len(owner)))
    centroids = _normalized((membership @ matrix).tocsr())
    sizes = np.asarray(membership.sum(axis=1)).ravel()
    top = np.argsort(-sizes, kind="stable")[:MERGE_TOP]
    sims = (centroids[top] @ centroids.T).tocoo()
    parent = list(range(len(groups)))

    def root(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    for i, j, value in zip(sims.row, sims.col, sims.data):
        if value >= threshold:
            a, b = root(int(top[i])), root(int(j))
            if a != b:
                parent[max(a, b)] = min(a, b)
    return [groups[root(number[g])] for g in owner]
