"""Recognising life domains from residents' everyday phrases (no database: the seed phrases)."""

import pytest

from catalog.search.understanding import PhraseBook, phrase_key, phrase_words
from catalog.seed import domain_phrase_seed


@pytest.fixture(scope="module")
def book():
    return PhraseBook(domain_phrase_seed())


def top(book, text: str) -> str | None:
    found = book.recognise(phrase_words(text))
    return found[0][0] if found else None


def test_the_seed_covers_every_life_domain():
    import json
    from pathlib import Path

    data = json.loads((Path("catalog/data/taxonomies.json")).read_text(encoding="utf-8"))
    codes = {code for code, _, _ in data["taxonomies"][0]["terms"]}
    seeded = {code for code, _ in domain_phrase_seed()}
    assert seeded == codes
    per_domain = {c: sum(1 for d, _ in domain_phrase_seed() if d == c) for c in codes}
    assert min(per_domain.values()) >= 10, per_domain


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("moj fant me udari, ko je pijan", "nasilje"),
        ("partner me zmerja", "nasilje"),
        ("mož me je pretepel", "nasilje"),  # inflected verb
        ("sin preveč igra igrice", "zasvojenost"),
        ("iščem delo", "zaposlovanje"),
        ("iscem sluzbo", "zaposlovanje"),  # without č/š/ž
        ("ne morem plačati položnic", "dolgovi"),
        ("ne morem placati poloznic", "dolgovi"),
        ("zarubili so mi plačo", "dolgovi"),
        ("brez elektrike smo", "komunalna-oskrba"),
        ("nimam kje spati", "brezdomstvo"),
        ("v bloku imamo ščurke", "higiena"),
    ],
)
def test_everyday_words_name_the_domain(book, text, domain):
    assert top(book, text) == domain


def test_one_typo_is_forgiven_in_longer_words_only(book):
    assert top(book, "deložacja") == "stanovanje"  # a letter missing
    assert top(book, "brezposelen") == "zaposlovanje"  # a letter swapped in
    assert book.forms_of("dolx") == set()  # short words must match exactly


def test_a_multi_word_phrase_needs_all_its_words(book):
    # "ne morem plačati" is a debts phrase; "plačati" alone is not a phrase of any domain.
    assert top(book, "plačati") is None
    assert top(book, "ne morem plačati") == "dolgovi"


def test_nonsense_and_filler_words_recognise_nothing(book):
    assert book.recognise(phrase_words("asdf qwe")) == []
    assert book.recognise(phrase_words("in ali pa da")) == []


def test_phrase_key_folds_and_lemmatizes():
    assert phrase_key("Ne morem plačati položnic") == phrase_key("ne morem placati poloznice")
    assert phrase_key("brez doma").startswith("brez ")  # the negating stop word stays


@pytest.mark.parametrize(
    ("phrase", "typed"),
    [
        ("dugovi", "дугови"),  # Serbian Cyrillic г is a g
        ("struja", "нема струје"),  # ј
        ("grejanje", "немамо грејање"),  # г and њ
        ("деньги", "dengi net"),  # Russian typed in Latin letters: г as g
        ("допомога", "potribna dopomoha"),  # Ukrainian in Latin letters: г as h
        ("izvršitelj", "извршитељ"),  # љ
    ],
)
def test_cyrillic_and_latin_spellings_meet(phrase, typed):
    book = PhraseBook([("dolgovi", phrase)])
    assert [c for c, _ in book.recognise_text(typed)] == ["dolgovi"]
    assert PhraseBook([("dolgovi", "kredit")]).recognise_text(typed) == []
