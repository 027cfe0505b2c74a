"""The Norwegian normalizer: nynorsk, abbreviations, compounds, typos, markup."""

from knowledge.index import Vocabulary, char_ngrams, damerau_levenshtein
from knowledge.normalize import clean_markup, concepts, content, normalize, normalize_tokens, stem


def test_lowercase_nfkc_and_aeoa_kept():
    assert normalize("KULTURSKOLE Rådgiver Ærlig Øving") == "kulturskole rådgiver ærlig øving"
    assert normalize("ﬁolin") == "fiolin"  # NFKC ligature
    assert normalize("Café Malmö") == "cafe malmø"


def test_nynorsk_maps_to_bokmal():
    assert content(normalize_tokens("Korleis søkjer eg om plass i kulturskulen?")) == ["søker", "plass", "kulturskolen"]
    assert normalize("kva") == "hva"
    assert normalize("ikkje tilbod") == "ikke tilbud"
    assert normalize("skulen") == "skolen"


def test_kor_is_hvor_only_before_question_words():
    assert normalize("kor mykje kostar det") == "hvor mye koster det"
    assert "kor" in normalize_tokens("kan kulturskulen ha kor og korps")


def test_abbreviations_are_expanded_and_kept():
    toks = normalize_tokens("Hva er DKS?")
    assert "dks" in toks and ["den", "kulturelle", "skolesekken"] == toks[toks.index("dks") + 1 : toks.index("dks") + 4]
    for abbr, word in [("PPT", "psykologisk"), ("SFO", "skolefritidsordning"), ("vgs", "videregående"),
                       ("NKR", "kulturskoleråd"), ("GSI", "informasjonssystem"), ("KOSTRA", "rapportering")]:
        assert word in normalize_tokens(abbr), abbr


def test_stop_words_removed_but_negation_kept():
    assert content(normalize_tokens("Hva er det som ikke er lov?")) == ["ikke", "lov"]


def test_stemmer_conflates_inflections():
    assert stem("elevene") == stem("elever") == stem("eleven") == stem("elev")
    assert stem("breddeprogrammet") == stem("breddeprogram")
    assert stem("opplæringsloven") != stem("opplæring")  # "lov" is not stripped in this domain


def test_compound_splitting_against_the_vocabulary():
    vocab = Vocabulary([["kulturskole", "tilbud", "kulturskolen", "tilbudet", "lærer"]])
    parts = vocab.split("kulturskoletilbud")
    assert "kulturskole" in parts and "tilbud" in parts
    assert set(vocab.split("kulturskolelærer")) >= {"kulturskole", "lærer"}
    assert vocab.split("tilbud") == ()  # too short to be a compound


def test_typo_correction_against_the_vocabulary():
    vocab = Vocabulary([["breddeprogrammet", "fordypningsprogrammet", "kulturskolen"]])
    assert vocab.correct("breddeprogramet") == "breddeprogrammet"  # deletion
    assert vocab.correct("kulturskloen") == "kulturskolen"  # transposition
    assert vocab.correct("fordypningsprogrammmet") == "fordypningsprogrammet"  # insertion
    assert vocab.correct("helikopter") is None
    assert damerau_levenshtein("abcd", "acbd") == 1


def test_concepts_link_paraphrases():
    assert set(concepts("kø")) & set(concepts("venteliste"))
    assert set(concepts("lovkrav")) & set(concepts("lovpålagt"))
    assert set(concepts("nabokommunene")) & set(concepts("interkommunalt"))
    assert concepts("bilen") == ()  # short stems must not collide ("billig" → "bil")


def test_markup_is_removed():
    text = "<!channel> <@U123ABC> *Hva* er <https://x.no|breddeprogram>? <b>Takk</b> &amp; :smile: [lenke](http://y.no)"
    cleaned = clean_markup(text)
    assert "channel" not in cleaned and "U123ABC" not in cleaned and "http" not in cleaned
    assert "breddeprogram" in cleaned and "lenke" in cleaned and "smile" not in cleaned


def test_char_ngrams_stay_inside_words():
    grams = char_ngrams(["dks", "ab"])
    assert " dk" in grams and "dks " in grams and " dks " in grams
    assert " ab " in grams  # shorter than n: the whole padded word
    assert not any(" " in g.strip() for g in grams)


def test_places_in_lower_case_and_years_look_like_names():
    from knowledge.normalize import normalize_groups

    names = {w: name for w, name, _toks in normalize_groups("kulturskolen i drammen og Bergen før 2027 hei")}
    assert names["drammen"] and names["Bergen"] and names["2027"]
    assert not names["kulturskolen"] and not names["hei"]
    # "time" (a lesson) and "øvre" (upper) are also place names, but not listed
    names = {w: name for w, name, _toks in normalize_groups("en time i uka, øvre grense")}
    assert not names["time"] and not names["øvre"]


def test_question_frames():
    from knowledge.retrieval import frames

    assert frames(normalize_tokens("Når ble kulturskolen lovpålagt?")) == ["?når"]
    assert "?når" not in frames(normalize_tokens("Er kulturskolen lovpålagt?"))
    assert frames(normalize_tokens("Kor mange elevar har kulturskulen?")) == ["?antall"]
    assert "?hvem" in frames(normalize_tokens("Kven har ansvaret for DKS?"))
    assert "?formål" in frames(normalize_tokens("Kva skal kulturskulen vere til for?"))


def test_new_nynorsk_forms():
    assert normalize("kva inneber kjerneprogrammet") == "hva innebærer kjerneprogrammet"
    assert normalize("kven vedtek elevavgifta") == "hvem vedtar egenbetaling"
    assert normalize("tilskot til deltakaravgift") == "tilskudd til deltakeravgift"
