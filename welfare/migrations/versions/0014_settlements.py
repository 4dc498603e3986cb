"""settlements: a person's settlement becomes a choice from the official list

What staff typed before (a street, "Jedinščica / Poganska ulica", a flat) is mapped to the
official settlement of the person's municipality when it matches after folding case, č/š/ž
and spaces, else to "other"; "" stays "", and a municipality without a settlement list
records none (cases.places.normalize). The change cannot be undone: downgrade keeps the
mapped values. The trend reports' rows are derived afresh after migration 0015.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 09:00:00

"""

from alembic import op

from cases import places

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

def upgrade():
    places.remap_stored(op.get_bind())


def downgrade():
    pass  # what was typed before is gone on purpose (it could name a household)
