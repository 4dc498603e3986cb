"""Legal deadlines (pages and services), the case-page panel, the queries Moje delo reads, and
the plan forms on their own."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask import render_template
from werkzeug.datastructures import MultiDict

from cases.access_log import AccessAction, CaseAccess
from cases.models import Case, CaseStatus, Deadline, DeadlineKind
from cases.plans.deadlines import due_date
from cases.plans.models import GoalStatus, PlanReview, StepStatus
from tests.conftest import csrf_token
from tests.plan_factories import NUMBER, add_goal, add_step, make_case, user_named
from welfare.clock import today
from welfare.extensions import db


@pytest.fixture
def lawyer(login_as):
    return login_as("lawyer", "luka")


@pytest.fixture
def case(app):
    with app.app_context():
        return make_case().id


def post(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def add_deadline(case_id, served_on, days=15, **kwargs) -> Deadline:
    deadline = Deadline(case_id=case_id, served_on=served_on, days=days, due_on=due_date(served_on, days), **kwargs)
    db.session.add(deadline)
    db.session.commit()
    return deadline


def test_new_appeal_deadline_moves_past_new_year(app, lawyer, case):
    url = f"/cases/{NUMBER}/deadlines/new"
    form = lawyer.get(url).get_data(as_text=True)
    assert 'name="days" required type="number" value="15"' in form and "<h1>New legal deadline</h1>" in form
    response = post(lawyer, url, {"kind": "appeal", "served_on": "2025-12-17", "days": "15"})
    assert response.status_code == 302
    with app.app_context():
        deadline = db.session.scalar(sa.select(Deadline))
        # Day 15 is 1 January 2026; 2 January is a holiday too, then the weekend.
        assert (deadline.kind, deadline.due_on, deadline.days) == (DeadlineKind.APPEAL, date(2026, 1, 5), 15)
        assert deadline.created_by_id == user_named("luka").id
        log = db.session.scalar(sa.select(CaseAccess).where(CaseAccess.action == AccessAction.CREATE))
        assert (log.case_id, log.what) == (case, "deadline")
    assert "January 5, 2026" in lawyer.get(f"/cases/{NUMBER}/plan").get_data(as_text=True)


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "appeal", "served_on": "", "days": "15"}, "Enter the date the decision was served."),
        ({"kind": "appeal", "served_on": "15. 13. 2026", "days": "15"}, "Enter a date, e.g. 31. 12. 2026."),
        ({"kind": "appeal", "served_on": "2026-01-05", "days": "0"}, "Enter a period between 1 and 365 days."),
        ({"kind": "appeal", "served_on": "2026-01-05", "days": "petnajst"}, "whole number of days"),
        ({"kind": "other", "served_on": "2026-01-05", "days": "8"}, "Describe what the deadline is for."),
        ({"kind": "appeal", "served_on": "2099-01-05", "days": "15"}, "cannot be served in the future"),
    ],
)
def test_deadline_form_errors_keep_the_input(app, lawyer, case, data, message):
    response = post(lawyer, f"/cases/{NUMBER}/deadlines/new", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Deadline.id))) == 0


def test_other_deadline_in_slovenian_date_format(app, lawyer, case):
    data = {"kind": "other", "title": "Ugovor zoper sklep", "served_on": "10. 3. 2026", "days": "8"}
    assert post(lawyer, f"/cases/{NUMBER}/deadlines/new", data).status_code == 302
    with app.app_context():
        deadline = db.session.scalar(sa.select(Deadline))
        assert (deadline.title, deadline.served_on, deadline.due_on) == (
            "Ugovor zoper sklep",
            date(2026, 3, 10),
            date(2026, 3, 18),
        )


def test_mark_a_deadline_done(app, lawyer, case):
    with app.app_context():
        deadline_id = add_deadline(case, today() - timedelta(days=5)).id
    url = f"/cases/{NUMBER}/deadlines/{deadline_id}/done"
    response = lawyer.post(url, data={"csrf_token": csrf_token(lawyer, f"/cases/{NUMBER}/plan"), "back": "plan"})
    assert response.status_code == 302 and response.headers["Location"] == f"/cases/{NUMBER}/plan"
    with app.app_context():
        assert db.session.get(Deadline, deadline_id).done_on == today()
        log = db.session.scalar(sa.select(CaseAccess).where(CaseAccess.action == AccessAction.EDIT))
        assert log.what == "deadline"
    response = lawyer.post(url, data={"csrf_token": csrf_token(lawyer, f"/cases/{NUMBER}/plan")}, follow_redirects=True)
    assert "already marked done" in response.get_data(as_text=True)
    assert lawyer.post(f"/cases/{NUMBER}/deadlines/999/done", data={"csrf_token": "x"}).status_code in (400, 404)


def render_panel(app, case_id):
    with app.test_request_context("/"):
        return render_template("cases/plans/_case_panel.html", case=db.session.get(Case, case_id))


def test_case_panel_shows_open_goals_next_review_and_deadline_warnings(app, case):
    with app.app_context():
        goal = add_goal("Urediti dolgove")
        add_step(goal, "Poklicati upnika", due_on=today() - timedelta(days=1))
        add_step(goal, "Opravljen korak", status=StepStatus.DONE)
        dropped = add_goal("Opusceni cilj")
        dropped.status = GoalStatus.DROPPED
        db.session.add(PlanReview(case_id=case, review_on=today() + timedelta(days=20)))
        add_deadline(case, today() - timedelta(days=14), days=15, title="Odločba CSD")  # due within days: warn
        add_deadline(case, today(), days=60, title="Daljni rok")
        add_deadline(case, today() - timedelta(days=30), days=15, title="Opravljen rok", done_on=today())
        db.session.commit()
        html = render_panel(app, case)
    assert "Urediti dolgove" in html and "Poklicati upnika" in html and "Overdue" in html
    assert "Opravljen korak" not in html and "Opusceni cilj" not in html and "Opravljen rok" not in html
    assert (today() + timedelta(days=20)).strftime("%Y") in html
    near = html[html.index("Odločba CSD") : html.index("Daljni rok")]
    assert "Warning:" in near and "working days left" in near
    far = html[html.index("Daljni rok") :]
    assert "Warning:" not in far[: far.index("</tr>")]
    for endpoint in (f"/cases/{NUMBER}/plan", f"/cases/{NUMBER}/plan/print", f"/cases/{NUMBER}/deadlines/new"):
        assert f'href="{endpoint}"' in html


def test_due_steps_and_open_deadlines_for_moje_delo(app, login_as):
    from cases.work import services as work

    login_as("social_worker", "maja")
    login_as("lawyer", "luka")
    with app.app_context():
        maja, luka = user_named("maja"), user_named("luka")
        mine = make_case("2026-0001", assignees=[maja])
        theirs = make_case("2026-0002", assignees=[luka], first_name="Bojan")
        nobody = make_case("2026-0003", first_name="Cene")
        closed = make_case("2026-0004", assignees=[maja], status=CaseStatus.CLOSED, first_name="Dana")
        step_mine = add_step(add_goal(number="2026-0001"), "Moj korak", due_on=today() - timedelta(days=2))
        add_step(add_goal(number="2026-0001", title="Drugi"), "Pozneje", due_on=today() + timedelta(days=30))
        theirs_goal = add_goal(number="2026-0002")
        add_step(theirs_goal, "Njegov korak", due_on=today() + timedelta(days=3))
        # Given to Maja on a case she is not assigned to: it is her work too.
        given = add_step(theirs_goal, "Zame", due_on=today(), owner="staff", owner_user_id=maja.id)
        add_step(add_goal(number="2026-0003"), "Brez dodelitve", due_on=today())
        add_step(add_goal(number="2026-0004"), "Zaprt primer", due_on=today())
        add_step(add_goal(number="2026-0001", title="Tretji"), "Opravljen", due_on=today(), status=StepStatus.DONE)

        rows = work.due_steps(maja.id, today())
        assert [(r.number, r.title, r.overdue) for r in rows] == [
            ("2026-0001", "Moj korak", True),
            ("2026-0002", "Zame", False),
        ]
        assert rows[0].step_id == step_mine.id and rows[1].step_id == given.id
        everyone = {r.title for r in work.due_steps(None, today())}
        assert everyone == {"Moj korak", "Njegov korak", "Zame", "Brez dodelitve"}

        add_deadline(mine.id, today() - timedelta(days=13), title="Rok A")
        add_deadline(theirs.id, today(), days=30, title="Rok B")
        add_deadline(nobody.id, today(), days=20, title="Rok C")
        add_deadline(closed.id, today(), title="Rok D")
        add_deadline(mine.id, today(), title="Rok E", done_on=today())
        deadlines = work.open_deadlines(maja.id, today())
        assert [(d.number, d.title, d.state != "ok") for d in deadlines] == [("2026-0001", "Rok A", True)]
        assert deadlines[0].working_days_left <= 3
        assert [d.title for d in work.open_deadlines(None, today())] == ["Rok A", "Rok C", "Rok B"]
        assert all(d.state == "ok" for d in work.open_deadlines(None, today())[1:])


def test_step_form_rules(app):
    from cases.plans.forms import DeadlineForm, StepForm

    with app.test_request_context("/", method="POST"):
        staff = [("7", "Maja Novak")]
        form = StepForm(
            MultiDict({"title": "Korak", "owner": "staff", "owner_user_id": "8", "due_on": ""}),
            staff=staff,
            meta={"csrf": False},
        )
        assert not form.validate()
        assert form.errors == {"owner_user_id": ["Choose a team member from the list."]}
        form = StepForm(
            MultiDict({"title": "Korak", "owner": "person", "owner_user_id": "8", "due_on": "31. 12. 2026"}),
            staff=staff,
            meta={"csrf": False},
        )
        assert form.validate() and form.due_on.data == date(2026, 12, 31)
        form = StepForm(MultiDict({"title": "", "owner": "boss"}), meta={"csrf": False})
        assert not form.validate()
        assert form.errors == {"title": ["Describe the step."], "owner": ["Choose one of the options."]}
        form = DeadlineForm(MultiDict({"kind": "appeal", "served_on": "2026-03-02"}), meta={"csrf": False})
        assert form.errors == {} and not form.validate()
        assert form.errors == {"days": ["Enter the period in days."]}
