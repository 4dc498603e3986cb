"""The translation check (issue 22): no page or export shows a stored code where the reader
expects a word.

1. Every label of every LabelledEnum has a Slovenian translation in the catalog (English is the
   source language: the msgids), and every access-log record code has a label.
2. A worked case's pages and exports, rendered in Slovenian and in English, never show a raw
   enum value (`draft`, `sent`, `referral_link`, `social_worker`, ...) as a visible word. In
   Slovenian every code counts; in English only codes that are not plain English words (those
   with an underscore), since "sent" or "open" are ordinary words of an English sentence.
"""

import html as html_lib
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po

from cases.access_log import RECORD_LABELS, AccessAction, CaseAccess
from cases.models import Case
from cases.referrals.models import Referral
from tests.conftest import csrf_token
from tests.functional.test_case_history import worked_case  # noqa: F401 (fixture)
from welfare import PROJECT_ROOT
from welfare.enums import LabelledEnum
from welfare.extensions import db
from welfare.models import Role

PO = Path(PROJECT_ROOT) / "welfare" / "translations" / "sl" / "LC_MESSAGES" / "messages.po"


def labelled_enums() -> list[type[LabelledEnum]]:
    import cases  # noqa: F401  (every model module: the enums are defined there)

    found, todo = [], list(LabelledEnum.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def raw_codes() -> set[str]:
    codes = {member.value for cls in labelled_enums() for member in cls}
    codes |= {action.value for action in AccessAction} | {role.value for role in Role} | set(RECORD_LABELS)
    return codes


def test_every_enum_label_has_a_slovenian_translation(app):
    catalog = read_po(PO.open("rb"))
    missing = []
    enums = labelled_enums()
    assert len(enums) >= 15
    for cls in enums:
        labels = cls.labels()
        for member in cls:
            lazy = labels.get(member)
            if lazy is None:
                missing.append(f"{cls.__name__}.{member.name}: no label")
                continue
            *context, msgid = lazy._args
            message = catalog.get(msgid, context=context[0] if context else None)
            if message is None or not message.string or message.fuzzy:
                missing.append(f"{cls.__name__}.{member.name}: {msgid!r} not translated")
    assert not missing, missing


def test_every_record_code_the_access_log_writes_has_a_label():
    """The codes are literals in the services: `what="..."`, `_log_edit(..., "...")`, READ_OF."""
    from cases.services import READ_OF

    written = set(READ_OF.values())
    for path in Path(PROJECT_ROOT, "cases").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        written |= set(re.findall(r'\bwhat="([a-z_]+)"', text))
        written |= set(re.findall(r'_log_edit\([^,]+, "([a-z_]+)"\)', text))
    assert len(written) >= 12
    assert written <= set(RECORD_LABELS), written - set(RECORD_LABELS)


def visible_words(page: str) -> set[str]:
    """The words a reader sees: no tags or attributes, no scripts or styles."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", page))
    return set(re.findall(r"[A-Za-z_]+", text))


def json_words(data) -> set[str]:
    """The words of every value (never the keys, which are the file's own field names)."""
    if isinstance(data, dict):
        return set().union(*(json_words(value) for value in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(json_words(value) for value in data)) if data else set()
    return set(re.findall(r"[A-Za-z_]+", str(data))) if data is not None else set()


@pytest.fixture
def slovenian_office(app):
    """The office works in Slovenian (the production default), so the texts a service stores
    while the case is worked (a closing's note on kept work) are Slovenian, as in real life."""
    app.config["BABEL_DEFAULT_LOCALE"] = "sl"


def _switch(client, lang: str) -> None:
    client.post("/language", data={"csrf_token": csrf_token(client, "/"), "lang": lang, "next": "/"})


@pytest.mark.parametrize("lang", ["sl", "en"])
def test_no_page_or_export_shows_a_raw_code(app, login_as, slovenian_office, worked_case, lang):  # noqa: F811
    worker, number = worked_case
    with app.app_context():
        case = db.session.scalar(sa.select(Case).where(Case.number == number))
        person_id = case.person_id
        referral_id = db.session.scalar(sa.select(Referral.id))
        assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseAccess)) > 5
    pages = {
        f"/cases/{number}": worker,
        f"/cases/{number}/history": worker,
        f"/cases/{number}/referrals": worker,
        f"/cases/{number}/referrals/{referral_id}": worker,
        f"/cases/{number}/plan": worker,
        f"/cases/{number}/edit": worker,
        "/cases/": worker,
        f"/cases/persons/{person_id}": worker,
        f"/cases/persons/{person_id}/export/view?purpose=for_person": worker,
    }
    admin = login_as(Role.ADMIN, "skrbnica")
    pages["/admin/access-log"] = admin
    codes = raw_codes() if lang == "sl" else {code for code in raw_codes() if "_" in code}
    shown = {}
    for client in {id(c): c for c in pages.values()}.values():
        _switch(client, lang)
    for url, client in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        found = visible_words(response.get_data(as_text=True)) & codes
        if found:
            shown[url] = sorted(found)
    response = worker.get(f"/cases/persons/{person_id}/export.json?purpose=legal")
    found = json_words(json.loads(response.get_data(as_text=True))) & codes
    if found:
        shown["export.json"] = sorted(found)
    assert not shown, shown


def test_the_words_of_a_case_in_slovenian(app, worked_case):  # noqa: F811
    """ "Odprt" is a status; the day a case was opened is "Odprto dne"; an active case is "Aktiven"
    wherever its status is named."""
    worker, number = worked_case
    _switch(worker, "sl")
    page = worker.get(f"/cases/{number}").get_data(as_text=True)
    assert "<dt>Odprto dne</dt>" in page and "<dt>Odprt</dt>" not in page
    assert re.search(r'<p class="badge">[^<]*: Aktiven</p>', page)
    edit = worker.get(f"/cases/{number}/edit").get_data(as_text=True)
    assert re.search(r'<option[^>]*value="active"[^>]*>Aktiven</option>', edit)
    with app.app_context():
        person_id = db.session.scalar(sa.select(Case.person_id).where(Case.number == number))
    person = worker.get(f"/cases/persons/{person_id}").get_data(as_text=True)
    assert "Aktiven" in person and "Aktivna" not in person


def test_the_export_names_states_and_shows_office_time(app, worked_case):  # noqa: F811
    worker, number = worked_case
    with app.app_context():
        person_id = db.session.scalar(sa.select(Case.person_id).where(Case.number == number))
    data = worker.get(f"/cases/persons/{person_id}/export.json?purpose=legal").json
    assert data["time_zone"] == "Europe/Ljubljana"
    (referral,) = data["cases"][0]["referrals"]
    assert [h["status"] for h in referral["history"]] == ["Draft", "Sent", "Accepted"]
    # Stored UTC, shown with the office's offset (+01:00 in winter, +02:00 in summer).
    for moment in [h["at"] for h in referral["history"]] + [a["at"] for a in data["access_log"]]:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00", moment), moment
    page = worker.get(f"/cases/persons/{person_id}/export/view?purpose=legal").get_data(as_text=True)
    assert "Europe/Ljubljana" in page and "T0" not in re.sub(r"<[^>]+>", "", page).replace("Times", "")
