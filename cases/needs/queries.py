"""Read-only lookups of unmet needs."""

import sqlalchemy as sa

from cases.models import Case
from cases.needs.models import UnmetNeed
from welfare.extensions import db


def needs_of(case: Case) -> list[UnmetNeed]:
    return list(
        db.session.scalars(sa.select(UnmetNeed).where(UnmetNeed.case_id == case.id).order_by(UnmetNeed.id.desc()))
    )
