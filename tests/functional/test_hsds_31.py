"""HSDS 3.1 (issue 25): the export's `--version 3.1` and the API carry the capacity its
organization allowed the public to see as `service_capacity` with its `unit`, valid against the
official 3.1 schema; 3.0 stays the export's default, and the API's answers stay valid 3.0; a 3.1
package imports as a 3.0 one does, and never sets a service's capacity."""

import json
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from catalog.capacity import CapacityState, CapacityUnit, ServiceCapacity
from catalog.hsds.importer import import_package
from catalog.hsds.tables import TABLES
from catalog.models import Service
from tests.conftest import TEST_DATABASE_URL, make_app, wipe_postgres
from tests.factories import make_org, make_service
from tests.hsds_schema import cast, object_errors, openapi_errors, tabular_errors
from welfare.extensions import db

SAID = date(2026, 3, 2)
TABLE_NAMES = {t.path: t.name for t in TABLES} | {"service_capacity.csv": "service_capacity", "units.csv": "unit"}


def _capacity(service, state, *, public, unit=CapacityUnit.PLACES, total=None, free=None, weeks=None):
    db.session.add(
        ServiceCapacity(
            of_service_id=service.id,
            state=state,
            unit=unit,
            total=total,
            free=free,
            waiting_weeks=weeks,
            show_waiting_publicly=public,
            said_on=SAID,
            said_by="Ana Partner",
        )
    )


@pytest.fixture
def catalog(app):
    """One waiting list its organization allowed public, and four capacities the public must not see."""
    with app.app_context():
        org = make_org("Društvo za pomoč")
        shown = make_service(org, "Svetovanje z vrsto")
        _capacity(shown, CapacityState.WAITING, public=True, unit=CapacityUnit.WEEKLY, total=12, weeks=6)
        _capacity(make_service(org, "Vrsta brez dovoljenja"), CapacityState.WAITING, public=False, weeks=4)
        _capacity(make_service(org, "Prosta mesta"), CapacityState.OPEN, public=True, total=10, free=3)
        _capacity(make_service(org, "Polno"), CapacityState.FULL, public=True, total=8, free=0)
        draft = make_service(org, "Osnutek z vrsto", published=False)
        _capacity(draft, CapacityState.WAITING, public=True, weeks=9)
        db.session.commit()
        return {"shown": shown.id, "draft": draft.id}


def _export(runner, directory: Path, *options: str) -> None:
    result = runner.invoke(args=["catalog", "export-hsds", str(directory), *options])
    assert result.exit_code == 0, result.output


def _empty_app(tmp_path: Path):
    """Another installation with an empty catalog (the next command creates its schema)."""
    if TEST_DATABASE_URL:
        wipe_postgres(TEST_DATABASE_URL)
    return make_app(tmp_path / "empty")


def _csv(directory: Path) -> dict[str, list[dict[str, str]]]:
    import csv

    return {p.name: list(csv.DictReader(p.open(encoding="utf-8"))) for p in sorted(directory.glob("*.csv"))}


def _schema_findings(version: str, tables: dict[str, list[dict]], typed: bool = False) -> list[str]:
    """Every row of every table against its official schema: CSV rows cast first, typed JSON as it is."""
    return [
        f"{path} row {n}: {finding}"
        for path, rows in tables.items()
        for n, row in enumerate(rows, start=1)
        for finding in tabular_errors(
            version, TABLE_NAMES[path], row if typed else cast(version, TABLE_NAMES[path], row)
        )
    ]


def test_the_31_export_carries_only_the_public_waiting_list_and_validates(app, runner, catalog, tmp_path):
    _export(runner, tmp_path / "31", "--version", "3.1")
    tables = _csv(tmp_path / "31")
    assert _schema_findings("3.1", tables) == []

    [capacity] = tables["service_capacity.csv"]  # the hidden, open, full and unpublished ones are not there
    [unit] = tables["units.csv"]
    assert capacity["service_id"] == catalog["shown"] and capacity["unit_id"] == unit["id"]
    assert capacity["available"] == "0" and capacity["maximum"] == ""  # the total stays in the office
    assert capacity["description"] == "Waiting list, about 6 weeks" and unit["name"] == "weekly appointment"
    assert uuid.UUID(capacity["id"]) and uuid.UUID(unit["id"])
    assert datetime.fromisoformat(capacity["updated"]).date() == SAID
    package = json.loads((tmp_path / "31" / "datapackage.json").read_text())
    assert package["version"] == "3.1.0"
    assert {"service_capacity.csv", "units.csv"} <= {r["path"] for r in package["resources"]}

    # Nested as a 3.1 consumer reads it: the service with its capacities, each with its unit.
    [service] = [s for s in tables["services.csv"] if s["id"] == catalog["shown"]]
    nested = cast("3.1", "service", service) | {
        "capacities": [cast("3.1", "service_capacity", capacity) | {"unit": cast("3.1", "unit", unit)}]
    }
    assert object_errors("3.1", "service", nested) == []
    del nested["capacities"][0]["unit"]
    assert object_errors("3.1", "service", nested) == ["['capacities', 0]: 'unit' is a required property"]


# The whole demo catalog through the 3.1 schemas: the slow tier (tests/conftest.py).
@pytest.mark.slow
def test_the_whole_demo_catalog_exports_as_valid_31(app, demo, runner, tmp_path):
    """The demo catalog has what the small one lacks (places, hours, languages, costs, areas)."""
    with app.app_context():
        service = db.session.scalars(sa.select(Service).where(Service.is_published).order_by(Service.id)).first()
        _capacity(service, CapacityState.WAITING, public=True, weeks=3)
        db.session.commit()
    _export(runner, tmp_path / "csv", "--version", "3.1")
    _export(runner, tmp_path / "json", "--version", "3.1", "--json")
    tables = _csv(tmp_path / "csv")
    assert len(tables["schedules.csv"]) > 50 and len(tables["service_capacity.csv"]) == 1
    assert _schema_findings("3.1", tables) == []
    assert _schema_findings("3.1", json.loads((tmp_path / "json" / "catalog.json").read_text()), typed=True) == []


def test_the_30_export_stays_as_it_was(app, runner, catalog, tmp_path):
    _export(runner, tmp_path / "default")
    _export(runner, tmp_path / "31", "--version", "3.1")
    default = _csv(tmp_path / "default")
    assert "service_capacity.csv" not in default and "units.csv" not in default
    assert _schema_findings("3.0", default) == []
    assert json.loads((tmp_path / "default" / "datapackage.json").read_text())["version"] == "3.0.0"
    # 3.1 adds its two tables and changes none of 3.0's.
    assert {k: v for k, v in _csv(tmp_path / "31").items() if k in default} == default


def test_the_31_json_export_is_typed_and_validates_as_it_is(app, runner, catalog, tmp_path):
    _export(runner, tmp_path, "--json", "--version", "3.1")
    tables = json.loads((tmp_path / "catalog.json").read_text())
    assert _schema_findings("3.1", tables, typed=True) == []
    [capacity] = tables["service_capacity.csv"]
    assert capacity["service_id"] == catalog["shown"] and capacity["available"] == 0 and "maximum" not in capacity
    assert [u["id"] for u in tables["units.csv"]] == [capacity["unit_id"]]
    # Typed as the schema says: a number written as text is a finding (the check can fail).
    capacity["available"] = "0"
    assert _schema_findings("3.1", {"service_capacity.csv": [capacity]}, typed=True) == [
        "service_capacity.csv row 1: ['available']: '0' is not of type 'number'"
    ]


# The whole demo catalog through the 3.1 schemas: the slow tier (tests/conftest.py).
@pytest.mark.slow
@pytest.mark.parametrize("as_json", [False, True], ids=["csv", "json"])
def test_a_31_package_imports_as_a_30_one_into_an_empty_catalog(app, runner, catalog, tmp_path, as_json):
    form = ["--json"] if as_json else []
    _export(runner, tmp_path / "31", "--version", "3.1", *form)
    _export(runner, tmp_path / "30", *form)
    empty = _empty_app(tmp_path)
    package = tmp_path / "31" / "catalog.json" if as_json else tmp_path / "31"
    result = empty.test_cli_runner().invoke(args=["catalog", "import-hsds", str(package)])
    assert result.exit_code == 0, result.output
    assert "Imported HSDS 3.1 package" in result.output
    assert "service_capacity.csv: capacity is kept as each organization states it" in result.output
    _export(empty.test_cli_runner(), tmp_path / "again", *form)
    name = "catalog.json" if as_json else "services.csv"
    assert (tmp_path / "again" / name).read_text() == (tmp_path / "30" / name).read_text()
    with empty.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Service)) == 4
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ServiceCapacity)) == 0
        db.engine.dispose()


def test_reimporting_a_31_package_leaves_what_the_partner_said_alone(app, runner, catalog, tmp_path):
    _export(runner, tmp_path / "31", "--version", "3.1")  # says: waiting list, about 6 weeks
    other = _empty_app(tmp_path)
    assert other.test_cli_runner().invoke(args=["catalog", "import-hsds", str(tmp_path / "31")]).exit_code == 0
    with other.app_context():
        said = date(2026, 3, 9)  # later, the partner says it has room again
        db.session.add(
            ServiceCapacity(of_service_id=catalog["shown"], state=CapacityState.OPEN, total=12, free=2, said_on=said)
        )
        db.session.commit()
        report = import_package(tmp_path / "31")  # the same directory's package once more
        assert report.version == "3.1" and any(n.startswith("service_capacity.csv") for n in report.notes)
        db.session.expire_all()
        row = db.session.get(ServiceCapacity, catalog["shown"])
        assert (row.state, row.free, row.waiting_weeks, row.said_on, row.version_id) == (
            CapacityState.OPEN,
            2,
            None,
            said,
            1,
        )
        db.engine.dispose()


def test_the_api_carries_the_public_capacity_valid_as_30_and_31(client, catalog):
    body = client.get(f"/api/hsds/services/{catalog['shown']}").get_json()
    assert openapi_errors("3.0", "/services/{id}", body) == []
    assert openapi_errors("3.1", "/services/{id}", body) == []
    [capacity] = body["capacities"]
    assert capacity["available"] == 0 and "maximum" not in capacity
    assert capacity["description"] == "Waiting list, about 6 weeks"
    assert capacity["unit"]["name"] == "weekly appointment"
    del capacity["unit"]
    assert openapi_errors("3.1", "/services/{id}", body) == ["['capacities', 0]: 'unit' is a required property"]


def test_the_api_shows_no_capacity_the_partner_did_not_allow(client, catalog):
    services = client.get("/api/hsds/services?per_page=100").get_json()["contents"]
    assert sorted(s["name"] for s in services) == [
        "Polno",
        "Prosta mesta",
        "Svetovanje z vrsto",
        "Vrsta brez dovoljenja",
    ]
    for service in services:
        body = client.get(f"/api/hsds/services/{service['id']}").get_json()
        assert openapi_errors("3.1", "/services/{id}", body) == []
        assert len(body["capacities"]) == (service["id"] == catalog["shown"])
    assert client.get(f"/api/hsds/services/{catalog['draft']}").status_code == 404


def test_the_capacity_speaks_the_catalog_language_whatever_the_caller_asks(app, catalog):
    app.config["BABEL_DEFAULT_LOCALE"] = "sl"
    client = app.test_client()
    with client.session_transaction() as session:
        session["lang"] = "en"  # the caller chose English on the public pages
    assert "Waiting list, about 6 weeks" in client.get(f"/services/{catalog['shown']}").get_data(as_text=True)
    [capacity] = client.get(f"/api/hsds/services/{catalog['shown']}").get_json()["capacities"]
    assert capacity["description"] == "Čakalna vrsta, približno 6 tednov"
    assert capacity["unit"]["name"] == "tedenski termin"
