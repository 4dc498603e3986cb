"""The organization's link: valid, expired, reused, tampered, wrong referral; what the page
shows and never shows; tokens never in the logs; headers."""

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa

from cases.access_log import CaseAccess
from cases.models import Person
from cases.referrals.models import ReferralEvent, ReferralLink, ReferralStatus
from tests.ref_helpers import create_referral, csrf_of, link_from_outbox, referral_setup, referral_state, send_referral
from welfare.extensions import db


@pytest.fixture
def staff(login_as):
    return login_as("organizer")


@pytest.fixture
def sent(app, staff):
    setup = referral_setup(app)
    with app.app_context():
        person = db.session.scalar(sa.select(Person))
        person.phone, person.email, person.settlement = "041 555 666", "marija@example.si", "Brezje"
        db.session.commit()
    referral_id = create_referral(staff, setup, note="Prosimo za pogovor ta teden.")
    assert send_referral(staff, setup, referral_id).status_code == 302
    return {**setup, "referral_id": referral_id, "link": link_from_outbox(app, referral_id)}


def _answer(client, link, referral_id, **data):
    page = client.get(link)
    assert page.status_code == 200, page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    form = {
        "csrf_token": csrf_of(html),
        "referral_id": str(referral_id),
        "decline_reason": "",
        "outcome": "",
        "note": "",
    }
    form.update(data)
    return client.post(link, data=form)


def test_the_page_shows_only_what_the_consent_allows(app, sent):
    org = app.test_client()  # no account
    response = org.get(sent["link"])
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dolžniško svetovanje" in html
    assert "M. H." in html  # initials, as the referral says
    assert "Prosimo za pogovor ta teden." in html
    assert "Dolgovi" in html or "dolgovi" in html.lower()  # the challenge's life domain
    for secret in (
        "Marija",
        "Horvat",
        sent["number"],
        "041 555 666",
        "marija@example.si",
        "Brezje",
        "Neplačani računi",
    ):
        assert secret not in html, secret
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        assert (
            db.session.scalar(sa.select(CaseAccess.what).where(CaseAccess.what == "referral_link")) == "referral_link"
        )


def test_first_name_when_the_consent_allows_it(app, staff):
    setup = referral_setup(app)
    referral_id = create_referral(staff, setup, name_shown="first_name")
    send_referral(staff, setup, referral_id)
    html = app.test_client().get(link_from_outbox(app, referral_id)).get_data(as_text=True)
    assert "Marija" in html and "Horvat" not in html


def test_accept_via_link_then_report_progress_and_outcome_with_fresh_links(app, sent):
    org = app.test_client()
    response = _answer(org, sent["link"], sent["referral_id"], action="accepted")
    assert response.status_code == 200
    assert "Thank you" in response.get_data(as_text=True)
    assert referral_state(app, sent["referral_id"]).status == ReferralStatus.ACCEPTED
    # The answer link is spent; a fresh outcome link came by e-mail.
    assert org.get(sent["link"]).status_code == 410
    outcome_link = link_from_outbox(app, sent["referral_id"])
    assert outcome_link != sent["link"]
    assert _answer(org, outcome_link, sent["referral_id"], action="in_progress").status_code == 200
    final_link = link_from_outbox(app, sent["referral_id"])
    response = _answer(org, final_link, sent["referral_id"], action="completed", outcome="")
    assert response.status_code == 200
    assert "Choose the outcome." in response.get_data(as_text=True)
    assert _answer(org, final_link, sent["referral_id"], action="completed", outcome="helped").status_code == 200
    referral = referral_state(app, sent["referral_id"])
    assert referral.status == ReferralStatus.COMPLETED and referral.outcome.value == "helped"
    with app.app_context():
        events = db.session.scalars(
            sa.select(ReferralEvent).where(ReferralEvent.referral_id == sent["referral_id"]).order_by(ReferralEvent.id)
        ).all()
    assert [(e.to_status, e.by_organization, e.actor_id) for e in events[2:]] == [
        ("accepted", True, None),
        ("in_progress", True, None),
        ("completed", True, None),
    ]


def test_decline_via_link_needs_a_reason(app, sent):
    org = app.test_client()
    response = _answer(org, sent["link"], sent["referral_id"], action="declined")
    assert "Choose the reason for the decline." in response.get_data(as_text=True)
    assert referral_state(app, sent["referral_id"]).status == ReferralStatus.SENT
    assert (
        _answer(org, sent["link"], sent["referral_id"], action="declined", decline_reason="not_eligible").status_code
        == 200
    )
    assert referral_state(app, sent["referral_id"]).decline_reason.value == "not_eligible"


def test_reused_link_is_410_and_changes_nothing(app, sent):
    org = app.test_client()
    html = org.get(sent["link"]).get_data(as_text=True)
    data = {
        "csrf_token": csrf_of(html),
        "referral_id": str(sent["referral_id"]),
        "action": "accepted",
        "decline_reason": "",
        "outcome": "",
        "note": "",
    }
    assert org.post(sent["link"], data=data).status_code == 200
    again = org.post(sent["link"], data={**data, "action": "declined", "decline_reason": "other"})
    assert again.status_code == 410
    assert "already used" in again.get_data(as_text=True)
    assert referral_state(app, sent["referral_id"]).status == ReferralStatus.ACCEPTED


def test_expired_link_is_410_and_changes_nothing(app, sent):
    with app.app_context():
        link = db.session.scalar(sa.select(ReferralLink))
        link.expires_at = link.created_at - timedelta(seconds=1)
        db.session.commit()
    response = app.test_client().get(sent["link"])
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True)
    assert referral_state(app, sent["referral_id"]).status == ReferralStatus.SENT


def test_tampered_link_is_400_before_the_database_is_read(app, sent):
    token = sent["link"].rsplit("/", 1)[1]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            response = app.test_client().get(f"/referral/{tampered}")
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)
    assert not [s for s in statements if "referral" in s]  # refused before any referral table is read
    assert referral_state(app, sent["referral_id"]).status == ReferralStatus.SENT


def test_signed_but_unknown_token_is_404(app, sent):
    from itsdangerous import URLSafeSerializer

    with app.app_context():
        forged = URLSafeSerializer(app.secret_key, salt="referral-link").dumps("not-a-stored-secret")
    assert app.test_client().get(f"/referral/{forged}").status_code == 404


def test_link_posted_for_another_referral_is_404_and_changes_nothing(app, sent):
    response = _answer(app.test_client(), sent["link"], sent["referral_id"] + 1, action="accepted")
    assert response.status_code == 404
    assert referral_state(app, sent["referral_id"]).status == ReferralStatus.SENT
    with app.app_context():
        assert db.session.scalar(sa.select(ReferralLink.used_at)) is None


def test_tokens_never_reach_the_logs(app, sent, caplog):
    from cases.referrals.org_link import RedactReferralTokens

    token = sent["link"].rsplit("/", 1)[1]
    caplog.set_level(logging.INFO)
    # The access-log line werkzeug writes for a request, and the 500 handler's line.
    logging.getLogger("werkzeug").info(
        '%s - - [%s] "%s" %s -', "127.0.0.1", "now", f"GET /referral/{token} HTTP/1.1", "200"
    )
    logging.getLogger("welfare.errors").error(
        "Unhandled error, reference %s, %s %s", "abc", "GET", f"/referral/{token}"
    )
    app.logger.warning("path /referral/%s", token)
    app.test_client().get(sent["link"])
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert token not in text
    assert text.count("/referral/[redacted]") >= 3
    assert any(isinstance(f, RedactReferralTokens) for f in logging.getLogger("werkzeug").filters)
    with app.app_context():
        from welfare.mail import OutgoingMail

        # Stored: only the hash; the access log and events carry no path at all.
        assert token not in " ".join(db.session.scalars(sa.select(ReferralLink.token_hash)))
        assert not db.session.scalar(
            sa.select(sa.func.count(CaseAccess.id)).where(CaseAccess.what.contains("/referral/"))
        )
        assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 1


def test_staff_request_outcome_sends_a_fresh_link_and_kills_the_old(app, staff, sent):
    from tests.ref_helpers import version_of

    org = app.test_client()
    _answer(org, sent["link"], sent["referral_id"], action="accepted")
    first_outcome = link_from_outbox(app, sent["referral_id"])
    detail = f"/cases/{sent['number']}/referrals/{sent['referral_id']}"
    page = staff.get(detail).get_data(as_text=True)
    response = staff.post(
        f"{detail}/request-outcome", data={"csrf_token": csrf_of(page), "version_id": version_of(page)}
    )
    assert response.status_code == 302
    second = link_from_outbox(app, sent["referral_id"])
    assert second != first_outcome
    assert org.get(first_outcome).status_code == 410
    assert org.get(second).status_code == 200


def test_staff_recording_the_answer_by_phone_kills_the_answer_link(app, staff, sent):
    from tests.ref_helpers import version_of

    detail = f"/cases/{sent['number']}/referrals/{sent['referral_id']}"
    page = staff.get(detail).get_data(as_text=True)
    form = {"csrf_token": csrf_of(page), "version_id": version_of(page), "status": "accepted"}
    assert (
        staff.post(f"{detail}/status", data={**form, "decline_reason": "", "outcome": "", "note": ""}).status_code
        == 302
    )
    assert app.test_client().get(sent["link"]).status_code == 410


def test_answers_through_links_are_rate_limited(app, sent):
    from welfare.extensions import limiter

    app.config["REFERRAL_LINK_RATE_LIMIT"] = "2 per hour"
    org = app.test_client()
    html = org.get(sent["link"]).get_data(as_text=True)
    data = {"csrf_token": csrf_of(html), "referral_id": "0", "action": "accepted"}
    try:
        statuses = [org.post(sent["link"], data=data).status_code for _ in range(3)]
    finally:
        limiter.reset()
    assert statuses == [404, 404, 429]
    assert referral_state(app, sent["referral_id"]).status == ReferralStatus.SENT
