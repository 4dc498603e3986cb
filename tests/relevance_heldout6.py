"""Held-out relevance set, round 6 (issue 11): residents' descriptions written on 2026-11-30 from
the seeds' problem descriptions by someone who had not seen the catalog, its synonyms, its
phrases, the search code or earlier sets.
Voices: five residents (a Roma father, an old man in the hills, a tired single mother, a
newcomer from Ukraine or Albania, a relative writing for someone), half indirect. Measured
fresh at 0.859 after the phrase broadening (0.797 on the engine before that day's changes);
its misses were then read (a few phrases came from them): a tuning set since."""

HELDOUT6 = [
    # zasvojenost
    ("brez frakeljna zjutri ne gre vec", {"zasvojenost"}),
    ("sin cele noči igra igrice zaklenjen v sobi in ne hodi več v šolo", {"zasvojenost", "otroci-mladi-druzina"}),
    ("tašča je vso penzijo zapravila na stavah in srečkah, zdaj dolguje vsem", {"zasvojenost", "dolgovi"}),
    # dusevno-zdravje
    ("sm čist na koncu jočem vsak večer po šihtu in ne morm več", {"dusevno-zdravje"}),
    ("hčerka se reže po rokah in skoraj nič ne je", {"dusevno-zdravje", "otroci-mladi-druzina"}),
    # nasilje
    ("bivši me čaka pred fabriko in mi pošila grožnje cele noči", {"nasilje", "varnost"}),
    ("mož me udari ko je pijan, papirji za bivanje so na njegovo ime, bojim se", {"nasilje", "pravice-pravna-pomoc"}),
    ("moj foter spije in potem razbija doma, mama se ga boji", {"nasilje", "zasvojenost"}),
    # travma
    ("ko slišim raketa ali petarda spet sem v vojni, ne spim več", {"travma", "dusevno-zdravje"}),
    ("sosedovo dekle so napadli na poti domov, od takrat ne gre več iz hiše", {"travma", "nasilje", "dusevno-zdravje"}),
    # otroci-mladi-druzina
    (
        "hči ma 16 in je noseča nevem kako ji pomagat pa da šolo nej konča",
        {"otroci-mladi-druzina", "rojstvo-otroka", "izobrazevanje"},
    ),
    # rejnistvo
    (
        "sestra gre na zdravljenje za dolgo, otroke bi vzela k sebi dokler se ne vrne, kaj rabim",
        {"rejnistvo", "otroci-mladi-druzina"},
    ),
    # revscina
    ("nimamo kej jest do konca mesca", {"revscina"}),
    ("penzija ne zadosti za drva", {"revscina", "starejsi"}),
    ("rabim zimska odjeća za djeca, nema denar", {"revscina"}),
    # socialna-izkljucenost
    ("nobenga za pogovor", {"socialna-izkljucenost", "starejsi"}),
    # brezdomstvo
    ("sosed spi v avtu odkar so ga vrgli iz stanovanja", {"brezdomstvo", "stanovanje"}),
    # stanovanje
    ("lastnik je dvignu najemnino in pravi da morm ven do konca mesca z dvema otrokoma", {"stanovanje", "brezdomstvo"}),
    ("vsak lastnik reče ne ko sliši da sem tujka, ne morem najti kje živeti", {"stanovanje", "romi-diskriminacija"}),
    # prostor-legalizacija
    ("občina prav da naša hiša ni na papirjih in jo bojo podrl", {"prostor-legalizacija", "stanovanje"}),
    ("sosed je zoral cez mejo pa pravi da je zemlja njegova", {"prostor-legalizacija", "pravice-pravna-pomoc"}),
    # komunalna-oskrba
    ("tok so nam odklopl ker nismo plačal, tamali zmrzujejo", {"komunalna-oskrba", "dolgovi"}),
    ("stirna suha", {"komunalna-oskrba"}),
    # dolgovi
    (
        "bivši ne plačuje za otroka zdej so mi pa še od plače začel odtegovat zaradi starga kredita nevem kak bom",
        {"dolgovi", "pravice-pravna-pomoc", "revscina"},
    ),
    (
        "položnice se kopičjo elektrika voda vrtec plača pa ne pokrije nič",
        {"dolgovi", "revscina", "financna-pismenost"},
    ),
    # zaposlovanje
    ("iščem šiht brez šole", {"zaposlovanje"}),
    (
        "moja diploma iz Ukrajine tukaj ne velja, delam čistiti ampak sem inženir",
        {"zaposlovanje", "izobrazevanje", "pravice-pravna-pomoc"},
    ),
    ("v fabriki so rekl da nas do novga leta odpustijo kam se morm prijavt", {"zaposlovanje", "pravice-pravna-pomoc"}),
    # izobrazevanje
    ("za tamalo vrtec kok stane ce nimas dnarja", {"izobrazevanje", "dnevno-varstvo"}),
    (
        "hči težko bere črke ji plešejo učitlca prav da ne bo izdelala pa nimam za inštrukcije",
        {"izobrazevanje", "invalidnost"},
    ),
    ("sin v šola ne razume učiteljica, dobi slabe ocene", {"izobrazevanje", "jezik-pismenost"}),
    # jezik-pismenost
    ("nism končo šole rad bi se naučo brat pa pisat", {"jezik-pismenost", "izobrazevanje"}),
    ("kje se učiti slovenski za odrasli, brezplačno", {"jezik-pismenost"}),
    # financna-pismenost
    ("plača zmanjka že okol 20. v mescu nevem kam gre dnar", {"financna-pismenost", "revscina"}),
    # prevoz
    ("sam sm gor v bregu, avta nimam, do zdravnika pa je dalec", {"prevoz", "zdravje", "starejsi"}),
    ("mali nemore hodit v šolo ker ga nimamo s čim pelat", {"prevoz", "izobrazevanje"}),
    ("hčerka hodi v šola peš 5 km po cesti brez pločnik", {"prevoz", "izobrazevanje"}),
    # zdravje
    ("ze dve leti cakam za koleno", {"zdravje"}),
    ("moja zdravnica je šla v pokoj in me noben nova noče vpisat hrbet me pa boli od nočnih", {"zdravje"}),
    ("otrok ima fever, nimam zavarovanje, kam grem", {"zdravje"}),
    # higiena
    ("podgane v hiši", {"higiena"}),
    ("ščurki v bloku upravnik nič ne naredi otrok ma pike po rokah", {"higiena", "stanovanje"}),
    # starejsi
    ("ne morem vec sam kuhat pa prat", {"starejsi"}),
    ("padu sm na dvoriscu in do jutra me ni nihce najdu", {"starejsi", "zdravje"}),
    ("za soseda: star 85, ne je redno, v hiši smrdi in je nered", {"starejsi", "higiena"}),
    ("mama ima demenco in ponoči tava po hiši, sama ne zmorem več", {"starejsi", "dnevno-varstvo"}),
    # invalidnost
    ("oci mi pesajo, pisem ne vidim vec brat", {"invalidnost", "zdravje", "starejsi"}),
    ("brat je po prometni na vozičku, v kopalnico ne more", {"invalidnost", "stanovanje"}),
    (
        "moj sin je avtist in mu v šoli še niso dodelili spremljevalca",
        {"invalidnost", "izobrazevanje", "pravice-pravna-pomoc"},
    ),
    # varnost
    ("ponoc so spet streljal pri sosedih, strah me je za otroke", {"varnost"}),
    # okolje-zivali
    ("psi brez lastnika grizejo otroke po naselju", {"okolje-zivali", "varnost"}),
    # pravice-pravna-pomoc
    ("s csd so mi poslal papir, mislim da so fous zracunal", {"pravice-pravna-pomoc"}),
    ("dovoljenje za bivanje poteče čez mesec, kaj moram delati", {"pravice-pravna-pomoc"}),
    ("šef ne plača tri mesece, pogodba nimam, what can I do", {"pravice-pravna-pomoc", "zaposlovanje"}),
    (
        "Za tasta prosim: priznali so mu nižjo kategorijo invalidnosti, kot mu pripada. Kako vložiti pritožbo?",
        {"pravice-pravna-pomoc", "invalidnost"},
    ),
    # romi-diskriminacija
    ("ko vidjo da sm iz naselja rečejo da ni več prostga mesta", {"romi-diskriminacija", "zaposlovanje"}),
    ("sosedi napisali grda stvar na moja vrata ker smo tujci", {"romi-diskriminacija", "varnost"}),
    # prosti-cas
    ("mularija zvečer nima kam it sam na cesti visijo", {"prosti-cas", "otroci-mladi-druzina"}),
    # prostovoljstvo
    ("hočem pomagati ljudem brez plače, volunteer, kje", {"prostovoljstvo"}),
    # rojstvo-otroka
    ("žena je rodla, a dobimo kej dnarja za dojenčka", {"rojstvo-otroka", "revscina"}),
    # smrt-pogreb
    ("zena mi je umrla pa nevem kaj zdej narest pa s cim placat", {"smrt-pogreb", "revscina"}),
    ("stric umira doma, radi bi bili ob njem do konca, kdo nam lahko pride pomagat", {"smrt-pogreb", "zdravje"}),
    # dnevno-varstvo
    ("cez dan bi bil rad med ljudmi, zvecer pa doma", {"dnevno-varstvo", "starejsi"}),
    (
        "delam na tri izmene pa nimam kam dat mlajsga ko je vrtec zaprt ponoc in ob vikendih",
        {"dnevno-varstvo", "otroci-mladi-druzina"},
    ),
]
