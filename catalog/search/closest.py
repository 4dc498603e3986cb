"""Closest results when no service matches every word: ranked by how much of the need each
service covers, every word weighted by its rarity (a word most services contain, such as
"pomoč", "otrok" or "brezplačen", says little; "svetilnik" or "legalizacija" says a lot)."""

import math

from catalog.search import query as search_query

BM25_SHARE = 0.25  # the usual score only breaks ties between equally covering services


def coverage(p, docs: set[int]) -> dict[int, float]:
    """Per document: the share of the query's rarity-weighted words it contains (0..1).

    `p` is the engine's running search (`_Pass`: searcher, known, matching, analysed query)."""
    n = max(1, p.searcher.doc_count())
    parts = []
    for unit in p.analysed.units:
        found = p.matching(search_query.unit_query(unit, p.known, True, ("all",), p.analysed.forms))
        if found:  # a word no service contains cannot tell services apart
            parts.append((math.log(1 + n / len(found)), found))
    total = sum(weight for weight, _ in parts) or 1.0
    covered = dict.fromkeys(docs, 0)
    for weight, found in parts:  # in the order of the words, as a sum over them would add
        for d in found & docs if len(found) < len(docs) else docs & found:
            covered[d] += weight
    return {d: c / total for d, c in covered.items()}


def rescore(hits: list[tuple[int, float]], cover: dict[int, float], depth) -> list[tuple[int, float]]:
    """The best covering documents (not only the top of the usual score), by coverage first."""
    top = max((s for _, s in hits), default=0.0) or 1.0
    usual = {d: s / top for d, s in hits}
    best = sorted(cover, key=lambda d: (-cover[d], d))[:depth]
    scored = [(d, cover.get(d, 0.0) + BM25_SHARE * usual.get(d, 0.0)) for d in set(best) | set(usual)]
    return sorted(scored, key=lambda h: (-h[1], h[0]))[:depth]
