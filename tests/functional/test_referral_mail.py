"""A referral's e-mail through a real SMTP server (aiosmtpd on 127.0.0.1): the organization
answers from the link in the message it received; a failed send is kept, shown to staff as
"not delivered yet", and delivered on a later try."""

import re

import pytest

from cases.referrals.models import ReferralStatus
from tests.mail_helpers import deliver_now, make_due, smtp_server_fixture, use_smtp  # noqa: F401 (fixture)
from tests.ref_helpers import (
    create_referral,
    csrf_of,
    link_in_message,
    referral_setup,
    referral_state,
    send_referral,
)


@pytest.fixture
def staff(login_as):
    return login_as("organizer")


def _delivery_shown(staff, setup, referral_id) -> str:
    html = staff.get(f"/cases/{setup['number']}/referrals/{referral_id}").get_data(as_text=True)
    match = re.search(r"<dt>Delivery</dt><dd>(.*?)</dd>", html, re.S)
    assert match, "no delivery state on the referral page"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _link_in(message) -> str:
    return "/" + link_in_message(message).split("/", 3)[3]


def test_the_organization_answers_from_the_link_in_the_received_message(app, staff, smtp_server):
    use_smtp(app, smtp_server)
    setup = referral_setup(app, email="info@drustvo.si")
    referral_id = create_referral(staff, setup)
    assert send_referral(staff, setup, referral_id).status_code == 302
    assert _delivery_shown(staff, setup, referral_id) == "not delivered yet"

    assert deliver_now(app)
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "info@drustvo.si"
    assert smtp_server.envelopes[0][1] == ["info@drustvo.si"]
    # The message itself never names the person or the case.
    text = message.as_string()
    assert "Horvat" not in text and setup["number"] not in text
    assert _delivery_shown(staff, setup, referral_id) == "delivered"

    org = app.test_client()
    link = _link_in(message)
    page = org.get(link)
    assert page.status_code == 200
    response = org.post(
        link,
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "referral_id": str(referral_id),
            "action": "accepted",
            "decline_reason": "",
            "outcome": "",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert referral_state(app, referral_id).status == ReferralStatus.ACCEPTED
    # Accepting sends a fresh link for the outcome, through the same server.
    assert deliver_now(app)
    assert len(smtp_server.messages) == 2
    assert _link_in(smtp_server.messages[1]) != link


def test_a_refused_send_is_kept_shown_and_delivered_on_a_later_try(app, staff, smtp_server):
    use_smtp(app, smtp_server)
    setup = referral_setup(app)
    referral_id = create_referral(staff, setup)
    assert send_referral(staff, setup, referral_id).status_code == 302

    smtp_server.refuse_with = 451  # "try again later"
    deliver_now(app)
    assert smtp_server.messages == []
    assert _delivery_shown(staff, setup, referral_id) == "not delivered yet"
    # The referral itself stands: it was sent by the office, the mail is just late.
    assert referral_state(app, referral_id).status == ReferralStatus.SENT

    smtp_server.refuse_with = None
    make_due(app)
    deliver_now(app)
    assert len(smtp_server.messages) == 1
    assert _delivery_shown(staff, setup, referral_id) == "delivered"


def test_links_leave_under_public_url_whatever_host_the_request_named(app, staff):
    """A forged Host header cannot make the office mail a link to another site (issue 21): the
    organization's link in the queued mail is under PUBLIC_URL, and so is the slip's QR address."""
    import sqlalchemy as sa

    from welfare.extensions import db
    from welfare.mail import OutgoingMail

    app.config["PUBLIC_URL"] = "https://pisarna.novomesto.example"
    staff.environ_base["HTTP_HOST"] = "evil.example"
    setup = referral_setup(app, email="info@drustvo.si")
    referral_id = create_referral(staff, setup)
    assert send_referral(staff, setup, referral_id).status_code == 302
    with app.app_context():
        body = db.session.scalar(sa.select(OutgoingMail.body).where(OutgoingMail.about == f"referral:{referral_id}"))
    assert "https://pisarna.novomesto.example/referral/" in body and "evil.example" not in body
    slip = staff.get(f"/cases/{setup['number']}/referrals/{referral_id}/slip").get_data(as_text=True)
    assert "https://pisarna.novomesto.example/services/" in slip and "evil.example" not in slip
