"""Nothing typed is lost, whatever ends the session (issue 22, part 5): the long case forms save
a server-side draft while the user types; after a logout elsewhere the submit is refused but the
draft stays; the form offers it back to restore or discard; a save deletes it; drafts expire and
belong to one user only."""

from datetime import timedelta

import sqlalchemy as sa

from cases import drafts
from cases.drafts import Draft
from cases.models import TimelineEntry
from tests.conftest import csrf_token, login
from tests.intake_factories import make_case
from welfare.database import utcnow
from welfare.extensions import db
from welfare.models import Role, User

NOTE = "Gospa je povedala, da ji grozi izklop elektrike; dolg pri Elektru 740 EUR."


def _case(app) -> str:
    with app.app_context():
        case = make_case()
        db.session.commit()
        return case.number


def _autosave(client, url, text, token=None, **fields):
    token = token or csrf_token(client, url)
    data = {"csrf_token": token, "kind": "phone", "occurred_at": "2026-01-10T10:00", "text": text, "_draft": "autosave"}
    return client.post(url, data={**data, **fields})


def _user_id(app, username) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def _draft(app, username, url) -> Draft | None:
    with app.app_context():
        draft = drafts.find(_user_id(app, username), url)
        return draft and draft.fields


def test_autosave_keeps_a_draft_encrypted_and_saves_nothing_else(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER, "maja")
    number = _case(app)
    url = f"/cases/{number}/timeline/new"
    response = _autosave(worker, url, NOTE)
    assert response.status_code == 204
    assert _draft(app, "maja", url) == {"kind": ["phone"], "occurred_at": ["2026-01-10T10:00"], "text": [NOTE]}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(TimelineEntry.id))) == 0
        raw = db.session.execute(sa.text("SELECT data FROM case_draft")).scalar_one()
    assert raw.startswith("enc2:") and "Elektr" not in raw
    # The next autosave replaces it: one draft per user and form.
    assert _autosave(worker, url, NOTE + " Drugič.").status_code == 204
    assert _draft(app, "maja", url)["text"] == [NOTE + " Drugič."]


def test_the_form_offers_the_draft_to_restore_or_discard(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER, "maja")
    number = _case(app)
    url = f"/cases/{number}/timeline/new"
    _autosave(worker, url, NOTE)
    html = worker.get(url).get_data(as_text=True)
    assert "You have an unsaved draft of this form from" in html
    assert NOTE not in html  # offered, not forced into the form
    assert "data-autosave" in html and "data-draft-offer" in html
    restored = worker.get(url + "?draft=restore").get_data(as_text=True)
    assert NOTE in restored and "Restored what you typed before" in restored
    # Discard deletes it and the form opens empty, without the offer.
    token = csrf_token(worker, url)
    response = worker.post(url, data={"csrf_token": token, "_draft": "discard"})
    assert response.status_code == 302 and response.headers["Location"] == url
    assert _draft(app, "maja", url) is None
    html = worker.get(url).get_data(as_text=True)
    assert "The draft was discarded." in html and "unsaved draft" not in html and NOTE not in html


def test_a_successful_save_deletes_the_draft(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER, "maja")
    number = _case(app)
    url = f"/cases/{number}/timeline/new"
    _autosave(worker, url, NOTE)
    form = worker.get(url + "?draft=restore")
    token = csrf_token(worker, url)
    data = {"csrf_token": token, "kind": "phone", "occurred_at": "2026-01-10T10:00", "text": NOTE}
    assert form.status_code == 200 and worker.post(url, data=data).status_code == 302
    assert _draft(app, "maja", url) is None
    with app.app_context():
        assert db.session.scalar(sa.select(TimelineEntry.text)) == NOTE


def test_a_submit_after_a_logout_in_another_tab_keeps_the_draft_and_it_comes_back(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER, "maja")
    number = _case(app)
    url = f"/cases/{number}/timeline/new"
    token = csrf_token(worker, url)
    assert _autosave(worker, url, NOTE, token=token).status_code == 204
    # The other tab logs out (same browser, same cookie jar).
    assert worker.post("/logout", data={"csrf_token": token}).status_code == 302
    # This tab's form is sent with its old token: refused, nothing saved, the draft stays.
    data = {"csrf_token": token, "kind": "phone", "occurred_at": "2026-01-10T10:00", "text": NOTE + " Konec."}
    response = worker.post(url, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your session ended" in html and "saved as a draft while you wrote" in html
    assert f"/login?next=/cases/{number}/timeline/new" in html.replace("%2F", "/")
    # An autosave without a session is refused too, and cannot overwrite the kept draft.
    assert _autosave(worker, url, "tuje", token=token).status_code == 400
    assert _draft(app, "maja", url)["text"] == [NOTE]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(TimelineEntry.id))) == 0
    assert login(worker, "maja").status_code == 302
    assert "You have an unsaved draft" in worker.get(url).get_data(as_text=True)
    assert NOTE in worker.get(url + "?draft=restore").get_data(as_text=True)


def test_drafts_belong_to_their_user_only(app, login_as):
    maja = login_as(Role.SOCIAL_WORKER, "maja")
    rok = login_as(Role.LAWYER, "rok")
    number = _case(app)
    url = f"/cases/{number}/challenges/new"
    fields = {"domain_id": "", "urgency": "high", "description": NOTE}
    assert maja.post(url, data={"csrf_token": csrf_token(maja, url), "_draft": "autosave", **fields}).status_code == 204
    html = rok.get(url).get_data(as_text=True)
    assert "unsaved draft" not in html
    assert NOTE not in rok.get(url + "?draft=restore").get_data(as_text=True)
    # Rok's own draft and discard leave Maja's alone.
    rok.post(url, data={"csrf_token": csrf_token(rok, url), "_draft": "autosave", "description": "Rokov"})
    rok.post(url, data={"csrf_token": csrf_token(rok, url), "_draft": "discard"})
    assert _draft(app, "maja", url)["description"] == [NOTE]
    assert _draft(app, "rok", url) is None


def test_supervisors_and_administrators_cannot_keep_drafts(app, login_as):
    number = _case(app)
    url = f"/cases/{number}/timeline/new"
    for role in (Role.SUPERVISOR, Role.ADMIN):
        client = login_as(role)
        response = client.post(url, data={"csrf_token": _token_from_home(client), "_draft": "autosave", "text": "x"})
        assert response.status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Draft.id))) == 0


def _token_from_home(client) -> str:
    import re

    html = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def test_a_draft_of_an_unknown_case_or_action_is_refused(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER, "maja")
    number = _case(app)
    token = csrf_token(worker, f"/cases/{number}/timeline/new")
    assert (
        worker.post("/cases/2026-9999/timeline/new", data={"csrf_token": token, "_draft": "autosave"}).status_code
        == 404
    )
    assert worker.post(f"/cases/{number}/timeline/new", data={"csrf_token": token, "_draft": "x"}).status_code == 400


def test_drafts_expire_after_seven_days_and_retention_deletes_them(app, login_as):
    worker = login_as(Role.SOCIAL_WORKER, "maja")
    number = _case(app)
    old_url, new_url = f"/cases/{number}/timeline/new", f"/cases/{number}/challenges/new"
    _autosave(worker, old_url, NOTE)
    _autosave(worker, new_url, "Svež osnutek")
    with app.app_context():
        draft = db.session.scalar(sa.select(Draft).where(Draft.form_key == old_url))
        draft.saved_at = utcnow() - timedelta(days=8)
        db.session.commit()
    assert "unsaved draft" not in worker.get(old_url).get_data(as_text=True)  # expired: never offered
    assert "unsaved draft" in worker.get(new_url).get_data(as_text=True)
    dry = app.test_cli_runner().invoke(args=["cases", "retention"])
    assert "1 unsaved draft(s) older than the draft period would be deleted." in dry.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Draft.id))) == 2
    applied = app.test_cli_runner().invoke(args=["cases", "retention", "--apply"])
    assert applied.exit_code == 0 and "Deleted 1 unsaved draft(s)" in applied.output
    with app.app_context():
        assert db.session.scalars(sa.select(Draft.form_key)).all() == [new_url]
