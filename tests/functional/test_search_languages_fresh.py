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

The issue's targets (0.90 overall, 0.80 in every language) are not met on this set.
"""

import json
from pathlib import Path

import pytest

from tests.search_helpers import TOP, domain_hits

DATA = json.loads((Path(__file__).parents[1] / "data" / "languages_heldout.json").read_text(encoding="utf-8"))
NAMES = {
    "en": "English",
    "uk": "Ukrainian",
    "ru": "Russian",
    "sq": "Albanian",
    "bcs": "Bosnian/Croatian/Serbian",
    "rom": "Romani (unchecked)",
}
LANGUAGES = {
    NAMES[code]: [(entry["text"], set(entry["domains"])) for entry in entries]
    for code, entries in DATA["languages"].items()
}
FLOOR_HITS = {
    "English": 17,
    "Ukrainian": 11,
    "Russian": 13,
    "Albanian": 15,
    "Bosnian/Croatian/Serbian": 13,
    "Romani (unchecked)": 4,
}


@pytest.mark.usefixtures("demo")
def test_search_understands_other_languages_fresh_heldout(app, capsys):
    results = {}
    with app.test_request_context():
        for language, descriptions in LANGUAGES.items():
            results[language] = domain_hits(descriptions)

    lines = []
    total_hits = total = 0
    for language, (share, misses, empty) in results.items():
        n = len(LANGUAGES[language])
        total_hits += round(share * n)
        total += n
        lines.append(
            f"\n{language}: {round(share * n)}/{n} = {share:.3f} right domain in top {TOP}, empty: {len(empty)}"
        )
        lines += [f"  miss {m}" for m in misses] + [f"  empty {e!r}" for e in empty]
    lines.append(f"\nAll: {total_hits}/{total} = {total_hits / total:.3f}")
    with capsys.disabled():
        print("\n".join(lines))

    drops = [
        f"{language}: {share:.3f} < {FLOOR_HITS[language]}/{len(LANGUAGES[language])}"
        for language, (share, _, _) in results.items()
        if share * len(LANGUAGES[language]) < FLOOR_HITS[language] - 1e-9
    ]
    assert not drops, "\n".join(drops + lines)
