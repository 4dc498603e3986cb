"""The "looks Slovenian" test behind the general-help rule: real words (inflected, without
č/š/ž, colloquial) pass; keyboard mashing and letters Slovenian does not use do not."""

import pytest

from catalog.search.general_help import looks_like_words, looks_slovenian


@pytest.mark.parametrize(
    "word",
    ["pomagajte", "zdravstveni", "narobe", "naprej", "lezim", "sosedi", "atej", "mami", "vrt", "most", "skrb"],
)
def test_slovenian_words_look_slovenian(word):
    assert looks_slovenian(word)


@pytest.mark.parametrize(
    "word", ["asdf", "qwe", "xqzzy", "zxcvbnm", "asdfgh", "sdfsdf", "kjhkjh", "ghjk", "hmm", "aaaa", "wifi", "ab"]
)
def test_nonsense_does_not(word):
    assert not looks_slovenian(word)


def test_one_slovenian_word_among_nonsense_is_enough():
    assert looks_like_words(["asdf", "narobe"])
    assert not looks_like_words(["asdf", "qwe"])
    assert not looks_like_words([])
