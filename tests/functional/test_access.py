"""Every route x every role (and anonymous) -> the expected status."""

import pytest
import sqlalchemy as sa

from tests.conftest import app_with_empty_database, close_database, create_user, login
from welfare.extensions import db, limiter
from welfare.models import Role, User

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
    ("GET", "/favicon.ico", EVERYONE),
    ("GET", "/cases/", STAFF),
    ("GET", "/cases/office", STAFF),
    ("GET", "/cases/calendar", STAFF),
    ("GET", "/trends/", STAFF | {Role.SUPERVISOR, Role.ADMIN}),
    ("GET", "/trends/flow", STAFF | {Role.SUPERVISOR, Role.ADMIN}),
    ("GET", "/trends/demand", STAFF | {Role.SUPERVISOR, Role.ADMIN}),
    ("GET", "/trends/report", STAFF | {Role.SUPERVISOR, Role.ADMIN}),
    ("GET", "/trends/export.csv", STAFF | {Role.SUPERVISOR, Role.ADMIN}),
    ("GET", "/trends/export.xlsx", STAFF | {Role.SUPERVISOR, Role.ADMIN}),
    ("GET", "/admin/users", {Role.ADMIN}),
    ("GET", "/admin/users/new", {Role.ADMIN}),
    ("GET", "/admin/users/1", {Role.ADMIN}),
    ("GET", "/admin/audit", {Role.ADMIN}),
    ("GET", "/admin/login-locks", {Role.ADMIN}),
    # Accounts (issue 21): one's own account pages; the links' pages are public (a bad token is 404).
    ("GET", "/account", LOGGED_IN),
    ("GET", "/account/password", LOGGED_IN),
    ("POST", "/account/password", LOGGED_IN),  # empty form: errors shown
    ("GET", "/account/reset", EVERYONE),
    ("POST", "/account/reset", EVERYONE),  # empty form: errors shown
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
    ("GET", "/staff/catalog/import", STAFF),
    ("POST", "/staff/catalog/import", STAFF),  # empty form: errors shown
    ("GET", "/staff/catalog/synonyms/1", STAFF),
    ("GET", "/staff/catalog/phrases", STAFF),
    ("GET", "/staff/catalog/phrases/dolgovi", STAFF),
    ("POST", "/staff/catalog/phrases/dolgovi", STAFF),  # empty form: errors shown
    ("GET", "/cases/persons?q=kovac", STAFF),
    ("GET", "/cases/persons/1", STAFF),
    # The person's edit page, history and merge (merging person 1 into itself is refused: 200 with the message).
    ("GET", "/cases/persons/1/edit", STAFF),
    ("POST", "/cases/persons/1/edit", STAFF),  # empty form: errors shown
    ("GET", "/cases/persons/1/history", STAFF),
    ("GET", "/cases/persons/1/merge", STAFF),
    ("POST", "/cases/persons/1/merge", STAFF),  # empty form: errors shown
    ("GET", "/cases/persons/1/merge/1", STAFF),
    ("POST", "/cases/persons/1/merge/1", STAFF),
    ("GET", "/cases/new", STAFF),
    ("POST", "/cases/new", STAFF),  # empty form: errors shown
    ("GET", "/cases/contacts/new", STAFF),
    ("POST", "/cases/contacts/new", STAFF),  # empty form: errors shown
    ("GET", "/cases/2026-0001", STAFF),
    ("GET", "/cases/2026-0001/edit", STAFF),
    ("POST", "/cases/2026-0001/edit", STAFF),  # empty form: errors shown
    ("GET", "/cases/2026-0001/close", STAFF),
    ("POST", "/cases/2026-0001/close", STAFF),  # empty form: errors shown
    ("GET", "/cases/2026-0001/challenges/new", STAFF),
    ("POST", "/cases/2026-0001/challenges/new", STAFF),  # empty form: errors shown
    ("GET", "/cases/2026-0001/challenges/1/edit", STAFF),
    ("POST", "/cases/2026-0001/challenges/1/edit", STAFF),  # empty form: errors shown
    ("GET", "/cases/2026-0001/timeline/new", STAFF),
    ("POST", "/cases/2026-0001/timeline/new", STAFF),  # empty form: errors shown
    ("GET", "/cases/2026-0001/consents/new", STAFF),
    ("POST", "/cases/2026-0001/consents/new", STAFF),  # empty form: errors shown
    ("GET", "/cases/2026-0001/consents/1/withdraw", STAFF),
    ("POST", "/cases/2026-0001/consents/1/withdraw", STAFF),  # empty form: errors shown
    ("GET", "/api/hsds/", EVERYONE),
    ("GET", "/api/hsds/services", EVERYONE),
    ("GET", "/api/hsds/services/svc-access", EVERYONE),
    ("GET", "/api/hsds/organizations", EVERYONE),
    ("GET", "/api/hsds/organizations/org-access", EVERYONE),
    ("GET", "/api/hsds/taxonomies", EVERYONE),
    ("GET", "/api/hsds/taxonomy_terms", EVERYONE),
    ("GET", "/api/hsds/taxonomies/pisarna-vrste-izvajalcev", EVERYONE),
    ("GET", "/api/hsds/taxonomy_terms/pisarna-vrste-izvajalcev:nvo", EVERYONE),
    ("GET", "/api/hsds/service_at_locations", EVERYONE),
    # Plans and deadlines of case 2026-0042 (goal 1, step 1, review 1); empty POSTs show form errors.
    ("GET", "/cases/2026-0042/plan", STAFF),
    ("GET", "/cases/2026-0042/plan/goals/new", STAFF),
    ("POST", "/cases/2026-0042/plan/goals/new", STAFF),
    ("GET", "/cases/2026-0042/plan/goals/1/edit", STAFF),
    ("POST", "/cases/2026-0042/plan/goals/1/edit", STAFF),
    ("GET", "/cases/2026-0042/plan/goals/1/steps/new", STAFF),
    ("POST", "/cases/2026-0042/plan/goals/1/steps/new", STAFF),
    ("GET", "/cases/2026-0042/plan/steps/1/edit", STAFF),
    ("POST", "/cases/2026-0042/plan/steps/1/edit", STAFF),
    ("GET", "/cases/2026-0042/plan/reviews/new", STAFF),
    ("POST", "/cases/2026-0042/plan/reviews/new", STAFF),
    ("GET", "/cases/2026-0042/plan/reviews/1/held", STAFF),
    ("POST", "/cases/2026-0042/plan/reviews/1/held", STAFF),
    ("GET", "/cases/2026-0042/plan/print", STAFF),
    ("POST", "/cases/2026-0042/plan/print", STAFF),  # empty form: the purpose is asked again
    ("GET", "/cases/2026-0042/deadlines/new", STAFF),
    ("POST", "/cases/2026-0042/deadlines/new", STAFF),
    ("GET", "/cases/2026-0042/history", STAFF),
    ("GET", "/cases/2026-0042/history?kind=referral", STAFF),
    # The case access log for administrators (outside /cases/; supervisors and staff 403).
    ("GET", "/admin/access-log", {Role.ADMIN}),
    ("GET", "/admin/access-log?user=x&case=2026-0001&date_from=2026-01-01&action=view", {Role.ADMIN}),
    ("GET", "/admin/access-log/export.csv", {Role.ADMIN}),
    # Referrals of case 2026-0001 (referral 1 to svc-access) and unmet needs; empty POSTs show form errors.
    ("GET", "/cases/2026-0001/referrals", STAFF),
    ("GET", "/cases/2026-0001/referrals/new?search=unknown-id", STAFF),
    ("GET", "/cases/2026-0001/referrals/new?service=svc-access", STAFF),
    ("POST", "/cases/2026-0001/referrals/new?service=svc-access", STAFF),
    ("GET", "/cases/2026-0001/referrals/1", STAFF),
    ("GET", "/cases/2026-0001/referrals/1/slip", STAFF),
    ("GET", "/cases/2026-0001/needs/new", STAFF),
    ("POST", "/cases/2026-0001/needs/new", STAFF),
    # The data-subject export of person 1 (a purpose first; without one the form is shown again).
    ("GET", "/cases/persons/1/export", STAFF),
    ("GET", "/cases/persons/1/export/view", STAFF),
    ("GET", "/cases/persons/1/export/view?purpose=for_person", STAFF),
    ("GET", "/cases/persons/1/export.json?purpose=legal", STAFF),
    ("GET", "/cases/persons/1/export.zip?purpose=legal", STAFF),
    # Documents on a case (document 1 on case 2026-0001): the team only.
    ("GET", "/cases/2026-0001/documents/new", STAFF),
    ("POST", "/cases/2026-0001/documents/new", STAFF),
    ("GET", "/cases/2026-0001/documents/1", STAFF),
    ("GET", "/cases/2026-0001/documents/1/delete", STAFF),
    ("POST", "/cases/2026-0001/documents/1/delete", STAFF),
    # Erasure (admins only); the empty POST shows form errors and erases nothing.
    ("GET", "/admin/erasure", {Role.ADMIN}),
    ("GET", "/admin/erasure?person=999", {Role.ADMIN}),
    ("GET", "/admin/erasure/1", {Role.ADMIN}),
    ("POST", "/admin/erasure/1", {Role.ADMIN}),
    # Partners (issue 25): their own organization's referrals and services only; invited by admins.
    ("GET", "/partner/", {Role.PARTNER}),
    ("GET", "/partner/referrals/2", {Role.PARTNER}),
    ("POST", "/partner/referrals/2", {Role.PARTNER}),  # no version: the page is shown again, nothing saved
    ("GET", "/partner/services", {Role.PARTNER}),
    ("GET", "/partner/services/svc-access/capacity", {Role.PARTNER}),
    ("POST", "/partner/services/svc-access/capacity", {Role.PARTNER}),  # empty form: errors shown
    # The monthly statement: the partner's own organization's; every organization's for trend readers.
    ("GET", "/partner/statement", {Role.PARTNER}),
    ("GET", "/partner/statement?month=2025-01", {Role.PARTNER}),
    ("GET", "/partner/statement.csv", {Role.PARTNER}),
    ("GET", "/partner/statement.xlsx?month=2025-01", {Role.PARTNER}),
    ("GET", "/trends/statements", STAFF | {Role.SUPERVISOR, Role.ADMIN}),
    ("GET", "/trends/statements/org-access", STAFF | {Role.SUPERVISOR, Role.ADMIN}),
    ("GET", "/trends/statements/org-access/export.csv", STAFF | {Role.SUPERVISOR, Role.ADMIN}),
    ("GET", "/trends/statements/org-access/export.xlsx?month=2025-01", STAFF | {Role.SUPERVISOR, Role.ADMIN}),
    # Their own catalog entries: proposals and "still accurate"; the curators decide on proposal 1.
    ("GET", "/partner/catalog/", {Role.PARTNER}),
    ("GET", "/partner/catalog/organization", {Role.PARTNER}),
    ("POST", "/partner/catalog/organization", {Role.PARTNER}),  # nothing differs: the form says so
    ("GET", "/partner/catalog/services/svc-access", {Role.PARTNER}),
    ("POST", "/partner/catalog/services/svc-access", {Role.PARTNER}),  # nothing differs: the form says so
    ("GET", "/staff/catalog/proposals/", STAFF),
    ("GET", "/staff/catalog/proposals/1", STAFF),
    ("POST", "/staff/catalog/proposals/1/approve", STAFF),  # no version: the page again, nothing applied
    ("POST", "/staff/catalog/proposals/1/reject", STAFF),  # no reason: the page again with the error
    ("GET", "/admin/partners/", {Role.ADMIN}),
    ("GET", "/admin/partners/new", {Role.ADMIN}),
    ("POST", "/admin/partners/new", {Role.ADMIN}),  # empty form: errors shown
]
STAFF_REDIRECT = {ANON: 302, **{r: (302 if r in STAFF else 403) for r in Role}}
PARTNER_REDIRECT = {ANON: 302, **{r: (302 if r == Role.PARTNER else 403) for r in Role}}
# (method, url) -> {role: status}, for routes whose answer is not 200/302/403.
SPECIAL = {
    ("GET", "/login"): {ANON: 200, **{r: 302 for r in Role}},  # logged-in users go home
    ("POST", "/logout"): {ANON: 302, **{r: 302 for r in Role}},
    ("POST", "/language"): {r: 302 for r in ROLES},
    ("POST", "/login"): {ANON: 200, **{r: 302 for r in Role}},  # empty form: errors shown
    ("POST", "/admin/users/new"): {ANON: 302, **{r: 403 for r in Role if r != Role.ADMIN}, Role.ADMIN: 200},
    ("POST", "/admin/users/1"): {ANON: 302, **{r: 403 for r in Role if r != Role.ADMIN}, Role.ADMIN: 200},
    ("POST", "/admin/login-locks/lift"): {ANON: 302, **{r: 403 for r in Role if r != Role.ADMIN}, Role.ADMIN: 302},
    ("POST", "/admin/users/1/enrollment"): {ANON: 302, **{r: 403 for r in Role if r != Role.ADMIN}, Role.ADMIN: 302},
    ("POST", "/admin/users/1/second-factor/remove"): {
        ANON: 302,
        **{r: 403 for r in Role if r != Role.ADMIN},
        Role.ADMIN: 302,
    },
    ("POST", "/admin/grants/1/confirm"): {ANON: 302, **{r: 403 for r in Role if r != Role.ADMIN}, Role.ADMIN: 404},
    ("GET", "/account/enroll/wrong-token"): {r: 404 for r in ROLES},
    ("POST", "/account/enroll/wrong-token"): {r: 404 for r in ROLES},
    ("GET", "/account/reset/wrong-token"): {r: 404 for r in ROLES},
    ("POST", "/account/reset/wrong-token"): {r: 404 for r in ROLES},
    # Setting up the second factor: logged in without one; anonymous without a login halfway -> login.
    ("GET", "/account/second-factor"): {r: (302 if r == ANON else 200) for r in ROLES},
    ("POST", "/account/second-factor"): {r: (302 if r == ANON else 200) for r in ROLES},  # empty code: error
    ("POST", "/account/recovery-codes"): {r: 302 for r in ROLES},  # no second factor yet: to its setup
    ("GET", "/login/code"): {r: 302 for r in ROLES},  # no login halfway: back to the login
    ("POST", "/login/code"): {r: 302 for r in ROLES},
    ("POST", "/staff/catalog/services/svc-access/publish"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/services/svc-access/verify"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/reports/1"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/insights/synonym"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/insights/pin"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/insights/pin/1/delete"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/reindex"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/synonyms/1"): STAFF_REDIRECT,  # an emptied group is deleted
    ("POST", "/staff/catalog/phrases/dolgovi/1/delete"): STAFF_REDIRECT,
    ("POST", "/staff/catalog/insights/phrase"): STAFF_REDIRECT,  # empty form: a message and back
    ("POST", "/cases/2026-0001/reopen"): STAFF_REDIRECT,  # not closed: message and back to the case
    ("POST", "/cases/2026-0042/deadlines/1/done"): STAFF_REDIRECT,
    ("POST", "/cases/calendar/renew"): {ANON: 302, **{r: (200 if r in STAFF else 403) for r in Role}},  # shows the URL
    ("POST", "/cases/persons"): {ANON: 302, **{r: (200 if r in STAFF else 403) for r in Role}},  # the search, posted
    # The deadline preview: an empty POST is a JSON error for the team (nothing to compute).
    ("POST", "/cases/deadlines/last-day"): {ANON: 302, **{r: (400 if r in STAFF else 403) for r in Role}},
    # The in-case catalog search: posted, then redirected to a result page named by an id only.
    ("GET", "/cases/2026-0001/referrals/search"): STAFF_REDIRECT,
    ("POST", "/cases/2026-0001/referrals/search"): STAFF_REDIRECT,
    ("GET", "/calendar/wrong-token.ics"): {r: 404 for r in ROLES},  # the feed: no login, an unknown token is 404
    ("GET", "/api/hsds/service_at_locations/no-such-place"): {r: 404 for r in ROLES},  # public: 404 for all
    ("POST", "/cases/2026-0001/referrals/1/send"): STAFF_REDIRECT,  # empty form: message and back
    ("POST", "/cases/2026-0001/referrals/1/status"): STAFF_REDIRECT,
    ("POST", "/cases/2026-0001/referrals/1/request-outcome"): STAFF_REDIRECT,
    # The organization's page: no login; a token that is not signed by us is 400 for everyone.
    ("GET", "/referral/wrong-token"): {r: 400 for r in ROLES},
    ("POST", "/referral/wrong-token"): {r: 400 for r in ROLES},
    # A draft was never sent: not in the partner's inbox (404, as another organization's referral).
    ("GET", "/partner/referrals/1"): {ANON: 302, **{r: 403 for r in Role if r != Role.PARTNER}, Role.PARTNER: 404},
    # Statements: an organization that does not exist is 404 for trend readers; a bad month a 400.
    ("GET", "/trends/statements/no-such-org"): {
        ANON: 302,
        **{r: (404 if r in STAFF | {Role.SUPERVISOR, Role.ADMIN} else 403) for r in Role},
    },
    ("GET", "/partner/statement?month=2025-13"): {
        ANON: 302,
        **{r: 403 for r in Role if r != Role.PARTNER},
        Role.PARTNER: 400,
    },
    # "Still accurate": done, back to the partner's entries.
    ("POST", "/partner/catalog/organization/confirm"): PARTNER_REDIRECT,
    ("POST", "/partner/catalog/services/svc-access/confirm"): PARTNER_REDIRECT,
    # A known case number goes on to the confirmation page.
    ("GET", "/admin/erasure?person=2026-0001"): {
        ANON: 302,
        **{r: 403 for r in Role if r != Role.ADMIN},
        Role.ADMIN: 302,
    },
}
IGNORED_ENDPOINTS = {"static"}


def expected_status(role, allowed) -> int:
    if role in allowed:
        return 200
    return 302 if role == ANON else 403


CASES = [(m, u, r, expected_status(r, allowed)) for m, u, allowed in MATRIX for r in ROLES]
CASES += [(m, u, r, status) for (m, u), by_role in SPECIAL.items() for r, status in by_role.items()]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app for the whole matrix: the cases only read, or post forms that change nothing
    the next case needs (what they do change, `catalog_records` and `client_for` put back)."""
    app = app_with_empty_database(tmp_path_factory.mktemp("access"))
    for role in Role:
        create_user(app, role, f"{role.value}-user")
    yield app
    close_database(app)


@pytest.fixture(scope="module")
def role_clients(app):
    """One test client per role, logged in once, and one anonymous client."""
    clients = {ANON: app.test_client()}
    for role in Role:
        clients[role] = app.test_client()
        response = login(clients[role], f"{role.value}-user")
        assert response.status_code == 302, response.get_data(as_text=True)
    return clients


@pytest.fixture(autouse=True)
def catalog_records(app):
    """A public service, its organization, a change report and a synonym group with known ids.

    Made once and made again when a case deleted one (an emptied synonym group is deleted)."""
    from catalog.models import ChangeReport, Service
    from catalog.proposals.models import CatalogProposal
    from catalog.search import SynonymGroup
    from tests.factories import make_org, make_service

    with app.app_context():
        if db.session.get(Service, "svc-access") is None:
            make_service(make_org(id="org-access"), id="svc-access")
            # The partner account works for the organization of these records.
            partner = db.session.scalar(sa.select(User).where(User.username == "partner-user"))
            partner.partner_organization_id = "org-access"
        if db.session.get(ChangeReport, 1) is None:
            db.session.add(ChangeReport(id=1, service_id="svc-access", message="Sprememba za test dostopa."))
        if db.session.get(SynonymGroup, 1) is None:
            db.session.add(SynonymGroup(id=1, terms="dolg\nzadolženost"))
        if db.session.get(CatalogProposal, 1) is None:
            db.session.add(
                CatalogProposal(
                    id=1,
                    organization_id="org-access",
                    of_service_id="svc-access",
                    changes={"phones": {"before": [], "after": ["07 332 11 00"]}},
                    proposed_by_name="Partner",
                )
            )
        db.session.commit()
    limiter.reset()


@pytest.fixture(autouse=True)
def case_records(app):
    """Person 1 with case 2026-0001, its challenge 1 and consent 1."""
    from cases.models import Case
    from tests.intake_factories import make_case, make_consent
    from welfare.extensions import db

    with app.app_context():
        if db.session.scalar(sa.select(Case.id).where(Case.number == "2026-0001")) is None:
            make_consent(make_case(number="2026-0001"), provider_type_id="pisarna-vrste-izvajalcev:nvo")
            db.session.commit()


@pytest.fixture(autouse=True)
def document_records(app, case_records):
    """Document 1 (a PDF) on case 2026-0001."""
    from cases.documents.models import CaseDocument, seal
    from cases.models import Case
    from tests.document_helpers import PDF

    with app.app_context():
        if db.session.get(CaseDocument, 1) is None:
            case_id = db.session.scalar(sa.select(Case.id).where(Case.number == "2026-0001"))
            db.session.add(
                CaseDocument(
                    id=1,
                    case_id=case_id,
                    title="Odločba",
                    content_type="application/pdf",
                    size=len(PDF),
                    content=seal(1, PDF),
                )
            )
            db.session.commit()


@pytest.fixture(autouse=True)
def plan_records(app):
    """Case 2026-0042 with goal 1, step 1, review 1 and deadline 1."""
    from cases.models import Case, Deadline
    from cases.plans.models import PlanReview
    from tests.plan_factories import add_goal, add_step, make_case
    from welfare.clock import today
    from welfare.extensions import db

    with app.app_context():
        if db.session.scalar(sa.select(Case.id).where(Case.number == "2026-0042")) is not None:
            return
        case = make_case("2026-0042")
        add_step(add_goal(number="2026-0042"))
        db.session.add(PlanReview(id=1, case_id=case.id, review_on=today()))
        db.session.add(Deadline(id=1, case_id=case.id, served_on=today(), days=15, due_on=today()))
        db.session.commit()


@pytest.fixture
def client_for(request, role_clients):
    yield role_clients.get
    # POST /logout ends the shared client's session: log it in again for the cases after it.
    params = request.node.callspec.params if hasattr(request.node, "callspec") else {}
    if params.get("url") == "/logout" and params.get("role") not in (None, ANON):
        assert login(role_clients[params["role"]], f"{params['role'].value}-user").status_code == 302


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


@pytest.fixture(autouse=True)
def referral_records(app, case_records, catalog_records, plan_records):
    """Referral 1 (a draft) of case 2026-0001 to svc-access; referral 2 of case 2026-0042, sent there."""
    from cases.models import Case
    from cases.referrals.models import Referral

    with app.app_context():
        if db.session.get(Referral, 1) is None:
            case = db.session.scalar(sa.select(Case).where(Case.number == "2026-0001"))
            db.session.add(
                Referral(id=1, case_id=case.id, to_service_id="svc-access", organization_id="org-access", note="Test.")
            )
            db.session.commit()
        if db.session.get(Referral, 2) is None:
            from cases.referrals.models import ReferralStatus
            from welfare.database import utcnow

            case = db.session.scalar(sa.select(Case).where(Case.number == "2026-0042"))
            db.session.add(
                Referral(
                    id=2,
                    case_id=case.id,
                    to_service_id="svc-access",
                    organization_id="org-access",
                    status=ReferralStatus.SENT,
                    sent_at=utcnow(),
                )
            )
            db.session.commit()
