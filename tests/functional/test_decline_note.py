"""A decline saying the catalog is wrong (issue 21): the catalog's change report gets the reason
only; the organization's note, which may name the person, stays on the referral, encrypted,
in the person's Art. 15 export and gone with their erasure."""

import pytest
import sqlalchemy as sa

from cases.models import Person
from cases.privacy.erasure import erase_person
from cases.privacy.export import build_export
from cases.referrals.models import Referral
from catalog.models import ChangeReport
from tests.conftest import TEST_DATABASE_URL, create_user
from tests.functional.test_referral_link import _answer, sent, staff  # noqa: F401 (fixtures)
from welfare.extensions import db
from welfare.models import Role, User

NOTE = "Gospa Marija Horvat je že pri nas, pokličite jo na 041 555 666."


def _raw_closing_note(referral_id: int) -> str:
    return db.session.execute(
        sa.text("SELECT closing_note FROM referral WHERE id = :id"), {"id": referral_id}
    ).scalar_one()


def test_the_change_report_gets_the_reason_and_the_note_stays_with_the_referral(app, sent):  # noqa: F811
    org = app.test_client()
    response = _answer(
        org, sent["link"], sent["referral_id"], action="declined", decline_reason="wrong_contact", note=NOTE
    )
    assert response.status_code == 200
    admin_id = create_user(app, Role.ADMIN, "skrbnik")
    with app.app_context():
        report = db.session.scalar(sa.select(ChangeReport))
        assert report.message == "A referral was declined: Wrong contact details in the catalog."
        assert "Horvat" not in report.message and "041" not in report.message
        assert db.session.get(Referral, sent["referral_id"]).closing_note == NOTE
        assert _raw_closing_note(sent["referral_id"]).startswith("enc2:")  # encrypted like every note

        person = db.session.scalar(sa.select(Person))
        export = build_export(person)
        assert NOTE in str(export)

        admin = db.session.get(User, admin_id)
        erase_person(person, "consent_withdrawn", str(person.id), admin)
        assert db.session.get(Referral, sent["referral_id"]) is None
        assert NOTE not in str([r.message for r in db.session.scalars(sa.select(ChangeReport))])


@pytest.mark.skipif(bool(TEST_DATABASE_URL), reason="writes the SQLite file directly")
def test_the_upgrade_cuts_old_notes_out_of_the_reports(tmp_path):
    import sqlite3

    import flask_migrate

    from tests.conftest import make_app

    app = make_app(tmp_path)
    with app.app_context():
        directory = app.extensions["migrate"].directory
        flask_migrate.upgrade(directory=directory, revision="0015")
        db.session.remove()
        db.engine.dispose()
        rows = {
            1: "A referral was declined: Wrong contact details in the catalog. " + NOTE,
            2: "Napotitev je bila zavrnjena: Storitve ne izvajajo več. " + NOTE,
            3: "Urnik se je spremenil.",
        }
        # Straight into the file, as an older release left them (no service rows needed).
        raw = sqlite3.connect(db.engine.url.database)
        with raw:
            raw.executemany(
                "INSERT INTO catalog_change_report (id, service_id, message, submitted_at, status) "
                "VALUES (?, 's1', ?, '2026-01-01', 'open')",
                rows.items(),
            )
        raw.close()
        flask_migrate.upgrade(directory=directory)
        messages = dict(db.session.execute(sa.text("SELECT id, message FROM catalog_change_report")).all())
        db.engine.dispose()
    assert messages == {
        1: "A referral was declined: Wrong contact details in the catalog.",
        2: "Napotitev je bila zavrnjena: Storitve ne izvajajo več.",
        3: "Urnik se je spremenil.",
    }
