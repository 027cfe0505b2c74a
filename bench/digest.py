"""How long a manager digest takes to build over one year of history.

    .venv/bin/python -m bench.digest [--questions 100000] [--tickets 10000] [--runs 3]

Seeds a year of history (questions with outcomes, feedback and texts; tickets with deadlines,
answers, breaches and their audit events) into a fresh SQLite file and a fresh PostgreSQL
database, then times building the digest (the numbers, the knowledge-gap grouping, the message
and the chart PNG) for the last week and for the whole year. Target (issue 6): under 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text

from bot.core.database import Database
from bot.core.tables import Question, Ticket, TicketEvent
from handlers.digest import gaps
from handlers.digest.period import Period, midnight, week_before
from handlers.digest.report import build_report
from handlers.digest.views import Look, chart_message, digest_message

TARGET_SECONDS = 2.0
OSLO = ZoneInfo("Europe/Oslo")
NOW = datetime(2026, 11, 30, 7, 0, tzinfo=timezone.utc)  # a Monday, 08:00 in Oslo
PG_ADMIN = os.environ.get("KULTURBOT_TEST_PG", "postgresql://root@127.0.0.1:5432/postgres")

TOPICS = [
    "organisering av kulturskolen", "lønn for dirigenter", "skolekorps og kulturskolen", "leie av lokaler",
    "venteliste og opptak", "søskenmoderasjon", "friplass", "rammeplanen", "kulturskoletimen", "DKS-midler",
    "statistikk i GSI", "lærere uten godkjent utdanning", "samarbeid med frivilligheten", "talentprogram",
    "elever med særskilte behov", "personvern ved opptak", "elevavgift og prisstruktur", "instrumentutleie",
    "fagplaner i dans", "kulturskolen som ressurssenter", "vikarer ved sykdom", "arbeidstid for lærere",
    "foreldrebetaling og purring", "kommunesammenslåing", "tilskudd fra fylket", "undervisning i barnehagen",
]
FORMS = [
    "Hvordan gjør andre kommuner det med {t}?", "Har dere noe om {t}?", "Hva sier regelverket om {t}?",
    "Vi lurer på {t} hos oss i {w}", "Finnes det en mal for {t}?", "Hvem har ansvar for {t}?",
    "Kan vi endre praksis for {t} fra høsten?", "Spørsmål om {t} i {w} kommune",
]
TOWNS = ["Eksempel", "Fjellbygd", "Kystby", "Innlandet", "Nordvik", "Sørdal", "Vestmark", "Østre", "Elvedal",
         "Storby", "Småby", "Øyrike"]
DETAILS = [
    "Takk!", "Hilsen rektor.", "Det haster litt.", "Vi har 300 elever.", "Gjelder dette også for voksne?",
    "Vi er en liten kommune.", "Saken skal opp i kommunestyret.", "Foreldrene spør.", "Vi har lest rammeplanen.",
    "Rådmannen vil ha svar før jul.", "Gjelder det fra neste skoleår?", "Vi samarbeider med nabokommunen.",
    "Har dere eksempler?", "Vi bruker SpeedAdmin.", "Lærerne lurer også.", "Er det lovpålagt?",
    "Hva gjør andre?", "Budsjettet er stramt.", "Vi har venteliste.", "Det gjelder dans og teater.",
]
ARTICLES = [f"artikkel-{i:02d}" for i in range(91)]
ADVISERS = [(f"slack:T0001:UADV{i}", f"Rådgiver {i}") for i in range(8)]


def history(questions: int, tickets: int, seed: int = 6) -> tuple[list[dict], list[dict], list[dict]]:
    rng = random.Random(seed)
    start = NOW - timedelta(days=365)
    span = (NOW - start).total_seconds()
    workspaces = [f"T{i:04d}" for i in range(len(TOWNS))]
    q_rows, t_rows, e_rows = [], [], []
    escalations = set(rng.sample(range(questions), tickets))
    moments = sorted(start + timedelta(seconds=rng.random() * span) for _ in range(questions))  # rows arrive in time order
    for n in range(questions):
        asked = moments[n]
        ws = rng.randrange(len(workspaces))
        if n in escalations:
            outcome = "escalate"
        else:
            outcome = rng.choices(["answer", "picked", "suggest", "smalltalk"], [62, 6, 12, 20])[0]
        article = rng.choice(ARTICLES) if outcome in ("answer", "picked") else None
        feedback = rng.choices([None, "up", "down"], [85, 10, 5])[0] if article else None
        if outcome in ("escalate", "suggest"):
            # mostly unique wordings, as real questions are: a form, a topic, a place, a detail or two
            text = " ".join([rng.choice(FORMS).format(t=rng.choice(TOPICS), w=TOWNS[ws]),
                             *rng.sample(DETAILS, rng.randrange(0, 3))])
        else:
            text = "hva er kulturskoletimen" if outcome != "smalltalk" else "hei"
        q_rows.append(dict(asked_at=asked, platform="slack", workspace=workspaces[ws], user_id=f"U{n % 3000}",
                           place_kind="dm", event_key=f"bench-{n}", text=text, lang="nb", outcome=outcome,
                           article_id=article, confidence=0.5, suggestions=[], feedback=feedback))
        if outcome == "escalate":
            number = len(t_rows) + 1
            deadline = asked + timedelta(hours=48)
            adviser = rng.choice(ADVISERS)
            hours = rng.lognormvariate(2.3, 0.8)  # median ~10 h, a tail past 48 h
            answered = asked + timedelta(hours=hours) if rng.random() < 0.97 else None
            if answered and answered > NOW:
                answered = None
            status = "open"
            if rng.random() < 0.03 and answered is None:
                status = "withdrawn"
            elif answered:
                status = "resolved" if rng.random() < 0.8 else "answered"
            elif asked < NOW - timedelta(hours=2):
                status = "claimed"
            breached = deadline + timedelta(minutes=5) if (answered or NOW) > deadline and status != "withdrawn" else None
            if breached and breached > NOW:
                breached = None
            t_rows.append(dict(id=number, status=status, created_at=asked, updated_at=asked, platform="slack",
                               workspace=workspaces[ws], asker_user_id=f"U{n % 3000}", asker_name="Spørrer",
                               lang="nb", question_text=text, near_misses=[], route="default", origin="escalate",
                               assignee_key=adviser[0] if status != "open" else None,
                               assignee_name=adviser[1] if status != "open" else "", deadline_at=deadline,
                               first_answer_at=answered, breached_at=breached,
                               resolved_at=answered + timedelta(hours=3) if status == "resolved" and answered else None,
                               closed_at=asked + timedelta(hours=1) if status == "withdrawn" else None,
                               paused_seconds=0.0))
            e_rows.append(dict(ticket_id=number, at=asked, kind="opened", actor_key="slack:T0001:U1", actor_name="S", data={}))
            if status != "open":
                e_rows.append(dict(ticket_id=number, at=asked + timedelta(minutes=20), kind="claimed",
                                   actor_key=adviser[0], actor_name=adviser[1], data={}))
            if answered:
                e_rows.append(dict(ticket_id=number, at=answered, kind="answered", actor_key=adviser[0],
                                   actor_name=adviser[1], data={}))
            if status == "resolved" and answered:
                e_rows.append(dict(ticket_id=number, at=answered + timedelta(hours=3), kind="resolved",
                                   actor_key=adviser[0], actor_name=adviser[1], data={}))
            if status == "withdrawn":
                e_rows.append(dict(ticket_id=number, at=asked + timedelta(hours=1), kind="withdrawn",
                                   actor_key="slack:T0001:U1", actor_name="S", data={}))
    return q_rows, t_rows, e_rows


async def load(db: Database, rows: tuple[list[dict], list[dict], list[dict]]) -> None:
    q_rows, t_rows, e_rows = rows
    for table, data in ((Question, q_rows), (Ticket, t_rows), (TicketEvent, e_rows)):
        for i in range(0, len(data), 5000):
            async with db.session() as session:
                await session.execute(insert(table), data[i : i + 5000])
    if not db.is_sqlite:  # the ids were given: move the sequence past them; fresh statistics
        async with db.session() as session:
            await session.execute(text("SELECT setval('ticket_id_seq', (SELECT max(id) FROM ticket))"))
            await session.execute(text("ANALYZE"))


async def digest_seconds(db: Database, period: Period, runs: int) -> tuple[float, float, int, int]:
    """Median wall time and median CPU time of this process (the machine may be shared)."""
    look = Look("nb", OSLO, 48.0, {}, lambda article_id: article_id)
    wall, cpu = [], []
    for _ in range(runs):
        gaps._word_terms.cache_clear()  # every build starts cold, as a fresh `kulturbot report` does
        began, began_cpu = time.perf_counter(), time.process_time()
        async with db.session() as session:
            report = await build_report(session, period, now=NOW, tz=OSLO)
        digest_message(report, look)
        chart_message(report, look)
        wall.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return statistics.median(wall), statistics.median(cpu), report.activity.questions, report.activity.tickets_opened


async def bench_backend(name: str, url: str, rows: tuple[list[dict], list[dict], list[dict]], runs: int) -> list[str]:
    db = Database(url)
    try:
        await db.upgrade()
        began = time.perf_counter()
        await load(db, rows)
        lines = [f"{name:9} seeded in {time.perf_counter() - began:5.1f} s; load average {os.getloadavg()[0]:.1f}"]
        periods = {
            "last week": week_before(NOW, OSLO),
            "whole year": Period(midnight((NOW - timedelta(days=365)).astimezone(OSLO).date(), OSLO),
                                 midnight(NOW.astimezone(OSLO).date(), OSLO), "range"),
        }
        for label, period in periods.items():
            seconds, cpu, questions, tickets = await digest_seconds(db, period, runs)
            verdict = "OK" if seconds < TARGET_SECONDS else "OVER TARGET"
            lines.append(f"{name:9} {label:10}  {seconds:6.3f} s  (target < {TARGET_SECONDS:.1f} s: {verdict};"
                         f" {cpu:.3f} s CPU in this process)  [{questions:,} questions, {tickets:,} tickets in the period]")
        return lines
    finally:
        await db.dispose()


def postgres_url() -> tuple[str, str] | None:
    name = f"kulturbot_bench_{uuid.uuid4().hex[:10]}"
    try:
        subprocess.run(["psql", PG_ADMIN, "-qAtc", f'CREATE DATABASE "{name}"'], check=True, capture_output=True,
                       timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    base = PG_ADMIN.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    began = time.perf_counter()
    rows = history(args.questions, args.tickets)
    print(f"digest over one year of history: {args.questions:,} questions, {len(rows[1]):,} tickets, "
          f"{len(rows[2]):,} ticket events (generated in {time.perf_counter() - began:.1f} s); "
          f"median of {args.runs} builds; target < {TARGET_SECONDS:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        for line in await bench_backend("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", rows, args.runs):
            print(line)
    pg = postgres_url()
    if pg is None:
        print("postgres  skipped: no PostgreSQL at", PG_ADMIN)
        return
    name, url = pg
    try:
        for line in await bench_backend("postgres", url, rows, args.runs):
            print(line)
    finally:
        subprocess.run(["psql", PG_ADMIN, "-qAtc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                       check=False, capture_output=True)


if __name__ == "__main__":
    asyncio.run(main())
