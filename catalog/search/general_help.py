"""The office's general help, when a description's words look Slovenian but neither the index nor
the everyday phrases know any of them ("mi je vse narobe in ne vem naprej"): a resident who
typed a real need should be pointed at the office's entry point, not at an empty page. Nonsense
("asdf qwe", "xqzzy") still finds nothing.

"Looks Slovenian" is a spelling test, not a dictionary one (lemmagen invents a lemma for any
string, so it cannot tell): only letters of the Slovenian alphabet (no q, w, x, y), at least
three of them, vowels in a share real words have, no letter three times in a row and no
cluster of consonants a Slovenian word does not end in ("asdf"); an "r" between consonants
counts as a vowel, as it is pronounced."""

import re

from flask import current_app

from catalog.search import index as search_index
from catalog.search.analysis import fold

# The seed catalog's entry points: the municipal office itself and the social work centre's
# first help. An office sets its own with the SEARCH_GENERAL_HELP config (service names).
DEFAULT_GENERAL_HELP = ("Pisarna lokalne blaginje", "Prva socialna pomoč")
MIN_LETTERS = 3
# Without a configured entry point, a service counts as one only if it serves this many life
# domains: in a small catalog the "widest" service may be a narrow one, better nothing then.
MIN_ENTRY_DOMAINS = 4
MIN_VOWEL_SHARE = 0.25  # "pomagajte" 0.44, "zdravstveni" 0.27, "asdfgh" 0.17, "kjhkjh" 0
VOWELS = frozenset("aeiou")
SLOVENIAN_LETTERS = re.compile(r"[abcdefghijklmnoprstuvz]+")  # folded: č, š, ž are c, s, z
TRIPLED = re.compile(r"(.)\1\1")
# At most two consonants end a word, and only pairs Slovenian words end in ("most", "polk",
# "vrt", "kraj"...); "asdf" ends in three.
FINAL_CLUSTER = re.compile(r"[^aeiou]{3,}$")


# An "r" between consonants is the vowel of its syllable ("vrt", "skrb", "prst").
SYLLABIC_R = re.compile(r"(?<![aeiou])r(?![aeiou])")


def looks_slovenian(word: str) -> bool:
    form = SYLLABIC_R.sub("e", fold(word))
    if len(form) < MIN_LETTERS or not SLOVENIAN_LETTERS.fullmatch(form) or TRIPLED.search(form):
        return False
    vowels = sum(c in VOWELS for c in form)
    return vowels / len(form) >= MIN_VOWEL_SHARE and not FINAL_CLUSTER.search(form)


def looks_like_words(typed: list[str]) -> bool:
    """At least one typed word (stop words already dropped) could be a Slovenian word."""
    return any(looks_slovenian(w) for w in typed)


def entry_docs(searcher, columns, allowed: set[int] | None) -> list[int]:
    """Document numbers of the general help services, in the configured order; without any
    configured or found, the public service that serves the most life domains (the widest door),
    if it serves at least MIN_ENTRY_DOMAINS."""
    names = current_app.config.get("SEARCH_GENERAL_HELP") or DEFAULT_GENERAL_HELP
    docs = []
    for name in names:
        for docnum in searcher.document_numbers(name_key=search_index.name_key(name)):
            if docnum not in docs and (allowed is None or docnum in allowed):
                docs.append(docnum)
    if not docs:
        live = [d for d, i in enumerate(columns["id"]) if i is not None and (allowed is None or d in allowed)]
        widest = max((len(columns["f_domain"][d]) for d in live), default=0)
        docs = [d for d in live if widest >= MIN_ENTRY_DOMAINS and len(columns["f_domain"][d]) == widest][:1]
    return docs
