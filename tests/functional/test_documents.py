"""Documents on a case (issue 22, part 4): upload a real PNG/JPEG/PDF and download the same
bytes; the type comes from the bytes, not the name; the size limit answers on the form with
the title kept; the content is encrypted in the database; only the office team reaches them;
deletion needs a reason and is logged."""

import sqlalchemy as sa

from cases.access_log import CaseAccess
from cases.documents.models import CaseDocument
from tests.conftest import csrf_token
from tests.document_helpers import EXE, JPEG, PDF, document_ids, png_bytes, upload
from tests.intake_factories import make_case
from welfare.extensions import db
from welfare.models import Role


def _case(app) -> str:
    with app.app_context():
        case = make_case()
        db.session.commit()
        return case.number


def _stored(app) -> list[CaseDocument]:
    with app.app_context():
        return list(db.session.scalars(sa.select(CaseDocument)))


def test_a_png_jpeg_and_pdf_go_up_and_come_back_byte_for_byte(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER)
    number = _case(app)
    png = png_bytes()
    for content, name, title in [
        (png, "foto.png", "Odločba CSD"),
        (JPEG, "IMG_0001.jpg", "Dopis izvršitelja"),
        (PDF, "izvid.pdf", "Zdravniški izvid"),
    ]:
        response = upload(worker, number, content, title=title, filename=name, note="Prinesla 3. 3.")
        assert response.status_code == 302, response.get_data(as_text=True)
    page = worker.get(f"/cases/{number}").get_data(as_text=True)
    assert "Odločba CSD" in page and "Dopis izvršitelja" in page and "Zdravniški izvid" in page
    ids = document_ids(page, number)
    assert len(ids) == 3
    by_type = {}
    for document_id in ids:
        before = _access_rows(app)
        response = worker.get(f"/cases/{number}/documents/{document_id}")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert number in response.headers["Content-Disposition"]
        assert "Odlo" not in response.headers["Content-Disposition"]  # no title in the file name
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response.headers["Cache-Control"]
        by_type[response.mimetype] = response.get_data()
        # The download is a read of the case's document: one access-log row.
        assert _access_rows(app) == before + 1
    assert by_type == {"image/png": png, "image/jpeg": JPEG, "application/pdf": PDF}
    with app.app_context():
        whats = set(db.session.scalars(sa.select(CaseAccess.what).where(CaseAccess.action == "view")))
    assert "document" in whats


def _access_rows(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(CaseAccess))


def test_the_type_comes_from_the_bytes_not_the_name(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER)
    number = _case(app)
    response = upload(worker, number, EXE, title="Odločba", filename="odlocba.pdf")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Only PDF files and JPEG or PNG pictures can be uploaded." in html
    assert 'value="Odločba"' in html
    assert _stored(app) == []
    # A PNG named .pdf is a PNG: served as what it is.
    assert upload(worker, number, png_bytes(), title="Slika", filename="slika.pdf").status_code == 302
    assert [d.content_type for d in _stored(app)] == ["image/png"]


def test_an_oversize_file_is_refused_on_the_form_with_the_title_kept(app, login_as):
    app.config["DOCUMENT_MAX_BYTES"] = 1_000
    app.config["BABEL_DEFAULT_LOCALE"] = "sl"  # the office's language: the message is translated
    worker = login_as(Role.SOCIAL_WORKER)
    number = _case(app)
    big = png_bytes(width=60, height=60)
    assert len(big) > 1_000
    response = upload(worker, number, big, title="Sklep o izvršbi", note="Tri strani.")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Datoteka je večja od 1 MB." in html
    assert 'value="Sklep o izvršbi"' in html and "Tri strani." in html
    assert _stored(app) == []
    # Far above the limit the body itself is refused: the translated 413 page, not a bare error.
    response = upload(worker, number, b"\x89PNG\r\n\x1a\n" + b"\x00" * 300_000, title="Prevelik")
    assert response.status_code == 413
    assert "Zahteva je prevelika" in response.get_data(as_text=True)


def test_other_forms_keep_the_small_body_limit(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER)
    number = _case(app)
    token = csrf_token(worker, f"/cases/{number}/timeline/new")
    response = worker.post(
        f"/cases/{number}/timeline/new",
        data={"csrf_token": token, "kind": "note", "text": "x" * 3_000_000},
    )
    assert response.status_code == 413
    assert "2 MB" in response.get_data(as_text=True)


def test_the_database_holds_no_plaintext_of_the_file_or_its_title(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER)
    number = _case(app)
    png = png_bytes(width=8, height=8, seed=13)
    assert upload(worker, number, png, title="Odločba o izvršbi", note="Prinesla sestra").status_code == 302
    with app.app_context():
        row = db.session.execute(sa.text("SELECT title, note, content FROM case_document")).one()
    raw = bytes(row.content)
    assert raw.startswith(b"enc2:")
    assert png not in raw and png[16:40] not in raw and b"IHDR" not in raw and b"IDAT" not in raw
    assert "izvršbi" not in row.title and "sestra" not in row.note


def test_a_document_moved_to_another_column_or_changed_fails_its_check(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER)
    number = _case(app)
    assert upload(worker, number, PDF, filename="a.pdf").status_code == 302
    with app.app_context():
        raw = bytes(db.session.execute(sa.text("SELECT content FROM case_document")).scalar_one())
        changed = raw[:-1] + bytes([raw[-1] ^ 1])
        db.session.execute(sa.text("UPDATE case_document SET content = :c"), {"c": changed})
        db.session.commit()
    document_id = _stored(app)[0].id
    response = worker.get(f"/cases/{number}/documents/{document_id}")
    assert response.status_code == 500
    assert "%PDF" not in response.get_data(as_text=True)


def test_a_file_copied_into_another_documents_row_does_not_open_there(app, login_as):
    """The file is bound to its row: copied over another case's document it fails its check,
    and the file it was copied from still opens where it belongs."""
    worker = login_as(Role.SOCIAL_WORKER)
    first, second = _case(app), _case(app)
    assert upload(worker, first, PDF, filename="a.pdf", title="Prva").status_code == 302
    assert upload(worker, second, png_bytes(), title="Druga").status_code == 302
    with app.app_context():
        rows = db.session.execute(sa.text("SELECT id, content FROM case_document ORDER BY id")).all()
        db.session.execute(
            sa.text("UPDATE case_document SET content = :c WHERE id = :i"), {"c": rows[0].content, "i": rows[1].id}
        )
        db.session.commit()
    moved = worker.get(f"/cases/{second}/documents/{rows[1].id}")
    assert moved.status_code == 500 and b"%PDF" not in moved.data
    assert "integrity check" in moved.get_data(as_text=True)
    assert worker.get(f"/cases/{first}/documents/{rows[0].id}").data == PDF


def test_only_the_office_team_reaches_documents(app, login_as, client):
    worker = login_as(Role.SOCIAL_WORKER)
    number = _case(app)
    assert upload(worker, number, PDF, filename="a.pdf").status_code == 302
    document_id = _stored(app)[0].id
    urls = [
        f"/cases/{number}/documents/new",
        f"/cases/{number}/documents/{document_id}",
        f"/cases/{number}/documents/{document_id}/delete",
    ]
    for role in (Role.SUPERVISOR, Role.ADMIN):
        other = login_as(role)
        for url in urls:
            assert other.get(url).status_code == 403, (role, url)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    # A document of another case is not reachable through this case's number.
    other_number = _case(app)
    assert worker.get(f"/cases/{other_number}/documents/{document_id}").status_code == 404


def test_deleting_needs_a_reason_and_is_logged(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER)
    number = _case(app)
    assert upload(worker, number, JPEG, filename="a.jpg").status_code == 302
    document_id = _stored(app)[0].id
    url = f"/cases/{number}/documents/{document_id}/delete"
    token = csrf_token(worker, url)
    response = worker.post(url, data={"csrf_token": token, "reason": ""})
    assert response.status_code == 200 and "Choose why the document is deleted." in response.get_data(as_text=True)
    assert len(_stored(app)) == 1
    response = worker.post(url, data={"csrf_token": token, "reason": "duplicate"})
    assert response.status_code == 302
    assert _stored(app) == []
    with app.app_context():
        row = db.session.scalars(sa.select(CaseAccess).where(CaseAccess.what == "document_deleted")).one()
        assert row.purpose == "duplicate" and row.username == "social_worker-user"
    assert worker.get(f"/cases/{number}/documents/{document_id}").status_code == 404


def test_the_upload_form_opens_the_phone_camera(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER)
    number = _case(app)
    html = worker.get(f"/cases/{number}/documents/new").get_data(as_text=True)
    assert 'accept="image/*,application/pdf"' in html and 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html
