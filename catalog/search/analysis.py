"""Slovenian text analysis for catalog search.

Index side: tokenize -> lowercase -> drop stop words -> lemmatize (lemmagen3) -> fold č/š/ž/ć/đ.
Every token is indexed twice at the same position: as its folded lemma and as its folded
surface form, so "druzini" typed without diacritics meets "družini"/"družina".
Query side: the same, plus diacritic restoration: for a word typed without č/š/ž we try the
spellings with them and keep the lemmas the index actually contains (fold-aware lemma lookup).
"""

import itertools
import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter

TOKEN_RE = r"\w+(?:[-']\w+)*"  # noqa: S105  (a token pattern, not a password)
FOLD = str.maketrans({"č": "c", "š": "s", "ž": "z", "ć": "c", "đ": "d", "Č": "c", "Š": "s", "Ž": "z"})
RESTORE = {"c": ("c", "č"), "s": ("s", "š"), "z": ("z", "ž")}
MAX_VARIANT_LETTERS = 4  # 2**4 spellings at most per word

STOP_WORDS = frozenset(
    """
a ali in ter pa da ne ni na v vi z s k h o od do po pri za iz pod nad med pred brez je so sem si smo ste bo bom
bodo bi biti kot ko ki kar tudi še že le samo zelo kaj kje kdo kako kam kdaj zakaj ta to ti te tega temu tem
teh tej tisti ta tak taka tako se sebe si mi me moj moja moje mu mi jo jih jim njegov njen njihov ga ji nas vas
oz itd npr tj nekaj vse vsi vseh vsak ker če pa ampak torej sta ste sva oziroma
""".split()
)
# Fold-stable stop words, so "se" and "še" typed as "se" both go.
FOLDED_STOP_WORDS = frozenset(w.translate(FOLD) for w in STOP_WORDS)


def fold(text: str) -> str:
    """Lowercase and drop Slovenian (and common Balkan) diacritics."""
    text = text.lower().translate(FOLD)
    if text.isascii():
        return text
    # NFKD also maps compatibility letters (e.g. mathematical 𝙰) to plain ones: lowercase again.
    decomposed = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return decomposed.lower().translate(FOLD)


@lru_cache(maxsize=1)
def _lemmatizer():
    from lemmagen3 import Lemmatizer

    return Lemmatizer("sl")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The lemma of a lowercase word (lemmagen works on the spelling with diacritics)."""
    if len(word) < 3 or word.isdigit():
        return word
    return _lemmatizer().lemmatize(word).lower()


def words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(TOKEN_RE, text or "")]


def is_stop(word: str) -> bool:
    return word in STOP_WORDS or fold(word) in FOLDED_STOP_WORDS


def index_forms(word: str) -> set[str]:
    """The folded forms a word is indexed under: lemma and surface."""
    return {fold(lemma(word)), fold(word)}


def spelling_variants(word: str) -> list[str]:
    """Spellings of a word typed without diacritics (cap on how many letters are tried)."""
    positions = [i for i, c in enumerate(word) if c in RESTORE][:MAX_VARIANT_LETTERS]
    if not positions or any(c in "čšž" for c in word):
        return [word]
    variants = []
    for choice in itertools.product(*(RESTORE[word[i]] for i in positions)):
        letters = list(word)
        for i, c in zip(positions, choice, strict=True):
            letters[i] = c
        variants.append("".join(letters))
    return variants


def query_forms(word: str, known=None) -> set[str]:
    """Folded forms to look up for a typed word; `known(term) -> bool` says what the index holds."""
    forms = index_forms(word)
    for variant in spelling_variants(word)[1:]:
        candidate = fold(lemma(variant))
        if known is None or known(candidate):
            forms.add(candidate)
    return forms


class SlovenianLemmaFilter(Filter):
    """Emit the folded lemma and the folded surface form of each token at the same position."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            forms = [fold(lemma(text))]
            surface = fold(text)
            if surface != forms[0]:
                forms.append(surface)
            for form in forms:
                token.text = form
                yield token


def SlovenianAnalyzer():
    return (
        RegexTokenizer(TOKEN_RE)
        | LowercaseFilter()
        | StopFilter(stoplist=STOP_WORDS | FOLDED_STOP_WORDS, minsize=1)
        | SlovenianLemmaFilter()
    )
