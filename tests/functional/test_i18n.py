"""Slovenian by default, English on request, and no string left untranslated."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import csrf_token, make_app
from welfare import PROJECT_ROOT

PO_FILE = PROJECT_ROOT / "welfare" / "translations" / "sl" / "LC_MESSAGES" / "messages.po"
METHOD_MAP = [
    ("welfare/**.py", "python"),
    ("catalog/**.py", "python"),
    ("cases/**.py", "python"),
    ("templates/**.html", "jinja2"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def test_slovenian_is_the_default(tmp_path):
    app = make_app(tmp_path, BABEL_DEFAULT_LOCALE="sl")
    html = app.test_client().get("/login").get_data(as_text=True)
    assert '<html lang="sl">' in html
    assert "Prijava za zaposlene" in html and "Uporabniško ime" in html


def test_language_switch_to_english_and_back(tmp_path):
    app = make_app(tmp_path, BABEL_DEFAULT_LOCALE="sl")
    client = app.test_client()
    token = csrf_token(client, "/login")
    response = client.post("/language", data={"csrf_token": token, "lang": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    assert "Staff login" in client.get("/login").get_data(as_text=True)
    client.post("/language", data={"csrf_token": token, "lang": "sl", "next": "https://evil.example/"})
    assert "Prijava za zaposlene" in client.get("/login").get_data(as_text=True)


def test_unknown_language_is_ignored(tmp_path):
    app = make_app(tmp_path, BABEL_DEFAULT_LOCALE="sl")
    client = app.test_client()
    token = csrf_token(client, "/login")
    client.post("/language", data={"csrf_token": token, "lang": "xx"})
    assert "Prijava za zaposlene" in client.get("/login").get_data(as_text=True)


def test_error_messages_are_translated(tmp_path):
    app = make_app(tmp_path, BABEL_DEFAULT_LOCALE="sl")
    with app.app_context():
        from welfare.extensions import db

        db.create_all()
    client = app.test_client()
    token = csrf_token(client, "/login")
    html = client.post("/login", data={"csrf_token": token, "username": "x", "password": "y"}).get_data(as_text=True)
    assert "Napačno uporabniško ime ali geslo." in html
    assert "Strani ni mogoče najti" in client.get("/nope").get_data(as_text=True)


def test_every_source_string_has_a_slovenian_translation():
    with PO_FILE.open("rb") as fh:
        catalog = read_po(fh, locale="sl")
    translated = {
        m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id and m.string and "fuzzy" not in m.flags
    }
    missing, seen = set(), 0
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PROJECT_ROOT), METHOD_MAP, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else message[0]
        seen += 1
        if not filename.startswith("welfare/migrations") and msgid not in translated:
            missing.add(f"{filename}: {msgid}")
    assert seen > 90, "the extractor found suspiciously few strings"
    assert not missing, "untranslated strings (run pybabel extract/update, then translate):\n" + "\n".join(
        sorted(missing)
    )


def test_compiled_catalog_exists():
    assert Path(PO_FILE).with_suffix(".mo").exists(), "translations were not compiled by the install step"
