"""HSDS imports of packages with the defects real directories have (tests/fixtures/hsds/defects/,
written by its build.py): what each imports, what it reports, and re-imports of the same source."""

import shutil
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from catalog.details import Address, Phone, Schedule
from catalog.hsds.importer import ImportFailed, import_package
from catalog.models import Location, Organization, Service, ServiceAtLocation, TaxonomyTerm
from tests.factories import make_org, make_service
from tests.functional.test_hsds_import_export import row_counts
from welfare.extensions import db

DEFECTS = Path(__file__).parent.parent / "fixtures" / "hsds" / "defects"


def problems(issues) -> list[str]:
    return [str(i) for i in issues]


def kinds(issues) -> set[str]:
    return {i.kind for i in issues}


def terms() -> dict[str, str | None]:
    return dict(db.session.execute(sa.select(TaxonomyTerm.id, TaxonomyTerm.parent_id)).all())


@pytest.mark.parametrize(
    "defect",
    [
        "missing_organization",
        "duplicate_taxonomy",
        "taxonomy_order",
        "phone_without_number",
        "schedule_text",
        "duplicate_service_at_location",
    ],
)
def test_without_skip_invalid_a_defect_refuses_the_whole_package(app, defect):
    with app.app_context():
        before = row_counts()
        with pytest.raises(ImportFailed) as failed:
            import_package(DEFECTS / defect)
        assert failed.value.report.errors and not failed.value.report.skipped
        db.session.rollback()
        assert row_counts() == before


def test_the_valid_base_imports_cleanly(app):
    with app.app_context():
        report = import_package(DEFECTS / "valid")
        assert not report.issues
        assert report.written["service"] == 2 and report.written["attribute"] == 2


def test_services_of_a_missing_organization_are_skipped_with_what_hangs_off_them(app):
    with app.app_context():
        report = import_package(DEFECTS / "missing_organization", skip_invalid=True)
        assert problems(report.skipped) == [
            "services.csv, row 4, organization_id: refers to organization o9, which does not exist or was skipped",
            "phones.csv, row 3, service_id: refers to service s3, which does not exist or was skipped",
            "services_taxonomy.csv, row 4, link_id: refers to service s3, which does not exist",
        ]
        assert "service without organization" in kinds(report.skipped)
        assert set(db.session.scalars(sa.select(Service.id))) == {"s1", "s2"}
        assert db.session.scalars(sa.select(Phone.id)).all() == ["p1"]  # no phone left attached to nothing


def test_a_duplicate_taxonomy_id_keeps_the_first_and_reports_the_rest(app):
    with app.app_context():
        report = import_package(DEFECTS / "duplicate_taxonomy", skip_invalid=True)
        assert problems(report.skipped) == ["taxonomy.csv, row 4, id: the id t1 appears twice in this table"]
        assert db.session.get(TaxonomyTerm, "t1").name == "Družina"
        assert terms() == {"t1": None, "t2": "t1", "t3": "t1"}


def test_terms_are_written_parents_first_and_bad_parents_are_cleared(app):
    with app.app_context():
        report = import_package(DEFECTS / "taxonomy_order", skip_invalid=True)
        assert problems(report.skipped) == [
            "taxonomy.csv, row 6, parent_id: refers to taxonomy_term t404, which does not exist; made top-level",
            "taxonomy.csv, row 7, parent_id: its parents form a cycle (t6 -> t7 -> t6); made top-level",
        ]
        assert kinds(report.skipped) == {"missing parent", "parent cycle"}
        assert terms() == {"t1": None, "t2": "t1", "t3": "t2", "t4": "t3", "t5": None, "t6": None, "t7": "t6"}


def test_a_phone_without_a_number_is_skipped(app):
    with app.app_context():
        report = import_package(DEFECTS / "phone_without_number", skip_invalid=True)
        assert problems(report.skipped) == ["phones.csv, row 3, number: a value is required"]
        assert db.session.scalars(sa.select(Phone.id)).all() == ["p1"]


def test_schedule_text_is_kept_as_a_description_and_a_bad_weekday_is_skipped(app):
    with app.app_context():
        report = import_package(DEFECTS / "schedule_text", skip_invalid=True)
        assert problems(report.skipped) == [
            'regular_schedules.csv, row 5, weekday: "Mondays" is not a day (1 = Monday ... 7 = Sunday)',
            'regular_schedules.csv, row 4, opens_at: "po dogovoru" is not a time (HH:MM); kept in the description',
        ]
        text = db.session.scalar(sa.select(Schedule).where(Schedule.id == "r3"))
        assert text.opens_at is None and text.description == "po dogovoru" and text.byday == "FR"
        assert db.session.get(Schedule, "r1").opens_at == "08:00"
        assert db.session.get(Schedule, "r4") is None


@pytest.mark.parametrize("weekday", ["²", "١", "8", "0"])
def test_a_weekday_digit_that_is_no_day_is_skipped_not_a_crash(app, tmp_path, weekday):
    package = tmp_path / "schedule_text"
    shutil.copytree(DEFECTS / "schedule_text", package)
    schedules = package / "regular_schedules.csv"
    schedules.write_text(schedules.read_text(encoding="utf-8").replace("Mondays", weekday), encoding="utf-8")
    with app.app_context():
        report = import_package(package, skip_invalid=True)
        assert f'regular_schedules.csv, row 5, weekday: "{weekday}" is not a day' in problems(report.skipped)[0]
        assert db.session.get(Schedule, "r4") is None


def test_an_address_without_postal_code_is_imported_with_a_warning(app):
    with app.app_context():
        report = import_package(DEFECTS / "address_without_postal_code")  # a warning does not refuse
        assert problems(report.warnings) == ["physical_addresses.csv, row 3, postal_code: no postal code"]
        assert db.session.get(Address, "a2").postal_code == ""


def test_a_second_link_of_the_same_service_and_location_is_skipped(app):
    with app.app_context():
        report = import_package(DEFECTS / "duplicate_service_at_location", skip_invalid=True)
        assert problems(report.skipped) == [
            "services_at_location.csv, row 4, location_id: links service s1 to location l1 again (as sal1)"
        ]
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ServiceAtLocation)) == 2


def test_each_file_is_read_in_its_own_encoding_and_line_ends(app):
    with app.app_context():
        report = import_package(DEFECTS / "mixed_encodings")
        assert sorted(problems(report.warnings)) == [
            "locations.csv: the file is not UTF-8; read as latin-1 (check its letters)",
            "organizations.csv: the file is not UTF-8; read as cp1250 (check its letters)",
            "taxonomy.csv: the file is not UTF-8; read as cp1250 (check its letters)",
        ]
        assert db.session.get(Organization, "o1").name == "Društvo za pomoč družinam"  # cp1250, CRLF
        assert db.session.get(Service, "s1").name == "Svetovanje družinam"  # UTF-8 with BOM
        assert db.session.get(Location, "l1").name == "Café Égalité"  # latin-1, CR only
        assert db.session.get(TaxonomyTerm, "t2").name == "Svetovanje družinam"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Service)) == 2


def test_reimport_updates_archives_and_leaves_staff_and_other_sources_alone(app):
    with app.app_context():
        import_package(DEFECTS / "valid", source="dolenjska")
        staff = make_service(make_org("Občina"), "Pisarna za pomoč")
        other = import_package(DEFECTS / "missing_organization", skip_invalid=True, source="other")
        assert {i.row for i in other.skipped if i.file == "services.csv" and i.kind == "owned elsewhere"} == {2, 3}
        assert not other.written.get("service")
        s2 = db.session.get(Service, "s2")
        s2.alert = "Zaprto do 5. 1."  # a staff edit to a field 1.1 does not carry
        s2.is_published = False
        db.session.commit()
        version = s2.version_id

        dry = import_package(DEFECTS / "later_export", source="dolenjska", dry_run=True)
        assert dry.changes.new["service"] == 1 and dry.changes.updated["service"] == 1
        assert dry.changes.archived == ["s1"]
        assert "updated service s2: Razdeljevanje hrane in oblačil" in dry.changes.examples
        db.session.expire_all()
        assert db.session.get(Service, "s2").name == "Razdeljevanje hrane" and db.session.get(Service, "s4") is None

        report = import_package(DEFECTS / "later_export", source="dolenjska")
        assert report.changes.archived == ["s1"]
        db.session.expire_all()
        s2 = db.session.get(Service, "s2")
        assert s2.name == "Razdeljevanje hrane in oblačil" and s2.version_id == version + 1
        assert s2.alert == "Zaprto do 5. 1." and s2.is_published is False
        assert db.session.get(Service, "s1").archived_at is not None
        assert db.session.get(Service, "s4").import_source == "dolenjska"
        assert db.session.get(Service, staff.id).archived_at is None
        assert db.session.get(Organization, "o1").version_id == 1  # unchanged rows are not rewritten


def test_rows_of_another_source_or_staff_are_not_overwritten(app):
    with app.app_context():
        import_package(DEFECTS / "valid", source="first")
        made_by_staff = db.session.get(Service, "s1")
        made_by_staff.import_source, made_by_staff.source_note = None, ""
        db.session.commit()
        report = import_package(DEFECTS / "valid", source="second", skip_invalid=True)
        owned = [i for i in report.skipped if i.kind == "owned elsewhere"]
        assert [str(i) for i in owned if i.file == "services.csv"] == [
            "services.csv, row 2, id: the id s1 belongs to a record of staff; left unchanged",
            "services.csv, row 3, id: the id s2 belongs to a record of the source first; left unchanged",
        ]
        assert db.session.get(Service, "s2").import_source == "first"
        assert report.changes.archived == []


def test_cli_prints_a_summary_and_writes_every_problem_to_a_file(app, runner):
    result = runner.invoke(args=["catalog", "import-hsds", str(DEFECTS / "taxonomy_order")])
    assert result.exit_code == 1
    assert "Problems found; nothing was imported (2):" in result.output
    assert "  missing parent: 1" in result.output and "  parent cycle: 1" in result.output
    path = Path(result.output.split("Full list of problems: ")[1].split()[0])
    assert path.parent == Path(app.config["DATA_DIR"]) / "imports"
    assert "taxonomy.csv, row 6, parent_id: refers to taxonomy_term t404, which does not exist" in path.read_text()

    dry = runner.invoke(args=["catalog", "import-hsds", "--skip-invalid", "--dry-run", str(DEFECTS / "taxonomy_order")])
    assert dry.exit_code == 0, dry.output
    assert "Source taxonomy_order (dry run): would add 23, update 0 and leave 0 rows unchanged" in dry.output
    assert "Dry run: nothing was written." in dry.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TaxonomyTerm)) == 0


def test_a_summary_shows_a_few_examples_of_many_problems(app, runner, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for path in (DEFECTS / "valid").iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    rows = "".join(f"px{i},s1,,voice\n" for i in range(50))
    (folder / "phones.csv").write_text("id,service_id,number,type\n" + rows)
    result = runner.invoke(args=["catalog", "import-hsds", "--skip-invalid", str(folder)])
    assert result.exit_code == 0, result.output
    assert "  required value missing: 50" in result.output and "... and 47 more" in result.output
    assert result.output.count("a value is required") == 3
    report = Path(result.output.split("Full list of problems: ")[1].split()[0]).read_text()
    assert report.count("a value is required") == 50


def test_a_broken_or_oversized_archive_is_refused_in_one_line(app, tmp_path, monkeypatch):
    from catalog.hsds import importer

    broken = tmp_path / "broken.zip"
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in (DEFECTS / "valid").iterdir():
            archive.write(path, path.name)
    data = bytearray(good.read_bytes())
    data[40:200] = b"\x00" * 160  # damage the first member's compressed data, keep the directory
    broken.write_bytes(bytes(data))
    with app.app_context():
        with pytest.raises(ImportFailed) as failed:
            import_package(broken, skip_invalid=True)
        assert [i.kind for i in failed.value.report.errors] == ["unreadable file"]
        assert str(failed.value.report.errors[0]).startswith("broken.zip: not a readable .zip archive")
        monkeypatch.setattr(importer, "MAX_UNPACKED_BYTES", 100)
        with pytest.raises(ImportFailed) as failed:
            import_package(good, skip_invalid=True)
        assert str(failed.value.report.errors[0]) == "good.zip: unpacks to more than 0 MB"
