"""Hostile input in every POST form of the case module and referrals (and the organization's
link): never a 5xx, never the marker script unescaped, never a half-written record.

Each form is read back from its page as a browser would submit it (tests/proof_helpers.py);
hypothesis then replaces one field, or every field, with long strings, control characters, NUL,
wrong types, markup, SQL, huge numbers, far dates, or invalid UTF-8 bytes. A refused post must
leave every case table exactly as it was; an accepted one must show the text escaped. GET query
parameters of every route are walked by test_hostile_walk.py.
"""

import urllib.parse

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.proof_helpers import read_form
from tests.ref_helpers import create_referral, link_from_outbox, referral_setup, send_referral
from welfare.extensions import db, limiter

MARKER = "<script>x</script>"
PAYLOADS = [
    MARKER,
    f'"><{MARKER[1:]}',
    "' OR '1'='1'; DROP TABLE case_file; --",
    "x" * 6000,
    "\x00",
    "\x01\x02\x1b[31m\x7f",
    "\u202e\u200b\ufeff",
    "99999999999999999999999999",
    "-1",
    "1e309",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "31.02.2026",
    "2026-13-45T25:61",
    "",
    "   ",
    "šđčćž ŠĐČĆŽ 🙂",
]
hostile = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=200), st.integers().map(str))
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
FUZZ = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
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
        "referral": (f"{case}/referrals/new?service={w['fresh_service']}", f"{case}/referrals/new"),
        "send": (f"{case}/referrals/{w['draft']}", f"{case}/referrals/{w['draft']}/send"),
        "status": (f"{case}/referrals/{w['sent']}", f"{case}/referrals/{w['sent']}/status"),
        "org_answer": (w["link"], w["link"]),
    }


def _counts(app) -> dict[str, int]:
    with app.app_context():
        inspector = sa.inspect(db.engine)
        tables = [t for t in CASE_TABLES if inspector.has_table(t)]
        assert len(tables) >= 9, tables  # the names above are the real ones
        return {t: db.session.scalar(sa.text(f'SELECT COUNT(*) FROM "{t}"')) for t in tables}


def _encode(fields: dict[str, list[str]], raw_field: str | None) -> bytes:
    """The form body; `raw_field` gets bytes that are not UTF-8 at all."""
    body = urllib.parse.urlencode(fields, doseq=True)
    if raw_field:
        body += f"&{urllib.parse.quote(raw_field)}=%FF%FE%C0%AF%ED%A0%80"
    return body.encode()


@pytest.mark.parametrize(
    "form_name", list(_forms({k: 0 for k in ("number", "goal", "step", "fresh_service", "draft", "sent", "link")}))
)
def test_hostile_input_in_every_form(app, world, form_name):
    page_path, target = _forms(world)[form_name]
    client = world["staff"] if form_name != "org_answer" else app.test_client()
    page = client.get(page_path)
    assert page.status_code == 200, (page_path, page.status_code)
    fields = read_form(page.get_data(as_text=True), target, page_path.split("?")[0])
    names = sorted(n for n in fields if n != "csrf_token")
    assert names, f"{form_name}: no fields found"

    @FUZZ
    @given(
        which=st.sampled_from([*names, "*every field*"]),
        value=hostile,
        raw_bytes=st.booleans(),
    )
    def post_hostile(which, value, raw_bytes):
        data = {k: list(v) for k, v in fields.items()}
        for name in names if which == "*every field*" else [which]:
            data[name] = [value]
        before = _counts(app)
        response = client.post(
            target + ("?" + page_path.split("?")[1] if "?" in page_path else ""),
            data=_encode(data, which if raw_bytes else None),
            content_type="application/x-www-form-urlencoded",
        )
        html = response.get_data(as_text=True)
        assert response.status_code < 500, (form_name, which, value[:80], response.status_code)
        assert MARKER not in html, (form_name, which)
        # Accepted is a redirect, or (sending without an e-mail address) a page that shows the
        # one-time link once with a success message; anything else is a refusal.
        accepted = response.status_code == 302 or 'class="flash flash-success"' in html
        if not accepted:
            assert _counts(app) == before, f"{form_name}: refused ({response.status_code}) but rows changed"
        elif response.status_code == 302:
            follow = client.get(response.headers["Location"])
            assert follow.status_code < 500 and MARKER not in follow.get_data(as_text=True)

    post_hostile()
    # Whatever got in is shown escaped wherever the case shows it.
    for path in (f"/cases/{world['number']}", f"/cases/{world['number']}/plan", f"/cases/{world['number']}/referrals"):
        shown = world["staff"].get(path)
        assert shown.status_code == 200 and MARKER not in shown.get_data(as_text=True), path
