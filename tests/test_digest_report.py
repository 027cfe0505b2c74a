"""The digest's numbers over a known history, on SQLite and PostgreSQL, checked against values
worked out by hand (see tests/digest_history.py for the timeline)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import pytest_asyncio

from bot.core.database import Database
from handlers.digest.period import Period, week_before
from handlers.digest.report import Report, build_report
from handlers.digest.views import Look, digest_message
from tests.digest_history import NOW, WEEK_END, WEEK_START, seed

OSLO = ZoneInfo("Europe/Oslo")
TITLES = {
    "breddeprogram": "Hva er breddeprogrammet?",
    "friplass": "Kan familier med lav inntekt få redusert pris eller friplass?",
    "dks": "Hva er forskjellen på kulturskolen og Den kulturelle skolesekken?",
}
NAMES = {"T0001": "Eksempel kommune", "T0002": "Annen kommune"}


@pytest_asyncio.fixture
async def history(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await db.upgrade()
    await seed(db)
    yield db
    await db.dispose()


async def weekly_report(db: Database, workspace: str | None = None) -> Report:
    async with db.session() as session:
        return await build_report(session, week_before(NOW, OSLO), now=NOW, tz=OSLO, workspace=workspace)


@pytest.mark.asyncio
async def test_every_number_of_week_48(history: Database) -> None:
    report = await weekly_report(history)
    assert (report.period.start, report.period.end) == (WEEK_START, WEEK_END)
    assert report.previous.start == WEEK_START - timedelta(days=7)

    now, before = report.activity, report.before
    # questions: 6 + 5 + 7 + 3 + 1 (small talk and the one after Sunday midnight left out)
    assert (now.questions, now.answered, now.suggested) == (22, 13, 4)
    assert (before.questions, before.answered, before.suggested) == (16, 10, 2)
    # tickets: T4..T12 opened; T2, T3, T4, T7, T8, T9 answered; T1, T4, T7 resolved (T7 twice, once
    # counted); T6 withdrawn
    assert (now.tickets_opened, now.tickets_answered, now.resolved, now.withdrawn) == (9, 6, 3, 1)
    assert (before.tickets_opened, before.tickets_answered, before.resolved, before.withdrawn) == (8, 5, 2, 1)

    # the promise, for deadlines in the week: T2, T4, T7, T8, T9 kept; T3 (swept) and T5 (never
    # answered, no sweep) breached; T6 withdrawn in time does not count
    promise = report.promise
    assert (promise.kept, promise.breached, promise.due) == (5, 2, 7)
    assert (report.promise_before.kept, report.promise_before.breached) == (4, 1)
    # first answers: 6 h 20 min, 24 h, 34 h (36 h less 2 h paused), 44 h, 47 h, 54 h
    assert promise.answered == 6
    assert promise.median_seconds == 39 * 3600  # (34 + 44) / 2
    assert promise.p90_seconds == 54 * 3600  # nearest rank: the 6th of 6
    assert [(b.number, b.adviser) for b in report.breaches] == [(1003, "Per Rådgiver"), (1005, "Per Rådgiver")]

    # open now: T5, T10, T11, T12, T13; T10 is due within 24 h; T5 is overdue
    assert (report.open_now, report.at_risk, report.overdue) == (5, 1, 1)

    assert [(a.article_id, a.used) for a in report.top_articles] == [("breddeprogram", 6), ("friplass", 5), ("dks", 2)]
    assert [(a.article_id, a.down, a.rated) for a in report.disliked] == [("friplass", 2, 3), ("breddeprogram", 1, 3)]

    gaps = [(g.label, g.count) for g in report.gaps]
    assert gaps[:2] == [("Organisering av kulturskolen i kommunen", 4), ("Lønn til korpsdirigent", 3)]
    assert sorted(gaps[2:]) == [("Hvordan setter jeg opp skriveren?", 1),
                                ("Kan vi flytte kulturskolen fra oppvekst til kultur?", 1)]

    assert [(a.name, a.handled, a.open) for a in report.advisers] == [("Ola Rådgiver", 4, 1), ("Per Rådgiver", 3, 1)]
    assert [(m.workspace, m.questions, m.answered, m.tickets, m.breached) for m in report.municipalities] == [
        ("T0001", 19, 12, 8, 2), ("T0002", 3, 1, 1, 0)]

    # per Oslo day, Monday to Sunday
    assert report.bucket_unit == "day"
    assert [b.start for b in report.buckets] == [date(2026, 11, d) for d in range(23, 30)]
    assert [b.questions for b in report.buckets] == [6, 5, 7, 0, 3, 0, 1]
    assert [b.tickets for b in report.buckets] == [1, 2, 1, 1, 1, 1, 2]
    assert [(b.kept, b.due) for b in report.buckets] == [(1, 1), (0, 1), (1, 1), (0, 1), (1, 1), (1, 1), (1, 1)]


@pytest.mark.asyncio
async def test_one_municipality_only(history: Database) -> None:
    report = await weekly_report(history, workspace="T0002")
    assert (report.activity.questions, report.activity.answered, report.activity.tickets_opened) == (3, 1, 1)
    assert (report.promise.kept, report.promise.breached) == (1, 0)
    assert [(a.name, a.handled) for a in report.advisers] == [("Ola Rådgiver", 1)]
    assert sorted((g.label, g.count) for g in report.gaps) == [
        ("Kan vi flytte kulturskolen fra oppvekst til kultur?", 1), ("Organisering av kulturskolen i kommunen", 1)]


def look(lang: str = "nb") -> Look:
    return Look(lang, OSLO, 48.0, NAMES, lambda article_id: TITLES.get(article_id, article_id))


@pytest.mark.asyncio
async def test_the_digest_reads_like_the_example(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    await db.upgrade()
    await seed(db)
    message = digest_message(await weekly_report(db), look())
    await db.dispose()
    texts = [(b.kind, b.text) for b in message.blocks]
    assert texts[0] == ("heading", "Ukerapport uke 48")
    assert texts[1] == ("note", "23.11.2026–29.11.2026 · sammenlignet med 16.11.2026–22.11.2026")
    assert texts[2] == ("markdown", "**22** spørsmål (↑ 38 %) · **13** besvart av boten (59 %) · **4** fikk forslag · "
                                    "**9** saker til rådgiver (↑ 13 %)")  # 37.5 % and 12.5 % round up
    assert texts[3] == ("markdown", "Saker: **6** besvart (↑ 20 %) · **3** løst (↑ 50 %) · **1** trukket tilbake (± 0 %)")
    assert texts[4] == ("markdown", "**Svar innen 48 timer: 5 av 7 (71 %)** (↓ 9 poeng) · median svartid 39 t · "
                                    "90 % innen 54 t · 2 brudd")
    assert texts[5] == ("markdown", "Brudd på fristen:")
    assert texts[6] == ("plain", "#1003 · Eksempel kommune · Per Rådgiver · frist tir. 24.11 kl. 21:00\n"
                                 "#1005 · Eksempel kommune · Per Rådgiver · frist tor. 26.11 kl. 11:00")
    assert texts[7] == ("markdown", "Åpne saker nå: **5**, hvorav **1** med frist neste døgn og **1** over fristen")
    assert texts[8] == ("markdown", "**Kunnskapsbasen**\nMest brukte artikler: 1. Hva er breddeprogrammet? (6) · "
                        "2. Kan familier med lav inntekt få redusert pris eller friplass? (5) · 3. Hva er forskjellen "
                        "på kulturskolen og Den kulturelle skolesekken? (2)\nFlest 👎: Kan familier med lav inntekt "
                        "få redusert pris eller friplass? (2 av 3 vurderinger) · Hva er breddeprogrammet? "
                        "(1 av 3 vurderinger)")
    assert texts[9] == ("markdown", "**Spørsmål boten ikke kunne svare på** (forslag til nye artikler):")
    assert texts[10][1].startswith("1. «Organisering av kulturskolen i kommunen» (4)\n2. «Lønn til korpsdirigent» (3)\n")
    advisers = message.blocks[12]
    assert advisers.fields == (("Ola Rådgiver", "4 besvart · 1 åpen"), ("Per Rådgiver", "3 besvart · 1 åpen"))
    places = message.blocks[14]
    assert places.fields == (("Eksempel kommune", "19 spørsmål · 63 % besvart av boten · 8 saker · 2 brudd"),
                             ("Annen kommune", "3 spørsmål · 33 % besvart av boten · 1 sak · 0 brudd"))
    assert message.text == "Ukerapport uke 48: 22 spørsmål, 9 saker, svar innen fristen 71 %"

    nynorsk = digest_message(await _report_again(sqlite_url), look("nn"))
    assert nynorsk.blocks[0].text == "Vekerapport veke 48"
    assert nynorsk.blocks[4].text.startswith("**Svar innan 48 timar: 5 av 7 (71 %)**")


async def _report_again(url: str) -> Report:
    db = Database(url)
    try:
        return await weekly_report(db)
    finally:
        await db.dispose()


@pytest.mark.asyncio
async def test_an_empty_period_says_so(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    await db.upgrade()
    period = Period(datetime(2026, 1, 4, 23, tzinfo=timezone.utc), datetime(2026, 1, 11, 23, tzinfo=timezone.utc), "week")
    async with db.session() as session:
        report = await build_report(session, period, now=NOW, tz=OSLO)
    await db.dispose()
    message = digest_message(report, look())
    assert message.blocks[0].text == "Ukerapport uke 2"
    assert message.blocks[2].text == "Ingen spørsmål eller saker i perioden."
    assert "**Svar innen 48 timer:** ingen saker hadde frist i perioden · 0 brudd" in [b.text for b in message.blocks]
    assert "Boten hadde svar på alle spørsmålene i perioden." in [b.text for b in message.blocks]


def test_the_history_module_has_no_hidden_clock() -> None:
    # The expected values above assume Oslo is UTC+1 for the whole of November 2026.
    assert all(datetime(2026, 11, d, 12, tzinfo=OSLO).utcoffset() == timedelta(hours=1) for d in range(15, 31))
    assert Path(__file__).with_name("digest_history.py").exists()


@pytest.mark.asyncio
async def test_time_to_first_answer_on_the_business_calendar(sqlite_url: str) -> None:
    """With SLA_CALENDAR=business the paused time is stored in working seconds, so the time to
    first answer is counted in working time too. Opened Monday 23.11 09:00 in Oslo, paused 10:00
    until Tuesday 10:00 (6 + 2 = 8 working hours), answered Tuesday 11:00: 7 + 3 = 10 working
    hours since opening, less 8 paused: 2 hours (26 real hours less 8 would say 18)."""
    from bot.core.config import load_settings
    from bot.core.tables import Ticket
    from handlers.sla.calendar import calendar_for

    db = Database(sqlite_url)
    await db.upgrade()
    created = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
    async with db.session() as session:
        session.add(Ticket(status="answered", created_at=created, updated_at=created, platform="slack",
                           workspace="T0001", asker_name="Kari", deadline_at=datetime(2026, 12, 3, 8, tzinfo=timezone.utc),
                           first_answer_at=datetime(2026, 11, 24, 10, 0, tzinfo=timezone.utc), paused_seconds=8 * 3600,
                           assignee_key="slack:T0001:UOLA", assignee_name="Ola Rådgiver"))
    business = calendar_for(load_settings(DATABASE_URL=sqlite_url, SLA_CALENDAR="business"))
    async with db.session() as session:
        report = await build_report(session, week_before(NOW, OSLO), now=NOW, tz=OSLO, calendar=business)
    await db.dispose()
    assert report.promise.answered == 1
    assert report.promise.median_seconds == report.promise.p90_seconds == 2 * 3600
