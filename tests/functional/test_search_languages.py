"""Every language spoken in Novo mesto (issue 23): everyday phrases in English, Ukrainian and
Russian (Cyrillic or Latin letters), Albanian and Bosnian/Croatian/Serbian find the right life
domain whatever the UI language, and a search that is not understood says so in the language it
was typed in, pointing to the office and to interpreting."""

import re

import pytest

from catalog.search import engine as search
from tests.search_helpers import domain_hits, languages, load

LANGUAGES = languages(load("languages_tuning.json")["sets"]["first"])

# Targets of the issue: right life domain in the top three for 90 % overall, 80 % per language.
OVERALL, PER_LANGUAGE = 0.9, 0.8


# A measurement over a whole set of descriptions: the slow tier, with the other sets (tests/conftest.py).
@pytest.mark.measurement
def test_held_out_descriptions_per_language(app, demo, capsys):
    hits = total = 0
    lines = []
    with app.test_request_context():
        for language, descriptions in LANGUAGES.items():
            share, misses, empty = domain_hits(descriptions)
            hits += round(share * len(descriptions))
            total += len(descriptions)
            lines.append(f"{language}: {share:.3f} of {len(descriptions)}, empty {len(empty)}")
            lines += [f"  miss {m}" for m in misses] + [f"  empty {e!r}" for e in empty]
            assert share >= PER_LANGUAGE and not empty, "\n".join(lines)
    with capsys.disabled():
        print("\n" + "\n".join(lines) + f"\noverall: {hits / total:.3f} of {total}")
    assert hits / total >= OVERALL


@pytest.mark.parametrize(
    "query",
    ["my husband hits me when he's drunk", "не можу платити оренду", "burri më rreh", "ne mozhu platyty orendu"],
)
def test_recognised_whatever_the_ui_language(client, app, demo, query):
    def first_ids():
        html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
        return re.findall(r'<h3><a href="/services/([^"?]+)', html)[:10]

    app.config["BABEL_DEFAULT_LOCALE"] = "sl"
    in_slovenian = first_ids()
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    assert in_slovenian and first_ids() == in_slovenian
    with app.test_request_context():
        assert search.run(query).recognised


@pytest.mark.parametrize(
    ("query", "code", "words"),
    [
        ("не знаю що робити, допоможіть", "uk", "Ми не змогли зрозуміти"),
        ("не знаю что делать, помогите", "ru", "Мы не смогли понять"),
        ("nuk e di çfarë të bëj", "sq", "Nuk i kuptuam"),
        ("ne znam šta da radim", "bs", "Nismo razumjeli"),
        ("ја не знам шта да радим", "bs", "Nismo razumjeli"),  # Serbian Cyrillic
        ("I do not know what to do anymore", "en", "We could not understand"),
        ("na džanav so te kerav amen", "rom", "Na hajardam"),
    ],
)
def test_not_understood_is_said_in_the_language_typed(client, app, demo, query, code, words):
    app.config["BABEL_DEFAULT_LOCALE"] = "sl"
    html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    assert f'class="alert not-understood" lang="{code}"' in html
    notice = html.split(f'class="alert not-understood" lang="{code}"')[1].split("</p>")[0]
    assert words in notice and "Seidlova cesta 1" in notice
    assert any(w in notice for w in ("interpreter", "перекладача", "переводчике", "përkthyes", "prevodioca", "tolmači"))


def test_no_notice_when_understood_or_slovenian(client, app, demo):
    app.config["BABEL_DEFAULT_LOCALE"] = "sl"
    for query in ("не можу платити оренду", "vse je narobe in ne vem naprej", "asdf qwe"):
        assert "not-understood" not in client.get("/search", query_string={"q": query}).get_data(as_text=True)


def test_english_ui_does_not_repeat_its_own_notice_in_english(client, app, demo):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    html = client.get("/search", query_string={"q": "I do not know what to do anymore"}).get_data(as_text=True)
    assert "not-understood" not in html
