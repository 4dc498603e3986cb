"""Person names: what is stored and what is compared.

A name typed or pasted at intake can carry characters nobody sees: a zero-width space, a soft
hyphen, a right-to-left override, a Cyrillic "а" in a Latin name. Stored as typed, such a name
never matches the same person typed plainly, so the duplicate check misses them and a person
search (and with it a GDPR Art. 15 or 17 request) does not find them.

`clean_name` is what is stored and shown: NFKC, no format (Cf) characters, no bidi controls,
whitespace collapsed, no trailing punctuation, and Cyrillic or Greek look-alike letters inside
an otherwise Latin word turned Latin. Slovenian č, š, ž stay as typed.

`name_key` is what search and the duplicate check compare: the cleaned name, lowercased,
look-alikes folded to Latin, diacritics folded (č -> c), hyphens as spaces, "last first".
Name order is ignored where names are compared (`key_words` is a set; see cases/intake/matching.py).
"""

import unicodedata

from catalog.search import fold

# Look-alike letters of the Cyrillic and Greek alphabets -> the Latin letter they pass for.
_LOOKALIKES = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "і": "i", "ї": "i", "ј": "j", "к": "k",
    "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "ѕ": "s", "т": "t", "у": "y", "х": "x",
    "ԁ": "d", "һ": "h", "ԛ": "q", "ԝ": "w", "ү": "y", "ӏ": "l",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ζ": "z",
}  # fmt: skip
_LOOKALIKES.pop("з")  # a digit is not a letter of a name: "з" stays what it is
# Upper case too, for the stored name (Е -> E, Р -> P, Α -> A, ...).
_LOOKALIKES.update({k.upper(): v.upper() for k, v in list(_LOOKALIKES.items()) if k.upper() != k})
LOOKALIKES = str.maketrans(_LOOKALIKES)

# Bidi controls and joiners are format characters (Cf) already; these are invisible too but are not.
_INVISIBLE = {"\u034f", "\u115f", "\u1160", "\u3164", "\uffa0", "\u180e"}
_TRAILING = ".,;:!?·•-–—_/\\'\"`´*"


def _visible(char: str) -> bool:
    return unicodedata.category(char) != "Cf" and char not in _INVISIBLE


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    for script in ("LATIN", "CYRILLIC", "GREEK"):
        if name.startswith(script):
            return script
    return ""


def _latin_word(word: str) -> str:
    """A word with Latin letters keeps them; Cyrillic or Greek look-alikes in it become Latin."""
    scripts = {_script(c) for c in word if c.isalpha()}
    if "LATIN" in scripts and scripts & {"CYRILLIC", "GREEK"}:
        return word.translate(LOOKALIKES)
    return word


def clean_name(text: str | None) -> str:
    """The name as stored and shown: invisible characters out, spacing and look-alikes tidied."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(c if _visible(c) else "" for c in text)
    words = [_latin_word(word) for word in text.split()]  # split(): every kind of space, collapsed
    return " ".join(words).rstrip(_TRAILING + " ")


def fold_name(text: str | None) -> str:
    """A name (or a part of one, or a typed search) as compared: cleaned, lowercased, look-alikes
    folded to Latin, č/š/ž and other diacritics folded, hyphens and punctuation as spaces."""
    lowered = clean_name(text).lower().translate(LOOKALIKES)
    folded = fold(lowered)
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def name_key(first_name: str, last_name: str) -> str:
    """What person search and the duplicate check compare: "last first", folded (see module doc)."""
    return " ".join(part for part in (fold_name(last_name), fold_name(first_name)) if part)


def key_words(first_name: str, last_name: str) -> frozenset[str]:
    """The folded words of a whole name, in no order (first and last swapped compare equal)."""
    return frozenset(name_key(first_name, last_name).split())
