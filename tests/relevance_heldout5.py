"""Held-out relevance set, round 5 (issue 11): residents' descriptions written on 2026-11-30 from
the seeds' problem descriptions by someone who had not seen the catalog, its synonyms, its
phrases, the search code or earlier sets.
Voices: five residents (a village grandmother, a Roma mother, a Bosnian worker, a man in debt
at night, a teenager), half of the descriptions indirect. Measured fresh at 0.859 (0.781 on the
engine before that day's changes); its misses were then read and named the kinds of phrases the
next broadening added: a tuning set since, kept as a regression guard."""

HELDOUT5 = [
    # --- voice 1: elderly woman from a village near Novo mesto, grandson's phone ---
    # starejsi
    ("sama sem na kmetiji pa ne zmorem vec kuhat pa prat", {"starejsi"}),
    # prevoz
    ("do zdravnika v mesto ni avtobusa vnuk pa v siht hodi", {"prevoz", "starejsi", "zdravje"}),
    # smrt-pogreb
    ("rajnki mi je umru pa nimam dnarja za pokop", {"smrt-pogreb", "revscina"}),
    # revscina
    ("penzija ne nanese za drva cez zimo", {"revscina", "starejsi"}),
    # zdravje
    ("cakam ze pol leta na zdravnikka za oci pa ne vidim vec brat", {"zdravje"}),
    # invalidnost
    ("noge me ne nesejo vec po hisi pa stopnice so strme", {"invalidnost", "starejsi", "zdravje"}),
    # dnevno-varstvo
    ("cez dan bi sla kam da nisem sama do vecera", {"dnevno-varstvo", "starejsi", "socialna-izkljucenost"}),
    # okolje-zivali
    ("potepuski psi mi kokosi pokoljejo", {"okolje-zivali"}),
    # nasilje
    ("vnuk pije pa mi jemle penzijo in grozi", {"nasilje", "zasvojenost", "starejsi"}),
    # prostor-legalizacija
    ("zemla je se na rajnkega tata pisana hisa pa nasa", {"prostor-legalizacija", "pravice-pravna-pomoc"}),
    # dusevno-zdravje
    ("ponoc ne spim samo jokam odkar sm sama", {"dusevno-zdravje", "socialna-izkljucenost", "starejsi"}),
    # higiena
    ("podgane v hramu", {"higiena"}),
    # varnost
    ("klicu je en da je od vnuka pa sem mu dala dnar", {"varnost", "travma", "starejsi"}),
    # --- voice 2: young Roma mother from a settlement, Slovene second language ---
    # komunalna-oskrba
    ("struja odklopili deca zebe", {"komunalna-oskrba", "revscina"}),
    # prevoz
    ("moj čhavo nemore v šolo ni kombija", {"prevoz", "izobrazevanje"}),
    # izobrazevanje
    ("hočem malo dat v vrtec neznam kak", {"izobrazevanje", "dnevno-varstvo"}),
    # nasilje
    ("rom me tepe ko pije kam grem z decom", {"nasilje"}),
    # revscina
    ("nimamo love za jest do kraja meseca", {"revscina"}),
    # prostor-legalizacija
    ("kuća ni na papirju opcina bo rušla", {"prostor-legalizacija", "stanovanje", "pravice-pravna-pomoc"}),
    # higiena
    ("usi pri decah pa stenice v postli", {"higiena", "zdravje"}),
    # zdravje
    ("noseča sm pa nimam kartice za doktorja", {"zdravje", "rojstvo-otroka"}),
    # rojstvo-otroka
    ("rodila sm kaj dobim za dete", {"rojstvo-otroka"}),
    # romi-diskriminacija
    ("v trgovini me pregnali ker sm romkinja", {"romi-diskriminacija", "pravice-pravna-pomoc"}),
    # jezik-pismenost
    ("hočem naučit čitat pa pisat", {"jezik-pismenost", "izobrazevanje"}),
    # pravice-pravna-pomoc
    ("centr mi ustavu socjalno kaj zdej", {"pravice-pravna-pomoc", "revscina"}),
    # rejnistvo
    (
        "moje deco so dali drugi druzini kak jih dobim nazaj",
        {"rejnistvo", "otroci-mladi-druzina", "pravice-pravna-pomoc"},
    ),
    # --- voice 3: worker from Bosnia or Kosovo, a few years in Slovenia ---
    # pravice-pravna-pomoc
    ("firma propala, nisu mi platili tri plate, šta da radim", {"pravice-pravna-pomoc", "zaposlovanje"}),
    # zaposlovanje
    ("imam radnu dozvolu tražim bilo kakav posao vozač C kategorje", {"zaposlovanje"}),
    # stanovanje
    ("gazda kaže da se moramo iseliti do kraja meseca a djeca idu u skolo", {"stanovanje", "brezdomstvo"}),
    # stanovanje
    ("stan pun vlage i plesni, djeca stalno kašlju", {"stanovanje", "zdravje"}),
    # pravice-pravna-pomoc
    ("papiri da žena i djeca dođu ovdje kod mene", {"pravice-pravna-pomoc"}),
    # jezik-pismenost
    ("kurs slovenskog besplatno", {"jezik-pismenost"}),
    # zdravje
    ("od kad sam bez posla nemam osiguranje a boli me zub", {"zdravje"}),
    # invalidnost
    (
        "pao sa skele na poslu, ruka više ne radi kako treba, šta mi pripada",
        {"invalidnost", "pravice-pravna-pomoc", "zdravje"},
    ),
    # izobrazevanje
    ("sin u školi ne razumije ništa, zaostaje, ucitelica kaže treba mu pomoć", {"izobrazevanje", "jezik-pismenost"}),
    # dolgovi
    ("blokirali mi račun zbog kredita, plata ide sva", {"dolgovi"}),
    # zasvojenost
    ("brat kocka na aparatima, izgubio svu platu pa traži od mene", {"zasvojenost"}),
    # romi-diskriminacija
    ("nigdje mi ne daju stan kad čuju da sam stranac", {"romi-diskriminacija", "stanovanje"}),
    # prosti-cas
    ("sin bi trenirao nogomet a nemamo para za članarinu", {"prosti-cas", "revscina"}),
    # --- voice 4: middle-aged man in debt and shame, at night ---
    # dolgovi
    ("ne vem več kako naprej, položnice se kopičijo že pol leta, zdaj so mi začeli trgat od plače", {"dolgovi"}),
    # revscina
    ("sram me je to napisat ampak doma nimamo več kaj dat na mizo, otroci pa tega ne smejo vedet", {"revscina"}),
    # zasvojenost
    ("žena je odšla z otrokoma ker sem preveč pil, zdaj sem sam in bi res rad nehal", {"zasvojenost"}),
    # dolgovi
    (
        "vzel sem hitri kredit da bi poplačal prejšnjega, zdaj imam tri in sploh ne vem več kolk dolgujem",
        {"dolgovi", "financna-pismenost"},
    ),
    # dusevno-zdravje
    ("včasih pomislim da bi bilo vsem lažje brez mene, nikomur ne morem tega povedat", {"dusevno-zdravje"}),
    # zaposlovanje
    ("pri 54 letih me nihče več ne vzame, prošnje pošiljam že leto dni in nič, počutim se odveč", {"zaposlovanje"}),
    # stanovanje
    ("po ločitvi živim pri mami v sobi, rad bi kaj svojega, pa je najem predrag za mojo plačo", {"stanovanje"}),
    # brezdomstvo
    ("spim v avtu že dva tedna, v službo še hodim, nihče ne ve", {"brezdomstvo"}),
    # komunalna-oskrba
    (
        "grozijo da izklopijo eletriko zaradi zaostanka, zima je in otroci so doma, ne vem kje bi vzel",
        {"komunalna-oskrba", "dolgovi"},
    ),
    # pravice-pravna-pomoc
    (
        "dobil sem sklep o izvršbi pa ne razumem kaj piše in do kdaj se lahko pritožim",
        {"pravice-pravna-pomoc", "dolgovi"},
    ),
    # nasilje
    (
        "odkar nimam šihta se doma derem na ženo, enkrat sem jo porinil, strah me je samega sebe",
        {"nasilje", "dusevno-zdravje"},
    ),
    # otroci-mladi-druzina
    (
        "z bivšo se ne zmeniva glede otrok, sin noče več k meni in ne vem kako priti do njega",
        {"otroci-mladi-druzina", "pravice-pravna-pomoc"},
    ),
    # starejsi
    (
        "mama je nepokretna, jaz delam cel dan in ne zmorem več sam, za dom pa nimava dovolj",
        {"starejsi", "dnevno-varstvo"},
    ),
    # --- voice 5: teenager / young adult ---
    # dusevno-zdravje
    ("nevem kr neki me stiska že mesce pa nočem več it ven", {"dusevno-zdravje"}),
    # nasilje
    ("foter pije pa pol znori nad mamo kaj nj nrdim", {"nasilje", "zasvojenost", "otroci-mladi-druzina"}),
    # otroci-mladi-druzina
    ("sošolci me žalijo na insti pa v grupi, nočem več v šolo", {"otroci-mladi-druzina", "nasilje", "dusevno-zdravje"}),
    # zasvojenost
    ("trava vsak dan nemorem nehat", {"zasvojenost"}),
    # izobrazevanje
    ("pustu sem srednjo zdj pa nevem kaj bi", {"izobrazevanje", "zaposlovanje"}),
    # rojstvo-otroka
    ("punca je noseča pa oba sva 17 kaj zdj", {"rojstvo-otroka", "otroci-mladi-druzina"}),
    # smrt-pogreb
    ("mami je lani umrla pa se kr ne morem pobrat", {"smrt-pogreb", "dusevno-zdravje"}),
    # travma
    ("en me je napadu pred lokalom pa me je od takrat strah it ven", {"travma", "varnost", "dusevno-zdravje"}),
    # invalidnost
    ("sm na vozičku pa bi šel na faks, kdo mi pomaga pr tem", {"invalidnost", "izobrazevanje"}),
    # rejnistvo
    ("živim v rejniški pa bom kmal 18, kam pol", {"rejnistvo", "stanovanje"}),
    # socialna-izkljucenost
    ("nimam nobenga frenda, sam sm ves čas v sobi", {"socialna-izkljucenost", "dusevno-zdravje"}),
    # prostovoljstvo
    ("bi rad kje pomagu zatsonj da mam kej za v cv", {"prostovoljstvo"}),
]
