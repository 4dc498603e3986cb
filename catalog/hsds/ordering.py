"""Trees inside a package (taxonomy terms under their parents, organizations under theirs):
every parent written before its children whatever the file order, a parent that is missing or
was skipped turns the child into a top-level record, and a cycle is broken and reported.
"""

from collections.abc import Callable

# Table -> the column that points at a parent row of the same table.
PARENT_FIELD = {"taxonomy_term": "parent_id", "organization": "parent_organization_id"}


def parents_first(
    rows: list[dict],
    parent_field: str,
    existing_parents: dict[str, str | None],
    report: Callable[[dict, str, str], None],
) -> list[dict]:
    """The rows reordered so each comes after its parent; dangling parents and cycles cleared.

    existing_parents maps the ids already in the database to their parent (the package's rows
    replace theirs), so a cycle closed through stored rows is found too. report(row, problem,
    kind) is called once per cleared parent.
    """
    by_id = {r["id"]: r for r in rows}
    for row in rows:
        parent = row.get(parent_field)
        if parent and parent not in by_id and parent not in existing_parents:
            report(row, f"its parent {parent} is missing or was skipped; made top-level", "missing parent")
            row[parent_field] = None

    def parent_of(node: str) -> str | None:
        return by_id[node].get(parent_field) if node in by_id else existing_parents.get(node)

    # Walk up from each row; meeting a node of the current walk again closes a cycle.
    done: set[str] = set()
    for row in rows:
        path: list[str] = []
        on_path: set[str] = set()
        node = row["id"]
        while node and node not in done:
            if node in on_path:
                # Break the cycle at the package row where it was entered, so no stored row changes.
                cycle = path[path.index(node) :]
                breaker = next((n for n in cycle if n in by_id), None)
                if breaker is None:  # a cycle among stored rows only: not this import's to fix
                    break
                members = " -> ".join([*cycle, node])
                report(by_id[breaker], f"its parents form a cycle ({members}); made top-level", "parent cycle")
                by_id[breaker][parent_field] = None
                break
            path.append(node)
            on_path.add(node)
            node = parent_of(node)
        done.update(path)

    ordered: list[dict] = []
    placed: set[str] = set()
    for row in rows:
        chain = []
        node = row["id"]
        while node in by_id and node not in placed:
            chain.append(node)
            placed.add(node)
            node = by_id[node].get(parent_field)
        ordered.extend(by_id[n] for n in reversed(chain))
    return ordered
