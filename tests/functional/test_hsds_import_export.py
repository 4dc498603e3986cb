"""HSDS import (3.0 and 1.1, broken input) and export round trips, through the CLI and the services."""

import shutil
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from catalog.details import Address
from catalog.hsds.importer import ImportFailed, import_package
from catalog.hsds.tables import TABLES
from catalog.models import Organization, Service, TaxonomyTerm
from tests.conftest import TEST_DATABASE_URL, make_app, wipe_postgres
from tests.factories import make_org, make_service
from welfare.extensions import db

FIXTURES = Path(__file__).parent.parent / "fixtures" / "hsds"
CANONICAL = FIXTURES / "hsds-3.0-examples" / "csv"
SAMPLE_11 = FIXTURES / "hsds-1.1-sample"


def row_counts() -> dict[str, int]:
    return {t.name: db.session.scalar(sa.select(sa.func.count()).select_from(t.model)) for t in TABLES}


def read_dir(path: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(path.iterdir())}


# The whole demo catalog out and back in: the slow tier (tests/conftest.py).
@pytest.mark.slow
@pytest.mark.parametrize("as_json", [False, True], ids=["csv", "json"])
def test_export_import_export_is_identical(app, demo, runner, tmp_path, as_json):
    first = tmp_path / "first"
    args = ["catalog", "export-hsds", str(first)] + (["--json"] if as_json else [])
    assert runner.invoke(args=args).exit_code == 0
    source = first / "catalog.json" if as_json else first

    if TEST_DATABASE_URL:
        wipe_postgres(TEST_DATABASE_URL)
    empty = make_app(tmp_path / "empty")  # no schema yet: the command creates it (schema guard)
    result = empty.test_cli_runner().invoke(args=["catalog", "import-hsds", str(source)])
    assert result.exit_code == 0, result.output
    second = tmp_path / "second"
    empty.test_cli_runner().invoke(args=["catalog", "export-hsds", str(second)] + (["--json"] if as_json else []))
    assert read_dir(first) == read_dir(second)
    with empty.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Service)) >= 100
        db.engine.dispose()


def test_export_leaves_out_what_is_not_public(app, tmp_path):
    from catalog.hsds.export import write_csv_package

    with app.app_context():
        org = make_org("Društvo")
        make_service(org, "Osnutek", published=False)
        make_service(
            org,
            "Varna hiša",
            is_confidential_location=True,
            address={"address_1": "Tajna ulica 5", "postal_code": "8000", "city": "Novo mesto"},
        )
        make_service(org, "Javna", address={"address_1": "Glavni trg 1", "postal_code": "8000", "city": "Novo mesto"})
        db.session.commit()
        write_csv_package(tmp_path / "out")
    text = "".join(read_dir(tmp_path / "out").values())
    assert "Osnutek" not in text and "Tajna ulica" not in text
    assert "Varna hiša" in text and "Glavni trg 1" in text


def test_canonical_30_example_strict_reports_and_changes_nothing(app, demo):
    with app.app_context():
        before = row_counts()
        with pytest.raises(ImportFailed) as failed:
            import_package(CANONICAL)
        problems = [str(i) for i in failed.value.report.errors]
        assert (
            "organizations.csv, row 2, parent_organization_id: refers to organization "
            "cd09a387-91f4-4555-94ec-e799c35344cd, which does not exist" in problems
        )
        assert any(p.startswith("attributes.csv, row 2, link_entity") for p in problems)
        assert not any(p.startswith("services.csv") for p in problems)  # only root causes are named
        db.session.rollback()
        assert row_counts() == before


def test_canonical_30_example_with_skip_invalid(app):
    with app.app_context():
        report = import_package(CANONICAL, skip_invalid=True)
        assert report.written["service"] == 1 and "attribute" not in report.written
        service = db.session.get(Service, "ac148810-d857-441c-9679-408f346de14b")
        assert service.name == "Community Counselling" and service.minimum_age == 12
        assert service.organization.parent_organization_id is None  # the dangling reference was cleared
        assert str(service.assured_date) == "2005-01-01"
        assert any("programs.csv" in note for note in report.notes)


def test_canonical_tabular_json(app):
    with app.app_context():
        report = import_package(FIXTURES / "hsds-3.0-examples" / "tabular.json", skip_invalid=True)
        assert report.written["service"] == 1


def test_hsds_11_sample(app, tmp_path):
    with app.app_context():
        with pytest.raises(ImportFailed) as failed:
            import_package(SAMPLE_11)
        assert [str(i) for i in failed.value.report.errors] == [
            "taxonomy.csv, row 2, parent_id: refers to taxonomy_term e9004840-1b0f-11e9-b56e-0800200c9a66, "
            "which does not exist"
        ]
        db.session.rollback()
        archive = tmp_path / "sample.zip"
        with zipfile.ZipFile(archive, "w") as zf:
            for path in SAMPLE_11.iterdir():
                zf.write(path, f"hsds/{path.name}")
        report = import_package(archive, skip_invalid=True)
        assert report.version == "1.1"
        assert report.written["service"] == 13 and report.written["organization"] == 10
        helpline = db.session.get(Service, "c89eb05c-62dd-4b64-b494-0cc347b6ea7f")
        assert helpline.eligibility_description == "adult"
        weekly = sorted((s.byday, s.opens_at) for s in helpline.schedules if s.freq == "WEEKLY")
        assert weekly == [("MO", "09:00"), ("TU", "09:00"), ("WE", "09:00")]
        holiday = next(s for s in helpline.schedules if not s.freq)
        assert str(holiday.valid_from) == "2019-12-24" and holiday.opens_at is None
        assert db.session.scalar(sa.select(Address.address_type).where(Address.address_1 == "Address 1")) == "physical"
        assert db.session.scalar(sa.select(TaxonomyTerm.taxonomy_id)) == "hsds11-airs"
        # The same package again updates in place: nothing is duplicated.
        counts = row_counts()
        import_package(archive, skip_invalid=True)
        assert row_counts() == counts


def _package(tmp_path: Path, **files: str) -> Path:
    folder = tmp_path / "pkg"
    folder.mkdir()
    shutil.copy(CANONICAL / "datapackage.json", folder / "datapackage.json")
    for name, text in files.items():
        (folder / f"{name}.csv").write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return folder


ORG = "id,name,description\no1,Društvo,Opis\n"


@pytest.mark.parametrize(
    "files, expected",
    [
        (
            {"organizations": ORG, "services": "id,organization_id,status\ns1,o1,active\n"},
            "services.csv, row 1, name: required column is missing",
        ),
        (
            {"organizations": ORG, "services": "id,organization_id,name,status\ns1,o9,X,active\n"},
            "services.csv, row 2, organization_id: refers to organization o9, which does not exist",
        ),
        (
            {"organizations": ORG, "services": "id,organization_id,name,status\ns1,o1,X,open\n"},
            'services.csv, row 2, status: "open" is not one of: active, inactive, defunct, temporarily closed',
        ),
        (
            {
                "organizations": ORG,
                "services": "id,organization_id,name,status,assured_date\ns1,o1,X,active,31.1.2026\n",
            },
            'services.csv, row 2, assured_date: "31.1.2026" is not a valid date (2026-01-31)',
        ),
        (
            {"organizations": ORG, "services": "id,organization_id,name,status,minimum_age\ns1,o1,X,active,twelve\n"},
            'services.csv, row 2, minimum_age: "twelve" is not a valid whole number',
        ),
        (
            {"organizations": ORG + "o1,Dvojnik,Opis\n"},
            "organizations.csv, row 3, id: the id o1 appears twice in this table",
        ),
        (
            {"organizations": ORG, "services": "id,organization_id,name,status\n,o1,X,active\n"},
            "services.csv, row 2, id: the id is empty",
        ),
    ],
)
def test_broken_packages_are_reported_and_change_nothing(app, tmp_path, files, expected):
    with app.app_context():
        make_org("Obstoječa", id="existing")
        db.session.commit()
        before = row_counts()
        with pytest.raises(ImportFailed) as failed:
            import_package(_package(tmp_path, **files))
        assert expected in [str(i) for i in failed.value.report.errors]
        db.session.rollback()
        assert row_counts() == before


def test_skip_invalid_imports_the_rest_and_drops_dependants(app, tmp_path):
    package = _package(
        tmp_path,
        organizations=ORG + "o2,,Brez imena\n",
        services="id,organization_id,name,status\ns1,o1,Dobra,active\ns2,o2,Odvisna,active\n",
    )
    with app.app_context():
        report = import_package(package, skip_invalid=True)
        skipped = [str(i) for i in report.skipped]
        assert "organizations.csv, row 3, name: a value is required" in skipped
        assert (
            "services.csv, row 3, organization_id: refers to organization o2, which does not exist "
            "or was skipped" in skipped
        )
        assert db.session.scalars(sa.select(Service.name)).all() == ["Dobra"]


def test_import_upserts_by_id_and_bumps_the_version(app, tmp_path):
    first = _package(tmp_path, organizations=ORG, services="id,organization_id,name,status\ns1,o1,Staro ime,active\n")
    with app.app_context():
        import_package(first)
        version = db.session.get(Service, "s1").version_id
        (first / "services.csv").write_text("id,organization_id,name,status\ns1,o1,Novo ime,active\n")
        import_package(first)
        db.session.expire_all()
        service = db.session.get(Service, "s1")
        assert service.name == "Novo ime" and service.version_id == version + 1
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Organization)) == 1


def test_cli_reports_problems_with_exit_code(app, runner, tmp_path):
    package = _package(tmp_path, organizations=ORG, services="id,organization_id,name,status\ns1,o9,X,active\n")
    result = runner.invoke(args=["catalog", "import-hsds", str(package)])
    assert result.exit_code == 1
    assert "services.csv, row 2, organization_id: refers to organization o9" in result.output
    result = runner.invoke(args=["catalog", "import-hsds", "--skip-invalid", "--draft", str(package)])
    assert result.exit_code == 0 and "organization: 1" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(Organization.is_published)) is False


def test_nul_in_tabular_json_is_reported(app, tmp_path):
    package = tmp_path / "catalog.json"
    package.write_text('{"organizations.csv": [{"id": "o1", "name": "Dru\\u0000stvo", "description": "x"}]}')
    with app.app_context():
        with pytest.raises(ImportFailed) as failed:
            import_package(package)
        assert any("NUL" in str(i) and i.field == "name" for i in failed.value.report.errors)
