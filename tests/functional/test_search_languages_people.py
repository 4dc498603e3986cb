"""Held-out check written around imagined residents: people who do not write Slovenian (issue 23).

The texts are in tests/data/languages_heldout_people.json, written on 2026-12-07 by a helper
session that read nothing of the project but the life-domain taxonomy (see the file's "method"):
it first imagined concrete residents (a pensioner, a young mother, a migrant worker, a refugee
family, a man after prison, a carer of a disabled child ...) and wrote what each would type.
Never tune phrases, synonyms, weights or code on these texts and never edit them; read only the
counts, not the misses. When they have been used for tuning, call them a tuning set and write a
new blind set.

Per language the texts with a service of a right life domain in the top three are counted.
FLOOR_HITS holds the latest measurement and fails on a drop; it is a record, not a target.

Measurements (SQLite test database, demo catalog and index from the `demo` fixture):

    first, after round "fifth" and before any change made with this set in view (2026-12-07):

    English                    22/24 = 0.917
    Ukrainian                  19/20 = 0.950   1 empty
    Russian                    17/20 = 0.850   1 empty
    Albanian                   18/20 = 0.900
    Bosnian/Croatian/Serbian   19/20 = 0.950
    Romani (unchecked)         14/16 = 0.875
    All                       109/120 = 0.908  2 empty

The issue's targets (0.90 overall, 0.80 in every language) are met on this set; two real needs
still find nothing.

    second, after tuning round "sixth" (on its own blind-written set, never on this one):

    English                    22/24 = 0.917
    Ukrainian                  20/20 = 1.000
    Russian                    18/20 = 0.900
    Albanian                   20/20 = 1.000
    Bosnian/Croatian/Serbian   19/20 = 0.950
    Romani (unchecked)         15/16 = 0.938
    All                       114/120 = 0.950  none empty
"""

import pytest

from tests.search_helpers import check_languages, heldout_languages

FLOOR_HITS = {
    "English": 22,
    "Ukrainian": 20,
    "Russian": 18,
    "Albanian": 20,
    "Bosnian/Croatian/Serbian": 19,
    "Romani (unchecked)": 15,
}


@pytest.mark.usefixtures("demo")
def test_search_understands_other_languages_people(app, capsys):
    check_languages(app, capsys, heldout_languages("languages_heldout_people.json"), FLOOR_HITS)
