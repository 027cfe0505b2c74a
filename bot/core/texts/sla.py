"""Texts for the sla area: reminders, the breach escalation, the apology, the pause."""

NB: dict[str, str] = {
    # reminders (the advisers' channel while nobody has the ticket, a DM to whoever has it)
    "sla.remind.channel": "⏰ Sak **#{number}** har ikke fått svar, og fristen går ut om {left} ({deadline}).",
    "sla.remind.channel_assigned": (
        "⏰ Sak **#{number}** ({name} har saken) har ikke fått svar, og fristen går ut om {left} ({deadline})."
    ),
    "sla.remind.dm": "⏰ Du har sak **#{number}** – {left} igjen til fristen ({deadline}).",
    # many reminders for the same place in one sweep (after downtime, a busy day): one message
    "sla.remind.channel_many": "⏰ {count} saker har ikke fått svar, og fristen nærmer seg:",
    "sla.remind.channel_line": "• **#{number}** – fristen går ut om {left} ({deadline})",
    "sla.remind.channel_line_assigned": "• **#{number}** ({name} har saken) – fristen går ut om {left} ({deadline})",
    "sla.remind.dm_many": "⏰ Du har {count} saker som nærmer seg fristen:",
    "sla.remind.dm_line": "• **#{number}** – {left} igjen ({deadline})",
    "sla.select.claim": "Ta saken …",
    "sla.left.hours": "{n} timer",
    "sla.left.hour": "1 time",
    "sla.left.business_hours": "{n} arbeidstimer",
    "sla.left.business_hour": "1 arbeidstime",
    "sla.left.minutes": "{n} minutter",
    "sla.left.minute": "1 minutt",
    # the breach
    "sla.breach.managers": "🔴 Sak **#{number}** ({workspace}) passerte {promise} {when}. Saksbehandler: {assignee}.",
    "sla.breach.nobody": "ingen har tatt saken",
    "sla.promise.calendar": "{hours}-timersfristen",
    "sla.promise.business": "fristen på {hours} arbeidstimer",
    "sla.when.today": "kl. {time} i dag",
    "sla.when.other": "{date}",
    "sla.breach.thread": "🔴 Fristen for sak **#{number}** gikk ut {when}. Lederne er varslet.",
    "sla.breach.thread_quiet": "🔴 Fristen for sak **#{number}** gikk ut {when}.",
    "sla.card.breached": "🔴 Fristen gikk ut {deadline}. Lederne er varslet.",
    "sla.card.breached_quiet": "🔴 Fristen gikk ut {deadline}.",
    # after a breach, to the asker, once an adviser acts
    "sla.apology.renewed": (
        "Beklager at sak **#{number}** har tatt lengre tid enn lovet. {name} har saken nå, "
        "og du får svar her senest **{deadline}**."
    ),
    "sla.apology.answered": "Beklager at svaret på sak **#{number}** kom senere enn lovet.",
    "sla.apology.question": (
        "Beklager at sak **#{number}** har tatt lengre tid enn lovet. {name} trenger litt mer informasjon fra deg."
    ),
    # the pause: an adviser asks the asker a question back
    "button.ask_asker": "Spør spørreren",
    "form.ask_asker.title": "Spørsmål til spørreren",
    "form.ask_asker.label": "Spørsmålet ditt. Det sendes til spørreren i ditt navn, og fristen står stille til hen svarer.",
    "form.ask_asker.label_no_pause": "Spørsmålet ditt. Det sendes til spørreren i ditt navn.",
    "sla.ask.heading": "Spørsmål fra {name} (sak #{number})",
    "sla.ask.fallback": "Rådgiveren har et spørsmål om sak #{number}",
    "sla.ask.paused_note": "Fristen for svaret står stille til du svarer.",
    "sla.ask.reply_title": "Svar rådgiveren",
    "sla.ask.reply_label": "Svaret ditt går til rådgiveren i sak #{number}.",
    "sla.ask.echo": "❓ {name} spurte spørreren (fristen står stille til hen svarer):",
    "sla.ask.echo_no_pause": "❓ {name} spurte spørreren:",
    "sla.card.paused": "⏸ Fristen står stille: venter på svar fra spørreren (siden {since}).",
    "sla.card.paused_left": "fristen står stille",
    "sla.card.left_business": "{duration} arbeidstid igjen",
    "history.asked": "{time} {actor} spurte spørreren",
    "history.resumed": "{time} fristen løper igjen",
}

NN: dict[str, str] = {
    "sla.remind.channel": "⏰ Sak **#{number}** har ikkje fått svar, og fristen går ut om {left} ({deadline}).",
    "sla.remind.channel_assigned": (
        "⏰ Sak **#{number}** ({name} har saka) har ikkje fått svar, og fristen går ut om {left} ({deadline})."
    ),
    "sla.remind.dm": "⏰ Du har sak **#{number}** – {left} att til fristen ({deadline}).",
    "sla.remind.channel_many": "⏰ {count} saker har ikkje fått svar, og fristen nærmar seg:",
    "sla.remind.channel_line": "• **#{number}** – fristen går ut om {left} ({deadline})",
    "sla.remind.channel_line_assigned": "• **#{number}** ({name} har saka) – fristen går ut om {left} ({deadline})",
    "sla.remind.dm_many": "⏰ Du har {count} saker som nærmar seg fristen:",
    "sla.remind.dm_line": "• **#{number}** – {left} att ({deadline})",
    "sla.select.claim": "Ta saka …",
    "sla.left.hours": "{n} timar",
    "sla.left.hour": "1 time",
    "sla.left.business_hours": "{n} arbeidstimar",
    "sla.left.business_hour": "1 arbeidstime",
    "sla.left.minutes": "{n} minutt",
    "sla.left.minute": "1 minutt",
    "sla.breach.managers": "🔴 Sak **#{number}** ({workspace}) passerte {promise} {when}. Saksbehandlar: {assignee}.",
    "sla.breach.nobody": "ingen har teke saka",
    "sla.promise.calendar": "{hours}-timarsfristen",
    "sla.promise.business": "fristen på {hours} arbeidstimar",
    "sla.when.today": "kl. {time} i dag",
    "sla.when.other": "{date}",
    "sla.breach.thread": "🔴 Fristen for sak **#{number}** gjekk ut {when}. Leiarane er varsla.",
    "sla.breach.thread_quiet": "🔴 Fristen for sak **#{number}** gjekk ut {when}.",
    "sla.card.breached": "🔴 Fristen gjekk ut {deadline}. Leiarane er varsla.",
    "sla.card.breached_quiet": "🔴 Fristen gjekk ut {deadline}.",
    "sla.apology.renewed": (
        "Orsak at sak **#{number}** har teke lengre tid enn lova. {name} har saka no, "
        "og du får svar her seinast **{deadline}**."
    ),
    "sla.apology.answered": "Orsak at svaret på sak **#{number}** kom seinare enn lova.",
    "sla.apology.question": (
        "Orsak at sak **#{number}** har teke lengre tid enn lova. {name} treng litt meir informasjon frå deg."
    ),
    "button.ask_asker": "Spør spørjaren",
    "form.ask_asker.title": "Spørsmål til spørjaren",
    "form.ask_asker.label": "Spørsmålet ditt. Det blir sendt til spørjaren i ditt namn, og fristen står still til hen svarar.",
    "form.ask_asker.label_no_pause": "Spørsmålet ditt. Det blir sendt til spørjaren i ditt namn.",
    "sla.ask.heading": "Spørsmål frå {name} (sak #{number})",
    "sla.ask.fallback": "Rådgivaren har eit spørsmål om sak #{number}",
    "sla.ask.paused_note": "Fristen for svaret står still til du svarar.",
    "sla.ask.reply_title": "Svar rådgivaren",
    "sla.ask.reply_label": "Svaret ditt går til rådgivaren i sak #{number}.",
    "sla.ask.echo": "❓ {name} spurde spørjaren (fristen står still til hen svarar):",
    "sla.ask.echo_no_pause": "❓ {name} spurde spørjaren:",
    "sla.card.paused": "⏸ Fristen står still: ventar på svar frå spørjaren (sidan {since}).",
    "sla.card.paused_left": "fristen står still",
    "sla.card.left_business": "{duration} arbeidstid att",
    "history.asked": "{time} {actor} spurde spørjaren",
    "history.resumed": "{time} fristen går igjen",
}
