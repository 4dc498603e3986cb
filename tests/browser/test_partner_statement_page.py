"""The partners' monthly statement in a real browser, in Slovenian: the partner opens it from its
inbox, chooses the month, reads the tables and downloads the CSV the page offers, whose figures
are the page's; a supervisor reads the office's list of statements and one organization's. Every
page passes axe (WCAG 2.2 A/AA)."""

import csv
import io
from datetime import date, datetime
from pathlib import Path

import pytest

from cases.referrals.models import DeclineReason, ReferralOutcome, ReferralStatus
from tests.browser_helpers import axe_violations, t
from tests.conftest import PASSWORD, create_user
from tests.factories import make_org, make_service
from tests.trends_factories import add_cases, add_referral
from welfare.extensions import db
from welfare.models import Role, User

MONTH = "2025-03"


def _log_in(page, base_url, username):
    page.goto(base_url + "/login")
    page.get_by_label("Uporabniško ime").fill(username)
    page.get_by_label("Geslo", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Prijava").click()


@pytest.fixture
def march(live_app):
    """Društvo Statement received 8 referrals sent on 2025-03-10: 6 completed, 2 declined."""
    with live_app.app_context():
        service = make_service(make_org("Društvo Pregled"), name="Svetovanje Pregled")
        cases = add_cases(8, date(2025, 3, 3))
        for case in cases[:6]:
            add_referral(
                case,
                service,
                ReferralStatus.COMPLETED,
                [("accepted", datetime(2025, 3, 12, 9)), ("completed", datetime(2025, 3, 20, 9))],
                datetime(2025, 3, 10, 9),
                outcome=ReferralOutcome.HELPED,
            )
        for case in cases[6:]:
            add_referral(
                case,
                service,
                ReferralStatus.DECLINED,
                [("declined", datetime(2025, 3, 11, 9))],
                datetime(2025, 3, 10, 9),
                decline_reason=DeclineReason.NO_CAPACITY,
            )
        db.session.commit()
        org_id = service.organization_id
    partner_id = create_user(live_app, Role.PARTNER, "statement-partner", full_name="Pia Partner")
    with live_app.app_context():
        db.session.get(User, partner_id).partner_organization_id = org_id
        db.session.commit()
    create_user(live_app, Role.SUPERVISOR, "statement-supervisor")
    return org_id


@pytest.mark.browser
def test_the_partner_reads_and_downloads_its_statement_and_the_office_reads_all(live_app, base_url, browser, march):
    context = browser.new_context(locale="sl-SI", accept_downloads=True)
    page = context.new_page()
    violations = []
    try:
        _log_in(page, base_url, "statement-partner")
        page.get_by_role("link", name=t("Our monthly statement")).click()
        page.get_by_label(t("Month")).select_option(MONTH)
        page.get_by_role("button", name=t("Show")).click()
        page.wait_for_url(f"**/partner/statement?month={MONTH}")
        heading = page.get_by_role("heading", name=t("Referrals received, by what became of them"))
        assert heading.is_visible()
        violations += axe_violations(page)
        table = page.get_by_role("table", name=t("Referrals received, by what became of them"))
        shown_total = table.locator("tfoot td").inner_text()
        assert 6 <= int(shown_total) <= 10  # 8 sent: a count of 5 or more moves by at most 2
        with page.expect_download() as download:
            page.get_by_role("link", name=t("Download CSV")).click()
        text = Path(download.value.path()).read_text(encoding="utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
        by_cell = {(r["table"], r["row"]): r["value"] for r in rows}
        assert by_cell[("statement_state", "total")] == shown_total
        assert {r["filters"] for r in rows} == {f"organization={march}"}
        assert not [r for r in rows if r["value"] in {"1", "2", "3", "4"}]

        office = browser.new_context(locale="sl-SI").new_page()  # another person, another browser
        _log_in(office, base_url, "statement-supervisor")
        office.goto(f"{base_url}/trends/statements?month={MONTH}")
        violations += axe_violations(office)
        office.get_by_role("link", name="Društvo Pregled").click()
        office.wait_for_url(f"**/trends/statements/{march}?month={MONTH}")
        violations += axe_violations(office)
        office_table = office.get_by_role("table", name=t("Referrals received, by what became of them"))
        assert office_table.locator("tfoot td").inner_text() == shown_total
        office.context.close()
    finally:
        context.close()
    assert not violations, "\n".join(violations)
