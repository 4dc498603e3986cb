"""The second factor: TOTP codes (RFC 6238, pyotp) and single-use recovery codes.

A code is accepted once: the time step of the last accepted code is stored, and only a later
step passes, so a code seen over someone's shoulder (or replayed from a proxy log) opens
nothing. The secret is encrypted at rest (welfare/crypto.py); recovery codes are argon2 hashes
like passwords. Callers commit.
"""

import hmac
import secrets
import time
from datetime import UTC, datetime

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup

from welfare import audit
from welfare.database import utcnow
from welfare.extensions import db
from welfare.models import TOTP_ROLES, RecoveryCode, User
from welfare.passwords import hash_password, verify_password

RECOVERY_CODES = 10
# One step before and after now: a phone's clock a little off still works.
VALID_WINDOW = 1
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper without doubt


def required() -> bool:
    """Whether the office requires a second factor (on unless switched off)."""
    return current_app.config.get("TOTP_REQUIRED") is not False


def required_for(user: User) -> bool:
    return required() and user.role in TOTP_ROLES


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=current_app.config["OFFICE_NAME"])


def qr_svg(uri: str) -> Markup:
    svg = segno.make(uri, error="m").svg_inline(scale=4, omitsize=True, light="#fff")
    return Markup(svg)  # noqa: S704 (segno's own SVG markup of a URI we built)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _normal_code(code: str) -> str:
    return "".join(code.split())


def _normal_recovery(code: str) -> str:
    return _normal_code(code).replace("-", "").lower()


def matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The time step (within the window) whose code this is, or None."""
    code = _normal_code(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if at is None else at
    step = totp.timecode(datetime.fromtimestamp(now, tz=UTC))
    for candidate in range(step - VALID_WINDOW, step + VALID_WINDOW + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def accept_code(user: User, code: str) -> bool:
    """Check a TOTP code and mark its step used (compare-and-set: two requests with one code,
    only one passes)."""
    secret = user.totp_secret
    if not secret:
        return False
    step = matching_step(secret, code)
    if step is None:
        return False
    done = db.session.execute(
        sa.update(User)
        .where(User.id == user.id, sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    ).rowcount
    if done:
        db.session.expire(user, ["totp_last_step"])
    return bool(done)


def _recovery_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"  # the dash only helps reading; it is not part of the hash


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; return them (shown once)."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hash_password(_normal_recovery(code))) for code in codes)
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    codes = new_recovery_codes(user)
    audit.record("recovery_codes_regenerated", object_type="user", object_id=user.id, actor=user)
    return codes


def unused_recovery_codes(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one recovery code (each works once); audit it. The caller commits."""
    code = _normal_recovery(code)
    if len(code) != 10:
        return False
    rows = db.session.scalars(
        sa.select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    for row in rows:
        if verify_password(row.code_hash, code):
            spent = db.session.execute(
                sa.update(RecoveryCode)
                .where(RecoveryCode.id == row.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow())
                .execution_options(synchronize_session=False)
            ).rowcount
            if spent:
                left = sum(1 for r in rows if r.id != row.id)
                audit.record(
                    "recovery_code_used", object_type="user", object_id=user.id, actor=user, detail=f"{left} left"
                )
            return bool(spent)
    return False


def check_second_factor(user: User, code: str) -> bool:
    """A TOTP code or, failing that, an unused recovery code."""
    if _normal_code(code).isdigit():
        return accept_code(user, code)
    return use_recovery_code(user, code)


def pending_secret(user: User) -> str:
    """The secret being set up (kept encrypted on the account until a code confirms it)."""
    if not user.totp_secret:
        user.totp_secret = new_secret()
    return user.totp_secret


def confirm_setup(user: User, code: str) -> list[str] | None:
    """Make the pending secret the user's second factor once a code from it checks out; return
    the new recovery codes, or None when the code is wrong. The caller commits."""
    if user.has_totp or not user.totp_secret or not accept_code(user, code):
        return None
    user.totp_confirmed_at = utcnow()
    codes = new_recovery_codes(user)
    audit.record("totp_set_up", object_type="user", object_id=user.id, actor=user)
    return codes


def remove(user: User, actor: User) -> None:
    """Take the second factor away (a lost phone): the next login sets up a new one."""
    user.totp_secret = None
    user.totp_confirmed_at = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record("totp_removed", object_type="user", object_id=user.id, actor=actor)
