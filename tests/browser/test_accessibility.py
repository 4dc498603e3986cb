"""Every page passes axe-core's WCAG 2.2 A/AA rules, as each kind of user reaches it.

The pages are not listed by hand: for each role (and anonymous) a crawler starts at the home
page and follows same-site links, checking one URL per Flask endpoint, so a page added later
is checked as soon as a link leads to it.
"""

from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import axe_results
from tests.conftest import PASSWORD, create_user
from welfare.models import Role

MAX_PAGES = 80
# Not pages: API answers, downloads, feeds, and links that end the session.
SKIP_PREFIXES = ("/api/", "/calendar/", "/static/", "/logout")
SKIP_SUFFIXES = (".ics", ".csv", ".xlsx", ".json", ".svg")
# Where a crawl starts besides the home page (pages linked only from a form result).
START_PATHS = {
    "anonymous": ["/", "/search?q=dolgovi", "/search?q=xqzzy", "/login", "/does-not-exist"]
    + ["/search?q=moj+fant+me+udari+ko+je+pijan"]  # domain card, closest results
    + ["/search?q=vse+je+narobe+naprej"]  # general help notice
    + ["/account/reset"],  # forgotten password (the enrollment and code pages: test_enrollment_journey.py)
    Role.ORGANIZER: [
        "/cases/",
        "/cases/new",
        "/cases/contacts/new",
        "/cases/persons?q=a",
        "/staff/catalog/",
        "/staff/catalog/import",
        "/staff/catalog/phrases",
        "/staff/catalog/phrases/nasilje",
        "/staff/catalog/insights",
        "/cases/persons/1/export",
        "/cases/persons/1/export/view?purpose=for_person",
        "/account",
        "/account/password",
        "/account/second-factor",
        # Issue 21, persons: the edit page, its history, the merge list and comparison.
        "/cases/persons/1/edit",
        "/cases/persons/1/history",
        "/cases/persons/1/merge",
        "/cases/persons/1/merge/2",
    ],
    Role.SUPERVISOR: ["/trends/", "/trends/demand", "/trends/referrals", "/trends/report"],
    Role.ADMIN: [
        "/admin/users",
        "/admin/users/new",
        "/admin/audit",
        "/admin/access-log?date_from=2026-13-01",
        "/admin/erasure?person=",
        "/admin/erasure/1",
        "/admin/partners/",
        "/admin/partners/new",
    ],
    # Issue 25: the partner's inbox, a referral, its services and a capacity form (the crawl
    # follows the links); the partner works for the organization of a demo referral.
    Role.PARTNER: ["/partner/", "/partner/services"],
}


@pytest.fixture(scope="module")
def demo_data(live_app):
    """Everything `seed-demo` loads (catalog, and cases where the case module adds them)."""
    from welfare.commands import seed_demo

    with live_app.app_context():
        seed_demo()


def _case_pages(app, who) -> list[str]:
    """Pages of one demo case the crawl might not reach within MAX_PAGES: its whole history
    (with a filter) and the deadline form with its preview (issue 22)."""
    if who != Role.ORGANIZER:
        return []
    import sqlalchemy as sa

    from cases.models import Case
    from welfare.extensions import db

    with app.app_context():
        number = db.session.scalar(sa.select(Case.number).order_by(Case.id).limit(1))
    if number is None:
        return []
    return [f"/cases/{number}/history", f"/cases/{number}/deadlines/new"]


def _endpoint(app, path: str) -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _args = adapter.match(urlsplit(path).path, method="GET")
    except Exception:  # a 404 or a redirect rule: still a page worth one check
        return "<unmatched>"
    return endpoint


def _links(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    found = []
    for href in hrefs:
        url = urljoin(page.url, href)
        if not url.startswith(base_url):
            continue
        path = url[len(base_url) :].split("#")[0] or "/"
        if path.startswith(SKIP_PREFIXES) or urlsplit(path).path.endswith(SKIP_SUFFIXES):
            continue
        found.append(path)
    return found


def crawl_and_check(app, page, base_url: str, start: list[str]) -> tuple[int, list[str]]:
    """Visit one URL per endpoint reachable from `start`; return (pages checked, violations)."""
    queue, seen_endpoints, problems, checked = deque(start), set(), [], 0
    while queue and checked < MAX_PAGES:
        path = queue.popleft()
        endpoint = _endpoint(app, path)
        if endpoint in seen_endpoints:
            continue
        seen_endpoints.add(endpoint)
        page.goto(base_url + path)
        checked += 1
        results = axe_results(page)
        for violation in results.response["violations"]:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
            problems.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
        queue.extend(_links(page, base_url))
    return checked, problems


def _log_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/login")
    page.get_by_label("Uporabniško ime").fill(username)
    page.get_by_label("Geslo").fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()
    page.wait_for_load_state()


def _link_partner(app, username: str) -> None:
    """The partner account works for the organization the newest sent demo referral went to."""
    import sqlalchemy as sa

    from cases.referrals.models import Referral
    from catalog.models import Organization
    from welfare.extensions import db
    from welfare.models import User

    with app.app_context():
        org_id = db.session.scalar(
            sa.select(Referral.organization_id).where(Referral.sent_at.is_not(None)).order_by(Referral.id.desc())
        ) or db.session.scalar(sa.select(Organization.id))
        db.session.scalar(sa.select(User).where(User.username == username)).partner_organization_id = org_id
        db.session.commit()


@pytest.mark.browser
@pytest.mark.parametrize("who", list(START_PATHS), ids=lambda w: getattr(w, "value", w))
def test_every_reachable_page_passes_axe(live_app, base_url, browser, demo_data, who):
    context = browser.new_context(locale="sl-SI")
    page = context.new_page()
    try:
        if who != "anonymous":
            username = f"axe-{who.value}"
            create_user(live_app, who, username)
            if who == Role.PARTNER:
                _link_partner(live_app, username)
            _log_in(page, base_url, username)
        checked, problems = crawl_and_check(live_app, page, base_url, START_PATHS[who] + _case_pages(live_app, who))
    finally:
        context.close()
    print(f"axe: {checked} pages checked as {getattr(who, 'value', who)}")
    assert checked >= 3
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_the_checker_finds_a_known_violation(page):
    """The harness itself works: a page with an unlabelled image and field fails."""
    page.set_content('<html lang="sl"><body><main><h1>T</h1><img src="x.png"><input type="text"></main></body></html>')
    results = axe_results(page)
    found = {v["id"] for v in results.response["violations"]}
    assert {"image-alt", "label"} <= found


def _axe_problems(page, label: str) -> list[str]:
    results = axe_results(page)
    return [f"{label}: {v['id']} ({v['impact']}): {v['help']}" for v in results.response["violations"]]


@pytest.mark.browser
def test_document_and_draft_pages_pass_axe(live_app, base_url, browser, demo_data):
    """The documents' pages (with a document, with an error) and the drafts' offer and the page
    of a form sent after the session ended: pages a crawl may not reach within MAX_PAGES."""
    from datetime import date

    from cases.models import Case, LegalBasis, Person
    from cases.names import name_key
    from cases.services import next_case_number
    from tests.document_helpers import PDF
    from welfare.extensions import db

    create_user(live_app, Role.SOCIAL_WORKER, "axe-documents")
    with live_app.app_context():
        person = Person(first_name="Ana", last_name="Axe", name_key=name_key("Ana", "Axe"), birth_year=1970)
        case = Case(
            number=next_case_number(2026), person=person, legal_basis=LegalBasis.SOCIAL_CARE, opened_on=date(2026, 1, 5)
        )
        db.session.add(case)
        db.session.commit()
        number = case.number
    context = browser.new_context(locale="sl-SI")
    page = context.new_page()
    problems = []
    try:
        _log_in(page, base_url, "axe-documents")
        page.goto(f"{base_url}/cases/{number}/documents/new")
        problems += _axe_problems(page, "upload form")
        page.get_by_role("button", name="Shrani dokument").click()  # no title, no file: errors
        expect(page.locator(".has-error").first).to_be_visible()  # the answer has come
        problems += _axe_problems(page, "upload form with errors")
        page.get_by_label("Naslov").fill("Odločba")
        page.get_by_label("Datoteka").set_input_files(
            files=[{"name": "a.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="Shrani dokument").click()
        # axe reads the case page once it has arrived, not the form on its way out
        expect(page.get_by_role("link", name="Izbriši Odločba")).to_be_visible()
        problems += _axe_problems(page, "case page with a document")
        page.get_by_role("link", name="Izbriši Odločba").click()
        page.wait_for_url("**/delete")
        problems += _axe_problems(page, "delete page")
        page.goto(f"{base_url}/cases/{number}/timeline/new")
        page.get_by_label("Besedilo").fill("Zapis za osnutek.")
        page.locator("#autosave-status").filter(has_text="Osnutek").wait_for(timeout=10_000)
        problems += _axe_problems(page, "timeline form with autosave")
        page.goto(f"{base_url}/cases/{number}/timeline/new")
        problems += _axe_problems(page, "the draft on offer")
        context.clear_cookies()
        page.get_by_role("button", name="Shrani", exact=True).click()
        expect(page.locator(".error-page h1")).to_be_visible()  # the session-ended page has arrived
        problems += _axe_problems(page, "session ended")
    finally:
        context.close()
    assert not problems, "\n".join(problems)
