"""Statutory benefits found for the words people use for them (issue 23): a resident who cannot
pay the rent, whose pension is too small or who has no income at all rarely names the benefit.
Each description must show the benefit's service among the first ten results, as /search
shows them."""

import re

import pytest

RENT = "subvencija najemnine"
ASSISTANCE = "denarna socialna pomoč"
SUPPLEMENT = "denarna socialna pomoč in varstveni dodatek"
CHILD = "otroški dodatek"
UNEMPLOYMENT = "denarno nadomestilo"

DESCRIPTIONS = [
    ("ne morem plačati najemnine", RENT),
    ("ne morem placat najemnine", RENT),
    ("nimam za najemnino", RENT),
    ("najemnina je previsoka", RENT),
    ("pomoč pri plačilu najemnine", RENT),
    ("ne zmorem plačevat stanarine", RENT),
    ("kdo mi lahko pomaga plačati najemnino", RENT),
    ("najemnina mi poje pol plače", RENT),
    ("varstveni dodatek", SUPPLEMENT),
    ("imam premajhno pokojnino", SUPPLEMENT),
    ("penzija ne zadošča za življenje", SUPPLEMENT),
    ("dodatek k nizki pokojnini", SUPPLEMENT),
    ("denarna socialna pomoč", ASSISTANCE),
    ("denarna socialna pomoc", ASSISTANCE),
    ("socialna pomoč od države", ASSISTANCE),
    ("socialna podpora", ASSISTANCE),
    ("nimam nobenih dohodkov", ASSISTANCE),
    ("nimam od česa živeti", ASSISTANCE),
    ("otroški dodatek", CHILD),
    ("otroška doklada", CHILD),
    ("dodatek za otroke", CHILD),
    ("denar za otroke od države", CHILD),
    ("pomoč za otroke ker imamo nizke dohodke", CHILD),
    ("nadomestilo za brezposelnost", UNEMPLOYMENT),
    ("izgubila sem službo kaj dobim", UNEMPLOYMENT),
    ("kdo mi plača ko nimam službe", UNEMPLOYMENT),
]
CARD = re.compile(r'<h3><a href="/services/[^"]+">([^<]+)</a></h3>')


@pytest.mark.parametrize(("words", "benefit"), DESCRIPTIONS, ids=[d[0] for d in DESCRIPTIONS])
def test_the_benefit_is_among_the_first_ten(client, demo, words, benefit):
    html = client.get("/search", query_string={"q": words}).get_data(as_text=True)
    names = [name.lower() for name in CARD.findall(html.split('id="results-heading"')[1])][:10]
    assert any(benefit in name for name in names), names
