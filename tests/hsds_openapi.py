"""The official HSDS 3.0 OpenAPI description with every schema it names inlined from the local
copies in tests/fixtures/hsds/ (its `$ref`s point at the upstream repository, which tests do
not reach). Only the description's own `#/components/...` references are kept."""

import json
from functools import lru_cache
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "hsds"
SCHEMAS = FIXTURES / "hsds-3.0-schema"
UPSTREAM = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def _file(ref: str, current: Path) -> Path:
    """The local copy of a referenced schema file (compiled/ falls back to the base files)."""
    name = ref[len(UPSTREAM) :] if ref.startswith(UPSTREAM) else str(current.parent.relative_to(SCHEMAS) / ref)
    path = SCHEMAS / name
    return path if path.exists() else SCHEMAS / Path(name).name


def _pointer(doc: dict, ref: str):
    node = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _inline(node, doc: dict, current: Path, seen: tuple = ()):
    if isinstance(node, list):
        return [_inline(item, doc, current, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#/components/"):
        rest = {k: v for k, v in node.items() if k != "$ref"}
        key = (str(current), ref) if ref.startswith("#") else (str(_file(ref, current)), "")
        if key in seen:  # a cycle: leave the inner occurrence open
            return {}
        if ref.startswith("#"):
            target = _inline(_pointer(doc, ref), doc, current, (*seen, key))
        else:
            path = _file(ref, current)
            loaded = json.loads(path.read_text())
            target = _inline(loaded, loaded, path, (*seen, key))
        target = {k: v for k, v in target.items() if k not in ("$schema", "$id", "definitions")}
        return {**target, **{k: v for k, v in rest.items() if k not in target}}
    return {k: _inline(v, doc, current, seen) for k, v in node.items()}


@lru_cache(maxsize=1)
def openapi() -> dict:
    """The HSDS 3.0 OpenAPI description, self-contained."""
    raw = json.loads((FIXTURES / "hsds-3.0-openapi.json").read_text())
    return _inline(raw, raw, SCHEMAS / "service.json")
