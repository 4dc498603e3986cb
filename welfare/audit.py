"""Writing to the append-only audit log. The caller commits, as part of its own user action."""

from flask import has_request_context
from flask_login import current_user

from welfare.extensions import db
from welfare.models import AuditEvent, User


def record(
    action: str,
    *,
    object_type: str | None = None,
    object_id: object = None,
    purpose: str | None = None,
    detail: str | None = None,
    actor: User | None = None,
    actor_name: str | None = None,
) -> AuditEvent:
    """Add an audit event for the current user (or the given actor) to the session."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        actor_name=actor_name or (actor.username if actor else ""),
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        purpose=purpose,
        detail=detail,
    )
    db.session.add(event)
    return event
