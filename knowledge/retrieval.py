"""Finding the article that answers a question.

Every article is indexed in five sparse TF-IDF views (numpy/scipy only):

====  ===========================================================  ==========
view  text                                                         features
====  ===========================================================  ==========
qc    title and each sample question, one row per phrasing;        char 3–5
      an article scores its *nearest* phrasing
qw    the same rows                                                words
hc    title + all sample questions + tags, as one text             char 3–5
hw    the same                                                     words
bw    the answer body (source lines dropped)                       words
====  ===========================================================  ==========

(Character n-grams of the body were tried and dropped: they earned a weight
of ~0.02 in tuning but cost most of the index memory.)

"words" are Snowball-stemmed normalized words plus the parts of compound
words; "char 3–5" are character n-grams inside word boundaries. Both sides go
through the same normalizer (nynorsk→bokmål, abbreviations, synonyms, stop
words). Unknown question words one typo away from a known word are corrected.

The phrasing views (qw, hw) also hold question-frame features (``frames``:
"?når", "?hvem", "?antall" …), read from question words that are otherwise
stop words.

The article score is a weighted sum of the five cosines (``FIELD_WEIGHTS``);
with example questions (``ExampleIndex``), the ten best articles also gain a
little for being close to their own examples. The confidence is a logistic
function (``CONFIDENCE_COEF``, fitted offline by ``knowledge.tuning`` on the
example questions, each file left out in turn) of the ``SIGNALS`` of the best
article: top score and margin; coverage (the idf-weighted share of the
question's words the article contains, "light" words counted at
``LIGHT_WEIGHT``), the runner-up's coverage, coverage by title and sample
questions; missed words known to other articles / to none; the
nearest-phrasing cosines; the number of words; the closeness to the
article's nearest example and to the nearest out-of-scope example; and five
warning flags:

* the question names something (a capitalized word mid-sentence, a
  Norwegian place in any case, a year) that the article does not contain;
* it asks about "i år / i fjor / neste måned …", which curated articles
  cannot know;
* it asks an amount or a date the article does not hold, or a person or
  contact details;
* it asks "how many X" and the article gives no count of X;
* it is one bare keyword that a tenth of the articles contain
  ("kulturskole"): its confidence is capped at ``VAGUE_CONFIDENCE``.

Answer when the confidence reaches ``answer_threshold``; suggest the closest
articles when it reaches ``suggest_threshold``; escalate below.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from .articles import Article
from .examples import Example
from .index import FeatureMap, TfidfSpace, Vocabulary, char_ngrams
from .lexicon import LIGHT
from .normalize import MAX_QUERY_CHARS, concepts, content, fold, normalize_groups, normalize_tokens, stem
from .smalltalk import detect_smalltalk, strip_smalltalk

__all__ = [
    "Outcome",
    "KnowledgeBase",
    "DEFAULT_ANSWER_THRESHOLD",
    "DEFAULT_SUGGEST_THRESHOLD",
    "FIELD_WEIGHTS",
    "CONFIDENCE_COEF",
    "ExampleIndex",
    "VIEWS",
    "SIGNALS",
]

#: Answer when confidence ≥ this (see knowledge/README.md, "Thresholds") …
DEFAULT_ANSWER_THRESHOLD = 0.774
#: … or this, for a base without example questions.
DEFAULT_ANSWER_THRESHOLD_NO_EXAMPLES = 0.875
#: Suggest articles when confidence ≥ this, else escalate to an adviser.
DEFAULT_SUGGEST_THRESHOLD = 0.15

VIEWS = ("qc", "qw", "hc", "hw", "bw")
#: Weights of the five cosines in the article score (same order as VIEWS).
FIELD_WEIGHTS = (0.056, 0.052, 0.482, 0.29, 0.12)
SIGNALS = (
    "top", "margin", "coverage", "coverage_margin", "coverage_second", "head_coverage", "missed", "gap",
    "unknown_words", "miss_known", "miss_unknown", "log_words", "qc", "qw",
    "name_missing", "current", "detail_missing", "vague", "count_missing", "example", "example_oos",
)
#: Logistic confidence of a base with example questions: bias, then one
#: coefficient per SIGNALS entry.
CONFIDENCE_COEF = (
    -4.6846, 3.3325, 2.3446, 1.0151, 1.1432, -0.1149, 1.804, 0.0602, -0.6589, 0.106,
    -0.3286, -1.5358, 1.0545, 0.7109, 1.5157, -2.4209, -2.7374, -3.3774, 0.0, -2.4189,
    4.8284, -7.1126,
)
#: … and of a base without examples (the two example signals are then 0).
CONFIDENCE_COEF_NO_EXAMPLES = (
    -7.3836, 3.634, 3.3584, 1.451, 1.3929, 0.0722, 1.9412, 0.0747, -0.4377, 0.1022,
    -0.7125, -2.053, 1.5795, 1.7371, 2.5721, -3.427, -3.9144, -4.93, 0.0, -2.793,
    0.0, 0.0,
)
#: How close a question is to a group of examples: this mix of the nearest
#: example's char (qc) and word (qw) cosines …
EXAMPLE_MIX = (0.5, 0.5)
#: … which, times this, is added to an article's score when ranking.
EXAMPLE_RANK_WEIGHT = 0.1
#: Coverage counts a "light" word (finnes, står, slags …) at this share of its weight.
LIGHT_WEIGHT = 0.2

#: Add question-frame features (``frames``) to the phrasing word views.
USE_FRAMES = True

#: A vague question (below) gets at most this confidence: suggestions, not an answer.
VAGUE_CONFIDENCE = 0.5
_VAGUE = SIGNALS.index("vague")

#: A one-word question whose word is in at least this share of the articles
#: ("kulturskole", "lov") is vague: it gets suggestions, not an answer.
VAGUE_SHARE = 0.1

MAX_SUGGESTIONS = 3
#: A suggestion must score at least this share of the best article's score.
SUGGEST_RATIO = 0.5
#: Above this many articles, the views are scored exactly only for the
#: CANDIDATES best articles of a cheaper first pass (see KnowledgeBase.components).
EXACT_LIMIT = 2000
CANDIDATES = 48
#: … and that first pass reads at most this many postings per view.
POSTINGS_BUDGET = 20_000
#: At most this many tokens' word features and char n-gram ids are cached
#: (KnowledgeBase._token_features, _char_lookup).
FEATURE_CACHE = 100_000
#: Longer "words" (a pasted hash, "aaaa…") are ignored.
MAX_WORD_CHARS = 60
#: Only this many content words of a question are used.
MAX_QUERY_WORDS = 60

_SOURCE_LINE = re.compile(r"^\s*(?:\*\*)?(?:kilder?|kjelder?|kildene våre|kjeldene våre)\b", re.IGNORECASE)
_CURRENT = re.compile(
    r"\b(?:i år|i fjor|i morgen|i morgon|i neste|neste (?:uke|veke|måned|månad|år|semester|skoleår|skuleår)"
    r"|denne (?:uka|uken|veka|måneden|månaden|høsten|hausten|våren|vinteren|sommeren)"
    r"|dette (?:året|semesteret|skoleåret|skuleåret)|i høst|i haust|i vår(?!\s+\w)|nå for tiden|for tida|for tiden)\b"
)
# "how much": the answer is an amount, so an article without one cannot answer it
_ASKS_AMOUNT = re.compile(
    r"\b(?:hvor mye|hvor mykje|kor mye|kor mykje|hva koster|hva kostar|kva kostar|kva koster|hvor dyrt?"
    r"|kor dyrt?|hvor høy er|kor høg er|hva tjener|kva tener|hva er prisen|kva er prisen|hvor stor er prisen)\b"
)
# What a question asks for ("when", "who", "how many" …): its question words
# are stop words, but they tell "Når ble kulturskolen lovpålagt?" (history)
# from "Er kulturskolen lovpålagt?" (the duty). Matched on normalized tokens
# (nynorsk already mapped: kven → hvem, kor mange → hvor mange).
_FRAMES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("?når", r"\b(?:når|hvilket år|hvilket årstall|hva år|hvilken dato|hvor lenge siden)\b"),
        ("?hvem", r"\bhvem\b"),
        ("?antall", r"\b(?:hvor mange|hvor stor andel|hvor stor del|hvor stor prosent|hvor mange prosent|antall)\b"),
        ("?mye", r"\b(?:hvor mye|hva koster|hvor dyrt|hvor høy|hva er prisen)\b"),
        ("?hvorfor", r"\bhvorfor\b"),
        ("?hvordan", r"\bhvordan\b"),
        ("?hvor", r"\bhvor\b(?! mange| mye| stor| dyrt| høy| lenge| ofte)"),
        ("?hva", r"\bhva (?:er|betyr|var|innebærer|menes|slags|gjør|heter)\b"),
        ("?formål", r"\b(?:til for|formål\w*|hensikt\w*)\b"),
    )
)
# "which date / when is the deadline": an article without a date cannot answer it
_ASKS_DATE = re.compile(
    r"\b(?:hvilken dato|hva er fristen|når er (?:søknads|svar|rapporterings)?fristen|når går fristen"
    r"|søknadsfristen|når åpner|når starter|når begynner|når er neste)\b"
)
_HAS_DATE = re.compile(
    r"\b\d{1,2}\.\s?(?:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember)\b"
    r"|\b\d{1,2}\.\d{1,2}\.(?:\d{2,4})?",
    re.IGNORECASE,
)
# a person or contact details: curated articles name institutions, not people
_ASKS_CONTACT = re.compile(
    r"\b(?:(?:hvem|kven) (?:leder|leiar|leier|er (?:daglig |dagleg )?(?:leder|leiar|direktør|styreleder|styreleiar"
    r"|rektor|ordfører|\w*kontakt)\w*)|kontaktperson\w*|telefonnummer\w*|telefonnr|e-?postadresse\w*|adressen til)\b"
)
_HAS_AMOUNT = re.compile(
    r"\d[\d\s.,]*\s?(?:kr\b|kroner|kronar|mill|milliard|%|prosent)|\bkr\.?\s?\d|\bnok\s?\d", re.IGNORECASE
)


#: "how many X": the answer is a count of X (normalized tokens, nynorsk mapped)
_COUNT_WORDS = (("hvor", "mange"), ("antall",))
_YEAR = re.compile(r"(?:19|20)\d\d")


def counted(tokens: Sequence[str]) -> tuple[str, ...]:
    """The stems of what a question asks the number of: the two content words
    after "hvor mange" / "antall" ("hvor mange nye elever": those of nye, elever)."""
    out: list[str] = []
    for i in range(len(tokens)):
        for marker in _COUNT_WORDS:
            if tuple(tokens[i : i + len(marker)]) == marker:
                out.extend(stem(t) for t in content(list(tokens[i + len(marker) : i + len(marker) + 4]))[:2])
    return tuple(dict.fromkeys(out))


def counts(tokens: Sequence[str]) -> frozenset[str]:
    """The stems that follow a number in a text (within three words): what it
    gives a count of ("98 000 elever", "356 kommuner"); years do not count."""
    out: set[str] = set()
    for i, t in enumerate(tokens):
        if t.isdigit() and not _YEAR.fullmatch(t):
            out.update(stem(w) for w in tokens[i + 1 : i + 4] if not w.isdigit())
    return frozenset(out)


@dataclass(frozen=True)
class Outcome:
    kind: Literal["answer", "suggest", "escalate"]
    article: Article | None
    suggestions: tuple[Article, ...]
    confidence: float
    smalltalk: str | None = None


@dataclass
class Query:
    """A question after analysis."""

    text: str
    smalltalk: str | None
    groups: list[tuple[str, bool, list[str]]]  # (word as written, name-like, content tokens)
    words: list[str]  # word features
    tokens: list[str]  # content tokens (typos corrected): the char n-grams are theirs
    current: bool  # asks about "this year", "today" …
    amount: bool  # asks "how much"
    date: bool  # asks "which date / when is the deadline"
    contact: bool  # asks for a person or contact details
    unknown: int  # words unknown to every article (after typo correction)
    framed: bool = False  # has a question frame ("hva er", "hvem", "når" …)
    counted: tuple[str, ...] = ()  # asks "how many" of these (stems)

    @property
    def empty(self) -> bool:
        return not self.groups

    @property
    def chars(self) -> list[str]:
        """Char n-gram features (scoring reads them per token, cached)."""
        return char_ngrams(self.tokens)


@dataclass
class Scored:
    """Everything ``ask`` computed (for tuning, the bench and debugging)."""

    query: Query
    order: np.ndarray  # article indices, best first (at most ``top``)
    scores: np.ndarray  # their combined scores
    parts: np.ndarray  # (len(order), len(VIEWS)) cosines
    signals: tuple[float, ...]  # see SIGNALS
    confidence: float


def frames(tokens: Sequence[str]) -> list[str]:
    """Question-frame features of normalized tokens (stop words kept)."""
    text = " ".join(tokens)
    return [name for name, rx in _FRAMES if rx.search(text)]


def _concat(parts: list[array]) -> array:
    out = array("i")
    for p in parts:
        out.extend(p)
    return out


def _body_text(body: str) -> str:
    return "\n".join(line for line in body.splitlines() if not _SOURCE_LINE.match(line))


class KnowledgeBase:
    """An immutable index over articles. Build with ``KnowledgeBase.build``."""

    def __init__(self) -> None:  # use build()
        self._articles: tuple[Article, ...] = ()
        self._by_id: dict[str, Article] = {}
        self._examples: ExampleIndex | None = None
        self.answer_threshold = DEFAULT_ANSWER_THRESHOLD_NO_EXAMPLES
        self.suggest_threshold = DEFAULT_SUGGEST_THRESHOLD
        self.weights = np.asarray(FIELD_WEIGHTS, dtype=np.float32)
        self.coef = tuple(CONFIDENCE_COEF_NO_EXAMPLES)

    # -- building -----------------------------------------------------------
    @classmethod
    def build(
        cls,
        articles: Iterable[Article],
        *,
        answer_threshold: float | None = None,
        suggest_threshold: float | None = None,
        weights: Sequence[float] | None = None,
        coef: Sequence[float] | None = None,
        examples: Sequence[Example] = (),
    ) -> "KnowledgeBase":
        """Index ``articles``. With ``examples`` (example questions, see
        ``knowledge.examples``) the confidence also weighs how close a question
        is to them, with its own coefficients and threshold."""
        kb = cls()
        arts: list[Article] = []
        seen: set[str] = set()
        for a in articles:
            if a.id not in seen:
                seen.add(a.id)
                arts.append(a)
        kb._articles = tuple(arts)
        kb._by_id = {a.id: a for a in arts}
        if examples and arts:
            kb._examples = ExampleIndex(arts, examples)
            kb.answer_threshold = DEFAULT_ANSWER_THRESHOLD
            kb.coef = tuple(CONFIDENCE_COEF)
        if answer_threshold is not None:
            kb.answer_threshold = float(answer_threshold)
        if suggest_threshold is not None:
            kb.suggest_threshold = float(suggest_threshold)
        kb.suggest_threshold = min(kb.suggest_threshold, kb.answer_threshold)
        if weights is not None:
            kb.weights = np.asarray(weights, dtype=np.float32)
        if coef is not None:
            kb.coef = tuple(coef)

        phrasings: list[list[list[str]]] = []
        heads: list[list[str]] = []
        bodies: list[list[str]] = []
        body_counts: list[frozenset[str]] = []
        frame_rows: list[list[list[str]]] = []
        for a in arts:
            raw = [normalize_tokens(t) for t in (a.title, *a.questions)]
            frame_rows.append([frames(r) if USE_FRAMES else [] for r in raw])
            ph = [content(r) for r in raw]
            tags = content(normalize_tokens(" ".join(a.tags)))
            phrasings.append(ph)
            heads.append([t for p in ph for t in p] + tags)
            body = normalize_tokens(_body_text(a.body))
            bodies.append(content(body))
            body_counts.append(counts(body))
        vocab = Vocabulary(h + b for h, b in zip(heads, bodies))
        vocab.prepare()  # typo index built now, so build time and memory are honest
        kb._vocab = vocab
        kb._feature_cache = {}
        kb._char_cache = {}

        owner = np.asarray([i for i, ph in enumerate(phrasings) for _ in ph], dtype=np.int64)
        kb._q_starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if owner.size else owner
        kb._q_owner = owner
        kb._q_ends = np.append(kb._q_starts[1:], len(owner)) if owner.size else owner
        # one feature map per kind, shared by its spaces: a question is looked up once
        chars, words = FeatureMap(), FeatureMap()
        kb._chars, kb._words = chars, words
        qc_rows: list[array] = []
        qw_rows: list[array] = []
        hc_docs: list[array] = []
        hw_docs: list[array] = []
        bw_docs: list[array] = []
        for ph, fr, a in zip(phrasings, frame_rows, arts):
            tags = content(normalize_tokens(" ".join(a.tags)))
            c_rows = [chars.add(char_ngrams(p)) for p in ph]
            w_rows = [words.add(kb._word_features(p) + f) for p, f in zip(ph, fr)]
            qc_rows += c_rows
            qw_rows += w_rows
            hc_docs.append(_concat(c_rows + [chars.add(char_ngrams(tags))]))
            hw_docs.append(_concat(w_rows + [words.add(kb._word_features(tags))]))
        for b in bodies:
            bw_docs.append(words.add(kb._word_features(b)))
        # the phrasing views score each article by its nearest phrasing row
        kb._spaces = {
            "qc": TfidfSpace(qc_rows, chars, groups=owner),
            "qw": TfidfSpace(qw_rows, words, groups=owner),
            "hc": TfidfSpace(hc_docs, chars),
            "hw": TfidfSpace(hw_docs, words),
            "bw": TfidfSpace(bw_docs, words),
        }
        # every word feature of each article (head + body), for coverage (read by rows only)
        kb._art_words = TfidfSpace([_concat([h, b]) for h, b in zip(hw_docs, bw_docs)], words, with_postings=False)
        # a one-word question is vague when its word is in ≥ VAGUE_SHARE of the articles (and ≥ 2)
        kb._vague_df = max(2.0, VAGUE_SHARE * len(arts))
        kb._has_amount = np.asarray([bool(_HAS_AMOUNT.search(a.body)) for a in arts], dtype=bool)
        kb._has_date = np.asarray([bool(_HAS_DATE.search(a.body)) for a in arts], dtype=bool)
        kb._counts = body_counts
        return kb

    def _word_features(self, tokens: Sequence[str]) -> list[str]:
        out: list[str] = []
        for t in tokens:
            out.extend(self._token_features(t))
        return out

    def _token_features(self, t: str) -> tuple[str, ...]:
        """Stem, compound parts' stems and concept classes of one token
        (cached: a question asks for each of its tokens three times)."""
        feats = self._feature_cache.get(t)
        if feats is None:
            out = [stem(t)]
            out.extend(concepts(t))
            for p in self._vocab.split(t):
                for f in (stem(p), *concepts(p)):
                    if f not in out:
                        out.append(f)
            feats = tuple(out)
            if len(self._feature_cache) < FEATURE_CACHE:
                self._feature_cache[t] = feats
        return feats

    def _char_lookup(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """``FeatureMap.lookup`` of the char n-grams of ``tokens``, from each
        token's known n-gram ids (cached)."""
        cache = self._char_cache
        parts = []
        for t in tokens:
            ids = cache.get(t)
            if ids is None:
                ids = self._chars.known_ids(char_ngrams([t]))
                if len(cache) < FEATURE_CACHE:
                    cache[t] = ids
            parts.append(ids)
        return FeatureMap.count_ids(np.concatenate(parts) if parts else np.zeros(0, np.int32))

    # -- lookups ------------------------------------------------------------
    @property
    def articles(self) -> tuple[Article, ...]:
        return self._articles

    def get(self, article_id: str) -> Article | None:
        return self._by_id.get(article_id)

    def __len__(self) -> int:
        return len(self._articles)

    @property
    def examples(self) -> int:
        """How many example questions the confidence weighs (0: none)."""
        return self._examples.size if self._examples is not None else 0

    def __repr__(self) -> str:
        return f"<KnowledgeBase {len(self)} articles>"

    # -- analysing a question -------------------------------------------------
    def analyse(self, text: str) -> Query:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        text = text[:MAX_QUERY_CHARS]
        groups = normalize_groups(text)[: MAX_QUERY_WORDS * 3]
        flat = [t for _w, _n, toks in groups for t in toks]
        talk = detect_smalltalk(flat)
        if talk:
            return Query(text, talk, [], [], [], False, False, False, False, 0)
        # drop a leading greeting / trailing thanks (token positions → groups)
        start, end = strip_smalltalk(flat)
        kept: list[tuple[str, bool, list[str]]] = []
        pos = 0
        for w, name, toks in groups:
            if pos >= start and pos + len(toks) <= end:
                kept.append((w, name, toks))
            pos += len(toks)
        vocab = self._vocab
        out_groups: list[tuple[str, bool, list[str]]] = []
        words: list[str] = []
        toks_all: list[str] = []
        for w, name, toks in kept:
            ctoks = [t for t in content(toks) if len(t) <= MAX_WORD_CHARS]
            if not ctoks:
                continue
            fixed = []
            for t in ctoks:
                if t.isalpha() and t not in vocab.words and stem(t) not in vocab.stems and not vocab.split(t):
                    if t.endswith("s") and t[:-1] in vocab.words:  # genitive: "Creos" → "creo"
                        t = t[:-1]
                    else:
                        t = vocab.correct(t) or t
                fixed.append(t)
            out_groups.append((w, name, fixed))
            toks_all.extend(fixed)
            if len(out_groups) >= MAX_QUERY_WORDS:
                break
        for t in toks_all:
            words.extend(self._token_features(t))
        normalized = [t for _w, _n, toks in kept for t in toks]
        frame = frames(normalized)
        if USE_FRAMES:
            words.extend(frame)
        folded = fold(text)
        unknown = 0
        known = self._art_words.vocab
        for _w, _n, toks in out_groups:
            if not any(f in known for t in toks for f in self._token_features(t)):
                unknown += 1
        return Query(
            text, None, out_groups, words, toks_all,
            bool(_CURRENT.search(folded)), bool(_ASKS_AMOUNT.search(folded)),
            bool(_ASKS_DATE.search(folded)), bool(_ASKS_CONTACT.search(folded)), unknown, bool(frame),
            counted(normalized),
        )

    # -- scoring --------------------------------------------------------------
    def components(self, q: Query) -> np.ndarray:
        """The cosines of every article in every view, shape (n, len(VIEWS)).

        Exact up to ``EXACT_LIMIT`` articles. Above, every view is first
        scored with the query's rarer features only (a lower bound, at most
        ``POSTINGS_BUDGET`` postings per view), and
        then exactly for the ``CANDIDATES`` best articles, which keeps the
        latency flat for very large bases."""
        return self._components(q)[0]

    def _components(self, q: Query) -> tuple[np.ndarray, np.ndarray | None]:
        """``components``, and the candidates that were scored exactly after
        the first pass (sorted article indices), or None when every score is
        exact. Each candidate's exact total is at least its first-pass total,
        which is at least every other article's, so the best articles are
        among the candidates (ties aside)."""
        n = len(self._articles)
        vecs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        budget = POSTINGS_BUDGET if n > EXACT_LIMIT else None
        looked = {"c": self._char_lookup(q.tokens), "w": self._words.lookup(q.words)}
        cols: list[np.ndarray] = []
        partial: list[int] = []
        for j, name in enumerate(VIEWS):
            space = self._spaces[name]  # qc/qw: each article's nearest phrasing
            idx, v = space.weigh(*looked[name[-1]])
            vecs[name] = (idx, v)
            s, skipped = space.scores_within(idx, v, budget)
            if skipped:
                partial.append(j)
            cols.append(s)
        comp = np.stack(cols, axis=1)
        if not partial:
            return comp, None
        total = comp @ self.weights
        cand = np.sort(np.argpartition(-total, CANDIDATES - 1)[:CANDIDATES])
        for j in partial:
            name = VIEWS[j]
            space = self._spaces[name]
            if name.startswith("q"):
                # every phrasing row of the candidates, then each one's nearest
                rows, firsts = self._phrasing_rows(cand)
                exact = np.maximum.reduceat(space.row_scores(rows, *vecs[name]), firsts)
            else:
                exact = space.row_scores(cand, *vecs[name])
            comp[cand, j] = exact
        return comp, cand

    def _phrasing_rows(self, arts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The phrasing rows of ``arts`` (in order), and where each article's start."""
        starts = self._q_starts[arts]
        lens = self._q_ends[arts] - starts
        firsts = np.concatenate(([0], np.cumsum(lens)[:-1]))
        return np.repeat(starts - firsts, lens) + np.arange(lens.sum()), firsts

    def nearest(self, q: Query, arts: np.ndarray) -> np.ndarray:
        """The ``qc`` and ``qw`` cosines (each article's nearest phrasing) of
        ``arts`` only, exactly: shape (len(arts), 2)."""
        looked = {"c": self._char_lookup(q.tokens), "w": self._words.lookup(q.words)}
        out = np.zeros((len(arts), 2), np.float32)
        exact = len(self._articles) <= EXACT_LIMIT  # then scoring them all from the postings is cheaper
        rows, firsts = (None, None) if exact else self._phrasing_rows(arts)
        for j, name in enumerate(("qc", "qw")):
            space = self._spaces[name]
            idx, v = space.weigh(*looked[name[-1]])
            if exact:
                out[:, j] = space.scores_within(idx, v, None)[0][arts]
            else:
                out[:, j] = np.maximum.reduceat(space.row_scores(rows, idx, v), firsts)
        return out

    def signals(self, q: Query, art: int, s1: float, s2: float, second: int = -1,
                parts: Sequence[float] = (), examples: tuple[float, float] = (0.0, 0.0)) -> tuple[float, ...]:
        """The confidence inputs for article ``art`` (see SIGNALS); ``second``
        is the runner-up article (-1: none), ``parts`` the view cosines of
        ``art``, ``examples`` its closeness to its examples and to the
        out-of-scope ones (``ExampleIndex``)."""
        space = self._art_words
        m = space.matrix
        row = set(m.indices[m.indptr[art] : m.indptr[art + 1]].tolist())
        row2 = set(m.indices[m.indptr[second] : m.indptr[second + 1]].tolist()) if second >= 0 else set()
        hm = self._spaces["hw"].matrix
        head = set(hm.indices[hm.indptr[art] : hm.indptr[art + 1]].tolist())
        hvocab = self._spaces["hw"].vocab
        idf_max = float(space.idf.max()) if space.idf.size else 1.0
        num = num2 = hnum = den = 0.0
        miss_known = miss_unknown = 0.0
        gap = 0.0
        missed = 0
        specific = False
        name_missing = 0.0
        for _w, name, toks in q.groups:
            feats = [f for t in toks for f in self._token_features(t)]
            ids = [space.vocab[f] for f in feats if f in space.vocab]
            weight = max((float(space.idf[j]) for j in ids), default=idf_max)
            if all(t in LIGHT for t in toks):
                weight *= LIGHT_WEIGHT
            den += weight
            if min((int(space.df[j]) for j in ids), default=0) < self._vague_df:
                specific = True
            if any(j in row2 for j in ids):
                num2 += weight
            if any(hvocab.get(f, -1) in head for f in feats):
                hnum += weight
            if any(j in row for j in ids):
                num += weight
                continue
            missed += 1
            gap = max(gap, weight / idf_max)
            if ids:
                miss_known += weight
            else:
                miss_unknown += weight
            if name:
                name_missing = 1.0
        den = den or 1.0
        coverage = num / den
        detail_missing = 1.0 if (
            (q.amount and not self._has_amount[art]) or (q.date and not self._has_date[art]) or q.contact
        ) else 0.0
        count_missing = 1.0 if q.counted and not self._counts[art].intersection(q.counted) else 0.0
        vague = 1.0 if (len({tuple(t) for _w, _n, t in q.groups}) == 1 and not specific and not q.framed) else 0.0
        qc, qw = (float(parts[0]), float(parts[1])) if len(parts) >= 2 else (0.0, 0.0)
        example, example_oos = examples
        return (
            s1, s1 - s2, coverage, coverage - num2 / den, num2 / den, hnum / den, float(missed), gap,
            float(min(q.unknown, 2)), miss_known / den, miss_unknown / den, math.log(max(len(q.groups), 1)),
            qc, qw, name_missing, 1.0 if q.current else 0.0, detail_missing, vague, count_missing, example, example_oos,
        )

    def confidence(self, signals: Sequence[float]) -> float:
        if not signals or signals[0] <= 0:
            return 0.0
        z = self.coef[0] + sum(c * x for c, x in zip(self.coef[1:], signals))
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))

    def score(self, text: str, top: int = 10) -> Scored:
        """Rank the articles for ``text`` (the work behind ``ask``)."""
        q = self.analyse(text)
        n = len(self._articles)
        if q.smalltalk or q.empty or n == 0:
            z = np.zeros(0, np.float32)
            return Scored(q, np.zeros(0, np.int64), z, np.zeros((0, len(VIEWS)), np.float32), (), 0.0)
        comp, cand = self._components(q)
        if cand is None:  # every article scored exactly
            pool, total = None, comp @ self.weights
        else:  # only the candidates can be best (see _components)
            pool, total = cand, comp[cand] @ self.weights
        k = min(top, total.size)
        best = np.argpartition(-total, k - 1)[:k] if k < total.size else np.arange(total.size)
        best = best[np.argsort(-total[best], kind="stable")]
        order = best if pool is None else pool[best]
        scores = total[best]
        near = (0.0, 0.0)
        if self._examples is not None:
            # an article whose examples are close moves up (among the best ``top``)
            close = self._examples.closeness(q, order)
            scores = scores + EXAMPLE_RANK_WEIGHT * close[:-1]
            resort = np.argsort(-scores, kind="stable")
            order, scores = order[resort], scores[resort]
            near = (float(close[resort[0]]), float(close[-1]))
        s1 = float(scores[0])
        s2 = float(scores[1]) if scores.size > 1 else 0.0
        sig = self.signals(q, int(order[0]), s1, s2, int(order[1]) if order.size > 1 else -1, comp[order[0]], near)
        conf = self.confidence(sig)
        if sig[_VAGUE]:
            conf = min(conf, VAGUE_CONFIDENCE)
        return Scored(q, order, scores, comp[order], sig, conf)

    def decide(self, sc: Scored) -> Outcome:
        if sc.query.smalltalk:
            return Outcome("answer", None, (), 1.0, sc.query.smalltalk)
        if sc.order.size == 0 or sc.scores[0] <= 0:
            return Outcome("escalate", None, (), 0.0)
        conf = round(sc.confidence, 4)
        if sc.confidence >= self.answer_threshold:
            return Outcome("answer", self._articles[int(sc.order[0])], (), conf)
        if sc.confidence >= self.suggest_threshold:
            return Outcome("suggest", None, self.suggestions(sc), conf)
        return Outcome("escalate", None, (), conf)

    def suggestions(self, sc: Scored) -> tuple[Article, ...]:
        """The articles a "Mente du …?" lists: the best ``MAX_SUGGESTIONS``
        scoring at least ``SUGGEST_RATIO`` of the best."""
        if sc.order.size == 0:
            return ()
        floor = SUGGEST_RATIO * float(sc.scores[0])
        return tuple(
            self._articles[int(i)]
            for i, s in zip(sc.order[:MAX_SUGGESTIONS], sc.scores[:MAX_SUGGESTIONS])
            if s >= floor
        )

    def ask(self, text: str) -> Outcome:
        """Answer, suggest or escalate. Never raises on any string."""
        return self.decide(self.score(text))


class ExampleIndex:
    """How close a question is to the example questions of each article, and to
    the out-of-scope examples.

    The examples are indexed like the articles' phrasings: a ``KnowledgeBase``
    with one pseudo-article per group (an article's examples, or the
    out-of-scope ones), scored by its nearest example (``EXAMPLE_MIX`` of the
    qc and qw cosines). An article that has no examples yet is represented by
    its own title and sample questions, so a new article is not held back."""

    def __init__(self, articles: Sequence[Article], examples: Sequence[Example]):
        index = {a.id: i for i, a in enumerate(articles)}
        groups: list[list[str]] = [[] for _ in articles]
        outside: list[str] = []
        for ex in examples:
            if ex.expect is None:
                outside.append(ex.question)
            elif ex.expect in index:
                groups[index[ex.expect]].append(ex.question)
        rows = [_pseudo(f"a{i}", qs or [a.title, *a.questions]) for i, (a, qs) in enumerate(zip(articles, groups))]
        self.size = sum(len(g) for g in groups) + len(outside)
        self._mix = np.asarray(EXAMPLE_MIX, dtype=np.float32)
        # Above EXACT_LIMIT articles the question is not analysed again (the
        # base's own analysis is used) and the out-of-scope examples are a
        # base of their own, scored from its postings: scoring their rows
        # exactly on every question would cost more than the rest of ``ask``.
        self._large = len(rows) > EXACT_LIMIT
        self._outside = -1
        self._outside_base: KnowledgeBase | None = None
        if outside and self._large:
            self._outside_base = KnowledgeBase.build([_pseudo("out-of-scope", outside)])
        elif outside:
            self._outside = len(rows)
            rows.append(_pseudo("out-of-scope", outside))
        self._base = KnowledgeBase.build(rows)

    def closeness(self, q: Query, articles: np.ndarray) -> np.ndarray:
        """How close question ``q`` (analysed by the articles' base) is to the
        nearest example of each of ``articles`` (indices), and (last) to the
        nearest out-of-scope example."""
        base = self._base
        if not self._large:
            q = base.analyse(q.text)
        groups = np.append(np.asarray(articles, np.int64), self._outside)
        sim = np.zeros(len(groups), np.float32)
        if q.smalltalk or q.empty or len(base) == 0:
            return sim
        known = groups >= 0
        sim[known] = base.nearest(q, groups[known]) @ self._mix
        if self._outside_base is not None:
            sim[-1] = float(self._outside_base.nearest(q, np.zeros(1, np.int64))[0] @ self._mix)
        return sim


def _pseudo(key: str, questions: Sequence[str]) -> Article:
    """An "article" made of example questions only (ExampleIndex)."""
    return Article(
        id=key, title=questions[0], questions=tuple(questions[1:]), tags=(), source=None, owner=None,
        reviewed=None, lang="nb", body="", uncertain=False, path="",
    )
