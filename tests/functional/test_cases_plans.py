"""Individual plans and legal deadlines: pages, services, history, print, access log, conflicts."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from cases.access_log import AccessAction, CaseAccess
from cases.models import Case, CaseStatus
from cases.plans.models import GoalStatus, PlanChange, PlanGoal, PlanReview, PlanStep, StepOwner, StepStatus
from tests.conftest import csrf_token
from tests.plan_factories import NUMBER, add_goal, add_step, make_case, user_named
from welfare.clock import today
from welfare.extensions import db


@pytest.fixture
def worker(login_as):
    return login_as("social_worker", "maja")


@pytest.fixture
def case(app):
    with app.app_context():
        return make_case().id


def post(client, url, data):
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def accesses(app, action=None):
    with app.app_context():
        statement = sa.select(CaseAccess).order_by(CaseAccess.id)
        if action:
            statement = statement.where(CaseAccess.action == action)
        return list(db.session.scalars(statement))


def test_first_goal_makes_the_case_active_with_history_and_access_log(app, worker, case):
    response = post(worker, f"/cases/{NUMBER}/plan/goals/new", {"title": "Urediti dolgove"})
    assert response.status_code == 302 and response.headers["Location"] == f"/cases/{NUMBER}/plan"
    with app.app_context():
        assert db.session.get(Case, case).status == CaseStatus.ACTIVE
        goal = db.session.scalar(sa.select(PlanGoal))
        assert goal.title == "Urediti dolgove" and goal.status == GoalStatus.OPEN
        changes = {(c.entity, c.action, c.field, c.new_value) for c in db.session.scalars(sa.select(PlanChange))}
        assert changes == {("goal", "create", "title", "Urediti dolgove"), ("goal", "create", "status", "open")}
    rows = accesses(app, AccessAction.CREATE)
    assert [(r.case_id, r.what, r.username) for r in rows] == [(case, "plan", "maja")]


def test_goal_needs_a_title(app, worker, case):
    response = post(worker, f"/cases/{NUMBER}/plan/goals/new", {"title": "  "})
    assert response.status_code == 200
    assert "Describe the goal." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PlanGoal.id))) == 0
        assert db.session.get(Case, case).status == CaseStatus.OPEN


def test_step_due_before_the_case_opened_is_refused_and_input_kept(app, worker, case):
    with app.app_context():
        goal_id = add_goal().id
        opened_on = db.session.get(Case, case).opened_on
    url = f"/cases/{NUMBER}/plan/goals/{goal_id}/steps/new"
    too_early = (opened_on - timedelta(days=1)).isoformat()
    response = post(worker, url, {"title": "Oddati vlogo za pomoč", "owner": "person", "due_on": too_early})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The date cannot be before the case was opened" in html
    assert 'value="Oddati vlogo za pomoč"' in html and f'value="{too_early}"' in html
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PlanStep.id))) == 0


def test_step_with_a_team_member_and_an_organization(app, worker, case):
    from tests.factories import make_org

    with app.app_context():
        goal_id = add_goal().id
        org_id = make_org(name="Karitas Novo mesto").id
        db.session.commit()
        maja_id = user_named("maja").id
    url = f"/cases/{NUMBER}/plan/goals/{goal_id}/steps/new"
    due = (today() + timedelta(days=5)).isoformat()
    response = post(worker, url, {"title": "Spremstvo na CSD", "owner": "staff", "due_on": due})
    assert "Choose the team member who does this step." in response.get_data(as_text=True)
    response = post(worker, url, {"title": "Paket hrane", "owner": "organization", "due_on": due})
    assert "Choose the organization that does this step." in response.get_data(as_text=True)
    post(worker, url, {"title": "Spremstvo na CSD", "owner": "staff", "owner_user_id": str(maja_id), "due_on": due})
    post(worker, url, {"title": "Paket hrane", "owner": "organization", "owner_organization_id": org_id, "due_on": due})
    with app.app_context():
        steps = {s.title: s for s in db.session.scalars(sa.select(PlanStep))}
        assert steps["Spremstvo na CSD"].owner == StepOwner.STAFF and steps["Spremstvo na CSD"].owner_user_id == maja_id
        assert steps["Paket hrane"].owner_organization_id == org_id and steps["Paket hrane"].owner_user_id is None
    html = worker.get(f"/cases/{NUMBER}/plan").get_data(as_text=True)
    assert "Karitas Novo mesto" in html and "Spremstvo na CSD" in html


def test_editing_a_step_records_old_and_new_values_newest_first(app, worker, case):
    with app.app_context():
        goal_id = add_goal().id
    old_due = today() + timedelta(days=3)
    new_step = {"title": "Poklicati upnika", "owner": "person", "due_on": old_due.isoformat()}
    assert post(worker, f"/cases/{NUMBER}/plan/goals/{goal_id}/steps/new", new_step).status_code == 302
    with app.app_context():
        step_id = db.session.scalar(sa.select(PlanStep.id))
    new_due = today() + timedelta(days=10)
    url = f"/cases/{NUMBER}/plan/steps/{step_id}/edit"
    form = worker.get(url).get_data(as_text=True)
    assert 'name="version_id" type="hidden" value="1"' in form
    response = post(
        worker,
        url,
        {
            "title": "Poklicati upnika",
            "owner": "person",
            "due_on": new_due.isoformat(),
            "status": "done",
            "version_id": "1",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        step = db.session.get(PlanStep, step_id)
        assert step.status == StepStatus.DONE and step.done_on == today() and step.due_on == new_due
        updates = {
            c.field: (c.old_value, c.new_value)
            for c in db.session.scalars(sa.select(PlanChange).where(PlanChange.action == "update"))
        }
        created = {c.field for c in db.session.scalars(sa.select(PlanChange).where(PlanChange.action == "create"))}
        assert created == {"title", "owner", "due_on", "status"}
        assert updates == {"due_on": (old_due.isoformat(), new_due.isoformat()), "status": ("open", "done")}
    assert [r.what for r in accesses(app, AccessAction.EDIT)] == ["plan"]
    html = worker.get(f"/cases/{NUMBER}/plan").get_data(as_text=True)
    history = html[html.index('id="history-heading"') :]
    assert history.index("Changed") < history.index("Added")  # newest first


def test_concurrent_step_edits_the_second_gets_a_conflict_with_its_input_kept(app, worker, login_as, case):
    lawyer = login_as("lawyer", "luka")
    with app.app_context():
        step_id = add_step(add_goal()).id
    url = f"/cases/{NUMBER}/plan/steps/{step_id}/edit"
    due = (today() + timedelta(days=9)).isoformat()
    data = {"owner": "person", "due_on": due, "status": "open", "version_id": "1"}
    assert post(worker, url, {**data, "title": "Prvi shranil"}).status_code == 302
    response = post(lawyer, url, {**data, "title": "Drugi je tipkal to"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone else saved this record in the meantime" in html
    assert 'value="Drugi je tipkal to"' in html  # the input is kept
    assert "Prvi shranil" in html  # what is saved now, to compare
    with app.app_context():
        assert db.session.get(PlanStep, step_id).title == "Prvi shranil"
    # The form now carries the saved version: saving again, knowingly, goes through.
    version = re.search(r'name="version_id" type="hidden" value="(\d+)"', html).group(1)
    assert version == "2"
    assert post(lawyer, url, {**data, "title": "Drugi je tipkal to", "version_id": version}).status_code == 302
    with app.app_context():
        assert db.session.get(PlanStep, step_id).title == "Drugi je tipkal to"


def test_stale_goal_edit_is_refused(app, worker, case):
    with app.app_context():
        goal = add_goal()
        goal.title = "Spremenjeno drugje"
        db.session.commit()
        goal_id = goal.id
    url = f"/cases/{NUMBER}/plan/goals/{goal_id}/edit"
    response = post(worker, url, {"title": "Moje besedilo", "status": "achieved", "version_id": "1"})
    html = response.get_data(as_text=True)
    assert "Someone else saved this record" in html and 'value="Moje besedilo"' in html
    with app.app_context():
        assert db.session.get(PlanGoal, goal_id).title == "Spremenjeno drugje"


def test_viewing_the_plan_writes_an_access_log_row(app, worker, case):
    assert worker.get(f"/cases/{NUMBER}/plan").status_code == 200
    rows = accesses(app, AccessAction.VIEW)
    assert [(r.case_id, r.what, r.role) for r in rows] == [(case, "plan", "social_worker")]
    assert worker.get("/cases/1999-0001/plan").status_code == 404


def test_goal_of_another_case_is_not_found(app, worker, case):
    with app.app_context():
        make_case(number="2026-0043", first_name="Bojan")
        other_goal = add_goal(number="2026-0043").id
    assert worker.get(f"/cases/{NUMBER}/plan/goals/{other_goal}/edit").status_code == 404
    assert worker.get(f"/cases/{NUMBER}/plan/goals/{other_goal}/steps/new").status_code == 404


def test_reviews_planned_and_held(app, worker, case):
    with app.app_context():
        opened_on = db.session.get(Case, case).opened_on
    url = f"/cases/{NUMBER}/plan/reviews/new"
    response = post(worker, url, {"review_on": (opened_on - timedelta(days=2)).isoformat()})
    assert "The date cannot be before the case was opened" in response.get_data(as_text=True)
    response = post(worker, url, {"review_on": "not a date"})
    assert "Enter a date, e.g. 31. 12. 2026." in response.get_data(as_text=True)
    assert post(worker, url, {"review_on": today().strftime("%d. %m. %Y")}).status_code == 302
    with app.app_context():
        review = db.session.scalar(sa.select(PlanReview))
        assert review.review_on == today() and review.held_on is None
    held_url = f"/cases/{NUMBER}/plan/reviews/{review.id}/held"
    future = (today() + timedelta(days=1)).isoformat()
    assert "cannot be held in the future" in post(worker, held_url, {"held_on": future}).get_data(as_text=True)
    assert post(worker, held_url, {"held_on": today().isoformat(), "note": "Dogovor: nov rok."}).status_code == 302
    with app.app_context():
        review = db.session.get(PlanReview, review.id)
        assert review.held_on == today() and review.note == "Dogovor: nov rok."
        fields = {c.field for c in db.session.scalars(sa.select(PlanChange).where(PlanChange.action == "update"))}
        assert fields == {"held_on", "note"}


def test_closed_case_refuses_plan_changes(app, worker):
    with app.app_context():
        make_case(status=CaseStatus.CLOSED)
    response = post(worker, f"/cases/{NUMBER}/plan/goals/new", {"title": "Nov cilj"})
    assert "This case is closed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PlanGoal.id))) == 0


def test_draft_kept_after_session_expiry_is_offered_back_and_dropped_on_save(app, worker, case):
    from cases import drafts

    url = f"/cases/{NUMBER}/plan/goals/new"
    with app.app_context():
        drafts.keep(user_named("maja").id, url, {"title": ["Besedilo iz dolgega pogovora"]})
    html = worker.get(url).get_data(as_text=True)
    assert "You have an unsaved draft" in html and 'value="Besedilo iz dolgega pogovora"' not in html
    html = worker.get(url + "?draft=restore").get_data(as_text=True)
    assert 'value="Besedilo iz dolgega pogovora"' in html
    assert post(worker, url, {"title": "Besedilo iz dolgega pogovora"}).status_code == 302
    with app.app_context():
        assert drafts.find(user_named("maja").id, url) is None


def test_print_asks_for_a_purpose_then_prints_the_persons_copy(app, worker, case):
    from cases.models import TimelineEntry
    from welfare.models import User

    with app.app_context():
        goal = add_goal("Urediti dolgove")
        maja = db.session.scalar(sa.select(User).where(User.username == "maja"))
        maja.full_name = "Maja Novak"
        add_step(goal, "Prinesti položnice", owner=StepOwner.PERSON, due_on=today() + timedelta(days=4))
        add_step(goal, "Dogovor z upnikom", owner=StepOwner.STAFF, owner_user_id=maja.id)
        add_step(goal, "PREKLICAN-KORAK", status=StepStatus.CANCELLED)
        db.session.add(PlanGoal(case_id=case, title="OPUSCEN-CILJ", status=GoalStatus.DROPPED))
        db.session.add(PlanReview(case_id=case, review_on=today() + timedelta(days=14), note="NOTRANJA-OPOMBA"))
        db.session.add(PlanReview(case_id=case, review_on=today() - timedelta(days=7), held_on=today(), note="x"))
        db.session.add(TimelineEntry(case_id=case, text="ZAUPNO-ZAPIS"))
        db.session.commit()
    url = f"/cases/{NUMBER}/plan/print"
    form = worker.get(url).get_data(as_text=True)
    assert '<option selected value="for_person">A copy for the person</option>' in form
    assert accesses(app, AccessAction.PRINT) == []
    response = post(worker, url, {"purpose": "for_person"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Your individual plan" in html and "Ana Testna" in html
    assert "Prinesti položnice" in html and "You" in html
    assert "Dogovor z upnikom" in html and "Maja Novak (Pisarna lokalne blaginje)" in html
    assert "Seidlova cesta 1, 8000 Novo mesto" in html and "07 39 39 244" in html
    assert "Mestna občina Novo mesto" in html
    assert "css/plans.css" in html and "style=" not in html
    for secret in ("NOTRANJA-OPOMBA", "ZAUPNO-ZAPIS", "PREKLICAN-KORAK", "OPUSCEN-CILJ"):
        assert secret not in html
    rows = accesses(app, AccessAction.PRINT)
    assert [(r.case_id, r.what, r.purpose) for r in rows] == [(case, "plan", "for_person")]


def test_print_refuses_an_unknown_purpose(app, worker, case):
    response = post(worker, f"/cases/{NUMBER}/plan/print", {"purpose": "curiosity"})
    assert response.status_code == 200 and "Choose one of the options." in response.get_data(as_text=True)
    assert accesses(app, AccessAction.PRINT) == []


def test_print_stylesheet_is_a4(app):
    from pathlib import Path

    css = (Path(app.static_folder) / "css" / "plans.css").read_text()
    assert "@media print" in css and "size: A4" in css


def test_printed_plan_in_slovenian(app, worker, case):
    with app.app_context():
        add_step(add_goal("Urediti dolgove"), "Prinesti položnice", owner=StepOwner.PERSON, due_on=date(2026, 12, 28))
    token = csrf_token(worker, f"/cases/{NUMBER}/plan")
    worker.post("/language", data={"csrf_token": token, "lang": "sl", "next": "/"})
    form = worker.get(f"/cases/{NUMBER}/plan/print").get_data(as_text=True)
    assert "Izvod za osebo" in form and "Zakaj tiskate načrt?" in form
    html = post(worker, f"/cases/{NUMBER}/plan/print", {"purpose": "for_file"}).get_data(as_text=True)
    assert '<html lang="sl">' in html and "Vaš individualni načrt" in html
    assert "<td>Vi</td>" in html and "28. december 2026" in html
    assert "Kje smo dosegljivi" in html and "Telefon: 07 39 39 244" in html
    plan = worker.get(f"/cases/{NUMBER}/plan").get_data(as_text=True)
    assert "Individualni načrt" in plan and "Za narediti" in plan and "Oseba" in plan


def test_step_typed_during_a_long_conversation_survives_the_idle_timeout(app, worker, case):
    from tests.conftest import login
    from welfare.database import utcnow
    from welfare.models import UserSession

    with app.app_context():
        goal_id = add_goal().id
    url = f"/cases/{NUMBER}/plan/goals/{goal_id}/steps/new"
    token = csrf_token(worker, url)
    with app.app_context():  # 40 minutes of talking: the 30-minute idle timeout has passed
        for row in db.session.scalars(sa.select(UserSession)):
            row.last_seen_at = utcnow() - timedelta(minutes=40)
        db.session.commit()
    typed = {"csrf_token": token, "title": "Dolg zapis iz pogovora", "owner": "person", "due_on": ""}
    response = worker.post(url, data=typed)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(PlanStep.id))) == 0
    assert login(worker, "maja").status_code == 302
    assert "You have an unsaved draft" in worker.get(url).get_data(as_text=True)
    html = worker.get(url + "?draft=restore").get_data(as_text=True)
    assert 'value="Dolg zapis iz pogovora"' in html
    assert post(worker, url, {"title": "Dolg zapis iz pogovora", "owner": "person"}).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(PlanStep.title)) == "Dolg zapis iz pogovora"
    assert 'value="Dolg zapis iz pogovora"' not in worker.get(url).get_data(as_text=True)  # the draft is gone


def test_simultaneous_saves_of_a_step_raise_a_conflict_not_an_overwrite(app, login_as, case):
    """Both saves passed the version check; the database refuses the second (StaleDataError)."""
    from cases.plans import services
    from welfare.errors import Conflict

    login_as("lawyer", "luka")
    with app.app_context():
        step = add_step(add_goal(), "Izvirno")
        step.title  # noqa: B018 (load the row as the second user's form saw it)
        db.session.expunge(step)
        db.session.commit()
        with db.engine.begin() as conn:  # the first user's save lands meanwhile
            conn.execute(sa.update(PlanStep).where(PlanStep.id == step.id).values(title="Prvi", version_id=2))
        step = db.session.merge(step, load=False)
        case_row = db.session.get(Case, case)
        data = services.StepData(title="Drugi", owner="person", due_on=step.due_on)
        with pytest.raises(Conflict):
            services.update_step(case_row, step, data, user_named("luka"), version=1)
        db.session.rollback()
        assert db.session.get(PlanStep, step.id).title == "Prvi"
        assert db.session.scalar(sa.select(sa.func.count(PlanChange.id))) == 0
