"""Data tables for the Norwegian normalizer: nynorsk→bokmål, abbreviations,
stop words and a few domain synonyms. Plain data, edited by hand.

Every table is applied to the articles *and* to the questions, so a mapping
only has to be consistent, not perfect.
"""

from __future__ import annotations

# Nynorsk (and common dialect / spoken) forms → bokmål. A value may hold more
# than one word. Keys are lowercase. Ambiguous forms that clash with a
# bokmål word ("kor" = choir, "me", "dei") are left out or mapped only where
# the bokmål reading is harmless.
NYNORSK: dict[str, str] = {
    # question words and pronouns
    "kva": "hva", "kvá": "hva", "ka": "hva", "korleis": "hvordan", "korsen": "hvordan",
    "kven": "hvem", "kvifor": "hvorfor", "kvi": "hvorfor", "kvar": "hvor", "kvarandre": "hverandre",
    "kvart": "hvert", "kvarannan": "annenhver", "kordan": "hvordan",
    "kossen": "hvordan", "åssen": "hvordan", "åffer": "hvorfor", "kåles": "hvordan",
    "eg": "jeg", "æ": "jeg", "meg": "meg", "oss": "oss", "dykk": "dere", "dykkar": "deres",
    "dei": "de", "deira": "deres", "dykke": "dere", "honom": "ham", "ho": "hun", "henne": "henne",
    "ein": "en", "eit": "et", "eitt": "ett", "ei": "en", "nokon": "noen", "noko": "noe",
    "nokre": "noen", "ingen": "ingen", "inkje": "ingenting", "ikkje": "ikke", "ikkej": "ikke",
    "itj": "ikke", "kje": "ikke", "sjølv": "selv", "sjølve": "selve", "slik": "slik", "sånn": "slik",
    "somme": "noen", "annan": "annen", "anna": "annet", "andre": "andre", "begge": "begge",
    "alle": "alle", "heile": "hele", "heil": "hel", "heilt": "helt", "same": "samme",
    # small words
    "frå": "fra", "ifrå": "fra", "ifra": "fra", "hjå": "hos", "utan": "uten", "innan": "innen",
    "etter": "etter", "berre": "bare", "mykje": "mye", "meir": "mer", "mest": "mest",
    "òg": "også", "og": "og", "au": "også", "difor": "derfor", "dersom": "hvis", "viss": "hvis",
    "om": "om", "medan": "mens", "sidan": "siden", "enno": "ennå", "no": "nå", "nett": "nettopp",
    "attåt": "i tillegg", "elles": "ellers", "gjerne": "gjerne", "aldri": "aldri", "alltid": "alltid",
    "kanskje": "kanskje", "framleis": "fremdeles", "mellom": "mellom", "saman": "sammen",
    "likevel": "likevel", "igjen": "igjen", "òtte": "åtte", "tolv": "tolv",
    "mogleg": "mulig", "moglegheit": "mulighet", "moglegheiter": "muligheter", "høve": "anledning",
    "lite": "lite", "litt": "litt", "låg": "lav", "lågare": "lavere", "høg": "høy", "høgare": "høyere",
    "høgste": "høyeste", "lågaste": "laveste", "tidlegare": "tidligere", "seinare": "senere",
    "seint": "sent", "tidleg": "tidlig", "vanleg": "vanlig", "vanlegvis": "vanligvis",
    "nødvendig": "nødvendig", "naudsynt": "nødvendig", "naudsynleg": "nødvendig",
    "eigen": "egen", "eige": "eget", "eigne": "egne", "eigar": "eier", "ny": "ny", "nye": "nye",
    "gamal": "gammel", "gamle": "gamle", "ung": "ung", "unge": "unge", "unga": "ungene",
    "ansvarleg": "ansvarlig", "ansvarlege": "ansvarlige", "tilgjengeleg": "tilgjengelig",
    "heilskapleg": "helhetlig", "offentleg": "offentlig", "kommunalt": "kommunalt",
    "lovpålagt": "lovpålagt", "lovfesta": "lovfestet", "pålagd": "pålagt", "pålagt": "pålagt",
    "gratis": "gratis", "vidare": "videre", "vidaregåande": "videregående",
    "vgs": "vgs", "grunnskulen": "grunnskolen", "grunnskule": "grunnskole",
    "fleire": "flere", "færre": "færre", "sjå": "se", "ser": "ser", "endå": "enda", "ynskje": "ønske",
    "eigentleg": "egentlig", "særleg": "særlig", "dessutan": "dessuten", "følgjande": "følgende",
    "mogeleg": "mulig", "lovleg": "lovlig", "ulovleg": "ulovlig", "vanskeleg": "vanskelig",
    "samanheng": "sammenheng", "skilnad": "forskjell", "skilnaden": "forskjellen", "avgjerd": "avgjørelse",
    "avgjerda": "avgjørelsen", "grunngje": "begrunne", "grunngjev": "begrunner", "grunngjevast": "begrunnes",
    "grunngjeving": "begrunnelse", "grunngjevinga": "begrunnelsen", "vedtaka": "vedtakene",
    "mottek": "mottar", "motta": "motta", "delta": "delta", "deltek": "deltar", "deltakar": "deltaker",
    "deltakarar": "deltakere", "ulike": "ulike", "kvalitet": "kvalitet",
    # kulturskole vocabulary
    "skule": "skole", "skulen": "skolen", "skular": "skoler", "skulane": "skolene",
    "skulens": "skolens", "skuleåret": "skoleåret", "skuleår": "skoleår", "skuletida": "skoletiden",
    "skuletid": "skoletid", "skulefritidsordning": "skolefritidsordning",
    "kulturskule": "kulturskole", "kulturskulen": "kulturskolen", "kulturskular": "kulturskoler",
    "kulturskulane": "kulturskolene", "kulturskulens": "kulturskolens",
    "kulturskuletilbod": "kulturskoletilbud", "kulturskuletilbodet": "kulturskoletilbudet",
    "kulturskulerådet": "kulturskolerådet", "kulturskulelærar": "kulturskolelærer",
    "kulturskulelærarar": "kulturskolelærere", "kulturskulerektor": "kulturskolerektor",
    "kulturskuleleiar": "kulturskoleleder", "kulturskuleplass": "kulturskoleplass",
    "tilbod": "tilbud", "tilbodet": "tilbudet", "tilboda": "tilbudene", "tilbode": "tilbudt",
    "tilby": "tilby", "tilbyd": "tilbyr", "tilbyr": "tilbyr",
    "elev": "elev", "eleven": "eleven", "elevar": "elever", "elevane": "elevene", "elevplassen": "elevplassen",
    "lærar": "lærer", "læraren": "læreren", "lærarar": "lærere", "lærarane": "lærerne",
    "lærarstilling": "lærerstilling", "lærarressurs": "lærerressurs",
    "rettleiar": "veileder", "rettleiing": "veiledning", "rettleie": "veilede", "rettleiinga": "veiledningen",
    "leiar": "leder", "leiarar": "ledere", "leiinga": "ledelsen", "leiing": "ledelse",
    "einingsleiar": "enhetsleder", "styrar": "styrer", "rektoren": "rektoren",
    "føresette": "foresatte", "føresett": "foresatt", "foreldra": "foreldrene",
    "born": "barn", "borna": "barna", "barna": "barna", "ungdomar": "ungdommer", "ungdomane": "ungdommene",
    "timar": "timer", "timane": "timene", "veke": "uke", "veka": "uken", "veker": "uker", "vekene": "ukene",
    "vekentleg": "ukentlig", "månad": "måned", "månaden": "måneden", "månader": "måneder",
    "månadleg": "månedlig", "pengar": "penger", "pengane": "pengene", "kroner": "kroner",
    "eigenbetaling": "egenbetaling", "eigenbetalinga": "egenbetalingen", "eigendel": "egenandel",
    "eigenandel": "egenandel", "betalar": "betaler", "betale": "betale", "betalt": "betalt",
    "prisar": "priser", "prisen": "prisen", "satsar": "satser", "satsen": "satsen",
    "søskenmoderasjon": "søskenmoderasjon", "friplass": "friplass", "friplassar": "friplasser",
    "inntekt": "inntekt", "låginntekt": "lavinntekt", "låginntektsfamiliar": "lavinntektsfamilier",
    "familie": "familie", "familiar": "familier", "familiane": "familiene",
    "opplæringslova": "opplæringsloven", "lova": "loven", "lover": "lover", "lovene": "lovene",
    "paragrafen": "paragrafen", "føresegn": "bestemmelse", "føresegna": "bestemmelsen",
    "forskrifta": "forskriften", "vedtaket": "vedtaket", "vedtak": "vedtak",
    "klage": "klage", "klagar": "klager", "klagen": "klagen", "klagerett": "klagerett",
    "sakshandsaming": "saksbehandling", "handsame": "behandle", "handsamar": "behandler",
    "handsaming": "behandling", "handsama": "behandlet", "handsamast": "behandles",
    "tilsett": "ansatt", "tilsetjing": "ansettelse", "tilsetting": "ansettelse",
    "tilsetje": "ansette", "tilsettingar": "ansettelser", "løn": "lønn", "lønna": "lønnen",
    "løner": "lønner", "arbeidstida": "arbeidstiden", "stillinga": "stillingen",
    "stillingar": "stillinger", "stillingsprosenten": "stillingsprosenten",
    "sjukdom": "sykdom", "sjuk": "syk", "sjukmeld": "sykmeldt", "sjukemelding": "sykmelding",
    "sjukmelding": "sykmelding", "permisjon": "permisjon", "ferie": "ferie",
    "teneste": "tjeneste", "tenesta": "tjenesten", "tenester": "tjenester", "tenestene": "tjenestene",
    "tenesteyting": "tjenesteyting", "fagteneste": "fagtjeneste",
    "fordjuping": "fordypning", "fordjupingsprogram": "fordypningsprogram",
    "fordjupingsprogrammet": "fordypningsprogrammet", "fordjupe": "fordype",
    "breiddeprogram": "breddeprogram", "breiddeprogrammet": "breddeprogrammet", "breidd": "bredde",
    "breidda": "bredden", "kjerneprogrammet": "kjerneprogrammet",
    "læreplanen": "læreplanen", "rammeplanen": "rammeplanen", "faga": "fagene", "fag": "fag",
    "faget": "faget", "fagområde": "fagområde", "fagområda": "fagområdene",
    "programområda": "programområdene", "programområde": "programområde",
    "kunstfaga": "kunstfagene", "visuell": "visuell", "biletkunst": "billedkunst",
    "skapande": "skapende", "skriving": "skriving", "sirkus": "sirkus",
    "song": "sang", "songar": "sanger", "songundervisning": "sangundervisning",
    "spele": "spille", "speler": "spiller", "spel": "spill", "spelar": "spiller",
    "instrumenta": "instrumentene", "instrumentet": "instrumentet",
    "utlån": "utlån", "leige": "leie", "leigeavtale": "leieavtale", "leigd": "leid",
    "lokala": "lokalene", "undervisningsrom": "undervisningsrom", "rom": "rom",
    "tryggleik": "trygghet", "tryggleiksrutinar": "trygghetsrutiner", "rutinar": "rutiner",
    "rutinane": "rutinene", "teieplikt": "taushetsplikt", "teieplikta": "taushetsplikten",
    "samtykkje": "samtykke", "samtykkjer": "samtykker", "bilete": "bilder", "biletet": "bildet",
    "bileta": "bildene", "opplysningar": "opplysninger", "personopplysningar": "personopplysninger",
    "søknad": "søknad", "søknaden": "søknaden", "søknader": "søknader", "søknadsfristen": "søknadsfristen",
    "søkje": "søke", "søkjer": "søker", "søkt": "søkt", "søkjarar": "søkere", "søkjar": "søker",
    "opptaket": "opptaket", "inntaket": "inntaket", "ventelista": "ventelisten",
    "ventelister": "ventelister", "venteliste": "venteliste", "ventetida": "ventetiden",
    "fristar": "frister", "fristen": "fristen", "tal": "tall", "talet": "tallet", "tala": "tallene",
    "statistikken": "statistikken", "rapporteringa": "rapporteringen",
    "samarbeidet": "samarbeidet", "samarbeide": "samarbeide", "kommunane": "kommunene",
    "kommunar": "kommuner", "fylka": "fylkene", "fylkeskommunen": "fylkeskommunen",
    "stat": "stat", "staten": "staten", "tilskot": "tilskudd", "tilskotet": "tilskuddet",
    "tilskota": "tilskuddene", "midlar": "midler", "midlane": "midlene", "budsjettet": "budsjettet",
    "utgifter": "utgifter", "kostnad": "kostnad", "kostnader": "kostnader", "kostar": "koster",
    "kosta": "koste", "dyrt": "dyrt", "billeg": "billig", "billegare": "billigere",
    "barnehagen": "barnehagen", "barnehagar": "barnehager", "heimen": "hjemmet", "heim": "hjem",
    "heime": "hjemme", "heimeside": "hjemmeside", "heimesida": "hjemmesiden",
    "nettsida": "nettsiden", "nettside": "nettside", "vekst": "vekst",
    "publikum": "publikum", "framsyning": "forestilling", "framsyningar": "forestillinger",
    "konsert": "konsert", "konsertar": "konserter", "framføring": "fremføring",
    "framføre": "fremføre", "framtida": "fremtiden", "framtid": "fremtid",
    "oppgåve": "oppgave", "oppgåver": "oppgaver", "oppgåva": "oppgaven",
    "spørsmål": "spørsmål", "spørsmålet": "spørsmålet", "svar": "svar", "svaret": "svaret",
    "rådgjevar": "rådgiver", "rådgjevarar": "rådgivere", "rådgjeving": "rådgivning",
    "kontaktperson": "kontaktperson", "kontakt": "kontakt", "melding": "melding",
    "dokument": "dokument", "dokumenta": "dokumentene", "skjema": "skjema", "skjemaet": "skjemaet",
    "avtale": "avtale", "avtalen": "avtalen", "avtalar": "avtaler", "kontrakt": "kontrakt",
    "arbeidsgjevar": "arbeidsgiver", "arbeidsgjevaren": "arbeidsgiveren", "arbeidstakar": "arbeidstaker",
    "fagforeining": "fagforening", "tariff": "tariff", "tariffavtalen": "tariffavtalen",
    "særavtale": "særavtale", "kompetanse": "kompetanse", "kompetanseheving": "kompetanseheving",
    "utdanning": "utdanning", "utdanninga": "utdanningen", "etterutdanning": "etterutdanning",
    "vidareutdanning": "videreutdanning", "kurs": "kurs", "kursa": "kursene",
    "tilrettelegging": "tilrettelegging", "tilrettelagd": "tilrettelagt", "tilrettelagt": "tilrettelagt",
    "funksjonsnedsetjing": "funksjonsnedsettelse", "funksjonsnedsetting": "funksjonsnedsettelse",
    "særskilde": "særskilte", "særskild": "særskilt", "behov": "behov", "spesielle": "spesielle",
    "spesialpedagogisk": "spesialpedagogisk", "inkludering": "inkludering",
    "mangfald": "mangfold", "fleirkulturell": "flerkulturell", "minoritetsspråklege": "minoritetsspråklige",
    "flyktningar": "flyktninger", "flyktning": "flyktning",
    # verbs
    "vere": "være", "vera": "være", "vore": "vært", "var": "var", "vart": "ble", "vert": "blir",
    "verte": "bli", "blei": "ble", "gjere": "gjøre", "gjer": "gjør", "gjort": "gjort",
    "gje": "gi", "gjev": "gir", "gjeve": "gitt", "gjeven": "gitt", "gjeld": "gjelder",
    "gjelde": "gjelde", "gjeldande": "gjeldende", "veit": "vet", "visste": "visste",
    "seie": "si", "seier": "sier", "sa": "sa", "spørje": "spørre", "spør": "spør",
    "treng": "trenger", "trengst": "trengs", "krevst": "kreves", "krevjast": "kreves", "kjem": "kommer", "kome": "komme", "kjøme": "komme",
    "tek": "tar", "teke": "tatt", "tok": "tok", "fekk": "fikk", "får": "får", "finst": "finnes",
    "ligg": "ligger", "held": "holder", "halde": "holde", "sende": "sende", "sender": "sender",
    "svarar": "svarer", "meiner": "mener", "meine": "mene", "tenkje": "tenke", "tenkjer": "tenker",
    "hugse": "huske", "hugsar": "husker", "følgje": "følge", "følgjer": "følger", "fylgje": "følge",
    "ønskjer": "ønsker", "ønskje": "ønske", "dekkjer": "dekker", "dekkje": "dekke",
    "lagar": "lager", "lage": "lage", "byrje": "begynne", "byrjar": "begynner", "starte": "starte",
    "slutte": "slutte", "sluttar": "slutter", "melde": "melde",
    "meldar": "melder", "oppgje": "oppgi", "auke": "øke", "aukar": "øker", "auka": "økt",
    "minke": "minke", "redusere": "redusere", "reduserer": "reduserer", "nytte": "bruke",
    "nyttar": "bruker", "brukar": "bruker", "brukarar": "brukere", "bruke": "bruke",
    "vise": "vise", "viser": "viser", "skrive": "skrive", "skriv": "skriver", "lese": "lese",
    "les": "leser", "kunne": "kunne", "kan": "kan", "må": "må", "måtte": "måtte", "skal": "skal",
    "skulle": "skulle", "vil": "vil", "ville": "ville", "bør": "bør", "burde": "burde",
    "ha": "ha", "har": "har", "hadde": "hadde", "blir": "blir", "bli": "bli",
    "tilbyde": "tilby", "sørgje": "sørge", "sørgjer": "sørger",
    "prioritere": "prioritere", "fordele": "fordele", "fordeler": "fordeler",
    "rekne": "regne", "reknar": "regner", "rekna": "regnet", "utrekning": "utregning",
    "undervise": "undervise", "underviser": "underviser", "lære": "lære", "lærer": "lærer",
    "opne": "åpne", "open": "åpen", "ope": "åpent", "opent": "åpent", "stengd": "stengt",
    "flytte": "flytte", "flyttar": "flytter", "bytte": "bytte", "byter": "bytter", "byte": "bytte",
    "miste": "miste", "mistar": "mister", "behalde": "beholde", "beheld": "beholder",
    "venta": "vente", "ventar": "venter", "vente": "vente", "godkjenne": "godkjenne",
    "godkjend": "godkjent", "godkjent": "godkjent", "krevje": "kreve", "krev": "krever",
    "kravet": "kravet", "krava": "kravene", "sikre": "sikre", "sikrar": "sikrer",
    "tilsynet": "tilsynet", "skildre": "beskrive", "skildring": "beskrivelse",
    # verbs and forms employees type in nynorsk and dialect
    # "tilsette": verb and noun plural alike
    "inneber": "innebærer", "tilset": "ansetter", "tilsetje": "ansette", "tilsette": "ansette",
    "tilsetjing": "ansettelse", "vedtek": "vedtar", "avgjere": "avgjøre", "avgjer": "avgjør",
    "løyve": "tillatelse", "bur": "bor", "ungane": "barna", "ungar": "barn", "dårleg": "dårlig",
    "elevavgifta": "elevavgiften", "avgifta": "avgiften", "fastset": "fastsetter", "fastsett": "fastsatt",
    "høyrer": "hører", "høyre": "høre", "spelar": "spiller", "spelarar": "spillere",
    "tilskotet": "tilskuddet", "tilskota": "tilskuddene", "søkjar": "søker", "søkjarar": "søkere",
    "søknadsfrist": "søknadsfrist", "gjennomføre": "gjennomføre", "lov": "lov",
}

# Nynorsk spellings inside compound words ("skulesekken", "musikklærar"):
# replaced in any word the table above does not know.
NYNORSK_PARTS: tuple[tuple[str, str], ...] = (
    ("skule", "skole"),
    ("lærar", "lærer"),
    ("tilbod", "tilbud"),
    ("leiar", "leder"),
    ("rettleiing", "veiledning"),
    ("fordjuping", "fordypning"),
    ("breidde", "bredde"),
    ("tenest", "tjenest"),
    ("deltakar", "deltaker"),
)

# Abbreviations → expansion. The abbreviation is kept and its expansion added,
# on both sides (articles and questions).
ABBREVIATIONS: dict[str, str] = {
    "dks": "den kulturelle skolesekken",
    "dkss": "den kulturelle spaserstokken",
    "ppt": "pedagogisk psykologisk tjeneste",
    "pp": "pedagogisk psykologisk",
    "bup": "barne og ungdomspsykiatrisk poliklinikk",
    "sfo": "skolefritidsordning",
    "aks": "aktivitetsskolen skolefritidsordning",
    "gsi": "grunnskolens informasjonssystem",
    "nav": "arbeids og velferdsforvaltningen",
    "kostra": "kommune stat rapportering",
    "ssb": "statistisk sentralbyrå",
    "nkr": "norsk kulturskoleråd",
    "ukm": "ung kultur møtes",
    "vgs": "videregående skole",
    "vgo": "videregående opplæring",
    "udir": "utdanningsdirektoratet",
    "kd": "kunnskapsdepartementet",
    "kud": "kulturdepartementet",
    "ks": "kommunesektorens organisasjon",
    "hms": "helse miljø og sikkerhet",
    "gdpr": "personvernforordningen personvern",
    "pvo": "personvernombud",
    "fau": "foreldrenes arbeidsutvalg",
    "iop": "individuell opplæringsplan",
    "ikt": "informasjonsteknologi",
    "bufdir": "barne ungdoms og familiedirektoratet",
    "bufetat": "barne ungdoms og familieetaten",
    "nfk": "norsk kulturråd",
    "nmh": "norges musikkhøgskole",
    "fou": "forskning og utvikling",
    "lk20": "læreplanverket kunnskapsløftet 2020",
    "oppll": "opplæringslova",
    "opl": "opplæringsloven",
    "tpo": "talentprogram",
    "mfo": "musikernes fellesorganisasjon",
    "utdf": "utdanningsforbundet",
    "fagforb": "fagforbundet",
    "kmd": "kommunal og moderniseringsdepartementet",
    "kdd": "kommunal og distriktsdepartementet",
    "kulturløftet": "kulturløftet",
    "ca": "cirka",
    "evt": "eventuelt",
    "f.eks": "for eksempel",
    "feks": "for eksempel",
    "mtp": "med tanke på",
    "ifm": "i forbindelse med",
    "iht": "i henhold til",
    "jf": "jamfør",
    "mht": "med hensyn til",
    "pga": "på grunn av",
    "osv": "og så videre",
    "kr": "kroner",
    "mnd": "måned",
    "stk": "stykker",
}

# Bokmål stop words (after nynorsk mapping). Deliberately *not* stop words:
# negations ("ikke", "uten"), and words that carry meaning in this domain
# ("alle", "egen", "ny", "før", "etter", "under", "over").
STOPWORDS: frozenset[str] = frozenset(
    """
    a at av bare begge ble bli blir blitt da de dem den denne der deres derfor det dette
    di du dere deg din dine disse dit ditt du eller en ene eneste enhver enn er et ett
    for fra få får gjøre gjør gjort ha hadde han hans har hennes her hun hva hvem hver
    hvilke hvilken hvilket hvis hvor hvordan hvorfor i ingen inn ja jeg kan kanskje kom
    kommer kunne la man mange med meg men mer mest min mine mitt mot mye må måte måtte
    ned nei noe noen nå når og også om opp oss på samme seg selv si sia siden sin sine sitt
    sjøl skal skulle slik som så sånn til ut var vi vil ville vår våre vårt være vært
    hei hallo takk gjerne egentlig altså liksom nok jo vel visst lurer spørsmål spør spørre
    fortelle forklare vet vite veit info informasjon dersom ettersom både enten
    the a an is are what how why who of to in for and or on
    """.split()
)

# Domain synonyms: every key is replaced by its canonical value (both sides).
# Kept short and conservative: only words that mean the same in a
# kulturskole question.
SYNONYMS: dict[str, str] = {
    "påmelding": "søknad",
    "påmeldingen": "søknaden",
    "innmelding": "søknad",
    "utmelding": "oppsigelse",
    "utmeldingen": "oppsigelsen",
    "avmelding": "oppsigelse",
    "kontingent": "egenbetaling",
    "semesteravgift": "egenbetaling",
    "elevavgift": "egenbetaling",
    "elevavgiften": "egenbetaling",
    "egenbetalingen": "egenbetaling",
    "skolepenger": "egenbetaling",
    "foreldrebetaling": "egenbetaling",
    "foresatte": "foreldre",
    "foresatt": "forelder",
    "unger": "barn",
    "ungene": "barna",
    "kids": "barn",
    "elevplass": "plass",
    "elevplassen": "plassen",
    "kulturskoleplass": "plass",
    "kulturskoleplassen": "plassen",
    "introprogram": "introduksjonsprogram",
    "introprogrammet": "introduksjonsprogrammet",
    "mail": "epost",
    "e-post": "epost",
    "email": "epost",
}

# Concept classes: a word (or a word starting with a "prefix*") in one of
# these sets adds the class name as an extra word feature on both sides, so
# "kø" meets "venteliste" and "lovkrav" meets "lovpålagt". Words, not stems;
# stems of the listed words match too. Written from the domain (the topics a
# kulturskole FAQ covers), not from single questions.
CONCEPTS: dict[str, str] = {
    "plikt": "plikt plikten plikter pliktig pålagt pålagte lovpålagt lovpålagte lovpålegg lovfestet "
    "lovfestede lovkrav lovkravet påbudt forpliktet forpliktelse forpliktelser lovbestemt obligatorisk "
    "skyldig kulturskoleplikten",
    "tilsyn": "tilsyn tilsynet kontroll kontrollere kontrollerer kontrollert sjekke sjekker sjekket "
    "statsforvalter statsforvalteren fylkesmann fylkesmannen overvåke overvåker etterlevelse",
    "makspris": "makspris maksimalpris maksimal maksimum pristak tak taket øvre grense høyeste",
    "egenbetaling": "egenbetaling egenandel pris prisen priser koste koster kostnad kostnader betale "
    "betaler betaling avgift avgiften avgifter gebyr kontingent skolepenger deltakeravgift deltakeravgifter "
    "elevkontingent billig billigere",
    "venteliste": "venteliste ventelisten ventelister ventelistene kø køen køer vente venter ventetid "
    "ventetiden ventende",
    "stiftet": "stiftet stifte stiftelse grunnlagt grunnla grunnlegge etablert etablere etableringen "
    "opprettet opprette opprettelse dannet startet",
    "mobbing": "mobbing mobbe mobb* krenkelse krenkelser krenk* trakassering trakass* skolemiljø "
    "skolemiljøet aktivitetsplikt aktivitetsplikten trygt trygg trygge",
    "bindende": "bindende forpliktende veiledende rettleiande juridisk juridiske lovkraft "
    "rettslig rettslige binde",
    "revisjon": "revisjon revisjonen revidere revidert revideres revidering oppdatert oppdatere oppdatering "
    "fornye fornyet fornyelse",
    "interkommunal": "interkommunal interkommunalt interkommunale nabokommun* felleskommunal "
    "kommunesamarbeid",
    "lærer": "lærer lærere læreren lærerne pedagog pedagoger pedagogen instruktør instruktører "
    "underviser undervisere kulturskolelærer kulturskolelærere kulturskolelæreren kulturskolelærerne",
    "kompetanse": "kompetanse kompetansen kompetansekrav utdanning utdanningen utdannet utdanna "
    "lærerutdanning kvalifikasjon kvalifikasjoner kvalifisert kvalifikasjonskrav formell formelle "
    "fagutdanning",
    "flyktning": "flyktning* asylsøk* innvandr* nyankom* minoritet* mottaksklass* innføringsklass* "
    "introduksjonsdeltak*",
    "personvern": "personvern personvernet personopplysninger personopplysning gdpr samtykke samtykket "
    "databehandleravtale databehandler",
    "bilde": "bilde bilder bildet bildene foto fotos fotografi fotografere fotograferer fotografering "
    "filme filming video videoer",
    "henvise": "henvise henviser henvist henvisning henvisningen tilvise",
    "talent": "talent talenter talentfull talentfulle talentutvikling begavet begavede flink flinke "
    "dyktig dyktige motiverte",
    "eldre": "eldre pensjonist pensjonister senior seniorer eldreomsorg sykehjem",
    "barnehage": "barnehage* førskole* småbarn",
    "midler": "penger pengene midler midlene finansiering finansiere finansieres finansiert spillemidler "
    "spillemidlene tilskudd tilskuddet tilskuddene støtte støtten støttemidler bevilgning bevilgninger "
    "tilskuddsordning tilskuddsordninger støtteordning støtteordninger",
    "historie": "historie historien historikk historisk bakgrunn bakgrunnen opprinnelse",
    "frist": "frist fristen frister svarfrist svartid svartiden tidsfrist",
    "rådgiver": "rådgiver rådgivere rådgiveren rådgivning menneske mennesker saksbehandler fagperson "
    "ekspert",
    "bot": "bot boten kulturbot kulturboten chatbot robot roboten",
    "frivillig": "korps korpset korpsa korpsene kor koret korene frivillig frivillige lag foreninger "
    "amatør amatører musikkliv",
    "statistikk": "statistikk statistikken tall tallene tallet nøkkeltall nøkkeltallene elevtall "
    "elevtallet andel prosent antall",
    "fag": "fag fagene faget kunstfag kunstfagene kunstfaglig kunstuttrykk",
    "opptak": "opptak opptaket inntak inntaket tildeling tildele tildelt prioritere prioritering "
    "prioriteres prioritet kriterier",
    "flytte": "flytte flyttes flytting overføre overført",
    "voksne": "voksne voksen voksenopplæring aldersgrense alder",
    "henger": "sammenheng henger overgang",
    "formål": "formål formålet formålene formålsparagraf formålsparagrafen formålsbestemmelse "
    "formålsbestemmelsen føremål føremålet hensikt hensikten",
}

# Norwegian counties, regions and the larger municipalities and towns,
# lowercase. A question naming one asks about that place; an article that
# does not mention it cannot answer (employees rarely capitalize, so the
# capital-letter test alone misses "kulturskolen i drammen").
PLACES: frozenset[str] = frozenset(
    """
    agder innlandet møre romsdal nordland oslo rogaland troms finnmark trøndelag vestfold telemark
    vestland viken buskerud akershus østfold hordaland sogn fjordane hedmark oppland sunnmøre
    nordmøre hardanger voss lofoten vesterålen helgeland salten ofoten hallingdal valdres
    gudbrandsdalen østerdalen romerike follo jæren ryfylke haugalandet sørlandet vestlandet
    nordnorge østlandet bergen trondheim stavanger kristiansand drammen fredrikstad sandnes tromsø
    sarpsborg skien bodø ålesund sandefjord larvik tønsberg arendal porsgrunn haugesund moss hamar
    lillehammer gjøvik molde kristiansund harstad narvik alta hammerfest vadsø vardø kirkenes
    sortland rana mosjøen steinkjer levanger stjørdal namsos orkland halden kongsberg hønefoss
    ringerike asker bærum lillestrøm lørenskog rælingen nittedal ullensaker eidsvoll nannestad
    gjerdrum follo ås frogn vestby nesodden enebakk østfold rakkestad råde våler hvaler jevnaker
    lunner kongsvinger elverum løten stange ringsaker trysil åmot tynset røros oppdal melhus malvik
    skaun orkdal hitra frøya selbu tydal sunndal surnadal aukra hustadvika vestnes rauma volda ørsta
    herøy ulstein hareid sykkylven stranda stryn gloppen sunnfjord førde florø bremanger askvoll
    fjaler høyanger sogndal luster lærdal årdal aurland balestrand leikanger askøy øygarden
    bjørnafjorden alver osterøy vaksdal modalen masfjorden gulen stord fitjar bømlo sveio etne
    kvinnherad tysnes austevoll kvam odda ullensvang eidfjord ulvik karmøy tysvær vindafjord bokn
    utsira sauda suldal hjelmeland randaberg klepp hå gjesdal bjerkreim eigersund sokndal egersund
    flekkefjord lyngdal farsund kvinesdal sirdal hægebostad åseral lindesnes mandal vennesla
    lillesand grimstad froland tvedestrand risør gjerstad vegårshei åmli bygland bykle evje iveland
    birkenes kragerø bamble drangedal notodden tinn hjartdal seljord kviteseid nissedal fyresdal
    tokke vinje færder holmestrand horten lardal modum eiker eiker flå nesbyen hemsedal sigdal
    krødsherad rollag nore uvdal flesberg etnedal slidre slidre ringebu øyer lesja dovre vågå skjåk
    toten toten alstahaug brønnøy vefsn hemnes rana meløy gildeskål fauske saltdal sørfold steigen
    hamarøy lødingen hadsel øksnes andøy vågan vestvågøy flakstad moskenes senja balsfjord målselv
    bardu lyngen storfjord kåfjord nordreisa kvænangen skjervøy karlsøy nordkapp porsanger karasjok
    kautokeino tana nesseby båtsfjord berlevåg lebesby loppa hasvik måsøy gamvik sverige danmark
    finland island tyskland england sveits
    """.split()
)

# "Light" words: not stop words (they still rank), but they say little about
# *what* is asked ("finnes det …", "hva står det …", "er det vanlig …"), so
# coverage (the confidence's main input) counts them at a fraction of their
# weight. After nynorsk mapping.
LIGHT: frozenset[str] = frozenset(
    """
    står stå stod sto finnes fins slags heter het gå går gikk ta tar tatt gi gir gis gitt
    vurderer vurdere fungerer fungere funker skjer skje skjedde sier sagt stemmer egentlig faktisk
    lurt veldig ekstremt nesten totalt trenger trengs ber be tenke tenker mener tror gjelder gjelde
    finne hjelpe type ting eksempel eksempler kjennetegner kjennetegne innebærer menes betyr bety
    dreier handler snakke stille stiller hatt fått gjort driver drive jobber jobbe bruke bruker
    brukes vanlig vanligvis mulig tillatt ok greit nødt bør burde gang første ny nytt nye annen
    flere sist siste dag idag fortsatt fremdeles enda ennå lenger
    """.split()
)
