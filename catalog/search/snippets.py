"""Snippets of a result page: the parts of each service's description around the words found,
marked (Whoosh's context fragmenter and HTML formatter).

The description is tokenized here directly, as the index analyzer would (every word lowercased,
stop words kept, each token as its folded lemma and its folded surface form at one position),
without the analyzer's chain of generators: that chain, run on twenty descriptions, was a good
part of a search's time. Tokens are copied shallowly when a fragment keeps them."""

import re
from functools import lru_cache

import nh3
import sqlalchemy as sa
from whoosh import highlight
from whoosh.analysis import Token

from catalog.models import Service
from catalog.search.analysis import TOKEN_RE, fold, lemma
from welfare.extensions import db

_WORD = re.compile(TOKEN_RE)


class _Token(Token):
    def copy(self):
        twin = _Token.__new__(_Token)
        twin.__dict__.update(self.__dict__)
        return twin


@lru_cache(maxsize=100_000)
def _forms(word: str) -> tuple[str, ...]:
    """A word's folded lemma, then its folded surface when that differs (words repeat across
    descriptions: each is analysed once)."""
    base, surface = fold(lemma(word.lower())), fold(word)
    return (base,) if surface == base else (base, surface)


def tokens(text: str, **_options):
    """The description's tokens for highlighting (an analyzer's call signature)."""
    token = _Token(chars=True, removestops=False, mode="query")
    for match in _WORD.finditer(text):
        token.startchar, token.endchar = match.start(), match.end()
        for form in _forms(match.group()):
            token.text = form
            yield token


def page_snippets(ids: list[str], terms: set[str]) -> dict[str, str]:
    """Per service id of the page: up to two marked fragments of its description."""
    if not terms:
        return {}
    texts = dict(db.session.execute(sa.select(Service.id, Service.description).where(Service.id.in_(ids))).all())
    fragmenter = highlight.ContextFragmenter(maxchars=160, surround=60)
    formatter = highlight.HtmlFormatter(tagname="mark", classname="hl", termclass="t")  # numbers terms per page
    out = {}
    for service_id in ids:
        text = texts.get(service_id) or ""
        if text:
            fragments = highlight.highlight(text, terms, tokens, fragmenter, formatter, top=2)
            if fragments:
                out[service_id] = nh3.clean(fragments, tags={"mark"}, attributes={"mark": {"class"}})
    return out
