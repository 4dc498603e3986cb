"""Personal identifiers are taken out of search queries before they are stored."""

import pytest

from catalog.learning.scrub import scrub


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("janez.novak@gmail.com rubež", "[e-mail] rubež"),
        ("0101990500123 otroški dodatek", "[emso] otroški dodatek"),
        ("davčna SI12345678", "davčna [tax-number]"),
        ("041 123 456 pomoč", "[phone] pomoč"),
        ("+386 (0)7 39 34 000", "[phone]"),
        ("07/393-40-00", "[phone]"),
        ("račun 123456", "račun [number]"),
    ],
)
def test_identifiers_become_placeholders(typed, stored):
    assert scrub(typed) == stored


@pytest.mark.parametrize("typed", ["center za socialno delo", "Novo mesto 8000", "poplava 2024", "2 otroka"])
def test_words_and_short_numbers_stay(typed):
    assert scrub(typed) == typed
