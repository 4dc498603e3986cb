"""Held-out relevance set, round 4 (issue 11): residents' descriptions written on 2026-11-30 from
the seeds' problem descriptions by someone who had not seen the catalog, its synonyms, its
phrases, the search code or earlier sets. Never tune on it."""

HELDOUT4 = [
    # zasvojenost
    ("foter spet pije vsak dan, doma je sam kreg in nikol ni dnarja", {"zasvojenost"}),
    ("sin kadi travo pa nevem kako ga ustavit", {"zasvojenost", "otroci-mladi-druzina"}),
    ("zaigral sem plačo na stavnici, zdej sem v minusu", {"zasvojenost", "dolgovi"}),
    # dusevno-zdravje
    ("napadi panike", {"dusevno-zdravje"}),
    ("vse mi je brez veze, ne vidim vec smisla zivet", {"dusevno-zdravje"}),
    ("mama ima shizofrenijo in noce jemat zdravil", {"dusevno-zdravje", "zdravje"}),
    # nasilje
    ("mož me tepe, kam lahko grem z otrokoma", {"nasilje"}),
    ("sin me zmerja in mi pobere penzijo", {"nasilje", "starejsi"}),
    ("ne znam obvladat jeze, udaril sem zeno", {"nasilje", "dusevno-zdravje"}),
    # travma
    ("napadli so me pred blokom in od takrat se bojim it ven", {"travma", "dusevno-zdravje"}),
    # otroci-mladi-druzina
    ("najstnica se z nami sploh ne pogovarja, samo se kregamo", {"otroci-mladi-druzina"}),
    ("lociva se, kako to povedat otrokom in kdo jih bo imel", {"otroci-mladi-druzina", "pravice-pravna-pomoc"}),
    # rejnistvo
    ("bi vzela otroka v rejo, kaj vse rabim", {"rejnistvo"}),
    # revscina
    ("nimamo kaj jest do konca mesca", {"revscina"}),
    ("rabim paket hrane in oblacila za otroke", {"revscina"}),
    ("Vloga za izredno denarno socialno pomoč", {"revscina", "pravice-pravna-pomoc"}),
    # socialna-izkljucenost
    ("sama sem, nihče me ne obišče, cele dneve nimam s kom spregovorit", {"socialna-izkljucenost"}),
    ("prsu sm iz zapora pa me nobeden noce", {"socialna-izkljucenost"}),
    # brezdomstvo
    ("spim v avtu", {"brezdomstvo"}),
    ("ostal sem brez strehe, kje lahko prespim nocoj", {"brezdomstvo", "stanovanje"}),
    # stanovanje
    ("najemodajalec me hoce vrec ven do konca meseca", {"stanovanje", "pravice-pravna-pomoc"}),
    ("kako pridem do neprofitnega stanovnja", {"stanovanje"}),
    ("dobili smo obvestilo o deložaciji, ker nismo plačali najemnine", {"stanovanje", "dolgovi"}),
    # prostor-legalizacija
    ("hisa nima gradbenega dovoljenja, kako jo legaliziram", {"prostor-legalizacija"}),
    ("hisa stoji na tuji parceli, kaj lahko nardim", {"prostor-legalizacija", "pravice-pravna-pomoc"}),
    # komunalna-oskrba
    ("izklopli so elektriko", {"komunalna-oskrba", "dolgovi"}),
    ("v naselju ni vode, vozimo jo s kanistri", {"komunalna-oskrba"}),
    # dolgovi
    ("blokiran racun zaradi izvrsbe", {"dolgovi", "pravice-pravna-pomoc"}),
    ("položnice se kopičijo, ne morem več plačevat vsega", {"dolgovi", "financna-pismenost"}),
    ("izvrsitelj pride jutri, kaj mi lahko zarubjo", {"dolgovi", "pravice-pravna-pomoc"}),
    # zaposlovanje
    ("iščem šiht, nimam pa nobene šole", {"zaposlovanje"}),
    ("ze dve leti brez sluzbe, a bi lahko delal na javnih delih", {"zaposlovanje"}),
    ("zavod za zaposlovanje me je črtal iz evidence, kaj zdaj", {"zaposlovanje", "pravice-pravna-pomoc"}),
    # izobrazevanje
    ("rad bi naredu osnovno šolo kot odrasel", {"izobrazevanje"}),
    ("za hcerko ni prostora v vrtcu", {"izobrazevanje", "dnevno-varstvo"}),
    # jezik-pismenost
    ("pršla sem iz Kosova, kje se lahko učim slovensko", {"jezik-pismenost"}),
    ("mama ne zna brat in pisat, pisma ji berem jaz", {"jezik-pismenost"}),
    # financna-pismenost
    ("vedno zmanka denarja pred plačo, kako naredit proračun za družino", {"financna-pismenost"}),
    # prevoz
    ("nimam avta, kako pridem do zdravnka v mesto", {"prevoz"}),
    ("otroci iz naselja nimajo prevoza do sole", {"prevoz", "izobrazevanje"}),
    # zdravje
    ("Nimam urejenega obveznega zdravstvenega zavarovanja.", {"zdravje", "pravice-pravna-pomoc"}),
    ("na ortopeda cakam ze leto dni, se da kej hitrej", {"zdravje"}),
    ("nobena ambulanta nas noče vzet, nimamo osebnega zdravnika", {"zdravje"}),
    # higiena
    ("stenice v posteli", {"higiena"}),
    ("podgane okol hiše, smeti vsepovsod", {"higiena", "okolje-zivali"}),
    # starejsi
    ("stara mama ne more vec sama, rabi pomoc na domu", {"starejsi"}),
    ("iščemo dom za ostarele, čakalna vrsta je predogla", {"starejsi"}),
    ("ata ma demenco in ponoč tava okol", {"starejsi", "dnevno-varstvo"}),
    # invalidnost
    ("sin ima avtizem, kje dobimo pomoč in terapjie", {"invalidnost", "otroci-mladi-druzina"}),
    ("po kapi sem na vozicku, kopalnica ni prilagojena", {"invalidnost", "stanovanje"}),
    # varnost
    ("sosedje ponoci kurijo kable, smrdi in je nevarno", {"varnost", "okolje-zivali"}),
    ("pred trgovino nas nadlegujejo in kradejo, policija ne nardi nič", {"varnost"}),
    # okolje-zivali
    ("potepuški psi po naselju, napadajo otroke", {"okolje-zivali", "varnost"}),
    # pravice-pravna-pomoc
    ("kako se pritozim na odlocbo CSD", {"pravice-pravna-pomoc"}),
    ("brezplačen odvetnik", {"pravice-pravna-pomoc"}),
    (
        "zgubil sem osebno, nimam stalnega naslova, kako pridem do novih dokumentov",
        {"pravice-pravna-pomoc", "brezdomstvo"},
    ),
    # romi-diskriminacija
    ("ko slišjo da sem Rom, me nočejo zaposlit", {"romi-diskriminacija", "zaposlovanje"}),
    ("v lokalu mi niso hotli postreč, ker sem Rominja", {"romi-diskriminacija"}),
    # prosti-cas
    ("poceni trening za tamalga, nogomet al kej", {"prosti-cas"}),
    # prostovoljstvo
    ("v penziji sm, bi rad kje pomagu ljudem", {"prostovoljstvo"}),
    # rojstvo-otroka
    ("kaj mi pripada, ko se rodi dojencek", {"rojstvo-otroka", "pravice-pravna-pomoc"}),
    # smrt-pogreb
    ("mož je umru, nimamo dnarja za pogreb", {"smrt-pogreb", "revscina"}),
    ("mama umira doma, kdo nam lahko pomaga v zadnih dneh", {"smrt-pogreb", "zdravje"}),
    # dnevno-varstvo
    ("kam dat brata z motnjo čez dan, ko sem v službbi", {"dnevno-varstvo", "invalidnost"}),
]
