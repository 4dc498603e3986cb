"""Held-out check, second round: residents who do not write Slovenian (issue 23).

The texts are in tests/data/languages_heldout.json, written on 2026-12-07 by a helper session that
read nothing of the project but the life-domain taxonomy (see the file's "method"): no search code,
no phrase or synonym list, no other test set. tests/data/languages_tuning.json set "second", the first
independent round, has since been tuned on and is a tuning set now; this file is the held-out one. Never tune
phrases, synonyms, weights or code on these texts and never edit them: improve the search on other
material and let this set show whether it carries over.

For each language the share of texts with a service of a right life domain in the top three is
measured with `tests.search_helpers.domain_hits` and printed with the misses. FLOOR_HITS holds the
level of the first measurement (see the table below) and fails on a drop; it is a record, not a
target.

First measurement (2026-12-07, before any change was made with this set in view; SQLite test
database, demo catalog and index from the `demo` fixture):

    English                    17/20 = 0.850
    Ukrainian                  11/15 = 0.733   3 empty (Slovene lessons, bedridden grandmother,
                                               a son's war nightmares)
    Russian                    13/15 = 0.867   2 empty (eviction by the landlord, water cut off)
    Albanian                   15/15 = 1.000
    Bosnian/Croatian/Serbian   13/15 = 0.867   both misses in Serbian Cyrillic
    Romani (unchecked)          4/6  = 0.667
    All                        73/86 = 0.849

The issue's targets (0.90 overall, 0.80 in every language) were not met on this set then.

Second measurement (2026-12-07, after tuning round "third" of tests/data/languages_tuning.json,
written and tuned on by a helper that never opened this file or these texts):

    English                    19/20 = 0.950
    Ukrainian                  15/15 = 1.000
    Russian                    15/15 = 1.000
    Albanian                   15/15 = 1.000
    Bosnian/Croatian/Serbian   15/15 = 1.000
    Romani (unchecked)          6/6  = 1.000
    All                        85/86 = 0.988

Read it with this caveat: the brief for round "third" named kinds of need to cover, and they
included the topics of the first measurement's misses listed above (and Serbian Cyrillic). No
text of this set was seen, but its misses steered the round, so this set is no longer fully
held out. tests/data/languages_heldout2.json (test_search_languages_blind.py) is the next blind
set, written after that round by a helper that read only the taxonomy.
"""

import pytest

from tests.search_helpers import check_languages, heldout_languages

FLOOR_HITS = {
    "English": 19,
    "Ukrainian": 15,
    "Russian": 15,
    "Albanian": 15,
    "Bosnian/Croatian/Serbian": 15,
    "Romani (unchecked)": 6,
}


@pytest.mark.usefixtures("demo")
def test_search_understands_other_languages_fresh_heldout(app, capsys):
    check_languages(app, capsys, heldout_languages("languages_heldout.json"), FLOOR_HITS)
