"""The case access log for administrators: filters, pages, CSV, and never the case content."""

import csv
import io
import re
from datetime import datetime

import sqlalchemy as sa

from cases.access_log import AccessAction, record_access
from tests.conftest import create_user, csrf_token
from tests.intake_factories import make_case, make_person
from welfare.extensions import db
from welfare.models import AuditEvent, Role, User

NAME = "Zofka"
SURNAME = "Pregelj"
CONTENT = "Neplačani računi."  # the factory's challenge description


def _log(app, rows) -> None:
    """rows: (username, action, case number, UTC time[, purpose])."""
    with app.app_context():
        for username, action, number, at, *purpose in rows:
            user = db.session.scalar(sa.select(User).where(User.username == username))
            case_id = db.session.scalar(sa.text("SELECT id FROM case_file WHERE number = :n"), {"n": number})
            row = record_access(action, case_id=case_id, user=user, purpose=purpose[0] if purpose else None)
            row.at = at
        db.session.commit()
        db.session.remove()


def _setup(app):
    create_user(app, Role.SOCIAL_WORKER, "cvetka")
    create_user(app, Role.LAWYER, "boris")
    with app.app_context():
        make_case(person=make_person(first_name=NAME, last_name=SURNAME), number="2026-0007")
        make_case(number="2026-0008")
        db.session.commit()
        db.session.remove()
    _log(
        app,
        [
            ("cvetka", AccessAction.VIEW, "2026-0007", datetime(2026, 3, 2, 9, 0)),
            ("cvetka", AccessAction.PRINT, "2026-0007", datetime(2026, 3, 5, 10, 0), "for_person"),
            ("boris", AccessAction.EDIT, "2026-0008", datetime(2026, 4, 1, 8, 0)),
            ("boris", AccessAction.VIEW, "2026-0007", datetime(2026, 4, 20, 22, 30)),  # 00:30 on 21 April in Ljubljana
        ],
    )


def _table(html: str) -> str:
    return html.split("<tbody>")[1].split("</tbody>")[0]


def _count(html: str) -> int:
    """Entries on the page (each has its action cell; "No entries." has none)."""
    return _table(html).count('class="access-action"')


def test_the_admin_sees_who_did_what_to_which_case_but_never_the_content(app, login_as):
    _setup(app)
    admin = login_as(Role.ADMIN)

    html = admin.get("/admin/access-log").get_data(as_text=True)

    body = _table(html)
    assert _count(html) == 4
    assert "cvetka" in body and "boris" in body and "2026-0007" in body and "2026-0008" in body
    assert "A copy for the person" in body  # why it was printed
    for secret in (NAME, SURNAME, CONTENT):
        assert secret not in html


def test_filters_by_user_case_action_and_office_days(app, login_as):
    _setup(app)
    admin = login_as(Role.ADMIN)

    def rows(query):
        return _count(admin.get(f"/admin/access-log?{query}").get_data(as_text=True))

    assert rows("user=boris") == 2
    assert rows("user=BORIS&case=2026-0008") == 1
    assert rows("case=2026-0007") == 3
    assert rows("action=print") == 1
    assert rows("date_from=2026-03-01&date_to=2026-03-31") == 2
    assert rows("date_from=2026-04-21&date_to=2026-04-21") == 1  # the late entry falls on 21 April locally
    assert rows("case=2099-9999") == 0
    assert "No entries." in admin.get("/admin/access-log?case=2099-9999").get_data(as_text=True)


def test_bad_filters_are_explained_not_a_server_error(app, login_as):
    _setup(app)
    admin = login_as(Role.ADMIN)

    for query in (
        "date_from=2026-13-45",
        "date_from=2026-05-01&date_to=2026-04-01",
        "date_from=0001-01-01",
        "action=burn",
    ):
        response = admin.get(f"/admin/access-log?{query}")
        assert response.status_code == 200, query
        assert "has-error" in response.get_data(as_text=True), query
    assert admin.get("/admin/access-log?page=abc").status_code == 400


def test_pages_of_fifty(app, login_as):
    create_user(app, Role.SOCIAL_WORKER, "cvetka")
    with app.app_context():
        make_case(number="2026-0009")
        db.session.commit()
    _log(app, [("cvetka", AccessAction.VIEW, "2026-0009", datetime(2026, 1, 1, 8, m)) for m in range(55)])
    admin = login_as(Role.ADMIN)

    first = admin.get("/admin/access-log?user=cvetka").get_data(as_text=True)
    second = admin.get("/admin/access-log?user=cvetka&page=2").get_data(as_text=True)

    assert _count(first) == 50 and _count(second) == 5
    assert "page=2" in first and "user=cvetka" in first.split('class="pager"')[1]


def test_csv_export_follows_the_filter_and_is_audited(app, login_as):
    _setup(app)
    admin = login_as(Role.ADMIN)

    response = admin.get("/admin/access-log/export.csv?case=2026-0007")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    assert {r["case_number"] for r in rows} == {"2026-0007"}
    assert rows[0] == {
        "time_utc": "2026-04-20T22:30:00Z",
        "username": "boris",
        "role": "lawyer",
        "action": "view",
        "case_number": "2026-0007",
        "person_id": rows[0]["person_id"],
        "record": "case",
        "purpose": "",
    }
    assert NAME not in text and CONTENT not in text
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "access_log.export"))
        assert event is not None and event.detail == "3 rows"


def test_supervisors_and_staff_are_refused(app, login_as):
    for role in (Role.SUPERVISOR, Role.SOCIAL_WORKER):
        client = login_as(role)
        assert client.get("/admin/access-log").status_code == 403
        assert client.get("/admin/access-log/export.csv").status_code == 403
    assert app.test_client().get("/admin/access-log").status_code == 302


def test_the_table_names_actions_roles_and_records_in_words(app, login_as):
    _setup(app)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "boris"))
        record_access(AccessAction.VIEW, case_id=None, person_id=None, what="referral_link", user=user)
        db.session.commit()
    admin = login_as(Role.ADMIN)
    admin.post("/language", data={"csrf_token": csrf_token(admin, "/admin/access-log"), "lang": "sl", "next": "/"})

    body = _table(admin.get("/admin/access-log").get_data(as_text=True))

    cells = re.findall(r"<td[^>]*>([^<]*)</td>", body)
    for raw in ("view", "edit", "print", "lawyer", "social_worker", "referral_link", "case"):
        assert raw not in cells, raw
    assert "Ogled" in cells and "Pravnik" in cells and "Stran napotitve za organizacijo" in cells, cells
