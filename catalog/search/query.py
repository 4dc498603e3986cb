"""From typed text to a Whoosh query: analysis, thesaurus expansion, fuzzy fallback terms."""

import re
from dataclasses import dataclass, field

from whoosh import query as Q

from catalog.search.analysis import fold, is_stop, lemma, query_forms, words

TEXT_FIELDS = ("name", "org", "domains", "body")
# Words whose synonyms must not be applied in these phrases ("v odvisnosti od" = "depending on").
FALSE_FRIENDS = {"odvisnost": ("v odvisnosti od", "odvisno od", "v odvisnosti")}


def lemma_key(text: str) -> tuple[str, ...]:
    """A phrase as folded lemmas of its non-stop words: the unit synonyms are matched by."""
    return tuple(fold(lemma(w)) for w in words(text) if not is_stop(w))


@dataclass
class Thesaurus:
    groups: list[list[str]] = field(default_factory=list)

    def __post_init__(self):
        self.by_key: dict[tuple[str, ...], list[int]] = {}
        for number, group in enumerate(self.groups):
            for term in group:
                key = lemma_key(term)
                if key:
                    self.by_key.setdefault(key, []).append(number)
        self.longest = max((len(k) for k in self.by_key), default=1)

    def alternatives(self, key: tuple[str, ...]) -> list[str]:
        out = []
        for number in self.by_key.get(key, []):
            out.extend(t for t in self.groups[number] if lemma_key(t) != key)
        return out


@dataclass
class Unit:
    """One thing the query asks for: a word, or a phrase with its synonyms."""

    text: str
    words: list[str]
    synonyms: list[str] = field(default_factory=list)


def without_false_friends(text: str) -> str:
    """Drop phrases like "v odvisnosti od" ("depending on"): they carry no search meaning."""
    folded = fold(text)
    for phrases in FALSE_FRIENDS.values():
        for phrase in phrases:
            folded = re.sub(rf"\b{re.escape(fold(phrase))}\b", " ", folded)
    return folded if folded != fold(text) else text


def split_units(text: str, thesaurus: Thesaurus) -> list[Unit]:
    text = without_false_friends(text)
    typed = [w for w in words(text) if not is_stop(w)]
    keys = [fold(lemma(w)) for w in typed]
    units, i = [], 0
    while i < len(typed):
        for size in range(min(thesaurus.longest, len(typed) - i), 0, -1):
            key = tuple(keys[i : i + size])
            alternatives = thesaurus.alternatives(key)
            if alternatives:
                units.append(Unit(" ".join(typed[i : i + size]), typed[i : i + size], alternatives))
                i += size
                break
        else:
            units.append(Unit(typed[i], [typed[i]]))
            i += 1
    return units


def word_query(word: str, known, fuzzy: bool = False, fields=TEXT_FIELDS, forms_of=None) -> Q.Query:
    forms = forms_of(word) if forms_of else query_forms(word, known)
    clauses = [Q.Term(f, form) for f in fields for form in sorted(forms)]
    if fuzzy and not any(known(form) for form in forms):
        folded = fold(word)
        distance = 2 if len(folded) >= 8 else 1 if len(folded) >= 5 else 0
        if distance:
            # Scored as the real words it stands for (BM25F of each, summed), not Whoosh's default
            # constant score: what `postings.scores` computes, so both paths rank alike.
            clauses += [Q.FuzzyTerm(f, folded, maxdist=distance, prefixlength=1, constantscore=False) for f in fields]
    return Q.Or(clauses)


def phrase_query(text: str, known, fields=TEXT_FIELDS, forms_of=None) -> Q.Query:
    key = lemma_key(text)
    if len(key) == 1:
        return word_query(words(text)[0] if words(text) else text, known, fields=fields, forms_of=forms_of)
    if fields == ("all",):  # the counting field keeps no positions: all words, any order
        return Q.And([Q.Term("all", k) for k in key])
    return Q.Or([Q.Phrase(f, list(key)) for f in fields])


def unit_query(unit: Unit, known, fuzzy: bool, fields=TEXT_FIELDS, forms_of=None) -> Q.Query:
    own = (
        Q.And([word_query(w, known, fuzzy, fields, forms_of) for w in unit.words])
        if len(unit.words) > 1
        else word_query(unit.words[0], known, fuzzy, fields, forms_of)
    )
    if not unit.synonyms:
        return own
    # Synonyms count a little less than what was typed.
    return Q.Or([own] + [_boosted(phrase_query(s, known, fields, forms_of), 0.8) for s in unit.synonyms])


def _boosted(q: Q.Query, boost: float) -> Q.Query:
    """`q.with_boost(boost)` without its deep copy: the query was just built and is ours."""
    q.boost = boost
    return q


def build(
    text: str,
    thesaurus: Thesaurus,
    known,
    *,
    fuzzy: bool = False,
    require_all: bool = True,
    counting: bool = False,
    units: list[Unit] | None = None,
    forms_of=None,
) -> Q.Query | None:
    """The scored query; with counting=True the same match on the single `all` field, unscored use.
    `units` and `forms_of` come from a query analysed once (`understanding.Analysed`)."""
    units = split_units(text, thesaurus) if units is None else units
    if not units:
        return None
    fields = ("all",) if counting else TEXT_FIELDS
    parts = [unit_query(u, known, fuzzy, fields, forms_of) for u in units]
    main = Q.And(parts) if require_all else Q.Or(parts)
    if counting:
        return main
    from catalog.search.index import name_key

    bonus = [Q.Term("name_key", name_key(text), boost=40.0)]
    if len(lemma_key(text)) > 1:
        bonus.append(Q.Phrase("name", list(lemma_key(text)), boost=8.0))
    exact = Q.Or(bonus)
    return Q.AndMaybe(main, exact)
