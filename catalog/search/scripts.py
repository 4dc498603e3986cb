"""One Latin spelling for the words of everyday phrases, whatever the script or keyboard.

Residents of Novo mesto write Ukrainian and Russian in Cyrillic, or in Latin letters on a phone
without a Cyrillic keyboard, and each transliterates differently ("zh", "ž" or "z" for ж; "y"
or "i" for и). Phrase matching compares words in one spelling: Cyrillic letters are written in
Latin first (Ukrainian и and Russian ы as "y", й as "j"; Serbian ј, љ, њ, ћ, ђ, џ as Serbian
Latin writes them), then the usual digraphs are folded to
single letters ("shch" sc, "zh" z, "kh" h, "ch" c, "sh" s, "ya" ja, "yu" ju, "ye" je, "yi" ji,
"yo" jo, then any "y" i) and apostrophes dropped. Slovenian words have none of these digraphs, so
they pass unchanged; English words change too, in the same way on both sides of a match. Only
the phrases use this: the index holds Slovenian service text.
"""

import re

CYRILLIC = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "je", "ж": "zh",
        "з": "z", "и": "y", "і": "i", "ї": "ji", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n",
        "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "c",
        "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ъ": "", "ы": "y", "э": "e", "ю": "ju",
        "я": "ja", "ё": "jo", "'": "", "’": "", "ʼ": "",
        # Serbian Cyrillic: the letters of Serbian Latin, so "дугови" meets "dugovi"
        "ђ": "đ", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "ć", "џ": "dž",
    }
)  # fmt: skip
DIGRAPHS = (("shch", "sc"), ("zh", "z"), ("kh", "h"), ("ch", "c"), ("sh", "s"))
Y_GLIDES = re.compile(r"y(?=[aeiou])")
HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Ukrainian г is an h ("допомога", "dopomoha"), Russian and Serbian г a g ("деньги", "dengi";
# "дугови", "dugovi"): a word with г has both spellings, and the letters alone cannot tell which.
G_LETTER = "г"


def latin(word: str) -> str:
    """A lowercase word in the one Latin spelling phrase matching compares."""
    word = word.lower().translate(CYRILLIC)
    if "h" in word:
        for digraph, letter in DIGRAPHS:
            word = word.replace(digraph, letter)
    if "y" in word:
        word = Y_GLIDES.sub("j", word).replace("y", "i")
    return word


def spellings(word: str) -> tuple[str, ...]:
    """A word's Latin spellings, the one `latin` gives first: a Cyrillic word with г also has
    it written g (Russian, Serbian), beside the Ukrainian h."""
    first = latin(word)
    if G_LETTER not in word.lower():
        return (first,)
    other = latin(word.lower().replace(G_LETTER, "g"))
    return (first, other) if other != first else (first,)
