"""Capacity and waiting list per service (issue 25): the partner says it, staff see it where they
choose where to refer and on the catalog edit page, residents only a waiting list the partner
allowed; a decline for lack of capacity marks the service full that day."""

import pytest

from catalog.capacity import CapacityState, ServiceCapacity
from tests.conftest import csrf_token
from tests.factories import make_org, make_service
from tests.partner_helpers import inbox_answer, partner_client
from tests.ref_helpers import create_referral, referral_setup, search_in_case, send_referral
from welfare.clock import today
from welfare.extensions import db


@pytest.fixture
def staff(login_as):
    return login_as("social_worker")


@pytest.fixture
def setup(app):
    setup = referral_setup(app)
    return {**setup, "partner": partner_client(app, setup["org_id"])}


def _save(partner, service_id, **data):
    url = f"/partner/services/{service_id}/capacity"
    return partner.post(url, data={"csrf_token": csrf_token(partner, url), "unit": "places", **data})


def _capacity(app, service_id) -> ServiceCapacity | None:
    with app.app_context():
        row = db.session.get(ServiceCapacity, service_id)
        if row is not None:
            db.session.expunge(row)
        return row


def test_a_waiting_list_reaches_staff_and_the_public_page_only_when_allowed(app, staff, setup):
    sid = setup["service_id"]
    assert "Dolžniško svetovanje" in setup["partner"].get("/partner/services").get_data(as_text=True)
    assert _save(setup["partner"], sid, state="waiting", waiting_weeks="6").status_code == 302
    row = _capacity(app, sid)
    assert row.state == CapacityState.WAITING and row.waiting_weeks == 6 and row.said_on == today()
    assert row.said_by == "Ana Partner"
    card = staff.get(search_in_case(staff, setup["number"], "dolžniško")).get_data(as_text=True)
    assert "Waiting list, about 6 weeks" in card
    assert "Waiting list, about 6 weeks" in staff.get(f"/staff/catalog/services/{sid}/edit").get_data(as_text=True)
    public = app.test_client()
    assert "Waiting list" not in public.get(f"/services/{sid}").get_data(as_text=True)  # not allowed yet
    assert (
        _save(setup["partner"], sid, state="waiting", waiting_weeks="6", show_waiting_publicly="y").status_code == 302
    )
    assert "Waiting list, about 6 weeks" in public.get(f"/services/{sid}").get_data(as_text=True)
    # Free places are for the office only, even when the waiting list was public before.
    assert (
        _save(setup["partner"], sid, state="open", total="10", free="3", show_waiting_publicly="y").status_code == 302
    )
    assert "3 of 10 places free" in staff.get(f"/staff/catalog/services/{sid}/edit").get_data(as_text=True)
    assert "Waiting list" not in public.get(f"/services/{sid}").get_data(as_text=True)


def test_bad_capacity_is_refused_with_what_was_typed_kept(app, setup):
    response = _save(setup["partner"], setup["service_id"], state="open", total="3", free="5")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "More cannot be free than there is in total." in body
    assert 'value="5"' in body
    weeks = _save(setup["partner"], setup["service_id"], state="waiting", waiting_weeks="")
    assert "about how many weeks" in weeks.get_data(as_text=True)
    assert _capacity(app, setup["service_id"]) is None


def test_a_partner_cannot_set_another_organizations_capacity(app, setup):
    with app.app_context():
        other = make_service(make_org("Druga organizacija"), name="Tuja storitev")
        db.session.commit()
        other_id = other.id
    assert setup["partner"].get(f"/partner/services/{other_id}/capacity").status_code == 404
    token = csrf_token(setup["partner"], "/partner/services")
    url = f"/partner/services/{other_id}/capacity"
    assert setup["partner"].post(url, data={"csrf_token": token, "state": "full"}).status_code == 404
    assert _capacity(app, other_id) is None


def test_a_decline_for_capacity_in_the_inbox_marks_the_service_full_today(app, staff, setup):
    referral_id = create_referral(staff, setup)
    assert send_referral(staff, setup, referral_id).status_code == 302
    assert _save(setup["partner"], setup["service_id"], state="open", total="10", free="2").status_code == 302
    response = inbox_answer(setup["partner"], referral_id, action="declined", decline_reason="no_capacity")
    assert response.status_code == 302
    row = _capacity(app, setup["service_id"])
    assert row.state == CapacityState.FULL and row.free == 0 and row.said_on == today()
    assert "Capacity:</strong> Full" in staff.get(search_in_case(staff, setup["number"], "dolžniško")).get_data(
        as_text=True
    )


def test_a_capacity_decline_recorded_by_staff_marks_it_full_too(app, staff):
    setup = referral_setup(app)
    referral_id = create_referral(staff, setup)
    assert send_referral(staff, setup, referral_id).status_code == 302
    from tests.ref_helpers import csrf_of, version_of

    detail = f"/cases/{setup['number']}/referrals/{referral_id}"
    page = staff.get(detail).get_data(as_text=True)
    data = {"csrf_token": csrf_of(page), "version_id": version_of(page), "status": "declined"}
    data |= {"decline_reason": "no_capacity", "outcome": "", "note": ""}
    assert staff.post(f"{detail}/status", data=data).status_code == 302
    assert _capacity(app, setup["service_id"]).state == CapacityState.FULL


def _audit(app, service_id) -> list[tuple[str, str, str]]:
    import sqlalchemy as sa

    from welfare.models import AuditEvent

    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEvent.action, AuditEvent.actor_name, AuditEvent.detail)
            .where(AuditEvent.object_type == "service", AuditEvent.object_id == service_id)
            .where(AuditEvent.action.like("capacity_%"))
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in rows]


def test_every_capacity_change_leaves_who_said_what_in_the_audit_log(app, staff, setup):
    sid = setup["service_id"]
    assert (
        _save(setup["partner"], sid, state="waiting", waiting_weeks="6", show_waiting_publicly="y").status_code == 302
    )
    assert _save(setup["partner"], sid, state="open", total="3", free="5").status_code == 200  # refused: no row
    referral_id = create_referral(staff, setup)
    send_referral(staff, setup, referral_id)
    inbox_answer(setup["partner"], referral_id, action="declined", decline_reason="no_capacity")
    events = _audit(app, sid)
    partner_name = events[0][1]
    assert [e[0] for e in events] == ["capacity_saved", "capacity_marked_full"]
    assert partner_name and all(e[1] == partner_name for e in events)
    assert "state=waiting" in events[0][2] and "weeks=6" in events[0][2] and "public=yes" in events[0][2]
    assert "state=full" in events[1][2] and "free=0" in events[1][2]
