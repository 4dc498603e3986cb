"""Every route x every role (and anonymous) -> the expected status."""

import pytest

from welfare.models import Role

ANON = "anonymous"
ROLES = [ANON, *Role]
STAFF = {Role.ORGANIZER, Role.LAWYER, Role.SOCIAL_WORKER}
EVERYONE = set(ROLES)
LOGGED_IN = set(Role)

# (method, url, roles that get 200); everybody else: anonymous -> 302 to login, others -> 403.
# Routes that redirect by design are listed in SPECIAL.
MATRIX = [
    ("GET", "/", EVERYONE),
    ("GET", "/healthz", EVERYONE),
    ("GET", "/cases/", STAFF),
    ("GET", "/cases/office", STAFF),
    ("GET", "/cases/calendar", STAFF),
    ("GET", "/trends/", STAFF | {Role.SUPERVISOR, Role.ADMIN}),
    ("GET", "/admin/users", {Role.ADMIN}),
    ("GET", "/admin/users/new", {Role.ADMIN}),
    ("GET", "/admin/users/1", {Role.ADMIN}),
    ("GET", "/admin/audit", {Role.ADMIN}),
    ("GET", "/search?q=pomoc", EVERYONE),
    ("GET", "/domains/dolgovi", EVERYONE),
    ("GET", "/services/svc-access", EVERYONE),
    ("GET", "/services/svc-access/print", EVERYONE),
    ("GET", "/services/svc-access/report", EVERYONE),
    ("POST", "/services/svc-access/report", EVERYONE),  # empty form: errors shown
    ("GET", "/organizations/org-access", EVERYONE),
    ("GET", "/staff/catalog/", STAFF),
    ("GET", "/staff/catalog/services/new", STAFF),
    ("POST", "/staff/catalog/services/new", STAFF),
    ("GET", "/staff/catalog/services/svc-access/edit", STAFF),
    ("POST", "/staff/catalog/services/svc-access/edit", STAFF),
    ("GET", "/staff/catalog/stale", STAFF),
    ("GET", "/staff/catalog/organizations/new", STAFF),
    ("POST", "/staff/catalog/organizations/new", STAFF),
    ("GET", "/staff/catalog/organizations/org-access/edit", STAFF),
    ("POST", "/staff/catalog/organizations/org-access/edit", STAFF),
    ("GET", "/staff/catalog/reports", STAFF),
    ("GET", "/staff/catalog/taxonomies", STAFF),
    ("GET", "/staff/catalog/taxonomies/pisarna-ciljne-skupine/new", STAFF),
    ("POST", "/staff/catalog/taxonomies/pisarna-ciljne-skupine/new", STAFF),
    ("GET", "/staff/catalog/taxonomies/pisarna-ciljne-skupine/pisarna-ciljne-skupine:romi", STAFF),
    ("POST", "/staff/catalog/taxonomies/pisarna-ciljne-skupine/pisarna-ciljne-skupine:romi", STAFF),
    ("GET", "/staff/catalog/insights", STAFF),
    ("GET", "/staff/catalog/synonyms", STAFF),
    ("GET", "/staff/catalog/synonyms/new", STAFF),
    ("POST", "/staff/catalog/synonyms/new", STAFF),  # empty form: errors shown
    ("GET", "/staff/catalog/synonyms/1", STAFF),
    ("GET", "/api/hsds/", EVERYONE),
    ("GET", "/api/hsds/services", EVERYONE),
    ("GET", "/api/hsds/services/svc-access", EVERYONE),
    ("GET", "/api/hsds/organizations", EVERYONE),
    ("GET", "/api/hsds/organizations/org-access", EVERYONE),
    ("GET", "/api/hsds/taxonomies", EVERYONE),
    ("GET", "/api/hsds/taxonomy_terms", EVERYONE),
]
STAFF_REDIRECT = {ANON: 302, **{r: (302 if r in STAFF else 403) for r in Role}}
# (method, url) -> {role: status}, for routes whose answer is not 200/302/403.
SPECIAL = {
    ("GET", "/login"): {ANON: 200, **{r: 302 for r in Role}},  # logged-in users go home
    ("POST", "/logout"): {ANON: 302, **{r: 302 for r in Role}},
    ("POST", "/language"): {r: 302 for r in ROLES},
    ("POST", "/login"): {ANON: 200, **{r: 302 for r in Role}},  # empty form: errors shown
    ("POST", "/admin/users/new"): {ANON: 302, **{r: 403 for r in Role if r != Role.ADMIN}, Role.ADMIN: 200},
    ("POST", "/admin/users/1"): {ANON: 302, **{r: 403 for r in Role if r != Role.ADMIN}, Role.ADMIN: 200},
    ("POST", "/admin/users/1/password"): {ANON: 302, **{r: 403 for r in Role if r != Role.ADMIN}, Role.ADMIN: 400},
    ("POST", "/staff/catalog/services/svc-access/publish"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/services/svc-access/verify"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/reports/1"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/insights/synonym"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/insights/pin"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/insights/pin/1/delete"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/reindex"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/synonyms/1"): STAFF_REDIRECT,  # an emptied group is deleted
    ("POST", "/cases/calendar/renew"): {ANON: 302, **{r: (200 if r in STAFF else 403) for r in Role}},  # shows the URL
    ("GET", "/calendar/wrong-token.ics"): {r: 404 for r in ROLES},  # the feed: no login, an unknown token is 404
}
IGNORED_ENDPOINTS = {"static"}


def expected_status(role, allowed) -> int:
    if role in allowed:
        return 200
    return 302 if role == ANON else 403


CASES = [(m, u, r, expected_status(r, allowed)) for m, u, allowed in MATRIX for r in ROLES]
CASES += [(m, u, r, status) for (m, u), by_role in SPECIAL.items() for r, status in by_role.items()]


@pytest.fixture(autouse=True)
def catalog_records(app):
    """A public service, its organization and a change report with known ids."""
    from catalog.models import ChangeReport
    from catalog.search.models import SynonymGroup
    from tests.factories import make_org, make_service
    from welfare.extensions import db

    with app.app_context():
        service = make_service(make_org(id="org-access"), id="svc-access")
        db.session.add(ChangeReport(id=1, service_id=service.id, message="Sprememba za test dostopa."))
        db.session.add(SynonymGroup(id=1, terms="dolg\nzadolženost"))
        db.session.commit()


@pytest.fixture
def client_for(app, client, login_as):
    def _client(role):
        return client if role == ANON else login_as(role, "the-user")

    return _client


@pytest.mark.parametrize(
    "method, url, role, status", CASES, ids=[f"{m} {u} {getattr(r, 'value', r)}" for m, u, r, _ in CASES]
)
def test_access(app, client_for, method, url, role, status):
    client = client_for(role)
    if method == "POST":
        from tests.conftest import csrf_token

        token = csrf_token(client, "/login" if role == ANON else "/")
        response = client.post(url, data={"csrf_token": token})
    else:
        response = client.get(url)
    assert response.status_code == status


def test_matrix_covers_every_route(app):
    covered = {(m, u) for m, u, _ in MATRIX} | set(SPECIAL)
    covered_rules = set()
    adapter = app.url_map.bind("localhost")
    for method, url in covered:
        endpoint, _ = adapter.match(url.split("?")[0], method=method)
        covered_rules.add((endpoint, method))
    for rule in app.url_map.iter_rules():
        if rule.endpoint in IGNORED_ENDPOINTS:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (rule.endpoint, method) in covered_rules, f"{method} {rule.rule} is missing from the access matrix"
