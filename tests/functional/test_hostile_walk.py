"""A walk over the app's own URL map: every GET route x every role x hostile values in every
path parameter and every query parameter the view reads. Zero 5xx.

Nothing here names a route: the rules come from app.url_map and the query parameter names
from what the views actually read (a recording request.args), so routes added later (cases,
referrals, trends) are walked without editing this file.
"""

import re
import time
from collections import defaultdict
from contextlib import contextmanager
from urllib.parse import quote, urlencode

import pytest
from flask import Request, request
from werkzeug.datastructures import ImmutableMultiDict

from welfare.extensions import limiter
from welfare.models import Role

# One of each class: huge and negative numbers, Unicode and Arabic-Indic digits, an exponent,
# NaN, extreme dates with offsets, a 3,000-character string, SQL and markup fragments.
HOSTILE = [
    "100000000000000000000",
    "-1",
    "²",
    "٣٤",
    "1e5",
    "NaN",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "x" * 3000,
    "1' OR '1'='1",
    '<script>alert(1)</script>"',
]
# Valid values for path parameters, so a view gets past its lookup and reads its query string;
# an unknown parameter name gets "1".
PATH_SAMPLES = {
    "service_id": "svc-walk",
    "record_id": "svc-walk",
    "org_id": "org-walk",
    "code": "dolgovi",
    "taxonomy_id": "pisarna-ciljne-skupine",
    "term_id": "pisarna-ciljne-skupine:romi",
    "kind": "services",
}
SKIPPED_ENDPOINTS = {"static"}
PATH_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")

read_names: dict[str, set[str]] = defaultdict(set)


def _note(key) -> None:
    if request and request.endpoint:
        read_names[request.endpoint].add(key)


class RecordingArgs(ImmutableMultiDict):
    """request.args that remembers which names the current endpoint asked for."""

    def get(self, key, default=None, type=None):
        _note(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        _note(key)
        return super().getlist(key, type)

    def __getitem__(self, key):
        _note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        _note(key)
        return super().__contains__(key)


class RecordingRequest(Request):
    parameter_storage_class = RecordingArgs


def _url(rule, values: dict) -> str:
    return PATH_PARAM.sub(lambda m: quote(values.get(m.group(1), "1"), safe=""), rule.rule)


def _seed(app):
    from catalog.models import ChangeReport
    from catalog.search import SearchPin, SynonymGroup
    from catalog.search import index as search_index
    from tests.factories import make_org, make_service
    from welfare.extensions import db

    with app.app_context():
        service = make_service(
            make_org(id="org-walk"),
            id="svc-walk",
            address={"address_1": "Glavni trg 1", "city": "Novo mesto", "postal_code": "8000"},
        )
        db.session.add(ChangeReport(id=1, service_id=service.id, message="Sprememba."))
        db.session.add(SynonymGroup(id=1, terms="dolg\nzadolženost"))
        db.session.add(SearchPin(id=1, query_key="dolg", service_id=service.id))
        db.session.commit()
        search_index.rebuild()  # searches then take their usual path, not the fallback


def _partner_of_the_walk(app):
    """The partner works for the walk's organization, so its pages answer past the role check."""
    import sqlalchemy as sa

    from welfare.extensions import db
    from welfare.models import User

    with app.app_context():
        db.session.scalar(sa.select(User).where(User.username == "walk-partner")).partner_organization_id = "org-walk"
        db.session.commit()


# The three staff roles see the same pages through the same code (tests/functional/test_access.py
# holds their matrix); the organizer walks for them, and the check below fails the day a route
# answers them differently, so that the walk then takes them too.
ROLES = ["anonymous", Role.ORGANIZER.value, Role.SUPERVISOR.value, Role.ADMIN.value, Role.PARTNER.value]
STAFF_LIKE_ORGANIZER = (Role.LAWYER, Role.SOCIAL_WORKER)


def _get_rules(app) -> list:
    """Every GET route of the app's URL map (what both walks go over)."""
    return [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint not in SKIPPED_ENDPOINTS]


@contextmanager
def _no_rate_limits():
    """Limits would answer 429 long before a hostile value reached the code behind them."""
    limiter.enabled = False
    try:
        yield
    finally:
        limiter.enabled = True


def _refused(response) -> bool:
    """The role is turned away before the view: what follows would walk the refusal again."""
    return response.status_code in (401, 403) or (
        response.status_code in (301, 302, 303) and "/login" in response.headers.get("Location", "")
    )


# One test per role, so the walk spreads over the xdist workers instead of holding one.
@pytest.mark.parametrize("who", ROLES)
def test_no_get_route_answers_a_hostile_value_with_a_5xx(app, client, login_as, who):
    _seed(app)
    app.request_class = RecordingRequest
    walker = client if who == "anonymous" else login_as(Role(who), f"walk-{who}")
    if who == Role.PARTNER.value:
        _partner_of_the_walk(app)
    rules = _get_rules(app)
    requests, walked, failures, started = 0, 0, [], time.monotonic()

    def get(url):
        nonlocal requests
        requests += 1
        response = walker.get(url)
        if response.status_code >= 500:
            failures.append(f"{who}: GET {url[:200]} -> {response.status_code}")
        return response

    with _no_rate_limits():
        for rule in rules:
            path_names = PATH_PARAM.findall(rule.rule)
            valid = _url(rule, PATH_SAMPLES)
            # A signed-in role the route refuses meets the same refusal as anonymous, whose walk
            # sends every hostile value into it; anonymous walks every route whatever it answers.
            if _refused(get(valid)) and who != "anonymous":
                continue
            walked += 1
            # Learn what the view reads: ask again with every name it read set, until nothing new.
            for _round in range(3):
                known = set(read_names[rule.endpoint])
                get(valid + "?" + urlencode(dict.fromkeys(sorted(known), "1")))
                if read_names[rule.endpoint] == known:
                    break
            for value in HOSTILE:
                for name in path_names:
                    get(_url(rule, {**PATH_SAMPLES, name: value}))
                for name in sorted(read_names[rule.endpoint]):
                    get(valid + "?" + urlencode({name: value}))
    print(
        f"\nhostile walk as {who}: {requests} requests, {walked} of {len(rules)} GET routes walked "
        f"in {time.monotonic() - started:.1f} s; {len(failures)} answered 5xx"
    )
    assert walked > 10 and requests > walked * len(HOSTILE)
    assert not failures, "\n".join(failures[:50])


def test_the_other_staff_roles_answer_every_route_as_the_organizer(app, login_as):
    _seed(app)
    walkers = {role: login_as(role, f"walk-{role.value}") for role in (Role.ORGANIZER, *STAFF_LIKE_ORGANIZER)}
    rules = _get_rules(app)
    differ = []
    with _no_rate_limits():
        for rule in rules:
            url = _url(rule, PATH_SAMPLES)
            answers = {role: walker.get(url).status_code for role, walker in walkers.items()}
            if len(set(answers.values())) > 1:
                differ.append(f"GET {url}: {answers}")
    assert len(rules) > 50
    assert not differ, "walk these roles too (ROLES):\n" + "\n".join(differ)
