"""Documents and the person's rights: the Art. 15 export lists them and its ZIP holds the files;
erasure and retention remove them (tests/gdpr_helpers.rich_case gives each case a document)."""

import io
import json
import zipfile
from datetime import date

import sqlalchemy as sa

from cases.documents.models import CaseDocument
from cases.models import Case
from tests.document_helpers import png_bytes
from tests.gdpr_helpers import rich_case
from welfare.extensions import db
from welfare.models import Role


def test_the_export_lists_the_documents_and_its_zip_holds_the_files(app, login_as):
    with app.app_context():
        person, case, _ = rich_case(
            "MARIJA", first_name="Marija", last_name="Horvat", opened_on=date(2026, 2, 3), closed_on=None
        )
        rich_case("JANEZ", first_name="Janez", last_name="Novak", opened_on=date(2026, 3, 4), closed_on=None)
        db.session.commit()
        person_id, number = person.id, case.number
    client = login_as(Role.LAWYER)
    data = json.loads(client.get(f"/cases/persons/{person_id}/export.json?purpose=for_person").get_data(as_text=True))
    (document,) = data["cases"][0]["documents"]
    assert document["title"] == "Odločba MARIJA" and document["note"] == "Dokument MARIJA."
    assert document["type"] == "image/png" and document["by"] == "Social worker"
    assert document["file"].startswith(f"documents/{number}-document-") and document["file"].endswith(".png")
    # Without a purpose: the form again, no archive.
    assert client.get(f"/cases/persons/{person_id}/export.zip").mimetype == "text/html"
    response = client.get(f"/cases/persons/{person_id}/export.zip?purpose=legal")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert (
        "attachment" in response.headers["Content-Disposition"]
        and "Horvat" not in response.headers["Content-Disposition"]
    )
    assert "no-store" in response.headers["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert sorted(archive.namelist()) == sorted(["export.json", document["file"]])
    assert archive.read(document["file"]) == png_bytes(seed=len("MARIJA"))
    assert json.loads(archive.read("export.json"))["cases"][0]["documents"][0]["title"] == "Odločba MARIJA"
    page = client.get(f"/cases/persons/{person_id}/export/view?purpose=for_person").get_data(as_text=True)
    assert "Odločba MARIJA" in page and document["file"] in page


def test_retention_deletes_the_documents_of_an_anonymized_case(app):
    with app.app_context():
        _, old, _ = rich_case(
            "OLD", first_name="Stara", last_name="Oseba", opened_on=date(2014, 3, 10), closed_on=date(2015, 1, 20)
        )
        _, recent, _ = rich_case(
            "NEW", first_name="Nova", last_name="Oseba", opened_on=date(2025, 3, 10), closed_on=None
        )
        db.session.commit()
        old_id, recent_id = old.id, recent.id
    dry = app.test_cli_runner().invoke(args=["cases", "retention"])
    assert "1 documents" in dry.output
    result = app.test_cli_runner().invoke(args=["cases", "retention", "--apply"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalars(sa.select(CaseDocument.case_id)).all() == [recent_id]
        assert db.session.get(Case, old_id) is not None  # the case stays for the reports, its papers go
