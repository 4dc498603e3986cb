"""Query understanding: a typed text analysed once into one object (words, folded forms,
lemmas, thesaurus units, unknown words, recognised life domains) that the engine's query
building, ranking, domain lift and "did you mean" all read, instead of each folding and
lemmatizing the text again. (The search log keys queries itself: `log_search` is not ours.)

Life domains are recognised from residents' everyday phrases (`DomainPhrase`): each phrase is
a set of folded lemmas; it matches when every one of its words is among the query's words, in
any order ("me udari, ko je pijan" meets "udariti" and "pijan fant" does not need the "fant"
next to "pijan"). Words may carry the typos `typos` forgives.
"""

import bisect
import time
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import sqlalchemy as sa
from flask import current_app, has_app_context

from catalog.search import result_cache, typos
from catalog.search.analysis import fold, is_stop, lemma, query_forms, words
from catalog.search.query import Thesaurus, Unit, split_units
from catalog.search.scripts import HAS_CYRILLIC, latin, spellings
from welfare.extensions import db

# Stop words that change what a phrase means ("ne morem plačati", "brez doma"): kept in phrases.
PHRASE_WORDS = frozenset({"ne", "ni", "brez", "sam", "sama"})
# Another word of the same family ("žalostna" for "žalost", "pogrebni" for "pogreb"): one form
# begins with the other, the shorter has at least STEM_MIN letters and the longer adds at most
# STEM_MAX_TAIL. Lemmagen lemmatizes each part of speech separately, so this closes the gap.
STEM_MIN, STEM_MAX_TAIL = 5, 4
SPOKEN_L = ("l", "il", "el", "al")  # "-u" as written for the spoken past participle
# Words that say who is in need, not what the need is: a phrase of these alone ("stara mama",
# "starejši", "sin") weighs this much of a phrase that names a need.
WHO = """mama mami mati ata oče foter fotr babica nona dedek sin hči hčerka brat sestra vnuk vnukinja
mož žena partner fant punca otrok otroci sosed soseda bratranec sestrična teta stric najstnik
najstnica mali mala tamal tamali star stara stari starejši starejša starostnik starostnica
upokojenec upokojenka penzionist ljudje človek oseba družina starši"""
WHO_WEIGHT = 0.2
MIN_SHARE = 0.5  # a domain is recognised at least half as strong as the strongest one


@lru_cache(maxsize=1)
def who_words() -> frozenset[str]:
    return frozenset(form for word in WHO.split() for form in word_forms(word))


def phrase_spellings(text: str) -> list[tuple[str, ...]]:
    """The words of a phrase or query that take part in phrase matching, each with its
    spellings: a word in Cyrillic is written in Latin letters (`scripts.spellings`: "не можу" is
    "ne mozu"; "деньги" is "denhi" and "dengi")."""
    out = []
    for word in words(text):
        spelled = spellings(word) if HAS_CYRILLIC.search(word) else (word,)
        w = spelled[0]
        if w in PHRASE_WORDS or fold(w) in PHRASE_WORDS or not is_stop(w):
            out.append(spelled)
    return out


def phrase_words(text: str) -> list[str]:
    """The words of a phrase or query that take part in phrase matching, in their first
    spelling (`phrase_spellings`)."""
    return [spelled[0] for spelled in phrase_spellings(text)]


def word_forms(word: str) -> frozenset[str]:
    """The folded forms a phrase word is known by: its lemma and its surface, and the same in
    the one Latin spelling when that differs ("mozhu" is also "mozu", as "можу" is)."""
    forms = {fold(lemma(word)), fold(word)}
    if (spelled := latin(word)) != word:
        forms |= {fold(lemma(spelled)), fold(spelled)}
    return frozenset(forms)


def phrase_key(text: str) -> str:
    """The normalized key of a phrase: its folded lemmas (what "already a phrase" compares)."""
    return " ".join(fold(lemma(w)) for w in phrase_words(text))[:200]


@dataclass
class PhraseBook:
    """All everyday phrases, indexed by form: recognising domains costs one lookup per form."""

    phrases: list[tuple[str, str]] = field(default_factory=list)  # (domain code, phrase)

    def __post_init__(self):
        self.words: list[list[frozenset[str]]] = []
        self.by_form: dict[str, set[tuple[int, int]]] = {}
        keys: dict[str, set[str]] = {}
        phrase_keys = []
        for number, (code, phrase) in enumerate(self.phrases):
            forms = [frozenset().union(*map(word_forms, spelled)) for spelled in phrase_spellings(phrase)]
            self.words.append(forms)
            for position, word in enumerate(forms):
                for form in word:
                    self.by_form.setdefault(form, set()).add((number, position))
            phrase_keys.append(phrase_key(phrase))
            keys.setdefault(phrase_keys[-1], set()).add(code)
        # A phrase several domains share says less about each of them; one of people alone, less
        # still. What each typed word it covers weighs:
        people = who_words()
        self.weight = [
            (WHO_WEIGHT if all(forms & people for forms in words) else 1.0) / max(1, len(keys[key]))
            for words, key in zip(self.words, phrase_keys, strict=True)
        ]
        # Word families are matched on lemmas only ("droge" must not begin "drogerija").
        self.lemmas = {
            fold(lemma(w)) for _, phrase in self.phrases for spelled in phrase_spellings(phrase) for w in spelled
        }
        self.sorted_lemmas = sorted(self.lemmas)
        self.typos = typos.TypoIndex(self.by_form)

    def knows(self, form: str) -> bool:
        return form in self.by_form

    def _family_forms(self, form: str) -> set[str]:
        """Known lemmas that begin this form, or that this form begins (a few letters apart)."""
        found = {form[:k] for k in range(STEM_MIN, len(form)) if len(form) - k <= STEM_MAX_TAIL}
        found &= self.lemmas
        if len(form) >= STEM_MIN:
            start = bisect.bisect_left(self.sorted_lemmas, form)
            for known in self.sorted_lemmas[start : start + 20]:
                if not known.startswith(form):
                    break
                if len(known) - len(form) <= STEM_MAX_TAIL:
                    found.add(known)
        return found

    def _known_forms(self, word: str) -> set[str]:
        found = {f for f in query_forms(word, self.knows) if f in self.by_form}
        if (spelled := latin(word)) != word:  # "platyty" typed, "платити" in the phrase
            found |= {f for f in query_forms(spelled, self.knows) if f in self.by_form}
        return found

    def forms_of(self, word: str, typos: bool = True) -> set[str]:
        """The known forms a typed word stands for (diacritics restored, the spoken past tense
        written as said, a word of the same family, a typo forgiven), tried in that order."""
        forms = self._known_forms(word)
        if len(word) >= 4 and word.endswith("u"):
            # Spoken Slovenian says the past participle's -l as u, and residents write it so:
            # "padu" (padel), "klicu" (klical, not only a case of "klic"), "umru" (umrl). Only a
            # verb's lemma is taken: "mamu" (Croatian "mother") is no "mamil" of "mamilo".
            for ending in SPOKEN_L:
                verb = fold(lemma(word[:-1] + ending))
                if verb.endswith(("ti", "ci")) and verb in self.by_form:
                    forms.add(verb)
        spelled = latin(word)
        candidates = {fold(word), fold(lemma(word)), fold(spelled), fold(lemma(spelled))}
        if not forms:
            for form in candidates:
                forms |= self._family_forms(form)
        if not forms and typos:
            for form in candidates:
                forms |= self.typos.corrections(form, len(word))
        return forms

    def _negations_apart(self, typed: list[str]) -> list[str]:
        """ "nemorem", "nevem", "nemrem" as "ne morem": the negation written together with the
        verb, as it is said, when only the verb is known."""
        out = []
        for word in typed:
            apart = len(word) > 4 and fold(word).startswith("ne") and not self._known_forms(word)
            if apart and self._known_forms(word[2:]):
                out += [word[:2], word[2:]]
            else:
                out.append(word)
        return out

    def recognise_text(self, text: str) -> list[tuple[str, float]]:
        """`recognise` for a typed text: its words in all their spellings, a word typed in
        Cyrillic not corrected as a typo."""
        cyrillic = frozenset(latin(w) for w in words(text) if HAS_CYRILLIC.search(w))
        spelled = phrase_spellings(text)
        others = {s[0]: s[1:] for s in spelled if len(s) > 1}
        return self.recognise([s[0] for s in spelled], cyrillic, others)

    def recognise(
        self, typed: list[str], no_typos: frozenset[str] = frozenset(), other_spellings: dict | None = None
    ) -> list[tuple[str, float]]:
        """Domains the typed words speak of, strongest first, with their strength: per domain,
        each typed word its phrases cover counts once, by the most telling phrase covering it
        (a phrase several domains share tells each less; one of people alone, less still).
        Words in `no_typos` (typed in Cyrillic) are not corrected as typos: a Ukrainian or
        Russian word one letter from a Slovenian one ("робити", to do; "rubiti") is another word.
        `other_spellings` gives a typed word's further spellings (`phrase_spellings`)."""
        typed = self._negations_apart(typed)
        others = other_spellings or {}
        matched: dict[int, dict[int, int]] = {}  # phrase -> its word position -> typed word
        for index, word in enumerate(typed):
            forms = self.forms_of(word, typos=word not in no_typos)
            for other in others.get(word, ()):
                forms |= self.forms_of(other, typos=word not in no_typos)
            for form in forms:
                for number, position in self.by_form.get(form, ()):
                    matched.setdefault(number, {})[position] = index
        covered: dict[str, dict[int, float]] = {}  # domain -> typed word -> weight
        for number, positions in matched.items():
            if len(positions) == len(self.words[number]):
                weight = self.weight[number]
                words = covered.setdefault(self.phrases[number][0], {})
                for index in positions.values():
                    words[index] = max(words.get(index, 0.0), weight)
        if not covered:
            return []
        strength = {code: sum(words.values()) for code, words in covered.items()}
        top = max(strength.values())
        ranked = sorted(strength.items(), key=lambda kv: (-kv[1], kv[0]))
        # A word several domains share ("napadli": violence and trauma) recognises each of them,
        # but ranks below a domain a word names alone (the weight is split). Who is in need ("stara mama", "sin") recognises a domain alone, but gives
        # way to what the need is ("stara mama pravi, da ji pri zdravniku ...").
        return [(c, s) for c, s in ranked if s >= top * MIN_SHARE]


@lru_cache(maxsize=4)
def _book_of(phrases: tuple[tuple[str, str], ...]) -> PhraseBook:
    """One book per set of phrases in a process: building one takes most of a second (every
    phrase word lemmatized in all its spellings), and apps of one process reading the same table
    (the test suite makes thousands) share it. A book is never changed once built."""
    return PhraseBook(list(phrases))


def phrase_book() -> PhraseBook:
    """The phrase table, cached per app and process and rebuilt when its signature (count, newest
    id, newest time) changes. The signature is one small aggregate query, asked at most every
    SEARCH_SETTINGS_CACHE_SECONDS (like the thesaurus): an edit made here applies to the next
    search at once (`forget_phrases`), one made through another server within those seconds."""
    from catalog.models import TaxonomyTerm
    from catalog.search.models import DomainPhrase

    store = current_app.extensions.setdefault("phrase_book", {})
    ttl, now = current_app.config.get("SEARCH_SETTINGS_CACHE_SECONDS", 5), time.monotonic()
    if store.get("book") is not None and ttl and now - store["checked"] < ttl:
        return store["book"]
    signature = tuple(
        db.session.execute(
            sa.select(sa.func.count(), sa.func.max(DomainPhrase.id), sa.func.max(DomainPhrase.created_at))
        ).one()
    )
    if store.get("book") is None or store["signature"] != signature:
        rows = db.session.execute(
            sa.select(TaxonomyTerm.code, DomainPhrase.phrase)
            .join(TaxonomyTerm, TaxonomyTerm.id == DomainPhrase.term_id)
            .order_by(DomainPhrase.id)
        ).all()
        store.update(signature=signature, book=_book_of(tuple((c, p) for c, p in rows if c)))
    store["checked"] = now
    return store["book"]


def forget_phrases() -> None:
    if has_app_context():
        current_app.extensions.pop("phrase_book", None)
    result_cache.clear()  # results whose domains were recognised by the old phrases


@dataclass
class Analysed:
    """One typed search, analysed once. `known(form)` says whether the index holds a form."""

    text: str
    thesaurus: Thesaurus
    known: object = None
    book: PhraseBook | None = None
    _forms: dict = field(default_factory=dict, repr=False)

    @cached_property
    def typed(self) -> list[str]:
        """The words as typed (lowercase), stop words dropped."""
        return [w for w in words(self.text) if not is_stop(w)]

    @cached_property
    def folded(self) -> str:
        return " ".join(fold(self.text).split())

    @cached_property
    def lemmas(self) -> tuple[str, ...]:
        return tuple(fold(lemma(w)) for w in self.typed)

    @cached_property
    def units(self) -> list[Unit]:
        return split_units(self.text, self.thesaurus)

    def forms(self, word: str) -> set[str]:
        """query_forms of a word, computed once per search."""
        if word not in self._forms:
            self._forms[word] = query_forms(word, self.known)
        return self._forms[word]

    @cached_property
    def domains(self) -> list[tuple[str, float]]:
        if self.book is None:
            return []
        return self.book.recognise_text(self.text)

    @cached_property
    def unknown(self) -> list[str]:
        """Typed words the index knows in no form (what "did you mean" tries to correct)."""
        known = self.known or (lambda _: False)
        return [w for w in self.typed if not any(known(f) for f in self.forms(w))]

    @cached_property
    def meaningful(self) -> bool:
        """At least one word the index or the phrases know: such a search never comes back empty."""
        return bool(self.domains) or len(self.unknown) < len(self.typed)


def domain_strengths(analysed: Analysed) -> dict[str, float]:
    """Recognised domains scaled to 0..1 by the strongest one."""
    if not analysed.domains:
        return {}
    top = analysed.domains[0][1]
    return {code: s / top for code, s in analysed.domains}
