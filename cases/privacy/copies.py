"""Copies of a person's data outside the case tables: server-side drafts of forms about their
cases, and the e-mails sent about their referrals (rows in `outgoing_mail` and, with the
development outbox, one .eml file per message under DATA_DIR/outbox/, named after the mail id).
"""

import json
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from cases.drafts import Draft
from cases.models import Case
from welfare.extensions import db
from welfare.mail import OutgoingMail

# Fields of the intake form that name a person already on file (cases/intake/walk_in_views.py).
PERSON_FIELDS = ("person_id", "use_person")


def delete_drafts(person_id: int, cases: list[Case]) -> int:
    """Delete every draft typed on a page of these cases or of this person; the caller commits.

    Draft keys are the form's path (ids and case numbers only); a walk-in form kept for an
    existing person names them in its (encrypted) fields, so those few are read one by one.
    """
    prefixes = [f"/cases/{case.number}/" for case in cases] + [f"/cases/persons/{person_id}/"]
    exact = [f"/cases/{case.number}" for case in cases] + [f"/cases/persons/{person_id}"]
    conditions = [Draft.form_key.in_(exact)] + [Draft.form_key.startswith(p, autoescape=True) for p in prefixes]
    doomed = set(db.session.scalars(sa.select(Draft.id).where(sa.or_(*conditions))))
    for draft in db.session.scalars(sa.select(Draft).where(Draft.form_key.startswith("/cases/new"))):
        try:
            fields = json.loads(draft.data)
        except ValueError:
            continue
        if any(str(person_id) in (fields.get(name) or []) for name in PERSON_FIELDS):
            doomed.add(draft.id)
    if doomed:
        db.session.execute(sa.delete(Draft).where(Draft.id.in_(doomed)))
    return len(doomed)


def delete_referral_mail(referral_ids: list[int]) -> list[int]:
    """Delete the queued and sent messages about these referrals; returns their ids (for
    `remove_outbox_files` after the commit). The caller commits."""
    if not referral_ids:
        return []
    about = [f"referral:{referral_id}" for referral_id in referral_ids]
    ids = list(db.session.scalars(sa.select(OutgoingMail.id).where(OutgoingMail.about.in_(about))))
    if ids:
        db.session.execute(sa.delete(OutgoingMail).where(OutgoingMail.id.in_(ids)))
    return ids


def remove_outbox_files(mail_ids: list[int]) -> int:
    """Remove the .eml copies of these messages (`<id:08d>-<time>.eml`); run after the commit,
    so a rolled-back erasure never loses a message that still exists."""
    outbox = Path(current_app.config["DATA_DIR"]) / "outbox"
    if not mail_ids or not outbox.is_dir():
        return 0
    removed = 0
    for mail_id in mail_ids:
        for path in outbox.glob(f"{mail_id:08d}-*.eml"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def remove_orphaned_outbox_files() -> int:
    """Remove the .eml copies whose message row is gone. Only retention and erasure delete those
    rows, and they remove the files after their commit, so a file without a row is what a run
    killed between the two left behind; the next `cases retention --apply` clears it."""
    outbox = Path(current_app.config["DATA_DIR"]) / "outbox"
    if not outbox.is_dir():
        return 0
    files: dict[int, list[Path]] = {}
    for path in outbox.glob("*.eml"):
        number = path.name.split("-", 1)[0]
        if number.isascii() and number.isdigit():
            files.setdefault(int(number), []).append(path)
    if not files:
        return 0
    kept = set(db.session.scalars(sa.select(OutgoingMail.id).where(OutgoingMail.id.in_(files))))
    db.session.rollback()  # a read only; release the snapshot before the long run
    removed = 0
    for mail_id in files.keys() - kept:
        for path in files[mail_id]:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
