"""Relevance test set: Slovenian queries as residents type them, with the services that should
be found (any one of them in the top five counts as a hit). Built on the demo catalog."""

QUERIES = [
    # inflected forms
    ("nasilje v družini", ["Obravnava nasilja v družini", "Prijava nasilja v družini in kaznivih dejanj"]),
    ("brezdomci", ["Pomoč brezdomnim", "Terensko delo in pomoč brezdomnim"]),
    (
        "starejšim",
        ["Institucionalno varstvo starejših", "Starejši za starejše", "Prostofer – brezplačni prevozi za starejše"],
    ),
    ("otrokom v stiski", ["TOM telefon za otroke in mladostnike", "Center za duševno zdravje otrok in mladostnikov"]),
    (
        "dolgovi",
        [
            "Izredna denarna socialna pomoč",
            "Obročno plačilo ali odlog davčnega dolga",
            "Spremljanje plačil elektrike in komunalnih priključkov",
        ],
    ),
    ("subvencija najemnine", ["Subvencija najemnine"]),
    ("otroški dodatek", ["Otroški dodatek in starševski dodatek"]),
    (
        "učna pomoč",
        [
            "Učna pomoč in mentorstvo romskim učencem",
            "Večnamenski romski center – učna pomoč in prostočasne dejavnosti",
        ],
    ),
    ("pogreba", ["Kritje stroškov pogreba, kadar jih nihče ne more plačati"]),
    ("zapuščenim živalim", ["Oskrba zapuščenih živali in odgovorno lastništvo"]),
    # typed without č/š/ž
    ("nasilje v druzini", ["Obravnava nasilja v družini", "Prijava nasilja v družini in kaznivih dejanj"]),
    ("dom za starejse", ["Institucionalno varstvo starejših"]),
    ("scurki", ["Hitra dezinsekcija ob pojavu škodljivcev"]),
    ("rejnistvo", ["Rejništvo"]),
    ("brezplacna pravna pomoc", ["Brezplačna pravna pomoč"]),
    ("tecaj slovenscine", ["Tečaj slovenskega jezika pred vpisom v OŠ za odrasle"]),
    ("varna hisa", ["Varna hiša (zatočišče za žrtve nasilja)"]),
    ("povzrocitelji nasilja", ["Program za povzročitelje nasilja"]),
    ("zmanjsevanje skode", ["Zmanjševanje škode zaradi drog in alkohola"]),
    ("novorojencek", ["Denarna pomoč ob rojstvu otroka"]),
    # typos
    ("svetilnk", ["Romski svetilniki"]),
    ("delozacija", ["Podpora antideložacijskim programom v javnih najemnih stanovanjih"]),
    ("rejnistov", ["Rejništvo"]),
    ("legalizacjia", ["Urejanje lastništva zemljišč in legalizacija objektov"]),
    ("diskriminacia", ["Pomoč ob diskriminaciji"]),
    # colloquial words and synonyms
    (
        "droge",
        [
            "Zmanjševanje škode zaradi drog in alkohola",
            "Center za preprečevanje in zdravljenje odvisnosti od prepovedanih drog",
        ],
    ),
    (
        "tepe",
        ["Obravnava nasilja v družini", "SOS telefon za žrtve nasilja", "Prijava nasilja v družini in kaznivih dejanj"],
    ),
    ("ščurki", ["Hitra dezinsekcija ob pojavu škodljivcev"]),
    ("odvetnik", ["Brezplačna pravna pomoč"]),
    (
        "služba",
        [
            "Prijava med brezposelne in denarno nadomestilo",
            "Karierno svetovanje in programi aktivne politike zaposlovanja",
        ],
    ),
    ("psiholog", ["Center za duševno zdravje odraslih", "Center za duševno zdravje otrok in mladostnikov"]),
    ("samomor", ["Telefonska pomoč v duševni stiski"]),
    ("pitje", ["Skupine za samopomoč pri zasvojenosti z alkoholom"]),
    ("paket hrane", ["Materialna pomoč (hrana, oblačila, higienski paketi)"]),
    (
        "položnice",
        [
            "Materialna pomoč socialno šibkim",
            "Spremljanje plačil elektrike in komunalnih priključkov",
            "Izredna denarna socialna pomoč",
        ],
    ),
    ("prevoz za starejše", ["Prostofer – brezplačni prevozi za starejše"]),
    (
        "odvisnost od alkohola",
        ["Skupine za samopomoč pri zasvojenosti z alkoholom", "Zmanjševanje škode zaradi drog in alkohola"],
    ),
    ("elektrika", ["Spremljanje plačil elektrike in komunalnih priključkov"]),
    ("gasilci", ["Gasilska in reševalna pomoč", "Prostovoljno gasilstvo in preventiva"]),
    # abbreviations
    (
        "CSD",
        [
            "Prva socialna pomoč",
            "Denarna socialna pomoč in varstveni dodatek",
            "Pravice iz javnih sredstev (CSD Trebnje)",
            "Obravnava nasilja v družini",
        ],
    ),
    ("OŠ za odrasle", ["Osnovna šola za odrasle"]),
    ("BPP", ["Brezplačna pravna pomoč"]),
    (
        "ZRSZ",
        [
            "Prijava med brezposelne in denarno nadomestilo",
            "Karierno svetovanje in programi aktivne politike zaposlovanja",
        ],
    ),
    ("DSO", ["Institucionalno varstvo starejših"]),
    # names
    ("Pisarna lokalne blaginje", ["Pisarna lokalne blaginje"]),
    ("Rdeči križ", ["Materialna pomoč (hrana, oblačila, higienski paketi)", "Pomoč brezdomnim", "Program Svet"]),
]
