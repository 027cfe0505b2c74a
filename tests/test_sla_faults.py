"""The promise survives faults: a reminder the platform refuses (Slack 429 with Retry-After, then
5xx; the Teams connector down) is retried with backoff on the fake clock, recorded on its outbox
row while it fails, and delivered once; a sweep that dies half-way is finished by the next run,
with each notice sent once.

The expected retry times follow the outbox's policy, worked out by hand: Retry-After when the
platform gives one, otherwise 1 s, 2 s, 4 s … after the 1st, 2nd, 3rd failed attempt."""

from __future__ import annotations

import logging
import re
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
import pytest_asyncio
from aiohttp import web
from sqlalchemy import select

from bot.core.config import Settings
from bot.core.tables import OutboxMessage, SlaNotice, Ticket
from bot.runtime import build_runtime
from handlers.sla import notices
from handlers.sla.sweep import sweep
from scheduler.runner import Scheduler
from scheduler.sla_jobs import sla_sweep
from tests.fakes.connector import FakeConnector
from tests.harness import BotUnderTest, start_bot

UTC = timezone.utc
ADVISERS = "CADV"
TEAMS_CHANNEL = "19:advisers@thread.tacv2"
UNKNOWN = "Hvordan setter jeg opp skriveren på kontoret?"
# The fake clock starts Wednesday 2026-11-25 12:00 UTC; the ticket is opened then, so its 24-hour
# reminder falls due on Thursday 26.11 at 12:00 UTC.
REMIND_24H = datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC)


async def reminder_rows(bot: BotUnderTest) -> list[OutboxMessage]:
    async with bot.runtime.services.db.session() as session:
        rows = (await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars().all()
    return [r for r in rows if str(r.payload.get("text", "")).startswith("⏰")]


async def notice_rows(bot: BotUnderTest) -> list[tuple[str, str]]:
    async with bot.runtime.services.db.session() as session:
        return [tuple(r) for r in await session.execute(select(SlaNotice.kind, SlaNotice.status))]  # type: ignore[misc]


async def at(bot: BotUnderTest, clock, seconds: float) -> None:
    """Move the fake clock on and let the deliverer do whatever is due by then."""
    clock.advance(seconds=seconds)
    await bot.settle()


# ---------------------------------------------------------------------------------------- Slack

@pytest.mark.asyncio
async def test_a_reminder_slack_refuses_is_retried_with_backoff_and_recorded(sqlite_url, slack_api, connector,
                                                                            clock) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}",
                          SLA_SWEEP_SECONDS=3600)
    try:
        await bot.slack_dm(UNKNOWN, user="U100")
        await bot.settle()
        posted = len(slack_api.named("chat.postMessage"))  # the receipt and the advisers' card

        # Slack is rate limiting (Retry-After: 30), then has two bad moments (503).
        slack_api.fail_next(429, headers={"Retry-After": "30"}, method="chat.postMessage")
        slack_api.fail_next(503, times=2, method="chat.postMessage")
        clock.set(REMIND_24H)
        assert (await sla_sweep(bot.runtime)).sent == {"remind:24h": 1}
        await bot.settle()

        def attempts() -> list[str]:
            return [c.method for c in slack_api.calls if c.method.startswith("chat.postMessage")][posted:]

        assert attempts() == ["chat.postMessage!429"]
        [row] = await reminder_rows(bot)
        assert (row.status, row.attempts, row.last_error) == ("pending", 1, "slack rate limited")
        assert row.next_attempt_at == REMIND_24H + timedelta(seconds=30)  # Retry-After is honoured

        await at(bot, clock, 29.5)  # not before Retry-After has passed
        assert attempts() == ["chat.postMessage!429"]
        await at(bot, clock, 0.5)
        assert attempts() == ["chat.postMessage!429", "chat.postMessage!503"]

        # Then it backs off: each try waits for the row's next attempt, never earlier, and the
        # waits grow.
        [row] = await reminder_rows(bot)
        assert (row.status, row.attempts, row.last_error) == ("pending", 2, "slack http 503")
        waits = [(row.next_attempt_at - clock.now()).total_seconds()]
        for outcome in ("chat.postMessage!503", "chat.postMessage"):
            tries = len(attempts())
            clock.set(row.next_attempt_at - timedelta(seconds=0.5))
            await bot.settle()
            assert len(attempts()) == tries  # not before its time
            clock.set(row.next_attempt_at)
            await bot.settle()
            assert attempts()[tries:] == [outcome]
            [row] = await reminder_rows(bot)
            if row.status == "pending":
                waits.append((row.next_attempt_at - clock.now()).total_seconds())
        assert len(waits) == 2 and 0 < waits[0] < waits[1], waits
        delivered_at = clock.now()

        # Delivered once, and the record says how it went.
        reminders = [c for c in slack_api.named("chat.postMessage") if c.args["text"].startswith("⏰")]
        assert len(reminders) == 1 and reminders[0].args["channel"] == ADVISERS
        [row] = await reminder_rows(bot)
        assert (row.status, row.attempts, row.last_error) == ("sent", 4, None)
        assert row.sent_at == delivered_at
        assert await notice_rows(bot) == [("remind:24h", "sent")]

        # Nothing more: another sweep and another hour of deliveries send it no second time.
        assert (await sla_sweep(bot.runtime)).total_sent == 0
        await at(bot, clock, 3600)
        assert len([c for c in slack_api.calls if c.args.get("text", "").startswith("⏰")]) == 4  # 3 refused + 1
    finally:
        await bot.close()


# ---------------------------------------------------------------------------------------- Teams

class UnpluggableConnector(FakeConnector):
    """The fake connector, which can go away (nothing listens on its port) and come back on the
    same address, as a Bot Framework connector outage looks to the bot."""

    async def start(self, port: int = 0) -> "UnpluggableConnector":
        app = web.Application()
        app.router.add_post("/v3/conversations/{conv}/activities", self._send)
        app.router.add_post("/v3/conversations/{conv}/activities/{activity}", self._send)
        app.router.add_put("/v3/conversations/{conv}/activities/{activity}", self._update)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", port, reuse_address=True)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{self.port}/"
        if self._changed is None:
            import asyncio

            self._changed = asyncio.Condition()
        return self

    async def unplug(self) -> None:
        assert self.runner is not None
        await self.runner.cleanup()

    async def plug_in(self) -> None:
        await self.start(self.port)


def first_text(activity: dict) -> str:
    if activity.get("attachments"):
        return str(activity["attachments"][0]["content"]["body"][0].get("text", ""))
    return str(activity.get("text", ""))


@pytest_asyncio.fixture
async def unpluggable():
    fake = await UnpluggableConnector().start()
    yield fake
    await fake.stop()


@pytest.mark.asyncio
async def test_a_reminder_while_the_teams_connector_is_down_is_retried_and_recorded(sqlite_url, slack_api,
                                                                                  unpluggable, clock) -> None:
    connector = unpluggable
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=teams:{TEAMS_CHANNEL}",
                          SLA_SWEEP_SECONDS=3600)
    try:
        await bot.teams_post(bot.activity(activity_type="conversationUpdate", conversation=TEAMS_CHANNEL,
                                          kind="channel", membersAdded=[{"id": "28:kulturbot"}], user="29:ola",
                                          name="Ola Rådgiver"))
        await bot.teams_post(bot.activity(UNKNOWN))
        await bot.settle()
        await connector.wait_for(2)  # the receipt and the advisers' card

        def reminders() -> list[str]:
            return [s.conversation for s in connector.sends() if first_text(s.activity).startswith("⏰")]

        await connector.unplug()
        clock.set(REMIND_24H)
        assert (await sla_sweep(bot.runtime)).sent == {"remind:24h": 1}
        await bot.settle()
        [row] = await reminder_rows(bot)
        assert row.status == "pending" and row.attempts >= 1
        assert row.last_error is not None and row.last_error.startswith("teams connector unreachable")

        # The outage goes on: each try waits for the row's next attempt (never earlier), and the
        # waits grow (backoff). (Each failed try also costs some real seconds: the Bot Framework
        # client retries a refused connection itself before it gives up.)
        waits = [(row.next_attempt_at - clock.now()).total_seconds()]
        for _ in range(3):
            tries = row.attempts
            clock.set(row.next_attempt_at - timedelta(seconds=0.5))
            await bot.settle()
            [row] = await reminder_rows(bot)
            assert row.attempts == tries  # not before its time
            clock.set(row.next_attempt_at)
            await bot.settle()
            [row] = await reminder_rows(bot)
            assert row.attempts == tries + 1 and row.status == "pending"
            assert row.last_error.startswith("teams connector unreachable")
            waits.append((row.next_attempt_at - clock.now()).total_seconds())
        assert all(a < b for a, b in zip(waits, waits[1:])), waits
        assert reminders() == []

        await connector.plug_in()
        clock.set(row.next_attempt_at)  # the connector is back: the next try gets through
        await bot.settle()
        assert reminders() == [TEAMS_CHANNEL]
        await at(bot, clock, 3600)
        assert reminders() == [TEAMS_CHANNEL]  # once
        [row] = await reminder_rows(bot)
        assert row.status == "sent" and row.last_error is None
        assert await notice_rows(bot) == [("remind:24h", "sent")]
    finally:
        await bot.close()


# ------------------------------------------------------------------------- a sweep that dies

def a_ticket(deadline: datetime) -> Ticket:
    created = deadline - timedelta(hours=48)
    return Ticket(status="open", created_at=created, updated_at=created, platform="slack", workspace="T0001",
                  asker_user_id="U100", asker_name="Kari", question_text="Et spørsmål", deadline_at=deadline)


@pytest.mark.asyncio
async def test_a_sweep_that_dies_half_way_is_finished_by_the_next_run(sqlite_url, clock, monkeypatch,
                                                                      caplog) -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    clock.set(now)
    settings = Settings(DATABASE_URL=sqlite_url, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    runtime = await build_runtime(settings, clock=clock, platforms=())
    db = runtime.services.db
    try:
        # Seven tickets whose 2-hour reminder is due (deadlines 90…96 minutes away).
        async with db.session() as session:
            session.add_all([a_ticket(now + timedelta(minutes=90 + i)) for i in range(7)])

        # The first batch of three goes through; writing the fourth reminder fails (a bug, a
        # dropped connection): the job dies with the second batch half done.
        real = notices.channel_reminder
        written = []

        def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
            if len(written) == 3:
                raise RuntimeError("the sweep dies here")
            written.append(1)
            return real(*args, **kwargs)

        monkeypatch.setattr(notices, "channel_reminder", failing)
        scheduler = Scheduler("Europe/Oslo")
        job = scheduler._guarded(lambda services: sweep(services, batch=3), "sla-sweep")
        with caplog.at_level(logging.ERROR, logger="kulturbot.scheduler"):
            await job(runtime.services)  # APScheduler's run: the error is logged, the job stays
        assert [r.getMessage() for r in caplog.records] == ["scheduled job sla-sweep failed: RuntimeError"]

        async with db.session() as session:
            recorded = Counter((await session.execute(select(SlaNotice.kind, SlaNotice.status))).all())
            messages = [p for p in (await session.execute(select(OutboxMessage.payload))).scalars()
                        if p["text"].startswith("⏰")]
        # the first batch is committed (its three reminders, their skipped 24 h and 8 h points);
        # the second was rolled back as a whole: no notice without its message, no message twice
        assert recorded == {("remind:2h", "sent"): 3, ("remind:24h", "skipped"): 3, ("remind:8h", "skipped"): 3}
        assert sorted(re.findall(r"#(\d+)", " ".join(m["text"] for m in messages))) == ["1001", "1002", "1003"]

        monkeypatch.setattr(notices, "channel_reminder", real)
        clock.advance(seconds=15)  # the next run
        report = await sweep(runtime.services, batch=3)
        assert report.sent == {"remind:2h": 4}
        assert (await sweep(runtime.services, batch=3)).total_sent == 0
        async with db.session() as session:
            recorded = Counter((await session.execute(select(SlaNotice.kind, SlaNotice.status))).all())
            messages = [p for p in (await session.execute(select(OutboxMessage.payload))).scalars()
                        if p["text"].startswith("⏰")]
        assert recorded == {("remind:2h", "sent"): 7, ("remind:24h", "skipped"): 7, ("remind:8h", "skipped"): 7}
        named = Counter(re.findall(r"#(\d+)", " ".join(m["text"] for m in messages)))
        assert named == {str(1000 + i): 1 for i in range(1, 8)}
    finally:
        await db.dispose()
