"""Tuning rounds "third" to "sixth" (tests/data/languages_tuning.json): sets of texts in English,
Ukrainian, Russian (Cyrillic and Latin letters), Albanian, Bosnian/Croatian/Serbian (Latin and
Serbian Cyrillic) and Romani that the phrases of catalog/data/domain_phrases.txt were tuned on.
Per language, the share with a service of a right life domain in the top three
(`tests.search_helpers.domain_hits`) is printed with the misses and held to a floor: the final
measurement of the round that tuned on it. A tuning set's full marks say only that the words it
was tuned on are known; the blind sets (test_search_languages_blind.py and _people.py) measure
what carries over.

Each set was measured once after it was committed and before any change of its round (its only
blind figure), then tuned on; docs/benchmarks.md ("Other languages") holds every round's table.

    round    texts   before            after    written
    third      91    70/91  (0.769)    91/91    by a helper that had read the phrase lists
    fourth    100    88/100 (0.880)   100/100   blind, from the life domains' taxonomy alone
    fifth     120    88/120 (0.733)   120/120   blind; needs told by what happened
    sixth     120   105/120 (0.875)   120/120   blind; questions, slang, short and rambling texts
"""

import pytest

from tests.search_helpers import check_languages, languages, load

LANGUAGE_NAMES = (
    "English",
    "Ukrainian",
    "Russian (Cyrillic and Latin)",
    "Albanian",
    "Bosnian/Croatian/Serbian (Latin and Cyrillic)",
    "Romani",
)
# Hits per language (in the order above) measured at the end of the round that tuned on the set.
FLOOR_HITS = {
    "third": (15, 15, 16, 15, 15, 15),
    "fourth": (20, 16, 16, 16, 16, 16),
    "fifth": (24, 20, 20, 20, 20, 16),
    "sixth": (24, 20, 20, 20, 20, 16),
}


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("round_name", FLOOR_HITS)
def test_a_tuning_set_keeps_the_level_its_round_reached(app, capsys, round_name):
    texts = languages(load("languages_tuning.json")["sets"][round_name])
    assert tuple(texts) == LANGUAGE_NAMES
    check_languages(app, capsys, texts, dict(zip(LANGUAGE_NAMES, FLOOR_HITS[round_name], strict=True)))
