"""Field reports in Portuguese, Italian, Polish and Romanian, as typed on a phone on site.

Portuguese mixes Portugal and Brazil; Polish and Romanian lines from crews in the UK and Germany
carry English or German words and are labelled with their main language. Diacritics are often
missing on purpose.
"""

from tests.triage.devset import Report

PT = [
    # confined_spaces
    Report(
        "entraram no tanque 3 sem medir o gas e ninguem ficou de vigia ca fora",
        "hazard",
        "confined_spaces",
        "pt",
    ),
    Report(
        "colega desmaiou na fossa de esgoto sem oxigenio tiramos ele desacordado foi pro hospital",
        "injury",
        "confined_spaces",
        "pt",
        True,
    ),
    Report(
        "detetor apitou o2 baixo logo ao descer na cisterna sai na hora ninguem se magoou",
        "near_miss",
        "confined_spaces",
        "pt",
    ),
    # work_at_height
    Report(
        "andaime do bloco B sem guarda corpo no 3 piso e tabuas soltas",
        "hazard",
        "work_at_height",
        "pt",
    ),
    Report(
        "andaime da fachada abanou todo com o vento, amarracoes soltas, ninguem subiu hoje",
        "hazard",
        "work_at_height",
        "pt",
    ),
    Report(
        "trabalhador caiu do telhado pela claraboia partiu a bacia levado pro hospital",
        "injury",
        "work_at_height",
        "pt",
        True,
    ),
    Report(
        "podia ter partido a perna, buraco no piso do mezanino tapado so com um cartao",
        "near_miss",
        "work_at_height",
        "pt",
    ),
    Report(
        "inspecao semanal dos andaimes feita hj etiquetas verdes colocadas em todos",
        "audit_evidence",
        "work_at_height",
        "pt",
    ),
    # excavations
    Report(
        "vala com uns 2m de fundo sem escoramento e o pessoal la dentro a assentar tubo",
        "hazard",
        "excavations",
        "pt",
    ),
    Report(
        "retro bateu num cabo enterrado ao abrir a vala, nao havia planta das redes nem detetor",
        "near_miss",
        "excavations",
        "pt",
    ),
    Report(
        "desabou a parede da vala e soterrou o ze ate a cintura, foi de ambulancia pras urgencias",
        "injury",
        "excavations",
        "pt",
        True,
    ),
    # lifting_operations
    Report(
        "cinta de elevacao toda desfiada e continuam a usar na grua",
        "hazard",
        "lifting_operations",
        "pt",
    ),
    Report(
        "carga suspensa passou por cima do pessoal da cofragem sem ninguem isolar a area",
        "near_miss",
        "lifting_operations",
        "pt",
    ),
    Report(
        "a grua movel tombou ao levantar as vigas os estabilizadores afundaram no terreno",
        "near_miss",
        "lifting_operations",
        "pt",
        True,
    ),
    Report(
        "encarregado parou as manobras com a grua pq o vento tava forte demais, bem feito",
        "good_practice",
        "lifting_operations",
        "pt",
    ),
    # electrical
    Report(
        "extençao com fio descascado no chao da obra e ta ligada ainda",
        "hazard",
        "electrical",
        "pt",
    ),
    Report(
        "levei choque ao abrir o quadro eletrico da linha 2, so um susto, a porta nem fecha",
        "injury",
        "electrical",
        "pt",
    ),
    Report(
        "basculante tocou na linha de alta tensao ao subir a caixa, motorista ficou na cabine",
        "near_miss",
        "electrical",
        "pt",
        True,
    ),
    # pressure_systems
    Report(
        "mangueira do ar comprimido soltou da ligacao e ficou a chicotear pela oficina",
        "near_miss",
        "pressure_systems",
        "pt",
    ),
    Report(
        "valvula de seguranca da caldeira pingando vapor desde ontem ninguem veio ver",
        "hazard",
        "pressure_systems",
        "pt",
    ),
    Report(
        "reservatorio de ar do compressor rebentou, abriu um buraco na parede da casa das maquinas",
        "near_miss",
        "pressure_systems",
        "pt",
        True,
    ),
    # fire_explosion
    Report(
        "porta corta fogo do armazem calcada com um extintor pra ficar aberta",
        "hazard",
        "fire_explosion",
        "pt",
    ),
    Report(
        "soldadura ao lado dos bidoes de diluente e sem licenca de trabalho a quente",
        "hazard",
        "fire_explosion",
        "pt",
    ),
    Report(
        "simulado de incendio hoje de manha, todo mundo no ponto de encontro em 4 min",
        "good_practice",
        "fire_explosion",
        "pt",
    ),
    # vehicles_traffic
    Report(
        "empilhador a alta velocidade no corredor dos peões, quase levava o rapaz da limpeza",
        "near_miss",
        "vehicles_traffic",
        "pt",
    ),
    Report(
        "camiao arrancou do cais com o porta paletes ainda la dentro a descarregar",
        "near_miss",
        "vehicles_traffic",
        "pt",
    ),
    Report(
        "a empilhadeira dando re sem bip nenhum, quase pegou a menina do picking",
        "near_miss",
        "vehicles_traffic",
        "pt",
    ),
    # machinery
    Report(
        "protecao da serra circular tirada faz uma semana e ninguem repos",
        "hazard",
        "machinery",
        "pt",
    ),
    Report(
        "sensor da porta da prensa tapado com fita cola pra maquina nao parar",
        "hazard",
        "machinery",
        "pt",
    ),
    Report(
        "quase ficou com a manga presa no tapete rolante, carregou no botao de emergencia a tempo",
        "near_miss",
        "machinery",
        "pt",
    ),
    # dropped_objects
    Report(
        "caiu uma caixa da prateleira de cima mesmo ao lado do operador",
        "near_miss",
        "dropped_objects",
        "pt",
    ),
    Report(
        "material solto em cima da estante nivel 5 sem rede, qualquer dia cai na cabeca de alguem",
        "hazard",
        "dropped_objects",
        "pt",
    ),
    Report(
        "palete partida posta no nivel de cima da estante, as tabuas ja estao a ceder",
        "hazard",
        "dropped_objects",
        "pt",
    ),
    # hazardous_substances
    Report(
        "bidao sem rotulo com liquido transparente na zona de lavagem ninguem sabe o que e",
        "hazard",
        "hazardous_substances",
        "pt",
    ),
    Report(
        "salpicou soda caustica no olho do operador, lavou no lava olhos 15 min e ficou bem",
        "injury",
        "hazardous_substances",
        "pt",
    ),
    Report(
        "telhas de fibrocimento partidas no chao do anexo, pode ser amianto e tao a varrer a seco",
        "hazard",
        "hazardous_substances",
        "pt",
    ),
    # environmental_release
    Report(
        "gasoleo vazou do gerador e foi direto pro bueiro",
        "environmental_incident",
        "environmental_release",
        "pt",
    ),
    Report(
        "bacia de retencao dos quimicos cheia de agua da chuva com oleo a boiar por cima",
        "hazard",
        "environmental_release",
        "pt",
    ),
    # emissions_noise_dust
    Report(
        "po do corte de pedra a ir todo pras casas dos vizinhos, ninguem molha",
        "hazard",
        "emissions_noise_dust",
        "pt",
    ),
    Report(
        "vizinhos reclamaram do barulho do compactador as 7 da manha de sabado",
        "hazard",
        "emissions_noise_dust",
        "pt",
    ),
    # waste
    Report(
        "contentor dos residuos perigosos aberto e com latas de tinta misturadas no lixo normal",
        "hazard",
        "waste",
        "pt",
    ),
    Report("cacamba lotada o entulho ja ta na calcada", "hazard", "waste", "pt"),
    # manual_handling
    Report(
        "sacos de cimento de 50kg carregados ao ombro o dia todo, o monta cargas avariado",
        "hazard",
        "manual_handling",
        "pt",
    ),
    Report(
        "dei um jeito nas costas a levantar o motor sozinho, fiquei 10 dias de baixa",
        "injury",
        "manual_handling",
        "pt",
        True,
    ),
    # ergonomics
    Report(
        "bancada da linha de embalagem muito baixa toda a gente curvada 8 horas",
        "hazard",
        "ergonomics",
        "pt",
    ),
    Report(
        "formigueiro nas maos dps de usar o martelo demolidor o turno todo sem pausas",
        "hazard",
        "ergonomics",
        "pt",
    ),
    # hand_tools_sharps
    Report(
        "x-ato sem protecao cortou o dedo, fiz curativo com a caixa de primeiros socorros e voltei",
        "injury",
        "hand_tools_sharps",
        "pt",
    ),
    Report(
        "chaves de fenda partidas e martelo com cabo rachado na caixa de ferramenta da manutencao",
        "hazard",
        "hand_tools_sharps",
        "pt",
    ),
    # slips_trips_falls
    Report(
        "chao da camara de frio com gelo, escorreguei e bati com o joelho",
        "injury",
        "slips_trips_falls",
        "pt",
    ),
    Report(
        "degrau partido na escada do escritorio pro armazem quase cai",
        "near_miss",
        "slips_trips_falls",
        "pt",
    ),
    Report(
        "escorregou no oleo na oficina e torceu o pulso, pos gelo e continuou a trabalhar",
        "injury",
        "slips_trips_falls",
        "pt",
    ),
    # ppe
    Report("subempreiteiros na obra sem capacete nem colete", "hazard", "ppe", "pt"),
    Report(
        "sem luvas anti corte no stock, pessoal a mexer na chapa de maos nuas",
        "hazard",
        "ppe",
        "pt",
    ),
    # housekeeping
    Report(
        "corredor 12 cheio de caixas vazias e plastico, mal da pra passar",
        "hazard",
        "housekeeping",
        "pt",
    ),
    Report(
        "auditoria 5s na seccao de montagem, tudo arrumado e marcado no chao, nota 95",
        "audit_evidence",
        "housekeeping",
        "pt",
    ),
    # welfare
    Report(
        "nao tem agua potavel no canteiro desde segunda, o pessoal trazendo de casa",
        "hazard",
        "welfare",
        "pt",
    ),
    Report("casa de banho dos homens sem sabao nem papel ha uma semana", "hazard", "welfare", "pt"),
    Report(
        "verificada a mala de primeiros socorros da carrinha, tudo dentro da validade",
        "audit_evidence",
        "welfare",
        "pt",
    ),
]

IT = [
    # confined_spaces
    Report(
        "entrati nel silo senza permesso e sensa rilevatore gas", "hazard", "confined_spaces", "it"
    ),
    Report(
        "operaio svenuto nella vasca del depuratore per le esalazioni, portato via in ambulanza",
        "injury",
        "confined_spaces",
        "it",
        True,
    ),
    Report(
        "test gas prima di entrare nel pozzetto o2 20.9 ok, uomo di guardia fuori col tripode",
        "audit_evidence",
        "confined_spaces",
        "it",
    ),
    # work_at_height
    Report(
        "ponteggio lato nord senza parapetto al 4 piano e manacno tavole",
        "hazard",
        "work_at_height",
        "it",
    ),
    Report(
        "trabattello usato senza freni alle ruote si muoveva mentre erano sopra",
        "hazard",
        "work_at_height",
        "it",
    ),
    Report(
        "e caduto dalla scala mentre cambiava i neon, frattura del braccio, ricoverato",
        "injury",
        "work_at_height",
        "it",
        True,
    ),
    Report(
        "quasi volato giu dal tetto, imbracatura indossata ma non agganciata alla linea vita",
        "near_miss",
        "work_at_height",
        "it",
    ),
    # excavations
    Report(
        "scavo di 2 metri senza sbatacchiature con gente dentro a posare i tubi",
        "hazard",
        "excavations",
        "it",
    ),
    Report(
        "escavatore ha preso il tubo del gas nello scavo, fuga forte, evacuato tutto il cantiere",
        "near_miss",
        "excavations",
        "it",
        True,
    ),
    Report(
        "cumulo di terra messo sul ciglio dello scavo, zero distanza dal bordo",
        "hazard",
        "excavations",
        "it",
    ),
    # lifting_operations
    Report(
        "gru a torre gancio sensa sicura e brache senza targhetta",
        "hazard",
        "lifting_operations",
        "it",
    ),
    Report(
        "si e spezzata la catena del paranco e il motore e finito a terra, x fortuna nessuno sotto",
        "near_miss",
        "lifting_operations",
        "it",
        True,
    ),
    Report(
        "carico sospeso girato sopra gli operai, nessuno usava le funi guida",
        "near_miss",
        "lifting_operations",
        "it",
    ),
    Report(
        "verifica trimestrale funi e catene fatta registro firmato dal preposto",
        "audit_evidence",
        "lifting_operations",
        "it",
    ),
    # electrical
    Report("presa spaccata in magazzino coi fili di fuori", "hazard", "electrical", "it"),
    Report(
        "quadro elettrico aperto e senza chiave nel reparto confezionamento",
        "hazard",
        "electrical",
        "it",
    ),
    Report(
        "preso la scossa dalla prolunga bagnata nel piazzale, solo formicolio al braccio",
        "injury",
        "electrical",
        "it",
    ),
    # pressure_systems
    Report(
        "tubo aria compressa rotto frustava in giro, ho chiuso la valvola a monte",
        "near_miss",
        "pressure_systems",
        "it",
    ),
    Report(
        "manometro del serbatoio aria fuori scala e valvola di sicurezza bloccata",
        "hazard",
        "pressure_systems",
        "it",
    ),
    Report(
        "autoclave scoppiata nel reparto sterilizzazione, il portellone e volato contro il muro",
        "near_miss",
        "pressure_systems",
        "it",
        True,
    ),
    # fire_explosion
    Report(
        "porta tagliafuoco tenuta aperta con un cuneo di legno", "hazard", "fire_explosion", "it"
    ),
    Report(
        "principio di incendio nel cassone della segatura spento con l estintore",
        "near_miss",
        "fire_explosion",
        "it",
    ),
    Report(
        "esplosione nella cabina di verniciatura, vetri rotti dappertutto, nessun ferito",
        "near_miss",
        "fire_explosion",
        "it",
        True,
    ),
    Report(
        "prova di evacuazione antincendio fatta stamattina tutti fuori in 3 minuti",
        "good_practice",
        "fire_explosion",
        "it",
    ),
    # vehicles_traffic
    Report(
        "muletto in retromarcia senza cicalino quasi investe un collega",
        "near_miss",
        "vehicles_traffic",
        "it",
    ),
    Report(
        "camion in manovra nel piazzale senza nessuno a terra a fare segnali",
        "hazard",
        "vehicles_traffic",
        "it",
    ),
    Report(
        "carrellista ha investito un pedone alla baia 4 gamba rotta portato al pronto soccorso",
        "injury",
        "vehicles_traffic",
        "it",
        True,
    ),
    # machinery
    Report("tolto il carter della pressa per fare prima", "hazard", "machinery", "it"),
    Report(
        "fungo di emergenza del nastro trasportatore non funziona, premuto e il nastro va avanti",
        "hazard",
        "machinery",
        "it",
    ),
    Report(
        "manutentore con le mani dentro la macchina senza lucchetto, qualcuno l ha riaccesa",
        "near_miss",
        "machinery",
        "it",
    ),
    # dropped_objects
    Report(
        "scatoloni impilati storti sull ultimo ripiano, uno e gia caduto in corsia",
        "near_miss",
        "dropped_objects",
        "it",
    ),
    Report("bancale rotto messo su in alto sulla scaffalatura", "hazard", "dropped_objects", "it"),
    Report(
        "gli e caduto un pezzo di ferro in testa dal soppalco, aveva il casco, solo un bernoccolo",
        "injury",
        "dropped_objects",
        "it",
    ),
    # hazardous_substances
    Report(
        "taniche senza etichetta sotto il lavandino del reparto, dentro c e acido",
        "hazard",
        "hazardous_substances",
        "it",
    ),
    Report(
        "schede di sicurezza dei prodotti chimici non ci sono in reparto",
        "hazard",
        "hazardous_substances",
        "it",
    ),
    Report(
        "mani arrossate e bruciore dopo aver pulito con il disincrostante",
        "injury",
        "hazardous_substances",
        "it",
    ),
    # environmental_release
    Report(
        "olio idraulico perso dal muletto sul piazzale che finisce nel tombino",
        "environmental_incident",
        "environmental_release",
        "it",
    ),
    Report(
        "sversamento gasolio durante il rifornimento, usato il kit antisversamento",
        "environmental_incident",
        "environmental_release",
        "it",
    ),
    # emissions_noise_dust
    Report(
        "taglio piastrelle a secco, nuvola bianca sul cortile dei vicini",
        "hazard",
        "emissions_noise_dust",
        "it",
    ),
    Report(
        "lamentele dei vicini per il rumore del generatore acceso tutta la notte",
        "hazard",
        "emissions_noise_dust",
        "it",
    ),
    # waste
    Report(
        "stracci sporchi d olio buttati nel cassone normale invece che nei rifiuti pericolosi",
        "hazard",
        "waste",
        "it",
    ),
    Report(
        "cassone scarrabile pieno che trabocca, i cartoni volano in strada", "hazard", "waste", "it"
    ),
    # manual_handling
    Report(
        "sacchi da 25 kg sollevati a mano tutto il giorno perche il sollevatore e rotto",
        "hazard",
        "manual_handling",
        "it",
    ),
    Report(
        "mal di schiena dopo aver spostato da solo la lavatrice industriale, a casa 2 giorni",
        "injury",
        "manual_handling",
        "it",
    ),
    # ergonomics
    Report(
        "sedia della postazione pc rotta e monitor troppo basso, tutto il giorno col collo piegato",
        "hazard",
        "ergonomics",
        "it",
    ),
    Report(
        "braccia addormentate dopo ore col martello demolitore, nessuna rotazione fra di noi",
        "hazard",
        "ergonomics",
        "it",
    ),
    # hand_tools_sharps
    Report(
        "taglierino con lama spuntata si e tagliato il dito, messo un cerotto e basta",
        "injury",
        "hand_tools_sharps",
        "it",
    ),
    Report(
        "flex usato con una mano sola e senza impugnatura laterale",
        "hazard",
        "hand_tools_sharps",
        "it",
    ),
    # slips_trips_falls
    Report(
        "pavimento bagnato davanti alle celle frigo nessun cartello, ho quasi fatto un volo",
        "near_miss",
        "slips_trips_falls",
        "it",
    ),
    Report(
        "buche nel piazzale, un collega ha preso una storta alla caviglia",
        "injury",
        "slips_trips_falls",
        "it",
    ),
    # ppe
    Report(
        "visitatori in cantiere senza caschetto e con le scarpe da ginnastica",
        "hazard",
        "ppe",
        "it",
    ),
    Report(
        "finite le cuffie antirumore in magazzino, reparto presse lavora senza",
        "hazard",
        "ppe",
        "it",
    ),
    # housekeeping
    Report("corsie del magazzino intasate di pallet vuoti e film", "hazard", "housekeeping", "it"),
    Report(
        "area di lavoro sistemata e pulita a fine turno, bravi ragazzi",
        "good_practice",
        "housekeeping",
        "it",
    ),
    # welfare
    Report(
        "bagni chimici del cantiere sporchi e niente acqua per lavarsi le mani",
        "hazard",
        "welfare",
        "it",
    ),
    Report("spogliatoio senza riscaldamento d inverno si gela", "hazard", "welfare", "it"),
    Report(
        "messa la macchinetta dell acqua fresca in mensa, grazie capo",
        "good_practice",
        "welfare",
        "it",
    ),
]

PL = [
    # confined_spaces
    Report(
        "weszli do zbiornika bez pomiaru gazów i bez nikogo na gorze",
        "hazard",
        "confined_spaces",
        "pl",
    ),
    Report(
        "kolega stracil przytomnosc w studzience, wyciagneli go, karetka zabrala do szpitala",
        "injury",
        "confined_spaces",
        "pl",
        True,
    ),
    Report(
        "permit to enter do silosu nie podpisany a chlopaki juz w srodku",
        "hazard",
        "confined_spaces",
        "pl",
    ),
    # work_at_height
    Report(
        "rusztowanie bez barierek na 3 poziomie deski luzem, sprawdzcie to",
        "hazard",
        "work_at_height",
        "pl",
    ),
    Report(
        "scaffolding przy bloku C sie zawalil w nocy, rano wszystko na ziemi, nikogo nie bylo",
        "near_miss",
        "work_at_height",
        "pl",
        True,
    ),
    Report(
        "spadl z drabiny jakies 2 m zlamana noga szpital", "injury", "work_at_height", "pl", True
    ),
    Report(
        "scissor lift jezdzi z podniesionym koszem po dziurawej posadzce",
        "hazard",
        "work_at_height",
        "pl",
    ),
    Report(
        "prawie wpadl przez swietlik na dachu, zlapal sie ramy", "near_miss", "work_at_height", "pl"
    ),
    # excavations
    Report("wykop 2,5m bez szalunku a ludzie w srodku", "hazard", "excavations", "pl"),
    Report(
        "koparka zerwala kabel w ziemi, nie bylo mapy ani skanowania CAT przed kopaniem",
        "near_miss",
        "excavations",
        "pl",
    ),
    # lifting_operations
    Report(
        "zawiesie pasowe naciete a dalej na nim podnosza na dzwigu",
        "hazard",
        "lifting_operations",
        "pl",
    ),
    Report(
        "zuraw samojezdny przewrocil sie na bok, operator wyszedl sam, wysiegnik na ogrodzeniu",
        "near_miss",
        "lifting_operations",
        "pl",
        True,
    ),
    Report(
        "brak lift planu, hakowy nowy i nikt nie wie ile to wazy",
        "hazard",
        "lifting_operations",
        "pl",
    ),
    # electrical
    Report("przedluzacz poklejony tasma lezy w kaluzy na budowie", "hazard", "electrical", "pl"),
    Report(
        "kopnal mnie prad od wiertarki, kabel przetarty przy wtyczce", "injury", "electrical", "pl"
    ),
    Report("Steckdose kaputt na hali, iskrzy jak sie wklada wtyczke", "hazard", "electrical", "pl"),
    # pressure_systems
    Report(
        "szybkozlaczka na sprezarce puszcza, waz o malo nie dostal kolegi w twarz",
        "near_miss",
        "pressure_systems",
        "pl",
    ),
    Report(
        "kocioł parowy zawor bezpieczenstwa zardzewialy a przeglad udt po terminie",
        "hazard",
        "pressure_systems",
        "pl",
    ),
    # fire_explosion
    Report("drzwi ewakuacyjne w magazynie zastawione paletami", "hazard", "fire_explosion", "pl"),
    Report(
        "szlifuja przy otwartych puszkach z farba, iskry leca prosto na nie",
        "hazard",
        "fire_explosion",
        "pl",
    ),
    Report(
        "wybuch pylu w odpylaczu na stolarni, pokrywa wyleciala w powietrze",
        "near_miss",
        "fire_explosion",
        "pl",
        True,
    ),
    Report(
        "test alarmu pozarowego dzis, w magazynie B syreny w ogole nie slychac",
        "audit_evidence",
        "fire_explosion",
        "pl",
    ),
    # vehicles_traffic
    Report(
        "wozek widlowy zasuwal kolo biura, prawie potracil ludzi na przejsciu",
        "near_miss",
        "vehicles_traffic",
        "pl",
    ),
    Report(
        "reach truck cofal bez patrzenia, chlopak z pickingu musial odskoczyc",
        "near_miss",
        "vehicles_traffic",
        "pl",
    ),
    Report(
        "kierowca tira odjechal od rampy jak paleciak jeszcze byl w naczepie",
        "near_miss",
        "vehicles_traffic",
        "pl",
    ),
    Report(
        "operator wozka stanal i przepuscil pieszych na pasach, tak ma byc",
        "good_practice",
        "vehicles_traffic",
        "pl",
    ),
    # machinery
    Report("oslona na pile tasmowej zdjeta i lezy pod stolem", "hazard", "machinery", "pl"),
    Report(
        "krancowka na drzwiach maszyny zmostkowana, chodzi przy otwartych",
        "hazard",
        "machinery",
        "pl",
    ),
    Report(
        "wciagnelo mu rekawice w walki, reka zmiazdzona, zabrali do szpitala",
        "injury",
        "machinery",
        "pl",
        True,
    ),
    # dropped_objects
    Report(
        "z regalu spadl karton prosto na kolege, mial kask, nic mu nie jest",
        "near_miss",
        "dropped_objects",
        "pl",
    ),
    Report("na gornej polce luzne kartony wystaja nad alejke", "hazard", "dropped_objects", "pl"),
    Report("paleta polamana pod towarem na 4 poziomie regalu", "hazard", "dropped_objects", "pl"),
    # hazardous_substances
    Report(
        "butelka bez etykiety z jakims rozpuszczalnikiem stoi w szatni",
        "hazard",
        "hazardous_substances",
        "pl",
    ),
    Report("chlopaki tna plyty azbestowe na sucho", "hazard", "hazardous_substances", "pl"),
    Report(
        "opary z kwasu przy myciu linii, oczy piekly dwie osoby",
        "injury",
        "hazardous_substances",
        "pl",
    ),
    # environmental_release
    Report(
        "wyciek oleju z koparki do rowu z woda",
        "environmental_incident",
        "environmental_release",
        "pl",
    ),
    Report(
        "beczka z chemia przewrocona i leci do kratki sciekowej, daj spill kit",
        "environmental_incident",
        "environmental_release",
        "pl",
    ),
    # emissions_noise_dust
    Report(
        "pyl z ciecia betonu leci na parking sasiadow, nikt nie zrasza",
        "hazard",
        "emissions_noise_dust",
        "pl",
    ),
    Report("sasiedzi skarza sie na halas sprezarki w nocy", "hazard", "emissions_noise_dust", "pl"),
    # waste
    Report(
        "kontener na odpady przepelniony, smieci wiatr roznosi po placu", "hazard", "waste", "pl"
    ),
    Report("zuzyte swietlowki i akumulatory wrzucone do zwyklego skipu", "hazard", "waste", "pl"),
    # manual_handling
    Report(
        "pchanie pelnych wozkow z miesem pod gorke recznie, kolko sie blokuje",
        "hazard",
        "manual_handling",
        "pl",
    ),
    Report(
        "naciagnalem plecy przy dzwiganiu skrzyni samemu, L4 na 3 dni",
        "injury",
        "manual_handling",
        "pl",
    ),
    # ergonomics
    Report(
        "caly dzien na stojaco przy tasmie bez maty i bez przerwy", "hazard", "ergonomics", "pl"
    ),
    Report(
        "mrowienie palcow po zageszczarce, nikt nie liczy czasu wibracji",
        "hazard",
        "ergonomics",
        "pl",
    ),
    # hand_tools_sharps
    Report(
        "skaleczylem palec nozem do folii plaster z apteczki i robie dalej",
        "injury",
        "hand_tools_sharps",
        "pl",
    ),
    Report(
        "mlotek z peknietym trzonkiem dalej wisi w narzedziowni",
        "hazard",
        "hand_tools_sharps",
        "pl",
    ),
    # slips_trips_falls
    Report(
        "olej na posadzce przy maszynie i nikt tego nie sprząta",
        "hazard",
        "slips_trips_falls",
        "pl",
    ),
    Report(
        "gololedz na placu rano posypcie sola bo ktos sie wywali",
        "hazard",
        "slips_trips_falls",
        "pl",
    ),
    Report(
        "przewrocil sie na mokrej podlodze w myjni, stluczone kolano",
        "injury",
        "slips_trips_falls",
        "pl",
    ),
    # ppe
    Report("ludzie z agencji bez hi vis i bez butow ochronnych na hali", "hazard", "ppe", "pl"),
    Report("okulary ochronne porysowane nic nie widac a nowych brak", "hazard", "ppe", "pl"),
    # housekeeping
    Report("alejka zawalona kartonami i folia nie da sie przejsc", "hazard", "housekeeping", "pl"),
    Report(
        "5S audit na zmianie B 92%, stanowiska czyste wszystko na miejscu",
        "audit_evidence",
        "housekeeping",
        "pl",
    ),
    # welfare
    Report("w kontenerze socjalnym nie ma cieplej wody ani mydla", "hazard", "welfare", "pl"),
    Report("first aid box na budowie pusty od miesiaca", "hazard", "welfare", "pl"),
    Report(
        "nowa kuchnia w socjalu mikrofala lodowka czajnik, super", "good_practice", "welfare", "pl"
    ),
]

RO = [
    # confined_spaces
    Report(
        "baietii coboara in caminul de canalizare fara trepied si fara detector",
        "hazard",
        "confined_spaces",
        "ro",
    ),
    Report(
        "un coleg a lesinat in cisterna de vin din cauza de co2, scos inconstient, dus la spital",
        "injury",
        "confined_spaces",
        "ro",
        True,
    ),
    Report(
        "detectorul de gaze pt intrare in rezervoare are calibrarea expirata",
        "audit_evidence",
        "confined_spaces",
        "ro",
    ),
    # work_at_height
    Report("schela fara balustrada si fara plinta la etajul 2", "hazard", "work_at_height", "ro"),
    Report(
        "a cazut de pe acoperis si si-a rupt coloana, l-a luat elicopterul smurd",
        "injury",
        "work_at_height",
        "ro",
        True,
    ),
    Report("era sa cada de pe scara, scara nu era legata sus", "near_miss", "work_at_height", "ro"),
    Report("nacela folosita fara ham, omul se apleaca peste cos", "hazard", "work_at_height", "ro"),
    Report(
        "toolbox talk despre schele facut azi cu toata echipa",
        "good_practice",
        "work_at_height",
        "ro",
    ),
    # excavations
    Report(
        "șanț adânc fara sprijiniri, pamantul cade de pe margini", "hazard", "excavations", "ro"
    ),
    Report(
        "s-a prabusit peretele gropii peste excavator, noroc ca nu era nimeni jos",
        "near_miss",
        "excavations",
        "ro",
        True,
    ),
    Report(
        "am lovit o teava de apa cu excavatorul nu aveam planul cu retelele",
        "near_miss",
        "excavations",
        "ro",
    ),
    # lifting_operations
    Report(
        "macaraua ridica pe deasupra oamenilor si nimeni nu inchide zona",
        "near_miss",
        "lifting_operations",
        "ro",
    ),
    Report(
        "chingi fara eticheta de verificare folosite la ridicat",
        "hazard",
        "lifting_operations",
        "ro",
    ),
    Report(
        "s-a rupt cablul la electropalan si sarcina a cazut la un metru de om",
        "near_miss",
        "lifting_operations",
        "ro",
        True,
    ),
    # electrical
    Report(
        "tablou de santier fara usa si cu sigurante facute din sarma", "hazard", "electrical", "ro"
    ),
    Report(
        "doi baieti carau o teava lunga si au atins firele de curent de sus, unul dus la spital",
        "injury",
        "electrical",
        "ro",
        True,
    ),
    Report("priza arsă in vestiar miroase a plastic ars", "hazard", "electrical", "ro"),
    Report(
        "Kabel beschadigt la flex, am zis la Vorarbeiter dar tot il folosesc",
        "hazard",
        "electrical",
        "ro",
    ),
    # pressure_systems
    Report(
        "furtun de aer comprimat fisurat la compresor, suiera tot timpul",
        "hazard",
        "pressure_systems",
        "ro",
    ),
    Report(
        "se sufla cu aer comprimat pe haine direct pe piele ca sa scoata praful",
        "hazard",
        "pressure_systems",
        "ro",
    ),
    Report(
        "a explodat butelia de aer de la compresor in atelier si a rupt usa",
        "near_miss",
        "pressure_systems",
        "ro",
        True,
    ),
    # fire_explosion
    Report(
        "usa de evacuare blocata cu marfa si incuiata cu lacat", "hazard", "fire_explosion", "ro"
    ),
    Report(
        "taie cu flexul langa butelia de acetilena si cartoane, niciun stingator aproape",
        "hazard",
        "fire_explosion",
        "ro",
    ),
    Report(
        "exercitiu de evacuare la incendiu azi, toata lumea la punctul de adunare",
        "good_practice",
        "fire_explosion",
        "ro",
    ),
    Report(
        "stingatoarele din hala au verificarea expirata din 2022",
        "audit_evidence",
        "fire_explosion",
        "ro",
    ),
    # vehicles_traffic
    Report(
        "stivuitorul a trecut pe langa mine in viteza pe culoarul pietonal, era sa ma ia",
        "near_miss",
        "vehicles_traffic",
        "ro",
    ),
    Report(
        "tir-ul a dat cu spatele fara banksman, aproape l-a prins pe un coleg la rampa",
        "near_miss",
        "vehicles_traffic",
        "ro",
    ),
    Report(
        "Stapler-ul merge prin depozit cu furcile sus, soferul nu vede nimic in fata",
        "hazard",
        "vehicles_traffic",
        "ro",
    ),
    # machinery
    Report("protectia de la banda transportoare scoasa si pusa langa", "hazard", "machinery", "ro"),
    Report(
        "a bagat mana in masina de tocat carne fara sa o opreasca, i-a taiat doua degete",
        "injury",
        "machinery",
        "ro",
        True,
    ),
    Report("butonul de oprire de urgenta nu merge la linia 3", "hazard", "machinery", "ro"),
    # dropped_objects
    Report(
        "baxuri de apa puse pe ultimul nivel din raft, se inclina, o sa cada",
        "hazard",
        "dropped_objects",
        "ro",
    ),
    Report("paleta rupta in raft la nivelul 3", "hazard", "dropped_objects", "ro"),
    Report(
        "a cazut o bucata de beton de sus si a lovit casca unui om, nicio zgarietura",
        "near_miss",
        "dropped_objects",
        "ro",
    ),
    # hazardous_substances
    Report("recipient fara eticheta cu diluant in magazie", "hazard", "hazardous_substances", "ro"),
    Report(
        "lucram cu ciment ud cu mainile goale, avem rani pe maini de la el",
        "hazard",
        "hazardous_substances",
        "ro",
    ),
    Report(
        "fise de securitate lipsa pentru dezinfectantii folositi in fabrica",
        "hazard",
        "hazardous_substances",
        "ro",
    ),
    # environmental_release
    Report(
        "motorina s-a scurs din rezervorul generatorului direct in pamant",
        "environmental_incident",
        "environmental_release",
        "ro",
    ),
    Report(
        "apa cu ciment de la spalat betoniera curge in parau",
        "environmental_incident",
        "environmental_release",
        "ro",
    ),
    # emissions_noise_dust
    Report(
        "praf mare de la taiat caramida, au sunat vecinii", "hazard", "emissions_noise_dust", "ro"
    ),
    Report(
        "picamer de la 6 dimineata, vecinii se plang de zgomot",
        "hazard",
        "emissions_noise_dust",
        "ro",
    ),
    # waste
    Report("skip-ul e plin si au pus resturile langa el pe drum", "hazard", "waste", "ro"),
    Report(
        "uleiuri uzate depozitate afara in butoaie fara capac si fara acoperis",
        "hazard",
        "waste",
        "ro",
    ),
    # manual_handling
    Report(
        "carat usi metalice de 60 kg doar cate doi omeni pe scari",
        "hazard",
        "manual_handling",
        "ro",
    ),
    Report(
        "m-am intins la spate cand am ridicat un sac, am stat acasa 3 zile",
        "injury",
        "manual_handling",
        "ro",
    ),
    # ergonomics
    Report(
        "scaunele de la linia de ambalare nu se regleaza, toti avem dureri de gat",
        "hazard",
        "ergonomics",
        "ro",
    ),
    Report(
        "10 ore la calculator pe laptop fara monitor si fara tastatura",
        "hazard",
        "ergonomics",
        "ro",
    ),
    # hand_tools_sharps
    Report(
        "cutter cu lama rupta, s-a taiat la deget, pansament si gata",
        "injury",
        "hand_tools_sharps",
        "ro",
    ),
    Report(
        "sticla sparta in zona de ambalare, cioburi pe banda", "hazard", "hand_tools_sharps", "ro"
    ),
    # slips_trips_falls
    Report(
        "pardoseala plina de grasime la dezosare aluneci la fiecare pas",
        "hazard",
        "slips_trips_falls",
        "ro",
    ),
    Report(
        "dale ridicate pe aleea de la intrare, s-a impiedicat unul azi",
        "near_miss",
        "slips_trips_falls",
        "ro",
    ),
    # ppe
    Report("pe Baustelle azi nimeni cu Helm pe cap, nici Polier-ul", "hazard", "ppe", "ro"),
    Report("ochelari de protectie nu are nimeni la polizor", "hazard", "ppe", "ro"),
    # housekeeping
    Report("depozitul e un haos cutii peste tot pe culoare", "hazard", "housekeeping", "ro"),
    Report(
        "dupa controlul de ordine pe santier materialele stivuite frumos si caile de acces libere",
        "audit_evidence",
        "housekeeping",
        "ro",
    ),
    # welfare
    Report("toaleta ecologica nu a fost golita de 2 saptamani", "hazard", "welfare", "ro"),
    Report(
        "nu avem unde manca, mancam in masina, nu e container de masa", "hazard", "welfare", "ro"
    ),
    Report("lipsa apa potabila la punctul de lucru si sunt 35 de grade", "hazard", "welfare", "ro"),
]

REPORTS = PT + IT + PL + RO
