"""The second tuning set of residents' descriptions (tests/relevance_descriptions2.py): a
right-domain service in the top three for at least 90 %, and never an empty result."""

from tests.relevance_descriptions2 import DESCRIPTIONS2
from tests.search_helpers import domain_hits, report

MIN_DOMAIN_TOP3 = 0.9


def test_second_tuning_descriptions_find_the_right_domain(app, demo, capsys):
    assert len(DESCRIPTIONS2) >= 80
    with app.app_context():
        share, misses, empty = domain_hits(DESCRIPTIONS2)
    with capsys.disabled():
        print(report("second tuning descriptions", DESCRIPTIONS2, share, misses, empty))
    assert not empty, empty
    assert share >= MIN_DOMAIN_TOP3, "\n".join(misses)
