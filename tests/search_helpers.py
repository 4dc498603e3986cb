"""Helpers for the search tests: right-domain-in-top-3 over residents' descriptions."""

import json
from pathlib import Path

from catalog import search
from catalog.models import LINK_DOMAIN

TOP = 3
DATA = Path(__file__).parent / "data"


def load(name: str) -> dict:
    """A test data file of tests/data/ (texts and what a right answer is, with their history)."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def descriptions(entries: list[dict]) -> list[tuple[str, set[str]]]:
    """(text, right life domains) pairs from a data file's entries."""
    return [(entry["text"], set(entry["domains"])) for entry in entries]


def languages(data: dict) -> dict[str, list[tuple[str, set[str]]]]:
    """Per language, the (text, right life domains) pairs of a set."""
    return {language: descriptions(entries) for language, entries in data["languages"].items()}


def domain_hits(descriptions) -> tuple[float, list[str], list[str]]:
    """(share with a right-domain service in the top three, the misses, the empty ones)."""
    hits, misses, empty = 0, [], []
    for text, expected in descriptions:
        services = search.services_for(search.run(text, per_page=TOP, snippets=False).ids)
        if not services:
            empty.append(text)
            continue
        codes = [{t.code for t in s.terms(LINK_DOMAIN)} for s in services[:TOP]]
        if any(c & set(expected) for c in codes):
            hits += 1
        else:
            misses.append(f"{text!r} (want {sorted(expected)}) -> {[s.name for s in services[:TOP]]}")
    return hits / len(descriptions), misses, empty


def report(label: str, descriptions, share: float, misses: list[str], empty: list[str]) -> str:
    lines = [
        f"\n{label}: {len(descriptions)} descriptions, right domain in top {TOP}: {share:.3f}, empty: {len(empty)}"
    ]
    lines += [f"  miss {m}" for m in misses] + [f"  empty {e!r}" for e in empty]
    return "\n".join(lines)


def check_descriptions(app, capsys, label: str, descriptions, floor: float, at_least: int = 40) -> None:
    """A set of residents' descriptions: at least `at_least` of them, none with an empty result,
    a right domain in the top three for at least `floor` of them; the figure and the misses are
    printed (outside pytest's capture, so a run with -s shows them beside each other)."""
    assert len(descriptions) >= at_least
    with app.app_context():
        share, misses, empty = domain_hits(descriptions)
    with capsys.disabled():
        print(report(label, descriptions, share, misses, empty))
    assert not empty, empty
    assert share >= floor, f"{share:.3f} < {floor}\n" + "\n".join(misses)


LANGUAGE_NAMES = {
    "en": "English",
    "uk": "Ukrainian",
    "ru": "Russian",
    "sq": "Albanian",
    "bcs": "Bosnian/Croatian/Serbian",
    "rom": "Romani (unchecked)",
}


def heldout_languages(name: str) -> dict[str, list[tuple[str, set[str]]]]:
    """A blind set of tests/data/ per language, keyed by the language's name."""
    return {LANGUAGE_NAMES[code]: texts for code, texts in languages(load(name)).items()}


def check_languages(app, capsys, sets: dict[str, list[tuple[str, set[str]]]], floor_hits: dict[str, int]) -> None:
    """Per language, the texts with a service of a right domain in the top three, printed with
    the misses (outside pytest's capture); fails when a language falls below its floor (a count
    of texts, the level recorded in the test)."""
    lines, total_hits, total, drops = [], 0, 0, []
    with app.test_request_context():
        for language, texts in sets.items():
            share, misses, empty = domain_hits(texts)
            hits = round(share * len(texts))
            total_hits, total = total_hits + hits, total + len(texts)
            lines.append(
                f"\n{language}: {hits}/{len(texts)} = {share:.3f} right domain in top {TOP}, empty: {len(empty)}"
            )
            lines += [f"  miss {m}" for m in misses] + [f"  empty {e!r}" for e in empty]
            if hits < floor_hits[language]:
                drops.append(f"{language}: {hits} < {floor_hits[language]}/{len(texts)}")
    lines.append(f"\nAll: {total_hits}/{total} = {total_hits / total:.3f}")
    with capsys.disabled():
        print("\n".join(lines))
    assert not drops, "\n".join(drops + lines)
