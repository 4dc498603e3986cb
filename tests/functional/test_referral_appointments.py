"""The referral e-mail names who referred and the office's phone, in plain Slovenian; the
organization may propose a first appointment when it accepts through its link, which then shows
on the case's referral pages, on Moje delo, on the slip and in the calendar feed (with the
referral's follow-up date)."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from cases.models import Case
from cases.referrals.models import Referral, ReferralStatus
from tests.mail_helpers import deliver_now, smtp_server_fixture, use_smtp  # noqa: F401 (fixture)
from tests.ref_helpers import (
    create_referral,
    csrf_of,
    link_from_outbox,
    link_in_message,
    referral_setup,
    referral_state,
    send_referral,
)
from welfare.clock import OFFICE_TZ, today
from welfare.extensions import db
from welfare.models import User

# A time on the office's clock a week from now, as the organization types it.
WHEN = (datetime.now(OFFICE_TZ) + timedelta(days=7)).replace(hour=9, minute=30, second=0, microsecond=0)
TYPED = WHEN.strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def staff(app, login_as):
    """Olga, who refers, assigned to the referral's case (so it is on her Moje delo)."""
    client = login_as("organizer", "olga")
    setup = referral_setup(app)
    with app.app_context():
        olga = db.session.scalar(sa.select(User).where(User.username == "olga"))
        olga.full_name = "Olga Novak"
        db.session.scalar(sa.select(Case)).assignees = [olga]
        db.session.commit()
    client.setup = setup
    return client


@pytest.fixture
def sent(app, staff):
    setup = staff.setup
    referral_id = create_referral(staff, setup)
    assert send_referral(staff, setup, referral_id).status_code == 302
    return {**setup, "referral_id": referral_id}


def _answer(app, sent, **data):
    org = app.test_client()
    link = link_from_outbox(app, sent["referral_id"])
    html = org.get(link).get_data(as_text=True)
    form = {"csrf_token": csrf_of(html), "referral_id": str(sent["referral_id"]), "decline_reason": "", "outcome": ""}
    return org.post(link, data={**form, **data})


def test_the_email_says_who_referred_and_how_to_reach_the_office_in_plain_slovenian(app, staff, smtp_server):
    use_smtp(app, smtp_server)
    app.config["OFFICE_CONTACT_PHONE"] = "07 111 22 33"
    setup = staff.setup
    referral_id = create_referral(staff, setup)
    assert send_referral(staff, setup, referral_id).status_code == 302
    assert deliver_now(app)
    message = smtp_server.messages[0]
    body = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    until = today() + timedelta(days=14)
    assert "Napotuje: Olga Novak, Pisarna lokalne blaginje, Mestna občina Novo mesto" in body
    assert "Telefon: 07 111 22 33" in body and "pokličite na 07 111 22 33" in body
    assert f"Povezavo lahko uporabite enkrat, najpozneje do {until.day}. {until.month}. {until.year}." in body
    assert "predlagate tudi termin" in body
    assert "enkrat in" not in body  # the old "works once and for 14 days"
    assert body.rstrip().endswith("Olga Novak\nPisarna lokalne blaginje, Mestna občina Novo mesto")
    assert "Horvat" not in message.as_string() and setup["number"] not in message.as_string()
    assert link_in_message(message)


def test_accepting_with_an_appointment_shows_it_on_the_case_moje_delo_slip_and_calendar(app, staff, sent):
    response = _answer(
        app, sent, action="accepted", appointment_at=TYPED, appointment_note="Vhod B, vprašajte za Nino."
    )
    assert response.status_code == 200
    referral = referral_state(app, sent["referral_id"])
    assert referral.status == ReferralStatus.ACCEPTED
    # Stored in UTC, like every time of the case file.
    assert (
        referral.appointment_at == WHEN.astimezone(UTC).replace(tzinfo=None)
        and referral.appointment_note == "Vhod B, vprašajte za Nino."
    )

    shown = WHEN.strftime("%-m/%-d/%y")  # en short date; the time as typed (office clock)
    base = f"/cases/{sent['number']}/referrals"
    for url in (base, f"{base}/{sent['referral_id']}", "/cases/"):
        html = staff.get(url).get_data(as_text=True)
        assert shown in html and "9:30" in html, url
    detail = staff.get(f"{base}/{sent['referral_id']}").get_data(as_text=True)
    assert "Vhod B, vprašajte za Nino." in detail
    slip = staff.get(f"{base}/{sent['referral_id']}/slip").get_data(as_text=True)
    assert "Your appointment" in slip and "9:30" in slip and "Vhod B, vprašajte za Nino." in slip

    # The calendar feed: the appointment at its time, and the referral's follow-up day.
    from cases.work.calendar import renew_feed

    with app.app_context():
        token = renew_feed(db.session.scalar(sa.select(User.id).where(User.username == "olga")))
    feed = Calendar.from_ical(staff.get(f"/calendar/{token}.ics").get_data())
    events = {str(e["uid"]).split("@")[0]: e for e in feed.walk("VEVENT")}
    appointment = events[f"referral-appointment-{sent['referral_id']}"]
    assert appointment.decoded("dtstart") == WHEN
    assert str(appointment["summary"]) == f"{sent['number']}: appointment: Dolžniško svetovanje"
    follow_up = events[f"referral-follow-up-{sent['referral_id']}"]
    assert follow_up.decoded("dtstart") == referral.follow_up_on


def test_an_appointment_in_the_past_or_without_a_time_is_refused_and_nothing_changes(app, staff, sent):
    past = (datetime.now(OFFICE_TZ) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    html = _answer(app, sent, action="accepted", appointment_at=past, appointment_note="Vhod B.")
    html = html.get_data(as_text=True)
    assert "The appointment cannot be in the past." in html and "Vhod B." in html
    html = _answer(app, sent, action="accepted", appointment_at="", appointment_note="Vhod B.").get_data(as_text=True)
    assert "Enter the date and time of the appointment." in html and "Vhod B." in html
    html = _answer(app, sent, action="accepted", appointment_at="jutri ob devetih").get_data(as_text=True)
    assert "Enter a valid date and time." in html and "jutri ob devetih" in html
    referral = referral_state(app, sent["referral_id"])
    assert referral.status == ReferralStatus.SENT and referral.appointment_at is None


def test_a_decline_ignores_an_appointment(app, staff, sent):
    response = _answer(app, sent, action="declined", decline_reason="no_capacity", appointment_at=TYPED)
    assert response.status_code == 200
    referral = referral_state(app, sent["referral_id"])
    assert referral.status == ReferralStatus.DECLINED and referral.appointment_at is None
    with app.app_context():
        assert db.session.scalar(sa.select(Referral.appointment_at)) is None


def test_the_feed_keeps_an_appointment_by_the_offices_day_not_the_servers(app, staff, sent):
    """00:30 in Novo mesto on the feed's first day is 23:30 UTC the day before: it is in the feed;
    23:30 in Novo mesto the day before is not."""
    from datetime import date

    from cases.work.calendar import FEED_PAST_DAYS, feed_items

    first_day = date(2027, 1, 15)  # winter: the office is UTC+1
    uid = f"referral-appointment-{sent['referral_id']}"
    with app.app_context():
        olga = db.session.scalar(sa.select(User.id).where(User.username == "olga"))
        referral = db.session.get(Referral, sent["referral_id"])
        on = first_day + timedelta(days=FEED_PAST_DAYS)
        referral.appointment_at = datetime(2027, 1, 14, 23, 30)  # stored in UTC: 00:30 on the 15th
        db.session.commit()
        assert uid in [item[0] for item in feed_items(olga, on)]
        referral.appointment_at = datetime(2027, 1, 14, 22, 30)  # 23:30 on the 14th, before the feed
        db.session.commit()
        assert uid not in [item[0] for item in feed_items(olga, on)]
