"""When a search is not understood, say so in the language it was typed in.

The UI speaks Slovenian and English; residents also type Ukrainian, Russian, Albanian,
Bosnian/Croatian/Serbian and Romani. Their everyday phrases are recognised whatever the UI language
(catalog/data/domain_phrases.txt); when none is, a resident should still learn, in words they
read, that the office listens in person and that they may ask it about an interpreter. The
language is guessed from letters only that language uses and from its commonest small words;
a guess that is not sure names nothing (the page's own notice, in the UI language, stays).
The messages are written in their language on purpose and are not translated.

The Romani message is in a general Balkan Romani (words from ROMLEX, romani.uni-graz.at/romlex),
UNCHECKED by a native speaker or against the Dolenjska Roma's own variety: the office should have
a Roma assistant read it. Dolenjska Roma mostly read Slovenian too, and the page's own Slovenian
notice stays beside it.
"""

import re

from catalog.search import words

OFFICE = "Pisarna lokalne blaginje, Seidlova cesta 1, Novo mesto"
MESSAGES = {
    "en": (
        "English",
        f"We could not understand your words. The Local Welfare Office ({OFFICE}) will listen to you in "
        "person. If you do not speak Slovenian, bring someone who does, or ask the office about an interpreter.",
    ),
    "uk": (
        "Українська",
        f"Ми не змогли зрозуміти ваш запит. Приходьте особисто до офісу місцевого добробуту ({OFFICE}): "
        "вас вислухають. Якщо ви не говорите словенською, візьміть із собою людину, яка говорить, або "
        "запитайте в офісі про перекладача.",
    ),
    "ru": (
        "Русский",
        f"Мы не смогли понять ваш запрос. Приходите лично в офис местного благополучия ({OFFICE}): вас "
        "выслушают. Если вы не говорите по-словенски, возьмите с собой человека, который говорит, или "
        "спросите в офисе о переводчике.",
    ),
    "sq": (
        "Shqip",
        f"Nuk i kuptuam fjalët tuaja. Ejani personalisht në zyrën për mirëqenie lokale ({OFFICE}): do t'ju "
        "dëgjojnë. Nëse nuk flisni sllovenisht, merrni me vete dikë që flet, ose pyesni zyrën për një përkthyes.",
    ),
    "bs": (
        "Bosanski / Hrvatski / Srpski",
        f"Nismo razumjeli vaše riječi. Dođite lično u kancelariju za lokalnu dobrobit ({OFFICE}): saslušat će "
        "vas. Ako ne govorite slovenski, povedite nekoga ko govori ili pitajte kancelariju za prevodioca.",
    ),
    "rom": (
        "Romani čhib",
        f"Na hajardam tire lava. Av ando ofisi ({OFFICE}): odothe šunena tut. Te na vakeres slovenski, "
        "an nekas kaj vakerel, vaj puč ando ofisi palo tolmači.",
    ),
}
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
UKRAINIAN_LETTERS = re.compile(r"[іїєґ]")
RUSSIAN_LETTERS = re.compile(r"[ыэъё]")
SERBIAN_LETTERS = re.compile(r"[јљњћђџ]")  # Serbian Cyrillic; its notice is in Latin letters
ALBANIAN_LETTERS = re.compile(r"[ëç]")
BCS_LETTERS = re.compile(r"[ćđ]")
# Ukrainian or Russian in Latin letters ("ne mozhu", "ya ne znayu"): digraphs Slovenian lacks.
TRANSLITERATED = re.compile(r"zh|kh|shch|\bya\b|yu|ye\b")
# Small words each language uses all the time and Slovenian does not (Slovenian "kako", "moja",
# "je" are left out of the Bosnian/Croatian/Serbian list, "to", "no" and Croatian "i" of the
# English one).
ENGLISH_WORDS = frozenset(
    "the and my is are you we he she it can't cannot don't need help with what where how have has "
    "was were am for of at our your this that not".split()
)
ALBANIAN_WORDS = frozenset("nuk kam kemi jam është dhe për një unë ne ju më të që çfarë ku si".split())
# Romani words of everyday need that Slovenian, English, Albanian and Bosnian/Croatian/Serbian do
# not use ("man", "but", "si", "kaj", "love", "dad", and Slovenian "naj", "daj" are left out); two
# of them name the language.
ROMANI_WORDS = frozenset(
    "nane kher khere čhavo čhave chavo chave čhavore amen tumen mange tuke šaj shaj bokh rovav darav "
    "džanav dzhanav džav kerav kerel keras nasvalo nasvali phuro phuri romni romnja".split()
)
BCS_WORDS = frozenset("nemam mogu trebam hoću hocu gdje gde šta što nisam molim ništa nista kući kuću".split())


def typed_languages(text: str) -> list[str]:
    """The languages the text is most likely in, among those MESSAGES speaks; none if unsure."""
    lower = (text or "").lower()
    if CYRILLIC.search(lower):
        if SERBIAN_LETTERS.search(lower):
            return ["bs"]
        if UKRAINIAN_LETTERS.search(lower):
            return ["uk"]
        return ["ru"] if RUSSIAN_LETTERS.search(lower) else ["uk", "ru"]
    typed = set(words(lower))
    if len(typed & ROMANI_WORDS) >= 2 and not ALBANIAN_LETTERS.search(lower):
        return ["rom"]
    if ALBANIAN_LETTERS.search(lower) or len(typed & ALBANIAN_WORDS) >= 2:
        return ["sq"]
    if BCS_LETTERS.search(lower) or typed & BCS_WORDS:
        return ["bs"]
    if typed & ENGLISH_WORDS:
        return ["en"]
    if TRANSLITERATED.search(lower):
        return ["uk", "ru"]
    return []


def not_understood(text: str, ui_language: str) -> list[tuple[str, str, str]]:
    """(language code, its name, the message) for each language the text seems typed in, except
    the UI's own (its notice already speaks it)."""
    return [(code, *MESSAGES[code]) for code in typed_languages(text) if code != ui_language]
