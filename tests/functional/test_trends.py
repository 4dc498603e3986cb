"""Trend reports over a small hand-made register; every expected number is counted by hand
from the data below (k = 5).

2024-11: 5 cases (debts, women born 1980), still open.
2025-01: 6 cases (debts, women born 1980, Novo mesto/Bršljin, high urgency), opened 10 Jan,
         first plan 13 Jan, 5 of them closed 10 Mar (resolved: 59 days); 1 assigned to a
         social worker; 5 cases (housing, men born 2000, Novo mesto/Šmihel, low urgency).
2025-02: 7 cases (debts, women born 1980), 5 assigned to the social worker.
Some tests add 2 cases in Feb 2025 (health, women born 1950, Mirna Peč/Mirna) and anonymous
contacts (6 by phone on debts in Jan 2025, 3 by e-mail on housing in Feb 2025).
"""

from datetime import date

import pytest

from cases.models import CaseOutcome, Channel, Gender, Urgency
from tests.conftest import create_user
from tests.trends_factories import add_cases, add_contacts, add_zero_result_searches
from tests.trends_helpers import download
from welfare.extensions import db
from welfare.models import Role, User

Q1_2025 = {"period": "quarter", "start": "2025-01"}


@pytest.fixture
def register(app):
    worker_id = create_user(app, Role.SOCIAL_WORKER, "socialna")
    with app.app_context():
        worker = db.session.get(User, worker_id)
        add_cases(5, date(2024, 11, 5))
        debts = add_cases(6, date(2025, 1, 10), plan_on=date(2025, 1, 13))
        for case in debts[:5]:
            case.closed_on, case.outcome = date(2025, 3, 10), CaseOutcome.RESOLVED
        debts[5].assignees.append(worker)
        add_cases(
            5,
            date(2025, 1, 20),
            domain="stanovanje",
            gender=Gender.MALE,
            birth_year=2000,
            settlement="Šmihel",
            urgency=Urgency.LOW,
        )
        for case in add_cases(7, date(2025, 2, 3))[:5]:
            case.assignees.append(worker)
        db.session.commit()
    return app


def test_new_cases_by_domain_age_gender_place_and_urgency(register, login_as):
    with register.app_context():
        add_cases(2, date(2025, 2, 14), domain="zdravje", birth_year=1950, municipality="Mirna Peč", settlement="Mirna")
        add_contacts(6, date(2025, 1, 15), Channel.PHONE, ("dolgovi",))
        add_contacts(3, date(2025, 2, 15), Channel.EMAIL, ("stanovanje",))
        db.session.commit()
    tables = download(login_as(Role.SUPERVISOR), "people", **Q1_2025)
    domains = tables["New cases by life domain"]
    assert domains["__header__"] == ["2025-Q1", "2024-Q4", "2024-Q1"]
    # February: debts 7, health 2. Health is small, and although a case may count in several
    # domains, these count once, so February's debts are hidden too (else 9 - 7 = 2).
    assert domains["Dolgovi in plačila"] == ["x", "5", "0"]
    assert domains["Stanovanje in bivalne razmere"] == ["5", "0", "0"]
    assert domains["Zdravje"] == ["< 5", "0", "0"]
    assert domains["All (a case may count in several rows)"] == ["20", "5", "0"]
    # February: 41-64 (7) and 65+ (2): 65+ is small, so 41-64 is hidden too in February
    # and in every period holding February; 18-25 and the total stay.
    ages = tables["New cases by age band at opening"]
    assert ages["18-25"] == ["5", "0", "0"] and ages["65+"] == ["< 5", "0", "0"]
    assert ages["41-64"] == ["x", "5", "0"] and ages["Total"] == ["20", "5", "0"]
    genders = tables["New cases by gender"]
    assert genders["Female"] == ["15", "5", "0"] and genders["Male"] == ["5", "0", "0"]
    places = tables["New cases by municipality"]
    assert places["Mirna Peč"] == ["< 5", "0", "0"] and places["Novo mesto"] == ["x", "5", "0"]
    assert tables["New cases by settlement"]["Šmihel"] == ["5", "0", "0"]
    assert tables["Challenges of new cases by urgency"]["Low"] == ["5", "0", "0"]
    assert tables["New cases by number of challenges"]["1"] == ["20", "5", "0"]
    channels = tables["Anonymous contacts by channel"]
    assert channels["Phone"] == ["6", "0", "0"] and channels["E-mail"] == ["< 5", "0", "0"]
    # February's total (3 e-mails) is itself small: hidden, and so is every total holding it.
    assert channels["In person"] == ["0", "0", "0"] and channels["Total"] == ["x", "0", "0"]
    contacts = tables["Anonymous contacts by life domain"]
    assert contacts["Dolgovi in plačila"][0] == "6" and contacts["Stanovanje in bivalne razmere"][0] == "< 5"


def test_the_two_range_subtraction_attack_finds_nothing(register, login_as):
    """Jan–Feb minus Jan would give February's 41-64, and February's total minus that the two
    people aged 65+; the Jan–Feb cell is hidden, so the subtraction has nothing to work on."""
    with register.app_context():
        add_cases(2, date(2025, 2, 14), domain="zdravje", birth_year=1950)
        db.session.commit()
    client = login_as(Role.SUPERVISOR)
    january = download(client, "people", period="custom", start="2025-01", end="2025-01")
    both = download(client, "people", period="custom", start="2025-01-05", end="2025-02-11")  # snaps to months
    assert both["New cases by age band at opening"]["__header__"][0] == "2025-01 – 2025-02"
    assert january["New cases by age band at opening"]["41-64"][0] == "6"
    assert both["New cases by age band at opening"]["41-64"][0] == "x"
    for tables in (january, both):
        for rows in tables.values():
            for label, cells in rows.items():
                if label != "__header__" and cells:
                    assert not any(c.isdigit() and 0 < int(c) < 5 for c in cells), (label, cells)


def test_case_flow_medians_and_caseload_by_role(register, login_as):
    tables = download(login_as(Role.SUPERVISOR), "flow", **Q1_2025)
    flow = tables["Case flow"]
    assert flow["Opened"] == ["18", "5", "0"]
    assert flow["Closed"] == ["5", "0", "0"]
    assert flow["Still open at the end of the period"] == ["18", "5", "0"]  # 5 + 18 - 5
    assert tables["Cases closed by outcome"]["Resolved"] == ["5", "0", "0"]
    medians = tables["Median days"]
    assert medians["Days from opening to closure (cases closed in the period)"] == ["59", "–", "–"]
    assert medians["Days from opening to the first plan (cases opened in the period)"] == ["3", "–", "–"]
    roles = tables["Open cases at the end of the period by team role"]
    assert roles["Social worker"] == ["6", "0", "0"]  # 1 in January, 5 in February
    assert roles["No one assigned"] == ["12", "5", "0"]
    assert roles["Lawyer"] == ["0", "0", "0"]


def test_demand_and_supply_marks_high_demand_with_thin_supply(register, login_as):
    from datetime import datetime

    from tests.factories import make_service

    with register.app_context():
        for name in ("Dolžniško svetovanje", "Pomoč pri rubežu", "Finančni nasvet"):
            make_service(name=name, domains=("dolgovi",))
        add_zero_result_searches(6, datetime(2025, 2, 1, 10), "stanovanje")
        add_zero_result_searches(2, datetime(2025, 2, 1, 11), None)
        db.session.commit()
    client = login_as(Role.SUPERVISOR)
    table = download(client, "demand", **Q1_2025)["Demand and supply by life domain, 2025-Q1"]
    assert table["__header__"] == [
        "Challenges recorded",
        "Unmet needs",
        "Declined for lack of capacity",
        "Catalog searches with no result",
        "Published catalog services",
    ]
    assert table["Dolgovi in plačila"] == ["13", "0", "0", "0", "3"]
    assert table["Stanovanje in bivalne razmere"] == ["5", "0", "0", "6", "0"]
    assert table["All"] == ["18", "0", "0", "8", "3"]
    html = client.get("/trends/demand", query_string=Q1_2025).get_data(as_text=True)
    flagged = html.split('<tr class="flagged">')
    assert len(flagged) == 2 and "Stanovanje in bivalne razmere" in flagged[1].split("</tr>")[0]


def test_search_texts_never_reach_a_report(app, login_as):
    from catalog.search.models import SearchLog
    from welfare.database import utcnow

    with app.app_context():
        db.session.add_all(
            SearchLog(at=utcnow(), query="Janez Novak rubež", query_key="janez novak rubez", result_count=0)
            for _ in range(7)
        )
        db.session.commit()
    html = login_as(Role.SUPERVISOR).get("/trends/demand").get_data(as_text=True)
    assert "Catalog searches with no result" in html
    assert "Janez" not in html and "rubež" not in html


def test_a_referrals_source_fills_the_unmet_needs_column(register, login_as):
    """The hook the referrals feature uses: one call, and the column appears (suppressed)."""
    from cases.trends import demand
    from cases.trends.periods import month_index

    def unmet_needs(since, until):
        debts, housing = "pisarna-zivljenjska-podrocja:dolgovi", "pisarna-zivljenjska-podrocja:stanovanje"
        return {debts: {month_index(date(2025, 1, 1)): 7}, housing: {month_index(date(2025, 2, 1)): 2}}, None

    slot = next(s for s in demand.DEMAND_SOURCES if s.key == "unmet_needs")
    registered = slot.counts, slot.additive  # the referrals feature's own source
    try:
        demand.register_demand_source("unmet_needs", unmet_needs)
        table = download(login_as(Role.SUPERVISOR), "demand", **Q1_2025)["Demand and supply by life domain, 2025-Q1"]
    finally:
        slot.counts, slot.additive = registered
    assert table["__header__"][:2] == ["Challenges recorded", "Unmet needs"]
    # February holds only housing's 2: its total is small and hidden, so the period total is
    # too ("x"); the debts' 7 from January stays.
    assert table["Dolgovi in plačila"][1] == "7" and table["Stanovanje in bivalne razmere"][1] == "< 5"
    assert table["All"][1] == "x"
