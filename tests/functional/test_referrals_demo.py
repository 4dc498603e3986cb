"""Demo referrals: every state, some answered through the link, some overdue, unmet needs in
several domains; loaded once."""

import pytest
import sqlalchemy as sa

from cases.needs.models import NeedKind, UnmetNeed
from cases.referrals.models import OPEN_STATUSES, Referral, ReferralEvent, ReferralStatus
from cases.trends import units
from cases.trends.models import TrendCase, TrendReferral
from welfare.clock import today
from welfare.extensions import db


@pytest.mark.slow  # seeds the whole demo: the slow tier
def test_demo_referrals_cover_every_state_once(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Demo referrals:" in first.output and "referrals and" in first.output
    with app.app_context():
        states = set(db.session.scalars(sa.select(Referral.status).distinct()))
        assert states == set(ReferralStatus)
        assert db.session.scalar(sa.select(sa.func.count()).where(ReferralEvent.by_organization.is_(True))) > 5
        overdue = sa.select(sa.func.count()).where(Referral.status.in_(OPEN_STATUSES), Referral.follow_up_on < today())
        assert db.session.scalar(overdue) > 0
        assert db.session.scalar(sa.select(sa.func.count(sa.distinct(UnmetNeed.domain_id)))) >= 3
        assert len(set(db.session.scalars(sa.select(UnmetNeed.kind).distinct()))) == len(NeedKind)
        total = db.session.scalar(sa.select(sa.func.count(Referral.id)))
        # The trend reports count every demo case and sent referral, exactly as derived.
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TrendCase)) >= 300
        sent = sa.select(sa.func.count()).where(Referral.sent_at.is_not(None))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(TrendReferral)) == db.session.scalar(sent)
        assert units.differences() == []
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0 and "Demo referrals: already loaded." in second.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Referral.id))) == total
