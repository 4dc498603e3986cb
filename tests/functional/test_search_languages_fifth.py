"""Tuning set "fifth" (tests/data/languages_tuning.json): 120 texts in English (migrants'
English too), Ukrainian (with surzhyk and Latin typing), Russian (Cyrillic and Latin letters),
Albanian (standard and Gheg), Bosnian/Croatian/Serbian (Latin and Serbian Cyrillic) and Romani,
written blind by a helper that read only the life domains' taxonomy, leaning on needs described
by what happened rather than by the help's name. Per language, the share with a service of a
right life domain in the top three (`tests.search_helpers.domain_hits`) is printed with the
misses and held to a floor: the final measurement of the round that tuned on it.

Before (measured once the set was committed, before any change of its round):

    English                                         15/24 = 0.625
    Ukrainian                                       12/20 = 0.600   3 empty
    Russian (Cyrillic and Latin)                    15/20 = 0.750   2 empty
    Albanian                                        14/20 = 0.700
    Bosnian/Croatian/Serbian (Latin and Cyrillic)   16/20 = 0.800
    Romani                                          16/16 = 1.000
    overall                                         88/120 = 0.733  5 empty

That first measurement is the only one taken before tuning, so it is this set's blind figure:
lower than round four's, as the texts describe what happened more than the help they need.
After the round (the "fifth" block of catalog/data/domain_phrases.txt): 120/120, none empty;
two phrases of the round that first took other texts ("ne može sama" met "не можу ... сама",
"treba joj neko" any "treba mi neko") were narrowed; every other relevance and language set held.
"""

import pytest

from tests.search_helpers import check_languages, languages, load

LANGUAGES = languages(load("languages_tuning.json")["sets"]["fifth"])

# Hits measured at the end of the round that tuned on the set, per language.
FLOOR_HITS = {
    "English": 24,
    "Ukrainian": 20,
    "Russian (Cyrillic and Latin)": 20,
    "Albanian": 20,
    "Bosnian/Croatian/Serbian (Latin and Cyrillic)": 20,
    "Romani": 16,
}


@pytest.mark.usefixtures("demo")
def test_search_understands_other_languages_fifth(app, capsys):
    check_languages(app, capsys, LANGUAGES, FLOOR_HITS)
