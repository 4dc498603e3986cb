"""Residents' descriptions the search was not tuned on (issue 11): a service of a right life
domain in the top three, and never an empty result.

Each round was written by someone who had read only DOMAIN.md, the seeds and the list of life
domains: not the catalog, its synonyms or phrases, the search code or the other rounds. A round
is held out until its misses are read; from then on it guards what was measured, and its file
says so. The issue's target, 90 %, applies to the rounds still held out (4 and 8). The history of
every figure is in docs/benchmarks.md ("Residents' descriptions")."""

import importlib

import pytest

from tests.search_helpers import check_descriptions

TARGET = 0.9
ROUNDS = [
    # (module, name, floor, what it is)
    ("relevance_heldout4", "HELDOUT4", TARGET, "round 4, held out: 0.984 fresh"),
    ("relevance_heldout8", "HELDOUT8", TARGET, "round 8, held out (eight voices): 0.953 fresh"),
    ("relevance_heldout", "HELDOUT", TARGET, "round 1, kinds of its misses were briefed: 0.937"),
    ("relevance_heldout3", "HELDOUT3", TARGET, "round 3, misses read: 0.867 fresh, 0.933 now"),
    ("relevance_heldout5", "HELDOUT5", 0.93, "round 5, hard voices, misses read: 0.859 fresh, 0.953 now"),
    ("relevance_heldout6", "HELDOUT6", 0.93, "round 6, hard voices, misses read: 0.859 fresh, 0.953 now"),
    # Below the target, said plainly: the hardest voices (a Roma grandmother through her
    # granddaughter, a young woman hinting at control, a drinker's dialect).
    ("relevance_heldout7", "HELDOUT7", 0.8, "round 7, hardest voices, misses read: 0.766 fresh, 0.828 now"),
]


@pytest.mark.parametrize(("module", "name", "floor", "label"), ROUNDS, ids=[r[0] for r in ROUNDS])
def test_residents_descriptions(app, demo, capsys, module, name, floor, label):
    descriptions = getattr(importlib.import_module(f"tests.{module}"), name)
    check_descriptions(app, capsys, label, descriptions, floor)
