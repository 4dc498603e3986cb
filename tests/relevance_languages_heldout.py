"""A TUNING SET now: search texts of Novo mesto residents who do not write Slovenian.

The phrase lists were extended with these misses in view (session of 2026-12-07 02:32-05:30), so
they no longer measure how the search does for people nobody thought of. The held-out round is
tests/data/languages_heldout.json (tests/functional/test_search_languages_fresh.py).

Written on 2026-12-07 by a helper session (an AI assistant working in the `langs-heldout`
worktree) from its own knowledge of how people in distress type into a search box: plain
statements, questions, fragments, typos, missing diacritics, and now and then a Slovenian word
picked up at an office counter.

They were written WITHOUT seeing the search code (catalog/search/, catalog/guidance/), the phrase
and synonym lists (catalog/data/domain_phrases.txt, catalog/data/synonyms.txt) or the other
relevance sets (tests/relevance_*.py). Only the life-domain codes of the taxonomy
"pisarna-zivljenjska-podrocja" in catalog/data/taxonomies.json were looked up.

They are a measuring stick, not training data: never tune phrases, synonyms, weights or the
search code on these texts, and never edit the texts to make a measurement look better. If the
search is improved, improve it on other material and let this set show whether the improvement
carries over.

Each entry is (text, set of life-domain codes a right answer may belong to).
"""

ENGLISH = [
    ("my husband hits me and I'm scared to go home", {"nasilje"}),
    ("cant pay electricity bill, they will cut off the power", {"komunalna-oskrba", "dolgovi"}),
    ("landlord is evicting us next month where do we go", {"stanovanje", "brezdomstvo"}),
    ("homeless need a place to sleep tonight", {"brezdomstvo"}),
    ("lost my job, looking for work", {"zaposlovanje"}),
    ("I feel so depressed and alone, I don't want to live anymore", {"dusevno-zdravje"}),
    ("my son is addicted to drugs what can i do", {"zasvojenost"}),
    ("care for my elderly mother at home", {"starejsi"}),
    ("no money for food for the kids", {"revscina"}),
    ("free slovenian lessons for foreigners", {"jezik-pismenost"}),
    ("how do I extend my residence permit?", {"pravice-pravna-pomoc"}),
    ("dept collector and izvršba on my salary", {"dolgovi"}),
]

UKRAINIAN = [
    ("чоловік б'є мене, я боюся", {"nasilje"}),
    ("не можу платити борги, прийшов виконавець", {"dolgovi"}),
    ("шукаю роботу", {"zaposlovanje"}),
    ("потрібен лікар, немає медичного страхування", {"zdravje"}),
    ("дитина з інвалідністю яка допомога є?", {"invalidnost", "otroci-mladi-druzina"}),
    ("курси словенської мови", {"jezik-pismenost"}),
    ("документи на тимчасовий захист, дозвіл на проживання", {"pravice-pravna-pomoc"}),
    ("нема грошей на їжу, де дають продуктові пакети", {"revscina"}),
    ("де знайти житло в оренду", {"stanovanje"}),
    ("депресія і панічні атаки після війни", {"dusevno-zdravje", "travma"}),
    ("проблеми з сином підлітком, не слухається", {"otroci-mladi-druzina"}),
    ("мама стара, потрібна pomoč na domu", {"starejsi"}),
]

RUSSIAN = [
    ("муж пьёт и бьёт детей", {"nasilje", "zasvojenost", "otroci-mladi-druzina"}),
    ("нас выселяют из квартиры", {"stanovanje", "brezdomstvo"}),
    ("отключили воду за неуплату", {"komunalna-oskrba", "dolgovi"}),
    ("негде жить, ночую на улице", {"brezdomstvo"}),
    ("зависимость от азартных игр", {"zasvojenost"}),
    ("нужен психолог срочно", {"dusevno-zdravje"}),
    ("нет работы, как встать на учёт на бирже труда", {"zaposlovanje"}),
    ("бесплатныи юрист", {"pravice-pravna-pomoc"}),
    ("как взрослому научиться читать и писать", {"jezik-pismenost", "izobrazevanje"}),
    ("помощь одиноким пожилым людям", {"starejsi", "socialna-izkljucenost"}),
    ("инвалидная коляска где получить", {"invalidnost"}),
    ("болит зуб, нет страховки, куда идти", {"zdravje"}),
]

# Ukrainian or Russian typed on a Latin keyboard, the way people transliterate by ear.
TRANSLIT = [
    ("muzh b'et menya", {"nasilje"}),
    ("nuzhna rabota srochno", {"zaposlovanje"}),
    ("dolgi po kommunalke, otklyuchat svet", {"dolgovi", "komunalna-oskrba"}),
    ("negde zhit", {"brezdomstvo"}),
    ("net deneg na edu dlya detei", {"revscina"}),
    ("depressiya, ne mogu spat", {"dusevno-zdravje"}),
    ("syn narkotiki", {"zasvojenost"}),
    ("likar, medychne strakhuvannia", {"zdravje"}),
    ("dytiachyi sadok mistsia nemaie", {"otroci-mladi-druzina", "izobrazevanje", "dnevno-varstvo"}),
    ("dokumenty na tymchasovyi zakhyst", {"pravice-pravna-pomoc"}),
    ("kursy slovenskoi movy", {"jezik-pismenost"}),
    ("pensioner odinokiy, nuzhna pomosh doma", {"starejsi"}),
]

ALBANIAN = [
    ("burri me rrah", {"nasilje"}),
    ("nuk kam pune, kerkoj pune", {"zaposlovanje"}),
    ("ankth dhe depresion, kam nevoje per psikolog", {"dusevno-zdravje"}),
    ("nuk kam ku te fle", {"brezdomstvo"}),
    ("kerkoj banese me qira", {"stanovanje"}),
    ("kurs i gjuhes sllovene", {"jezik-pismenost"}),
    ("si te marr leje qendrimi?", {"pravice-pravna-pomoc"}),
    ("femija me aftesi te kufizuara", {"invalidnost", "otroci-mladi-druzina"}),
    ("s'kam para per ushqim", {"revscina"}),
    ("ndihmë për të moshuarit", {"starejsi"}),
    ("varësi nga alkooli", {"zasvojenost"}),
    ("fatura e rrymes, na i kane ndale dritat", {"komunalna-oskrba", "dolgovi"}),
]

# Bosnian / Croatian / Serbian in Latin script, some with č/ć/š/ž/đ and some without.
BCS = [
    ("muž me tuče i prijeti mi", {"nasilje"}),
    ("dugovi, ovrha na plati", {"dolgovi"}),
    ("ne mogu platiti struju i vodu", {"komunalna-oskrba", "dolgovi"}),
    ("izbacuju nas iz stana", {"stanovanje", "brezdomstvo"}),
    ("nemam gdje spavati", {"brezdomstvo"}),
    ("trazim posao", {"zaposlovanje"}),
    ("sin se drogira sta da radim", {"zasvojenost"}),
    ("depresija i anksioznost, treba mi psiholog", {"dusevno-zdravje"}),
    ("nemam zdravstveno osiguranje", {"zdravje"}),
    ("pomoc na domu za staru majku", {"starejsi"}),
    ("dozvola za boravak, papiri", {"pravice-pravna-pomoc"}),
    ("nemamo za hranu, djeca su gladna", {"revscina"}),
]

LANGUAGES = {
    "English": ENGLISH,
    "Ukrainian (Cyrillic)": UKRAINIAN,
    "Russian (Cyrillic)": RUSSIAN,
    "Ukrainian/Russian (Latin)": TRANSLIT,
    "Albanian": ALBANIAN,
    "Bosnian/Croatian/Serbian": BCS,
}
