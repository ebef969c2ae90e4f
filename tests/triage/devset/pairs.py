"""Pairs of reports from one site, for measuring duplicate detection.

DUPLICATES: two workers report the same thing in their own words (often another language).
LOOKALIKES: same corner of the site, near-identical photos, unrelated problems.
DIFFERENT: same site and a similar topic, but two separate events.
The comment above each pair gives the languages of its two reports.
"""

from tests.triage.devset import Pair

DUPLICATES = [
    # en/pl
    Pair(
        "diesel pouring out the genny by gate 2 and running straight in the drain",
        "wyciek ropy z agregatu przy bramie nr 2 plama idzie do kratki sciekowej",
        "environmental_incident",
        0.5,
    ),
    # en/en
    Pair(
        "guard off the bandsaw in joinery someone took it off and left it on the bench",
        "joinery shop big saw running with blade exposed no cover fitted since this morning",
        "hazard",
        2.0,
    ),
    # en/ro
    Pair(
        "back fire exit at despatch blocked with roll cages again",
        "iesirea de urgenta din spate la expeditie e plina de carucioare nu se poate deschide usa",
        "hazard",
        3.5,
    ),
    # en/pt
    Pair(
        "flt reversed out of aisle 14 nearly took out a picker no horn no beacon",
        "empilhador saiu de marcha atras do corredor 14 quase atropelou um colega nao apitou nada",
        "near_miss",
        0.2,
    ),
    # en/en
    Pair(
        "big puddle by canteen entrance from the roof leak someone will go over",
        "water dripping from cieling outside the food hall doors floor is lethal",
        "hazard",
        5.0,
    ),
    # en/de
    Pair(
        "extension lead in workshop 3 cut through to the copper still plugged in",
        "Verlängerungskabel in Werkstatt 3 beschädigt Isolierung kaputt man sieht die Drähte",
        "hazard",
        1.0,
    ),
    # en/es
    Pair(
        "scaffold east elevation missing toe boards and a handrail on 3rd lift",
        "andamio fachada este le falta la barandilla en el tercer nivel y los rodapies tambien",
        "hazard",
        6.0,
    ),
    # en/fr
    Pair(
        "unlabelled drum of something stinky dumped next to the wash bay",
        "bidon sans etiquette pres de la station de lavage ca sent fort le solvant",
        "hazard",
        4.0,
    ),
    # en/en
    Pair(
        "box fell off the top of racking bay 22 landed a metre from me",
        "carton came down from high level in 22 nobody hit but close call for the lad picking",
        "near_miss",
        0.3,
    ),
    # en/it
    Pair(
        "no hot water in mens toilets block B for 2 days now",
        "bagni uomini blocco b acqua calda non funziona da due giorni",
        "hazard",
        20.0,
    ),
    # en/pl
    Pair(
        "agency lads on line 4 no ear defenders again",
        "na linii 4 ludzie z agencji pracuja bez ochronnikow sluchu",
        "hazard",
        1.5,
    ),
    # en/en
    Pair(
        "sling on crane 2 badly frayed still being used",
        "webbing strop on the overhead gantry has a cut along the edge and the tag is out of date",
        "hazard",
        8.0,
    ),
    # en/ro
    Pair(
        "digger hit a cable in the trench by car park sparks everyone out",
        "excavatorul a lovit un cablu electric in sant langa parcare au sarit scantei",
        "near_miss",
        0.1,
    ),
    # en/de
    Pair(
        "air line to the press shop hissing at the coupling whips when you touch it",
        "Druckluftschlauch Presserei undicht am Kupplungsstück schlägt hin und her",
        "hazard",
        2.5,
    ),
    # en/en
    Pair(
        "walkway by goods in full of empty pallets cant get through",
        "receiving pedestrian route stacked with pallets had to walk in the truck lane to get past",
        "hazard",
        3.0,
    ),
    # en/pl
    Pair(
        "2 contractors went in the tank at the effluent plant no gas test done",
        "weszli do zbiornika w oczyszczalni bez pomiaru gazu nikt nie stal na zewnatrz",
        "near_miss",
        1.0,
    ),
    # en/pt
    Pair(
        "hurt my back lifting the 25kg bags at mixing, the hoist is broke",
        "colega magoou as costas a levantar os sacos de 25 kg na mistura o elevador esta avariado",
        "injury",
        0.8,
    ),
    # en/en
    Pair(
        "packing bench 3 way too low everyone bent over all shift",
        "station three in packing table height wrong my back kills after 2 hrs",
        "hazard",
        26.0,
    ),
    # en/es
    Pair(
        "snap off knife with a snapped blade being used at unpacking",
        "cuter roto en desembalaje la cuchilla esta partida y lo siguen usando",
        "hazard",
        4.5,
    ),
    # en/ro
    Pair(
        "yard skip overflowing rubbish blowing everywhere",
        "containerul de gunoi din curte e plin ochi zboara gunoaie peste tot pe vant",
        "hazard",
        7.0,
    ),
    # en/en
    Pair(
        "dust cloud from cutting slabs drifting onto the houses next door",
        "neighbour at the gate moaning about grey powder on her car its the disc cutter at paving",
        "environmental_incident",
        2.0,
    ),
    # de/de
    Pair(
        "Feuerlöscher bei Halle 2 fehlt Halterung leer",
        "in halle 2 am tor kein loeschgeraet mehr da nur noch der haken an der wand",
        "hazard",
        10.0,
    ),
    # fr/fr
    Pair(
        "camion qui recule sans guide sur le parking poids lourds",
        "chauffeur en marche arriere dans la cour pietons derriere personne pour le guider",
        "near_miss",
        0.4,
    ),
    # pl/pl
    Pair(
        "na prasie 6 ktos zakleil czujnik drzwi tasma",
        "prasa nr 6 blokada obejscie krancowki zaklejone maszyna chodzi z otwarta oslona",
        "hazard",
        3.0,
    ),
    # es/es
    Pair(
        "aceite en el suelo del taller junto al torno",
        "mancha de grasa delante del torno casi me caigo de culo",
        "hazard",
        1.2,
    ),
    # pt/pt
    Pair(
        "quadro eletrico do armazem aberto com fios a mostra",
        "armario de electricidade sem porta no armazem cabos soltos pendurados",
        "hazard",
        12.0,
    ),
    # it/it
    Pair(
        "scala rotta usata in magazzino manca un piolo",
        "la scaletta del deposito ha un gradino spaccato e ci salgono lo stesso",
        "hazard",
        5.5,
    ),
    # ro/ro
    Pair(
        "de pe schela de pe fatada nord a cazut o cheie langa mine",
        "cineva a scapat o unealta pe partea de nord a aterizat pe trotuar unde trec oamenii",
        "near_miss",
        0.6,
    ),
    # en/en
    Pair(
        "got acid on my forearm topping up batteries eye wash bottle empty",
        "mate burnt his arm with battery electrolyte at charge bay rinsed at sink station empty",
        "injury",
        0.3,
    ),
    # en/it
    Pair(
        "oil coming out the compactor into the surface water drain in the yard",
        "olio che esce dalla pressa rifiuti e va nel tombino del piazzale",
        "environmental_incident",
        1.0,
    ),
    # en/ro
    Pair(
        "bloke walked out between trailers at bay 7 and shunter nearly had him",
        "la rampa 7 un om a iesit dintre remorci si tractorul de manevra aproape l-a lovit",
        "near_miss",
        0.5,
    ),
    # en/fr
    Pair(
        "load swung over the lads during crane lift in steel yard no tag lines",
        "levage au parc acier la charge est passee au dessus des gars pas de cordes de guidage",
        "near_miss",
        0.7,
    ),
    # en/es
    Pair(
        "fire door stairwell B wedged open with a fire extinguisher",
        "puerta cortafuegos escalera b sujeta abierta con un extintor",
        "hazard",
        9.0,
    ),
    # en/de
    Pair(
        "visitors wandering the shop floor no hi vis no boots",
        "Besucher in der Produktion ohne Warnweste und Sicherheitsschuhe unterwegs",
        "hazard",
        0.9,
    ),
    # en/pt
    Pair(
        "maintenance workshop is a tip parts and rags all over benches and floor",
        "oficina da manutencao toda desarrumada pecas e trapos espalhados por todo o lado",
        "hazard",
        18.0,
    ),
    # en/en
    Pair(
        "first aid kit in the loading office empty no plasters no nothing",
        "went for a plaster from the green box in transport office its completely bare",
        "hazard",
        14.0,
    ),
    # en/pl
    Pair(
        "compressor house door left open noise outside is unreal",
        "drzwi od sprezarkowni otwarte halas na zewnatrz nie do wytrzymania",
        "hazard",
        2.0,
    ),
    # en/en
    Pair(
        "haz waste cage unlocked aerosols and oily rags mixed in with general",
        "chucked spray cans and dirty cloths in the normal bin special waste store left open",
        "hazard",
        4.0,
    ),
    # en/ro
    Pair(
        "two of us carrying 60kg motors up the stairs no trolley",
        "motoarele de 60 kg le carem pe scari cate doi nu avem carucior",
        "hazard",
        22.0,
    ),
    # en/en
    Pair(
        "trench on new drainage run 2m deep no shoring no barrier",
        "open dig for the drains deep sides not supported nothing stopping anyone falling in",
        "hazard",
        3.0,
    ),
    # en/de
    Pair(
        "guy went down the sump pit at pump station on his own no standby",
        "Kollege allein in den Pumpenschacht gestiegen kein Sicherungsposten oben",
        "near_miss",
        0.4,
    ),
    # de/de
    Pair(
        "Bildschirmarbeitsplatz Versandbüro Stuhl kaputt Rückenlehne lose",
        "im versand buero wackelt der drehstuhl die lehne haelt nicht mehr sitzen 8 std drauf",
        "hazard",
        28.0,
    ),
    # fr/it
    Pair(
        "meuleuse sans carter de protection utilisee a l atelier",
        "in officina usano la smerigliatrice senza la protezione del disco",
        "hazard",
        6.0,
    ),
    # en/ro
    Pair(
        "got a tingle off the metal kettle in the drivers room",
        "in camera soferilor fierbatorul da curent cand il atingi",
        "near_miss",
        11.0,
    ),
    # pl/en
    Pair(
        "schody do biura oblodzone ktos prawie zlecial nikt nie posypal",
        "outside office steps iced over not gritted saw a fella nearly go down",
        "near_miss",
        1.5,
    ),
    # pt/es
    Pair(
        "valvula de seguranca do reservatorio de ar esta a pingar e o manometro partido",
        "el calderin del compresor tiene el reloj roto y la valvula de alivio gotea",
        "hazard",
        16.0,
    ),
    # en/en
    Pair(
        "forklifts flying round the yard way over the limit",
        "flt drivers doing 15 plus in the 5mph zone outside the warehouse seen it all morning",
        "hazard",
        4.0,
    ),
    # en/pl
    Pair(
        "pallet hanging half off the top beam in aisle C",
        "w alejce C na gorze regalu paleta wystaje poza belke moze spasc",
        "hazard",
        0.6,
    ),
    # en/fr
    Pair(
        "estop on packing line conveyor didnt stop it when pressed",
        "arret d urgence du convoyeur ligne emballage ne coupe pas la machine teste ce matin",
        "near_miss",
        2.0,
    ),
    # es/pt
    Pair(
        "en la grua del patio usan un grillete que no tiene ni marca ni certificado",
        "manilha velha sem identificacao no gancho ninguem sabe a carga que aguenta",
        "hazard",
        5.0,
    ),
    # ro/ro
    Pair(
        "scurgere de motorina la rezervorul generatorului cuva e plina de apa si deverseaza",
        "bazinul de retentie de la generator s a umplut si curge combustibil pe pamant",
        "environmental_incident",
        1.0,
    ),
    # it/it
    Pair(
        "saldatura vicino ai fusti di diluente senza permesso",
        "stanno saldando a due metri dai bidoni di solvente nessuno con l estintore vicino",
        "hazard",
        0.5,
    ),
    # en/en
    Pair(
        "tripped on the hose left across the walkway at the wash bay",
        "pressure washer pipe laid over the footpath by the truck wash i nearly went flying",
        "near_miss",
        3.0,
    ),
    # de/pl
    Pair(
        "Gabelstaplerfahrer am Tor 4 ohne Gurt und telefoniert beim Fahren",
        "operator wozka przy bramie 4 jezdzi bez pasa i gada przez telefon",
        "hazard",
        1.0,
    ),
]

LOOKALIKES = [
    # en/en
    Pair(
        "shrink wrap and strapping all over the floor at loading door 3",
        "leveller on door 3 wont lower hydraulic pump groaning maintenance called",
        "hazard",
        2.0,
    ),
    # en/pl
    Pair(
        "fire extinguisher gone from the canteen wall",
        "w stolowce z kranu leci tylko zimna woda",
        "hazard",
        6.0,
    ),
    # en/en
    Pair(
        "charger lead for the reach trucks split near the plug in charging bay",
        "roof drips onto the floor of charging bay when it rains big wet patch",
        "hazard",
        12.0,
    ),
    # de/de
    Pair(
        "an der Rampe 2 ist der Hubwagen hinüber Räder blockieren",
        "Rampe 2 Torabdichtung gerissen zieht wie Hechtsuppe Kollegen frieren",
        "hazard",
        24.0,
    ),
    # en/ro
    Pair(
        "racking upright bent in aisle 9 bottom beam knocked",
        "pe culoarul 9 un coleg culege fara manusi si se taie la cutii",
        "hazard",
        5.0,
    ),
    # en/es
    Pair(
        "coolant all over the floor round the cnc lathe",
        "en el torno cnc la pantalla de proteccion esta rota y saltan virutas",
        "hazard",
        3.0,
    ),
    # en/en
    Pair(
        "skip by the back gate full and overflowing",
        "artic reversed towards the back gate with no banksman kids walking past outside",
        "near_miss",
        7.0,
    ),
    # en/pt
    Pair(
        "scaffold on block A no toe boards top lift",
        "trabalhador no bloco A sem capacete debaixo do andaime",
        "hazard",
        1.0,
    ),
    # en/en
    Pair(
        "compressor room so loud cant hear yourself think",
        "air receiver in compressor room inspection sticker expired last year",
        "hazard",
        30.0,
    ),
    # fr/fr
    Pair(
        "dans les toilettes du rdc plus de savon depuis lundi",
        "au rez de chaussee le bouton d alarme incendie du couloir a la vitre cassee",
        "hazard",
        8.0,
    ),
    # en/de
    Pair(
        "trailing cable across the office floor by reception desk",
        "Empfang der Bürostuhl ist zu hoch kein Fußhocker Nacken tut weh",
        "hazard",
        40.0,
    ),
    # en/it
    Pair(
        "unlabelled thinners tins on the shelf in the paint shop",
        "in verniciatura l aspiratore fa un rumore assurdo cuscinetti andati",
        "hazard",
        4.0,
    ),
    # pl/pl
    Pair(
        "przy rampie 5 kierowca pali papierosa obok paliwa",
        "rampa 5 guma na dole bramy urwana woda wlatuje do srodka",
        "hazard",
        9.0,
    ),
    # en/en
    Pair(
        "oily water from the wash bay going in the drain",
        "cut my hand on the damaged lance of the jet washer in the wash bay",
        "injury",
        15.0,
    ),
    # ro/en
    Pair(
        "groapa mare in asfalt in parcarea angajatilor m am impiedicat",
        "staff car park cars doing 30 past the smoking shelter",
        "hazard",
        20.0,
    ),
    # en/es
    Pair(
        "mezzanine gate missing edge open by the pick face",
        "subir cajas de 30 kilos por la escalera del altillo a mano todo el dia",
        "hazard",
        2.5,
    ),
    # en/pl
    Pair(
        "press 3 light curtain removed",
        "przy prasie 3 nikt nie nosi nausznikow",
        "hazard",
        1.0,
    ),
    # en/en
    Pair(
        "step ladder in stores has a cracked stile",
        "loose stanley blades rattling about in the tray on the stores counter",
        "hazard",
        10.0,
    ),
    # de/en
    Pair(
        "Tanklager Auffangwanne Ablassventil offen",
        "ladder cage on diesel tank 2 rusted through at the top",
        "hazard",
        36.0,
    ),
    # en/fr
    Pair(
        "bench grinder in the fab shop has no tool rest or guard",
        "atelier soudure pas d aspiration les fumees restent dans la halle",
        "hazard",
        6.0,
    ),
    # en/en
    Pair(
        "parcel fell off the end of the incline conveyor at goods in",
        "goods in team lifting 30kg boxes off the conveyor all day no assist",
        "near_miss",
        0.5,
    ),
    # en/ro
    Pair(
        "fragile rooflight on unit 4 roof not covered or netted",
        "in unitatea 4 jgheabul curge in hala e balta pe jos",
        "hazard",
        18.0,
    ),
    # en/en
    Pair(
        "spoil heap right on the edge of the foundation dig",
        "genny next to the foundations dripping diesel on the ground",
        "hazard",
        3.0,
    ),
    # en/it
    Pair(
        "crane hook on the 10t overhead missing its safety latch",
        "nella cabina del carroponte il riscaldamento non va si gela",
        "hazard",
        48.0,
    ),
    # es/es
    Pair(
        "en el pasillo de oficinas una baldosa levantada ya tropezo alguien",
        "pasillo de oficinas el extintor tiene la revision caducada",
        "hazard",
        22.0,
    ),
    # pt/en
    Pair(
        "abrigo de fumadores cinzeiro a transbordar pontas por todo o lado",
        "security light by smoking shelter out pitch black at night shift",
        "hazard",
        27.0,
    ),
    # en/en
    Pair(
        "fryer in canteen kitchen caught fire, put out with blanket",
        "canteen microwave door broken nowhere to heat food",
        "hazard",
        5.0,
    ),
    # en/de
    Pair(
        "switch room door left open panel cover off",
        "im Schaltraum lagern Kartons bis zur Decke",
        "hazard",
        13.0,
    ),
    # en/pl
    Pair(
        "pump station inspection chamber entered without a permit",
        "pompa w przepompowni cieknie olej z uszczelnienia",
        "hazard",
        4.0,
    ),
    # en/en
    Pair(
        "chem store door left unlocked overnight",
        "spill kit outside chemical store has nothing left in it",
        "hazard",
        16.0,
    ),
    # en/ro
    Pair(
        "boiler house relief valve hissing constantly",
        "in camera centralei izolatia veche de pe tevi se farama poate e azbest",
        "hazard",
        35.0,
    ),
    # en/en
    Pair(
        "dust everywhere from the crusher when the wind picks up",
        "crusher conveyor tail drum no guard belt drifting off",
        "hazard",
        2.0,
    ),
    # fr/en
    Pair(
        "dans la cabane de chantier le chauffage ne marche plus",
        "site cabin extension leads daisy chained 4 deep under the desk",
        "hazard",
        8.0,
    ),
    # en/en
    Pair(
        "barrier arm at the gatehouse snapped trucks driving straight through",
        "gatehouse guard stands 12 hours no seat provided",
        "hazard",
        30.0,
    ),
    # it/it
    Pair(
        "nello spogliatoio le docce sono fredde da una settimana",
        "spogliatoio armadietti pieni di lamette e taglierini lasciati aperti",
        "hazard",
        42.0,
    ),
    # en/es
    Pair(
        "pallet truck with broken handle left in middle of bay 6",
        "muelle 6 el camion se movio mientras cargaban no tenian calzos",
        "near_miss",
        1.5,
    ),
    # en/en
    Pair(
        "loading bay lights out on dock 1 dark in the trailers",
        "dock 1 bin full of wet cardboard and food wrappers stinking",
        "hazard",
        11.0,
    ),
    # pl/ro
    Pair(
        "na magazynie wysokiego skladowania karton spadl z 4 poziomu",
        "in depozitul cu rafturi inalte nu e apa de baut la dozator de ieri",
        "hazard",
        25.0,
    ),
    # en/de
    Pair(
        "IBC of caustic leaking slightly in the dosing room",
        "Dosierraum Notdusche Wasser braun und Druck zu schwach",
        "hazard",
        3.0,
    ),
    # en/en
    Pair(
        "scissor lift left raised in warehouse corner keys in",
        "warehouse corner roller shutter motor burning smell",
        "hazard",
        6.0,
    ),
    # en/pt
    Pair(
        "manhole cover by the workshop rocking when you walk on it",
        "ao pe da oficina o tubo de escape do gerador deita fumo preto para as janelas",
        "hazard",
        19.0,
    ),
    # en/en
    Pair(
        "glass bottle smashed in the tea room shards under the table",
        "tea room fridge not keeping cold milk going off",
        "hazard",
        7.0,
    ),
    # ro/ro
    Pair(
        "la linia de ambalare banda transportoare nu are capac la role",
        "la linia de ambalare colega sta in picioare 12 ore pe beton fara covoras",
        "hazard",
        14.0,
    ),
    # en/fr
    Pair(
        "weld bay screens ripped arc flash into the walkway",
        "zone soudure bouteilles d acetylene pas attachees au mur",
        "hazard",
        9.0,
    ),
    # en/en
    Pair(
        "someone left an open bucket of bleach on the cleaners trolley in corridor",
        "corridor by the cleaners cupboard emergency light not working",
        "hazard",
        21.0,
    ),
    # es/en
    Pair(
        "en la zona de carga de baterias falta la ducha lavaojos",
        "battery charging area truck parked across the pedestrian walkway",
        "hazard",
        4.5,
    ),
    # en/en
    Pair(
        "rooftop plant area handrail loose on the access ladder",
        "rooftop extract fan making a racket neighbours complaining about hum at night",
        "hazard",
        44.0,
    ),
    # de/it
    Pair(
        "Rampe 8 Überladebrücke Lippe klappt nicht aus",
        "alla baia 8 bancali di cartone buttati a terra nessuno li raccoglie",
        "hazard",
        2.0,
    ),
    # en/en
    Pair(
        "lathe 2 chuck key left in the chuck again",
        "floor round lathe 2 swarf everywhere and slippy with oil",
        "hazard",
        0.1,
    ),
    # en/ro
    Pair(
        "yard fuel bowser nozzle dripping onto the concrete",
        "in curte la pompa de motorina soferul fara vesta reflectorizanta",
        "hazard",
        5.0,
    ),
]

DIFFERENT = [
    # en/pl: two oil leaks on different machines
    Pair(
        "hydraulic oil leaking from press 4 pooling under the bed",
        "przekladnia przenosnika nr 2 cieknie olej na posadzke",
        "hazard",
        6.0,
    ),
    # en/en: two forklift near misses in different aisles
    Pair(
        "forklift came round the end of aisle 3 too fast nearly hit me",
        "reach truck in aisle 17 reversed into the walkway missed a picker by inches",
        "near_miss",
        28.0,
    ),
    # en/ro: two different blocked fire exits
    Pair(
        "north stairwell fire exit blocked by stacked chairs",
        "usa de evacuare din spate de la expeditie blocata cu paleti",
        "hazard",
        10.0,
    ),
    # en/de: extinguisher missing vs extinguisher discharged elsewhere
    Pair(
        "fire extinguisher missing from the canteen bracket",
        "Feuerlöscher in der Werkstatt leer gesprüht und wieder hingehängt",
        "hazard",
        15.0,
    ),
    # en/en: two guards missing on different machines
    Pair(
        "guard off the bandsaw in joinery",
        "pillar drill in maintenance chuck guard removed and not refitted",
        "hazard",
        48.0,
    ),
    # pt/en: two dropped objects, racking vs scaffold
    Pair(
        "caiu uma caixa do topo da estante no corredor 4",
        "scaffolder dropped a clip off the 2nd lift onto the path by the site office",
        "near_miss",
        5.0,
    ),
    # en/es: two slips, wet toilets vs icy car park
    Pair(
        "slipped on the wet floor in the ladies toilets after cleaning no sign",
        "resbale en el hielo del aparcamiento por la manana nadie echo sal",
        "injury",
        33.0,
    ),
    # en/fr: two damaged cables on different equipment
    Pair(
        "kettle lead in the finance office has the outer sheath split",
        "cable du poste a souder coupe a l atelier on voit les fils",
        "hazard",
        20.0,
    ),
    # en/en: two unprotected trenches on different parts of the site
    Pair(
        "trench by the car park open no barriers overnight",
        "east boundary service trench sides caving in nobody shoring it",
        "hazard",
        60.0,
    ),
    # it/pl: two PPE lapses in different areas
    Pair(
        "alla mola in officina lavorano senza occhiali",
        "na rusztowaniu przy bloku B jeden bez kasku",
        "hazard",
        3.0,
    ),
    # en/en: diesel at the bowser vs hydraulic oil from a parked excavator
    Pair(
        "diesel overflowing from the bowser when filling the dumper",
        "excavator parked by the spoil heap burst a hose oil on the ground",
        "environmental_incident",
        12.0,
    ),
]
