"""Hostile input in every POST form of the case module and referrals (and the organization's
link): never a 5xx, never the marker script unescaped, never a half-written record.

Each form is read back from its page as a browser would submit it (tests/proof_helpers.py);
hypothesis then replaces one field, or every field, with long strings, control characters, NUL,
wrong types, markup, SQL, huge numbers, far dates, or invalid UTF-8 bytes. A refused post must
leave every case table exactly as it was; an accepted one must show the text escaped. GET query
parameters of every route are walked by test_hostile_walk.py.
"""

import pytest

from tests.fuzz_helpers import MARKER, fuzz_form, table_counts
from tests.ref_helpers import create_referral, link_from_outbox, referral_setup, send_referral
from welfare.extensions import db, limiter

CASE_TABLES = (
    "person",
    "case_file",
    "case_challenge",
    "case_timeline_entry",
    "case_consent",
    "plan_goal",
    "plan_step",
    "case_deadline",
    "referral",
    "referral_event",
    "unmet_need",
)


@pytest.fixture
def world(app, login_as):
    """A case with a plan step, a draft and a sent referral; a social worker's client; the link."""
    from tests.plan_factories import add_goal, add_step

    staff = login_as("social_worker")
    setup = referral_setup(app)
    with app.app_context():
        from catalog.models import Organization
        from tests.factories import make_service

        goal = add_goal(number=setup["number"])
        step = add_step(goal)
        org = db.session.get(Organization, setup["org_id"])
        other = make_service(org, name="Svetovanje v stiski")
        fresh = make_service(org, name="Pomoč pri hrani")  # not referred yet: its form is offered
        db.session.commit()
        ids = {"goal": goal.id, "step": step.id, "other_service": other.id, "fresh_service": fresh.id}
    sent = create_referral(staff, setup)
    draft = create_referral(staff, {**setup, "service_id": ids["other_service"]}, note="Druga napotitev.")
    assert send_referral(staff, setup, sent).status_code == 302
    limiter.enabled = False  # limits would answer 429 long before the hostile value got in
    yield {**setup, **ids, "staff": staff, "draft": draft, "sent": sent, "link": link_from_outbox(app, sent)}
    limiter.enabled = True


def _forms(w) -> dict[str, tuple[str, str]]:
    """name -> (page that shows the form, path it posts to)."""
    case = f"/cases/{w['number']}"
    return {
        "intake": ("/cases/new", "/cases/new"),
        "contact": ("/cases/contacts/new", "/cases/contacts/new"),
        "edit_case": (f"{case}/edit", f"{case}/edit"),
        "challenge": (f"{case}/challenges/new", f"{case}/challenges/new"),
        "timeline": (f"{case}/timeline/new", f"{case}/timeline/new"),
        "consent": (f"{case}/consents/new", f"{case}/consents/new"),
        "goal": (f"{case}/plan/goals/new", f"{case}/plan/goals/new"),
        "step": (f"{case}/plan/goals/{w['goal']}/steps/new", f"{case}/plan/goals/{w['goal']}/steps/new"),
        "edit_step": (f"{case}/plan/steps/{w['step']}/edit", f"{case}/plan/steps/{w['step']}/edit"),
        "deadline": (f"{case}/deadlines/new", f"{case}/deadlines/new"),
        "need": (f"{case}/needs/new", f"{case}/needs/new"),
        "referral_search": (f"{case}/referrals/new", f"{case}/referrals/search"),
        "referral": (f"{case}/referrals/new?service={w['fresh_service']}", f"{case}/referrals/new"),
        "send": (f"{case}/referrals/{w['draft']}", f"{case}/referrals/{w['draft']}/send"),
        "status": (f"{case}/referrals/{w['sent']}", f"{case}/referrals/{w['sent']}/status"),
        "org_answer": (w["link"], w["link"]),
    }


@pytest.mark.parametrize(
    "form_name", list(_forms({k: 0 for k in ("number", "goal", "step", "fresh_service", "draft", "sent", "link")}))
)
def test_hostile_input_in_every_form(app, world, form_name):
    page_path, target = _forms(world)[form_name]
    client = world["staff"] if form_name != "org_answer" else app.test_client()
    fuzz_form(app, client, form_name, page_path, target, lambda: table_counts(app, CASE_TABLES, 9))
    # Whatever got in is shown escaped wherever the case shows it.
    for path in (f"/cases/{world['number']}", f"/cases/{world['number']}/plan", f"/cases/{world['number']}/referrals"):
        shown = world["staff"].get(path)
        assert shown.status_code == 200 and MARKER not in shown.get_data(as_text=True), path
