"""The retention purge is a job the running service schedules (hourly), and RETENTION_DAYS sets
its limit: the job the scheduler holds, run as the scheduler runs it, anonymizes what is older."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core.tables import PrivacyAudit, Question
from tests.harness import BotUnderTest, start_bot

ANSWERED = "hva er breddeprogrammet"


async def questions(bot: BotUnderTest) -> list[tuple]:
    async with bot.runtime.services.db.session() as session:
        return [(q.user_id, q.text) for q in (await session.execute(select(Question).order_by(Question.id))).scalars()]


async def run_scheduled(bot: BotUnderTest, name: str) -> None:
    job = bot.runtime.scheduler._scheduler.get_job(name)
    assert job is not None, f"{name} is not scheduled"
    await job.func(*job.args)  # what APScheduler calls when the trigger fires


@pytest.mark.asyncio
async def test_the_scheduled_job_honours_retention_days(sqlite_url, slack_api, connector, clock) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock, RETENTION_DAYS=30)
    try:
        assert "privacy-retention" in bot.runtime.scheduler.job_names()
        job = bot.runtime.scheduler._scheduler.get_job("privacy-retention")
        assert job.trigger.interval.total_seconds() == 3600

        await bot.slack_dm(ANSWERED, user="U100")
        await bot.settle()
        clock.advance(days=29)
        await bot.slack_dm(ANSWERED, user="U200")
        await bot.settle()

        clock.advance(days=1, minutes=1)  # Kari's question is 30 days old, Per's one day
        await run_scheduled(bot, "privacy-retention")
        assert await questions(bot) == [(None, None), ("U200", ANSWERED)]
        async with bot.runtime.services.db.session() as session:
            [audit] = (await session.execute(select(PrivacyAudit))).scalars()
        assert (audit.action, audit.actor) == ("purge", "scheduler")
    finally:
        await bot.close()


@pytest.mark.asyncio
async def test_the_default_is_a_year(sqlite_url, slack_api, connector, clock) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock)
    try:
        assert bot.runtime.settings.retention_days == 365
        await bot.slack_dm(ANSWERED, user="U100")
        await bot.settle()
        clock.advance(days=364)
        await run_scheduled(bot, "privacy-retention")
        assert await questions(bot) == [("U100", ANSWERED)]
        clock.advance(days=1, minutes=1)
        await run_scheduled(bot, "privacy-retention")
        assert await questions(bot) == [(None, None)]
    finally:
        await bot.close()
