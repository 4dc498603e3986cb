"""No package-level import cycle (issue 24): a room of a feature (catalog.staff, cases.intake, ...)
never imports, directly or through others, a room or a root module of the feature that imports it
back. Each room counts as one node, whatever module inside it imports; the root modules of a
feature and of the core (catalog.views, cases.models, ...) count one by one. A package's views
taking its blueprint from its own `__init__` is the package's face, not a cycle.

`../shared/tools/layers.py` finds module cycles; this finds the coarser ones that it cannot see, such
as intake -> referrals -> needs -> intake through three different modules."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = ("welfare", "catalog", "cases")


def _modules(root: Path) -> dict[str, Path]:
    found = {}
    for package in APP_PACKAGES:
        for path in (root / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(root).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            targets |= {
                f"{module}.{alias.name}" if f"{module}.{alias.name}" in modules else module for alias in node.names
            }
    return {t for t in targets if t in modules}


def _node(name: str, modules: dict[str, Path]) -> str:
    """A room (a sub-package of a top-level package, with everything in it) or a root module."""
    parts = name.split(".")
    room = ".".join(parts[:2])
    if len(parts) >= 2 and modules.get(room, Path()).name == "__init__.py":
        return room
    return name


def package_cycles(root: Path = ROOT) -> list[list[str]]:
    modules = _modules(root)
    edges: dict[str, set[str]] = {_node(m, modules): set() for m in modules}
    for name, path in modules.items():
        source = _node(name, modules)
        for target in _imports(name, path, modules):
            # The face: a package's own modules taking what its __init__ defines (the blueprint).
            if modules[name].parent == modules[target].parent and modules[target].name == "__init__.py":
                continue
            if (node := _node(target, modules)) != source:
                edges[source].add(node)
    return _strongly_connected(edges)


def _strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the components of more than one node."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in edges:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_package_level_import_cycle():
    assert len(_modules(ROOT)) > 200  # the scan sees the app
    assert package_cycles() == []


def test_the_check_sees_a_cycle_through_three_rooms(tmp_path):
    """intake -> referrals -> needs -> intake, each through a different module: no module cycle,
    but a package cycle; and views taking the blueprint from their package is no cycle."""
    files = {
        "cases/__init__.py": "",
        "cases/intake/__init__.py": "from cases.intake import views\nbp = None\n",
        "cases/intake/views.py": "from cases.intake import bp\n",
        "cases/intake/services.py": "from cases.referrals.cancelling import cancel\n",
        "cases/intake/fields.py": "",
        "cases/referrals/__init__.py": "",
        "cases/referrals/cancelling.py": "from cases.needs.models import Need\n",
        "cases/needs/__init__.py": "",
        "cases/needs/models.py": "from cases.intake.fields import domain_choices\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    for package in ("welfare", "catalog"):
        (tmp_path / package).mkdir()
    assert package_cycles(tmp_path) == [["cases.intake", "cases.needs", "cases.referrals"]]
    (tmp_path / "cases/needs/models.py").write_text("")
    assert package_cycles(tmp_path) == []
