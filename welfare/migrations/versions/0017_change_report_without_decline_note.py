"""change reports filed by a declined referral keep the reason only

Before this release a decline through the organization's link ("no longer offered", "wrong
contact") copied the organization's note, which may name the person, into
catalog_change_report.message, unencrypted. The note is on the referral already (encrypted);
here the copy is cut off after the reason.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 09:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# The message as it was written, in English and in Slovenian, for the two catalog reasons.
PREFIXES = ("A referral was declined: ", "Napotitev je bila zavrnjena: ")
REASONS = (
    "The service is no longer offered",
    "Wrong contact details in the catalog",
    "Storitve ne izvajajo več",
    "Napačni kontaktni podatki v katalogu",
)


def upgrade():
    bind = op.get_bind()
    report = sa.table("catalog_change_report", sa.column("id", sa.Integer), sa.column("message", sa.Text))
    for prefix in PREFIXES:
        for reason in REASONS:
            head = f"{prefix}{reason}."
            bind.execute(
                report.update()
                .where(report.c.message.startswith(head, autoescape=True), report.c.message != head)
                .values(message=head)
            )


def downgrade():
    pass  # the notes are gone from the reports on purpose (they remain on the referrals)
