"""The public calendar feed (/calendar/<token>.ics), outside /cases/: a calendar app fetches it
without a login, so the secret token in the URL is the only key."""

import re

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, g, request

from cases.access_log import log_reads
from cases.models import Case
from cases.work import calendar
from welfare.extensions import db, limiter

feed_bp = Blueprint("calendar_feed", __name__)


def _feed_limit() -> str:
    # Calendar apps poll every few minutes; a guesser hammering tokens from one address is cut off.
    return current_app.config.get("CALENDAR_FEED_RATE_LIMIT", "30 per minute")


@feed_bp.route("/calendar/<token>.ics")
@limiter.limit(_feed_limit)
def feed(token: str):
    g.no_store = True
    user = calendar.user_for_token(token)
    if user is None:
        # A plain 404 (no rendered page): nothing here may set a session cookie or hint at users.
        return Response("Not found\n", 404, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"})
    body = calendar.build_ics(user.id, request.host.split(":")[0])
    _log_cases_in_feed(user, body)
    return Response(
        body,
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Cache-Control": "no-store",
            "Content-Disposition": 'inline; filename="moje-delo.ics"',
        },
    )


def _log_cases_in_feed(user, body: bytes) -> None:
    """Each case the feed shows (its number leads every summary) is read by the feed's owner."""
    numbers = set(re.findall(rb"SUMMARY:(\d{4}-\d{4,})", body))
    cases = db.session.execute(
        sa.select(Case.id, Case.person_id).where(Case.number.in_([n.decode() for n in numbers]))
    ).all()
    log_reads(cases, what="calendar_feed", user=user)
