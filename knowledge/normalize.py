"""Norwegian text normalizer used on both articles and questions.

Pipeline: strip chat/HTML/Markdown markup → NFKC + lowercase + fold foreign
accents (æøå kept, ä→æ, ö→ø) → tokens → nynorsk→bokmål map → domain synonyms →
abbreviation expansion (the abbreviation is kept too). ``content`` drops stop
words; ``stem`` is a Snowball-style Norwegian stemmer.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from .lexicon import ABBREVIATIONS, CONCEPTS, NYNORSK, NYNORSK_PARTS, PLACES, STOPWORDS, SYNONYMS

__all__ = [
    "MAX_QUERY_CHARS",
    "clean_markup",
    "fold",
    "tokenize",
    "normalize_tokens",
    "normalize_groups",
    "normalize",
    "content",
    "stem",
    "is_stopword",
    "concepts",
]

#: Only this many characters of a question are looked at.
MAX_QUERY_CHARS = 2000

_ACCENTS = str.maketrans(
    {
        "é": "e", "è": "e", "ê": "e", "ë": "e", "á": "a", "à": "a", "â": "a", "ã": "a",
        "ó": "o", "ò": "o", "ô": "o", "õ": "o", "ú": "u", "ù": "u", "û": "u", "ü": "u",
        "í": "i", "ì": "i", "î": "i", "ï": "i", "ä": "æ", "ö": "ø", "ñ": "n", "ç": "c",
        "ß": "ss", "’": "'", "‘": "'", "´": "'", "`": "'",
    }
)

_SLACK_LINK = re.compile(r"<(?:https?|mailto):[^<>|]{0,2000}\|([^<>]{0,500})>")  # <url|label> → label
_SLACK_SPECIAL = re.compile(r"<[!@#][^<>]{0,200}>")  # <!channel>, <@U123>, <#C1|x>
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,500}>")
_MD_LINK = re.compile(r"!?\[([^\[\]]{0,500})\]\([^()\s]{0,2000}\)")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"[^\s@<>]{1,64}@[^\s@<>]{1,255}\.\w+")
_EMOJI_CODE = re.compile(r":[a-z0-9_+\-]{1,40}:")
_FEKS = re.compile(r"\bf\.\s?eks\b\.?", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W_]+")

# "kor" is nynorsk "hvor" in front of these words, and "choir" otherwise.
_KOR_AS_HVOR = frozenset(
    "mange mykje mye lenge lang langt ofte gamal gammel stor store høg høy tid for er kan skal "
    "går gjeld gjelder finn finner får søkjer søker meldar melder blir vert ligg ligger tidleg "
    "seint sein mykje dyrt billig billeg".split()
)


def clean_markup(text: str) -> str:
    """Remove Slack/Teams markup, HTML tags and Markdown syntax, keep the words."""
    text = _SLACK_LINK.sub(r" \1 ", text)
    text = _SLACK_SPECIAL.sub(" ", text)
    text = _HTML_TAG.sub(" ", text)
    text = html.unescape(text)
    text = _MD_LINK.sub(r" \1 ", text)
    text = _URL.sub(" ", text)
    text = _EMAIL.sub(" ", text)
    text = _EMOJI_CODE.sub(" ", text)
    text = _FEKS.sub(" feks ", text)
    return text


def fold(text: str) -> str:
    """NFKC, lowercase, fold foreign accents (æøå are kept)."""
    return unicodedata.normalize("NFKC", text).lower().translate(_ACCENTS)


def tokenize(text: str) -> list[str]:
    """Word tokens of already folded text (letters and digits of any script)."""
    return _TOKEN.findall(text)


def _map_word(word: str, nxt: str | None) -> list[str]:
    if word == "kor":
        return ["hvor"] if nxt in _KOR_AS_HVOR else ["kor"]
    mapped = NYNORSK.get(word)
    if mapped is None:
        mapped = word
        for nn, nb in NYNORSK_PARTS:
            if nn in mapped:
                mapped = mapped.replace(nn, nb)
    out: list[str] = []
    for w in mapped.split():
        w = SYNONYMS.get(w, w)
        out.append(w)
        exp = ABBREVIATIONS.get(w)
        if exp and exp != w:
            out.extend(exp.split())
    return out


_YEAR = re.compile(r"(?:19|20)\d\d")
_WORD_RAW = re.compile(r"[^\W_]+|[.!?]")


def normalize_groups(text: str, *, clean: bool = True) -> list[tuple[str, bool, list[str]]]:
    """One entry per word of ``text``: (word as written, looks like a name,
    normalized tokens). A word "looks like a name" when it starts with a
    capital letter and does not start a sentence (Bergen, SpeedAdmin, DKS), or
    is a Norwegian place name in any case ("drammen", ``PLACES``) or a year."""
    if clean:
        text = clean_markup(text)
    text = unicodedata.normalize("NFKC", text)
    raw = _WORD_RAW.findall(text)
    words: list[tuple[str, bool]] = []
    start = True
    for w in raw:
        if w in ".!?":
            start = True
            continue
        name = (not start) and w[:1].isupper()
        start = False
        words.append((w, name))
    folded = [fold(w) for w, _ in words]
    out: list[tuple[str, bool, list[str]]] = []
    for i, (w, name) in enumerate(words):
        toks: list[str] = []
        for part in tokenize(folded[i]):
            toks.extend(_map_word(part, folded[i + 1] if i + 1 < len(folded) else None))
        if toks:
            out.append((w, name or any(t in PLACES or _YEAR.fullmatch(t) for t in toks), toks))
    return out


def normalize_tokens(text: str, *, clean: bool = True) -> list[str]:
    """All tokens of ``text``, normalized (stop words still present)."""
    if clean:
        text = clean_markup(text)
    words = tokenize(fold(text))
    out: list[str] = []
    for i, w in enumerate(words):
        out.extend(_map_word(w, words[i + 1] if i + 1 < len(words) else None))
    return out


def normalize(text: str) -> str:
    return " ".join(normalize_tokens(text))


def is_stopword(word: str) -> bool:
    return word in STOPWORDS


def content(tokens: list[str]) -> list[str]:
    """Tokens without stop words (and without one-letter tokens)."""
    return [t for t in tokens if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]


# --- Norwegian Snowball stemmer -------------------------------------------

_VOWELS = frozenset("aeiouyæåø")
_S_ENDING = frozenset("bcdfghjlmnoprtvyz")
_STEP1 = sorted(
    (
        "a e ede ande ende ane ene hetene en heten ar er heter as es edes endes enes "
        "hetenes ens hetens ers ets et het ast erte ert s erne"
    ).split(),
    key=len,
    reverse=True,
)
# Snowball's "lov/elov/slov/hetslov" are left out: they turn "opplæringsloven"
# into "opplæring", which is wrong in a domain about law.
_STEP3 = sorted("leg eleg ig eig lig elig els".split(), key=len, reverse=True)


def _r1(word: str) -> int:
    for i in range(1, len(word)):
        if word[i] not in _VOWELS and word[i - 1] in _VOWELS:
            return max(3, i + 1)
    return len(word)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball Norwegian stemmer (bokmål); digits and short words unchanged."""
    if len(word) < 4 or not word.isalpha():
        return word
    r1 = _r1(word)
    # step 1: the longest suffix inside R1
    for suf in _STEP1:
        if word.endswith(suf) and len(word) - len(suf) >= r1:
            if suf in ("erte", "ert"):
                word = word[: -len(suf)] + "er"
            elif suf == "s":
                prev = word[-2]
                if prev in _S_ENDING or (prev == "k" and word[-3] not in _VOWELS):
                    word = word[:-1]
            else:
                word = word[: -len(suf)]
            break
    # step 2
    if word.endswith(("dt", "vt")) and len(word) - 1 >= r1:
        word = word[:-1]
    # step 3
    for suf in _STEP3:
        if word.endswith(suf) and len(word) - len(suf) >= r1:
            word = word[: -len(suf)]
            break
    # final double consonant: "programm" (programmet) → "program"
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]
    return word


# --- concept classes ----------------------------------------------------------

def _concept_tables() -> tuple[dict[str, tuple[str, ...]], list[tuple[str, str]]]:
    exact: dict[str, list[str]] = {}
    prefixes: list[tuple[str, str]] = []
    for name, words in CONCEPTS.items():
        for w in words.split():
            if w.endswith("*"):
                prefixes.append((w[:-1], name))
                continue
            keys = {w}
            if len(stem(w)) >= 4:  # short stems collide ("billig" → "bil")
                keys.add("~" + stem(w))
            for key in keys:
                exact.setdefault(key, [])
                if name not in exact[key]:
                    exact[key].append(name)
    prefixes.sort(key=lambda p: -len(p[0]))
    return {k: tuple(v) for k, v in exact.items()}, prefixes


_CONCEPT_EXACT, _CONCEPT_PREFIX = _concept_tables()


@lru_cache(maxsize=200_000)
def concepts(word: str) -> tuple[str, ...]:
    """Concept classes of a normalized word, as features ("#venteliste")."""
    found = list(_CONCEPT_EXACT.get(word, ()))
    for name in _CONCEPT_EXACT.get("~" + stem(word), ()):
        if name not in found:
            found.append(name)
    for prefix, name in _CONCEPT_PREFIX:
        if word.startswith(prefix) and name not in found:
            found.append(name)
    return tuple("#" + n for n in found)
