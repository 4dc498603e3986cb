"""Property tests: whatever people type, these never break."""

from urllib.parse import urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.search.analysis import SlovenianAnalyzer, fold, spelling_variants
from catalog.search.query import Thesaurus, split_units
from welfare.auth.views import safe_next

SLOVENE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")) | st.sampled_from("čšžČŠŽćđ "), max_size=60
)


@given(st.text(max_size=200))
def test_next_is_always_a_local_path_or_nothing(target):
    result = safe_next(target)
    if result is not None:
        parts = urlsplit(result)
        assert result.startswith("/") and not result.startswith("//")
        assert not parts.scheme and not parts.netloc and "\\" not in result


@given(SLOVENE_TEXT)
def test_fold_is_idempotent_and_ascii_for_slovenian(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert not set("čšžćđ") & set(folded)


@settings(max_examples=200)
@given(SLOVENE_TEXT)
def test_analyzer_and_query_splitting_never_fail(text):
    tokens = [t.text for t in SlovenianAnalyzer()(text)]
    assert all(t == fold(t) for t in tokens)
    units = split_units(text, Thesaurus([["CSD", "center za socialno delo"]]))
    assert all(u.words for u in units)


@given(st.text(alphabet="abcčsšzž", max_size=12))
def test_spelling_variants_are_bounded_and_include_the_word(word):
    variants = spelling_variants(word)
    assert word in variants and len(variants) <= 16
