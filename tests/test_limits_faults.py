"""Faults as fast tests (the long, real-time versions are in bench/faults.py):

- the Slack Web API answers 429 with Retry-After (or 5xx) for ten minutes of the fake clock:
  the bot keeps accepting, and afterwards everything queued is delivered, once;
- the process dies after acknowledging events and before handling them: the next process
  handles each exactly once;
- the process dies in the middle of handling an event: nothing of it was kept, and the next
  process handles it at once (no lease to wait out), exactly once;
- two workers (two instances) race for the same inbox rows on PostgreSQL: each event is
  handled once.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import func, select

from bot.core.config import Settings
from bot.core.model import Event, Person, Place
from bot.core.tables import InboxEvent, OutboxMessage, Question, Ticket
from bot.runtime import build_runtime
from tests.harness import BotUnderTest, start_bot

ADVISERS = "CADV"
ANSWERED = "hva er breddeprogrammet"
UNKNOWN = "Hvor mye koster en ny kaffemaskin til lærerværelset?"


async def count(bot: BotUnderTest, model, *where) -> int:
    async with bot.runtime.services.db.session() as session:
        return (await session.execute(select(func.count()).select_from(model).where(*where))).scalar_one()


def top_level_posts(bot: BotUnderTest) -> Counter:
    """Successful chat.postMessage calls per channel (thread replies not counted)."""
    return Counter(c.args["channel"] for c in bot.slack.named("chat.postMessage") if not c.args.get("thread_ts"))


@pytest.mark.asyncio
@pytest.mark.parametrize("status, headers", [(429, {"Retry-After": "30"}), (503, {})])
async def test_slack_down_for_ten_minutes_then_everything_once(sqlite_url, slack_api, connector, clock,
                                                              status: int, headers: dict) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    try:
        slack_api.fail_next(status, times=100_000, headers=headers)  # every method, until we clear it
        for n in range(3):
            assert (await bot.slack_dm(ANSWERED, user=f"UA{n}")).status == 200
            assert (await bot.slack_dm(UNKNOWN, user=f"UT{n}")).status == 200
        for _ in range(10):  # ten minutes of retries, honouring Retry-After and backing off
            await bot.settle()
            clock.advance(seconds=60)
        assert (await count(bot, Question), await count(bot, Ticket)) == (6, 3)  # nothing waited for Slack
        assert top_level_posts(bot) == Counter()
        failed_calls = len([c for c in slack_api.calls if c.method.endswith(f"!{status}")])
        assert failed_calls >= 10  # it kept trying...
        assert failed_calls < 400  # ...without hammering a rate-limited API

        slack_api.failures.clear()  # Slack is back
        for _ in range(4):
            clock.advance(seconds=300)
            await bot.settle()
        posts = top_level_posts(bot)
        assert {ch: posts[ch] for ch in posts if ch.startswith("DUA")} == {f"DUA{n}": 1 for n in range(3)}
        assert {ch: posts[ch] for ch in posts if ch.startswith("DUT")} == {f"DUT{n}": 1 for n in range(3)}
        assert posts[ADVISERS] == 3  # one card per ticket, never a second copy
        assert await count(bot, OutboxMessage, OutboxMessage.status != "sent") == 0
    finally:
        await bot.close()


@pytest.mark.asyncio
async def test_acknowledged_but_not_handled_when_the_process_died(sqlite_url, slack_api, connector, clock) -> None:
    first = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    first.runtime.worker._enqueue = lambda event_id: None  # it dies right after each ack: stored, never handled
    for n in range(5):
        assert (await first.slack_dm(UNKNOWN, user=f"UT{n}")).status == 200
        assert (await first.slack_dm(ANSWERED, user=f"UA{n}")).status == 200
    await first.slack_dm(UNKNOWN, user="UT0", event_id=None)  # a Slack retry of an acked event...
    await first.close()
    assert await count(first, InboxEvent, InboxEvent.status == "pending") == 11

    second = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    try:
        await second.settle()
        assert (await count(second, Question), await count(second, Ticket)) == (11, 6)
        assert await count(second, InboxEvent, InboxEvent.status != "done") == 0
        posts = top_level_posts(second)
        assert posts[ADVISERS] == 6 and all(posts[f"DUA{n}"] == 1 for n in range(5))
    finally:
        await second.close()


@pytest.mark.asyncio
async def test_died_in_the_middle_of_handling_then_handled_at_once_by_the_next_process(
        database_url, slack_api, connector, clock) -> None:
    first = await start_bot(database_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    inside, never = asyncio.Event(), asyncio.Event()

    async def dies_half_way(ctx, call_next) -> None:  # noqa: ANN001 - middleware signature
        await call_next(ctx)  # the question is logged and its receipt and card recorded...
        inside.set()
        await never.wait()  # ...and then the process dies before the transaction ends

    first.runtime.worker.middleware.append(dies_half_way)
    first.runtime.worker._enqueue = lambda event_id: None  # handled by hand below
    assert (await first.slack_dm(UNKNOWN, user="UT1")).status == 200
    [event_id] = (await first.runtime.inbox.pending())
    handling = asyncio.create_task(first.runtime.worker.process(event_id))
    await inside.wait()
    handling.cancel()  # the process is gone; its transaction never committed
    with pytest.raises(asyncio.CancelledError):
        await handling
    await first.close()
    assert (await count(first, Question), await count(first, Ticket), await count(first, OutboxMessage)) == (0, 0, 0)

    second = await start_bot(database_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    try:
        await second.settle()  # no clock advance: nothing holds the event
        assert (await count(second, Question), await count(second, Ticket)) == (1, 1)
        async with second.runtime.services.db.session() as session:
            assert (await session.execute(select(InboxEvent.status, InboxEvent.attempts))).all() == [("done", 1)]
        assert top_level_posts(second) == Counter({"DUT1": 1, ADVISERS: 1})
    finally:
        await second.close()


@pytest.mark.asyncio
async def test_two_workers_race_for_the_same_inbox_rows_on_postgresql(pg_url, slack_api, connector, clock) -> None:
    one = await start_bot(pg_url, slack_api, connector, clock, RATE_LIMIT_PER_MINUTE=0)
    two = await start_bot(pg_url, slack_api, connector, clock, RATE_LIMIT_PER_MINUTE=0)
    try:
        ids = []
        for n in range(30):
            event = Event("message", "slack", f"EvRACE{n}", Person("slack", "T0001", f"U{n}"),
                          Place("slack", "T0001", f"DU{n}", "dm"), ANSWERED)
            ids.append(await one.runtime.inbox.accept(event))
        # both instances' workers go for every row at the same moment
        await asyncio.gather(*(w.process(i) for i in ids for w in (one.runtime.worker, two.runtime.worker)))
        assert await count(one, Question) == 30
        async with one.runtime.services.db.session() as session:
            rows = (await session.execute(select(InboxEvent.status, InboxEvent.attempts))).all()
        assert Counter(rows) == Counter({("done", 1): 30})  # the loser never even counted an attempt
        assert await count(one, OutboxMessage) == 30
    finally:
        await one.close()
        await two.close()


@pytest.mark.asyncio
async def test_a_sweep_under_a_backlog_queues_nothing_twice(sqlite_url, slack_api, connector, clock) -> None:
    # A runtime whose worker is not consuming: its queue is the backlog.
    runtime = await build_runtime(Settings(DATABASE_URL=sqlite_url, RATE_LIMIT_PER_MINUTE=0), clock=clock,
                                  platforms=())
    try:
        for n in range(3):
            event = Event("message", "slack", f"EvBACKLOG{n}", Person("slack", "T0001", f"U{n}"),
                          Place("slack", "T0001", f"DU{n}", "dm"), ANSWERED)
            assert await runtime.worker.submit(event)
        assert runtime.worker._queue.qsize() == 3
        assert await runtime.worker.sweep() == 3  # all three are pending, and all already queued
        await runtime.worker.sweep()
        assert runtime.worker._queue.qsize() == 3
    finally:
        await runtime.stop()
