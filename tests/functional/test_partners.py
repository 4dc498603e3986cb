"""Organizations as partners (issue 25): a partner account sees its own organization's referrals
and nothing else, answers them exactly as through the link, and the invitation is audited."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from cases.access_log import CaseAccess
from cases.history.sources import referral_events
from cases.models import Case
from cases.referrals.models import ReferralLink, ReferralStatus
from tests.conftest import csrf_token
from tests.intake_factories import make_case, make_consent
from tests.partner_helpers import inbox_answer, partner_client, user_id_of
from tests.ref_helpers import create_referral, link_from_outbox, referral_setup, referral_state, send_referral
from welfare import clock
from welfare.extensions import db
from welfare.mail import OutgoingMail
from welfare.models import AuditEvent, Role, User

SECOND = "2026-0078"


@pytest.fixture
def staff(login_as):
    return login_as("organizer")


@pytest.fixture
def sent(app, staff):
    """A referral sent to the organization (with its e-mailed link), and a partner of it."""
    setup = referral_setup(app)
    referral_id = create_referral(staff, setup, note="Prosimo za pogovor ta teden.")
    assert send_referral(staff, setup, referral_id).status_code == 302
    partner = partner_client(app, setup["org_id"])
    return {**setup, "referral_id": referral_id, "link": link_from_outbox(app, referral_id), "partner": partner}


def _second_referral(app, staff, setup) -> int:
    """Another case, consented to the same organization, referred to the same service and sent."""
    with app.app_context():
        case = make_case(number=SECOND)
        make_consent(case, organization_id=setup["org_id"])
        db.session.commit()
        challenge_id = case.challenges[0].id
    second = {**setup, "number": SECOND, "challenge_id": challenge_id}
    referral_id = create_referral(staff, second)
    assert send_referral(staff, second, referral_id).status_code == 302
    return referral_id


def _post_link(client, link, referral_id, **data):
    from tests.ref_helpers import csrf_of

    html = client.get(link).get_data(as_text=True)
    form = {
        "csrf_token": csrf_of(html),
        "referral_id": str(referral_id),
        "decline_reason": "",
        "outcome": "",
        "note": "",
    }
    return client.post(link, data={**form, **data})


def test_the_inbox_shows_the_organizations_referrals_as_the_link_page_does(app, sent):
    html = sent["partner"].get("/partner/").get_data(as_text=True)
    assert "Dolžniško svetovanje" in html and "M. H." in html and "Horvat" not in html
    page = sent["partner"].get(f"/partner/referrals/{sent['referral_id']}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Prosimo za pogovor ta teden." in body and "M. H." in body
    assert "Horvat" not in body and "Marija" not in body  # initials only, as the consent allows
    link_page = app.test_client().get(sent["link"]).get_data(as_text=True)
    for shown in ("Prosimo za pogovor ta teden.", "M. H.", "Dolžniško svetovanje", "We accept the referral"):
        assert shown in link_page and shown in body


def test_a_partner_of_another_organization_gets_404_for_the_referral_by_id(app, sent):
    other = referral_setup(app, number="2026-0079")  # another organization with its own case
    stranger = partner_client(app, other["org_id"], username="partner-bojan")
    assert stranger.get(f"/partner/referrals/{sent['referral_id']}").status_code == 404
    token = csrf_token(stranger, "/partner/")
    response = stranger.post(
        f"/partner/referrals/{sent['referral_id']}",
        data={"csrf_token": token, "referral_id": str(sent["referral_id"]), "version_id": "2", "action": "accepted"},
    )
    assert response.status_code == 404
    assert "Dolžniško svetovanje" not in stranger.get("/partner/").get_data(as_text=True)
    assert referral_state(app, sent["referral_id"]).status == ReferralStatus.SENT
    assert stranger.get("/partner/referrals/999999").status_code == 404


def test_a_partner_reaches_nothing_of_the_office(app, sent):
    partner = sent["partner"]
    for url in (
        f"/cases/{sent['number']}",
        "/cases/",
        "/trends/",
        "/staff/catalog/",
        "/admin/users",
        "/admin/partners/",
    ):
        assert partner.get(url).status_code == 403, url
    token = csrf_token(partner, "/partner/")
    assert partner.post("/cases/persons", data={"csrf_token": token, "q": "Horvat"}).status_code == 403


def test_a_partner_without_an_organization_and_staff_get_403_on_the_partner_pages(app, login_as):
    assert login_as(Role.PARTNER, "orphan").get("/partner/").status_code == 403
    assert login_as(Role.SOCIAL_WORKER).get("/partner/").status_code == 403
    assert login_as(Role.ADMIN).get("/partner/services").status_code == 403


def test_every_partner_read_of_a_referral_is_logged(app, sent):
    partner_id = user_id_of(app, "partner-ana")
    with app.app_context():
        case_id = db.session.scalar(sa.select(Case.id).where(Case.number == sent["number"]))
    for url in ("/partner/", f"/partner/referrals/{sent['referral_id']}"):
        with app.app_context():
            before = db.session.scalar(sa.select(sa.func.count()).select_from(CaseAccess))
        assert sent["partner"].get(url).status_code == 200
        with app.app_context():
            rows = db.session.scalars(sa.select(CaseAccess).order_by(CaseAccess.id)).all()[before:]
        assert [(r.user_id, r.role, r.case_id, r.what) for r in rows] == [
            (partner_id, "partner", case_id, "partner_referral")
        ], url


def _referral_history(app, number):
    with app.test_request_context():
        case = db.session.scalar(sa.select(Case).where(Case.number == number))
        return [(e.title, e.who, e.detail) for e in referral_events(case, 50)]


def test_an_answer_in_the_inbox_is_the_same_as_one_through_the_link(app, staff, sent):
    second = _second_referral(app, staff, sent)
    when = (clock.office_now() + timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    answer = {"action": "accepted", "appointment_at": when.strftime("%Y-%m-%dT%H:%M"), "appointment_note": "Soba 3."}
    assert _post_link(app.test_client(), sent["link"], sent["referral_id"], **answer).status_code == 200
    second_link = link_from_outbox(app, second)
    assert inbox_answer(sent["partner"], second, **answer).status_code == 302
    by_link, by_inbox = referral_state(app, sent["referral_id"]), referral_state(app, second)
    assert by_link.status == by_inbox.status == ReferralStatus.ACCEPTED
    assert by_link.appointment_at == by_inbox.appointment_at and by_inbox.appointment_note == "Soba 3."
    link_history, inbox_history = _referral_history(app, sent["number"]), _referral_history(app, SECOND)
    assert [(t, d) for t, _w, d in link_history] == [(t, d) for t, _w, d in inbox_history]
    assert link_history[0][1] == "Društvo za pomoč"
    assert inbox_history[0][1] == "Društvo za pomoč (Ana Partner)"
    # The referral's own page and Moje delo say the same as for a link answer.
    detail = staff.get(f"/cases/{SECOND}/referrals/{second}").get_data(as_text=True)
    assert "the organization (Ana Partner)" in detail
    # The link in the e-mail of the referral answered in the inbox opens nothing now.
    assert app.test_client().get(second_link).status_code == 410


def test_the_link_answering_first_makes_the_inbox_page_stale(app, sent):
    page = sent["partner"].get(f"/partner/referrals/{sent['referral_id']}").get_data(as_text=True)
    assert (
        _post_link(
            app.test_client(), sent["link"], sent["referral_id"], action="declined", decline_reason="not_eligible"
        ).status_code
        == 200
    )
    response = inbox_answer(sent["partner"], sent["referral_id"], page=page, action="accepted", note="Pridite.")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "answered or changed in the meantime" in body
    state = referral_state(app, sent["referral_id"])
    assert state.status == ReferralStatus.DECLINED and state.closing_note == ""


def test_a_double_submit_in_the_inbox_answers_once(app, sent):
    page = sent["partner"].get(f"/partner/referrals/{sent['referral_id']}").get_data(as_text=True)
    first = inbox_answer(
        sent["partner"],
        sent["referral_id"],
        page=page,
        action="declined",
        decline_reason="other",
        note="Ni prostora za to skupino.",
    )
    assert first.status_code == 302
    again = inbox_answer(
        sent["partner"],
        sent["referral_id"],
        page=page,
        action="declined",
        decline_reason="other",
        note="Ni prostora za to skupino.",
    )
    assert again.status_code == 200 and "answered or changed in the meantime" in again.get_data(as_text=True)
    with app.app_context():
        from cases.referrals.models import ReferralEvent

        declines = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(ReferralEvent)
            .where(ReferralEvent.referral_id == sent["referral_id"], ReferralEvent.to_status == "declined")
        )
    assert declines == 1
    # The e-mailed link was spent by the inbox answer.
    assert app.test_client().get(sent["link"]).status_code == 410


def test_a_decline_without_a_reason_keeps_what_was_typed(app, sent):
    response = inbox_answer(sent["partner"], sent["referral_id"], action="declined", note="Besedilo ostane.")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "Choose the reason for the decline." in body and "Besedilo ostane." in body
    assert referral_state(app, sent["referral_id"]).status == ReferralStatus.SENT


def test_the_partner_reports_the_outcome_in_the_inbox(app, sent):
    assert inbox_answer(sent["partner"], sent["referral_id"], action="accepted").status_code == 302
    with app.app_context():  # accepted in the inbox: no new outcome link is mailed
        links = db.session.scalars(sa.select(ReferralLink).where(ReferralLink.referral_id == sent["referral_id"])).all()
    assert all(link.used_at is not None for link in links)
    page = sent["partner"].get(f"/partner/referrals/{sent['referral_id']}").get_data(as_text=True)
    assert "The work is finished" in page
    done = inbox_answer(sent["partner"], sent["referral_id"], action="completed", outcome="helped")
    assert done.status_code == 302
    assert referral_state(app, sent["referral_id"]).status == ReferralStatus.COMPLETED
    closed = sent["partner"].get(f"/partner/referrals/{sent['referral_id']}").get_data(as_text=True)
    assert "M. H." not in closed and "Send the answer" not in closed  # closed: no person, no form


def test_the_admin_invites_a_partner_with_an_enrollment_link_and_it_is_audited(app, login_as):
    setup = referral_setup(app)
    admin = login_as(Role.ADMIN)
    token = csrf_token(admin, "/admin/partners/new")
    missing = admin.post(
        "/admin/partners/new", data={"csrf_token": token, "username": "p.ana", "email": "ana@drustvo.si"}
    )
    assert missing.status_code == 200 and "Please correct the marked fields." in missing.get_data(as_text=True)
    response = admin.post(
        "/admin/partners/new",
        data={
            "csrf_token": token,
            "organization_id": setup["org_id"],
            "username": "p.ana",
            "full_name": "Ana Partner",
            "email": "ana@drustvo.si",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "p.ana"))
        assert user.role == Role.PARTNER and user.partner_organization_id == setup["org_id"]
        assert user.password_hash == "" and user.role_granted
        created = db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "user_created", AuditEvent.object_id == str(user.id))
        )
        assert f"organization={setup['org_id']}" in created.detail and created.actor_name == "admin-user"
        mails = db.session.scalars(sa.select(OutgoingMail).where(OutgoingMail.about == f"user:{user.id}")).all()
    assert len(mails) == 1
    assert "p.ana" in admin.get("/admin/partners/").get_data(as_text=True)
    # The plain user form cannot make a partner without an organization.
    token = csrf_token(admin, "/admin/users/new")
    plain = admin.post(
        "/admin/users/new",
        data={
            "csrf_token": token,
            "username": "p.bojan",
            "email": "b@drustvo.si",
            "role": "partner",
            "is_enabled": "y",
        },
    )
    assert plain.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.username == "p.bojan")) is None


def test_partners_need_a_second_factor(app):
    from welfare.auth import totp

    app.config["TOTP_REQUIRED"] = True
    with app.test_request_context():
        assert totp.required_for(User(role=Role.PARTNER))
    setup = referral_setup(app)
    from tests.conftest import create_user, login

    user_id = create_user(app, Role.PARTNER, "p.cene")
    with app.app_context():
        db.session.get(User, user_id).partner_organization_id = setup["org_id"]
        db.session.commit()
    client = app.test_client()
    assert login(client, "p.cene").headers["Location"] == "/account/second-factor"
    assert client.get("/partner/").status_code == 302  # nothing opens before the second factor
