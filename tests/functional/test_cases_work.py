"""Moje delo, the office view, the calendar feed and the demo case register."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from cases.models import Case, CaseStatus, Challenge, Deadline, LegalBasis, Person, TimelineEntry, Urgency
from cases.names import name_key
from cases.plans.models import PlanGoal, PlanStep, StepOwner, StepStatus
from catalog.models import TAXONOMY_DOMAINS
from catalog.seed import load_taxonomies, term_id
from tests.conftest import csrf_token
from welfare.clock import today
from welfare.extensions import db
from welfare.models import User

FEED_URL_RE = re.compile(r'value="(http://localhost/calendar/[^"]+\.ics)"')


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


def user_id(username: str) -> int:
    return db.session.scalar(sa.select(User.id).where(User.username == username))


def make_case(number, assignees=(), status=CaseStatus.ACTIVE, first="Zala", last="Zupančič", follow_up=None):
    load_taxonomies()
    person = Person(first_name=first, last_name=last, name_key=name_key(first, last), birth_year=1980)
    case = Case(
        number=number,
        person=person,
        legal_basis=LegalBasis.SOCIAL_CARE,
        opened_on=today() - timedelta(days=60),
        status=status,
        follow_up_on=follow_up,
    )
    case.assignees = [db.session.get(User, user_id(name)) for name in assignees]
    case.challenges.append(Challenge(domain_id=term_id(TAXONOMY_DOMAINS, "dolgovi"), urgency=Urgency.HIGH))
    db.session.add(case)
    db.session.flush()
    return case


def add_step(case, title, due_in_days, status=StepStatus.OPEN, owner_user=None):
    goal = PlanGoal(case=case, title=f"Cilj {title}")
    goal.steps.append(
        PlanStep(
            title=title,
            due_on=today() + timedelta(days=due_in_days),
            status=status,
            owner=StepOwner.STAFF if owner_user else StepOwner.PERSON,
            owner_user_id=user_id(owner_user) if owner_user else None,
        )
    )
    db.session.add(goal)


def add_deadline(case, title, due_in_days, done=False):
    due = today() + timedelta(days=due_in_days)
    case.deadlines.append(
        Deadline(title=title, served_on=due - timedelta(days=15), due_on=due, done_on=today() if done else None)
    )


@pytest.fixture
def team(app, login_as):
    """Me (social worker, logged in), a colleague, and cases of both, one unassigned."""
    me = login_as("social_worker", "me")
    colleague = login_as("lawyer", "colleague")
    with app.app_context():
        mine = make_case("2026-0001", ["me"], follow_up=today() - timedelta(days=2))
        add_step(mine, "Vloga za subvencijo najemnine", -3)
        add_step(mine, "Obisk dolžniškega svetovanja", 2)
        add_step(mine, "Korak čez dva meseca", 60)
        add_step(mine, "Opravljen korak", -5, status=StepStatus.DONE)
        add_deadline(mine, "Pritožba zoper odločbo CSD", 1)
        add_deadline(mine, "Zamujeni rok", -1)
        add_deadline(mine, "Daljni rok", 30)
        add_deadline(mine, "Izpolnjen rok", 1, done=True)
        db.session.add(TimelineEntry(case=mine, text="Telefonski klic z osebo."))
        theirs = make_case("2026-0002", ["colleague"], first="Marko", last="Kovačič")
        add_step(theirs, "Korak sodelavca", 1)
        add_step(theirs, "Moj korak na tujem primeru", 1, owner_user="me")
        add_deadline(theirs, "Rok sodelavca", 2)
        closed = make_case("2026-0003", ["me"], status=CaseStatus.CLOSED)
        add_step(closed, "Korak zaprtega primera", -1)
        make_case("2026-0004", [], status=CaseStatus.OPEN)
        db.session.commit()
    return me, colleague


def test_my_work_shows_my_due_steps_deadlines_follow_ups_and_activity(team):
    me, _ = team
    html = me.get("/cases/").get_data(as_text=True)
    steps = section(html, "steps-heading")
    assert "Vloga za subvencijo najemnine" in steps and "Obisk dolžniškega svetovanja" in steps
    overdue_row = steps.split("Vloga za subvencijo najemnine")[0].rsplit("<tr>", 1)[1]
    assert "overdue" in overdue_row
    due_row = steps.split("Obisk dolžniškega svetovanja")[0].rsplit("<tr>", 1)[1]
    assert "overdue" not in due_row
    assert "Korak čez dva meseca" not in html and "Opravljen korak" not in html
    assert "Moj korak na tujem primeru" in html  # owned by me on a colleague's case
    deadlines = section(html, "deadlines-heading")
    rows = {title: deadlines.split(title)[1].split("</tr>")[0] for title in ("Pritožba zoper", "Zamujeni", "Daljni")}
    assert "Warning:" in rows["Pritožba zoper"] and "left" in rows["Pritožba zoper"]
    assert "overdue" in rows["Zamujeni"] and "Warning:" not in rows["Zamujeni"]
    assert "Warning:" not in rows["Daljni"] and "overdue" not in rows["Daljni"]
    assert "Izpolnjen rok" not in html
    assert "Telefonski klic z osebo." in html
    assert 'href="/cases/2026-0001"' in html and 'href="/cases/2026-0001/plan"' in html
    follow_ups = section(html, "follow-ups-heading")
    assert "2026-0001" in follow_ups and "overdue" in follow_ups


def test_my_work_shows_only_my_cases(team):
    me, _ = team
    html = me.get("/cases/").get_data(as_text=True)
    assert "Korak sodelavca" not in html and "Rok sodelavca" not in html
    cases_panel = section(html, "cases-heading")
    assert "2026-0001" in cases_panel
    assert "2026-0002" not in cases_panel and "2026-0003" not in cases_panel and "2026-0004" not in cases_panel
    assert "Korak zaprtega primera" not in html
    assert "High" in cases_panel  # the highest urgency of the case's challenges


def test_deadline_far_off_has_no_warning(app, login_as):
    me = login_as("lawyer", "me")
    with app.app_context():
        add_deadline(make_case("2026-0009", ["me"]), "Daljni rok", 30)
        db.session.commit()
    html = me.get("/cases/").get_data(as_text=True)
    deadlines = section(html, "deadlines-heading")
    assert "Daljni rok" in deadlines and "Warning:" not in deadlines and "overdue" not in deadlines


def test_office_view_shows_the_whole_team_and_unassigned_cases(team):
    me, _ = team
    html = me.get("/cases/office").get_data(as_text=True)
    assert "Korak sodelavca" in html and "Rok sodelavca" in html and "Vloga za subvencijo najemnine" in html
    unassigned = section(html, "unassigned-heading")
    assert "2026-0004" in unassigned and "2026-0001" not in unassigned
    assert "colleague" in section(html, "cases-heading")  # who works on each case


def test_empty_work_view_says_so(login_as):
    html = login_as("organizer").get("/cases/").get_data(as_text=True)
    assert "No plan steps are due" in html and "No legal deadlines are open." in html
    assert "There are no open cases yet." in html


def _make_feed(client) -> str:
    token = csrf_token(client, "/cases/calendar")
    html = client.post("/cases/calendar/renew", data={"csrf_token": token}).get_data(as_text=True)
    match = FEED_URL_RE.search(html)
    assert match, html
    return match.group(1).removeprefix("http://localhost")


def test_calendar_feed_is_valid_icalendar_without_names(app, team):
    me, _ = team
    assert "You have no calendar address yet." in me.get("/cases/calendar").get_data(as_text=True)
    url = _make_feed(me)
    with app.app_context():
        from cases.work.models import CalendarFeed

        stored = db.session.get(CalendarFeed, user_id("me")).token_hash
    assert url.split("/")[-1].removesuffix(".ics") not in stored  # only the hash is kept
    response = app.test_client().get(url)  # a calendar app: no login, no cookie
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    body = response.get_data(as_text=True)
    events = Calendar.from_ical(response.data).walk("VEVENT")
    summaries = [str(e["SUMMARY"]) for e in events]
    assert any("2026-0001" in s and "Vloga za subvencijo najemnine" in s for s in summaries)
    assert any("2026-0001" in s and "Pritožba zoper odločbo CSD" in s for s in summaries)
    assert any("2026-0002" in s and "Moj korak na tujem primeru" in s for s in summaries)
    assert not any("Korak sodelavca" in s or "Rok sodelavca" in s for s in summaries)
    for name in ("Zala", "Zupančič", "Marko", "Kovačič"):
        assert name not in body
    assert all(e.decoded("DTSTART") for e in events)


def test_renewing_kills_the_old_feed_url(app, team):
    me, _ = team
    old = _make_feed(me)
    assert "Make a new address" in me.get("/cases/calendar").get_data(as_text=True)
    new = _make_feed(me)
    anonymous = app.test_client()
    assert new != old
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(new).status_code == 200


def test_a_colleagues_feed_never_shows_my_cases(app, team):
    _, colleague = team
    body = app.test_client().get(_make_feed(colleague)).get_data(as_text=True)
    assert "2026-0002" in body and "Korak sodelavca" in body
    assert "2026-0001" not in body and "Vloga za subvencijo najemnine" not in body


def test_feed_of_a_disabled_user_or_a_wrong_token_is_404(app, team):
    me, _ = team
    url = _make_feed(me)
    client = app.test_client()
    assert client.get("/calendar/not-a-token.ics").status_code == 404
    assert client.get(url.replace(".ics", "x.ics")).status_code == 404
    with app.app_context():
        db.session.get(User, user_id("me")).is_enabled = False
        db.session.commit()
    assert client.get(url).status_code == 404


@pytest.mark.slow  # seeds the whole demo: the slow tier
def test_demo_seed_adds_about_300_cases_once(app, runner):
    from cases.models import AnonymousContact, Consent

    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Demo cases: 300 cases" in first.output
    with app.app_context():
        counts = [db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Case, Person, PlanStep)]
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "nothing added" in second.output
    with app.app_context():
        assert counts == [
            db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Case, Person, PlanStep)
        ]
        assert counts[0] == 300
        count = lambda *where: db.session.scalar(sa.select(sa.func.count()).where(*where))  # noqa: E731
        assert count(AnonymousContact.id.is_not(None)) == 150
        on = today()
        assert count(PlanStep.status == StepStatus.OPEN, PlanStep.due_on < on) > 5  # some overdue
        assert count(Consent.withdrawn_on.is_not(None)) > 0
        assert count(Case.status == CaseStatus.CLOSED, Case.outcome.is_not(None)) > 50
        assert count(Case.status != CaseStatus.CLOSED) > 50
        assert count(Deadline.done_on.is_(None)) > 0
        assert count(Case.opened_on < on - timedelta(days=365)) > 50  # spread over 18 months
        debt = count(Challenge.domain_id == term_id(TAXONOMY_DOMAINS, "dolgovi"))
        animals = count(Challenge.domain_id == term_id(TAXONOMY_DOMAINS, "okolje-zivali"))
        assert debt > 5 * max(animals, 1)
        for username in ("organizator", "pravnik", "socialna"):
            mine = sa.select(sa.func.count()).select_from(Case).join(Case.assignees).where(User.username == username)
            assert db.session.scalar(mine) > 10


def test_feed_is_rate_limited_per_address(app, team):
    me, _ = team
    url = _make_feed(me)
    app.config["CALENDAR_FEED_RATE_LIMIT"] = "2 per minute"
    client = app.test_client()
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_work_view_in_slovenian(app, team):
    me, _ = team
    me.post("/language", data={"csrf_token": csrf_token(me, "/cases/"), "lang": "sl", "next": "/cases/"})
    html = me.get("/cases/").get_data(as_text=True)
    assert "Zapadli in zamujeni koraki načrta" in html and "zamujeno" in html and "Opozorilo:" in html
    assert "Moji odprti primeri" in html
