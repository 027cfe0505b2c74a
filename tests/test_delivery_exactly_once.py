"""The process dies after Slack accepted a message and before the outbox recorded it (SIGKILL,
or a lease that ran out): the next attempt finds the message in Slack by the key it carries
(message metadata) and records it instead of posting it twice. And a message that never got
out is still sent. Fake clock; the crash is made by skipping the record (or the send and the
record) of the first attempt."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.core.tables import OutboxMessage, PostedCard
from tests.harness import BotUnderTest, start_bot

ADVISERS = "CADV"
ANSWERED = "hva er breddeprogrammet"
UNKNOWN = "Hvor mye koster en ny kaffemaskin til lærerværelset?"


async def unsent(bot: BotUnderTest) -> int:
    async with bot.runtime.services.db.session() as session:
        return (await session.execute(select(func.count()).select_from(OutboxMessage)
                                      .where(OutboxMessage.status != "sent"))).scalar_one()


def posts(bot: BotUnderTest) -> Counter:
    return Counter(c.args["channel"] for c in bot.slack.named("chat.postMessage") if not c.args.get("thread_ts"))


async def until_quiet(bot: BotUnderTest) -> None:
    """Handle and deliver what is due (settle() would wait for the leased rows to be recorded)."""
    for _ in range(5):
        await bot.runtime.worker.idle()
        await bot.runtime.deliverer.deliver_due()


def crash_first_attempts(bot: BotUnderTest, monkeypatch, *, before_send: bool) -> None:
    """Every attempt until `restart()` dies after Slack accepted (or, before_send, before it was
    sent): nothing is recorded, the row keeps its lease."""
    deliverer = bot.runtime.deliverer
    real_send, real_sent = deliverer._send, deliverer._sent

    async def no_send(port, row, posted):
        return None

    async def no_record(row, ref, **kwargs):
        return None

    if before_send:
        monkeypatch.setattr(deliverer, "_send", no_send)
    monkeypatch.setattr(deliverer, "_sent", no_record)

    def restart() -> None:
        monkeypatch.setattr(deliverer, "_send", real_send)
        monkeypatch.setattr(deliverer, "_sent", real_sent)

    bot.restart = restart  # type: ignore[attr-defined]


@pytest.mark.asyncio
async def test_a_message_slack_already_has_is_recorded_not_posted_twice(sqlite_url, slack_api, connector, clock,
                                                                      monkeypatch) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    try:
        crash_first_attempts(bot, monkeypatch, before_send=False)
        await bot.slack_dm(ANSWERED, user="UA1")
        await bot.slack_dm(UNKNOWN, user="UT1")  # a receipt to Kari and a card for the advisers
        await until_quiet(bot)
        assert posts(bot) == Counter({"DUA1": 1, "DUT1": 1, ADVISERS: 1}) and await unsent(bot) == 3

        bot.restart()  # type: ignore[attr-defined]
        clock.advance(timedelta(seconds=bot.runtime.settings.worker_lease_seconds + 1))  # the leases run out
        await bot.settle()
        assert posts(bot) == Counter({"DUA1": 1, "DUT1": 1, ADVISERS: 1})  # nothing twice...
        assert await unsent(bot) == 0  # ...and everything recorded
        assert len(slack_api.named("conversations.history")) == 3
        async with bot.runtime.services.db.session() as session:
            [card] = (await session.execute(select(PostedCard).where(PostedCard.key.like("%:advisers")))).scalars()
        card_post = next(c for c in slack_api.named("chat.postMessage") if c.args["channel"] == ADVISERS)
        assert card.message_id == card_post.ts  # later updates edit the card that is there
    finally:
        await bot.close()


@pytest.mark.asyncio
async def test_a_message_that_never_got_out_is_sent(sqlite_url, slack_api, connector, clock, monkeypatch) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock)
    try:
        crash_first_attempts(bot, monkeypatch, before_send=True)
        await bot.slack_dm(ANSWERED, user="UA1")
        await until_quiet(bot)
        assert posts(bot) == Counter() and await unsent(bot) == 1

        bot.restart()  # type: ignore[attr-defined]
        clock.advance(timedelta(seconds=bot.runtime.settings.worker_lease_seconds + 1))
        await bot.settle()
        assert posts(bot) == Counter({"DUA1": 1}) and await unsent(bot) == 0
        assert len(slack_api.named("conversations.history")) == 1  # it looked, found nothing, sent
    finally:
        await bot.close()


@pytest.mark.asyncio
async def test_no_lookup_on_an_ordinary_retry(sqlite_url, slack_api, connector, clock) -> None:
    """A recorded failure (a 503) is retried without asking Slack first: the lookup costs a call."""
    bot = await start_bot(sqlite_url, slack_api, connector, clock)
    try:
        slack_api.fail_next(503, times=1)
        await bot.slack_dm(ANSWERED, user="UA1")
        await bot.settle()
        clock.advance(seconds=5)
        await bot.settle()
        assert posts(bot) == Counter({"DUA1": 1}) and await unsent(bot) == 0
        assert slack_api.named("conversations.history") == []
    finally:
        await bot.close()
