"""Texts for the digest area: manager reports, the chart's legend, the report command."""

NB: dict[str, str] = {
    # titles and the period
    "digest.title.week": "Ukerapport uke {week}",
    "digest.title.day": "Dagsrapport {date}",
    "digest.title.rolling": "Rapport for de siste {days} dagene",
    "digest.title.range": "Rapport {first}–{last}",
    "digest.period": "{first}–{last} · sammenlignet med {prev_first}–{prev_last}",
    "digest.scope": "Kommune: {name}",
    "digest.fallback": "{title}: {questions} spørsmål, {tickets} saker, svar innen fristen {share}",
    "digest.empty": "Ingen spørsmål eller saker i perioden.",
    # questions and tickets
    "digest.questions": (
        "**{questions}** spørsmål{questions_change} · **{answered}** besvart av boten ({answered_share}) · "
        "**{suggested}** fikk forslag · **{tickets}** {tickets_word} til rådgiver{tickets_change}"
    ),
    "digest.tickets": (
        "Saker: **{answered}** besvart{answered_change} · **{resolved}** løst{resolved_change} · "
        "**{withdrawn}** trukket tilbake{withdrawn_change}"
    ),
    "digest.change.up": " (↑ {percent} %)",
    "digest.change.down": " (↓ {percent} %)",
    "digest.change.same": " (± 0 %)",
    "digest.points.up": " (↑ {points} poeng)",
    "digest.points.down": " (↓ {points} poeng)",
    "digest.points.same": " (± 0 poeng)",
    "digest.percent": "{percent} %",
    "digest.tickets.one": "sak",
    "digest.tickets.other": "saker",
    "digest.open.one": "åpen",
    "digest.open.other": "åpne",
    "digest.share.none": "–",
    # the promise
    "digest.promise.share": "**Svar innen {hours} timer: {kept} av {due} ({share})**{change}",
    "digest.promise.no_due": "**Svar innen {hours} timer:** ingen saker hadde frist i perioden",
    "digest.promise.median": "median svartid {median}",
    "digest.promise.p90": "90 % innen {p90}",
    "digest.promise.breaches": "{count} brudd",
    "digest.breaches.heading": "Brudd på fristen:",
    "digest.breach.line": "#{number} · {municipality} · {adviser} · frist {deadline}",
    "digest.breach.nobody": "ingen saksbehandler",
    "digest.more": "… og {count} til",
    "digest.open": (
        "Åpne saker nå: **{open}**, hvorav **{at_risk}** med frist neste døgn og **{overdue}** over fristen"
    ),
    # the knowledge base
    "digest.kb.heading": "Kunnskapsbasen",
    "digest.kb.top": "Mest brukte artikler: {items}",
    "digest.kb.item": "{rank}. {title} ({count})",
    "digest.kb.disliked": "Flest 👎: {items}",
    "digest.kb.disliked_item": "{title} ({down} av {rated} vurderinger)",
    "digest.kb.none": "Ingen artikler ble brukt i perioden.",
    "digest.gaps.heading": "**Spørsmål boten ikke kunne svare på** (forslag til nye artikler):",
    "digest.gaps.item": "{rank}. «{text}» ({count})",
    "digest.gaps.none": "Boten hadde svar på alle spørsmålene i perioden.",
    # advisers and municipalities
    "digest.advisers.heading": "Rådgivere",
    "digest.advisers.line": "{handled} besvart · {open} {open_word}",
    "digest.municipalities.heading": "Per kommune",
    "digest.municipality.line": "{questions} spørsmål · {answered_share} besvart av boten · {tickets} {tickets_word} · {breached} brudd",
    # the chart
    "digest.chart.alt": "Diagram: spørsmål og saker per {unit}, og andel saker besvart innen {hours} timer",
    "digest.chart.unit.day": "dag",
    "digest.chart.unit.week": "uke",
    "digest.chart.legend": "🟦 spørsmål · 🟧 saker · 🟩 andel besvart innen {hours} t (høyre akse)",
    "digest.chart.fallback": "Diagram: {title}",
    # the report command
    "digest.refuse": "Rapporter er for ledere. Ta kontakt med Norsk kulturskoleråd hvis du trenger tilgang.",
    "digest.usage": (
        "Den perioden forsto jeg ikke. Skriv «rapport», «rapport uke», «rapport måned», «rapport uke 47» "
        "eller «rapport 1.11.2026..30.11.2026»."
    ),
    "digest.on_the_way": "Rapporten kommer som direktemelding fra meg om et øyeblikk.",
    # CSV exports
    "digest.csv.tickets": (
        "sak,kommune,plattform,status,opprettet,frist,første svar,svartid (timer),innen fristen,brudd,"
        "saksbehandler,emne,rute,løst,lukket,opphav,spørsmål"
    ),
    "digest.csv.report": "tall,verdi,forrige periode",
    "digest.csv.yes": "ja",
    "digest.csv.no": "nei",
}

NN: dict[str, str] = {
    "digest.title.week": "Vekerapport veke {week}",
    "digest.title.day": "Dagsrapport {date}",
    "digest.title.rolling": "Rapport for dei siste {days} dagane",
    "digest.title.range": "Rapport {first}–{last}",
    "digest.period": "{first}–{last} · samanlikna med {prev_first}–{prev_last}",
    "digest.scope": "Kommune: {name}",
    "digest.fallback": "{title}: {questions} spørsmål, {tickets} saker, svar innan fristen {share}",
    "digest.empty": "Ingen spørsmål eller saker i perioden.",
    "digest.questions": (
        "**{questions}** spørsmål{questions_change} · **{answered}** svart på av boten ({answered_share}) · "
        "**{suggested}** fekk forslag · **{tickets}** {tickets_word} til rådgivar{tickets_change}"
    ),
    "digest.tickets": (
        "Saker: **{answered}** svara{answered_change} · **{resolved}** løyste{resolved_change} · "
        "**{withdrawn}** trekte tilbake{withdrawn_change}"
    ),
    "digest.change.up": " (↑ {percent} %)",
    "digest.change.down": " (↓ {percent} %)",
    "digest.change.same": " (± 0 %)",
    "digest.points.up": " (↑ {points} poeng)",
    "digest.points.down": " (↓ {points} poeng)",
    "digest.points.same": " (± 0 poeng)",
    "digest.percent": "{percent} %",
    "digest.tickets.one": "sak",
    "digest.tickets.other": "saker",
    "digest.open.one": "open",
    "digest.open.other": "opne",
    "digest.share.none": "–",
    "digest.promise.share": "**Svar innan {hours} timar: {kept} av {due} ({share})**{change}",
    "digest.promise.no_due": "**Svar innan {hours} timar:** ingen saker hadde frist i perioden",
    "digest.promise.median": "median svartid {median}",
    "digest.promise.p90": "90 % innan {p90}",
    "digest.promise.breaches": "{count} brot",
    "digest.breaches.heading": "Brot på fristen:",
    "digest.breach.line": "#{number} · {municipality} · {adviser} · frist {deadline}",
    "digest.breach.nobody": "ingen saksbehandlar",
    "digest.more": "… og {count} til",
    "digest.open": (
        "Opne saker no: **{open}**, av dei **{at_risk}** med frist neste døgn og **{overdue}** over fristen"
    ),
    "digest.kb.heading": "Kunnskapsbasen",
    "digest.kb.top": "Mest brukte artiklar: {items}",
    "digest.kb.item": "{rank}. {title} ({count})",
    "digest.kb.disliked": "Flest 👎: {items}",
    "digest.kb.disliked_item": "{title} ({down} av {rated} vurderingar)",
    "digest.kb.none": "Ingen artiklar vart brukte i perioden.",
    "digest.gaps.heading": "**Spørsmål boten ikkje kunne svare på** (forslag til nye artiklar):",
    "digest.gaps.item": "{rank}. «{text}» ({count})",
    "digest.gaps.none": "Boten hadde svar på alle spørsmåla i perioden.",
    "digest.advisers.heading": "Rådgivarar",
    "digest.advisers.line": "{handled} svara · {open} {open_word}",
    "digest.municipalities.heading": "Per kommune",
    "digest.municipality.line": "{questions} spørsmål · {answered_share} svart på av boten · {tickets} {tickets_word} · {breached} brot",
    "digest.chart.alt": "Diagram: spørsmål og saker per {unit}, og delen saker svara innan {hours} timar",
    "digest.chart.unit.day": "dag",
    "digest.chart.unit.week": "veke",
    "digest.chart.legend": "🟦 spørsmål · 🟧 saker · 🟩 delen svara innan {hours} t (høgre akse)",
    "digest.chart.fallback": "Diagram: {title}",
    "digest.refuse": "Rapportar er for leiarar. Ta kontakt med Norsk kulturskoleråd om du treng tilgang.",
    "digest.usage": (
        "Den perioden forstod eg ikkje. Skriv «rapport», «rapport veke», «rapport månad», «rapport veke 47» "
        "eller «rapport 1.11.2026..30.11.2026»."
    ),
    "digest.on_the_way": "Rapporten kjem som direktemelding frå meg om eit augeblikk.",
    "digest.csv.tickets": (
        "sak,kommune,plattform,status,oppretta,frist,første svar,svartid (timar),innan fristen,brot,"
        "saksbehandlar,emne,rute,løyst,lukka,opphav,spørsmål"
    ),
    "digest.csv.report": "tal,verdi,førre periode",
    "digest.csv.yes": "ja",
    "digest.csv.no": "nei",
}
