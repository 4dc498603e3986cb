"""Helpers for partner tests: a partner account for an organization, logged in, and the
inbox's answer form posted as the page does."""

import sqlalchemy as sa

from tests.conftest import create_user, login
from tests.ref_helpers import csrf_of, version_of
from welfare.extensions import db
from welfare.models import Role, User


def partner_client(app, org_id: str, username: str = "partner-ana", full_name: str = "Ana Partner"):
    """A test client logged in as a new partner of the organization."""
    user_id = create_user(app, Role.PARTNER, username, full_name=full_name)
    with app.app_context():
        db.session.get(User, user_id).partner_organization_id = org_id
        db.session.commit()
    client = app.test_client()
    assert login(client, username).status_code == 302
    return client


def user_id_of(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def inbox_answer(client, referral_id: int, page: str | None = None, **data):
    """Post the inbox's answer form (from `page` when given: a page loaded earlier)."""
    url = f"/partner/referrals/{referral_id}"
    html = page if page is not None else client.get(url).get_data(as_text=True)
    form = {
        "csrf_token": csrf_of(html),
        "referral_id": str(referral_id),
        "version_id": version_of(html),
        "decline_reason": "",
        "outcome": "",
        "note": "",
        **data,
    }
    return client.post(url, data=form)
