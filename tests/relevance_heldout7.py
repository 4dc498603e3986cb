"""Held-out relevance set, round 7 (issue 11): residents' descriptions written on 2026-11-30 from
the seeds' problem descriptions by someone who had not seen the catalog, its synonyms, its
phrases, the search code or earlier sets.
Voices: five residents (a retired man who drinks, a Roma grandmother through her
granddaughter, a Bosnian builder, a young woman in a controlling relationship, a parent of a
child with a disability), half indirect: the hardest set. Measured fresh at 0.766 (0.719 on the
engine before that day's changes); its misses ("stara mama pravi ...") led to the rule that who
is in need gives way to what the need is: a tuning set since."""

HELDOUT7 = [
    # ---- voice 1: retired man, village, drinks, lives alone (dialect, no diacritics, grumpy)
    # zasvojenost
    ("spet sm cel dan pil, ne morm vec nehat", {"zasvojenost"}),
    # zasvojenost
    ("zjutri se mi roke tresejo dokler ne spijem enga", {"zasvojenost", "zdravje"}),
    # socialna-izkljucenost
    ("od kar je stara umrla nimam z nobenim vec govort", {"socialna-izkljucenost", "smrt-pogreb", "starejsi"}),
    # komunalna-oskrba
    ("elektro grozi da bo odklopu ker nism plcal", {"komunalna-oskrba", "dolgovi"}),
    # prevoz
    ("avtobus ne vozi vec, do zdravnika je pa 20 km", {"prevoz", "starejsi"}),
    # revscina
    ("penzija ne zadost niti za drva pa cike", {"revscina", "starejsi"}),
    # starejsi
    ("kdo bi mi prnesu kosilo domov k ne morm vec kuhat", {"starejsi"}),
    # okolje-zivali
    ("sosedovi psi se klatjo okol hise pa mi pokoljejo kure", {"okolje-zivali"}),
    # prostor-legalizacija
    ("njiva je se zmer na fotra pisana, foter je pa 30 let mrtu", {"prostor-legalizacija", "pravice-pravna-pomoc"}),
    # dusevno-zdravje
    ("vcasih mislim da bi blo bols ce me ni", {"dusevno-zdravje"}),
    # zdravje
    ("na nov kolk cakam ze dve leti, pa nic", {"zdravje"}),
    # dolgovi
    ("prsu je en s sodisca pa mi hoce traktor zarubit", {"dolgovi", "pravice-pravna-pomoc"}),
    # varnost
    ("kradejo mi drva", {"varnost"}),
    # ---- voice 2: Roma grandmother, granddaughter types for her (phonetic)
    # komunalna-oskrba
    ("stara mama pravi da nimamo vode v naselju ze od poletja", {"komunalna-oskrba"}),
    # pravice-pravna-pomoc
    ("stara mama pravi da so ji ukinli socialno pa ne ve zakaj", {"pravice-pravna-pomoc", "revscina"}),
    # prostor-legalizacija
    ("stara mama pravi da nam bojo hišo podrli ker ni dovolena", {"prostor-legalizacija", "stanovanje"}),
    # higiena
    ("stara mama pravi da so v posteljah majhne zivalce ki otroke grizejo", {"higiena"}),
    # romi-diskriminacija
    ("stara mama pravi da brat zdej nece v solo ker mu pravjo cigan", {"romi-diskriminacija", "izobrazevanje"}),
    # jezik-pismenost
    ("stara mama pravi da bi se rada naučla brat pa pisat", {"jezik-pismenost", "izobrazevanje"}),
    # rojstvo-otroka
    ("stara mama pravi da je mama noseča in nimamo nč za dojenčka", {"rojstvo-otroka", "revscina"}),
    # smrt-pogreb
    ("stara mama pravi da je dedi umru pa nimamo dnarja za pokop", {"smrt-pogreb", "revscina"}),
    # revscina
    ("stara mama pravi da ji zmanka za hrano do konca mesca", {"revscina"}),
    # zdravje
    ("stara mama pravi da jo pri doktorju ne sprejmejo ker ni zavarovana", {"zdravje", "pravice-pravna-pomoc"}),
    # rejnistvo
    (
        "stara mama pravi da je bratranc od malega pri tujih ljudeh pa ga hoče videt",
        {"rejnistvo", "otroci-mladi-druzina"},
    ),
    # starejsi
    ("stara mama pravi da se ne more vec sama umit pa oblect", {"starejsi"}),
    # otroci-mladi-druzina
    ("stara mama pravi da mali nima kam it popoldne pa se klati po naselju", {"otroci-mladi-druzina", "prosti-cas"}),
    # ---- voice 3: construction worker from Bosnia (mixed Croatian/Serbian and Slovene)
    # pravice-pravna-pomoc
    ("gazda mi nije platio tri mjeseca šihta, šta da radim", {"pravice-pravna-pomoc", "zaposlovanje"}),
    # zaposlovanje
    ("izgubio posao na gradilištu, kako se prijavit na zavod za zaposlovanje", {"zaposlovanje"}),
    # pravice-pravna-pomoc
    ("papiri za boravak mi istekli a gazda kaže nije njegov problem", {"pravice-pravna-pomoc"}),
    # jezik-pismenost
    ("hoću naučit slovenski da razumijem doktora i učiteljicu od male", {"jezik-pismenost"}),
    # izobrazevanje
    ("žena i djeca došli iz Bosne, kako da upišem malu u vrtić", {"izobrazevanje", "dnevno-varstvo"}),
    # stanovanje
    ("spavamo šest ljudi u kontejneru kod gazde, nema ni tople vode", {"stanovanje"}),
    # zdravje
    ("pao sa skele, nisam bio prijavljen a noga jako boli", {"zdravje", "pravice-pravna-pomoc"}),
    # stanovanje
    ("stanodavac rekao da moram van iz stana do petka", {"stanovanje", "brezdomstvo", "pravice-pravna-pomoc"}),
    # financna-pismenost
    ("svaki mjesec kartica u minusu, neznam kako rasporedit pare", {"financna-pismenost", "dolgovi"}),
    # travma
    ("ne spavam, sanjam granate iz rata, žena kaže da vičem po noći", {"travma", "dusevno-zdravje"}),
    # zasvojenost
    ("kladionica pojela plaću", {"zasvojenost"}),
    # brezdomstvo
    ("nemam gdje spavat", {"brezdomstvo"}),
    # dolgovi
    ("dugujem za stanarinu i struju, mogu li vraćat na rate", {"dolgovi", "stanovanje", "komunalna-oskrba"}),
    # prostovoljstvo
    ("vikendom sam slobodan, znam zidat, hoću pomoć nekom bez para", {"prostovoljstvo"}),
    # ---- voice 4: young woman in a controlling relationship (indirect, careful)
    # nasilje
    ("fant mi pregleduje telfon in me ne pusti ven s puncami", {"nasilje"}),
    # nasilje
    ("kam lahko grem z otrokom ce ne morem vec domov", {"nasilje", "brezdomstvo"}),
    # nasilje
    ("ko je jezen me tako stisne za roke da ostanejo sledi", {"nasilje", "varnost"}),
    # dusevno-zdravje
    ("nevem več ali sem res jaz kriva za vse, ves čas se opravičujem", {"dusevno-zdravje", "nasilje"}),
    # stanovanje
    ("ali lahko sama oddam vlogo za stanovanje, brez partnerja", {"stanovanje", "pravice-pravna-pomoc"}),
    # pravice-pravna-pomoc
    ("kako je s skrbnistvom za otroka ce se razideva", {"pravice-pravna-pomoc", "otroci-mladi-druzina"}),
    # nasilje
    ("grozi s slikami", {"nasilje", "varnost"}),
    # zaposlovanje
    ("rada bi si našla delo, da ne bi bila čisto odvisna od njega", {"zaposlovanje"}),
    # dusevno-zdravje
    ("kje se lahko z nekom pogovorim anonimo, da nihče ne izve", {"dusevno-zdravje", "nasilje"}),
    # zasvojenost
    ("ko pije je čisto drug človek, jaz pa hodim po prstih", {"zasvojenost", "nasilje"}),
    # rojstvo-otroka
    ("noseca sem, on pa mi ne da denarja za stvari za dojencka", {"rojstvo-otroka", "nasilje", "revscina"}),
    # travma
    ("rada bi prijavila nekaj kar se mi je zgodilo lani, pa me je strah", {"travma", "nasilje", "varnost"}),
    # ---- voice 5: parent of a child with a disability or chronic illness (exhausted, practical)
    # invalidnost
    ("sin ima avtizem, kje dobim doatek za nego", {"invalidnost", "pravice-pravna-pomoc"}),
    # invalidnost
    ("hči je na vozičku, šola nima dvigala, kdo to uredi", {"invalidnost", "izobrazevanje"}),
    # prevoz
    ("kdo bi vozil otroka na terapije v ljubljano dvakrat na teden", {"prevoz", "invalidnost", "zdravje"}),
    # dnevno-varstvo
    ("vrtec tamalga noce vzet ker ima napade", {"dnevno-varstvo", "invalidnost", "izobrazevanje"}),
    # dusevno-zdravje
    ("odkar so malemu ugotovili sladkorno sem cisto na koncu", {"dusevno-zdravje", "otroci-mladi-druzina", "zdravje"}),
    # pravice-pravna-pomoc
    ("ali mi pripada krajši delovni čas zaradi nege otroka", {"pravice-pravna-pomoc", "invalidnost"}),
    # invalidnost
    ("postopek usmerjanja otroka s posebnimi potrebami, kako vložiti zahtevo", {"invalidnost", "izobrazevanje"}),
    # zdravje
    ("na logopeda cakamo ze eno leto, kaj naj delam do takrat", {"zdravje", "invalidnost"}),
    # revscina
    ("ves dnar gre za zdravila pa plenice, ne zmoremo vec", {"revscina", "invalidnost"}),
    # dnevno-varstvo
    ("kje lahko pustim fanta za par ur da se enkrat naspim", {"dnevno-varstvo", "invalidnost"}),
    # otroci-mladi-druzina
    ("mlajša je ljubosumna ker se vse vrti okrog bolnega brata", {"otroci-mladi-druzina"}),
    # prosti-cas
    ("sin bi hodil na plavnje pa nikjer nimajo trenerja za take otroke", {"prosti-cas", "invalidnost"}),
]
