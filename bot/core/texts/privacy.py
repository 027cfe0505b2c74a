"""Privacy and limits: masked national ids, "mine data", "slett mine data", the rate limit."""

NB: dict[str, str] = {
    "privacy.masked": (
        "Jeg har fjernet et personnummer (fødselsnummer eller D-nummer) fra meldingen din før den ble lagret eller sendt videre. "
        "Du trenger ikke oppgi personnummer for å få hjelp – beskriv gjerne saken uten navn og nummer."
    ),
    "privacy.only_in_dm": (
        "Av hensyn til personvernet ditt tar jeg dette bare i en direktemelding. "
        "Skriv «{command}» til meg der, så hjelper jeg deg."
    ),
    "privacy.summary.heading": "Dette har jeg lagret om deg",
    "privacy.summary.name": "Navnet ditt og hvordan jeg når deg: {name}",
    "privacy.summary.questions": "{count} spørsmål (det eldste fra {oldest})",
    "privacy.summary.no_questions": "Ingen spørsmål",
    "privacy.summary.tickets": "{count} saker hos rådgiverne: {numbers}",
    "privacy.summary.no_tickets": "Ingen saker hos rådgiverne",
    "privacy.summary.rules": (
        "Rådgiverne i Norsk kulturskoleråd ser sakene dine. Spørsmål og avsluttede saker anonymiseres "
        "etter {days} dager: da fjernes hvem du er og hva du skrev, og bare tallene til statistikken blir igjen.\n"
        "Skriv «slett mine data» hvis du vil at jeg sletter det nå."
    ),
    "privacy.confirm": (
        "Vil du at jeg sletter det jeg har lagret om deg? Det gjelder {questions} spørsmål og {tickets} saker. "
        "Åpne saker trekkes tilbake, og rådgiverne får beskjed. Tallene i statistikken blir stående, "
        "men uten navnet ditt og uten det du skrev. Dette kan ikke angres."
    ),
    "privacy.confirm_fallback": "Vil du at jeg sletter dataene dine?",
    "button.privacy_delete": "Ja, slett dataene mine",
    "button.privacy_cancel": "Avbryt",
    "privacy.deleted": (
        "Ferdig. Jeg har slettet navnet ditt og det du skrev i {questions} spørsmål og {tickets} saker. "
        "Skriver du til meg igjen senere, lagrer jeg det nye som vanlig."
    ),
    "privacy.cancelled": "Greit, jeg har ikke slettet noe.",
    "privacy.expired": (
        "Denne bekreftelsen er for gammel. Skriv «slett mine data» på nytt hvis du fortsatt vil slette."
    ),
    "privacy.text_removed": "_(teksten er fjernet av personvernhensyn)_",
    "privacy.adviser_withdrawn": (
        "Den som spurte, har bedt om å få dataene sine slettet. Sak **#{number}** er trukket tilbake, "
        "og navn og tekst er fjernet."
    ),
    "ratelimit.slow_down": (
        "Du sender mange meldinger på kort tid, så jeg tar en liten pause. "
        "Vent et minutt og skriv spørsmålet ditt igjen, så svarer jeg som vanlig."
    ),
}

NN: dict[str, str] = {
    "privacy.masked": (
        "Eg har fjerna eit personnummer (fødselsnummer eller D-nummer) frå meldinga di før ho vart lagra eller send vidare. "
        "Du treng ikkje oppgi personnummer for å få hjelp – beskriv gjerne saka utan namn og nummer."
    ),
    "privacy.only_in_dm": (
        "Av omsyn til personvernet ditt tek eg dette berre i ei direktemelding. "
        "Skriv «{command}» til meg der, så hjelper eg deg."
    ),
    "privacy.summary.heading": "Dette har eg lagra om deg",
    "privacy.summary.name": "Namnet ditt og korleis eg når deg: {name}",
    "privacy.summary.questions": "{count} spørsmål (det eldste frå {oldest})",
    "privacy.summary.no_questions": "Ingen spørsmål",
    "privacy.summary.tickets": "{count} saker hos rådgivarane: {numbers}",
    "privacy.summary.no_tickets": "Ingen saker hos rådgivarane",
    "privacy.summary.rules": (
        "Rådgivarane i Norsk kulturskoleråd ser sakene dine. Spørsmål og avslutta saker blir anonymiserte "
        "etter {days} dagar: då blir det fjerna kven du er og kva du skreiv, og berre tala til statistikken blir att.\n"
        "Skriv «slett mine data» om du vil at eg slettar det no."
    ),
    "privacy.confirm": (
        "Vil du at eg slettar det eg har lagra om deg? Det gjeld {questions} spørsmål og {tickets} saker. "
        "Opne saker blir trekte tilbake, og rådgivarane får beskjed. Tala i statistikken blir ståande, "
        "men utan namnet ditt og utan det du skreiv. Dette kan ikkje angrast."
    ),
    "privacy.confirm_fallback": "Vil du at eg slettar dataa dine?",
    "button.privacy_delete": "Ja, slett dataa mine",
    "button.privacy_cancel": "Avbryt",
    "privacy.deleted": (
        "Ferdig. Eg har sletta namnet ditt og det du skreiv i {questions} spørsmål og {tickets} saker. "
        "Skriv du til meg igjen seinare, lagrar eg det nye som vanleg."
    ),
    "privacy.cancelled": "Greitt, eg har ikkje sletta noko.",
    "privacy.expired": (
        "Denne stadfestinga er for gammal. Skriv «slett mine data» på nytt om du framleis vil slette."
    ),
    "privacy.text_removed": "_(teksten er fjerna av omsyn til personvernet)_",
    "privacy.adviser_withdrawn": (
        "Den som spurde, har bede om å få dataa sine sletta. Sak **#{number}** er trekt tilbake, "
        "og namn og tekst er fjerna."
    ),
    "ratelimit.slow_down": (
        "Du sender mange meldingar på kort tid, så eg tek ein liten pause. "
        "Vent eit minutt og skriv spørsmålet ditt igjen, så svarar eg som vanleg."
    ),
}
