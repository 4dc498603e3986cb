"""Partners keep their own catalog entries (issue 25): a partner proposes a change, a curator
sees it as a diff and applies or rejects it; a change made in the meantime is shown as a
conflict, never overwritten silently; "still accurate" sets the verified date; partners are
reminded of entries not confirmed for months, once per period."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from catalog.details import Phone
from catalog.models import Metadata, Organization, Service
from catalog.proposals.models import CatalogProposal, ConfirmReminder, ProposalStatus
from catalog.search import matching_ids, rebuild
from catalog.staff.services import SERVICE_FIELDS, details_of, save_service
from tests.factories import make_org, make_service
from tests.partner_helpers import partner_client
from tests.proof_helpers import read_form
from welfare.clock import today
from welfare.extensions import db
from welfare.mail import OutgoingMail
from welfare.models import Role, User

PARTNER_EMAIL = "ana@soncek.si"


@pytest.fixture
def entry(app):
    """A published service of the partner's organization (a phone, hours, an address), and
    another organization's service."""
    with app.app_context():
        org = make_org("Društvo Sonček", email="info@soncek.si")
        service = make_service(
            org,
            name="Svetovanje za dolžnike",
            address={"address_1": "Glavni trg 7", "city": "Novo mesto", "postal_code": "8000"},
            schedules=[{"freq": "WEEKLY", "byday": "MO", "opens_at": "08:00", "closes_at": "12:00"}],
        )
        service.phones.append(Phone(number="07 111 11 11", type="voice"))
        other = make_service(make_org("Druga organizacija"), name="Tuja storitev")
        db.session.commit()
        rebuild()
        return {"org_id": org.id, "service_id": service.id, "other_id": other.id, "other_org_id": other.organization_id}


@pytest.fixture
def partner(app, entry):
    client = partner_client(app, entry["org_id"])
    with app.app_context():
        db.session.scalar(sa.select(User).where(User.username == "partner-ana")).email = PARTNER_EMAIL
        db.session.commit()
    return client


@pytest.fixture
def curator(login_as):
    return login_as(Role.ORGANIZER, "kustos")


def _propose(client, url: str, **changes):
    """Post the proposal form as the browser sends it: every field as shown, some changed."""
    html = client.get(url).get_data(as_text=True)
    fields = read_form(html, url, url)
    fields.update({name: [value] for name, value in changes.items()})
    return client.post(url, data=fields)


def _service_url(entry) -> str:
    return f"/partner/catalog/services/{entry['service_id']}"


def _proposal(app) -> CatalogProposal:
    with app.app_context():
        proposal = db.session.scalar(sa.select(CatalogProposal).order_by(CatalogProposal.id.desc()))
        db.session.expunge(proposal)
        return proposal


def _decide(client, proposal_id: int, action: str, **data):
    url = f"/staff/catalog/proposals/{proposal_id}"
    html = client.get(url).get_data(as_text=True)
    fields = read_form(html, f"{url}/{action}", url)
    fields.update({name: [value] for name, value in data.items()})
    return client.post(f"{url}/{action}", data=fields)


def _found(app, text: str) -> list[str]:
    with app.test_request_context():
        return matching_ids(text)


def _service(app, service_id) -> Service:
    with app.app_context():
        service = db.session.get(Service, service_id)
        details = details_of(service)
        db.session.expunge(service)
        service.details = details
        return service


def test_a_proposed_phone_is_shown_as_a_diff_and_applied_through_the_staffs_save(app, entry, partner, curator):
    public = app.test_client()
    assert entry["service_id"] not in _found(app, "vozovnico")
    response = _propose(
        partner,
        _service_url(entry),
        phones="07 222 22 22",
        eligibility_description="Za upokojence z mestno vozovnico.",
        note="Nova številka od marca.",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    proposal = _proposal(app)
    # Only what changed is proposed, with the value the partner saw.
    assert set(proposal.changes) == {"phones", "eligibility_description"}
    assert proposal.changes["phones"] == {"before": ["07 111 11 11"], "after": ["07 222 22 22"]}
    assert proposal.status == ProposalStatus.PENDING and proposal.proposed_by_name == "Ana Partner"
    assert "07 222 22 22" not in public.get(f"/services/{entry['service_id']}").get_data(as_text=True)

    assert "1 proposal from a partner is waiting." in curator.get("/staff/catalog/").get_data(as_text=True)
    waiting = curator.get("/staff/catalog/proposals/").get_data(as_text=True)
    assert "Svetovanje za dolžnike" in waiting and "Ana Partner" in waiting
    page = curator.get(f"/staff/catalog/proposals/{proposal.id}").get_data(as_text=True)
    assert "Phone numbers" in page and "07 111 11 11" in page and "07 222 22 22" in page
    assert "Nova številka od marca." in page and "changed since" not in page

    approve_url = f"/staff/catalog/proposals/{proposal.id}/approve"
    loaded = read_form(page, approve_url)
    response = curator.post(approve_url, data=loaded)
    assert response.status_code == 302, response.get_data(as_text=True)
    service_page = public.get(f"/services/{entry['service_id']}").get_data(as_text=True)
    assert "07 222 22 22" in service_page and "07 111 11 11" not in service_page
    assert entry["service_id"] in _found(app, "vozovnico")  # the search index followed
    decided = _proposal(app)
    assert decided.status == ProposalStatus.APPROVED and decided.decided_by_name == "kustos"
    with app.app_context():
        history = db.session.scalars(
            sa.select(Metadata).where(Metadata.resource_id == entry["service_id"], Metadata.updated_by == "kustos")
        ).all()
        assert {m.field_name for m in history} >= {"phones", "eligibility_description", "proposed_by"}
        assert any("Ana Partner" in m.replacement_value for m in history if m.field_name == "proposed_by")
    assert "Applied" in partner.get("/partner/catalog/").get_data(as_text=True)
    # The same page sent again (a double submit) changes nothing more.
    again = curator.post(approve_url, data=loaded)
    assert again.status_code == 200 and "decided in the meantime" in again.get_data(as_text=True)
    assert _proposal(app).version_id == decided.version_id


def test_an_organization_proposal_changes_its_own_contacts(app, entry, partner, curator):
    url = "/partner/catalog/organization"
    assert _propose(partner, url, website="https://www.soncek.si", email="pisarna@soncek.si").status_code == 302
    assert _decide(curator, _proposal(app).id, "approve").status_code == 302
    with app.app_context():
        org = db.session.get(Organization, entry["org_id"])
        assert (org.website, org.email) == ("https://www.soncek.si", "pisarna@soncek.si")
    assert "pisarna@soncek.si" in app.test_client().get(f"/organizations/{entry['org_id']}").get_data(as_text=True)


def test_a_rejection_tells_the_partner_why_and_changes_nothing(app, entry, partner, curator):
    assert _propose(partner, _service_url(entry), phones="07 333 33 33").status_code == 302
    proposal = _proposal(app)
    empty = _decide(curator, proposal.id, "reject", **{"reject-reason": "  "})
    assert empty.status_code == 200 and "Tell the partner why" in empty.get_data(as_text=True)
    assert _proposal(app).status == ProposalStatus.PENDING
    response = _decide(curator, proposal.id, "reject", **{"reject-reason": "Ta številka ne deluje, preverite jo."})
    assert response.status_code == 302
    assert _proposal(app).status == ProposalStatus.REJECTED
    assert _service(app, entry["service_id"]).details.phones == ["07 111 11 11"]
    page = partner.get("/partner/catalog/").get_data(as_text=True)
    assert "Not applied" in page and "Ta številka ne deluje, preverite jo." in page
    with app.app_context():
        mail = db.session.scalar(sa.select(OutgoingMail).where(OutgoingMail.to_addr == PARTNER_EMAIL))
        assert mail is not None and "Ta številka ne deluje" in mail.body


def test_another_organizations_service_is_404_and_staff_pages_are_closed(app, entry, partner):
    other = f"/partner/catalog/services/{entry['other_id']}"
    assert partner.get(other).status_code == 404
    own = _service_url(entry)
    token = read_form(partner.get(own).get_data(as_text=True), own, own)["csrf_token"][0]
    assert partner.post(other, data={"csrf_token": token, "phones": "07 999 99 99"}).status_code == 404
    assert partner.post(f"{other}/confirm", data={"csrf_token": token}).status_code == 404
    assert partner.get("/partner/catalog/services/no-such-service").status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CatalogProposal)) == 0
        assert db.session.get(Service, entry["other_id"]).assured_date is None
    for url in ("/staff/catalog/proposals/", "/staff/catalog/", "/cases/", "/trends/", "/admin/users"):
        assert partner.get(url).status_code == 403, url


def test_a_change_made_meanwhile_is_a_conflict_not_overwritten(app, entry, partner, curator):
    assert _propose(partner, _service_url(entry), phones="07 222 22 22").status_code == 302
    proposal = _proposal(app)
    with app.app_context():  # a curator corrects the phone in the meantime
        service = db.session.get(Service, entry["service_id"])
        details = details_of(service)
        details.phones = ["07 444 44 44"]
        data = {name: getattr(service, name) for name in SERVICE_FIELDS}
        save_service(service, data, details, db.session.scalar(sa.select(User).where(User.username == "kustos")))
    page = curator.get(f"/staff/catalog/proposals/{proposal.id}").get_data(as_text=True)
    assert "changed since" in page and "07 444 44 44" in page and "When proposed: 07 111 11 11" in page
    refused = _decide(curator, proposal.id, "approve")
    assert refused.status_code == 200 and "was changed since the partner proposed" in refused.get_data(as_text=True)
    assert _service(app, entry["service_id"]).details.phones == ["07 444 44 44"]
    assert _proposal(app).status == ProposalStatus.PENDING
    applied = _decide(curator, proposal.id, "approve", **{"approve-overwrite": "y"})
    assert applied.status_code == 302
    assert _service(app, entry["service_id"]).details.phones == ["07 222 22 22"]


def test_nothing_changed_or_bad_hours_save_no_proposal(app, entry, partner):
    same = _propose(partner, _service_url(entry))
    assert same.status_code == 200 and "Nothing differs from the entry" in same.get_data(as_text=True)
    bad = _propose(partner, _service_url(entry), weekly_hours="ponedeljek zjutraj", phones="07 555 55 55")
    body = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "Line 1" in body and "ponedeljek zjutraj" in body  # what was typed stays
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CatalogProposal)) == 0


def test_hours_and_documents_proposed_and_applied(app, entry, partner, curator):
    response = _propose(
        partner, _service_url(entry), weekly_hours="pon 08:00-12:00\nsre 13:00-17:00", documents="Osebna izkaznica"
    )
    assert response.status_code == 302
    assert _decide(curator, _proposal(app).id, "approve").status_code == 302
    details = _service(app, entry["service_id"]).details
    assert details.weekly == [("MO", "08:00", "12:00"), ("WE", "13:00", "17:00")]
    assert details.documents == ["Osebna izkaznica"]


def test_still_accurate_sets_the_verified_date_and_who_confirmed(app, entry, partner):
    page = partner.get("/partner/catalog/").get_data(as_text=True)
    assert "Never confirmed." in page
    token = read_form(page, f"/partner/catalog/services/{entry['service_id']}/confirm")["csrf_token"][0]
    assert partner.post(f"{_service_url(entry)}/confirm", data={"csrf_token": token}).status_code == 302
    assert partner.post("/partner/catalog/organization/confirm", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        service = db.session.get(Service, entry["service_id"])
        org = db.session.get(Organization, entry["org_id"])
        assert service.assured_date == today() and org.assured_date == today()
        assert service.assurer == "Ana Partner (Društvo Sonček)"
        row = db.session.scalar(
            sa.select(Metadata).where(Metadata.resource_id == service.id, Metadata.last_action_type == "verify")
        )
        assert row.updated_by == "partner-ana" and row.replacement_value == today().isoformat()
    public = app.test_client().get(f"/services/{entry['service_id']}").get_data(as_text=True)
    assert "Information last verified on" in public


def test_reminders_go_once_per_entry_per_period(app, entry, partner, runner):
    with app.app_context():  # the service was confirmed a week ago; the organization never
        db.session.get(Service, entry["service_id"]).assured_date = today() - timedelta(days=7)
        db.session.commit()
    result = runner.invoke(args=["catalog", "remind-partners"])
    assert result.exit_code == 0, result.output
    assert "Reminded of 1 entries in 1 e-mails" in result.output
    with app.app_context():
        mails = db.session.scalars(sa.select(OutgoingMail).where(OutgoingMail.to_addr == PARTNER_EMAIL)).all()
        assert len(mails) == 1 and "Društvo Sonček" in mails[0].body and "/partner/catalog/" in mails[0].body
        assert "Svetovanje za dolžnike" not in mails[0].body  # confirmed recently
        # The other organization has no partner account: nobody to remind.
        assert db.session.scalar(sa.select(ConfirmReminder.organization_id).distinct()) == entry["org_id"]
    assert "Reminded of 0 entries in 0 e-mails" in runner.invoke(args=["catalog", "remind-partners"]).output
    with app.app_context():  # half a year later: the service is due too, the organization again
        for row in db.session.scalars(sa.select(ConfirmReminder)):
            row.sent_on -= timedelta(days=200)
        db.session.get(Service, entry["service_id"]).assured_date = today() - timedelta(days=200)
        db.session.commit()
    assert "Reminded of 2 entries in 1 e-mails" in runner.invoke(args=["catalog", "remind-partners"]).output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ConfirmReminder)) == 3
    # Still on the staff's list of entries not verified recently (its own, longer, period).
    app.config["CATALOG_STALE_MONTHS"] = 6
    staff = app.test_client()
    from tests.conftest import create_user, login

    create_user(app, Role.ORGANIZER, "kustos2")
    login(staff, "kustos2")
    html = staff.get("/staff/catalog/stale").get_data(as_text=True)
    row = html[html.index("Svetovanje za dolžnike") :]
    row = row[: row.index("</tr>")]
    # ... with the day its partner was last reminded (the reminder just sent).
    from babel.dates import format_date

    assert format_date(today(), "medium", locale="en") in row


def test_hours_stored_with_seconds_are_no_change_of_their_own(app, entry, partner):
    with app.app_context():  # as an HSDS import writes them
        for row in db.session.get(Service, entry["service_id"]).schedules:
            row.opens_at, row.closes_at = "08:00:00", "12:00:00"
        db.session.commit()
    assert _propose(partner, _service_url(entry), phones="07 222 22 22").status_code == 302
    assert set(_proposal(app).changes) == {"phones"}


def test_markup_in_a_proposal_is_shown_as_text(app, entry, partner, curator):
    script = '<script>alert("x")</script>'
    response = _propose(partner, _service_url(entry), application_process=f"Pokličite. {script}", note=script)
    assert response.status_code == 302
    page = curator.get(f"/staff/catalog/proposals/{_proposal(app).id}").get_data(as_text=True)
    assert script not in page and "&lt;script&gt;" in page
    long = _propose(partner, _service_url(entry), note="x" * 2001, phones="07 666 66 66")
    assert long.status_code == 200 and "2000" in long.get_data(as_text=True)
