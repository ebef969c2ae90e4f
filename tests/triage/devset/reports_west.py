"""Field reports in English, German, French and Spanish, typed the way workers type them on a phone.

Each category appears at least twice per language. Reportable ones are specified injuries or
dangerous occurrences; near them sit reports that sound alike but are not (a near fall, a finger
cut, a check-up that found nothing, a broken pallet, a fire drill).
"""

from tests.triage.devset import Report

REPORTS = [
    # --- English -------------------------------------------------------------------------
    Report(
        "2 lads went in the silo at bay 3 to clear a blockage no gas monitor no top man and no "
        "permit",
        "hazard",
        "confined_spaces",
        "en",
    ),
    Report(
        "agency guy climbed down manhole on station rd to get his phone, passed out at the bottom "
        "low O2. fire service pulled him out unconcious, hes in hospital",
        "injury",
        "confined_spaces",
        "en",
        True,
    ),
    Report(
        "tank entry today done right gas tested evry 30 min, standby man with tripod n winch set "
        "up befor anyone went in",
        "good_practice",
        "confined_spaces",
        "en",
    ),
    Report(
        "nearly fell off the step ladder in goods in top step loose!! no one hurt, taged it out",
        "near_miss",
        "work_at_height",
        "en",
    ),
    Report(
        "sparky went thru a roof light on unit 4 about 4m broken leg ambulance took him",
        "injury",
        "work_at_height",
        "en",
        True,
    ),
    Report(
        "scaff on block B 3rd lift no toe boards n half the handrail missing lads still up there",
        "hazard",
        "work_at_height",
        "en",
    ),
    Report(
        "guy in the boom lift basket not clipped on, hes 10m up doing the cladding",
        "hazard",
        "work_at_height",
        "en",
    ),
    Report(
        "trench for drainage run 1.8m deep no shoring no barrier and the spoil right on the edge",
        "hazard",
        "excavations",
        "en",
    ),
    Report(
        "360 bucket hit a LV cable by gate 2 sparks, nobody cat scanned first and permit to dig "
        "never signed",
        "near_miss",
        "excavations",
        "en",
    ),
    Report(
        "excavation check pump stn - battered back ok ladder access in, daily insp sheet signed "
        "upto date",
        "audit_evidence",
        "excavations",
        "en",
    ),
    Report(
        "chain sling on the tower crane hook no ID tag and 2 links stretched, still using it for "
        "the rebar",
        "hazard",
        "lifting_operations",
        "en",
    ),
    Report(
        "mobile crane went over lifting the AC unit outrigger pad sank in the tarmac, boom across "
        "the car park. nobody under it thank god",
        "near_miss",
        "lifting_operations",
        "en",
        True,
    ),
    Report(
        "lift plan for the steel beams briefed n signed, tag lines on, banksman on radio, LOLER "
        "certs in date",
        "audit_evidence",
        "lifting_operations",
        "en",
    ),
    Report(
        "ext lead at packing line 2 plug melted brown burn marks and its still switched on",
        "hazard",
        "electrical",
        "en",
    ),
    Report(
        "got a little shock of the hand dryer in the gents tingle up my arm. went docs to check "
        "all fine",
        "injury",
        "electrical",
        "en",
    ),
    Report(
        "tipper raised the body under the 11kv overhead line on the haul road n touched it. "
        "driver stayed in the cab nobody hurt",
        "near_miss",
        "electrical",
        "en",
        True,
    ),
    Report(
        "DB cover missing in plant room live bits showing and door wont lock",
        "hazard",
        "electrical",
        "en",
    ),
    Report(
        "air receiver in compressor room no inspection sticker and the relief valve hissing all "
        "day",
        "hazard",
        "pressure_systems",
        "en",
    ),
    Report(
        "air hose came off the coupling whipped round missed dave by inches, no whip check on it",
        "near_miss",
        "pressure_systems",
        "en",
    ),
    Report(
        "fire exit at the back of the warehouse wedged open with a pallet other one blocked with "
        "cages",
        "hazard",
        "fire_explosion",
        "en",
    ),
    Report(
        "fire drill 10.15 all out in 4 mins roll call done, 2 agency lads didnt know where "
        "assembly point is",
        "audit_evidence",
        "fire_explosion",
        "en",
    ),
    Report(
        "welder doing hot work no permit no fire watch, sparks got in the cardboard small fire "
        "put out with extinguisher",
        "near_miss",
        "fire_explosion",
        "en",
    ),
    Report(
        "FLT backed out of aisle 12 without looking picker had to jump out the way madre mia",
        "near_miss",
        "vehicles_traffic",
        "en",
    ),
    Report(
        "reach truck ran over agency lads foot in the chiller, foot crushed, taken to A&E",
        "injury",
        "vehicles_traffic",
        "en",
        True,
    ),
    Report(
        "no walkway marked at loading bays 4-8 drivers walk between reversing wagons to get to "
        "the office",
        "hazard",
        "vehicles_traffic",
        "en",
    ),
    Report(
        "guard off the bone saw in butchery AGAIN and some1 taped the interlock so it runs open",
        "hazard",
        "machinery",
        "en",
    ),
    Report(
        "operator reached in the conveyor to clear a jam without stopping it glove got pulled in, "
        "got his hand out just in time",
        "near_miss",
        "machinery",
        "en",
    ),
    Report(
        "maintenance did proper LOTO on the mixer before cleaning each guy own padlock on the "
        "hasp 👍",
        "good_practice",
        "machinery",
        "en",
    ),
    Report(
        "box of tins came off top shelf aisle 6 landed right next to a picker no one hurt",
        "near_miss",
        "dropped_objects",
        "en",
    ),
    Report(
        "broken pallet on top beam bay 22, bottom boards snapped load leaning needs bringing down",
        "hazard",
        "dropped_objects",
        "en",
    ),
    Report(
        "scaffolder dropped a coupler off the 3rd lift hit labourer on his hard hat, bit dazed "
        "sat in first aid room 20 min then carried on",
        "injury",
        "dropped_objects",
        "en",
    ),
    Report(
        "unlabeled bottle clear liquid in cleaners cupboard smells like bleach no SDS in the "
        "coshh folder",
        "hazard",
        "hazardous_substances",
        "en",
    ),
    Report(
        "caustic splashed in my eye doing the CIP eyewash 15 mins, went to the doctor to check, "
        "fine",
        "injury",
        "hazardous_substances",
        "en",
    ),
    Report(
        "lads drilling the old artex ceiling in the refurb and nobody has seen an asbestos survey",
        "hazard",
        "hazardous_substances",
        "en",
    ),
    Report(
        "diesel bowser leaking into the surface water drain by the compound spill kit empty",
        "environmental_incident",
        "environmental_release",
        "en",
    ),
    Report(
        "IBC of hyd oil split in the yard approx 200L on the ground near the brook, pads n boom "
        "down",
        "environmental_incident",
        "environmental_release",
        "en",
    ),
    Report(
        "bund round the oil tanks full of rain and the drain valve left open",
        "hazard",
        "environmental_release",
        "en",
    ),
    Report(
        "cutting blocks with the stihl saw no water on it dust cloud going over the fence onto "
        "the houses",
        "hazard",
        "emissions_noise_dust",
        "en",
    ),
    Report(
        "neighbour complaned again about the genny and reversing beepers at 6am",
        "environmental_incident",
        "emissions_noise_dust",
        "en",
    ),
    Report(
        "skip by the gate overflowing plasterboard mixed in with general, stuff blowing onto the "
        "road",
        "hazard",
        "waste",
        "en",
    ),
    Report(
        "haz waste store checked: oily rags bin lidded, tubes in right cage, consignment notes "
        "filed",
        "audit_evidence",
        "waste",
        "en",
    ),
    Report(
        "lad hurt his back lifting 25kg sugar sacks on his own all shift been off 2 weeks now",
        "injury",
        "manual_handling",
        "en",
        True,
    ),
    Report(
        "new starters carrying plasterboard up 3 flights by hand no trolley no team lift",
        "hazard",
        "manual_handling",
        "en",
    ),
    Report(
        "picking station bench way too low everyone bent over all shift backs are killing",
        "hazard",
        "ergonomics",
        "en",
    ),
    Report(
        "been on the breaker 4 hrs straight fingers gone white n numb, nobody tracks HAV points",
        "hazard",
        "ergonomics",
        "en",
    ),
    Report(
        "cut my finger on the stanley opening boxes, first aid plaster back on the line",
        "injury",
        "hand_tools_sharps",
        "en",
    ),
    Report(
        "hammer head loose on the shaft and the chisels all mushroomed in van 3 toolbox",
        "hazard",
        "hand_tools_sharps",
        "en",
    ),
    Report(
        "tripped on a lifted floor tile by the office could of broke his leg, just grazed hands",
        "injury",
        "slips_trips_falls",
        "en",
    ),
    Report(
        "ice on the path from car park to the cabins nobody gritted 2 people slipped already",
        "hazard",
        "slips_trips_falls",
        "en",
    ),
    Report("subbie crew on site no hard hats no hi vis told them twice", "hazard", "ppe", "en"),
    Report(
        "new cut resistant gloves in the boning room and every1 actually wearing them",
        "good_practice",
        "ppe",
        "en",
    ),
    Report(
        "aisle 3 blocked with empty cages and shrink wrap pickers climbing over",
        "hazard",
        "housekeeping",
        "en",
    ),
    Report(
        "5S audit line 4 62% tools left all over bench a mess no shadow board",
        "audit_evidence",
        "housekeeping",
        "en",
    ),
    Report("no hot water in site toilets 3 days now and no soap", "hazard", "welfare", "en"),
    Report(
        "first aid kit in the welfare cabin empty just one plaster left lol",
        "hazard",
        "welfare",
        "en",
    ),
    Report(
        "new water cooler in the warehouse for the heatwave much appreciated",
        "good_practice",
        "welfare",
        "en",
    ),
    # --- German --------------------------------------------------------------------------
    Report(
        "zwei leute im abwasserschacht ohne gaswarngeraet und keiner oben als sicherungsposten",
        "hazard",
        "confined_spaces",
        "de",
    ),
    Report(
        "befahrung tank 4 heute: freigemessen O2 20,9 erlaubnisschein unterschrieben dreibein + "
        "rettungsgurt bereit",
        "audit_evidence",
        "confined_spaces",
        "de",
    ),
    Report(
        "kollege im gaerbehaelter umgekippt CO2!! bewusstlos, feuerwehr hat ihn rausgeholt liegt "
        "im KH",
        "injury",
        "confined_spaces",
        "de",
        True,
    ),
    Report(
        "is vom geruest gefallen ca 3m oberschenkel gebrochen rtw war da",
        "injury",
        "work_at_height",
        "de",
        True,
    ),
    Report(
        "bin fast von der leiter gefallen sprosse locker, nix passiert leiter ist gesperrt",
        "near_miss",
        "work_at_height",
        "de",
    ),
    Report(
        "aufm flachdach am rand kein seitenschutz und die jungs ohne PSAgA unterwegs",
        "hazard",
        "work_at_height",
        "de",
    ),
    Report(
        "baugrube hausanschluss 2m tief senkrecht abgestochen kein verbau aushub direkt an der "
        "kante",
        "hazard",
        "excavations",
        "de",
    ),
    Report(
        "bagger hat beim ausheben telekomkabel erwischt, keine leitungsauskunft da gewesen",
        "near_miss",
        "excavations",
        "de",
    ),
    Report(
        "grabenrand broeckelt nach dem regen risse im boden 1m neben der kante, leute arbeiten "
        "unten",
        "hazard",
        "excavations",
        "de",
    ),
    Report(
        "baugrube an der ostseite eingestuerzt, 3m wand komplett runter.. der polier war 5 min "
        "vorher noch unten, keiner verletzt",
        "near_miss",
        "excavations",
        "de",
        True,
    ),
    Report(
        "anschlagkette ohne pruefplakette, ein haken aufgebogen, wird trotzdem am kran genommen",
        "hazard",
        "lifting_operations",
        "de",
    ),
    Report(
        "last am kran hing schief und einer ist unter der schwebenden last durch gelaufen",
        "near_miss",
        "lifting_operations",
        "de",
    ),
    Report(
        "kranfahrer hat vor dem hub alles mit dem einweiser abgesprochen leitseil dran bereich "
        "abgesperrt - top",
        "good_practice",
        "lifting_operations",
        "de",
    ),
    Report(
        "kabeltrommel halle 2 isolierung kaputt man sieht das kupfer und sie liegt in ner pfuetze",
        "hazard",
        "electrical",
        "de",
    ),
    Report(
        "am baustromverteiler nen schlag bekommen arm kribbelt, war beim arzt zur kontrolle alles "
        "ok",
        "injury",
        "electrical",
        "de",
    ),
    Report(
        "DGUV V3 pruefung der ortsveraenderlichen geraete gemacht alle mit neuer plakette",
        "audit_evidence",
        "electrical",
        "de",
    ),
    Report(
        "druckluftschlauch an der kupplung undicht zischt, mit klebeband geflickt",
        "hazard",
        "pressure_systems",
        "de",
    ),
    Report(
        "im heizraum flansch an der gasleitung geplatzt gas stroemt aus, halle geraeumt feuerwehr "
        "+ stadtwerke da",
        "near_miss",
        "pressure_systems",
        "de",
        True,
    ),
    Report(
        "sicherheitsventil am dampfkessel seit monaten nicht geprueft pruefbuch leer",
        "hazard",
        "pressure_systems",
        "de",
    ),
    Report(
        "notausgang lager hinten mit paletten zugestellt und brandschutztuer mit keil offen",
        "hazard",
        "fire_explosion",
        "de",
    ),
    Report(
        "raeumungsuebung heute 9:30 alle in 5 min am sammelplatz, zwei feuerloescher abgelaufen",
        "audit_evidence",
        "fire_explosion",
        "de",
    ),
    Report(
        "schweissen ohne erlaubnisschein direkt neben den loesemittelfaessern",
        "hazard",
        "fire_explosion",
        "de",
    ),
    Report(
        "staplerfahrer viel zu schnell um die ecke fussgaenger musste zur seite springen",
        "near_miss",
        "vehicles_traffic",
        "de",
    ),
    Report(
        "stapler ist dem kollegen uebern fuss gefahren, sicherheitsschuhe haben gehalten nur "
        "prellung",
        "injury",
        "vehicles_traffic",
        "de",
    ),
    Report(
        "LKW fahrer steigen an der rampe aus und laufen mitten im staplerverkehr, keine "
        "markierung, blue spot an stapler 3 auch kaputt",
        "hazard",
        "vehicles_traffic",
        "de",
    ),
    Report(
        "schutzgitter an der presse abgeschraubt und der tuerschalter ueberbrueckt",
        "hazard",
        "machinery",
        "de",
    ),
    Report(
        "beim reinigen band nicht abgeschaltet, aermel waer fast eingezogen worden",
        "near_miss",
        "machinery",
        "de",
    ),
    Report(
        "not aus an linie 3 geht nicht. drueckst drauf und das band laeuft weiter",
        "hazard",
        "machinery",
        "de",
    ),
    Report(
        "kollegin an der aufschnittmaschine fingerkuppe abgetrennt, schutz war hochgeklappt, rtw "
        "handchirurgie",
        "injury",
        "machinery",
        "de",
        True,
    ),
    Report(
        "karton aus dem oberen regal gefallen knapp neben kollegin, keiner verletzt",
        "near_miss",
        "dropped_objects",
        "de",
    ),
    Report(
        "palette kaputt im regal fach 14-03 oben latte gebrochen ware haengt durch",
        "hazard",
        "dropped_objects",
        "de",
    ),
    Report(
        "regal gang 7 zusammengebrochen traverse hat nachgegeben ware ueberall, zum glueck "
        "schichtwechsel niemand drin",
        "near_miss",
        "dropped_objects",
        "de",
        True,
    ),
    Report(
        "kanister ohne etikett in der werkstatt riecht nach verduennung, kein "
        "sicherheitsdatenblatt",
        "hazard",
        "hazardous_substances",
        "de",
    ),
    Report(
        "reiniger auf die hand bekommen haut rot, mit wasser gespuelt und creme drauf",
        "injury",
        "hazardous_substances",
        "de",
    ),
    Report(
        "beim abbruch alte eternitplatten zerbrochen asbest?? keiner weiss bescheid",
        "hazard",
        "hazardous_substances",
        "de",
    ),
    Report(
        "hydraulikoel am bagger ausgelaufen ca 20 liter ins erdreich bindemittel drauf",
        "environmental_incident",
        "environmental_release",
        "de",
    ),
    Report(
        "diesel laeuft aus dem baustellentank in den gully, oelsperre fehlt",
        "environmental_incident",
        "environmental_release",
        "de",
    ),
    Report(
        "auffangwanne unter den faessern voll mit regenwasser und oel schwimmt oben",
        "hazard",
        "environmental_release",
        "de",
    ),
    Report(
        "pflastersteine trocken schneiden ohne absaugung staubwolke zieht rueber zum kindergarten",
        "hazard",
        "emissions_noise_dust",
        "de",
    ),
    Report(
        "anwohner hat sich beschwert wegen laerm von der ruettelplatte um 6 uhr frueh",
        "environmental_incident",
        "emissions_noise_dust",
        "de",
    ),
    Report(
        "container bauschutt holz folie alles durcheinander, trennung klappt garnicht",
        "hazard",
        "waste",
        "de",
    ),
    Report(
        "leere farbeimer und oelfilter einfach in den restmuell geschmissen",
        "hazard",
        "waste",
        "de",
    ),
    Report(
        "zementsaecke 25kg werden von hand in den 2. stock getragen kein aufzug",
        "hazard",
        "manual_handling",
        "de",
    ),
    Report(
        "ruecken verhoben beim zement schleppen, 4 tage krankgeschrieben",
        "injury",
        "manual_handling",
        "de",
    ),
    Report(
        "bildschirmplatz im lagerbuero monitor viel zu tief stuhl kaputt alle haben "
        "nackenschmerzen",
        "hazard",
        "ergonomics",
        "de",
    ),
    Report(
        "den ganzen tag am band stehen ohne matte, beine und fuesse tun weh",
        "hazard",
        "ergonomics",
        "de",
    ),
    Report(
        "cuttermesser ohne rueckzugklinge, schon 3 leute geschnitten diese woche",
        "hazard",
        "hand_tools_sharps",
        "de",
    ),
    Report(
        "mit dem teppichmesser in den daumen geschnitten verbandkasten weiter gemacht",
        "injury",
        "hand_tools_sharps",
        "de",
    ),
    Report(
        "mit dem hammer auf den finger gehauen finger gebrochen, arzt hat geschient 3 tage krank",
        "injury",
        "hand_tools_sharps",
        "de",
    ),
    Report(
        "boden in der kuehlung nass und glatt schon zwei mal jemand ausgerutscht",
        "hazard",
        "slips_trips_falls",
        "de",
    ),
    Report(
        "auf der treppe gestolpert haette sich das bein brechen koennen, nur blauer fleck",
        "injury",
        "slips_trips_falls",
        "de",
    ),
    Report(
        "subbis ohne helm und ohne warnweste auf der baustelle unterwegs", "hazard", "ppe", "de"
    ),
    Report(
        "gehoerschutz spender an der abfuellung leer seit montag keiner traegt was",
        "hazard",
        "ppe",
        "de",
    ),
    Report(
        "heute alle in der halle mit schutzbrille, die neuen beschlagen nicht mehr 👍",
        "good_practice",
        "ppe",
        "de",
    ),
    Report("gang 4 voll mit leergut und folie, kommst kaum durch", "hazard", "housekeeping", "de"),
    Report(
        "safety walk werkstatt 5S score 58% werkzeug liegt ueberall nix an seinem platz",
        "audit_evidence",
        "housekeeping",
        "de",
    ),
    Report(
        "dixi klo seit ner woche nicht geleert und kein wasser zum haende waschen",
        "hazard",
        "welfare",
        "de",
    ),
    Report("pausencontainer heizung kaputt 8 grad drin", "hazard", "welfare", "de"),
    # --- French --------------------------------------------------------------------------
    Report(
        "2 gars descendus dans la cuve pour nettoyer sans detecteur 4 gaz et personne dehors pour "
        "surveiller",
        "hazard",
        "confined_spaces",
        "fr",
    ),
    Report(
        "intervention espace confine regard EU : permis signe mesure O2 ok surveillant en haut "
        "avec tripode",
        "audit_evidence",
        "confined_spaces",
        "fr",
    ),
    Report(
        "un interimaire s'est effondre au fond de la fosse de relevage, manque d'oxygene, sorti "
        "inconscient par les pompiers, hospitalise",
        "injury",
        "confined_spaces",
        "fr",
        True,
    ),
    Report(
        "echafodage sans garde corps au 2ème niveau et les gars montent quand meme",
        "hazard",
        "work_at_height",
        "fr",
    ),
    Report(
        "collegue a failli tomber de l escabeau pied a glisse, rien de casse plus de peur que de "
        "mal",
        "near_miss",
        "work_at_height",
        "fr",
    ),
    Report(
        "le couvreur est passe a travers une plaque translucide du toit chute de 5m fracture du "
        "bassin, helico",
        "injury",
        "work_at_height",
        "fr",
        True,
    ),
    Report(
        "harnais pas accroche dans la nacelle a 8m pendant le bardage",
        "hazard",
        "work_at_height",
        "fr",
    ),
    Report(
        "tranchee de 2m pas blindee les deblais au bord et un gars au fond",
        "hazard",
        "excavations",
        "fr",
    ),
    Report(
        "parois de la fouille qui s effritent apres la pluie fissures sur le bord",
        "hazard",
        "excavations",
        "fr",
    ),
    Report(
        "la pelle a touche une conduite d eau, pas de DICT ni de plan sur place",
        "near_miss",
        "excavations",
        "fr",
    ),
    Report(
        "elingue textile entaillee sur le bord et on continue a lever avec",
        "hazard",
        "lifting_operations",
        "fr",
    ),
    Report(
        "charge passee au dessus des gars pendant le levage pas de balisage",
        "near_miss",
        "lifting_operations",
        "fr",
    ),
    Report(
        "le grutier a fait un brief avant la levee plan de levage affiche zone balisee, bien joue",
        "good_practice",
        "lifting_operations",
        "fr",
    ),
    Report(
        "la grue mobile s est couchee pendant le levage du caisson, stabilisateur enfonce dans le "
        "sol. pas de blesse",
        "near_miss",
        "lifting_operations",
        "fr",
        True,
    ),
    Report(
        "rallonge avec fil denude sur le chantier scotchee et posee dans l eau",
        "hazard",
        "electrical",
        "fr",
    ),
    Report(
        "tableau electrique ouvert a l atelier pas de cadenas les jeunes mettent les mains dedans",
        "hazard",
        "electrical",
        "fr",
    ),
    Report(
        "petite decharge en branchant la perceuse sur la prise du bungalow, rien de grave",
        "injury",
        "electrical",
        "fr",
    ),
    Report(
        "flexible d air comprime s est debranche et a fouette, a failli toucher l operateur",
        "near_miss",
        "pressure_systems",
        "fr",
    ),
    Report(
        "soupape de la chaudiere vapeur fuit depuis une semaine personne vient",
        "hazard",
        "pressure_systems",
        "fr",
    ),
    Report(
        "le ballon d air du compresseur a eclate dans le local, porte arrachee, personne blesse",
        "near_miss",
        "pressure_systems",
        "fr",
        True,
    ),
    Report(
        "issue de secours bloquée par des palettes au fond du magasin !!!",
        "hazard",
        "fire_explosion",
        "fr",
    ),
    Report(
        "exercice d evacuation ce matin tout le monde dehors en 3 min mais alarme pas entendue a "
        "l atelier du fond",
        "audit_evidence",
        "fire_explosion",
        "fr",
    ),
    Report(
        "soudure sans permis de feu a cote des bidons d essence, depart de feu eteint a l "
        "extincteur",
        "near_miss",
        "fire_explosion",
        "fr",
    ),
    Report(
        "near miss ce matin le cariste a recule sans regarder a failli ecraser un preparateur, le "
        "bip marche pas",
        "near_miss",
        "vehicles_traffic",
        "fr",
    ),
    Report(
        "le fenwick roule trop vite dans l allee principale pas de separation pietons",
        "hazard",
        "vehicles_traffic",
        "fr",
    ),
    Report(
        "le camion a recule et a coince un manutentionnaire contre le quai ecrasement du bassin "
        "hospitalise",
        "injury",
        "vehicles_traffic",
        "fr",
        True,
    ),
    Report(
        "carter de protection enleve sur la presse et personne l a remis",
        "hazard",
        "machinery",
        "fr",
    ),
    Report(
        "l op a mis la main dans le convoyeur pour debloquer sans consigner, gant arrache",
        "near_miss",
        "machinery",
        "fr",
    ),
    Report(
        "consignation faite nickel sur la trancheuse avant nettoyage, cadenas perso pour chacun, "
        "top",
        "good_practice",
        "machinery",
        "fr",
    ),
    Report(
        "un carton est tombe du haut du rack et a frole un collegue personne blesse",
        "near_miss",
        "dropped_objects",
        "fr",
    ),
    Report(
        "palette cassee en hauteur dans le rack allee 9 la marchandise penche",
        "hazard",
        "dropped_objects",
        "fr",
    ),
    Report(
        "cle tombee de l echafaudage a tape le casque d un manoeuvre, il va bien",
        "near_miss",
        "dropped_objects",
        "fr",
    ),
    Report(
        "bidon sans etiquette dans le local menage personne sait ce que c est pas de FDS",
        "hazard",
        "hazardous_substances",
        "fr",
    ),
    Report(
        "projection d acide sur l avant bras pendant le depotage rince passe chez le medecin pour "
        "verifier, rien",
        "injury",
        "hazardous_substances",
        "fr",
    ),
    Report(
        "quelqu un a melange javel et detartrant, vapeurs, 2 personnes toussent",
        "injury",
        "hazardous_substances",
        "fr",
    ),
    Report(
        "fuite de gasoil du groupe electrogene dans le caniveau ca part vers la riviere",
        "environmental_incident",
        "environmental_release",
        "fr",
    ),
    Report(
        "bac de retention des cuves d huile plein et le kit antipollution est vide",
        "hazard",
        "environmental_release",
        "fr",
    ),
    Report(
        "huile hydraulique sur le parking la pelle perd environ 10L",
        "environmental_incident",
        "environmental_release",
        "fr",
    ),
    Report(
        "decoupe de parpaings a sec nuage de poussiere qui part chez les voisins",
        "hazard",
        "emissions_noise_dust",
        "fr",
    ),
    Report(
        "les riverains se plaignent du bruit du brise roche avant 7h",
        "environmental_incident",
        "emissions_noise_dust",
        "fr",
    ),
    Report("benne DIB qui deborde platre et bois melanges aucun tri", "hazard", "waste", "fr"),
    Report(
        "dechets dangereux pots de peinture aerosols poses par terre derriere le bungalow sans bac",
        "hazard",
        "waste",
        "fr",
    ),
    Report(
        "sacs de farine de 25kg portes a la main toute la nuit pas de palonnier",
        "hazard",
        "manual_handling",
        "fr",
    ),
    Report(
        "tour de rein en soulevant un moteur a 2, arret de travail 3 semaines",
        "injury",
        "manual_handling",
        "fr",
        True,
    ),
    Report(
        "poste de conditionnement trop haut on bosse les bras en l air toute la journee mal aux "
        "epaules",
        "hazard",
        "ergonomics",
        "fr",
    ),
    Report(
        "ecran du poste de pesee trop bas et la chaise est cassee", "hazard", "ergonomics", "fr"
    ),
    Report(
        "coupure au doigt avec le cutter en ouvrant les cartons pansement et reprise",
        "injury",
        "hand_tools_sharps",
        "fr",
    ),
    Report(
        "couteaux de desossage pas affutes et un manche fendu les gars forcent",
        "hazard",
        "hand_tools_sharps",
        "fr",
    ),
    Report(
        "sol glissant avec la graisse zone cuisson pas de panneau",
        "hazard",
        "slips_trips_falls",
        "fr",
    ),
    Report(
        "glisse sur le verglas au parking aurait pu se casser la jambe, juste des bleus",
        "injury",
        "slips_trips_falls",
        "fr",
    ),
    Report(
        "trebuche sur une marche abimee dans l escalier du bureau, orteil fracture 3 jours d arret",
        "injury",
        "slips_trips_falls",
        "fr",
    ),
    Report("interimaires sans chaussures de secu ni gilet dans l entrepot", "hazard", "ppe", "fr"),
    Report(
        "personne porte les bouchons d oreilles a l embouteillage le distributeur est vide",
        "hazard",
        "ppe",
        "fr",
    ),
    Report(
        "distribution des nouvelles lunettes de secu ce matin tout le monde les porte",
        "good_practice",
        "ppe",
        "fr",
    ),
    Report(
        "allee encombree de cartons vides et de film on passe plus avec le transpal",
        "hazard",
        "housekeeping",
        "fr",
    ),
    Report(
        "atelier en bordel outils par terre partout rien n est range",
        "hazard",
        "housekeeping",
        "fr",
    ),
    Report(
        "pas de papier ni de savon aux toilettes du chantier depuis lundi",
        "hazard",
        "welfare",
        "fr",
    ),
    Report("le réfectoire a pas de chauffage 10° a la pause", "hazard", "welfare", "fr"),
    Report("trousse de secours du vestiaire vide", "hazard", "welfare", "fr"),
    # --- Spanish -------------------------------------------------------------------------
    Report(
        "dos chavales metidos en el silo pa desatascar sin detector de gases ni nadie fuera "
        "vigilando",
        "hazard",
        "confined_spaces",
        "es",
    ),
    Report(
        "compañero se desmayo dentro del deposito por falta de oxigeno lo sacaron los bomberos "
        "inconsciente esta en el hospital",
        "injury",
        "confined_spaces",
        "es",
        True,
    ),
    Report(
        "entrada al tanque hoy con permiso firmado medicion de gases cada media hora y recurso "
        "preventivo fuera, bien hecho",
        "good_practice",
        "confined_spaces",
        "es",
    ),
    Report(
        "andamio sin barandilla en el tercer nivel y la gente trabajando encima",
        "hazard",
        "work_at_height",
        "es",
    ),
    Report(
        "casi me caigo de la escalera se movio la pata, no paso nada",
        "near_miss",
        "work_at_height",
        "es",
    ),
    Report(
        "resbalo en el tejado y se quedo colgando del arnes, lo bajaron sin lesiones",
        "near_miss",
        "work_at_height",
        "es",
    ),
    Report(
        "el scaffold se ha venido abajo con el viento esta noche, no habia nadie, todo encima de "
        "la valla",
        "near_miss",
        "work_at_height",
        "es",
        True,
    ),
    Report(
        "zanja de 2 metros sin entibar y la tierra justo al borde ?!", "hazard", "excavations", "es"
    ),
    Report(
        "la maquina ha pillado un cable enterrado nadie paso el detector antes de excavar",
        "near_miss",
        "excavations",
        "es",
    ),
    Report(
        "revision de la excavacion hecha talud bien escalera de acceso parte diario firmado",
        "audit_evidence",
        "excavations",
        "es",
    ),
    Report(
        "eslinga con el cosido roto y sin etiqueta y la siguen usando en la grua",
        "hazard",
        "lifting_operations",
        "es",
    ),
    Report(
        "el gruista paso la carga por encima de la gente y nadie con tag line",
        "near_miss",
        "lifting_operations",
        "es",
    ),
    Report(
        "se partio el cable del polipasto y la carga cayo al suelo, nadie debajo de milagro",
        "near_miss",
        "lifting_operations",
        "es",
        True,
    ),
    Report(
        "alargador con el cable pelado en el pasillo arreglado con cinta americana",
        "hazard",
        "electrical",
        "es",
    ),
    Report(
        "me dio calambre el enchufe de la maquina de cafe fui al medico a revisar y todo bien",
        "injury",
        "electrical",
        "es",
    ),
    Report(
        "cuadro electrico de obra abierto y sin llave y esta lloviendo",
        "hazard",
        "electrical",
        "es",
    ),
    Report(
        "la manguera del compresor se solto y empezo a dar latigazos casi le da a un compañero",
        "near_miss",
        "pressure_systems",
        "es",
    ),
    Report(
        "la valvula de seguridad del calderin no tiene revision y pierde aire",
        "hazard",
        "pressure_systems",
        "es",
    ),
    Report(
        "fuga de gas grande en la linea de la caldera no se podia cerrar la llave, evacuamos y "
        "vinieron los bomberos",
        "near_miss",
        "pressure_systems",
        "es",
        True,
    ),
    Report(
        "salida de emergencia bloqueada con palets en el almacen", "hazard", "fire_explosion", "es"
    ),
    Report(
        "simulacro de incendio hoy todos en el punto de reunion en 4 min, faltaba la lista de los "
        "de la ETT",
        "audit_evidence",
        "fire_explosion",
        "es",
    ),
    Report(
        "explosion en la zona de carga de baterias, fuego, un compañero con quemaduras graves en "
        "cara y manos, al hospital",
        "injury",
        "fire_explosion",
        "es",
        True,
    ),
    Report(
        "el toro dio marcha atras sin pitar y casi atropella a un preparador",
        "near_miss",
        "vehicles_traffic",
        "es",
    ),
    Report(
        "el forklift driver va a toda leche por el warehouse y no hay walkway para los peatones",
        "hazard",
        "vehicles_traffic",
        "es",
    ),
    Report(
        "la transpaleta electrica le piso el pie, llevaba botas de seguridad solo un golpe",
        "injury",
        "vehicles_traffic",
        "es",
    ),
    Report(
        "han quitado el resguardo de la cortadora de pan y puenteado el micro de la puerta",
        "hazard",
        "machinery",
        "es",
    ),
    Report("la seta de emergencia de la linea 2 no funciona", "hazard", "machinery", "es"),
    Report(
        "se le engancho la manga en la cinta transportadora y le arrastro el brazo fractura de "
        "brazo ingresado",
        "injury",
        "machinery",
        "es",
        True,
    ),
    Report(
        "se cayo una caja de la estanteria de arriba paso rozando a un compañero nadie herido",
        "near_miss",
        "dropped_objects",
        "es",
    ),
    Report(
        "palet roto en lo alto de la estanteria con la mercancia asomando",
        "hazard",
        "dropped_objects",
        "es",
    ),
    Report(
        "material suelto encima de la marquesina de la entrada con este viento se va a caer",
        "hazard",
        "dropped_objects",
        "es",
    ),
    Report(
        "garrafa sin etiqueta en el almacen de limpieza no hay ficha de seguridad",
        "hazard",
        "hazardous_substances",
        "es",
    ),
    Report(
        "le salpico sosa en el ojo limpiando lavaojos 15 min y al medico por si acaso, nada",
        "injury",
        "hazardous_substances",
        "es",
    ),
    Report(
        "placas de uralita rotas en la nave vieja posible amianto y la gente barriendo",
        "hazard",
        "hazardous_substances",
        "es",
    ),
    Report(
        "derrame de gasoil del grupo electrogeno a la arqueta de pluviales",
        "environmental_incident",
        "environmental_release",
        "es",
    ),
    Report(
        "se rompio un bidon de aceite en el patio 50 litros al suelo usamos el kit antiderrames",
        "environmental_incident",
        "environmental_release",
        "es",
    ),
    Report(
        "cubeto de los depositos lleno de agua de lluvia con aceite flotando",
        "hazard",
        "environmental_release",
        "es",
    ),
    Report(
        "cortando ladrillo con la radial en seco polvo por toda la calle",
        "hazard",
        "emissions_noise_dust",
        "es",
    ),
    Report(
        "los vecinos se quejan del ruido del generador por la noche",
        "environmental_incident",
        "emissions_noise_dust",
        "es",
    ),
    Report(
        "el skip esta overflowing y hay bolsas tiradas por todo el yard", "hazard", "waste", "es"
    ),
    Report(
        "contenedor de residuos peligrosos sin tapa trapos con aceite mezclados con basura normal",
        "hazard",
        "waste",
        "es",
    ),
    Report(
        "buena separacion de residuos esta semana carton madera y plastico cada uno en su "
        "contenedor",
        "good_practice",
        "waste",
        "es",
    ),
    Report(
        "cargando sacos de cemento de 25 kilos a mano todo el dia sin carretilla",
        "hazard",
        "manual_handling",
        "es",
    ),
    Report(
        "tiron en la espalda al levantar una caja de 30kg yo solo, fui a la mutua 2 dias de baja",
        "injury",
        "manual_handling",
        "es",
    ),
    Report(
        "la mesa de envasado esta muy baja todo el turno agachados", "hazard", "ergonomics", "es"
    ),
    Report(
        "8 horas con el martillo percutor manos dormidas y hormigueo", "hazard", "ergonomics", "es"
    ),
    Report(
        "corte en el dedo con el cuter abriendo cajas tirita del botiquin y a seguir",
        "injury",
        "hand_tools_sharps",
        "es",
    ),
    Report(
        "cuchillos sin afilar en la sala de despiece y uno con el mango roto",
        "hazard",
        "hand_tools_sharps",
        "es",
    ),
    Report(
        "suelo mojado en la camara y sin señal de suelo mojado", "hazard", "slips_trips_falls", "es"
    ),
    Report(
        "tropezo con una manguera en el pasillo se pudo romper la pierna, solo rasguños",
        "injury",
        "slips_trips_falls",
        "es",
    ),
    Report(
        "la gente de la subcontrata sin casco ni chaleco en obra otra vez...", "hazard", "ppe", "es"
    ),
    Report(
        "no hay guantes de corte talla M y la gente trabaja sin ellos, el manager dice no hay PPE",
        "hazard",
        "ppe",
        "es",
    ),
    Report(
        "reparto de tapones y orejeras nuevas todo el mundo los lleva puestos",
        "good_practice",
        "ppe",
        "es",
    ),
    Report(
        "pasillo 5 bloqueado con cajas vacias y plastico,,, no se puede pasar",
        "hazard",
        "housekeeping",
        "es",
    ),
    Report(
        "inspeccion orden y limpieza taller: herramientas tiradas banco lleno de trastos nota 5/10",
        "audit_evidence",
        "housekeeping",
        "es",
    ),
    Report(
        "no hay agua caliente en los vestuarios y el baño de la obra lleva 3 dias sin limpiar",
        "hazard",
        "welfare",
        "es",
    ),
    Report("la sala de descanso sin aire acondicionado a 35 grados", "hazard", "welfare", "es"),
    Report("botiquin del comedor vacio", "hazard", "welfare", "es"),
]
