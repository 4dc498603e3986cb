"""Referrals: creating from a case, consent gating, the whole lifecycle, stale forms."""

import pytest
import sqlalchemy as sa

from cases.access_log import CaseAccess
from cases.models import Consent
from cases.needs.models import NeedKind, UnmetNeed
from cases.referrals.models import DeclineReason, Referral, ReferralEvent, ReferralStatus
from catalog.models import ChangeReport
from tests.ref_helpers import (
    create_referral,
    csrf_of,
    link_from_outbox,
    referral_setup,
    referral_state,
    search_in_case,
    send_referral,
    version_of,
)
from welfare.extensions import db
from welfare.mail import OutgoingMail


@pytest.fixture
def staff(login_as):
    return login_as("organizer")


@pytest.fixture
def setup(app):
    return referral_setup(app)


def _post_status(client, setup, referral_id, **data):
    detail = f"/cases/{setup['number']}/referrals/{referral_id}"
    page = client.get(detail).get_data(as_text=True)
    form = {
        "csrf_token": csrf_of(page),
        "version_id": version_of(page),
        "decline_reason": "",
        "outcome": "",
        "note": "",
    }
    form.update(data)
    return client.post(f"{detail}/status", data=form)


def test_search_inside_the_case_finds_only_published_services(app, staff, setup):
    from catalog.search import index as search_index
    from tests.factories import make_service

    with app.app_context():
        make_service(name="Dolžniško svetovanje skrito", published=False)
        db.session.commit()
        search_index.rebuild()
    page = staff.get(search_in_case(staff, setup["number"], "dolžniško")).get_data(as_text=True)
    assert "Dolžniško svetovanje" in page
    assert "skrito" not in page
    assert f"service={setup['service_id']}" in page


def test_referral_needs_a_consent_covering_the_organization(app, staff):
    setup = referral_setup(app, consent=False)
    page = staff.get(f"/cases/{setup['number']}/referrals/new?service={setup['service_id']}").get_data(as_text=True)
    assert "Consent is missing." in page
    assert f"/cases/{setup['number']}/consents/new" in page
    # Posting anyway is refused with the same explanation; nothing is saved.
    response = staff.post(
        f"/cases/{setup['number']}/referrals/new?service={setup['service_id']}",
        data={"csrf_token": csrf_of(page), "challenge_ids": [str(setup["challenge_id"])], "name_shown": "initials"},
    )
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Referral.id))) == 0


def test_a_provider_type_consent_covers_organizations_of_that_kind(app, staff):
    from catalog.models import LINK_PROVIDER_TYPE, Attribute

    setup = referral_setup(app, consent=False)
    kind = "pisarna-vrste-izvajalcev:nvo"
    with app.app_context():
        db.session.add(
            Attribute(
                link_id=setup["org_id"], link_entity="organization", link_type=LINK_PROVIDER_TYPE, taxonomy_term_id=kind
            )
        )
        from cases.models import Case
        from tests.intake_factories import make_consent

        case = db.session.scalar(sa.select(Case).where(Case.number == setup["number"]))
        make_consent(case, provider_type_id=kind)
        db.session.commit()
    assert create_referral(staff, setup) > 0


def test_one_referral_per_service_per_case(app, staff, setup):
    first = create_referral(staff, setup)
    url = f"/cases/{setup['number']}/referrals/new?service={setup['service_id']}"
    page = staff.get(url).get_data(as_text=True)
    assert "This case already has a referral to this service." in page
    response = staff.post(
        url, data={"csrf_token": csrf_of(page), "challenge_ids": [str(setup["challenge_id"])], "name_shown": "initials"}
    )
    assert response.status_code == 200
    assert "This case already has a referral to this service." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(sa.select(Referral.id)).all() == [first]


def test_send_queues_the_mail_in_the_same_transaction_and_logs_access(app, staff, setup):
    referral_id = create_referral(staff, setup)
    response = send_referral(staff, setup, referral_id)
    assert response.status_code == 302
    with app.app_context():
        mail = db.session.scalar(sa.select(OutgoingMail).where(OutgoingMail.about == f"referral:{referral_id}"))
        assert mail.to_addr == "info@drustvo.si"
        assert "Dolžniško svetovanje" in mail.subject
        # The organization reads Slovenian, whatever language the staff member's page is in.
        assert mail.subject.startswith("Napotitev na storitev") and mail.body.startswith("Pozdravljeni,")
        actions = db.session.scalars(
            sa.select(CaseAccess.action).where(CaseAccess.what == "referral").order_by(CaseAccess.id)
        ).all()
        assert [a.value for a in actions][:1] == ["create"]
        assert "send" in [a.value for a in actions]
    assert referral_state(app, referral_id).status == ReferralStatus.SENT
    assert link_from_outbox(app, referral_id).startswith("/referral/")
    page = staff.get(f"/cases/{setup['number']}/referrals/{referral_id}").get_data(as_text=True)
    assert "not delivered yet" in page


def test_send_without_email_shows_the_link_once(app, staff, setup):
    referral_id = create_referral(staff, setup, to_email="")
    response = send_referral(staff, setup, referral_id, to_email="")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/referral/" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 0
    assert "/referral/" not in staff.get(f"/cases/{setup['number']}/referrals/{referral_id}").get_data(as_text=True)


def _sent(app, staff, setup) -> int:
    referral_id = create_referral(staff, setup)
    assert send_referral(staff, setup, referral_id).status_code == 302
    return referral_id


def test_staff_lifecycle_accept_progress_complete_with_events(app, staff, setup):
    referral_id = _sent(app, staff, setup)
    assert _post_status(staff, setup, referral_id, status="accepted").status_code == 302
    assert _post_status(staff, setup, referral_id, status="in_progress").status_code == 302
    response = _post_status(staff, setup, referral_id, status="completed")
    assert response.status_code == 400
    assert "Choose the outcome." in response.get_data(as_text=True)
    assert _post_status(staff, setup, referral_id, status="completed", outcome="partly").status_code == 302
    referral = referral_state(app, referral_id)
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.outcome.value == "partly"
    assert referral.follow_up_on is None
    with app.app_context():
        events = db.session.scalars(
            sa.select(ReferralEvent).where(ReferralEvent.referral_id == referral_id).order_by(ReferralEvent.id)
        ).all()
        assert [e.to_status for e in events] == ["draft", "sent", "accepted", "in_progress", "completed"]
        assert all(e.actor_id and not e.by_organization for e in events)


@pytest.mark.parametrize("reason", [r.value for r in DeclineReason])
def test_every_decline_reason(app, staff, setup, reason):
    referral_id = _sent(app, staff, setup)
    response = _post_status(staff, setup, referral_id, status="declined", decline_reason="")
    assert response.status_code == 400
    assert "Choose the reason for the decline." in response.get_data(as_text=True)
    response = _post_status(staff, setup, referral_id, status="declined", decline_reason=reason, note="Pojasnilo.")
    assert response.status_code == 302
    referral = referral_state(app, referral_id)
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason.value == reason
    with app.app_context():
        reports = db.session.scalars(
            sa.select(ChangeReport).where(ChangeReport.service_id == setup["service_id"])
        ).all()
        needs = db.session.scalars(sa.select(UnmetNeed)).all()
    # The catalog learns from declines that say its entry is wrong ...
    assert len(reports) == (1 if reason in ("no_longer_offered", "wrong_contact") else 0)
    # ... and a capacity decline counts as an unmet need (waiting list) automatically.
    if reason == "no_capacity":
        assert [(n.kind, n.referral_id) for n in needs] == [(NeedKind.WAITING_LIST, referral_id)]
    else:
        assert needs == []


def test_illegal_transition_is_a_conflict_not_a_500(app, staff, setup):
    referral_id = create_referral(staff, setup)  # a draft
    response = _post_status(staff, setup, referral_id, status="completed", outcome="helped")
    assert response.status_code == 409
    assert "cannot become" in response.get_data(as_text=True)
    assert referral_state(app, referral_id).status == ReferralStatus.DRAFT


def test_stale_form_and_double_submit_get_a_clear_message(app, staff, setup):
    referral_id = _sent(app, staff, setup)
    detail = f"/cases/{setup['number']}/referrals/{referral_id}"
    page = staff.get(detail).get_data(as_text=True)
    data = {
        "csrf_token": csrf_of(page),
        "version_id": version_of(page),
        "status": "accepted",
        "decline_reason": "",
        "outcome": "",
        "note": "",
    }
    assert staff.post(f"{detail}/status", data=data).status_code == 302
    again = staff.post(f"{detail}/status", data=data)  # the same form posted twice
    assert again.status_code == 409
    assert "Someone else saved this record in the meantime." in again.get_data(as_text=True)
    # Sending a draft twice from the same page: the second is stale too.
    other = create_referral(staff, {**setup, "service_id": _second_service(app)})
    page = staff.get(f"/cases/{setup['number']}/referrals/{other}").get_data(as_text=True)
    form = {"csrf_token": csrf_of(page), "version_id": version_of(page), "to_email": "a@b.si"}
    assert staff.post(f"/cases/{setup['number']}/referrals/{other}/send", data=form).status_code == 302
    staff.post(f"/cases/{setup['number']}/referrals/{other}/send", data=form, follow_redirects=False)
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(OutgoingMail.id)).where(OutgoingMail.about == f"referral:{other}")
            )
            == 1
        )


def _second_service(app) -> str:
    from catalog.models import Organization
    from tests.factories import make_service

    with app.app_context():
        org = db.session.scalar(sa.select(Organization).where(Organization.name == "Društvo za pomoč"))
        service = make_service(org, name="Skupina za samopomoč")
        db.session.commit()
        return service.id


def test_withdrawing_consent_cancels_open_referrals_with_reason(app, staff, setup):
    open_id = _sent(app, staff, setup)
    done_id = create_referral(staff, {**setup, "service_id": _second_service(app)})
    _post_status(staff, setup, done_id, status="cancelled", note="Ni več potrebno.")
    with app.app_context():
        consent = db.session.scalar(sa.select(Consent))
        consent_id, version = consent.id, consent.version_id
    url = f"/cases/{setup['number']}/consents/{consent_id}/withdraw"
    page = staff.get(url).get_data(as_text=True)
    from welfare.clock import today

    response = staff.post(
        url, data={"csrf_token": csrf_of(page), "version_id": version, "withdrawn_on": today().isoformat()}
    )
    assert response.status_code == 302
    referral = referral_state(app, open_id)
    assert referral.status == ReferralStatus.CANCELLED
    assert "withdrew the consent" in referral.closing_note
    assert referral_state(app, done_id).closing_note == "Ni več potrebno."
    # The old link no longer works.
    assert staff.get(link_from_outbox(app, open_id)).status_code == 410


def test_unmet_need_recorded_on_the_case(app, staff, setup):
    url = f"/cases/{setup['number']}/needs/new"
    page = staff.get(url).get_data(as_text=True)
    response = staff.post(
        url, data={"csrf_token": csrf_of(page), "domain_id": "", "kind": "too_far", "note": "Brez prevoza."}
    )
    assert response.status_code == 200
    assert "Brez prevoza." in response.get_data(as_text=True)
    domain = "pisarna-zivljenjska-podrocja:prevoz"
    response = staff.post(
        url, data={"csrf_token": csrf_of(page), "domain_id": domain, "kind": "too_far", "note": "Brez prevoza."}
    )
    assert response.status_code == 302
    listing = staff.get(f"/cases/{setup['number']}/referrals").get_data(as_text=True)
    assert "Too far away" in listing and "Brez prevoza." in listing
    with app.app_context():
        assert db.session.scalar(sa.select(CaseAccess.what).where(CaseAccess.what == "unmet_need")) == "unmet_need"


def test_follow_up_shows_on_moje_delo(app, login_as, setup):
    from cases.models import Case
    from welfare.clock import today
    from welfare.models import User

    staff = login_as("organizer", "ana")
    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.number == setup["number"]))
        case.assignees = [db.session.scalar(sa.select(User).where(User.username == "ana"))]
        db.session.commit()
    referral_id = create_referral(staff, setup, follow_up_on=today().isoformat())
    page = staff.get("/cases/").get_data(as_text=True)
    assert f"/cases/{setup['number']}/referrals/{referral_id}" in page
    assert "Referral follow-ups" in page


@pytest.mark.parametrize("value", ["100000000000000000000", "²", "x" * 3000, "1' OR '1'='1", "<script>"])
def test_hostile_query_values_on_referral_pages_are_never_a_500(app, staff, setup, value):
    # The hostile walk reaches these routes with an unknown case number only; here with a real one.
    referral_id = create_referral(staff, setup)
    base = f"/cases/{setup['number']}/referrals"
    for url in (f"{base}/new", f"{base}/{referral_id}/slip"):
        for name in ("q", "service", "width"):
            response = staff.get(url, query_string={name: value})
            assert response.status_code in (200, 400, 404), (url, name)
    assert app.test_client().get(f"/referral/{value[:100]}").status_code in (400, 404)


def test_viewing_and_changing_referrals_writes_access_log_rows(app, staff, setup):
    referral_id = create_referral(staff, setup)
    staff.get(f"/cases/{setup['number']}/referrals")
    staff.get(f"/cases/{setup['number']}/referrals/{referral_id}")
    _post_status(staff, setup, referral_id, status="cancelled", note="Oseba je našla pomoč drugje.")
    with app.app_context():
        rows = db.session.scalars(
            sa.select(CaseAccess).where(CaseAccess.what == "referral").order_by(CaseAccess.id)
        ).all()
    actions = [r.action.value for r in rows]
    assert actions[0] == "create" and actions.count("view") >= 2 and actions[-1] == "edit"
    assert {r.username for r in rows} == {"organizer-user"}


def test_withdrawal_keeps_a_referral_another_active_consent_still_covers(app, staff, setup):
    from cases.models import Case
    from cases.referrals.cancelling import cancel_for_withdrawn_consent
    from tests.intake_factories import make_consent
    from welfare.clock import today

    referral_id = _sent(app, staff, setup)
    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.number == setup["number"]))
        first = case.consents[0]
        second = make_consent(case, organization_id=setup["org_id"])
        first.withdrawn_on = today()
        assert cancel_for_withdrawn_consent(first, None) == 0
        db.session.commit()
        second_id = second.id
    referral = referral_state(app, referral_id)
    assert referral.status == ReferralStatus.SENT and referral.consent_id == second_id


def test_history_shows_the_office_clock_once_and_overdue_follow_ups(app, staff, setup):
    from datetime import datetime, timedelta

    from welfare.clock import today

    referral_id = create_referral(staff, setup)
    with app.app_context():
        event = db.session.scalar(sa.select(ReferralEvent).where(ReferralEvent.referral_id == referral_id))
        event.at = datetime(2026, 7, 1, 10, 0)  # UTC; 12:00 in Ljubljana (summer time)
        db.session.get(Referral, referral_id).follow_up_on = today() - timedelta(days=2)
        db.session.commit()
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Europe/Ljubljana"
    page = staff.get(f"/cases/{setup['number']}/referrals/{referral_id}").get_data(as_text=True)
    assert "12:00" in page and "14:00" not in page
    assert "overdue" in page


def test_referral_note_typed_past_the_idle_timeout_comes_back_after_login(app, staff, setup):
    from datetime import timedelta

    from tests.conftest import PASSWORD
    from welfare.models import UserSession

    url = f"/cases/{setup['number']}/referrals/new?service={setup['service_id']}"
    html = staff.get(url).get_data(as_text=True)
    with app.app_context():
        for user_session in db.session.scalars(sa.select(UserSession)):
            user_session.last_seen_at -= timedelta(minutes=31)
        db.session.commit()
    note = "Gospa potrebuje pomoč pri dolgovih, dosegljiva je dopoldne. " * 20
    data = {
        "csrf_token": csrf_of(html),
        "challenge_ids": [str(setup["challenge_id"])],
        "note": note,
        "name_shown": "initials",
    }
    response = staff.post(url, data=data)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    login_page = staff.get(response.headers["Location"]).get_data(as_text=True)
    staff.post("/login", data={"csrf_token": csrf_of(login_page), "username": "organizer-user", "password": PASSWORD})
    assert "You have an unsaved draft" in staff.get(url).get_data(as_text=True)
    form = staff.get(url + "&draft=restore").get_data(as_text=True)
    assert "Restored what you typed" in form and note.strip()[:60] in form
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Referral.id))) == 0
