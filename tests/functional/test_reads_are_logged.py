"""Every read of personal data logs itself (issue 21): the test walks the URL map and fails on a
GET page that shows a person or a case without writing an access-log row."""

import re

import pytest
import sqlalchemy as sa

from cases.access_log import CaseAccess
from cases.models import Case, Consent
from cases.plans.models import PlanGoal, PlanReview, PlanStep
from cases.referrals.models import Referral
from tests.conftest import csrf_token
from tests.document_helpers import PDF, document_ids, upload
from tests.intake_factories import make_person
from tests.plan_factories import add_goal, add_step, user_named
from tests.ref_helpers import create_referral, referral_setup
from welfare.extensions import db

# What the world's pages must not show unlogged: the person's name, a challenge description,
# the consent's scope, a step's title.
SHOWN = ("Horvat", "Neplačani računi", "Podatki o dolgovih", "Poklicati upnika")
# Pages of the finding that wrote no row.
FINDING = [
    "/cases/{number}/challenges/{challenge_id}/edit",
    "/cases/{number}/referrals/new?service={service_id}",
    "/cases/new?person={person_id}",
    "/cases/{number}/edit",
    "/cases/{number}/close",
    "/cases/{number}/consents/new",
    "/calendar/{token}.ics",
    # Issue 21, persons: the edit page, its history, the merge pages.
    "/cases/persons/{person_id}/edit",
    "/cases/persons/{person_id}/history",
    "/cases/persons/{person_id}/merge",
    "/cases/persons/{person_id}/merge/{other_id}",
]
# The documents' pages (issue 22): the upload form and the delete page show the person's name,
# the download shows the file itself (checked by its bytes, not by a name).
DOCUMENT_PAGES = [
    "/cases/{number}/documents/new",
    "/cases/{number}/documents/{document_id}/delete",
]


@pytest.fixture
def world(app, login_as):
    worker = login_as("social_worker", "maja")
    setup = referral_setup(app)
    referral_id = create_referral(worker, setup)
    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.number == setup["number"]))
        case.assignees = [user_named("maja")]
        db.session.commit()
        goal = add_goal(number=setup["number"])
        step = add_step(goal)
        db.session.add(PlanReview(case_id=case.id, review_on=step.due_on))
        db.session.commit()
        ids = {
            "number": setup["number"],
            "service_id": setup["service_id"],
            "person_id": case.person_id,
            "challenge_id": setup["challenge_id"],
            "consent_id": db.session.scalar(sa.select(Consent.id)),
            "goal_id": db.session.scalar(sa.select(PlanGoal.id)),
            "step_id": db.session.scalar(sa.select(PlanStep.id)),
            "review_id": db.session.scalar(sa.select(PlanReview.id)),
            "referral_id": referral_id,
            # Another person: the merge comparison shows both records.
            "other_id": make_person("Ana", "Kranjc", 1990).id,
        }
        db.session.commit()
    ids["document_id"] = _document(worker, setup["number"])
    token = csrf_token(worker, "/cases/calendar")
    html = worker.post("/cases/calendar/renew", data={"csrf_token": token}).get_data(as_text=True)
    ids["token"] = re.search(r"/calendar/([^\"/]+)\.ics", html).group(1)
    return worker, ids


def _document(worker, number: str) -> int:
    response = upload(worker, number, PDF, title="Odločba Horvat", filename="odlocba.pdf")
    assert response.status_code == 302
    html = worker.get(f"/cases/{number}").get_data(as_text=True)
    return document_ids(html, number)[0]


def _rows(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(CaseAccess))


def _urls(app, ids) -> list[str]:
    urls = [url.format(**ids) for url in FINDING]
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.rule.startswith(("/cases", "/calendar", "/admin/erasure")):
            continue
        args = {name: ids.get(name) for name in rule.arguments}
        if None in args.values():
            continue
        url = rule.rule
        for name, value in args.items():
            url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url)
        urls.append(url)
    return urls


def test_every_page_that_shows_personal_data_writes_an_access_row(app, world):
    worker, ids = world
    checked, unlogged = [], []
    for url in _urls(app, ids):
        client = app.test_client() if url.startswith("/calendar/") else worker
        before = _rows(app)
        response = client.get(url)
        body = response.get_data(as_text=True)
        if response.status_code != 200 or not any(text in body for text in SHOWN + ("%PDF-",)):
            continue
        checked.append(url)
        if _rows(app) == before:
            unlogged.append(url)
    assert not unlogged, f"pages that show personal data without an access-log row: {unlogged}"
    assert {url.format(**ids) for url in FINDING} <= set(checked), checked
    download = "/cases/{number}/documents/{document_id}".format(**ids)
    assert {url.format(**ids) for url in DOCUMENT_PAGES} | {download} <= set(checked), checked
    assert len(checked) >= 20


def test_the_person_search_logs_what_was_found_not_what_was_typed(app, world):
    worker, ids = world
    token = csrf_token(worker, "/cases/persons")
    html = worker.post("/cases/persons", data={"csrf_token": token, "q": "Marija Horvat"}).get_data(as_text=True)
    assert "Horvat Marija" in html
    with app.app_context():
        rows = db.session.scalars(sa.select(CaseAccess).where(CaseAccess.what == "person_search")).all()
    summary = [r for r in rows if r.person_id is None]
    assert len(summary) == 1 and summary[0].detail.startswith("n=1 q=")
    assert "horvat" not in summary[0].detail.lower()
    assert [r.person_id for r in rows if r.person_id] == [ids["person_id"]]
    # The same search again gets the same tag: repeats show, the name never does.
    token = csrf_token(worker, "/cases/persons")
    worker.post("/cases/persons", data={"csrf_token": token, "q": "marija   HORVAT"})
    with app.app_context():
        details = db.session.scalars(
            sa.select(CaseAccess.detail).where(CaseAccess.what == "person_search", CaseAccess.person_id.is_(None))
        ).all()
    assert len(details) == 2 and details[0] == details[1]


def test_a_referral_read_is_one_row_not_two(app, world):
    worker, ids = world
    before = _rows(app)
    assert worker.get(f"/cases/{ids['number']}/referrals/{ids['referral_id']}").status_code == 200
    assert _rows(app) == before + 1
    with app.app_context():
        assert db.session.get(Referral, ids["referral_id"]) is not None


def test_every_partner_page_that_shows_a_referral_writes_an_access_row(app, world):
    """The partner pages (issue 25) walked the same way: each GET under /partner that shows the
    referral's note or the person's initials wrote a row."""
    from tests.partner_helpers import partner_client
    from tests.ref_helpers import send_referral

    worker, ids = world
    assert send_referral(worker, {"number": ids["number"]}, ids["referral_id"]).status_code == 302
    with app.app_context():
        org_id = db.session.get(Referral, ids["referral_id"]).organization_id
    partner = partner_client(app, org_id)
    checked, unlogged = [], []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not rule.rule.startswith("/partner"):
            continue
        url = rule.rule.replace("<int:referral_id>", str(ids["referral_id"]))
        before = _rows(app)
        response = partner.get(url)
        if not response.mimetype.startswith("text/"):  # a spreadsheet (the statement) shows no person
            continue
        body = response.get_data(as_text=True)
        if response.status_code != 200 or not ("Prosimo za pogovor" in body or "M. H." in body):
            continue
        checked.append(url)
        if _rows(app) == before:
            unlogged.append(url)
    assert not unlogged
    assert {"/partner/", f"/partner/referrals/{ids['referral_id']}"} <= set(checked), checked
