"""The sweep against each backend (SQLite and PostgreSQL): concurrent sweeps record and send
each notice once, only due tickets are loaded, and tickets that predate the SLA migration are
planned by the first sweep."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text

from bot.core.config import Settings
from bot.core.context import Services
from bot.core.database import Database, upgrade
from bot.core.tables import SLA_CHECK_NOW, OutboxMessage, SlaNotice, Ticket
from bot.runtime import build_runtime
from handlers.sla.sweep import sweep

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def a_ticket(deadline: datetime, assignee: str | None = None) -> Ticket:
    created = deadline - timedelta(hours=48)
    return Ticket(status="claimed" if assignee else "open", created_at=created, updated_at=created, platform="slack",
                  workspace="T0001", asker_user_id="U100", asker_name="Kari", question_text="Et spørsmål",
                  assignee_key=assignee, assignee_name="Ola" if assignee else "", deadline_at=deadline)


def numbers(payloads, prefix: str = "⏰") -> Counter[int]:  # type: ignore[no-untyped-def]
    """Ticket numbers named in reminder messages (one or several per message)."""
    return Counter(int(n) for p in payloads if p["text"].startswith(prefix) for n in re.findall(r"#(\d+)", p["text"]))


async def seed(db: Database, tickets: list[Ticket]) -> None:
    async with db.session() as session:
        session.add_all(tickets)


@pytest.mark.asyncio
async def test_concurrent_sweeps_send_each_notice_once(database_url: str, clock) -> None:
    clock.set(NOW)
    settings = Settings(DATABASE_URL=database_url, ADVISER_CHANNELS="default=slack:CADV", MANAGERS="slack:UBOSS")
    runtime = await build_runtime(settings, clock=clock, platforms=())
    other = Services(settings, clock, Database(database_url), runtime.services.knowledge)
    try:
        await seed(runtime.services.db,
                   [a_ticket(NOW + timedelta(hours=1)) for _ in range(30)]
                   + [a_ticket(NOW + timedelta(hours=7), "slack:T0001:UOLA") for _ in range(30)]
                   + [a_ticket(NOW - timedelta(minutes=5)) for _ in range(10)]
                   + [a_ticket(NOW + timedelta(hours=30)) for _ in range(10)])  # nothing due yet
        reports = await asyncio.gather(*(sweep(s, batch=7) for s in [runtime.services, other] * 3))
        assert sum(r.total_sent for r in reports) == 70
        assert sum((r.sent for r in reports), Counter()) == {"remind:2h": 30, "remind:8h": 30, "breach": 10}
        again = await sweep(runtime.services)
        assert again.total_sent == 0 and again.looked_at == 0  # nothing is due any more

        async with runtime.services.db.session() as session:
            kinds = Counter((await session.execute(select(SlaNotice.kind, SlaNotice.status))).all())
            outbox = list((await session.execute(select(OutboxMessage.op, OutboxMessage.target,
                                                        OutboxMessage.payload))).all())
            breached = (await session.execute(
                select(func.count()).select_from(Ticket).where(Ticket.breached_at.is_not(None)))).scalar_one()  # type: ignore[union-attr]
        assert kinds == {("remind:2h", "sent"): 30, ("remind:24h", "skipped"): 70, ("remind:8h", "skipped"): 40,
                         ("remind:8h", "sent"): 30, ("remind:2h", "skipped"): 10, ("breach", "sent"): 10}
        # Reminders for one channel or one adviser in one batch share a message: count the tickets named.
        to_channel = numbers(p for op, t, p in outbox if op == "send" and t["place"]["channel"] == "CADV")
        dms = numbers(p for op, t, p in outbox if op == "dm" and t["person"]["user_id"] == "UOLA")
        to_boss = numbers((p for op, t, p in outbox if op == "dm" and t["person"]["user_id"] == "UBOSS"), "🔴")
        assert to_channel == {1000 + i: 1 for i in range(1, 31)}
        assert dms == {1000 + i: 1 for i in range(31, 61)}
        assert to_boss == {1000 + i: 1 for i in range(61, 71)}
        # the cards change colour: orange at the first reminder within 8 h, red at the breach
        assert len([t for op, t, p in outbox if op == "card"]) == 70
        assert breached == 10
    finally:
        await other.db.dispose()
        await runtime.services.db.dispose()


@pytest.mark.asyncio
async def test_the_sweep_loads_only_the_due_tickets(sqlite_url: str, clock) -> None:
    clock.set(NOW)
    settings = Settings(DATABASE_URL=sqlite_url, ADVISER_CHANNELS="default=slack:CADV", MANAGERS="slack:UBOSS")
    runtime = await build_runtime(settings, clock=clock, platforms=())
    db = runtime.services.db
    try:
        await seed(db, [a_ticket(NOW + timedelta(hours=h % 40 + 1)) for h in range(200)])
        first = await sweep(runtime.services)  # new tickets are planned once (and the due ones sent)
        assert first.looked_at == 200
        clock.set(NOW + timedelta(minutes=30))
        assert (await sweep(runtime.services)).looked_at == 0
        # 90 minutes on (deadlines are 1…40 h out, five tickets each), the points passed since the
        # first sweep: the breach at +1 h, 2 h before +3 h, 8 h before +9 h, 24 h before +25 h.
        clock.set(NOW + timedelta(hours=1, minutes=30))
        later = await sweep(runtime.services)
        assert later.looked_at == 20
        assert later.sent == {"breach": 5, "remind:2h": 5, "remind:8h": 5, "remind:24h": 5}
        async with db.session() as session:
            plan = await session.execute(text("EXPLAIN QUERY PLAN SELECT id FROM ticket WHERE status IN ('open','claimed') "
                                              "AND sla_check_at <= '2026-11-25 13:00:00' ORDER BY sla_check_at"))
            assert "ix_ticket_sla_check" in " ".join(str(row) for row in plan)
    finally:
        await db.dispose()


@pytest.mark.asyncio
async def test_tickets_from_before_the_sla_migration_are_planned(sqlite_url: str) -> None:
    await asyncio.to_thread(upgrade, sqlite_url, "0001")
    db = Database(sqlite_url)
    async with db.session() as session:
        for status, answered in (("open", None), ("claimed", None), ("answered", "2026-11-24 10:00:00.000000"),
                                 ("resolved", None)):
            await session.execute(text(
                "INSERT INTO ticket (status, created_at, updated_at, platform, workspace, asker_name, lang, near_misses,"
                " route, origin, assignee_name, deadline_at, first_answer_at, paused_seconds) VALUES (:s,"
                " '2026-11-24 09:00:00.000000', '2026-11-24 09:00:00.000000', 'slack', 'T', '', 'nb', '[]', 'default',"
                " 'escalate', '', '2026-11-26 09:00:00.000000', :a, 0)"), {"s": status, "a": answered})
    await db.dispose()
    await asyncio.to_thread(upgrade, sqlite_url)
    db = Database(sqlite_url)
    async with db.session() as session:
        checks = dict((await session.execute(select(Ticket.status, Ticket.sla_check_at))).all())
    await db.dispose()
    assert checks == {"open": SLA_CHECK_NOW, "claimed": SLA_CHECK_NOW, "answered": None, "resolved": None}
