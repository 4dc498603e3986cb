"""Helpers for referral tests: a case with a consented organization and a public service, and
reading the organization's link from the queued e-mail (as the organization would)."""

import re
import time
from pathlib import Path

import sqlalchemy as sa

from cases.models import Case
from cases.referrals.models import Referral
from tests.conftest import CSRF_RE
from tests.factories import make_org, make_service
from tests.intake_factories import make_case, make_consent
from welfare.extensions import db
from welfare.mail import OutgoingMail

LINK_RE = re.compile(r"https?://\S+/referral/\S+")
NUMBER = "2026-0077"


def referral_setup(
    app, *, consent=True, email="info@drustvo.si", confidential=False, number=NUMBER, **service_kwargs
) -> dict:
    """Case 2026-0077, or `number` (person Marija Horvat, EMŠO-free) assigned to nobody, a public
    service of an organization the person consented to share with. Returns ids and the case number."""
    with app.app_context():
        org = make_org("Društvo za pomoč", email=email)
        service = make_service(
            org,
            name="Dolžniško svetovanje",
            is_confidential_location=confidential,
            address={"address_1": "Glavni trg 7", "city": "Novo mesto", "postal_code": "8000"},
            **service_kwargs,
        )
        case = make_case(number=number)
        if consent:
            make_consent(case, organization_id=org.id)
        db.session.commit()
        return {"number": number, "service_id": service.id, "org_id": org.id, "challenge_id": case.challenges[0].id}


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def version_of(html: str) -> str:
    match = re.search(r'id="version_id" name="version_id" type="hidden" value="(\d+)"', html)
    assert match, "no version on the page"
    return match.group(1)


def create_referral(client, setup, **fields) -> int:
    url = f"/cases/{setup['number']}/referrals/new?service={setup['service_id']}"
    page = client.get(url).get_data(as_text=True)
    data = {
        "csrf_token": csrf_of(page),
        "challenge_ids": [str(setup["challenge_id"])],
        "note": "Prosimo za pogovor ta teden.",
        "name_shown": "initials",
        "to_email": "info@drustvo.si",
        **fields,
    }
    response = client.post(url, data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def send_referral(client, setup, referral_id: int, to_email="info@drustvo.si"):
    detail = f"/cases/{setup['number']}/referrals/{referral_id}"
    page = client.get(detail).get_data(as_text=True)
    return client.post(
        f"{detail}/send", data={"csrf_token": csrf_of(page), "version_id": version_of(page), "to_email": to_email}
    )


def link_in_message(message) -> str:
    """The organization's link (full URL) in a received e-mail's plain-text body."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = LINK_RE.search(body)
    assert match, body
    return match.group(0)


def link_from_outbox(app, referral_id: int, nth: int = -1) -> str:
    """The organization's link from the newest (or nth) e-mail queued about the referral, as a path."""
    with app.app_context():
        bodies = db.session.scalars(
            sa.select(OutgoingMail.body)
            .where(OutgoingMail.about == f"referral:{referral_id}")
            .order_by(OutgoingMail.id)
        ).all()
    assert bodies, f"no e-mail about referral {referral_id}"
    match = LINK_RE.search(bodies[nth])
    assert match, bodies[nth]
    return "/" + match.group(0).split("/", 3)[3]


def referral_state(app, referral_id: int) -> Referral:
    with app.app_context():
        referral = db.session.get(Referral, referral_id)
        db.session.expunge(referral)
        return referral


def case_id(app, number=NUMBER) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Case.id).where(Case.number == number))


def search_in_case(client, number: str, words: str) -> str:
    """Post the in-case catalog search as the page does; return the result page's URL (only an id)."""
    page = client.get(f"/cases/{number}/referrals/new").get_data(as_text=True)
    posted = client.post(f"/cases/{number}/referrals/search", data={"csrf_token": csrf_of(page), "q": words})
    assert posted.status_code == 302, posted.status_code
    return posted.headers["Location"]


def delivered_link(live_app, referral_id: int) -> str:
    """The link in the newest e-mail about the referral, read from the .eml the development
    mail backend delivered to DATA_DIR/outbox/ (as the organization receives it)."""
    from email import message_from_bytes, policy

    from welfare.mail import OutgoingMail

    with live_app.app_context():
        mail_id = db.session.scalar(
            sa.select(OutgoingMail.id)
            .where(OutgoingMail.about == f"referral:{referral_id}")
            .order_by(OutgoingMail.id.desc())
        )
    assert mail_id, "no e-mail about the referral"
    outbox = Path(live_app.config["DATA_DIR"]) / "outbox"
    # Delivery runs in the background after the commit: wait for the file, with a generous ceiling.
    deadline = time.monotonic() + 60
    while not (files := sorted(outbox.glob(f"{mail_id:08d}-*.eml"))) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert files, f"e-mail {mail_id} was not delivered to the outbox"
    message = message_from_bytes(files[-1].read_bytes(), policy=policy.default)
    return link_in_message(message)
