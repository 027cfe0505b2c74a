"""Greeting, small talk, answers, feedback, bad input and errors."""

NB: dict[str, str] = {
    # greeting and small talk
    "welcome": (
        "Hei! Jeg er **Kulturbot**, og jeg svarer på spørsmål om kulturskolen – lov og plikter, "
        "rammeplanen, opptak og priser, DKS, statistikk og mye mer.\n"
        "Skriv spørsmålet ditt, for eksempel «Hva er breddeprogrammet?». Finner jeg ikke svaret, "
        "sender jeg spørsmålet til en rådgiver i Norsk kulturskoleråd, som svarer innen 48 timer."
    ),
    "smalltalk.greeting": "Hei! Jeg svarer på spørsmål om kulturskolen. Spør meg for eksempel «Hva er kulturskoletimen?»",
    "smalltalk.thanks": "Bare hyggelig!",
    "smalltalk.bye": "Ha en fin dag! Du kan spørre meg igjen når som helst.",
    "smalltalk.about": (
        "Jeg er Kulturbot, en assistent fra Norsk kulturskoleråd. Jeg svarer fra en kunnskapsbase "
        "som rådgiverne holder oppdatert, og sender spørsmål jeg ikke kan svare på videre til en rådgiver."
    ),
    "smalltalk.help": (
        "Skriv et spørsmål om kulturskolen, så svarer jeg eller sender det til en rådgiver "
        "(svar innen 48 timer).\nEksempler: «Er kommunen lovpålagt å ha kulturskole?», "
        "«Hva er friplass?», «Hva er GSI?»"
    ),
    # bad input
    "input.empty": "Jeg fikk ingen tekst. Skriv spørsmålet ditt, for eksempel «Hva er breddeprogrammet?»",
    "input.too_long": (
        "Meldingen din er veldig lang ({length} tegn). Kan du korte spørsmålet ned til under "
        "{limit} tegn? Da blir det lettere å finne riktig svar."
    ),
    # answers
    "answer.source": "Kilde: [{label}]({url})",
    "answer.uncertain": "Kildene her er usikre eller kan være utdaterte. Trykk «Spør en rådgiver» hvis du vil at en rådgiver ser på saken.",
    "answer.fallback": "Svar: {title}",
    "button.helpful": "👍 Nyttig",
    "button.not_helpful": "👎 Ikke nyttig",
    "button.ask_adviser": "Spør en rådgiver",
    "suggest.intro": "Jeg er ikke helt sikker på hva du mener. Er det et av disse?",
    "suggest.none": "Ingen av disse – spør en rådgiver",
    "suggest.fallback": "Mente du …?",
    "escalate.no_answer": "Det har jeg dessverre ikke et godt svar på.",
    "feedback.thanks": "Takk for tilbakemeldingen!",
    "feedback.sorry": "Takk for at du sier fra. Vil du at en rådgiver i Norsk kulturskoleråd svarer deg i stedet?",
    "feedback.already": "Du har allerede gitt tilbakemelding på dette svaret. Takk!",
    # errors
    "error.generic": "Beklager, noe gikk galt hos meg. Prøv igjen om litt – spørsmålet ditt er ikke glemt.",
    "error.try_again_later": "Beklager, jeg har litt problemer akkurat nå. Prøv igjen om litt.",
    "error.stale_button": "Denne knappen hører til en eldre melding og kan ikke brukes lenger.",
    "error.not_yours": "Denne knappen hører til noen andres spørsmål, så den kan ikke brukes av deg.",
    "error.unknown_action": "Den handlingen kjenner jeg ikke. Prøv å skrive spørsmålet ditt på nytt.",
    "console.no_such_button": "Det finnes ingen slik knapp. Skriv /1, /2 … for knappene under siste melding.",
}

NN: dict[str, str] = {
    "welcome": (
        "Hei! Eg er **Kulturbot**, og eg svarar på spørsmål om kulturskulen – lov og plikter, "
        "rammeplanen, opptak og prisar, DKS, statistikk og mykje meir.\n"
        "Skriv spørsmålet ditt, til dømes «Kva er breiddeprogrammet?». Finn eg ikkje svaret, "
        "sender eg spørsmålet til ein rådgivar i Norsk kulturskoleråd, som svarar innan 48 timar."
    ),
    "smalltalk.greeting": "Hei! Eg svarar på spørsmål om kulturskulen. Spør meg til dømes «Kva er kulturskuletimen?»",
    "smalltalk.thanks": "Berre hyggeleg!",
    "smalltalk.bye": "Ha ein fin dag! Du kan spørje meg igjen når som helst.",
    "smalltalk.about": (
        "Eg er Kulturbot, ein assistent frå Norsk kulturskoleråd. Eg svarar frå ein kunnskapsbase "
        "som rådgivarane held oppdatert, og sender spørsmål eg ikkje kan svare på vidare til ein rådgivar."
    ),
    "smalltalk.help": (
        "Skriv eit spørsmål om kulturskulen, så svarar eg eller sender det til ein rådgivar "
        "(svar innan 48 timar).\nDøme: «Er kommunen lovpålagd å ha kulturskule?», "
        "«Kva er friplass?», «Kva er GSI?»"
    ),
    "input.empty": "Eg fekk ingen tekst. Skriv spørsmålet ditt, til dømes «Kva er breiddeprogrammet?»",
    "input.too_long": (
        "Meldinga di er svært lang ({length} teikn). Kan du korte spørsmålet ned til under "
        "{limit} teikn? Då blir det lettare å finne rett svar."
    ),
    "answer.source": "Kjelde: [{label}]({url})",
    "answer.uncertain": "Kjeldene her er usikre eller kan vere utdaterte. Trykk «Spør ein rådgivar» om du vil at ein rådgivar ser på saka.",
    "answer.fallback": "Svar: {title}",
    "button.helpful": "👍 Nyttig",
    "button.not_helpful": "👎 Ikkje nyttig",
    "button.ask_adviser": "Spør ein rådgivar",
    "suggest.intro": "Eg er ikkje heilt sikker på kva du meiner. Er det eitt av desse?",
    "suggest.none": "Ingen av desse – spør ein rådgivar",
    "suggest.fallback": "Meinte du …?",
    "escalate.no_answer": "Det har eg dessverre ikkje eit godt svar på.",
    "feedback.thanks": "Takk for tilbakemeldinga!",
    "feedback.sorry": "Takk for at du seier frå. Vil du at ein rådgivar i Norsk kulturskoleråd svarar deg i staden?",
    "feedback.already": "Du har allereie gitt tilbakemelding på dette svaret. Takk!",
    "error.generic": "Orsak, noko gjekk gale hos meg. Prøv igjen om litt – spørsmålet ditt er ikkje gløymt.",
    "error.try_again_later": "Orsak, eg har litt problem akkurat no. Prøv igjen om litt.",
    "error.stale_button": "Denne knappen høyrer til ei eldre melding og kan ikkje brukast lenger.",
    "error.not_yours": "Denne knappen høyrer til spørsmålet til nokon andre, så du kan ikkje bruke han.",
    "error.unknown_action": "Den handlinga kjenner eg ikkje. Prøv å skrive spørsmålet ditt på nytt.",
    "console.no_such_button": "Det finst ingen slik knapp. Skriv /1, /2 … for knappane under siste melding.",
}
