"""Every user-facing string, in bokmål (nb) and nynorsk (nn). Handlers never hold literals.

Values are str.format templates in the neutral Markdown subset. A test checks that both
languages have the same keys and the same placeholders.
"""

from __future__ import annotations

from typing import Any

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
    "privacy.masked": (
        "Jeg har fjernet et fødselsnummer fra meldingen din før den ble lagret eller sendt videre. "
        "Du trenger ikke oppgi personnummer for å få hjelp – beskriv gjerne saken uten navn og nummer."
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
    # tickets, the asker's side
    "ticket.opened": (
        "Det har jeg ikke et godt svar på, så jeg har sendt spørsmålet ditt til en rådgiver i "
        "Norsk kulturskoleråd (sak **#{number}**).\nDu får svar her senest **{deadline}**."
    ),
    "ticket.opened_on_request": (
        "Jeg har sendt spørsmålet ditt til en rådgiver i Norsk kulturskoleråd (sak **#{number}**).\n"
        "Du får svar her senest **{deadline}**."
    ),
    "ticket.opened_elsewhere": "Sak **#{number}** er opprettet. Svaret kommer som en direktemelding fra meg, senest **{deadline}**.",
    "ticket.fallback": "Sak #{number}: spørsmålet ditt er sendt til en rådgiver",
    "ticket.already": "Spørsmålet ditt er allerede sendt til en rådgiver (sak **#{number}**).",
    "ticket.status_line": "Status: {status}",
    "ticket.withdrawn": "Du har trukket tilbake sak **#{number}**. Rådgiverne er varslet. Du kan alltid spørre på nytt.",
    "ticket.details_added": "Takk! Jeg har lagt det til i sak **#{number}**, og rådgiveren ser det.",
    "ticket.follow_up_sent": "Takk! Jeg har sendt det til rådgiveren i sak **#{number}**.",
    "ticket.details_prompt": "Skriv det du vil legge til i sak **#{number}**, så sender jeg det til rådgiveren.",
    "ticket.closed_for_input": "Sak **#{number}** er {status}. Skriv spørsmålet ditt på nytt, så hjelper jeg deg videre.",
    "ticket.thanks_ack": "Så bra at det hjalp! Jeg markerer sak **#{number}** som løst.",
    "ticket.answer_heading": "Svar fra {name} (sak #{number})",
    "ticket.answer_fallback": "Du har fått svar på sak #{number}",
    "ticket.empty_input": "Meldingen var tom, så ingenting ble sendt.",
    "button.add_details": "Legg til detaljer",
    "button.withdraw": "Trekk tilbake",
    "button.thanks": "Takk, det hjalp",
    "button.follow_up": "Jeg har et oppfølgingsspørsmål",
    "form.send": "Send",
    "form.details.title": "Legg til detaljer",
    "form.details.label": "Hva vil du legge til? Rådgiveren ser det i saken.",
    "form.follow_up.title": "Oppfølgingsspørsmål",
    "form.follow_up.label": "Hva lurer du på?",
    "mine.none": "Du har ingen saker hos rådgiverne.",
    "mine.heading": "Dine saker",
    "mine.line": "**#{number}** · {status} · {when}",
    "mine.due": "frist {deadline}",
    "mine.answered": "besvart {answered}",
    "status.open": "venter på en rådgiver",
    "status.claimed": "{name} har saken",
    "status.answered": "besvart av {name}",
    "status.resolved": "løst",
    "status.withdrawn": "trukket tilbake",
    # tickets, the advisers' side
    "card.heading": "{icon} #{number} · {status} · frist {deadline} ({left})",
    "card.heading_closed": "{icon} #{number} · {status}",
    "card.left": "{duration} igjen",
    "card.overdue": "{duration} over fristen",
    "card.status.open": "Åpen",
    "card.status.claimed": "{name} har saken",
    "card.status.answered": "Besvart av {name}",
    "card.status.resolved": "Løst",
    "card.status.withdrawn": "Trukket tilbake",
    "card.fallback": "Sak #{number}: {status}",
    "card.field.from": "Fra",
    "card.field.created": "Opprettet",
    "card.field.deadline": "Frist",
    "card.field.assignee": "Saksbehandler",
    "card.field.topic": "Emne",
    "card.nobody": "ingen ennå",
    "card.near": "Nærmeste artikler: {titles}",
    "card.unhelpful": "Svaret som ikke hjalp: {title}",
    "card.history": "Historikk: {lines}",
    "history.opened": "{time} opprettet",
    "history.claimed": "{time} {actor} tok saken",
    "history.released": "{time} {actor} slapp saken",
    "history.assigned": "{time} {actor} tildelte saken til {target}",
    "history.answered": "{time} {actor} svarte",
    "history.follow_up": "{time} spørreren fulgte opp",
    "history.details": "{time} spørreren la til detaljer",
    "history.resolved": "{time} {actor} løste saken",
    "history.reopened": "{time} {actor} gjenåpnet saken",
    "history.withdrawn": "{time} spørreren trakk saken",
    "history.labelled": "{time} {actor} satte emne {topic}",
    "button.claim": "Ta saken",
    "button.release": "Slipp",
    "button.answer": "Svar",
    "button.resolve": "Løs",
    "button.reopen": "Gjenåpne",
    "select.assign": "Tildel …",
    "select.topic": "Emne …",
    "form.answer.title": "Svar på sak #{number}",
    "form.answer.label": "Svaret ditt. Det sendes til spørreren i ditt navn.",
    "adviser.follow_up": "💬 Oppfølging fra {name}:",
    "adviser.details": "📎 {name} la til:",
    "adviser.answer_sent": "✉️ {name} svarte (sendt til spørreren):",
    "adviser.withdrawn": "Spørreren trakk tilbake sak #{number}.",
    "adviser.assigned_dm": "📌 {actor} har gitt deg sak **#{number}** (frist {deadline}).",
    "adviser.already_claimed": "Sak **#{number}** er allerede tatt av {name}.",
    "adviser.not_assignee": "Det er {name} som har sak **#{number}**, så det er {name} som kan slippe den.",
    "adviser.closed": "Sak **#{number}** er {status}. Gjenåpne saken først.",
    "adviser.not_closed": "Sak **#{number}** er ikke løst, så den trenger ikke gjenåpnes.",
    "adviser.unknown_person": "Jeg kjenner ikke den personen som rådgiver.",
    "adviser.unknown_topic": "Det emnet finnes ikke i listen.",
    "refuse.not_adviser": "Bare rådgivere i Norsk kulturskoleråd kan behandle saker. Ingenting er endret.",
    "refuse.not_asker": "Bare den som stilte spørsmålet, kan gjøre dette.",
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
    "privacy.masked": (
        "Eg har fjerna eit fødselsnummer frå meldinga di før ho vart lagra eller send vidare. "
        "Du treng ikkje oppgi personnummer for å få hjelp – beskriv gjerne saka utan namn og nummer."
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
    "ticket.opened": (
        "Det har eg ikkje eit godt svar på, så eg har sendt spørsmålet ditt til ein rådgivar i "
        "Norsk kulturskoleråd (sak **#{number}**).\nDu får svar her seinast **{deadline}**."
    ),
    "ticket.opened_on_request": (
        "Eg har sendt spørsmålet ditt til ein rådgivar i Norsk kulturskoleråd (sak **#{number}**).\n"
        "Du får svar her seinast **{deadline}**."
    ),
    "ticket.opened_elsewhere": "Sak **#{number}** er oppretta. Svaret kjem som ei direktemelding frå meg, seinast **{deadline}**.",
    "ticket.fallback": "Sak #{number}: spørsmålet ditt er sendt til ein rådgivar",
    "ticket.already": "Spørsmålet ditt er allereie sendt til ein rådgivar (sak **#{number}**).",
    "ticket.status_line": "Status: {status}",
    "ticket.withdrawn": "Du har trekt tilbake sak **#{number}**. Rådgivarane er varsla. Du kan alltid spørje på nytt.",
    "ticket.details_added": "Takk! Eg har lagt det til i sak **#{number}**, og rådgivaren ser det.",
    "ticket.follow_up_sent": "Takk! Eg har sendt det til rådgivaren i sak **#{number}**.",
    "ticket.details_prompt": "Skriv det du vil leggje til i sak **#{number}**, så sender eg det til rådgivaren.",
    "ticket.closed_for_input": "Sak **#{number}** er {status}. Skriv spørsmålet ditt på nytt, så hjelper eg deg vidare.",
    "ticket.thanks_ack": "Så bra at det hjelpte! Eg markerer sak **#{number}** som løyst.",
    "ticket.answer_heading": "Svar frå {name} (sak #{number})",
    "ticket.answer_fallback": "Du har fått svar på sak #{number}",
    "ticket.empty_input": "Meldinga var tom, så ingenting vart sendt.",
    "button.add_details": "Legg til detaljar",
    "button.withdraw": "Trekk tilbake",
    "button.thanks": "Takk, det hjelpte",
    "button.follow_up": "Eg har eit oppfølgingsspørsmål",
    "form.send": "Send",
    "form.details.title": "Legg til detaljar",
    "form.details.label": "Kva vil du leggje til? Rådgivaren ser det i saka.",
    "form.follow_up.title": "Oppfølgingsspørsmål",
    "form.follow_up.label": "Kva lurer du på?",
    "mine.none": "Du har ingen saker hos rådgivarane.",
    "mine.heading": "Sakene dine",
    "mine.line": "**#{number}** · {status} · {when}",
    "mine.due": "frist {deadline}",
    "mine.answered": "svara {answered}",
    "status.open": "ventar på ein rådgivar",
    "status.claimed": "{name} har saka",
    "status.answered": "svara av {name}",
    "status.resolved": "løyst",
    "status.withdrawn": "trekt tilbake",
    "card.heading": "{icon} #{number} · {status} · frist {deadline} ({left})",
    "card.heading_closed": "{icon} #{number} · {status}",
    "card.left": "{duration} att",
    "card.overdue": "{duration} over fristen",
    "card.status.open": "Open",
    "card.status.claimed": "{name} har saka",
    "card.status.answered": "Svara av {name}",
    "card.status.resolved": "Løyst",
    "card.status.withdrawn": "Trekt tilbake",
    "card.fallback": "Sak #{number}: {status}",
    "card.field.from": "Frå",
    "card.field.created": "Oppretta",
    "card.field.deadline": "Frist",
    "card.field.assignee": "Saksbehandlar",
    "card.field.topic": "Emne",
    "card.nobody": "ingen enno",
    "card.near": "Næraste artiklar: {titles}",
    "card.unhelpful": "Svaret som ikkje hjelpte: {title}",
    "card.history": "Historikk: {lines}",
    "history.opened": "{time} oppretta",
    "history.claimed": "{time} {actor} tok saka",
    "history.released": "{time} {actor} slepte saka",
    "history.assigned": "{time} {actor} gav saka til {target}",
    "history.answered": "{time} {actor} svara",
    "history.follow_up": "{time} spørjaren følgde opp",
    "history.details": "{time} spørjaren la til detaljar",
    "history.resolved": "{time} {actor} løyste saka",
    "history.reopened": "{time} {actor} opna saka igjen",
    "history.withdrawn": "{time} spørjaren trekte saka",
    "history.labelled": "{time} {actor} sette emne {topic}",
    "button.claim": "Ta saka",
    "button.release": "Slepp",
    "button.answer": "Svar",
    "button.resolve": "Løys",
    "button.reopen": "Opne igjen",
    "select.assign": "Tildel …",
    "select.topic": "Emne …",
    "form.answer.title": "Svar på sak #{number}",
    "form.answer.label": "Svaret ditt. Det blir sendt til spørjaren i ditt namn.",
    "adviser.follow_up": "💬 Oppfølging frå {name}:",
    "adviser.details": "📎 {name} la til:",
    "adviser.answer_sent": "✉️ {name} svara (sendt til spørjaren):",
    "adviser.withdrawn": "Spørjaren trekte tilbake sak #{number}.",
    "adviser.assigned_dm": "📌 {actor} har gitt deg sak **#{number}** (frist {deadline}).",
    "adviser.already_claimed": "Sak **#{number}** er allereie teken av {name}.",
    "adviser.not_assignee": "Det er {name} som har sak **#{number}**, så det er {name} som kan sleppe ho.",
    "adviser.closed": "Sak **#{number}** er {status}. Opne saka igjen først.",
    "adviser.not_closed": "Sak **#{number}** er ikkje løyst, så ho treng ikkje opnast igjen.",
    "adviser.unknown_person": "Eg kjenner ikkje den personen som rådgivar.",
    "adviser.unknown_topic": "Det emnet finst ikkje i lista.",
    "refuse.not_adviser": "Berre rådgivarar i Norsk kulturskoleråd kan behandle saker. Ingenting er endra.",
    "refuse.not_asker": "Berre den som stilte spørsmålet, kan gjere dette.",
    "console.no_such_button": "Det finst ingen slik knapp. Skriv /1, /2 … for knappane under siste melding.",
}

CATALOGUES: dict[str, dict[str, str]] = {"nb": NB, "nn": NN}


def t(lang: str, key: str, **values: Any) -> str:
    """The text for key in lang (falls back to bokmål), filled with values."""
    template = CATALOGUES.get(lang, NB).get(key) or NB[key]
    return template.format(**values) if values else template
