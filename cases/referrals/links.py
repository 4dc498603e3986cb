"""The organization's links: a random secret per link, kept only as its SHA-256, carried in a
URL signed with the app secret (salt "referral-link"), so a tampered URL is refused before the
database is read. A link is single-use and expires (REFERRAL_LINK_DAYS, default 14)."""

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from cases.referrals.models import LinkPurpose, Referral, ReferralLink
from welfare.database import utcnow
from welfare.extensions import db
from welfare.urls import public_url

SALT = "referral-link"
DEFAULT_LINK_DAYS = 14


class LinkRefused(Exception):
    """Why a link cannot be used; `status` is the HTTP answer (400 tampered, 404 unknown, 410 spent)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=SALT)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def link_days() -> int:
    return int(current_app.config.get("REFERRAL_LINK_DAYS", DEFAULT_LINK_DAYS))


def issue(referral: Referral, purpose: LinkPurpose) -> str:
    """Add a new link to the caller's transaction; return its signed token (for the URL only)."""
    secret = secrets.token_urlsafe(32)
    db.session.add(
        ReferralLink(
            referral=referral,
            token_hash=token_hash(secret),
            purpose=purpose,
            expires_at=utcnow() + timedelta(days=link_days()),
        )
    )
    return _serializer().dumps(secret)


def url_of(signed: str) -> str:
    return public_url("referral_link.answer", token=signed)


def resolve(signed: str) -> ReferralLink:
    """The link behind a signed token, still usable.

    :raise LinkRefused: 400 tampered or malformed, 404 unknown, 410 used, expired or answered.
    """
    try:
        secret = _serializer().loads(signed)
    except BadSignature:
        raise LinkRefused(400, "tampered") from None
    if not isinstance(secret, str):
        raise LinkRefused(400, "tampered")
    link = db.session.scalar(sa.select(ReferralLink).where(ReferralLink.token_hash == token_hash(secret)))
    if link is None:
        raise LinkRefused(404, "unknown")
    if link.used_at is not None:
        raise LinkRefused(410, "used")
    if link.expires_at <= utcnow():
        raise LinkRefused(410, "expired")
    return link


def spend_open_links(referral: Referral) -> None:
    """Close every unused link of the referral (it was answered or cancelled another way)."""
    now = utcnow()
    for link in db.session.scalars(
        sa.select(ReferralLink).where(ReferralLink.referral_id == referral.id, ReferralLink.used_at.is_(None))
    ):
        link.used_at = now
