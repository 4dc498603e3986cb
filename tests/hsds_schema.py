"""Validation against the official HSDS 3.0 and 3.1 schemas, from the local copies in
tests/fixtures/hsds/ (tests do not reach the upstream repository). Two forms:

- an API answer, against the response schema of an OpenAPI path (`openapi_errors`);
- a row of a tabular package (`tabular_errors`): required are the schema's `required` fields
  that are columns (not nested objects or lists) plus its `tabular_required`; a column the
  schema does not name is a finding too. A CSV row is first cast to the types the schema
  declares (`cast`): an empty cell is no value, except in a required text column, where it is
  the empty string, as the API and the typed JSON write required text that is empty (Slovenia's
  missing state_province): CSV cannot tell the two apart.

The 3.1 OpenAPI description (branch 3.1-dev) still names the 3.0 schema URLs; as its README says,
they are mapped to the 3.1 files here."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

FIXTURES = Path(__file__).parent / "fixtures" / "hsds"
UPSTREAM_30 = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def _base(version: str) -> str:
    return f"https://raw.githubusercontent.com/openreferral/specification/{version}/schema/"


def _schema_dir(version: str) -> Path:
    return FIXTURES / f"hsds-{version}-schema"


def _resource(contents: dict) -> Resource:
    return Resource.from_contents(contents, default_specification=DRAFT202012)


@cache
def openapi(version: str) -> dict:
    path = FIXTURES / "hsds-3.0-openapi.json" if version == "3.0" else _schema_dir(version) / "openapi.json"
    return json.loads(path.read_text().replace(UPSTREAM_30, _base(version)))


@cache
def registry(version: str) -> Registry:
    """Every schema file under its upstream URL, also under compiled/ where no compiled copy is
    kept (the compiled schemas are the same objects with their references resolved)."""
    base, folder = _base(version), _schema_dir(version)
    resources = []
    for path in folder.glob("*.json"):
        if path.name == "openapi.json":
            continue
        contents = json.loads(path.read_text())
        resources.append((base + path.name, _resource(contents)))
        if not (folder / "compiled" / path.name).exists():
            resources.append((base + "compiled/" + path.name, _resource(contents)))
    for path in (folder / "compiled").glob("*.json"):
        resources.append((base + "compiled/" + path.name, _resource(json.loads(path.read_text()))))
    return (
        Registry().with_resources(resources).with_resource(f"urn:hsds-openapi-{version}", _resource(openapi(version)))
    )


def _messages(validator: Draft202012Validator, instance) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in sorted(validator.iter_errors(instance), key=str)]


def openapi_errors(version: str, path: str, body) -> list[str]:
    """What is wrong with an API answer for `path` ("/services/{id}") under that HSDS version."""
    schema = openapi(version)["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    schema = json.loads(json.dumps(schema).replace('"#/components/', f'"urn:hsds-openapi-{version}#/components/'))
    return _messages(Draft202012Validator(schema, registry=registry(version)), body)


def object_errors(version: str, name: str, instance: dict) -> list[str]:
    """What is wrong with a nested object (e.g. a service with its capacities) against `name`.json."""
    schema = {"$ref": _base(version) + f"{name}.json"}
    return _messages(Draft202012Validator(schema, registry=registry(version)), instance)


def _nested(prop: dict) -> bool:
    return "$ref" in prop or prop.get("type") in ("array", "object")


def cast(version: str, name: str, row: dict[str, str]) -> dict:
    """A CSV row as the JSON object the table's schema describes."""
    schema = json.loads((_schema_dir(version) / f"{name}.json").read_text())
    props, required = schema["properties"], {*schema.get("required", []), *schema.get("tabular_required", [])}
    out = {}
    for field, text in row.items():
        kind = props.get(field, {}).get("type", "string")
        if text == "" and not (kind == "string" and field in required):
            continue
        out[field] = {"number": float, "integer": int, "boolean": lambda t: t == "true"}.get(kind, str)(text)
    return out


def tabular_errors(version: str, name: str, row: dict) -> list[str]:
    """What is wrong with a row (JSON values; `cast` a CSV row first) of table `name` in that
    HSDS version's tabular form."""
    schema = json.loads((_schema_dir(version) / f"{name}.json").read_text())
    props = schema["properties"]
    unknown = [f"{field}: not a field of {name} in HSDS {version}" for field in row if field not in props]
    required = [f for f in schema.get("required", []) if not _nested(props[f])] + schema.get("tabular_required", [])
    tabular = {**schema, "$id": _base(version) + f"{name}.json", "required": required}
    return unknown + _messages(Draft202012Validator(tabular, registry=registry(version)), row)
