"""The SLA sweep at scale: 100,000 open tickets, and 10,000 reminders falling due in one minute.

    .venv/bin/python -m bench.sla [--tickets 100000] [--burst 10000] [--runs 7] [--no-postgres]

For SQLite (a temporary file) and PostgreSQL (a fresh database on 127.0.0.1:5432, dropped after):

1. Sweep cost as the open tickets grow (10 %, 50 %, 100 % of --tickets, all planned, spread over
   the next 48 hours): the time of an idle sweep (nothing due: the steady state between due
   moments) and of a typical sweep (25 reminders due, about what 100,000 tickets over 48 hours
   bring in a 15-second sweep interval), with the peak Python memory of the sweep (tracemalloc).
   Target: under 200 ms at 100,000 on PostgreSQL; memory flat as tickets grow.
2. A burst: --burst more tickets whose 2-hour reminders fall due spread over one minute, half
   unclaimed (the advisers' channel), half claimed by 20 advisers (DMs); their cards are posted
   and their 24 h and 8 h reminders went out earlier (--downtime: they did not; either way each
   reminder also redraws its card: one chat.update per ticket). The real sweep job runs every
   SLA_SWEEP_SECONDS (default 15 s) and the real deliverer sends through the Slack port to a fake
   Slack Web API on loopback in another process (as the platform would be). Several reminders
   for one channel or adviser in one sweep batch share a message (handlers/sla/sweep.py).
   Lateness = when the fake received a reminder minus its due time. Target: all within 60 s.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import re
import random
import statistics
import subprocess
import tempfile
import time
import tracemalloc
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text

from bot.core.clock import SystemClock
from bot.core.config import Settings
from bot.core.database import Database
from bot.core.tables import OutboxMessage, PostedCard, SlaNotice, Ticket
from bot.runtime import build_runtime
from handlers.sla.sweep import sweep
from scheduler.sla_jobs import sla_sweep
from tests.fakes.slack_api import Call, FakeSlackApi

PG_ADMIN = os.environ.get("KULTURBOT_TEST_PG", "postgresql://root@127.0.0.1:5432/postgres")
SWEEP_TARGET_MS = 200.0
DELIVERY_TARGET_S = 60.0
TYPICAL_DUE = 25
UTC = timezone.utc
CHANNEL = "CADV"


class TimedSlackApi(FakeSlackApi):
    """The fake Slack Web API, noting when each reminder arrived."""

    async def start(self) -> "TimedSlackApi":
        self.arrived: dict[str, float] = {}
        self.received = 0
        await super().start()
        return self

    async def _record(self, call: Call) -> None:
        self.received += 1  # no call list: memory stays bounded
        text = str(call.args.get("text", ""))
        if call.method == "chat.postMessage" and text.startswith("⏰"):
            arrived = time.time()
            for number in re.findall(r"#(\d+)", text):  # one reminder, or several in one message
                self.arrived.setdefault(number, arrived)


def run_fake(urls: Any, expected: Any, results: Any) -> None:
    """The fake Slack Web API in its own process (as the real platform would be): sends its URL,
    records arrivals until every expected ticket number has arrived (or 240 s passed), then
    returns ({ticket number: arrival time}, platform calls received)."""

    async def serve() -> None:
        fake = await TimedSlackApi().start()
        urls.put(fake.url)
        wanted = set(await asyncio.to_thread(expected.get, True, 120))
        give_up = time.monotonic() + 240
        while not wanted <= fake.arrived.keys() and time.monotonic() < give_up:
            await asyncio.sleep(0.1)
        results.put(({k: v for k, v in fake.arrived.items() if k in wanted}, fake.received))
        await fake.stop()

    asyncio.run(serve())


def ticket_row(deadline: datetime, check_at: datetime | None, assignee: int | None, n: int) -> dict[str, Any]:
    created = deadline - timedelta(hours=48)
    return {
        "status": "claimed" if assignee is not None else "open", "created_at": created, "updated_at": created,
        "platform": "slack", "workspace": "T0001", "asker_user_id": f"U{n % 5000:05d}", "asker_name": "Kari Nordmann",
        "asker_place": {"platform": "slack", "workspace": "T0001", "channel": f"DU{n % 5000:05d}", "kind": "dm",
                        "thread": None, "ref": {}},
        "lang": "nb", "question_text": f"Spørsmål nummer {n} om organisering av kulturskolen i kommunen",
        "near_misses": [], "route": "default", "origin": "escalate",
        "assignee_key": f"slack:T0001:UADV{assignee:02d}" if assignee is not None else None,
        "assignee_name": f"Rådgiver {assignee}" if assignee is not None else "",
        "deadline_at": deadline, "paused_seconds": 0.0, "sla_check_at": check_at,
    }


async def insert_rows(db: Database, rows: list[dict[str, Any]], chunk: int = 5000) -> None:
    for start in range(0, len(rows), chunk):
        async with db.session() as session:
            await session.execute(insert(Ticket), rows[start:start + chunk])


async def grow(db: Database, count: int, now: datetime, rng: random.Random, offset: int) -> None:
    """Open tickets with deadlines over the next 48 h, each planned at its next reminder point."""
    rows = []
    for n in range(count):
        deadline = now + timedelta(seconds=rng.uniform(3 * 3600, 47 * 3600))
        left = (deadline - now).total_seconds() / 3600
        nxt = next((deadline - timedelta(hours=h) for h in (24, 8, 2) if left > h), deadline)
        rows.append(ticket_row(deadline, nxt, rng.randrange(20) if rng.random() < 0.5 else None, offset + n))
    await insert_rows(db, rows)
    if not db.is_sqlite:
        async with db.session() as session:
            await session.execute(text("ANALYZE ticket"))


async def timed_sweep(services: Any, *, traced: bool = False) -> tuple[float, float, int]:
    """(milliseconds, peak KiB allocated during the sweep, notices sent). Timed runs are not
    traced: tracemalloc slows Python down several times."""
    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    report = await sweep(services)
    elapsed = (time.perf_counter() - started) * 1000
    peak = 0.0
    if traced:
        peak = tracemalloc.get_traced_memory()[1] / 1024
        tracemalloc.stop()
    return elapsed, peak, report.total_sent


async def with_due(services: Any, db: Database, run: int, *, traced: bool = False) -> tuple[float, float, int]:
    """A sweep that finds TYPICAL_DUE tickets whose 2-hour reminder is due."""
    now = datetime.now(UTC)
    await insert_rows(db, [ticket_row(now + timedelta(minutes=119), now - timedelta(seconds=1), None,
                                      10_000_000 + run * 100 + i) for i in range(TYPICAL_DUE)])
    return await timed_sweep(services, traced=traced)


async def sweep_costs(name: str, url: str, total: int, runs: int) -> list[dict[str, Any]]:
    settings = Settings(DATABASE_URL=url, ADVISER_CHANNELS=f"default=slack:{CHANNEL}", MANAGERS="slack:UBOSS")
    runtime = await build_runtime(settings, clock=SystemClock(), platforms=())
    db = runtime.services.db
    rng = random.Random(5)
    results = []
    have = 0
    try:
        for size in (total // 10, total // 2, total):
            await grow(db, size - have, datetime.now(UTC), rng, have)
            have = size
            await sweep(runtime.services)  # warm-up (and anything due between seeding and now)
            idle = [await timed_sweep(runtime.services) for _ in range(runs)]
            typical = [await with_due(runtime.services, db, size + run) for run in range(runs)]
            assert all(sent >= TYPICAL_DUE for _, _, sent in typical), typical  # (+ any point of the seeded tickets passing now)
            idle_traced = await timed_sweep(runtime.services, traced=True)
            typical_traced = await with_due(runtime.services, db, size + runs, traced=True)
            results.append({
                "backend": name, "open": size,
                "idle_ms": statistics.median(ms for ms, _, _ in idle),
                "typical_ms": statistics.median(ms for ms, _, _ in typical),
                "idle_kib": idle_traced[1],
                "typical_kib": typical_traced[1],
            })
            print(f"  {name:10} {size:>7,} open: idle sweep {results[-1]['idle_ms']:6.1f} ms "
                  f"(peak {results[-1]['idle_kib']:6.0f} KiB) · sweep with {TYPICAL_DUE} due "
                  f"{results[-1]['typical_ms']:6.1f} ms (peak {results[-1]['typical_kib']:6.0f} KiB)", flush=True)
        async with db.session() as session:
            if not db.is_sqlite:
                plan = (await session.execute(text(
                    "EXPLAIN SELECT * FROM ticket WHERE status IN ('open','claimed') AND sla_check_at <= now() "
                    "ORDER BY sla_check_at LIMIT 500 FOR UPDATE SKIP LOCKED"))).scalars().all()
            else:
                plan = [str(r) for r in (await session.execute(text(
                    "EXPLAIN QUERY PLAN SELECT * FROM ticket WHERE status IN ('open','claimed') "
                    "AND sla_check_at <= '2030-01-01' ORDER BY sla_check_at LIMIT 500"))).all()]
        scans = [line.strip().lstrip("-> ") for line in plan if "Scan" in line or "SEARCH" in line or "SCAN" in line]
        print(f"  {name:10} due-work query plan: " + " | ".join(scans), flush=True)
    finally:
        await db.dispose()
    return results


async def burst(name: str, url: str, count: int, *, downtime: bool = False) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    urls, expected, results = context.Queue(), context.Queue(), context.Queue()
    fake = context.Process(target=run_fake, args=(urls, expected, results), daemon=True)
    fake.start()
    slack_url = await asyncio.to_thread(urls.get, True, 30)
    settings = Settings(DATABASE_URL=url, ADVISER_CHANNELS=f"default=slack:{CHANNEL}", SLACK_BOT_TOKEN="xoxb-bench",
                        SLACK_SIGNING_SECRET="bench", SLACK_API_URL=slack_url, MANAGERS="slack:UBOSS")
    runtime = await build_runtime(settings, clock=SystemClock(), platforms=("slack",))
    db = runtime.services.db
    rng = random.Random(10)
    start = datetime.now(UTC) + timedelta(seconds=20)  # seeding takes a while
    due: dict[str, datetime] = {}
    rows = []
    async with db.session() as session:
        first_id = ((await session.execute(select(func.max(Ticket.id)))).scalar_one() or 0) + 1
    for n in range(count):
        due_at = start + timedelta(seconds=rng.uniform(0, 60))
        rows.append(ticket_row(due_at + timedelta(hours=2), due_at, n % 20 if n % 2 else None, 20_000_000 + n))
        due[str(1000 + first_id + n)] = due_at
    await insert_rows(db, rows)
    cards = [{"key": f"ticket:{first_id + n}:advisers", "platform": "slack", "channel": CHANNEL,
              "message_id": f"1700000000.{n:06d}", "updated_at": start,
              "ref": {"platform": "slack", "channel": CHANNEL, "id": f"1700000000.{n:06d}", "extra": {}}}
             for n in range(count)]
    for i in range(0, len(cards), 5000):
        async with db.session() as session:
            await session.execute(insert(PostedCard), cards[i:i + 5000])
    if not downtime:  # normal operation: the 24 h and 8 h reminders went out earlier (and turned the card orange)
        sent = [{"ticket_id": first_id + n, "kind": kind, "due_at": due_at - timedelta(hours=h), "status": "sent",
                 "created_at": due_at - timedelta(hours=h)}
                for n, due_at in enumerate(due.values()) for kind, h in (("remind:24h", 22), ("remind:8h", 6))]
        for i in range(0, len(sent), 5000):
            async with db.session() as session:
                await session.execute(insert(SlaNotice), sent[i:i + 5000])
    if not db.is_sqlite:
        async with db.session() as session:
            await session.execute(text("ANALYZE"))

    interval = settings.sla_sweep_seconds
    deliverer = asyncio.create_task(runtime.deliverer.run_forever())

    async def sweeping() -> None:
        while True:
            await sla_sweep(runtime)
            await asyncio.sleep(interval)

    sweeper = asyncio.create_task(sweeping())
    expected.put(list(due))
    cpu = time.process_time()
    try:
        arrived, received = await asyncio.to_thread(results.get, True, 300)
    finally:
        cpu = time.process_time() - cpu
        sweeper.cancel()
        deliverer.cancel()
        for task in (sweeper, deliverer):
            try:
                await task
            except asyncio.CancelledError:
                pass
        async with db.session() as session:
            pending = (await session.execute(select(func.count()).select_from(OutboxMessage)
                                             .where(OutboxMessage.status != "sent"))).scalar_one()
        await runtime.stop(grace_seconds=1)
        fake.join(10)
    late = sorted(arrived[k] - due[k].timestamp() for k in arrived if k in due)
    result = {
        "backend": name, "delivered": len(late), "count": count, "pending_left": pending,
        "p50": statistics.median(late) if late else float("nan"),
        "p99": late[min(len(late) - 1, int(len(late) * 0.99))] if late else float("nan"),
        "max": late[-1] if late else float("nan"), "interval": interval, "cpu": cpu, "platform_calls": received,
    }
    print(f"  {name:10} burst of {count:,}: delivered {len(late):,} · lateness p50 {result['p50']:.1f} s, "
          f"p99 {result['p99']:.1f} s, max {result['max']:.1f} s (sweep every {interval:g} s; {received:,} platform "
          f"calls; bot CPU {cpu:.1f} s)", flush=True)
    return result


def postgres_url() -> tuple[str, str] | None:
    name = f"kulturbot_bench_{uuid.uuid4().hex[:10]}"
    try:
        subprocess.run(["psql", PG_ADMIN, "-qAtc", f'CREATE DATABASE "{name}"'], check=True, capture_output=True,
                       timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return name, f"postgresql://root@127.0.0.1:5432/{name}"


def drop_postgres(name: str) -> None:
    subprocess.run(["psql", PG_ADMIN, "-qAtc", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'],
                   check=False, capture_output=True)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--burst", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--downtime", action="store_true",
                        help="the burst comes after downtime: the 24 h and 8 h reminders were never sent (only the "
                             "2-hour one goes out, once)")
    args = parser.parse_args()

    backends: list[tuple[str, str, str | None]] = []
    folder = tempfile.TemporaryDirectory()
    backends.append(("sqlite", f"sqlite:///{Path(folder.name) / 'bench.db'}", None))
    if not args.no_postgres:
        created = postgres_url()
        if created is None:
            print("PostgreSQL not reachable at 127.0.0.1:5432: SQLite only")
        else:
            backends.append(("postgresql", created[1], created[0]))

    costs: list[dict[str, Any]] = []
    bursts: list[dict[str, Any]] = []
    try:
        for name, url, _ in backends:
            print(f"{name}: sweep cost as open tickets grow", flush=True)
            costs += await sweep_costs(name, url, args.tickets, args.runs)
            print(f"{name}: {args.burst:,} reminders due within one minute", flush=True)
            bursts.append(await burst(name, url, args.burst, downtime=args.downtime))
    finally:
        for _, _, pg_name in backends:
            if pg_name:
                drop_postgres(pg_name)
        folder.cleanup()

    print("\nAgainst the targets (issue 5)")
    for name, _, _ in backends:
        rows = [r for r in costs if r["backend"] == name]
        biggest = rows[-1]
        worst = max(biggest["idle_ms"], biggest["typical_ms"])
        verdict = "" if name != "postgresql" else (" ✔" if worst < SWEEP_TARGET_MS else " ✘")
        print(f"  {name:10} sweep over {biggest['open']:,} open tickets: idle {biggest['idle_ms']:.1f} ms, "
              f"with {TYPICAL_DUE} due {biggest['typical_ms']:.1f} ms (target < {SWEEP_TARGET_MS:.0f} ms on PostgreSQL){verdict}")
        growth = biggest["typical_kib"] / max(1.0, rows[0]["typical_kib"])
        print(f"  {name:10} sweep memory {rows[0]['typical_kib']:.0f} KiB at {rows[0]['open']:,} → "
              f"{biggest['typical_kib']:.0f} KiB at {biggest['open']:,} (×{growth:.2f}; flat){' ✔' if growth < 1.5 else ' ✘'}")
    for result in bursts:
        ok = result["delivered"] == result["count"] and result["max"] < DELIVERY_TARGET_S
        print(f"  {result['backend']:10} {result['count']:,} due in one minute: {result['delivered']:,} delivered, "
              f"lateness p50 {result['p50']:.1f} s / p99 {result['p99']:.1f} s / max {result['max']:.1f} s "
              f"(target: all within {DELIVERY_TARGET_S:.0f} s){' ✔' if ok else ' ✘'}")


if __name__ == "__main__":
    asyncio.run(main())
