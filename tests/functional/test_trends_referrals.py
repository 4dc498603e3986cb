"""Referral figures and the referral columns of demand and supply, over a hand-made register
(k = 5); every expected number is counted by hand from the data below.

2025-01-10: 11 debt cases opened. On 2025-01-15 each is referred once:
- 5 to Društvo Alfa: accepted 2025-01-17 (2 days), completed "helped" 2025-01-25 (10 days);
- 6 to Društvo Beta: declined for lack of capacity 2025-01-20 (5 days), each with the unmet
  need (waiting list, debts) that such a decline records.
2025-02-05: 2 unmet needs "no such service" in housing, recorded by staff.
"""

import re
from datetime import date, datetime

import pytest

from cases.needs.models import NeedKind, UnmetNeed
from cases.referrals.models import DeclineReason, Referral, ReferralOutcome, ReferralStatus
from catalog.models import TAXONOMY_DOMAINS
from catalog.seed import term_id
from tests.factories import make_org, make_service
from tests.trends_factories import add_cases, add_referral
from tests.trends_helpers import download
from welfare.extensions import db
from welfare.models import Role

Q1_2025 = {"period": "quarter", "start": "2025-01"}
SENT = datetime(2025, 1, 15, 9, 0)


def _refer(case, service, status, events, sent_at=SENT, **fields) -> Referral:
    referral = add_referral(case, service, status, events, sent_at, **fields)
    db.session.flush()
    return referral


@pytest.fixture
def register(app):
    with app.app_context():
        alfa = make_service(make_org("Društvo Alfa"), name="Dolžniško svetovanje Alfa")
        beta = make_service(make_org("Društvo Beta"), name="Dolžniško svetovanje Beta")
        cases = add_cases(11, date(2025, 1, 10))
        for case in cases[:5]:
            _refer(
                case,
                alfa,
                ReferralStatus.COMPLETED,
                [("accepted", datetime(2025, 1, 17, 10)), ("completed", datetime(2025, 1, 25, 12))],
                outcome=ReferralOutcome.HELPED,
            )
        debts, housing = term_id(TAXONOMY_DOMAINS, "dolgovi"), term_id(TAXONOMY_DOMAINS, "stanovanje")
        for case in cases[5:]:
            referral = _refer(
                case,
                beta,
                ReferralStatus.DECLINED,
                [("declined", datetime(2025, 1, 20, 8))],
                decline_reason=DeclineReason.NO_CAPACITY,
            )
            db.session.add(
                UnmetNeed(
                    case_id=case.id,
                    domain_id=debts,
                    kind=NeedKind.WAITING_LIST,
                    referral_id=referral.id,
                    recorded_on=datetime(2025, 1, 20, 8),
                )
            )
        for case in cases[:2]:
            db.session.add(
                UnmetNeed(
                    case_id=case.id,
                    domain_id=housing,
                    kind=NeedKind.NO_SERVICE,
                    note="Zaupna opomba.",
                    recorded_on=datetime(2025, 2, 5, 10),
                )
            )
        db.session.commit()
    return app


def test_referral_figures_counted_by_hand(register, login_as):
    tables = download(login_as(Role.SUPERVISOR), "referrals", **Q1_2025)
    states = tables["Referrals sent, by what became of them"]
    assert states["__header__"] == ["2025-Q1", "2024-Q4", "2024-Q1"]
    assert states["Completed"] == ["5", "0", "0"]
    assert states["Declined"] == ["6", "0", "0"]
    assert states["Waiting for the organization's answer"] == ["0", "0", "0"]
    assert states["Total"] == ["11", "0", "0"]
    reasons = tables["Declined referrals by the organization's reason"]
    assert reasons["No capacity at the moment"] == ["6", "0", "0"] and reasons["Total"] == ["6", "0", "0"]
    assert reasons["The person did not come"] == ["0", "0", "0"]
    assert tables["Completed referrals by outcome"]["Helped"] == ["5", "0", "0"]
    assert tables["Referrals sent by life domain"]["Dolgovi in plačila"] == ["11", "0", "0"]
    organizations = tables["Referrals sent by receiving organization"]
    assert organizations["Društvo Alfa"] == ["5", "0", "0"] and organizations["Društvo Beta"] == ["6", "0", "0"]
    medians = tables["Median days from sending"]
    # Answers: 2 days (5 referrals) and 5 days (6 referrals): the 6th of 11 is 5.
    assert medians["Days to the organization's answer (accepted or declined)"][0] == "5"
    assert medians["Days to completion"][0] == "10"
    # January: 6 on the waiting list; February: 2 "no such service" is small, so February's
    # total is hidden and with it the quarter's.
    needs = tables["Unmet needs by what was missing"]
    assert needs["Waiting list or no capacity"] == ["6", "0", "0"]
    assert needs["No such service at all"] == ["< 5", "0", "0"]
    assert needs["Total"] == ["x", "0", "0"]


def test_demand_and_supply_shows_unmet_needs_and_capacity_declines(register, login_as):
    table = download(login_as(Role.SUPERVISOR), "demand", **Q1_2025)["Demand and supply by life domain, 2025-Q1"]
    assert table["__header__"][:4] == [
        "Challenges recorded",
        "Unmet needs",
        "Declined for lack of capacity",
        "Catalog searches with no result",
    ]
    assert table["Dolgovi in plačila"][:3] == ["11", "6", "6"]
    assert table["Stanovanje in bivalne razmere"][1:3] == ["< 5", "0"]
    assert table["All"][1:3] == ["x", "6"]


def test_a_small_referral_figure_is_hidden_and_notes_never_leave(register, login_as):
    with register.app_context():
        alfa = db.session.scalar(db.select(Referral).where(Referral.status == ReferralStatus.COMPLETED)).service
        (case,) = add_cases(1, date(2025, 3, 3))
        _refer(
            case,
            alfa,
            ReferralStatus.SENT,
            [],
            sent_at=datetime(2025, 3, 4, 9),
            note="Zaupno: gospa ima težave z možem.",
        )
        db.session.commit()
    client = login_as(Role.SUPERVISOR)
    tables = download(client, "referrals", **Q1_2025)
    states = tables["Referrals sent, by what became of them"]
    # March: one waiting referral, alone in its month: it and March's total are hidden, so is
    # the quarter's total (11 + 1 would give it away).
    assert states["Waiting for the organization's answer"] == ["< 5", "0", "0"]
    assert states["Total"] == ["x", "0", "0"]
    page = client.get("/trends/referrals", query_string=Q1_2025).get_data(as_text=True)
    assert "Zaupno" not in page and "Tajna" not in page
    assert not re.search(r"\b2025-\d{4}\b", page)  # no case number
