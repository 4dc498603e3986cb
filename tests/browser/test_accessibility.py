"""Every page passes axe-core's WCAG 2.2 A/AA rules, as each kind of user reaches it.

The pages are not listed by hand: for each role (and anonymous) a crawler starts at the home
page and follows same-site links, checking one URL per Flask endpoint, so a page added later
is checked as soon as a link leads to it.
"""

from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import PASSWORD, create_user
from welfare.models import Role

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
MAX_PAGES = 80
# Not pages: API answers, downloads, feeds, and links that end the session.
SKIP_PREFIXES = ("/api/", "/calendar/", "/static/", "/logout")
SKIP_SUFFIXES = (".ics", ".csv", ".xlsx", ".json", ".svg")
# Where a crawl starts besides the home page (pages linked only from a form result).
START_PATHS = {
    "anonymous": ["/", "/search?q=dolgovi", "/search?q=xqzzy", "/login", "/does-not-exist"]
    + ["/search?q=moj+fant+me+udari+ko+je+pijan"]  # domain card, closest results
    + ["/search?q=vse+je+narobe+naprej"],  # general help notice
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
        # Issue 21, persons: the edit page, its history, the merge list and comparison.
        "/cases/persons/1/edit",
        "/cases/persons/1/history",
        "/cases/persons/1/merge",
        "/cases/persons/1/merge/2",
    ],
    Role.SUPERVISOR: ["/trends/", "/trends/demand", "/trends/referrals", "/trends/report"],
    Role.ADMIN: [
        "/admin/users",
        "/admin/audit",
        "/admin/access-log?date_from=2026-13-01",
        "/admin/erasure?person=",
        "/admin/erasure/1",
    ],
}

axe = Axe()


@pytest.fixture(scope="module")
def demo_data(live_app):
    """Everything `seed-demo` loads (catalog, and cases where the case module adds them)."""
    from welfare.commands import seed_demo

    with live_app.app_context():
        seed_demo()


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
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
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


@pytest.mark.browser
@pytest.mark.parametrize("who", list(START_PATHS), ids=lambda w: getattr(w, "value", w))
def test_every_reachable_page_passes_axe(live_app, base_url, browser, demo_data, who):
    context = browser.new_context(locale="sl-SI")
    page = context.new_page()
    try:
        if who != "anonymous":
            username = f"axe-{who.value}"
            create_user(live_app, who, username)
            _log_in(page, base_url, username)
        checked, problems = crawl_and_check(live_app, page, base_url, START_PATHS[who])
    finally:
        context.close()
    print(f"axe: {checked} pages checked as {getattr(who, 'value', who)}")
    assert checked >= 3
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_the_checker_finds_a_known_violation(page):
    """The harness itself works: a page with an unlabelled image and field fails."""
    page.set_content('<html lang="sl"><body><main><h1>T</h1><img src="x.png"><input type="text"></main></body></html>')
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    found = {v["id"] for v in results.response["violations"]}
    assert {"image-alt", "label"} <= found
