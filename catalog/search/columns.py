"""Per index generation, per document number: the service id, the facet values and the words
of the labels the ranking reads, kept in plain lists so a search reads them without Whoosh's
stored-field lookups; and per facet value, its documents as a bit mask."""

_facet_cache: dict = {}
FACET_FIELDS = ("f_domain", "f_group", "f_area", "f_provider", "f_lang", "f_free")


def facet_values(ix, searcher) -> dict[str, list[tuple[str, ...]]]:
    """Per document number: the service id and the facet values; cached per index generation,
    so counting facets costs a pass over the matched documents only."""
    key = (ix.storage.folder, ix.latest_generation(), searcher.reader().doc_count_all())
    cached = _facet_cache.get(key)
    if cached is None:
        size = searcher.reader().doc_count_all()
        columns = {f: [()] * size for f in FACET_FIELDS}
        columns["id"] = [None] * size
        for label in ("label_name", "label_org", "label_domains"):
            columns[label] = [frozenset()] * size
        for docnum, stored in searcher.reader().iter_docs():
            columns["id"][docnum] = stored["id"]
            for label in ("label_name", "label_org", "label_domains"):
                columns[label][docnum] = frozenset((stored.get(label) or "").split())
            for f in FACET_FIELDS:
                columns[f][docnum] = tuple(v for v in (stored.get(f) or "").split(",") if v)
        columns["masks"] = _value_masks(columns, size)
        columns["docnum"] = {i: d for d, i in enumerate(columns["id"]) if i is not None}
        _facet_cache.clear()
        _facet_cache[key] = cached = columns
    return cached


def doc_mask(docnums, size: int) -> int:
    """A set of document numbers as the bits of one int (bit d set for document d)."""
    bits = bytearray((size + 7) // 8)
    for d in docnums:
        bits[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(bits, "little")


def _value_masks(columns: dict, size: int) -> dict[str, dict[str, int]]:
    """Per facet field and value, the documents holding it as a bit mask: a large result's facet
    counts are then one AND and a bit count per value instead of a pass over every document."""
    masks = {}
    for f in FACET_FIELDS:
        docs: dict[str, list[int]] = {}
        for docnum, values in enumerate(columns[f]):
            for v in set(values):
                docs.setdefault(v, []).append(docnum)
        masks[f] = {v: doc_mask(numbers, size) for v, numbers in docs.items()}
    return masks
