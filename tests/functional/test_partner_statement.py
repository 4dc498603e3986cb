"""The partners' monthly statement (issue 25): the counts on a hand-made month, read from the
downloads as the partner gets them and held to the published rule of the trend reports; who
may read which statement; the audited downloads; and the office's mailing, sent once.

January 2025, referrals sent on the 15th:
- Društvo Alfa (a partner account): 6 accepted after 2 days and completed "helped", 2 declined
  "not eligible" after 10 days, 1 still waiting: 9 received, 6 answered within 7 days;
- Društvo Beta (no partner, an e-mail in the catalog): 5 declined for lack of capacity after a day;
- Društvo Gamma: 2 still waiting, with record keys that publish its total as 0.
"""

import io
import re
from datetime import date, datetime

import pandas as pd
import pytest
import sqlalchemy as sa

from cases.referrals.models import DeclineReason, ReferralOutcome, ReferralStatus
from cases.trends.privacy import Count, perturb, possible_true
from tests.attack_helpers import html_numbers, xlsx_frame
from tests.factories import make_org, make_service
from tests.partner_helpers import partner_client
from tests.trends_factories import add_cases, add_referral
from tests.trends_helpers import K
from welfare.extensions import db
from welfare.mail import OutgoingMail
from welfare.models import AuditEvent, Role

MONTH = "2025-01"
SENT = datetime(2025, 1, 15, 9, 0)
ALFA_MAIL, BETA_MAIL = "partner.alfa@example.org", "info@beta.example.org"


def _refer(case, service, status, events, **fields):
    return add_referral(case, service, status, events, SENT, **fields)


@pytest.fixture
def world(app):
    """The month above; returns the organizations' ids and each cell's records (true counts and keys)."""
    with app.app_context():
        alfa = make_service(make_org("Društvo Alfa"), name="Svetovanje Alfa")
        beta_org = make_org("Društvo Beta")
        beta_org.email = BETA_MAIL
        beta = make_service(beta_org, name="Svetovanje Beta")
        gamma_org = make_org("Društvo Gamma")
        gamma_org.email = "info@gamma.example.org"
        gamma = make_service(gamma_org, name="Svetovanje Gamma")
        cases = add_cases(16, date(2025, 1, 10))
        helped = [
            _refer(
                c,
                alfa,
                ReferralStatus.COMPLETED,
                [("accepted", datetime(2025, 1, 17, 10)), ("completed", datetime(2025, 1, 25, 12))],
                outcome=ReferralOutcome.HELPED,
            )
            for c in cases[:6]
        ]
        late = [
            _refer(
                c,
                alfa,
                ReferralStatus.DECLINED,
                [("declined", datetime(2025, 1, 25, 8))],
                decline_reason=DeclineReason.NOT_ELIGIBLE,
            )
            for c in cases[6:8]
        ]
        waiting = [_refer(cases[8], alfa, ReferralStatus.SENT, [])]
        full = [
            _refer(
                c,
                beta,
                ReferralStatus.DECLINED,
                [("declined", datetime(2025, 1, 16, 8))],
                decline_reason=DeclineReason.NO_CAPACITY,
            )
            for c in cases[9:14]
        ]
        # Keys near 0 read the first entry of the table's row for 2: it is published as 0.
        quiet = [
            _refer(c, gamma, ReferralStatus.SENT, [], record_key=k) for c, k in zip(cases[14:], (1, 2), strict=True)
        ]
        db.session.commit()
        ids = {"alfa": alfa.organization_id, "beta": beta.organization_id, "gamma": gamma.organization_id}
        keys = lambda rs: [r.record_key for r in rs]  # noqa: E731
        cells = {
            "alfa": {
                ("statement_answer", "in_time"): keys(helped),
                ("statement_answer", "late"): keys(late),
                ("statement_answer", "not_answered"): keys(waiting),
                ("statement_answer", "total"): keys(helped + late + waiting),
                ("statement_state", "completed"): keys(helped),
                ("statement_state", "declined"): keys(late),
                ("statement_state", "waiting"): keys(waiting),
                ("statement_state", "accepted"): [],
                ("statement_state", "total"): keys(helped + late + waiting),
                ("statement_declined", "not_eligible"): keys(late),
                ("statement_declined", "no_capacity"): [],
                ("statement_declined", "total"): keys(late),
                ("statement_outcome", "helped"): keys(helped),
                ("statement_outcome", "total"): keys(helped),
            },
            "beta": {
                ("statement_answer", "in_time"): keys(full),
                ("statement_answer", "total"): keys(full),
                ("statement_declined", "no_capacity"): keys(full),
            },
            "gamma": {("statement_answer", "total"): keys(quiet)},
        }
    return ids, cells


def _published(keys: list[int]) -> int:
    return perturb(sum((Count(1, k) for k in keys), Count()), K)


def _csv(response) -> pd.DataFrame:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    return pd.read_csv(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), keep_default_na=False)


def _value(df: pd.DataFrame, table: str, row: str) -> int:
    rows = df[(df["table"] == table) & (df["row"] == row)]
    assert len(rows) == 1, (table, row, len(rows))
    return int(rows["value"].iloc[0])


def test_the_partners_download_holds_the_published_figures_of_its_month(app, world):
    ids, cells = world
    partner = partner_client(app, ids["alfa"])
    df = _csv(partner.get("/partner/statement.csv", query_string={"month": MONTH}))
    assert set(df["filters"]) == {f"organization={ids['alfa']}"} and set(df["period"]) == {MONTH}
    assert set(df["table"]) == {"statement_answer", "statement_state", "statement_declined", "statement_outcome"}
    shown = [int(v) for v in df["value"]]
    assert not [v for v in shown if 1 <= v < K], shown  # never a count of 1 to 4
    for (table, row), keys in cells["alfa"].items():
        value = _value(df, table, row)
        assert value == _published(keys), (table, row)  # the method applied to exactly these records
        low, high = possible_true(value, K)
        assert low <= len(keys) <= high, (table, row, value, len(keys))  # the published rule holds
    # A count of 5 or more moves by at most 2: the 9 received and 6 in time are near the truth.
    assert 7 <= _value(df, "statement_state", "total") <= 11
    assert 5 <= _value(df, "statement_answer", "in_time") <= 8
    # The answer table and the state table count the same referrals: the same figure.
    assert _value(df, "statement_answer", "total") == _value(df, "statement_state", "total")


def test_the_statement_total_is_the_trend_reports_figure_for_the_organization(app, world, login_as):
    ids, _cells = world
    partner_csv = _csv(partner_client(app, ids["alfa"]).get("/partner/statement.csv", query_string={"month": MONTH}))
    supervisor = login_as(Role.SUPERVISOR)
    trends = _csv(
        supervisor.get("/trends/export.csv", query_string={"section": "referrals", "period": "month", "start": MONTH})
    )
    trends = trends[trends["period"] == MONTH]
    for org in ("alfa", "beta"):
        office = _csv(supervisor.get(f"/trends/statements/{ids[org]}/export.csv", query_string={"month": MONTH}))
        by_org = trends[(trends["table"] == "referrals_organization") & (trends["row"] == ids[org])]
        assert _value(office, "statement_state", "total") == int(by_org["value"].iloc[0])
    office_alfa = _csv(supervisor.get(f"/trends/statements/{ids['alfa']}/export.csv", query_string={"month": MONTH}))
    assert office_alfa.equals(partner_csv)  # the office sees what the partner downloads


def test_the_page_and_the_xlsx_show_the_numbers_of_the_csv(app, world):
    ids, _cells = world
    partner = partner_client(app, ids["alfa"])
    df = _csv(partner.get("/partner/statement.csv", query_string={"month": MONTH}))
    page = partner.get("/partner/statement", query_string={"month": MONTH})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert html_numbers(html) == [str(v) for v in df["value"]]
    assert "Društvo Alfa" in html and "Tajna" not in html and "Oseba" not in html
    response = partner.get("/partner/statement.xlsx", query_string={"month": MONTH})
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert f"statement-{ids['alfa']}-2025-01.xlsx" in response.headers["Content-Disposition"]
    typed = df.assign(value=pd.to_numeric(df["value"]))
    from_xlsx = xlsx_frame(response.get_data(), typed)
    merged = typed.merge(from_xlsx, on=["table", "row"], suffixes=("", "_x"))
    assert len(merged) == len(df) and list(merged["value"]) == list(merged["value_x"])


def test_every_partner_download_is_audited(app, world):
    ids, _cells = world
    partner = partner_client(app, ids["alfa"])
    partner.get("/partner/statement", query_string={"month": MONTH})
    partner.get("/partner/statement.csv", query_string={"month": MONTH})
    partner.get("/partner/statement.xlsx")
    with app.app_context():
        rows = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "partner_statement_download").order_by(AuditEvent.id)
        ).all()
        assert [(r.object_id, r.actor_name) for r in rows] == [(ids["alfa"], "partner-ana")] * 2
        assert rows[0].detail == "2025-01 csv" and rows[1].detail.endswith(" xlsx")


def test_a_partner_reads_its_own_organizations_statement_only(app, world):
    ids, _cells = world
    beta = partner_client(app, ids["beta"], username="partner-bor")
    for query in ({"month": MONTH}, {"month": MONTH, "organization": ids["alfa"], "org_id": ids["alfa"]}):
        df = _csv(beta.get("/partner/statement.csv", query_string=query))
        assert set(df["filters"]) == {f"organization={ids['beta']}"}
        assert _value(df, "statement_declined", "no_capacity") >= K
    # The office's pages, which name an organization, are not the partner's: 403, as all of /trends/.
    for url in (
        f"/trends/statements/{ids['alfa']}",
        f"/trends/statements/{ids['alfa']}/export.csv",
        "/trends/statements",
    ):
        assert beta.get(url, query_string={"month": MONTH}).status_code == 403


def test_the_office_lists_the_organizations_whose_statement_shows_referrals(app, world, login_as):
    ids, _cells = world
    supervisor = login_as(Role.SUPERVISOR)
    html = supervisor.get("/trends/statements", query_string={"month": MONTH}).get_data(as_text=True)
    assert "Društvo Alfa" in html and "Društvo Beta" in html
    assert "Društvo Gamma" not in html  # its figure is published as 0, as in the trend table
    assert supervisor.get("/trends/statements/no-such-org").status_code == 404
    page = supervisor.get(f"/trends/statements/{ids['gamma']}", query_string={"month": MONTH})
    assert page.status_code == 200 and "<td>5</td>" not in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("month", "status"), [("2025-13", 400), ("januar", 400), ("x" * 50, 400), ("2999-01", 400), ("2100-12", 200)]
)
def test_a_month_that_cannot_be_read_is_a_clear_400_and_one_not_ended_shows_no_figures(app, world, month, status):
    ids, _cells = world
    partner = partner_client(app, ids["alfa"])
    response = partner.get("/partner/statement", query_string={"month": month})
    assert response.status_code == status
    if status == 200:
        assert "has not ended" in response.get_data(as_text=True) or "ni končan" in response.get_data(as_text=True)
        df = _csv(partner.get("/partner/statement.csv", query_string={"month": month}))
        assert len(df) == 0


def test_sending_the_statements_mails_each_organization_once(app, world):
    ids, _cells = world
    partner_client(app, ids["alfa"])  # the partner account's address: partner-ana's
    with app.app_context():
        from welfare.models import User

        db.session.scalar(sa.select(User).where(User.username == "partner-ana")).email = ALFA_MAIL
        db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["partners", "send-statements", "--month", MONTH])
    assert first.exit_code == 0, first.output
    assert "2 statement(s) sent" in first.output
    with app.app_context():
        mails = db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.to_addr)).all()
        assert [m.to_addr for m in mails] == [BETA_MAIL, ALFA_MAIL]
        beta_mail, alfa_mail = mails
        assert "Društvo Beta" in beta_mail.subject and "2025-01" in beta_mail.subject
        for body in (beta_mail.body, alfa_mail.body):
            assert "Tajna" not in body and "Oseba" not in body and "Zaupno" not in body
        assert not re.search(r": [1-4]$", alfa_mail.body, re.M)  # no count of 1 to 4, in the mail either
        sent_before = db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "partner_statement_sent"))
        assert sent_before == 2
    second = runner.invoke(args=["partners", "send-statements", "--month", MONTH])
    assert second.exit_code == 0 and "0 statement(s) sent" in second.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 2
        assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "partner_statement_sent")) == 2


def test_the_command_refuses_a_month_that_has_not_ended_or_cannot_be_read(app, world):
    runner = app.test_cli_runner()
    for month in ("2100-01", "2025-1x"):
        result = runner.invoke(args=["partners", "send-statements", "--month", month])
        assert result.exit_code != 0 and "--month" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(OutgoingMail.id))) == 0
