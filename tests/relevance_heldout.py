"""Held-out relevance set (issue 11): residents' descriptions written from the seeds' problem
descriptions, without looking at the catalog, its synonyms or the search code. Never tune on it."""

HELDOUT = [
    # nasilje
    ("mož mi grozi da me ubije", {"nasilje"}),
    ("bojim se it domov k njemu", {"nasilje"}),
    ("oce kriči in tepe mamo pred nami", {"nasilje", "otroci-mladi-druzina"}),
    # zasvojenost
    ("mož zapravi vse na stavah", {"zasvojenost", "dolgovi"}),
    ("ne morem nehat pit", {"zasvojenost"}),
    ("hci se drogira kaj naj naredim", {"zasvojenost", "otroci-mladi-druzina"}),
    # dusevno-zdravje
    ("ne morem več, vse mi je odveč", {"dusevno-zdravje"}),
    ("ze mesece ne spim in jokam", {"dusevno-zdravje"}),
    ("napadi panike v trgovini", {"dusevno-zdravje"}),
    # travma
    ("po prometni nesreči imam more", {"travma", "dusevno-zdravje"}),
    ("okradli so me, zdaj se bojim biti sama", {"travma", "varnost"}),
    ("kot otrok so me zlorabljali", {"travma", "nasilje"}),
    # otroci-mladi-druzina
    ("najstnica me sploh ne posluša vec", {"otroci-mladi-druzina"}),
    ("z bivšim se stalno kregava glede otrok", {"otroci-mladi-druzina"}),
    ("sama sem s tremi otroci, ne zmorem", {"otroci-mladi-druzina", "revscina"}),
    # rejnistvo
    ("bi rada vzela tujega otroka k sebi", {"rejnistvo"}),
    ("vnuka živi pri meni ker hči ne more skrbet", {"rejnistvo", "otroci-mladi-druzina"}),
    # revscina
    ("nimam za hrano do konca meseca", {"revscina"}),
    ("otroci nimajo zimskih copat in bund", {"revscina"}),
    ("plača ne zadošča za osnovne stvari", {"revscina", "financna-pismenost"}),
    # socialna-izkljucenost
    ("cisto sama sem, nihče me ne obišče", {"socialna-izkljucenost", "starejsi"}),
    ("nimam nobenega s kom bi se pogovarjal", {"socialna-izkljucenost"}),
    ("po zaporu me nikjer nočejo", {"socialna-izkljucenost", "zaposlovanje"}),
    # brezdomstvo
    ("spim v avtu", {"brezdomstvo"}),
    ("nocoj nimam kje prespat", {"brezdomstvo"}),
    ("vrgli so me iz hiše, kam zdaj", {"brezdomstvo", "stanovanje"}),
    # stanovanje
    ("lastnik me hoce vrzt ven iz stanovanja", {"stanovanje", "brezdomstvo"}),
    ("zamujam z najemnino, grozijo z izselitvijo", {"stanovanje", "dolgovi"}),
    ("v stanovanju je plesen in mraz", {"stanovanje", "higiena"}),
    ("iscem poceni stanovanje za družino", {"stanovanje"}),
    # prostor-legalizacija
    ("hiša ni vpisana, nimam papirjev za zemljo", {"prostor-legalizacija"}),
    ("zidal sem brez dovoljenja, kaj zdaj", {"prostor-legalizacija"}),
    # komunalna-oskrba
    ("izklopili so nam elektriko", {"komunalna-oskrba", "dolgovi"}),
    ("v naselju nimamo vode", {"komunalna-oskrba"}),
    ("smeti nihče ne odvaža", {"komunalna-oskrba", "okolje-zivali"}),
    # dolgovi
    ("rubijo mi plačo", {"dolgovi"}),
    ("zadolzen sem pri vseh, hitri krediti", {"dolgovi", "financna-pismenost"}),
    # zaposlovanje
    ("ze dve leti nimam sluzbe", {"zaposlovanje"}),
    ("pri 55 me nihče noce zaposlit", {"zaposlovanje"}),
    ("izgubil sem delo, kaj zdaj", {"zaposlovanje", "pravice-pravna-pomoc"}),
    # izobrazevanje
    ("sin ima same cveke v šoli", {"izobrazevanje"}),
    ("nimam končane osnovne šole", {"izobrazevanje"}),
    ("hčera ne hodi v solo", {"izobrazevanje", "otroci-mladi-druzina"}),
    # jezik-pismenost
    ("ne znam dobro slovensko", {"jezik-pismenost"}),
    ("ne znam brat in pisat", {"jezik-pismenost"}),
    ("prisli smo iz Bosne, žena ne razume jezika", {"jezik-pismenost"}),
    # financna-pismenost
    ("ne znam razporedit denarja čez mesec", {"financna-pismenost"}),
    ("prodajalec mi je prodal nekaj kar nisem hotla", {"financna-pismenost", "pravice-pravna-pomoc"}),
    # prevoz
    ("nimam s čim priti do zdravnika", {"prevoz"}),
    ("otrok nima prevoza v šolo", {"prevoz", "izobrazevanje"}),
    # zdravje
    ("nimam zdravstvenega zavarovanja", {"zdravje"}),
    ("nimam izbranega zdravnika", {"zdravje"}),
    # higiena
    ("v hisi imamo stenice", {"higiena"}),
    ("podgane po naselju", {"higiena"}),
    # starejsi
    ("mama ne more več sama živet doma", {"starejsi"}),
    ("oče pozablja in tava okrog", {"starejsi", "dusevno-zdravje"}),
    ("skrbim za bolnega ateja, ne zmorem vec", {"starejsi"}),
    # invalidnost
    ("sin je na vozičku, potrebujemo pomoč", {"invalidnost"}),
    ("otrok ima motnjo v razvoju", {"invalidnost"}),
    ("po kapi ne morem vec delat", {"invalidnost", "zdravje"}),
    # varnost
    ("sosedje ponoči razgrajajo in grozijo", {"varnost"}),
    ("nekdo mi sledi domov", {"varnost", "nasilje"}),
    # okolje-zivali
    ("po vasi se klatijo zapuščeni psi", {"okolje-zivali"}),
    ("našla sem mucke ob cesti", {"okolje-zivali"}),
    # pravice-pravna-pomoc
    ("zavrnili so mi vlogo, kako se pritozim", {"pravice-pravna-pomoc"}),
    ("rabim odvetnika pa nimam denarja", {"pravice-pravna-pomoc"}),
    ("nimam osebne izkaznice", {"pravice-pravna-pomoc"}),
    # romi-diskriminacija
    ("ker sem romka me nikjer ne sprejmejo", {"romi-diskriminacija"}),
    ("v šoli zmerjajo sina ker je rom", {"romi-diskriminacija", "izobrazevanje"}),
    # prosti-cas
    ("otroci popoldne samo visijo na ulici", {"prosti-cas", "otroci-mladi-druzina"}),
    ("ni denarja za trening za sina", {"prosti-cas", "revscina"}),
    # prostovoljstvo
    ("v penziji sem in bi rad pomagal drugim", {"prostovoljstvo"}),
    ("rada bi nekaj koristnega delala zastonj", {"prostovoljstvo"}),
    # rojstvo-otroka
    ("noseča sem in nimam nič za dojenčka", {"rojstvo-otroka", "revscina"}),
    ("rodil se nam je otrok kaj nam pripada", {"rojstvo-otroka", "pravice-pravna-pomoc"}),
    # smrt-pogreb
    ("umrl je mož, nimam za pogreb", {"smrt-pogreb"}),
    ("ne morem prebolet smrti sina", {"smrt-pogreb", "dusevno-zdravje"}),
    # dnevno-varstvo
    ("kam z mamo čez dan ko sem v službi", {"dnevno-varstvo", "starejsi"}),
    ("nimam kam dati otroka ko delam", {"dnevno-varstvo"}),
]
