"""An attacker on published counts: what true counts are consistent with everything published.

Each unknown true count is a non-negative integer variable named by any hashable key. What is
published narrows them: a shown figure y bounds its true count to support(y), and the relations
between figures (a total is the sum of its rows, a year the sum of its quarters, a flow balances)
are linear constraints. `range_of` then solves two integer programs (HiGHS through
`scipy.optimize.linprog`) for the least and greatest value a count can take. A count is
disclosed when that range is a single value.
"""

import math
from collections.abc import Callable, Hashable, Mapping

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

Support = Callable[[float], tuple[int, int]]

# linprog's statuses (HiGHS): 0 optimal, 2 infeasible, 3 unbounded.
_OPTIMAL, _INFEASIBLE, _UNBOUNDED = 0, 2, 3


class Infeasible(ValueError):
    """The observations contradict each other: no true counts produce them all."""


class Attacker:
    """Unknown true counts (non-negative integers) and the linear constraints known about them."""

    def __init__(self) -> None:
        self._index: dict[Hashable, int] = {}
        self._lo: list[int] = []
        self._hi: list[float] = []
        self._parent: list[int] = []  # union-find over variables linked by a constraint
        self._eq: list[dict[int, float]] = []  # each row: sum(coeff * var) == 0
        self._le: list[dict[int, float]] = []  # each row: sum(coeff * var) <= 0
        self._parts: dict[int, tuple] | None = None  # per component: its problem, rebuilt after a change
        self._feasible: bool | None = None

    @property
    def variables(self) -> list[Hashable]:
        """The keys of every variable seen so far, in order of appearance."""
        return list(self._index)

    def _var(self, key: Hashable) -> int:
        if key not in self._index:
            self._index[key] = len(self._lo)
            self._lo.append(0)
            self._hi.append(math.inf)
            self._parent.append(len(self._parent))
            self._changed()
        return self._index[key]

    def _find(self, i: int) -> int:
        while self._parent[i] != i:
            self._parent[i] = i = self._parent[self._parent[i]]
        return i

    def _changed(self) -> None:
        self._parts = None
        self._feasible = None

    def bound(self, var: Hashable, lo: float, hi: float) -> None:
        """Add lo <= var <= hi (intersected with what is already known of var)."""
        i = self._var(var)
        # Integers only: a bound of 2.5 means 3 from below and 2 from above.
        if math.isfinite(lo):
            self._lo[i] = max(self._lo[i], math.ceil(lo))
        if math.isfinite(hi):
            self._hi[i] = min(self._hi[i], math.floor(hi))
        self._changed()

    def observe(self, var: Hashable, published_value: float, support: Support) -> None:
        """Add what the published value says of var's true count: it lies in support(value)."""
        lo, hi = support(published_value)
        self.bound(var, lo, hi)

    def _add(self, rows: list, lhs: Mapping[Hashable, float], rhs: Mapping[Hashable, float]) -> None:
        row: dict[int, float] = {}
        for side, sign in ((lhs, 1), (rhs, -1)):
            for key, coeff in side.items():
                i = self._var(key)
                row[i] = row.get(i, 0) + sign * coeff
        for i in row:
            self._parent[self._find(i)] = self._find(next(iter(row)))
        rows.append(row)
        self._changed()

    def equal(self, lhs: Mapping[Hashable, float], rhs: Mapping[Hashable, float]) -> None:
        """Add sum(coeff * var for lhs) == sum(coeff * var for rhs)."""
        self._add(self._eq, lhs, rhs)

    def less_equal(self, lhs: Mapping[Hashable, float], rhs: Mapping[Hashable, float]) -> None:
        """Add sum(coeff * var for lhs) <= sum(coeff * var for rhs)."""
        self._add(self._le, lhs, rhs)

    def _components(self) -> dict[int, tuple]:
        """Per component (root): its variables, their columns, A_eq, A_ub and bounds.

        Variables no constraint links are independent, so each integer program holds only the
        component of the variable asked about: a report's many tables stay many small problems.
        """
        if self._parts is None:
            members: dict[int, list[int]] = {}
            for i in range(len(self._lo)):
                members.setdefault(self._find(i), []).append(i)
            rows: dict[tuple[int, bool], list] = {}
            for equality, constraints in ((True, self._eq), (False, self._le)):
                for row in constraints:
                    if row:
                        rows.setdefault((self._find(next(iter(row))), equality), []).append(row)
            self._parts = {}
            for root, cols in members.items():
                column = {i: c for c, i in enumerate(cols)}

                def matrix(part, column=column):
                    if not part:
                        return None
                    data = [(r, column[i], v) for r, row in enumerate(part) for i, v in row.items() if v]
                    r, c, v = zip(*data, strict=True) if data else ((), (), ())
                    return csr_array((v, (r, c)), shape=(len(part), len(column)), dtype=float)

                bounds = [(self._lo[i], None if math.isinf(self._hi[i]) else self._hi[i]) for i in cols]
                a_eq, a_ub = matrix(rows.get((root, True))), matrix(rows.get((root, False)))
                self._parts[root] = (column, a_eq, a_ub, bounds)
        return self._parts

    def _solve(self, root: int, target: int | None, sign: int = 1, integer: bool = True):
        column, a_eq, a_ub, bounds = self._components()[root]
        objective = np.zeros(len(column))
        if target is not None:
            objective[column[target]] = sign
        return linprog(
            objective,
            A_eq=a_eq,
            b_eq=None if a_eq is None else np.zeros(a_eq.shape[0]),
            A_ub=a_ub,
            b_ub=None if a_ub is None else np.zeros(a_ub.shape[0]),
            bounds=bounds,
            integrality=np.ones(len(column)) if integer else None,
            method="highs",
        )

    def infeasible(self) -> bool:
        """True when no assignment of true counts satisfies every observation and constraint."""
        if self._feasible is None:
            # A contradictory bound (lo > hi) is caught here: linprog would reject the bounds outright.
            self._feasible = all(lo <= hi for lo, hi in zip(self._lo, self._hi, strict=True))
            for root in self._components() if self._feasible else ():
                status = self._solve(root, None).status
                if status not in (_OPTIMAL, _INFEASIBLE):
                    raise RuntimeError(f"HiGHS could not decide feasibility (status {status})")
                if status == _INFEASIBLE:
                    self._feasible = False
                    break
        return not self._feasible

    def _extreme(self, var: Hashable, sign: int) -> float:
        """min (sign 1) or -max (sign -1) of var, on a feasible problem."""
        i = self._index[var]
        root = self._find(i)
        # The relaxation first: it is cheaper, and the tables' constraints (sums of rows) mostly
        # have integral vertices, where its optimum is the integer program's.
        relaxed = self._solve(root, i, sign, integer=False)
        if relaxed.status == _UNBOUNDED:
            return -math.inf  # feasible, rational data: the integer program is unbounded too
        if relaxed.status == _OPTIMAL and np.allclose(relaxed.x, np.round(relaxed.x), rtol=0, atol=1e-9):
            return round(relaxed.fun)
        exact = self._solve(root, i, sign)
        if exact.status != _OPTIMAL:
            raise RuntimeError(f"HiGHS failed on {var!r}: {exact.message}")
        return round(exact.fun)

    def range_of(self, var: Hashable) -> tuple[int, float]:
        """The least and greatest true count of var the constraints allow (greatest may be inf).

        Raises Infeasible when the constraints contradict each other.
        """
        self._var(var)
        if self.infeasible():
            raise Infeasible("the observations are contradictory")
        return self._extreme(var, 1), -self._extreme(var, -1)

    def pinned(self, var: Hashable) -> bool:
        """True when the constraints leave var exactly one possible value."""
        lo, hi = self.range_of(var)
        return lo == hi
