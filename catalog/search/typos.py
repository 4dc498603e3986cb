"""Typos in the words residents type, forgiven the way they are made on a phone: a letter
missed, doubled or wrong, two letters swapped, and in long words two of these ("polozence" for
"položnice"). Used by phrase matching, where a word that no phrase knows would otherwise leave
the need unrecognised.

The limits follow the index's own fuzzy fallback (one edit from five letters, two from eight),
except that a five-letter word may only have missed a letter: short words collide too easily
("banke" and "panke" are both words)."""

from rapidfuzz.distance import OSA

ONE_EDIT_MIN = 6  # any one edit from this length on
MISSED_LETTER_LENGTH = 5  # at this length only a missed letter ("panke" for "panike")
TWO_EDITS_MIN = 8  # two edits from this length on, as the index's fuzzy fallback allows
MEMO_LIMIT = 20_000  # typed forms remembered per phrase book


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent swaps counted as one edit (optimal string alignment, RapidFuzz
    in C); anything above `limit` is reported as limit + 1."""
    return OSA.distance(a, b, score_cutoff=limit)


def _deletions(form: str) -> set[str]:
    return {form[:i] + form[i + 1 :] for i in range(len(form))}


class TypoIndex:
    """Known forms, looked up by a mistyped one: symmetric deletions find every form one edit
    away; forms two edits away are scanned among those of the same first letter and a similar
    length (typos rarely hit the first letter, and the scan stays small)."""

    def __init__(self, forms):
        self.forms = set(forms)
        self.near: dict[str, set[str]] = {}
        self.by_start: dict[tuple[str, int], list[str]] = {}
        for form in self.forms:
            if len(form) >= MISSED_LETTER_LENGTH:
                for deleted in _deletions(form):
                    self.near.setdefault(deleted, set()).add(form)
                self.by_start.setdefault((form[0], len(form)), []).append(form)
        self.memo: dict[tuple[str, int], frozenset[str]] = {}

    def corrections(self, form: str, typed_length: int) -> frozenset[str]:
        """The known forms a form of a typed word most likely stands for (the nearest, all of
        them). The shorter of the typed word and the form sets the limits: a lemma may be longer
        ("muči", lemma "mučiti", is not one letter from "učiti") or shorter ("trenerja", lemma
        "trener", is not two letters from "trese") than what was typed."""
        length = min(typed_length, len(form))
        found = self.memo.get((form, length))
        if found is None:
            found = frozenset(self._one_edit(form, length) or self._two_edits(form, length))
            if len(self.memo) < MEMO_LIMIT:
                self.memo[form, length] = found
        return found

    def _one_edit(self, typed: str, length: int) -> set[str]:
        if length == MISSED_LETTER_LENGTH:
            return {f for f in self.near.get(typed, ()) if len(f) == len(typed) + 1}
        if length < ONE_EDIT_MIN:
            return set()
        found = set(self.near.get(typed, ()))
        for deleted in _deletions(typed):
            if deleted in self.forms:
                found.add(deleted)
            found |= self.near.get(deleted, set())
        return {f for f in found if distance(f, typed, 1) <= 1}

    def _two_edits(self, typed: str, length: int) -> set[str]:
        if length < TWO_EDITS_MIN:
            return set()
        candidates = [
            f for size in range(len(typed) - 2, len(typed) + 3) for f in self.by_start.get((typed[0], size), ())
        ]
        return {f for f in candidates if distance(f, typed, 2) <= 2}
