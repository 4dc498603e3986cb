"""Life domains in a search: services of the domains a query speaks of rise in the ranking,
join the results when the words alone find too little, and are named on a card above them."""

from catalog.search import postings

# How much a recognised domain adds to a text score scaled to 0..1 by the best hit: enough to
# lift a right-domain service over a loose word match, not over a service named by the words.
DOMAIN_WEIGHT = 0.6
# When the words found too little (closest results), what they matched is weak evidence: a loose
# or fuzzy match of one word must not outrank the services of the need the phrases recognised.
WEAK_TEXT_DOMAIN_WEIGHT = 2.0  # closest results: coverage of the words is at most 1
# A service of the domain that none of the words reached still ranks below real matches.
DOMAIN_ONLY_SCORE = 0.0
MAX_CARDS = 2
# A description that speaks of several needs ("po kapi ne morem več delati": health and work)
# shows each recognised need among its first results, as the cards above them name them.
DIVERSE_TOP = 3


def domain_docs(searcher, codes, allowed: set[int] | None) -> set[int]:
    """Document numbers of the services in these domains (within the active filters)."""
    if not codes:
        return set()
    docs = set().union(*(postings.term_docs(searcher, "f_domain", c) for c in codes))
    return docs & allowed if allowed is not None else docs


def blend(hits: list[tuple[int, float]], extra: set[int], columns, strengths: dict[str, float], weight: float):
    """(docnum, score) hits plus the domain-only documents, re-scored: the text score scaled by
    the best one, plus the strength of the strongest recognised domain the service serves."""
    top = max((s for _, s in hits), default=0.0) or 1.0
    scored = {d: s / top for d, s in hits}
    for d in extra:
        scored.setdefault(d, DOMAIN_ONLY_SCORE)
    doc_domains = columns["f_domain"]
    lifts: dict[tuple[str, ...], float] = {}  # services share a few combinations of domains
    out = []
    for d, s in scored.items():
        codes = doc_domains[d]
        lift = lifts.get(codes)
        if lift is None:
            lift = lifts[codes] = max((strengths.get(c, 0.0) for c in codes), default=0.0)
        out.append((d, s + weight * lift))
    return sorted(out, key=lambda h: (-h[1], h[0]))  # ties by document number: the same order every run


def diversify(ordered: list[str], domains_of, strengths: dict[str, float]) -> list[str]:
    """The first DIVERSE_TOP places of a ranking, filled greedily: the best hit first, then for
    each place the best remaining hit of the strongest recognised domain the places so far
    leave out (the next hit when none is left out or no hit serves it). The rest keep their
    order. `domains_of(id)` gives a service's domain codes."""
    if len(strengths) < 2:
        return ordered
    wanted = sorted(strengths, key=lambda c: (-strengths[c], c))[:DIVERSE_TOP]
    head: list[str] = []
    rest = list(ordered)
    while rest and len(head) < DIVERSE_TOP:
        covered = {c for i in head for c in domains_of(i)}
        pick = None
        for code in (c for c in wanted if c not in covered) if head else ():
            pick = next((n for n, i in enumerate(rest) if code in domains_of(i)), None)
            if pick is not None:
                break
        head.append(rest.pop(pick or 0))
    return head + rest


def cards(searcher, codes) -> list[tuple[str, int]]:
    """The recognised domains with how many public services each holds (for "Nasilje – 9")."""
    out = []
    for code in list(codes)[:MAX_CARDS]:
        count = len(postings.term_docs(searcher, "f_domain", code))
        if count:
            out.append((code, count))
    return out
