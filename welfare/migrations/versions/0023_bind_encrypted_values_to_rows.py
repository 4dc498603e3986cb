"""encrypted free text is bound to its row: every `enc1:` value (authenticated with its column
only) is rewritten as an `enc2:` value authenticated with its table, column and row id

Plain text found in an encrypted column is left as it is (it reads as unreadable) and named in the
log: it was either stored before encryption existed, then `flask keys bind --include-plain`
encrypts it once the operator is sure, or written into the database by someone.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 10:00:00

"""

import logging

from alembic import op

from welfare.keys import Cell, bind_cells

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# A migration is a snapshot: the encrypted columns as they are at this revision.
CELLS = [
    Cell("case_file", "outcome_note"),
    Cell("case_challenge", "description"),
    Cell("case_timeline_entry", "text"),
    Cell("case_draft", "data"),
    Cell("plan_review", "note"),
    Cell("plan_change", "old_value"),
    Cell("plan_change", "new_value"),
    Cell("referral", "note"),
    Cell("referral", "closing_note"),
    Cell("referral", "appointment_note"),
    Cell("referral_event", "note"),
    Cell("unmet_need", "note"),
    Cell("case_document", "title"),
    Cell("case_document", "note"),
    Cell("person_change", "old_value"),
    Cell("person_change", "new_value"),
    Cell("user", "totp_secret"),
]


def upgrade():
    rewritten, left = bind_cells(op.get_bind(), CELLS)
    log.info("Bound %d encrypted values to their rows.", rewritten)
    if left:
        log.warning(
            "%d values in encrypted columns were left as they are and read as unreadable: %s. "
            "See docs/security.md, 'Encryption binding'.",
            len(left),
            ", ".join(left[:20]),
        )


def downgrade():
    # Values stay bound: the older release reads them as unreadable, it never shows the wrong text.
    # Restore the backup taken before the upgrade to go back.
    pass
