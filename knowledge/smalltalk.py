"""Small talk: a message that is *only* a greeting, thanks, a request for help,
a question about the bot or a goodbye. A greeting in front of a real question
("Hei! Hva koster en plass?") is not small talk: the greeting is dropped and
the question is answered."""

from __future__ import annotations

from .normalize import normalize_tokens

__all__ = ["INTENTS", "detect_smalltalk", "strip_smalltalk"]

# intent → phrases, written as they look *after* normalization (nynorsk is
# already mapped to bokmål: "kven er du" → "hvem er du").
INTENTS: dict[str, tuple[str, ...]] = {
    "greeting": (
        "hei", "hei hei", "heisann", "heia", "hallo", "halla", "hallå", "hei du", "morn", "morna",
        "god morgen", "god dag", "goddag", "god kveld", "god ettermiddag", "hey", "hi", "hello",
        "yo", "sup", "heihei", "hei alle", "hei der", "hallais", "hello there", "good morning",
    ),
    "thanks": (
        "takk", "takker", "tusen takk", "mange takk", "takk skal du ha", "takk for hjelpen",
        "takk for svaret", "takk for det", "takk så mye", "takke", "tusen hjertelig takk",
        "hjertelig takk", "thanks", "thank you", "thx", "tak", "tack", "supert", "flott",
        "topp", "perfekt", "fint", "kjempefint", "kjempebra", "bra", "ok", "okei", "okay",
        "den er grei", "skjønner", "forstår", "takk takk",
    ),
    "help": (
        # Questions like "hva kan du svare på?" are left to retrieval: the
        # knowledge base may hold an article about the service itself.
        "hjelp", "hjelp meg", "help", "meny", "kommandoer", "kan du hjelpe meg",
    ),
    "about": (
        "hvem er du", "hva er du", "er du en robot", "er du en bot", "er du et menneske",
        "er du menneske", "er du ekte", "hva heter du", "hvem har laget deg", "hvem lagde deg",
        "hvem står bak deg", "hvem står bak", "hva er kulturbot", "hvem er kulturbot",
        "er du kunstig intelligens", "er du ki", "er du ai", "er du chatgpt", "who are you",
        "what are you",
    ),
    "bye": (
        "ha det", "ha det bra", "ha det godt", "hadet", "hade", "hadebra", "snakkes", "farvel",
        "bye", "bye bye", "god natt", "natta", "vi snakkes", "ha en fin dag", "ha en god dag",
        "goodbye", "adjø", "ses",
    ),
}

# Words that may surround small talk without making it a question.
_FILLER = frozenset(
    "da du så igjen bot kulturbot kulturboten boten dere alle sammen bare og altså ja nei jo "
    "vel for svar svaret hjelpen det dette oi wow åh å".split()
)

_PHRASES: list[tuple[tuple[str, ...], str]] = sorted(
    ((tuple(normalize_tokens(p)), intent) for intent, ps in INTENTS.items() for p in ps),
    key=lambda x: -len(x[0]),
)
_PHRASES = [(p, i) for p, i in _PHRASES if p]
_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _p, _i in _PHRASES:  # longest first within each list, as _PHRASES is sorted
    _BY_FIRST.setdefault(_p[0], []).append((_p, _i))
_BY_LAST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _p, _i in _PHRASES:
    _BY_LAST.setdefault(_p[-1], []).append((_p, _i))


def _scan(tokens: list[str]) -> tuple[list[str], list[str]]:
    """Greedy longest match: (intents found in order, tokens not covered)."""
    intents: list[str] = []
    rest: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        for phrase, intent in _BY_FIRST.get(tokens[i], ()):
            k = len(phrase)
            if tuple(tokens[i : i + k]) == phrase:
                intents.append(intent)
                i += k
                break
        else:
            rest.append(tokens[i])
            i += 1
    return intents, rest


def detect_smalltalk(tokens: list[str]) -> str | None:
    """The intent if the message is nothing but small talk, else None.

    ``tokens`` are normalized tokens (stop words kept)."""
    if not tokens or len(tokens) > 12:
        return None
    intents, rest = _scan(tokens)
    if not intents or any(t not in _FILLER for t in rest):
        return None
    # "hei, hva kan du?" → help; "takk, ha det" → bye: the most specific wins
    for preferred in ("about", "help", "bye", "thanks", "greeting"):
        if preferred in intents:
            return preferred
    return intents[0]


def strip_smalltalk(tokens: list[str]) -> tuple[int, int]:
    """(start, end) of ``tokens`` without leading greetings and trailing thanks/goodbyes."""
    start, end = 0, len(tokens)
    changed = True
    while changed and end - start > 0:
        changed = False
        for phrase, intent in _BY_FIRST.get(tokens[start], ()):
            k = len(phrase)
            if intent == "greeting" and end - start > k and tuple(tokens[start : start + k]) == phrase:
                start += k
                changed = True
                break
        if changed or end - start <= 0:
            continue
        for phrase, intent in _BY_LAST.get(tokens[end - 1], ()):
            k = len(phrase)
            if intent in ("thanks", "bye") and end - start > k and tuple(tokens[end - k : end]) == phrase:
                end -= k
                changed = True
                break
    return start, end
