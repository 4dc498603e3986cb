"""Facet counts of a large result come from per-value bit masks (catalog/search/columns.py);
a small one from a pass over its documents. Both must give the same counts: the demo catalog
is small, so the mask path is forced here and compared with the pass and with the catalog."""

import pytest

from catalog.search import engine as search
from catalog.search import result_cache
from catalog.search.engine import FACETS


@pytest.mark.parametrize("text", ["", "pomoč", "nasilje", "dolgovi", "otroci šola", "brezplačno svetovanje"])
def test_masks_and_the_pass_count_the_same(app, demo, monkeypatch, text):
    app.config["SEARCH_RESULT_CACHE"] = 0
    with app.app_context():
        monkeypatch.setattr(search, "_MASKS_FROM", 10**9)
        by_pass = search.run(text)
        result_cache.clear()
        monkeypatch.setattr(search, "_MASKS_FROM", 0)
        by_masks = search.run(text)
    assert by_masks.total == by_pass.total
    assert by_masks.facets == by_pass.facets
    assert set(by_masks.facets) == {*FACETS, "free"}


def test_mask_counts_are_services_holding_the_value(app, demo, monkeypatch):
    """Every service of a life domain counts once in that domain's facet."""
    from catalog.models import LINK_DOMAIN
    from catalog.search import matching_ids, services_for

    app.config["SEARCH_RESULT_CACHE"] = 0
    with app.app_context():
        monkeypatch.setattr(search, "_MASKS_FROM", 0)
        result = search.run("")
        everything = services_for(matching_ids(""))
        expected: dict[str, int] = {}
        for service in everything:
            for code in {t.code for t in service.terms(LINK_DOMAIN)}:
                expected[code] = expected.get(code, 0) + 1
    shown = dict(result.facets["domain"])
    assert shown and all(shown[code] == expected.get(code, 0) for code in shown), (shown, expected)
