"""The staff import page: the same check and summary as the command, with real CSRF and uploads."""

import io
import zipfile
from pathlib import Path

import sqlalchemy as sa

from catalog.models import Service
from tests.conftest import csrf_token
from welfare.extensions import db
from welfare.models import Role

DEFECTS = Path(__file__).parent.parent / "fixtures" / "hsds" / "defects"
URL = "/staff/catalog/import"


def zipped(folder: Path) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    buffer.seek(0)
    return buffer


def post(client, data: bytes | io.BytesIO, filename: str, **fields):
    body = io.BytesIO(data) if isinstance(data, bytes) else data
    form = {"csrf_token": csrf_token(client, URL), "package": (body, filename), **fields}
    return client.post(URL, data=form, content_type="multipart/form-data")


def service_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Service))


def test_dry_run_shows_the_summary_and_writes_nothing(app, login_as):
    client = login_as(Role.ORGANIZER)
    response = post(client, zipped(DEFECTS / "missing_organization"), "dolenjska.zip", skip_invalid="y", dry_run="y")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dry run: nothing was written" in html
    assert "Source dolenjska: 18 new, 0 updated, 0 unchanged rows; 0 services archived." in html
    assert "Services whose organization is missing" in html
    assert "services.csv, row 4, organization_id: refers to organization o9" in html
    assert "The full list of problems was saved on the server" in html
    assert service_count(app) == 0


def test_import_as_drafts_with_skipping(app, login_as):
    client = login_as(Role.SOCIAL_WORKER)
    response = post(client, zipped(DEFECTS / "missing_organization"), "dolenjska.zip", skip_invalid="y", draft="y")
    assert "The package was imported." in response.get_data(as_text=True)
    with app.app_context():
        services = db.session.scalars(sa.select(Service)).all()
        assert {s.id for s in services} == {"s1", "s2"}
        assert {s.is_published for s in services} == {False}
        assert {s.import_source for s in services} == {"dolenjska"}


def test_without_skipping_problems_refuse_the_package(app, login_as):
    client = login_as(Role.ORGANIZER)
    html = post(client, zipped(DEFECTS / "taxonomy_order"), "x.zip").get_data(as_text=True)
    assert "Not imported" in html and "Categories whose parents form a cycle" in html
    assert service_count(app) == 0


def test_bad_uploads_are_form_errors_or_refusals_never_a_500(app, login_as):
    client = login_as(Role.ORGANIZER)
    response = client.post(URL, data={"csrf_token": csrf_token(client, URL)}, content_type="multipart/form-data")
    assert response.status_code == 200 and "Choose a file." in response.get_data(as_text=True)
    response = post(client, b"MZ\x90\x00", "program.exe")
    assert response.status_code == 200 and "Choose a .zip, .json or .csv file." in response.get_data(as_text=True)
    response = post(client, b"PK\x05\x06" + b"\x00" * 18, "empty.zip")
    assert response.status_code == 200
    response = post(client, b"\xff\xfe{not json", "catalog.json", skip_invalid="y")
    assert response.status_code == 200 and "Rows that cannot be read" in response.get_data(as_text=True)
