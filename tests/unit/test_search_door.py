"""The search package has one front door (issue 24): code outside `catalog/search/` imports
`catalog.search` and never one of the modules behind it, so they can be reshaped without
touching a caller. Tests and benchmarks of the search engine itself may open the modules they
measure; the app may not."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = ("welfare", "catalog", "cases")
INSIDE = ROOT / "catalog" / "search"


def _modules_behind_the_door() -> set[str]:
    return {path.stem for path in INSIDE.glob("*.py") if path.stem != "__init__"}


def _imports_behind_the_door(path: Path, behind: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("catalog.search."):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} from {node.module}")
            elif node.module == "catalog.search":
                found += [
                    f"{path.relative_to(ROOT)}:{node.lineno} the module {alias.name}"
                    for alias in node.names
                    if alias.name in behind
                ]
        elif isinstance(node, ast.Import):
            found += [
                f"{path.relative_to(ROOT)}:{node.lineno} import {alias.name}"
                for alias in node.names
                if alias.name.startswith("catalog.search.")
            ]
    return found


def test_the_app_enters_search_only_through_its_front_door():
    behind = _modules_behind_the_door()
    assert {"engine", "index", "analysis", "understanding"} <= behind  # the scan sees the package
    found = []
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if INSIDE not in path.parents:
                found += _imports_behind_the_door(path, behind)
    assert found == []


def test_the_check_sees_an_import_behind_the_door(tmp_path, monkeypatch):
    """The scan itself finds both spellings of an import behind the door."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    module = tmp_path / "cases" / "example.py"
    module.parent.mkdir()
    module.write_text(
        "from catalog.search.engine import run\nfrom catalog.search import index\nfrom catalog.search import run\n"
    )
    found = _imports_behind_the_door(module, {"engine", "index"})
    assert found == ["cases/example.py:1 from catalog.search.engine", "cases/example.py:2 the module index"]
