"""Held-out check, third blind round: residents who do not write Slovenian (issue 23).

The texts are in tests/data/languages_heldout2.json, written on 2026-12-07, after tuning round
"third", by a helper session that read nothing of the project but the life-domain taxonomy
(see the file's "method"): no search code, no phrase list, no other test set, and no word from
us about which needs had been weak. Never tune phrases, synonyms, weights or code on these texts
and never edit them; when they have been used for tuning, call them a tuning set and write a new
blind set.

Per language the texts with a service of a right life domain in the top three are counted and
printed with the misses. FLOOR_HITS holds the first measurement and fails on a drop; it is a
record, not a target.

First measurement (2026-12-07, before any change was made with this set in view; SQLite test
database, demo catalog and index from the `demo` fixture):

    English                    14/20 = 0.700
    Ukrainian                  13/15 = 0.867   1 empty
    Russian                    11/15 = 0.733   2 empty
    Albanian                   12/15 = 0.800
    Bosnian/Croatian/Serbian   13/15 = 0.867
    Romani (unchecked)          7/8  = 0.875
    All                        70/88 = 0.795

The issue's targets (0.90 overall, 0.80 in every language) are not met on this set: English and
Russian fall short, and three real needs find nothing. This is the fair figure; the tuning sets
(tests/data/languages_tuning.json, all at or near 1.0) and the first blind set, whose misses
steered round "third" (0.988), overstate it.

Second measurement (2026-12-07, after tuning round "fourth", which tuned on another set written
blind the same way and never on this one; only the counts below were read, not the misses):

    English                    17/20 = 0.850
    Ukrainian                  13/15 = 0.867   1 empty
    Russian                    13/15 = 0.867   1 empty
    Albanian                   12/15 = 0.800
    Bosnian/Croatian/Serbian   13/15 = 0.867
    Romani (unchecked)          7/8  = 0.875
    All                        75/88 = 0.852

Every language now reaches 0.80; the overall 0.90 is not reached and two real needs still find
nothing. Round "fourth"'s own set, measured once before it was tuned on, gave 88/100 = 0.880: a
second blind figure of the same kind.

Third measurement (2026-12-07, after tuning round "fifth", again on a separate set written blind;
counts only):

    English                    17/20 = 0.850
    Ukrainian                  15/15 = 1.000
    Russian                    14/15 = 0.933
    Albanian                   13/15 = 0.867
    Bosnian/Croatian/Serbian   13/15 = 0.867
    Romani (unchecked)          7/8  = 0.875
    All                        79/88 = 0.898   none empty

Every language above 0.80 and no real need left with nothing; overall one text short of 0.90.

Fourth measurement (2026-12-07, after tuning round "sixth", on its own blind-written set; counts
only): English 17/20, Ukrainian 15/15, Russian 15/15, Albanian 14/15, Bosnian/Croatian/Serbian
13/15, Romani 7/8; all 81/88 = 0.920, none empty. The issue's targets are met on this set.
Each measurement's count steers the next round a little even unseen: after a few more rounds
this set too should be replaced by a new blind one.
"""

import pytest

from tests.search_helpers import check_languages, heldout_languages

FLOOR_HITS = {
    "English": 17,
    "Ukrainian": 15,
    "Russian": 15,
    "Albanian": 14,
    "Bosnian/Croatian/Serbian": 13,
    "Romani (unchecked)": 7,
}


@pytest.mark.usefixtures("demo")
def test_search_understands_other_languages_blind(app, capsys):
    check_languages(app, capsys, heldout_languages("languages_heldout2.json"), FLOOR_HITS)
