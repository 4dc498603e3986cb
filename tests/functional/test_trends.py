"""Trend reports over a small hand-made register: every expected figure is the published
value of records counted by hand below (the perturbation applied to exactly those records).

2024-11: 5 cases (debts, women born 1980), still open.
2025-01: 6 cases (debts, women born 1980, Novo mesto/Bršljin, high urgency), opened 10 Jan,
         first plan 13 Jan, 5 of them closed 10 Mar (resolved: 59 days); 1 assigned to a
         social worker; 5 cases (housing, men born 2000, Novo mesto/Šmihel, low urgency).
2025-02: 7 cases (debts, women born 1980), 5 assigned to the social worker.
Some tests add 2 cases in Feb 2025 (health, women born 1950, Mirna Peč/Mirna) and anonymous
contacts (6 by phone on debts in Jan 2025, 3 by e-mail on housing in Feb 2025).
"""

from datetime import date, datetime

import pytest

from cases.models import CaseOutcome, Channel, Gender, Urgency
from catalog.models import TAXONOMY_DOMAINS
from catalog.seed import term_id
from tests.conftest import create_user
from tests.trends_factories import add_cases, add_contacts, add_zero_result_searches, recount
from tests.trends_helpers import K, cells, columns, frame, published
from welfare import clock
from welfare.extensions import db
from welfare.models import Role, User

Q1_2025 = {"period": "quarter", "start": "2025-01"}
DEBTS = term_id(TAXONOMY_DOMAINS, "dolgovi")
HOUSING = term_id(TAXONOMY_DOMAINS, "stanovanje")
HEALTH = term_id(TAXONOMY_DOMAINS, "zdravje")


@pytest.fixture
def register(app):
    worker_id = create_user(app, Role.SOCIAL_WORKER, "socialna")
    with app.app_context():
        worker = db.session.get(User, worker_id)
        november = add_cases(5, date(2024, 11, 5))
        debts = add_cases(6, date(2025, 1, 10), plan_on=date(2025, 1, 13))
        for case in debts[:5]:
            case.closed_on, case.outcome = date(2025, 3, 10), CaseOutcome.RESOLVED
        debts[5].assignees.append(worker)
        housing = add_cases(
            5,
            date(2025, 1, 20),
            domain="stanovanje",
            gender=Gender.MALE,
            birth_year=2000,
            settlement="Šmihel",
            urgency=Urgency.LOW,
        )
        february = add_cases(7, date(2025, 2, 3))
        for case in february[:5]:
            case.assignees.append(worker)
        recount()
        db.session.commit()
        app.extensions["test.register"] = {
            "november": [c.id for c in november],
            "debts": [c.id for c in debts],
            "housing": [c.id for c in housing],
            "february": [c.id for c in february],
        }
    return app


def _cases(app, *groups):
    from cases.models import Case

    ids = [i for group in groups for i in app.extensions["test.register"][group]]
    return [db.session.get(Case, i) for i in ids]


def _challenges(cases):
    return [challenge for case in cases for challenge in case.challenges]


def _no_small_counts(df):
    counts = df[df["unit"] == "count"]["value"]
    assert not counts.between(1, K - 1).any(), df[df["unit"] == "count"][counts.between(1, K - 1)]


def test_new_cases_by_domain_age_gender_place_and_urgency(register, login_as):
    with register.app_context():
        health = add_cases(
            2, date(2025, 2, 14), domain="zdravje", birth_year=1950, municipality="Mirna Peč", settlement="Mirna"
        )
        add_contacts(6, date(2025, 1, 15), Channel.PHONE, ("dolgovi",))
        add_contacts(3, date(2025, 2, 15), Channel.EMAIL, ("stanovanje",))
        db.session.commit()
        health_ids = [c.id for c in health]
    df = frame(login_as(Role.SUPERVISOR), "people", **Q1_2025)
    _no_small_counts(df)
    assert columns(df, "cases_domain") == ["2025-Q1", "2024-Q4", "2024-Q1"]
    with register.app_context():
        from cases.models import AnonymousContact, Case

        health = [db.session.get(Case, i) for i in health_ids]
        q1_debts = _cases(register, "debts", "february")
        housing, november = _cases(register, "housing"), _cases(register, "november")
        q1 = q1_debts + housing + health
        assert cells(df, "cases_domain", DEBTS) == [published(q1_debts), published(november), 0]
        assert cells(df, "cases_domain", HOUSING) == [published(housing), 0, 0]
        assert cells(df, "cases_domain", HEALTH) == [published(health), 0, 0]
        assert cells(df, "cases_domain", "total") == [published(q1), published(november), 0]
        assert cells(df, "cases_age", "41-64") == [published(q1_debts), published(november), 0]
        assert cells(df, "cases_age", "18-25") == [published(housing), 0, 0]
        assert cells(df, "cases_age", "65+") == [published(health), 0, 0]
        assert cells(df, "cases_age", "total") == cells(df, "cases_domain", "total")  # the same cases
        assert cells(df, "cases_gender", "male") == [published(housing), 0, 0]
        assert cells(df, "cases_gender", "female") == [published(q1_debts + health), published(november), 0]
        assert cells(df, "cases_settlement", "Šmihel") == [published(housing), 0, 0]
        assert cells(df, "challenges_urgency", "low") == [published(_challenges(housing)), 0, 0]
        assert cells(df, "challenges_per_case", "1") == [published(q1), published(november), 0]
        phone = db.session.query(AnonymousContact).filter_by(channel=Channel.PHONE).all()
        email = db.session.query(AnonymousContact).filter_by(channel=Channel.EMAIL).all()
        assert cells(df, "contacts_channel", "phone") == [published(phone), 0, 0]
        assert cells(df, "contacts_channel", "email") == [published(email), 0, 0]
        assert cells(df, "contacts_channel", "total") == [published(phone + email), 0, 0]
        assert cells(df, "contacts_domain", HOUSING) == [published(email), 0, 0]


def test_a_custom_range_is_the_sum_of_its_months_and_quarters_figures(register, login_as):
    client = login_as(Role.SUPERVISOR)
    custom = frame(client, "people", period="custom", start="2024-11-05", end="2025-03-02")  # snaps to months
    assert columns(custom, "cases_gender")[0] == "2024-11 – 2025-03"
    with register.app_context():
        november, q1 = _cases(register, "november"), _cases(register, "debts", "housing", "february")
        women_q1 = _cases(register, "debts", "february")
        # 2024-11 and 2024-12 are months of their own, 2025-01..03 a whole quarter.
        assert cells(custom, "cases_gender", "female")[0] == published(november, [], women_q1)
        assert cells(custom, "cases_gender", "total")[0] == published(november, [], q1)


def test_case_flow_medians_and_caseload_by_role(register, login_as):
    df = frame(login_as(Role.SUPERVISOR), "flow", **Q1_2025)
    _no_small_counts(df)
    with register.app_context():
        november, debts = _cases(register, "november"), _cases(register, "debts")
        q1 = _cases(register, "debts", "housing", "february")
        closed = debts[:5]
        open_at_end = [c for c in november + q1 if c not in closed]
        assert cells(df, "flow_summary", "opened") == [published(q1), published(november), 0]
        assert cells(df, "flow_summary", "closed") == [published(closed), 0, 0]
        assert cells(df, "flow_summary", "open_at_end") == [published(open_at_end), published(november), 0]
        assert cells(df, "flow_closed", "resolved") == [published(closed), 0, 0]
        social = [debts[5]] + _cases(register, "february")[:5]
        assert cells(df, "flow_caseload", "social_worker") == [published(social), 0, 0]
        unassigned = [c for c in open_at_end if c not in social]
        assert cells(df, "flow_caseload", "unassigned") == [published(unassigned), published(november), 0]
        assert cells(df, "flow_caseload", "lawyer") == [0, 0, 0]
    # Medians need ten cases: five closures and six first plans are not enough.
    assert cells(df, "flow_medians", "closure") == [None, None, None]
    assert cells(df, "flow_medians", "first_plan") == [None, None, None]


def test_medians_over_ten_cases_are_shown(app, login_as):
    with app.app_context():
        cases = add_cases(12, date(2025, 4, 2), plan_on=date(2025, 4, 9))
        for i, case in enumerate(cases):
            case.closed_on, case.outcome = date(2025, 5, 2 + i), CaseOutcome.RESOLVED
        recount()
        db.session.commit()
    df = frame(login_as(Role.SUPERVISOR), "flow", period="quarter", start="2025-04")
    assert cells(df, "flow_medians", "first_plan")[0] == 7
    assert cells(df, "flow_medians", "closure")[0] == 35.5  # 30 + i days, i = 0..11
    # Over a custom range the medians of overlapping ranges could be compared: not shown.
    custom = frame(login_as(Role.SUPERVISOR, "another"), "flow", period="custom", start="2025-03", end="2025-05")
    assert cells(custom, "flow_medians", "closure")[0] is None


def test_demand_and_supply_marks_high_demand_with_thin_supply(register, login_as):
    from catalog.learning.services import zero_result_demand
    from tests.factories import make_service

    with register.app_context():
        for name in ("Dolžniško svetovanje", "Pomoč pri rubežu", "Finančni nasvet"):
            make_service(name=name, domains=("dolgovi",))
        add_zero_result_searches(6, datetime(2025, 2, 1, 10), "stanovanje")
        add_zero_result_searches(2, datetime(2025, 2, 1, 11), None)
        db.session.commit()
    client = login_as(Role.SUPERVISOR)
    df = frame(client, "demand", **Q1_2025)
    assert columns(df, "demand_supply") == [
        "Challenges recorded",
        "Unmet needs",
        "Declined for lack of capacity",
        "Catalog searches with no result (anonymous web searches, counted as visitors per day)",
        "Published catalog services",
    ]
    with register.app_context():
        debts = _challenges(_cases(register, "debts", "february"))
        housing = _challenges(_cases(register, "housing"))
        units = zero_result_demand(date(2025, 1, 1), date(2025, 4, 1))
        searched = [u for u in units if u.domains]
        assert cells(df, "demand_supply", DEBTS) == [published(debts), 0, 0, 0, 3]
        assert cells(df, "demand_supply", HOUSING) == [published(housing), 0, 0, published(_keyed(searched)), 0]
        assert cells(df, "demand_supply", "total")[3] == published(_keyed(units))
    html = client.get("/trends/demand", query_string=Q1_2025).get_data(as_text=True)
    flagged = [part.split("</tr>")[0] for part in html.split('<tr class="flagged">')[1:]]
    assert any("Stanovanje in bivalne razmere" in row for row in flagged)


def _keyed(units):
    """Search units as records with a record key (their own key)."""
    from types import SimpleNamespace

    return [SimpleNamespace(record_key=u.key) for u in units]


def test_search_texts_never_reach_a_report(app, login_as):
    from catalog.search import SearchLog
    from welfare.database import utcnow

    with app.app_context():
        db.session.add_all(
            SearchLog(at=utcnow(), query="Janez Novak rubež", query_key="janez novak rubez", result_count=0)
            for _ in range(7)
        )
        db.session.commit()
    client = login_as(Role.SUPERVISOR)
    for response in (client.get("/trends/demand"), client.get("/trends/export.csv", query_string={"section": "all"})):
        text = response.get_data(as_text=True)
        assert "Catalog searches with no result" in text
        assert "Janez" not in text and "rubež" not in text


def test_filters_narrow_every_figure_to_the_chosen_people(register, login_as):
    with register.app_context():
        health = add_cases(
            2, date(2025, 2, 14), domain="zdravje", birth_year=1950, municipality="Mirna Peč", settlement="Mirna"
        )
        add_contacts(6, date(2025, 1, 15), Channel.PHONE, ("dolgovi",))
        db.session.commit()
        health_ids = [c.id for c in health]
    client = login_as(Role.SUPERVISOR)
    by_domain = frame(client, "people", domain=HOUSING, **Q1_2025)
    assert set(by_domain["filters"]) == {f"domain={HOUSING}"}
    by_place = frame(client, "people", municipality="Mirna Peč", age_band="65+", **Q1_2025)
    with register.app_context():
        from cases.models import Case

        housing = _cases(register, "housing")
        assert cells(by_domain, "cases_gender", "male") == [published(housing), 0, 0]
        assert cells(by_domain, "cases_gender", "female") == [0, 0, 0]
        assert cells(by_domain, "challenges_urgency", "high") == [0, 0, 0]  # the housing challenges are low
        assert cells(by_domain, "contacts_channel", "phone") == [0, 0, 0]  # the calls were about debts
        health = [db.session.get(Case, i) for i in health_ids]
        assert cells(by_place, "cases_gender", "female") == [published(health), 0, 0]
        assert cells(by_place, "cases_gender", "male") == [0, 0, 0]
    # Anonymous contacts record no person: narrowed by a person's facts, they are left out.
    assert "contacts_channel" not in set(by_place["table"])
    # A value not on offer (a stale link) narrows nothing.
    unknown = frame(client, "people", gender="martian", **Q1_2025)
    assert unknown["filters"].isna().all()


def test_the_page_says_how_figures_are_protected_and_reports_only_ended_months(register, login_as):
    client = login_as(Role.SUPERVISOR)
    html = client.get("/trends/", query_string=Q1_2025).get_data(as_text=True)
    assert "slightly changed (perturbed)" in html
    assert "groups smaller than" not in html and "“x”" not in html
    today = clock.today()
    this_month = client.get("/trends/", query_string={"period": "month", "start": f"{today:%Y-%m}"})
    assert this_month.status_code == 200
    assert "only months that have ended are reported" in this_month.get_data(as_text=True)
    df = frame(client, "all", period="month", start=f"{today:%Y-%m}")
    assert df.empty and list(df.columns)[0] == "section"


def test_a_referrals_source_fills_the_unmet_needs_column(register, login_as):
    """The hook the referrals feature uses: one call, and the column appears (perturbed)."""
    from cases.trends import demand
    from cases.trends.periods import month_index
    from cases.trends.privacy import Count

    def unmet_needs(months, filters):
        return {
            DEBTS: {month_index(date(2025, 1, 1)): Count(7, 123456)},
            HOUSING: {month_index(date(2025, 2, 1)): Count(2, 99)},
        }

    slot = next(s for s in demand.DEMAND_SOURCES if s.key == "unmet_needs")
    registered = slot.counts, slot.totals  # the referrals feature's own source
    try:
        demand.register_demand_source("unmet_needs", unmet_needs)
        df = frame(login_as(Role.SUPERVISOR), "demand", **Q1_2025)
    finally:
        slot.counts, slot.totals = registered
    from cases.trends.privacy import perturb

    assert columns(df, "demand_supply")[:2] == ["Challenges recorded", "Unmet needs"]
    assert cells(df, "demand_supply", DEBTS)[1] == perturb(Count(7, 123456), K)
    assert cells(df, "demand_supply", HOUSING)[1] in (0, K)
    assert cells(df, "demand_supply", "total")[1] == perturb(Count(9, 123555), K)
