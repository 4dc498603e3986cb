"""Hostile input in the catalog's staff forms, the public "report a change" form, the
administrator's user forms and the login form: never a 5xx, never the marker script unescaped,
never a half-written record (tests/fuzz_helpers.py). The case module's forms are in test_fuzz.py."""

import secrets
import string

import pytest
import sqlalchemy as sa

from catalog.models import Service, Taxonomy
from tests.conftest import create_user
from tests.fuzz_helpers import MARKER, fuzz_form, table_counts
from welfare.extensions import db, limiter
from welfare.models import Role, User

TABLES = (
    "organization",
    "service",
    "location",
    "service_at_location",
    "address",
    "phone",
    "schedule",
    "contact",
    "language",
    "cost_option",
    "service_area",
    "required_document",
    "accessibility",
    "attribute",
    "taxonomy_term",
    "metadata",
    "catalog_change_report",
    "catalog_synonym_group",
    "catalog_domain_phrase",
    "user",
)
FORMS = {
    # name: (who, page that shows the form, path it posts to)
    "new_service": ("organizer", "/staff/catalog/services/new", "/staff/catalog/services/new"),
    "edit_service": ("organizer", "/staff/catalog/services/{service}/edit", "/staff/catalog/services/{service}/edit"),
    "new_organization": ("organizer", "/staff/catalog/organizations/new", "/staff/catalog/organizations/new"),
    "edit_organization": (
        "organizer",
        "/staff/catalog/organizations/{org}/edit",
        "/staff/catalog/organizations/{org}/edit",
    ),
    "new_term": ("organizer", "/staff/catalog/taxonomies/{taxonomy}/new", "/staff/catalog/taxonomies/{taxonomy}/new"),
    "synonyms": ("organizer", "/staff/catalog/synonyms/new", "/staff/catalog/synonyms/new"),
    "phrase": ("organizer", "/staff/catalog/phrases/nasilje", "/staff/catalog/phrases/nasilje"),
    "report_change": ("public", "/services/{service}/report", "/services/{service}/report"),
    "new_user": ("admin", "/admin/users/new", "/admin/users/new"),
    "edit_user": ("admin", "/admin/users/{user}", "/admin/users/{user}"),
    # The admin sets no password any more (issue 21): people change and reset their own.
    "password": ("organizer", "/account/password", "/account/password"),
    "reset": ("public", "/account/reset", "/account/reset"),
    "login": ("public", "/login", "/login"),
}


def _unique_name(size=28):
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(size))


@pytest.fixture(autouse=True)
def _whoosh_names_from_secrets(monkeypatch):
    """Whoosh names its segments and temporary files from the global `random`, which hypothesis
    seeds anew for every example: two accepted posts in one run would name two segments alike."""
    import whoosh.codec.base
    import whoosh.filedb.compound
    import whoosh.filedb.filestore
    import whoosh.writing

    for module in (whoosh.codec.base, whoosh.filedb.compound, whoosh.filedb.filestore, whoosh.writing):
        monkeypatch.setattr(module, "random_name", _unique_name)


@pytest.fixture
def world(app, demo, login_as):
    create_user(app, Role.LAWYER, "pravnik")
    with app.app_context():
        service = db.session.scalar(sa.select(Service).order_by(Service.name).limit(1))
        ids = {
            "service": service.id,
            "org": service.organization_id,
            "taxonomy": db.session.scalar(sa.select(Taxonomy.id).order_by(Taxonomy.id).limit(1)),
            "user": db.session.scalar(sa.select(User.id).where(User.username == "pravnik")),
        }
    clients = {"organizer": login_as(Role.ORGANIZER), "admin": login_as(Role.ADMIN), "public": app.test_client()}
    limiter.enabled = False  # limits would answer 429 long before the hostile value got in
    yield ids, clients
    limiter.enabled = True


@pytest.mark.parametrize("form_name", list(FORMS))
def test_hostile_input_in_staff_admin_and_public_forms(app, world, form_name):
    ids, clients = world
    who, page, target = FORMS[form_name]
    client = clients[who]
    fuzz_form(app, client, form_name, page.format(**ids), target.format(**ids), lambda: table_counts(app, TABLES, 9))
    # Whatever got in is shown escaped where staff and the public read it.
    for path in ("/staff/catalog/", f"/services/{ids['service']}", "/admin/users", "/search?q=x"):
        viewer = clients["admin"] if path.startswith("/admin") else clients["organizer"]
        shown = viewer.get(path)
        assert shown.status_code == 200 and MARKER not in shown.get_data(as_text=True), path
