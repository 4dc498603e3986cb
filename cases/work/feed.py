"""The public calendar feed (/calendar/<token>.ics), outside /cases/: a calendar app fetches it
without a login, so the secret token in the URL is the only key."""

from flask import Blueprint, Response, current_app, g, request

from cases.work import calendar
from welfare.extensions import limiter

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
    return Response(
        body,
        200,
        {
            "Content-Type": "text/calendar; charset=utf-8",
            "Cache-Control": "no-store",
            "Content-Disposition": 'inline; filename="moje-delo.ics"',
        },
    )
