"""Residents' descriptions the search was not tuned on (issue 11): a service of a right life
domain in the top three, and never an empty result.

Each round was written by someone who had read only DOMAIN.md, the seeds and the list of life
domains: not the catalog, its synonyms or phrases, the search code or the other rounds. A round
is held out until its misses are read; from then on it guards what was measured, and its file
says so. The issue's target, 90 %, applies to the rounds still held out (4 and 8). The history of
every figure is in docs/benchmarks.md ("Residents' descriptions")."""

import pytest

from tests.search_helpers import check_descriptions, descriptions, load

TARGET = 0.9
ROUNDS = [
    # (round in tests/data/residents_rounds.json, floor, what it is)
    ("round 4", TARGET, "round 4, held out: 0.984 fresh"),
    ("round 8", TARGET, "round 8, held out (eight voices): 0.953 fresh"),
    ("round 1", TARGET, "round 1, kinds of its misses were briefed: 0.937"),
    ("round 3", TARGET, "round 3, misses read: 0.867 fresh, 0.933 now"),
    ("round 5", 0.93, "round 5, hard voices, misses read: 0.859 fresh, 0.953 now"),
    ("round 6", 0.93, "round 6, hard voices, misses read: 0.859 fresh, 0.953 now"),
    # Below the target, said plainly: the hardest voices (a Roma grandmother through her
    # granddaughter, a young woman hinting at control, a drinker's dialect).
    ("round 7", 0.8, "round 7, hardest voices, misses read: 0.766 fresh, 0.828 now"),
]


@pytest.mark.parametrize(("round_name", "floor", "label"), ROUNDS, ids=[r[0].replace(" ", "") for r in ROUNDS])
def test_residents_descriptions(app, demo, capsys, round_name, floor, label):
    texts = descriptions(load("residents_rounds.json")["rounds"][round_name]["texts"])
    check_descriptions(app, capsys, label, texts, floor)
