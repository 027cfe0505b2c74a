"""While Slack is down as a whole (5xx, timeouts: the outbox is holding its messages back),
handlers do not ask Slack for names or channel members inside their transactions: each such
call would wait for its timeout while holding the database (on SQLite: the one writer every ack
waits for). A rate limit on posting does not count: the directory's own methods may still work."""

from __future__ import annotations

import pytest

from tests.harness import BotUnderTest, start_bot

ADVISERS = "CADV"
ANSWERED = "hva er breddeprogrammet"
UNKNOWN = "Hvor mye koster en ny kaffemaskin til lærerværelset?"


def directory_calls(bot: BotUnderTest) -> int:
    return len([c for c in bot.slack.calls if c.method.split("!")[0] in {"users.info", "conversations.members"}])


@pytest.mark.asyncio
async def test_no_directory_calls_while_slack_is_down(sqlite_url, slack_api, connector, clock) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    try:
        slack_api.fail_next(503, times=1_000_000)
        await bot.slack_dm(ANSWERED, user="UA1")  # its answer cannot be delivered: Slack is down
        await bot.settle()
        assert bot.runtime.deliverer.platform_down("slack")
        before = directory_calls(bot)
        await bot.slack_dm(UNKNOWN, user="UT1")  # a ticket: its card wants Kari's name
        await bot.settle()
        assert directory_calls(bot) == before

        slack_api.failures.clear()  # back: the next delivery ends the outage, names are asked for again
        clock.advance(seconds=61)
        await bot.settle()
        assert not bot.runtime.deliverer.platform_down("slack")
        await bot.slack_dm(UNKNOWN + " Og i Tromsø?", user="UT2")
        await bot.settle()
        assert directory_calls(bot) > before
    finally:
        await bot.close()


@pytest.mark.asyncio
async def test_a_rate_limit_on_posting_does_not_stop_the_directory(sqlite_url, slack_api, connector, clock) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    try:
        slack_api.fail_next(429, times=1_000_000, headers={"Retry-After": "30"}, method="chat.postMessage")
        await bot.slack_dm(ANSWERED, user="UA1")
        await bot.settle()
        before = directory_calls(bot)
        await bot.slack_dm(UNKNOWN, user="UT1")
        await bot.settle()
        assert directory_calls(bot) > before
    finally:
        await bot.close()
