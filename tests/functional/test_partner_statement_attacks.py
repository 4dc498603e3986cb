"""Differencing attacks on the partners' monthly statements, mounted on the files as downloaded.

The attacker is the strongest reader there is: someone who reads the trend reports and every
organization's statement (a supervisor; a partner sees only its own). Over a hand-made quarter
(three organizations, a few referrals each month in every state, record keys from a seeded
generator so the run is repeatable), it sets every statement against
- the trend reports' own tables (each table's total is the sum of its rows),
- the trend reports' "referrals by receiving organization" row (the same referrals as the
  statement's total), and the statement's declines and completions against its state rows,
- the sum over the organizations (the trend table of states, reasons or outcomes is the sum of
  the organizations' statements: the attacker knows every organization),
- the quarter of the trend reports against its three months,
and solves for the least and greatest true count of every cell (tests/attacks/). The truth,
counted from the case tables, must stay inside each range, and no cell whose true count is 1
to 4 may be pinned to one value; no published count is 1 to 4.
"""

import random
from datetime import date, datetime, timedelta

import pytest

from cases.referrals.models import DeclineReason, ReferralOutcome, ReferralStatus
from tests.attack_helpers import Truth, attacker_for, combine, frame, get_csv, verdict
from tests.factories import make_org, make_service
from tests.trends_factories import add_cases, add_referral
from welfare.extensions import db
from welfare.models import Role

MONTHS = ("2025-04", "2025-05", "2025-06")
QUARTER = "2025-Q2"
STATES = ("waiting", "accepted", "completed", "declined", "cancelled")
STATEMENT_TABLES = ("statement_state", "statement_declined", "statement_outcome")
# Trend table -> the statement table whose rows, over all organizations, add up to it.
SUMMED = {
    "referrals_state": "statement_state",
    "referrals_declined": "statement_declined",
    "referrals_outcome": "statement_outcome",
}


class StatementTruth(Truth):
    """The truth of the statement's cells too: narrowed by `organization=<id>`, as its filters say."""

    TABLES = {
        **Truth.TABLES,
        "statement_state": ("referrals", "sent", "state"),
        "statement_declined": ("referrals", "sent", "decline_reason"),
        "statement_outcome": ("referrals", "sent", "referral_outcome"),
    }


def _one_referral(rng: random.Random, case, service, sent: datetime):
    # Mostly completed, a few of each other state: totals of 5 or more with small rows beside
    # large ones, where a difference would show a small count if anything did.
    state = rng.choices(STATES, weights=(1, 1, 5, 2, 1))[0]
    answered = sent + timedelta(days=rng.choice((1, 3, 9)))
    key = rng.randrange(2**31)
    if state == "waiting":
        return add_referral(case, service, ReferralStatus.SENT, [], sent, record_key=key)
    if state == "accepted":
        return add_referral(case, service, ReferralStatus.ACCEPTED, [("accepted", answered)], sent, record_key=key)
    if state == "completed":
        events = [("accepted", answered), ("completed", answered + timedelta(days=5))]
        outcome = rng.choice(list(ReferralOutcome))
        return add_referral(case, service, ReferralStatus.COMPLETED, events, sent, outcome=outcome, record_key=key)
    if state == "declined":
        reason = rng.choice(list(DeclineReason))
        events = [("declined", answered)]
        return add_referral(case, service, ReferralStatus.DECLINED, events, sent, decline_reason=reason, record_key=key)
    return add_referral(case, service, ReferralStatus.CANCELLED, [("cancelled", answered)], sent, record_key=key)


@pytest.fixture
def quarter(app):
    rng = random.Random(20250401)
    with app.app_context():
        services = [make_service(make_org(name), name=f"Storitev {name}") for name in ("Alfa", "Beta", "Gama")]
        for month in MONTHS:
            first = date.fromisoformat(f"{month}-01")
            for service in services:
                for _ in range(rng.randint(2, 12)):
                    (case,) = add_cases(1, first)
                    _one_referral(
                        rng,
                        case,
                        service,
                        datetime.combine(first, datetime.min.time()) + timedelta(days=rng.randint(0, 26), hours=9),
                    )
        db.session.commit()
        return [s.organization_id for s in services], StatementTruth.read()


def _statement(client, org_id: str, month: str):
    response = client.get(f"/trends/statements/{org_id}/export.csv", query_string={"month": month})
    assert response.status_code == 200
    return frame(response.get_data(as_text=True))


def test_statements_set_against_the_trend_reports_pin_no_small_count(app, quarter, login_as):
    org_ids, truth = quarter
    attacker_client = login_as(Role.SUPERVISOR)
    trends = [get_csv(attacker_client, section="referrals", period="month", start=m) for m in MONTHS]
    trends.append(get_csv(attacker_client, section="referrals", period="quarter", start=MONTHS[0]))
    statements = [_statement(attacker_client, org, m) for org in org_ids for m in MONTHS]
    df = combine([*trends, *statements])
    attacker = attacker_for(df, {QUARTER: list(MONTHS)})

    def cell(table, row, month, org=None):
        return (table, row, month, f"organization={org}" if org else "")

    published = set(zip(df["table"], df["row"], df["period"], df["filters"], strict=True))
    ties = 0
    for month in MONTHS:
        for org in org_ids:
            total = cell("statement_state", "total", month, org)
            # The same referrals, published from the same key in both files.
            if cell("referrals_organization", org, month) in published:
                attacker.equal({total: 1}, {cell("referrals_organization", org, month): 1})
                ties += 1
            attacker.equal({total: 1}, {cell("statement_answer", "total", month, org): 1})
            attacker.equal(
                {cell("statement_state", "declined", month, org): 1},
                {cell("statement_declined", "total", month, org): 1},
            )
            attacker.equal(
                {cell("statement_state", "completed", month, org): 1},
                {cell("statement_outcome", "total", month, org): 1},
            )
        # Every organization's statement is known: the trend tables are their sums.
        for trend_table, statement_table in SUMMED.items():
            rows = set(df[(df["table"] == trend_table) & (df["period"] == month)]["row"])
            for row in rows:
                parts = {cell(statement_table, row, month, org): 1 for org in org_ids}
                attacker.equal({cell(trend_table, row, month): 1}, parts)
                ties += 1
    assert ties >= 3 * 3 * 3  # the attack ran: months x tables x rows at least

    result = verdict(attacker, df, truth, STATEMENT_TABLES + ("referrals_organization", "referrals_state"))
    assert result["small"] >= 20, result


def test_the_partners_own_download_is_the_offices(app, quarter, login_as):
    """What a partner downloads is the very file the attack above read for its organization."""
    from tests.partner_helpers import partner_client

    org_ids, _truth = quarter
    office = login_as(Role.SUPERVISOR)
    partner = partner_client(app, org_ids[0])
    for month in MONTHS:
        own = partner.get("/partner/statement.csv", query_string={"month": month})
        assert own.status_code == 200
        assert frame(own.get_data(as_text=True)).equals(_statement(office, org_ids[0], month))
