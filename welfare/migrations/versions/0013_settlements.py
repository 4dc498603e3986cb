"""settlements: a person's settlement becomes a choice from the official list

What staff typed before (a street, "Jedinščica / Poganska ulica", a flat) is mapped to the
official settlement of the person's municipality when it matches after folding case, č/š/ž
and spaces, else to "other"; "" stays "", and a municipality without a settlement list
records none (cases.places.normalize). The change cannot be undone: downgrade keeps the
mapped values. When anything changed, the trend reports rebuild every month on their next
refresh (a trend_change row for every month, as cases.trends.changes writes for bulk updates).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 09:00:00

"""

from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

from cases import places

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TREND_CHANGE = sa.table("trend_change", sa.column("month"), sa.column("kind"), sa.column("changed_at"))


def upgrade():
    bind = op.get_bind()
    if places.remap_stored(bind):
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        bind.execute(sa.insert(TREND_CHANGE).values(month=None, kind="all", changed_at=now))


def downgrade():
    pass  # what was typed before is gone on purpose (it could name a household)
