"""Cell-key perturbation: the one disclosure control every figure, chart and export goes through.

The method of the Australian Bureau of Statistics' TableBuilder and of the UK's 2021 census
tables (Fraser & Wooton 2005; Thompson, Broadfoot & Elazar 2013), chosen in docs/security.md:

1. Every counted record (case, challenge, referral, anonymous contact, unmet need, a
   visitor-day of catalog searches) carries a fixed random *record key* in [0, M), drawn once
   (`cases.models.new_record_key`).
2. A cell's *cell key* is the sum of its records' keys modulo M. The same records always give
   the same cell key, whatever table, page, export or download shows them; one record more
   or less gives an unrelated one.
3. The published value is drawn from the *perturbation table* (`distribution`) for the true
   count, at the point the cell key selects. So the same cell always shows the same figure
   (downloading again, or reaching it through another table, yields nothing new), and the
   change one record makes cannot be predicted.

The perturbation table, for k = TREND_MIN_CELL (5):
- a true 0 is shown as 0;
- a true count of 1 to k-1 is shown as 0 or as k, with probabilities that keep it unbiased
  (1 shows as k one time in five): a count of 1-4 is never shown;
- a count of k or more moves by at most MAX_SHIFT (2): the weights 1:4:10:4:1 for -2..+2,
  restricted to results of at least k and tilted so the expected shift is 0 (`_tilted`).
So a shown 0 may hide up to k-1 people, a shown k anything from 1 to k+2, and every shown
figure is within k-1 (small counts) or 2 of the truth (`possible_true` is the published rule).

Totals and headline figures are cells of their own (perturbed, never hidden), so rows need
not add up to the total exactly; the page says so. Medians are shown only over at least
MEDIAN_MIN values.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

from cases.models import RECORD_KEY_BOUND

MAX_SHIFT = 2
WEIGHTS = {-2: 1, -1: 4, 0: 10, 1: 4, 2: 1}
MEDIAN_MIN = 10
NOT_SHOWN = "not_shown"


@dataclass(frozen=True)
class Cell:
    """One displayed number: `value` is None only for a median over too few values."""

    value: int | float | None
    mark: str = ""

    @property
    def shown(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Count:
    """A true count and its cell key (the sum of its records' keys, modulo the bound)."""

    n: int = 0
    key: int = 0

    def __add__(self, other: "Count") -> "Count":
        return Count(self.n + other.n, (self.key + other.key) % RECORD_KEY_BOUND)


def _tilted(n: int, k: int) -> list[tuple[int, float]]:
    """The weights over shifts that keep n + shift >= k, exponentially tilted to mean 0."""
    shifts = [d for d in WEIGHTS if n + d >= k]
    if min(shifts) == 0:  # nothing below to balance the shifts above: no shift at all
        return [(0, 1.0)]

    def weights(t: float) -> list[float]:
        return [WEIGHTS[d] * math.exp(t * d) for d in shifts]

    def mean(t: float) -> float:
        w = weights(t)
        return sum(d * x for d, x in zip(shifts, w, strict=True)) / sum(w)

    low, high = -20.0, 20.0
    for _ in range(100):  # mean(t) grows with t: bisection to the t where it is 0
        middle = (low + high) / 2
        if mean(middle) > 0:
            high = middle
        else:
            low = middle
    w = weights((low + high) / 2)
    total = sum(w)
    return [(d, x / total) for d, x in zip(shifts, w, strict=True)]


@lru_cache(maxsize=4096)
def distribution(n: int, k: int) -> tuple[tuple[int, float], ...]:
    """The perturbation table's row for a true count: (shown value, probability) pairs."""
    if n <= 0:
        return ((0, 1.0),)
    if n < k:
        return ((0, 1 - n / k), (k, n / k))  # unbiased: 0 or k, never 1..k-1
    return tuple((n + d, p) for d, p in _tilted(n, k) if p > 0)


def perturb(count: Count, k: int) -> int:
    """The published value of a cell: its row of the table, read at the cell key's point."""
    if count.n <= 0:
        return 0
    point = (count.key % RECORD_KEY_BOUND) / RECORD_KEY_BOUND
    cumulative = 0.0
    rows = distribution(count.n, k)
    for value, p in rows:
        cumulative += p
        if point < cumulative:
            return value
    return rows[-1][0]


def possible_true(shown: int, k: int) -> tuple[int, int]:
    """The least and greatest true counts the table can publish as `shown` (the rule readers
    are told; every count between them can too)."""
    candidates = [n for n in range(0, max(shown, k) + MAX_SHIFT + 1) if any(v == shown for v, _p in distribution(n, k))]
    if not candidates:
        raise ValueError(f"{shown} is never published")
    return min(candidates), max(candidates)


def cell(counts: list[Count], k: int) -> Cell:
    """A period's published value: the sum of its blocks' published values (see `periods`)."""
    return Cell(sum(perturb(c, k) for c in counts))


def median_cell(values: list[float]) -> Cell:
    """The median of at least MEDIAN_MIN values, else not shown."""
    if len(values) < MEDIAN_MIN:
        return Cell(None, NOT_SHOWN)
    ordered = sorted(values)
    middle = len(ordered) // 2
    value = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return Cell(round(float(value), 1))


def display(cell_: Cell) -> str:
    """The text of a cell in tables, charts and exports alike."""
    if cell_.value is None:
        return "–"
    if isinstance(cell_.value, float):
        return f"{cell_.value:g}"
    return str(cell_.value)
