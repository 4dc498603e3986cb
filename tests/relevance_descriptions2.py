"""Second tuning set (relevance2): residents' descriptions in many styles (first person, about a
relative, colloquial, without č/š/ž, with typos, short and long), at least two for each of the
31 life domains. Written before the phrases were broadened, from how people talk about these
needs, not from the catalog's texts. Same format as tests/relevance_descriptions.py; the
held-out set (tests/relevance_heldout.py) stays the honest measure."""

DESCRIPTIONS2 = [
    # zasvojenost
    ("atej spet pije in razbija", {"zasvojenost", "nasilje"}),
    ("sin kadi travo vsak dan", {"zasvojenost", "otroci-mladi-druzina"}),
    ("zapravil sem vse na stavnici", {"zasvojenost", "dolgovi"}),
    ("hci je cel dan na telefonu in ne spi", {"zasvojenost", "otroci-mladi-druzina"}),
    # dusevno-zdravje
    ("ze mesece se mi nic ne da, samo lezim", {"dusevno-zdravje"}),
    ("mami je po smrti očeta čisto na tleh", {"dusevno-zdravje", "smrt-pogreb"}),
    ("imam obcutek da se mi bo zmesalo", {"dusevno-zdravje"}),
    # nasilje
    ("moz me je spet udaril", {"nasilje"}),
    ("bivsi me zalezuje in caka pred sluzbo", {"nasilje", "varnost"}),
    ("sosolci mojega sina zafrkavajo in tepejo", {"nasilje", "otroci-mladi-druzina"}),
    ("partner mi vzame vso plačo in mi ne pusti ven", {"nasilje"}),
    # travma
    ("po prometni nesreči ne morem več sesti v avto", {"travma", "dusevno-zdravje"}),
    ("videla sem, kako je umrl, in tega ne morem pozabit", {"travma", "smrt-pogreb", "dusevno-zdravje"}),
    ("napadli so me pred blokom", {"travma", "varnost", "nasilje"}),
    # otroci-mladi-druzina
    ("s hcerko se samo se kregava", {"otroci-mladi-druzina"}),
    ("mulc se ne uci in se zapira v sobo", {"otroci-mladi-druzina", "izobrazevanje"}),
    ("razhajava se, kdo bo imel otroke", {"otroci-mladi-druzina", "pravice-pravna-pomoc"}),
    ("bivsi ne placuje prezivnine", {"otroci-mladi-druzina", "pravice-pravna-pomoc"}),
    # rejnistvo
    ("z mozem bi rada vzela otroka v rejo", {"rejnistvo"}),
    ("kako postanes rejnik", {"rejnistvo"}),
    ("rada bi posvojila otroka", {"rejnistvo"}),
    # revscina
    ("ni za kruh do konca meseca", {"revscina"}),
    ("otroci rabijo zimske bunde pa nimam denarja", {"revscina"}),
    ("penzija je premajhna za vse stroške", {"revscina", "starejsi"}),
    ("rabim pomoc s hrano", {"revscina"}),
    # socialna-izkljucenost
    ("nimam nobenega, s komer bi spregovoril", {"socialna-izkljucenost", "dusevno-zdravje"}),
    ("od kar je mož umrl sem čisto sama", {"socialna-izkljucenost", "starejsi", "smrt-pogreb"}),
    ("nikamor ne grem, nimam prijateljev", {"socialna-izkljucenost"}),
    # brezdomstvo
    ("ze teden dni spim v avtu", {"brezdomstvo"}),
    ("vrgli so me iz stanovanja in nimam kam", {"brezdomstvo", "stanovanje"}),
    ("po prihodu iz zapora nimam kje bivati", {"brezdomstvo", "stanovanje"}),
    # stanovanje
    ("najemnina je previsoka, ne zmorem vec", {"stanovanje", "revscina"}),
    ("v stanovanju je plesen in otroci so bolni", {"stanovanje", "higiena"}),
    ("kako dobim neprofitno stanovanje", {"stanovanje"}),
    # prostor-legalizacija
    ("hisa nima gradbenega dovoljenja", {"prostor-legalizacija"}),
    ("sosed je zgradil garažo na moji parceli", {"prostor-legalizacija", "pravice-pravna-pomoc"}),
    ("podedovali smo zemljo pa papirji niso urejeni", {"prostor-legalizacija", "smrt-pogreb", "pravice-pravna-pomoc"}),
    # komunalna-oskrba
    ("odklopili so nam elektriko", {"komunalna-oskrba", "dolgovi"}),
    ("ze tri dni nimamo vode", {"komunalna-oskrba"}),
    ("kdo odpelje star kavč in smeti", {"komunalna-oskrba"}),
    # dolgovi
    ("dolgujem banki in ne morem vec placevati obrokov", {"dolgovi"}),
    ("prisel je izvrsitelj", {"dolgovi"}),
    ("zaradi hitrih kreditov sem cisto v minusu", {"dolgovi", "financna-pismenost"}),
    # zaposlovanje
    ("vrgli so me iz službe", {"zaposlovanje"}),
    ("rad bi delal, pa me nikjer ne vzamejo", {"zaposlovanje"}),
    ("iscem sluzbo za pol dneva", {"zaposlovanje"}),
    ("po kapi ne morem več delati", {"zaposlovanje", "invalidnost", "zdravje"}),
    # izobrazevanje
    ("sin bo ponavljal razred", {"izobrazevanje", "otroci-mladi-druzina"}),
    ("rad bi koncal srednjo solo kot odrasel", {"izobrazevanje"}),
    ("hčera potrebuje inštrukcije iz matematike", {"izobrazevanje"}),
    # jezik-pismenost
    ("ne razumem slovensko, rabim tecaj", {"jezik-pismenost"}),
    ("mama ne zna brati in pisati", {"jezik-pismenost"}),
    ("kje se lahko naucim jezika", {"jezik-pismenost"}),
    # financna-pismenost
    ("prodajalec mi je pred vrati prodal drag sesalnik, zdaj mi je zal", {"financna-pismenost"}),
    ("vsak mesec mi zmanjka denarja, ne vem kam gre", {"financna-pismenost", "dolgovi"}),
    ("kako narediti druzinski proracun", {"financna-pismenost"}),
    # prevoz
    ("nimam s cim do zdravnika v mesto", {"prevoz", "zdravje"}),
    ("babica ne more na preglede, ker ni avtobusa", {"prevoz", "starejsi"}),
    ("kdo me zapelje na kemoterapijo", {"prevoz", "zdravje"}),
    # zdravje
    ("nimam zdravstvenega zavarovanja", {"zdravje"}),
    ("zobje me bolijo pa nimam zobarja", {"zdravje"}),
    ("atej je imel mozgansko kap", {"zdravje", "starejsi", "invalidnost"}),
    # higiena
    ("v bloku imamo stenice", {"higiena"}),
    ("sosed kopici smeti in smrdi po celem hodniku", {"higiena", "varnost"}),
    ("otrok je prinesel usi iz vrtca", {"higiena"}),
    # starejsi
    ("mami vse pozablja, mislim da je dementna", {"starejsi", "dusevno-zdravje"}),
    ("dedek ne more vec sam skuhati", {"starejsi"}),
    ("iscem dom za ostarelo mamo", {"starejsi"}),
    # invalidnost
    ("hci ima avtizem, kje dobimo podporo", {"invalidnost"}),
    ("po nesreči sem na vozičku", {"invalidnost"}),
    ("potrebujem osebno asistenco", {"invalidnost"}),
    # varnost
    ("nekdo mi je vlomil v stanovanje", {"varnost", "travma"}),
    ("neznanec mi sledi domov", {"varnost", "nasilje"}),
    ("poplavilo nam je klet", {"varnost"}),
    # okolje-zivali
    ("nasla sem mucke v skatli ob cesti", {"okolje-zivali"}),
    ("sosedov pes je ves cas privezan in lacen", {"okolje-zivali"}),
    ("nekdo odlaga smeti v gozd", {"okolje-zivali", "komunalna-oskrba"}),
    # pravice-pravna-pomoc
    ("zavrnili so mi vlogo, kako se pritozim", {"pravice-pravna-pomoc"}),
    ("rabim odvetnika pa nimam denarja", {"pravice-pravna-pomoc"}),
    ("izgubil sem osebno izkaznico", {"pravice-pravna-pomoc"}),
    # romi-diskriminacija
    ("v trgovini so me izgnali, ker sem Rom", {"romi-diskriminacija"}),
    ("na razgovoru so me zavrnili zaradi barve koze", {"romi-diskriminacija", "zaposlovanje"}),
    ("sosedje nas zmerjajo s cigani", {"romi-diskriminacija"}),
    # prosti-cas
    ("kam lahko otroci hodijo popoldne na šport", {"prosti-cas"}),
    ("rada bi se vpisala na ples", {"prosti-cas"}),
    ("kaj lahko delajo mladi med pocitnicami", {"prosti-cas"}),
    # prostovoljstvo
    ("v penziji bi rad pomagal ljudem", {"prostovoljstvo"}),
    ("rada bi bila prostovoljka", {"prostovoljstvo"}),
    ("imam ohranjena oblacila, bi jih dala", {"prostovoljstvo", "revscina"}),
    # rojstvo-otroka
    ("noseca sem in sama", {"rojstvo-otroka"}),
    ("kaj dobim ko se rodi dojencek", {"rojstvo-otroka"}),
    ("kmalu bom mamica pa nimam opreme", {"rojstvo-otroka", "revscina"}),
    # smrt-pogreb
    ("umrl je oče, nimam za pogreb", {"smrt-pogreb"}),
    ("kako uredim zapuscino po mami", {"smrt-pogreb", "pravice-pravna-pomoc"}),
    ("mama umira, rabimo hospic", {"smrt-pogreb"}),
    # dnevno-varstvo
    ("kdo bo pazil mamo, ko sem v sluzbi", {"dnevno-varstvo", "starejsi"}),
    ("iscem varstvo za malega po vrtcu", {"dnevno-varstvo"}),
    ("oce cez dan ne more biti sam doma", {"dnevno-varstvo", "starejsi"}),
]
