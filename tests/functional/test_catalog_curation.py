"""Staff curation: forms with real CSRF, change history, publication, verification, reports."""

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from catalog.models import ChangeReport, Metadata, Organization, Service
from catalog.seed import load_taxonomies
from tests.conftest import csrf_token
from tests.factories import make_org, make_service
from welfare import clock
from welfare.clock import today
from welfare.extensions import db
from welfare.models import Role


@pytest.fixture
def org_id(app):
    with app.app_context():
        load_taxonomies()
        org = make_org("Karitas Novo mesto")
        db.session.commit()
        return org.id


def service_form(org_id, **overrides):
    data = {
        "name": "Pomoč pri položnicah",
        "organization_id": org_id,
        "status": "active",
        "description": "Pomagamo pri plačilu zaostalih položnic.",
        "domains": ["pisarna-zivljenjska-podrocja:dolgovi", "pisarna-zivljenjska-podrocja:revscina"],
        "target_groups": ["pisarna-ciljne-skupine:druzine"],
        "areas": ["Novo mesto", "Šentjernej"],
        "documents": "Osebni dokument\nZadnje položnice",
        "free_of_charge": "y",
        "phones": "07 123 45 67",
        "languages": ["sl", "hr"],
        "address_1": "Kandijska cesta 29",
        "postal_code": "8000",
        "city": "Novo mesto",
        "weekly_hours": "pon,sre 08:00-12:00",
        "exceptions": "2026-12-25 zaprto",
        "email": "",
        "url": "",
    }
    data.update(overrides)
    return data


def _service(app, name="Pomoč pri položnicah"):
    with app.app_context():
        return db.session.scalar(sa.select(Service).where(Service.name == name))


def test_staff_creates_a_draft_service_with_all_parts(app, login_as, org_id):
    staff = login_as(Role.ORGANIZER)
    token = csrf_token(staff, "/staff/catalog/services/new")
    response = staff.post("/staff/catalog/services/new", data={"csrf_token": token, **service_form(org_id)})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        service = db.session.scalar(sa.select(Service).where(Service.name == "Pomoč pri položnicah"))
        assert not service.is_published
        assert sorted(a.name for a in service.service_areas) == ["Novo mesto", "Šentjernej"]
        assert [d.document for d in service.required_documents] == ["Osebni dokument", "Zadnje položnice"]
        assert service.is_free and [p.number for p in service.phones] == ["07 123 45 67"]
        assert service.service_at_locations[0].location.addresses[0].address_1 == "Kandijska cesta 29"
        assert sorted((s.byday, s.opens_at) for s in service.schedules if s.freq) == [("MO", "08:00"), ("WE", "08:00")]
        assert sorted(a.taxonomy_term.code for a in service.attributes) == ["dolgovi", "druzine", "revscina"]
        created = db.session.scalar(sa.select(Metadata).where(Metadata.resource_id == service.id))
        assert created.last_action_type == "create" and created.updated_by == "organizer-user"
    # A draft is not public.
    assert app.test_client().get(f"/services/{service.id}").status_code == 404


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"domains": []}, "Choose at least one life domain."),
        ({"name": ""}, "Enter the name."),
        ({"postal_code": "80000"}, "A Slovenian postal code has four digits."),
        ({"city": ""}, "Fill in street, postal code and town, or leave all three empty."),
        ({"weekly_hours": "pon 17:00-08:00"}, "Line 1: write the hours as 08:00-15:00"),
        ({"minimum_age": "30", "maximum_age": "20"}, "The maximum age must not be lower than the minimum age."),
        ({"phones": "pokličite nas"}, "is not a phone number"),
        ({"email": "ni-naslov"}, "Enter a valid e-mail address."),
        ({"url": "www.brez-sheme"}, "Enter a full web address"),
        ({"areas": ["Atlantida"]}, "is not a valid choice for this field."),
    ],
)
def test_bad_input_is_explained_and_nothing_typed_is_lost(app, login_as, org_id, overrides, message):
    staff = login_as(Role.LAWYER)
    token = csrf_token(staff, "/staff/catalog/services/new")
    response = staff.post(
        "/staff/catalog/services/new", data={"csrf_token": token, **service_form(org_id, **overrides)}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in html
    assert "Pomagamo pri plačilu zaostalih položnic." in html  # the description typed is still there
    assert _service(app) is None


def test_edit_writes_field_history_and_refuses_stale_saves(app, login_as, org_id):
    staff = login_as(Role.SOCIAL_WORKER)
    token = csrf_token(staff, "/staff/catalog/services/new")
    staff.post("/staff/catalog/services/new", data={"csrf_token": token, **service_form(org_id)})
    service = _service(app)
    url = f"/staff/catalog/services/{service.id}/edit"
    page = staff.get(url).get_data(as_text=True)
    assert "pon 08:00-12:00" in page and "Kandijska cesta 29" in page  # the form shows what is stored
    edit = service_form(
        org_id,
        name="Pomoč pri položnicah",
        description="Nov opis.",
        phones="07 765 43 21",
        version_id=service.version_id,
    )
    assert staff.post(url, data={"csrf_token": token, **edit}).status_code == 302
    with app.app_context():
        rows = db.session.scalars(
            sa.select(Metadata).where(Metadata.resource_id == service.id, Metadata.last_action_type == "update")
        ).all()
        changes = {r.field_name: (r.previous_value, r.replacement_value) for r in rows}
    assert changes == {
        "description": ("Pomagamo pri plačilu zaostalih položnic.", "Nov opis."),
        "phones": ("07 123 45 67", "07 765 43 21"),
    }
    stale = dict(edit, description="Še en opis.")  # same, now outdated version
    html = staff.post(url, data={"csrf_token": token, **stale}).get_data(as_text=True)
    assert "Someone else saved this record" in html and "Še en opis." in html
    assert _service(app).description == "Nov opis."
    assert "Change history" in staff.get(url).get_data(as_text=True)


def test_publish_archive_and_verify(app, login_as):
    with app.app_context():
        service = make_service(published=False)
        db.session.commit()
        sid = service.id
    staff = login_as(Role.ORGANIZER)
    token = csrf_token(staff, f"/staff/catalog/services/{sid}/edit")
    public = app.test_client()
    assert public.get(f"/services/{sid}").status_code == 404
    staff.post(f"/staff/catalog/services/{sid}/publish", data={"csrf_token": token})
    assert public.get(f"/services/{sid}").status_code == 200
    staff.post(f"/staff/catalog/services/{sid}/archive", data={"csrf_token": token})
    assert public.get(f"/services/{sid}").status_code == 404
    staff.post(f"/staff/catalog/services/{sid}/restore", data={"csrf_token": token})
    assert public.get(f"/services/{sid}").status_code == 200
    staff.post(f"/staff/catalog/services/{sid}/verify", data={"csrf_token": token})
    service = _service(app, "Svetovanje za dolžnike")
    assert service.assured_date == today() and service.assurer == "organizer-user"
    assert "Information last verified on" in public.get(f"/services/{sid}").get_data(as_text=True)


class _HalfPastMidnightInNovoMesto(datetime):
    """23:30 UTC on 7 December: the server's day is still the 7th, the office's is the 8th."""

    @classmethod
    def now(cls, tz=None):
        moment = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)
        return moment.astimezone(tz) if tz else moment.replace(tzinfo=None)


def test_verified_today_and_the_stale_list_go_by_the_offices_day(app, login_as, monkeypatch):
    """A check made after midnight in Novo mesto is dated that day, on a server that runs on UTC."""
    monkeypatch.setattr(clock, "datetime", _HalfPastMidnightInNovoMesto)
    with app.app_context():
        org = make_org()
        sid = make_service(org, "Preverjena 7. 12. 2025", assured_date=date(2025, 12, 7)).id
        db.session.commit()
    staff = login_as(Role.ORGANIZER)
    html = staff.get("/staff/catalog/stale").get_data(as_text=True)
    assert "Preverjena 7. 12. 2025" in html  # more than twelve months before the office's 8 December
    staff.post(
        f"/staff/catalog/services/{sid}/verify",
        data={"csrf_token": csrf_token(staff, f"/staff/catalog/services/{sid}/edit")},
    )
    assert _service(app, "Preverjena 7. 12. 2025").assured_date == date(2026, 12, 8)


def test_stale_list_is_oldest_first_and_configurable(app, login_as):
    with app.app_context():
        org = make_org()
        make_service(org, "Nikoli preverjena")
        make_service(org, "Preverjena pred dvema letoma", assured_date=today() - timedelta(days=800))
        make_service(org, "Preverjena pred 13 meseci", assured_date=today() - timedelta(days=400))
        make_service(org, "Preverjena včeraj", assured_date=today() - timedelta(days=1))
        db.session.commit()
    html = login_as(Role.ORGANIZER).get("/staff/catalog/stale").get_data(as_text=True)
    positions = [
        html.find(n) for n in ("Nikoli preverjena", "Preverjena pred dvema letoma", "Preverjena pred 13 meseci")
    ]
    assert -1 not in positions and positions == sorted(positions)
    assert "Preverjena včeraj" not in html
    app.config["CATALOG_STALE_MONTHS"] = 24
    html = login_as(Role.LAWYER).get("/staff/catalog/stale").get_data(as_text=True)
    assert "Preverjena pred 13 meseci" not in html and "Preverjena pred dvema letoma" in html


def test_change_report_queue(app, login_as):
    with app.app_context():
        service = make_service()
        db.session.add_all(
            [
                ChangeReport(service_id=service.id, message="Nova telefonska številka je 07 000 00 00."),
                ChangeReport(service_id=service.id, message="Neuporabno sporočilo za zavrnitev."),
            ]
        )
        db.session.commit()
        first, second = db.session.scalars(sa.select(ChangeReport.id).order_by(ChangeReport.id)).all()
    staff = login_as(Role.ORGANIZER)
    token = csrf_token(staff, "/staff/catalog/reports")
    assert "Nova telefonska številka" in staff.get("/staff/catalog/reports").get_data(as_text=True)
    accepted = staff.post(f"/staff/catalog/reports/{first}", data={"csrf_token": token, "decision": "accept"})
    assert accepted.headers["Location"].endswith("/edit")
    staff.post(f"/staff/catalog/reports/{second}", data={"csrf_token": token, "decision": "dismiss"})
    with app.app_context():
        statuses = db.session.scalars(sa.select(ChangeReport.status).order_by(ChangeReport.id)).all()
    assert statuses == ["accepted", "dismissed"]
    assert "No reports are waiting." in staff.get("/staff/catalog/reports").get_data(as_text=True)


def test_organization_create_and_edit(app, login_as):
    with app.app_context():
        load_taxonomies()
        db.session.commit()
    staff = login_as(Role.ORGANIZER)
    token = csrf_token(staff, "/staff/catalog/organizations/new")
    bad = staff.post(
        "/staff/catalog/organizations/new",
        data={"csrf_token": token, "name": "Društvo X", "description": "", "website": "ftp:/x"},
    )
    assert "Enter a description." in bad.get_data(as_text=True)
    ok = staff.post(
        "/staff/catalog/organizations/new",
        data={
            "csrf_token": token,
            "name": "Društvo X",
            "description": "Opis.",
            "provider_type": "pisarna-vrste-izvajalcev:nvo",
            "website": "https://x.example.si",
        },
    )
    assert ok.status_code == 302
    with app.app_context():
        org = db.session.scalar(sa.select(Organization).where(Organization.name == "Društvo X"))
        assert [a.taxonomy_term_id for a in org.attributes] == ["pisarna-vrste-izvajalcev:nvo"]
        assert not org.is_published


def test_organization_phones_and_address(app, login_as):
    with app.app_context():
        load_taxonomies()
        org = make_org("Društvo Y")
        make_service(
            org,
            "Zatočišče",
            is_confidential_location=True,
            address={"address_1": "Tajna pot 1", "postal_code": "8000", "city": "Novo mesto"},
        )
        db.session.commit()
        org_id, version = org.id, org.version_id
    staff = login_as(Role.ORGANIZER)
    url = f"/staff/catalog/organizations/{org_id}/edit"
    token = csrf_token(staff, url)
    base = {"csrf_token": token, "name": "Društvo Y", "description": "Opis.", "version_id": version}
    bad = staff.post(url, data={**base, "phones": "07 111 11 11\nklic", "address_1": "Glavni trg 3"})
    html = bad.get_data(as_text=True)
    assert "is not a phone number" in html and "Fill in street, postal code and town" in html
    ok = staff.post(
        url,
        data={
            **base,
            "phones": "07 111 11 11",
            "address_1": "Glavni trg 3",
            "postal_code": "8000",
            "city": "Novo mesto",
        },
    )
    assert ok.status_code == 302
    page = app.test_client().get(f"/organizations/{org_id}").get_data(as_text=True)
    assert "07 111 11 11" in page and "Glavni trg 3, 8000 Novo mesto" in page
    assert "Tajna pot" not in page  # a safe house's address never shows, not even on its organization
    edit = staff.get(url).get_data(as_text=True)
    assert "Glavni trg 3" in edit and "07 111 11 11" in edit
    with app.app_context():
        changed = set(db.session.scalars(sa.select(Metadata.field_name).where(Metadata.resource_id == org_id)))
        assert {"phones", "address"} <= changed


def test_staff_list_filter_takes_percent_and_underscore_literally(app, login_as):
    with app.app_context():
        org = make_org("Društvo Sonce")
        make_service(org, "Popust 50% za upokojence")
        make_service(org, "Tečaj e_uprave za starejše")
        make_service(org, "Pomoč na domu")
        db.session.commit()
    staff = login_as(Role.ORGANIZER)
    percent = staff.get("/staff/catalog/?q=%25").get_data(as_text=True)
    assert "Popust 50% za upokojence" in percent
    assert "Pomoč na domu" not in percent and "Tečaj e_uprave" not in percent
    underscore = staff.get("/staff/catalog/?q=_").get_data(as_text=True)
    assert "Tečaj e_uprave za starejše" in underscore
    assert "Pomoč na domu" not in underscore and "Popust 50%" not in underscore
    assert "Pomoč na domu" in staff.get("/staff/catalog/?q=NA+DOMU").get_data(as_text=True)  # still case-insensitive
