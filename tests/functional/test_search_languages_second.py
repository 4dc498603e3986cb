"""Tuning set, second round (once held out): does the public catalog search understand residents who do not write Slovenian?

The texts are in tests/data/languages_tuning.json (set "second"), 12 per language, written without seeing the
search code or its phrase and synonym lists (see that module's docstring). For each language the
share of texts with a service of a right life domain in the top three is measured with
`tests.search_helpers.domain_hits`, printed with the misses and the empty results, and held to a
floor: the level measured on the FIRST run, rounded down to the nearest 1/12. The floors record
today's level and fail on a drop; they are not targets, and neither the texts nor the floors are
to be tuned to the search.

First measurement (2026-12-07; floors were 0 for that run, texts unchanged since), 12 per
language, SQLite test database, demo catalog and index from the `demo` fixture.

    English                    11/12 = 0.917   miss: 'free slovenian lessons for foreigners'
    Ukrainian (Cyrillic)       11/12 = 0.917   empty: 'проблеми з сином підлітком, не слухається'
    Russian (Cyrillic)          9/12 = 0.750   empty: 'нас выселяют из квартиры',
                                               'отключили воду за неуплату',
                                               'помощь одиноким пожилым людям'
    Ukrainian/Russian (Latin)  11/12 = 0.917   miss: 'negde zhit'
    Albanian                    9/12 = 0.750   miss: 'burri me rrah', 'nuk kam ku te fle',
                                               'ndihmë për të moshuarit'
    Bosnian/Croatian/Serbian   12/12 = 1.000

Misses returned other services (e.g. 'Pisarna lokalne blaginje', 'Prva socialna pomoč'); empties
returned nothing at all, so they are counted as misses here (the floor allows for them).
"""

import pytest

from tests.search_helpers import check_languages, languages, load

LANGUAGES = languages(load("languages_tuning.json")["sets"]["second"])

# Hits out of 12 measured on the first run (2026-12-07), per language.
FLOOR_HITS = {
    "English": 11,
    "Ukrainian (Cyrillic)": 11,
    "Russian (Cyrillic)": 9,
    "Ukrainian/Russian (Latin)": 11,
    "Albanian": 9,
    "Bosnian/Croatian/Serbian": 12,
}


@pytest.mark.usefixtures("demo")
def test_search_understands_other_languages_second_round(app, capsys):
    check_languages(app, capsys, LANGUAGES, FLOOR_HITS)
