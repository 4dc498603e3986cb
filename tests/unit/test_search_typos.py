"""Typos forgiven in phrase matching, and several recognised needs shown among the first results."""

import pytest

from catalog.search.domains import diversify
from catalog.search.typos import TypoIndex, distance

KNOWN = ["poloznica", "poloznice", "panike", "banka", "delo", "nasilje", "uciti", "deratizacija"]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("delo", "delo", 0),
        ("dleo", "delo", 1),  # two letters swapped is one edit
        ("nasilej", "nasilje", 1),
        ("polozence", "poloznice", 2),
        ("kitten", "sitting", 3),
        ("a", "abcdef", 3),  # past the limit: limit + 1
    ],
)
def test_distance_counts_swaps_as_one_edit_and_stops_past_the_limit(a, b, expected):
    assert distance(a, b, 2) == min(expected, 3)


def test_long_words_may_carry_two_typos_and_the_nearest_forms_win():
    typos = TypoIndex(KNOWN)
    assert typos.corrections("polozence", 9) == {"poloznice"}  # two edits in nine letters
    # One edit away from "poloznice" and two from "poloznica": only the nearest.
    assert typos.corrections("poloznce", 8) == {"poloznice"}
    assert typos.corrections("deratizcaija", 12) == {"deratizacija"}


def test_five_letter_words_may_only_have_missed_a_letter():
    typos = TypoIndex(KNOWN)
    assert typos.corrections("panke", 5) == {"panike"}  # a missed letter
    assert typos.corrections("banke", 5) == set()  # a wrong letter: "banka" is a word of its own


def test_the_typed_words_length_sets_the_limit_not_its_lemmas():
    typos = TypoIndex(KNOWN)
    # "muči" has the lemma "mučiti", one letter from "učiti": a four-letter word gets no typo.
    assert typos.corrections("muciti", 4) == set()
    assert typos.corrections("muciti", 6) == {"uciti"}
    # Two edits only from eight letters on, and never in the first letter.
    assert typos.corrections("nasiljeee", 7) == set()
    assert typos.corrections("masilje", 7) == {"nasilje"}  # one edit may hit the first letter
    assert typos.corrections("mbsilje", 8) == set()


DOMAINS = {"a1": ("revscina",), "a2": ("revscina",), "a3": ("revscina", "dolgovi"), "b1": ("prevoz",), "c1": ()}


def test_each_recognised_need_gets_a_place_among_the_first_three():
    ranked = ["a1", "a2", "a3", "c1", "b1"]
    assert diversify(ranked, DOMAINS.get, {"revscina": 1.0, "prevoz": 0.6}) == ["a1", "b1", "a2", "a3", "c1"]


def test_a_ranking_already_covering_the_needs_or_with_one_need_keeps_its_order():
    assert diversify(["a1", "b1", "a2"], DOMAINS.get, {"revscina": 1.0, "prevoz": 0.6}) == ["a1", "b1", "a2"]
    assert diversify(["a1", "a2", "b1"], DOMAINS.get, {"revscina": 1.0}) == ["a1", "a2", "b1"]
    # A need no result serves takes no place.
    ranked = ["a1", "a2", "c1"]
    assert diversify(ranked, DOMAINS.get, {"revscina": 1.0, "zdravje": 0.9}) == ranked


def test_the_spoken_past_tense_is_read_as_written():
    from catalog.search.understanding import PhraseBook, phrase_words

    book = PhraseBook([("starejsi", "padel je doma"), ("varnost", "klical je lažni policist")])
    assert [c for c, _ in book.recognise(phrase_words("padu sm doma"))] == ["starejsi"]  # padu = padel
    assert [c for c, _ in book.recognise(phrase_words("klicu je en lažni policist"))] == ["varnost"]
    assert book.recognise(phrase_words("doma")) == []  # the phrase still needs all its words


def test_a_negation_written_together_with_the_verb_is_read_apart():
    from catalog.search.understanding import PhraseBook, phrase_words

    book = PhraseBook([("zasvojenost", "ne morem nehati"), ("dusevno-zdravje", "nemoč")])
    assert [c for c, _ in book.recognise(phrase_words("nemorem nehat"))] == ["zasvojenost"]
    assert [c for c, _ in book.recognise(phrase_words("ne morem nehat"))] == ["zasvojenost"]
    assert [c for c, _ in book.recognise(phrase_words("občutek nemoči"))] == ["dusevno-zdravje"]  # a word of its own


def test_who_is_in_need_gives_way_to_what_the_need_is():
    from catalog.search.understanding import PhraseBook, phrase_words

    book = PhraseBook([("starejsi", "stara mama"), ("starejsi", "starejši"), ("zdravje", "zdravnik")])
    # Alone, the person still names a domain (the elderly) ...
    assert [c for c, _ in book.recognise(phrase_words("stara mama"))] == ["starejsi"]
    # ... but beside a need it gives way, and "stara" counts once, not once per phrase holding it.
    assert [c for c, _ in book.recognise(phrase_words("stara mama pravi, da jo zdravnik ne sprejme"))] == ["zdravje"]


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("iščem trenerja za nogomet", "travma"),  # "trener" is not two edits from "trese"
        ("izbranega zdravnika nimam", "dusevno-zdravje"),  # nor "izbran" from "izbruh"
        ("pokop rajnkega moža", "rejnistvo"),  # nor "rajnki" from "rejnik"
        ("treba mi pomoć za mamu", "zasvojenost"),  # "mamu" (mother) is no "mamil" of "mamilo"
    ],
)
def test_everyday_words_are_not_read_as_typos_of_a_need(text, wrong):
    from catalog.search.understanding import PhraseBook, phrase_words

    book = PhraseBook([("travma", "trese me"), ("dusevno-zdravje", "izbruh"), ("rejnistvo", "rejnik")])
    book = PhraseBook(book.phrases + [("zasvojenost", "mamila"), ("zdravje", "zdravnik")])
    assert wrong not in [c for c, _ in book.recognise(phrase_words(text))]
