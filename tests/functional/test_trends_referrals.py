"""Referral figures and the referral columns of demand and supply, over a hand-made register;
every expected figure is the published value of the records counted by hand below.

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
from tests.trends_helpers import cells, columns, frame, published
from welfare.extensions import db
from welfare.models import Role

Q1_2025 = {"period": "quarter", "start": "2025-01"}
DEBTS = term_id(TAXONOMY_DOMAINS, "dolgovi")
HOUSING = term_id(TAXONOMY_DOMAINS, "stanovanje")
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


def _referrals(status=None):
    query = db.select(Referral).order_by(Referral.id)
    if status is not None:
        query = query.where(Referral.status == status)
    return list(db.session.scalars(query))


def test_referral_figures_counted_by_hand(register, login_as):
    df = frame(login_as(Role.SUPERVISOR), "referrals", **Q1_2025)
    assert columns(df, "referrals_state") == ["2025-Q1", "2024-Q4", "2024-Q1"]
    with register.app_context():
        completed, declined = _referrals(ReferralStatus.COMPLETED), _referrals(ReferralStatus.DECLINED)
        every = completed + declined
        assert cells(df, "referrals_state", "completed") == [published(completed), 0, 0]
        assert cells(df, "referrals_state", "declined") == [published(declined), 0, 0]
        assert cells(df, "referrals_state", "waiting") == [0, 0, 0]
        assert cells(df, "referrals_state", "total") == [published(every), 0, 0]
        # The same referrals reached through another table show the same figure.
        assert cells(df, "referrals_declined", "no_capacity") == cells(df, "referrals_state", "declined")
        assert cells(df, "referrals_declined", "total") == cells(df, "referrals_state", "declined")
        assert cells(df, "referrals_declined", "did_not_come") == [0, 0, 0]
        assert cells(df, "referrals_outcome", "helped") == [published(completed), 0, 0]
        assert cells(df, "referrals_domain", DEBTS) == [published(every), 0, 0]
        alfa = completed[0].organization_id
        assert cells(df, "referrals_organization", alfa) == [published(completed), 0, 0]
        needs = list(db.session.scalars(db.select(UnmetNeed).order_by(UnmetNeed.id)))
        waiting = [n for n in needs if n.kind == NeedKind.WAITING_LIST]
        assert cells(df, "unmet_needs_kind", "waiting_list") == [published(waiting), 0, 0]
        # The two "no such service" needs are shown as 0 or 5, never as 2.
        assert cells(df, "unmet_needs_kind", "no_service")[0] in (0, 5)
        assert cells(df, "unmet_needs_kind", "total") == [published(needs), 0, 0]
    # Answers: 2 days (5 referrals) and 5 days (6 referrals): the middle of 11 is 5.
    assert cells(df, "referrals_medians", "answer")[0] == 5
    assert cells(df, "referrals_medians", "completion")[0] is None  # 5 completions: too few


def test_demand_and_supply_shows_unmet_needs_and_capacity_declines(register, login_as):
    df = frame(login_as(Role.SUPERVISOR), "demand", **Q1_2025)
    assert columns(df, "demand_supply")[:3] == ["Challenges recorded", "Unmet needs", "Declined for lack of capacity"]
    with register.app_context():
        declined = _referrals(ReferralStatus.DECLINED)
        needs = list(db.session.scalars(db.select(UnmetNeed).order_by(UnmetNeed.id)))
        debt_needs = [n for n in needs if n.domain_id == DEBTS]
        challenges = [c for r in _referrals() for c in r.case.challenges]
        assert cells(df, "demand_supply", DEBTS)[:3] == [
            published(challenges),
            published(debt_needs),
            published(declined),
        ]
        assert cells(df, "demand_supply", HOUSING)[1] in (0, 5)
        assert cells(df, "demand_supply", "total")[1:3] == [published(needs), published(declined)]


def test_referral_notes_and_people_never_leave(register, login_as):
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
    df = frame(client, "referrals", **Q1_2025)
    assert cells(df, "referrals_state", "waiting")[0] in (0, 5)  # one waiting referral: never 1
    page = client.get("/trends/referrals", query_string=Q1_2025).get_data(as_text=True)
    assert "Zaupno" not in page and "Tajna" not in page
    assert not re.search(r"\b2025-\d{4}\b", page)  # no case number
