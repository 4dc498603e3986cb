"""Staff edit the life-domain tree; the public browse pages follow."""

import pytest
import sqlalchemy as sa

from catalog.models import Metadata, TaxonomyTerm
from catalog.seed import load_taxonomies
from tests.conftest import csrf_token
from tests.factories import make_service
from welfare.extensions import db
from welfare.models import Role

DOMAINS = "pisarna-zivljenjska-podrocja"


@pytest.fixture(autouse=True)
def taxonomies(app):
    with app.app_context():
        load_taxonomies()
        db.session.commit()


def test_add_a_sub_domain_and_browse_it(app, login_as):
    staff = login_as(Role.ORGANIZER)
    url = f"/staff/catalog/taxonomies/{DOMAINS}/new"
    token = csrf_token(staff, url)
    response = staff.post(
        url,
        data={
            "csrf_token": token,
            "name": "Igre na srečo",
            "code": "igre-na-sreco",
            "description": "Zasvojenost z igrami na srečo.",
            "parent_id": f"{DOMAINS}:zasvojenost",
        },
    )
    assert response.status_code == 302
    assert "Igre na srečo" in staff.get("/staff/catalog/taxonomies").get_data(as_text=True)
    with app.app_context():
        make_service(name="Svetovanje pri zasvojenosti z igrami", domains=("igre-na-sreco",))
        db.session.commit()
    # The parent domain's page includes services of its sub-domain.
    assert "Svetovanje pri zasvojenosti z igrami" in app.test_client().get("/domains/zasvojenost").get_data(
        as_text=True
    )


def test_term_validation(app, login_as):
    staff = login_as(Role.LAWYER)
    url = f"/staff/catalog/taxonomies/{DOMAINS}/new"
    token = csrf_token(staff, url)
    html = staff.post(url, data={"csrf_token": token, "name": "Dvojnik", "code": "nasilje"}).get_data(as_text=True)
    assert "Another term already uses this code." in html and 'value="Dvojnik"' in html
    html = staff.post(url, data={"csrf_token": token, "name": "X", "code": "Čšž koda"}).get_data(as_text=True)
    assert "Use lowercase letters without diacritics" in html


def test_no_cycles_and_history(app, login_as):
    staff = login_as(Role.SOCIAL_WORKER)
    parent_url = f"/staff/catalog/taxonomies/{DOMAINS}/{DOMAINS}:zasvojenost"
    token = csrf_token(staff, parent_url)
    staff.post(
        f"/staff/catalog/taxonomies/{DOMAINS}/new",
        data={"csrf_token": token, "name": "Alkohol", "code": "alkohol", "parent_id": f"{DOMAINS}:zasvojenost"},
    )
    html = staff.post(
        parent_url,
        data={"csrf_token": token, "name": "Zasvojenost", "code": "zasvojenost", "parent_id": f"{DOMAINS}:alkohol"},
    ).get_data(as_text=True)
    assert "A term cannot be placed under itself or its own sub-term." in html
    staff.post(
        parent_url, data={"csrf_token": token, "name": "Zasvojenosti", "code": "zasvojenost", "description": "Novo."}
    )
    with app.app_context():
        assert db.session.get(TaxonomyTerm, f"{DOMAINS}:zasvojenost").name == "Zasvojenosti"
        fields = set(
            db.session.scalars(sa.select(Metadata.field_name).where(Metadata.resource_id == f"{DOMAINS}:zasvojenost"))
        )
        assert {"name", "description"} <= fields
