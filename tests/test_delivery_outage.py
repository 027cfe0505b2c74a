"""A long Slack (or Teams connector) outage (429 with Retry-After, or 5xx) while many replies are queued: the bot holds
back every send to Slack and probes with one message at a time, instead of retrying each queued
message on its own (which hammers a rate-limited API with one call per message per window), and
when Slack is back everything queued goes out at once, each message once. Fake clock."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from bot.core.tables import OutboxMessage
from tests.harness import BotUnderTest, start_bot

ANSWERED = "hva er breddeprogrammet"
QUEUED = 60


async def pending(bot: BotUnderTest) -> int:
    async with bot.runtime.services.db.session() as session:
        return (await session.execute(select(func.count()).select_from(OutboxMessage)
                                      .where(OutboxMessage.status != "sent"))).scalar_one()


@pytest.mark.asyncio
@pytest.mark.parametrize("status, headers", [(429, {"Retry-After": "30"}), (503, {})])
async def test_ten_minutes_down_is_probed_not_hammered_and_then_all_goes_once(
        sqlite_url, slack_api, connector, clock, status: int, headers: dict) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock, RATE_LIMIT_PER_MINUTE=0)
    try:
        slack_api.fail_next(status, times=1_000_000, headers=headers)
        for n in range(QUEUED):
            assert (await bot.slack_dm(ANSWERED, user=f"UA{n}")).status == 200
        for _ in range(20):  # ten minutes, in 30-second steps
            await bot.settle()
            clock.advance(seconds=30)
        refused = len([c for c in slack_api.calls if c.method.endswith(f"!{status}")])
        assert 5 <= refused <= 40, refused  # it kept probing, about once per window, not 60 × 20 times
        assert await pending(bot) == QUEUED

        slack_api.failures.clear()  # Slack is back
        clock.advance(seconds=60)  # at most one window later...
        await bot.settle()
        assert await pending(bot) == 0  # ...everything went, at once
        posts = Counter(c.args["channel"] for c in slack_api.named("chat.postMessage"))
        assert posts == Counter({f"DUA{n}": 1 for n in range(QUEUED)})
    finally:
        await bot.close()


@pytest.mark.asyncio
async def test_a_refusal_of_one_message_does_not_hold_back_the_others(sqlite_url, slack_api, connector, clock) -> None:
    """A channel that is gone is that message's problem, not Slack's: no pause for the rest."""
    bot = await start_bot(sqlite_url, slack_api, connector, clock, RATE_LIMIT_PER_MINUTE=0)
    try:
        slack_api.fail_next(404, times=1)  # {"ok": false} with a 404: this message's own error, retried alone
        for n in range(5):
            await bot.slack_dm(ANSWERED, user=f"UB{n}")
        await bot.settle()
        assert len(slack_api.named("chat.postMessage")) == 4 and await pending(bot) == 1
        clock.advance(seconds=2)  # its own backoff
        await bot.settle()
        assert len(slack_api.named("chat.postMessage")) == 5 and await pending(bot) == 0
    finally:
        await bot.close()


@pytest.mark.asyncio
@pytest.mark.parametrize("status, headers", [(429, {"Retry-After": "30"}), (503, {})])
async def test_the_teams_connector_down_ten_minutes_is_probed_too_and_then_all_goes_once(
        sqlite_url, slack_api, connector, clock, status: int, headers: dict) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock, RATE_LIMIT_PER_MINUTE=0)
    try:
        connector.failures.extend([status] * 1_000_000)
        connector.failure_headers.update(headers)
        for n in range(QUEUED):
            assert (await bot.teams_post(bot.activity(ANSWERED, conversation=f"conv-{n}", user=f"29:u{n}"))).status == 201
        for _ in range(20):  # ten minutes, in 30-second steps
            await bot.settle()
            clock.advance(seconds=30)
        assert 5 <= connector.refused <= 40, connector.refused  # probed about once a window
        assert await pending(bot) == QUEUED and connector.sends() == []

        connector.failures.clear()  # the connector is back
        clock.advance(seconds=60)
        await bot.settle()
        assert await pending(bot) == 0
        assert Counter(s.conversation for s in connector.sends()) == Counter({f"conv-{n}": 1 for n in range(QUEUED)})
    finally:
        await bot.close()
