"""The SLA settings through the real Slack path (signed HTTP, fake Slack Web API, fake clock):
business hours across the change to summer time and Easter, reminder points other than the
default, and the pause switched off.

Worked out by hand (2026): summer time starts Sunday 29 March (Oslo goes from UTC+1 to UTC+2);
Skjærtorsdag 2 April, Langfredag 3 April and 2. påskedag 6 April are public holidays."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bot.core.tables import SlaNotice, Ticket
from scheduler.sla_jobs import sla_sweep
from tests.fakes.slack_api import FakeSlackApi
from tests.harness import BotUnderTest, start_bot
from tests.slack_helpers import block_texts, buttons_of

ADVISERS = "CADV"
UNKNOWN = "Hvordan setter jeg opp skriveren på kontoret?"
UTC = timezone.utc


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


async def desk(url: str, slack_api: FakeSlackApi, connector, clock, **settings: object) -> BotUnderTest:
    slack_api.add_user("U100", "Kari Nordmann")
    slack_api.add_user("UOLA", "Ola Rådgiver", ADVISERS)
    return await start_bot(url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}",
                           WORKSPACE_NAMES="T0001=Eksempel kommune", MANAGERS="slack:UBOSS",
                           SLA_SWEEP_SECONDS=3600, **settings)


async def sweep_at(bot: BotUnderTest, clock, when: datetime) -> None:
    clock.set(when)
    await sla_sweep(bot.runtime)
    await bot.settle()


def top_level(bot: BotUnderTest, channel: str) -> list[str]:
    return [block_texts(c.args.get("blocks", [])) or c.args.get("text", "") for c in bot.slack.named("chat.postMessage")
            if c.args["channel"] == channel and "thread_ts" not in c.args]


def reminders(bot: BotUnderTest, channel: str = ADVISERS) -> list[str]:
    return [text for text in top_level(bot, channel) if text.startswith("⏰")]


async def the_ticket(bot: BotUnderTest) -> Ticket:
    async with bot.runtime.services.db.session() as session:
        return (await session.execute(select(Ticket))).scalar_one()


async def kinds(bot: BotUnderTest) -> list[str]:
    async with bot.runtime.services.db.session() as session:
        return list((await session.execute(select(SlaNotice.kind).order_by(SlaNotice.id))).scalars())


@pytest.mark.asyncio
async def test_business_hours_across_summer_time_and_easter(sqlite_url, slack_api, connector, clock) -> None:
    # Friday 27 March 15:00 in Oslo (winter time, 14:00 UTC). 48 working hours: 1 on Friday; after
    # the clocks change, Mon 30.3, Tue 31.3, Wed 1.4: 24 (25); Easter closes Thu 2.4 to Mon 6.4;
    # Tue 7.4 and Wed 8.4: 16 (41); Thursday 9 April 08:00–15:00: 7. Deadline: Thursday 9 April
    # 15:00 in Oslo, summer time: 13:00 UTC.
    clock.set(utc(2026, 3, 27, 14, 0))
    bot = await desk(sqlite_url, slack_api, connector, clock, SLA_CALENDAR="business")
    try:
        await bot.slack_dm(UNKNOWN, user="U100")
        await bot.settle()
        assert "Du får svar her senest *torsdag 9. april kl. 15:00*" in top_level(bot, "DU100")[0]
        assert (await the_ticket(bot)).deadline_at == utc(2026, 4, 9, 13, 0)

        # 24 working hours before: Thu 9.4 (7), Wed 8.4 (8), Tue 7.4 (8), then back over Easter to
        # Wednesday 1 April 15:00 (1): 13:00 UTC, already summer time.
        await sweep_at(bot, clock, utc(2026, 4, 1, 12, 59))
        assert reminders(bot) == []
        await sweep_at(bot, clock, utc(2026, 4, 1, 13, 0, 5))
        assert reminders(bot)[-1].startswith(
            "⏰ Sak *#1001* har ikke fått svar, og fristen går ut om 24 arbeidstimer (tor. 09.04 kl. 15:00).")

        # Easter: no working hour passes, nothing falls due.
        for day in (2, 3, 4, 5, 6):
            await sweep_at(bot, clock, utc(2026, 4, day, 12, 0))
        assert len(reminders(bot)) == 1

        # 8 working hours before: Thu 9.4 08:00–15:00 (7) and Wed 8.4 15:00–16:00 (1).
        await sweep_at(bot, clock, utc(2026, 4, 8, 12, 59))
        assert len(reminders(bot)) == 1
        await sweep_at(bot, clock, utc(2026, 4, 8, 13, 0, 5))
        assert "fristen går ut om 8 arbeidstimer (tor. 09.04 kl. 15:00)" in reminders(bot)[-1]
        # 2 working hours before: Thursday 13:00 in Oslo, 11:00 UTC.
        await sweep_at(bot, clock, utc(2026, 4, 9, 10, 59))
        assert len(reminders(bot)) == 2
        await sweep_at(bot, clock, utc(2026, 4, 9, 11, 0, 5))
        assert "fristen går ut om 2 arbeidstimer (tor. 09.04 kl. 15:00)" in reminders(bot)[-1]

        # The breach at 15:00 in Oslo, not an hour early or late.
        await sweep_at(bot, clock, utc(2026, 4, 9, 12, 59, 55))
        assert top_level(bot, "UBOSS") == []
        await sweep_at(bot, clock, utc(2026, 4, 9, 13, 0, 5))
        [escalation] = top_level(bot, "UBOSS")
        assert escalation.startswith("🔴 Sak *#1001* (Eksempel kommune) passerte fristen på 48 arbeidstimer "
                                     "kl. 15:00 i dag. Saksbehandler: ingen har tatt saken.")
        assert await kinds(bot) == ["remind:24h", "remind:8h", "remind:2h", "breach"]
    finally:
        await bot.close()


@pytest.mark.asyncio
async def test_reminder_points_are_a_setting(sqlite_url, slack_api, connector, clock) -> None:
    # A 24-hour promise with reminders 12 h and 1 h before. Opened Wednesday 12:00 UTC (13:00 in
    # Oslo): reminders Thursday 00:00 and 11:00 UTC, the breach Thursday 12:00 UTC.
    bot = await desk(sqlite_url, slack_api, connector, clock, SLA_HOURS=24, SLA_REMINDERS="1,12")
    try:
        await bot.slack_dm(UNKNOWN, user="U100")
        await bot.settle()
        await sweep_at(bot, clock, utc(2026, 11, 25, 23, 59))
        assert reminders(bot) == []
        await sweep_at(bot, clock, utc(2026, 11, 26, 0, 0, 5))
        assert "fristen går ut om 12 timer (tor. 26.11 kl. 13:00)" in reminders(bot)[-1]
        await sweep_at(bot, clock, utc(2026, 11, 26, 10, 59))
        assert len(reminders(bot)) == 1
        await sweep_at(bot, clock, utc(2026, 11, 26, 11, 0, 5))
        assert "fristen går ut om 1 time (tor. 26.11 kl. 13:00)" in reminders(bot)[-1]
        await sweep_at(bot, clock, utc(2026, 11, 26, 12, 0, 5))
        [escalation] = top_level(bot, "UBOSS")
        assert "passerte 24-timersfristen kl. 13:00 i dag" in escalation
        assert len(reminders(bot)) == 2
        assert await kinds(bot) == ["remind:12h", "remind:1h", "breach"]
    finally:
        await bot.close()


@pytest.mark.asyncio
async def test_without_the_pause_a_question_back_does_not_stop_the_clock(sqlite_url, slack_api, connector,
                                                                         clock) -> None:
    bot = await desk(sqlite_url, slack_api, connector, clock, SLA_PAUSE_ON_QUESTION="false")
    try:
        await bot.slack_dm(UNKNOWN, user="U100")
        await bot.settle()
        card_ts = next(c.ts for c in bot.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS)
        card = [c for c in bot.slack.named("chat.postMessage") if c.ts == card_ts][0].args
        clock.set(utc(2026, 11, 25, 14, 0))
        await bot.slack_click(buttons_of(card["blocks"])["Spør spørreren"], user="UOLA", channel=ADVISERS,
                              message_ts=card_ts)
        await bot.settle()
        view = bot.slack.named("views.open")[-1].args["view"]
        assert "fristen står stille" not in str(view)
        await bot.slack_submit_form(view, "Hvilken skriver gjelder det?", user="UOLA")
        await bot.settle()
        question = top_level(bot, "DU100")[-1]
        assert "Hvilken skriver gjelder det?" in question and "står stille" not in question
        ticket = await the_ticket(bot)
        assert ticket.paused_at is None and ticket.deadline_at == utc(2026, 11, 27, 12, 0)

        # The clock runs on: Ola has the ticket now, and his 24-hour reminder comes on time.
        await sweep_at(bot, clock, utc(2026, 11, 26, 12, 0, 5))
        assert reminders(bot, "UOLA") == [
            f"⏰ Du har sak *#1001* – 24 timer igjen til fristen (fre. 27.11 kl. 13:00).\n«{UNKNOWN}»"]
        assert (await the_ticket(bot)).deadline_at == utc(2026, 11, 27, 12, 0)
    finally:
        await bot.close()


@pytest.mark.asyncio
async def test_under_business_hours_the_card_counts_working_time(sqlite_url, slack_api, connector, clock) -> None:
    # Friday 27 November 15:59 in Oslo: the deadline is Monday 7 December 15:59 (48 working hours,
    # ten days of real time). The card counts what the promise counts: working hours.
    clock.set(utc(2026, 11, 27, 14, 59))
    bot = await desk(sqlite_url, slack_api, connector, clock, SLA_CALENDAR="business")
    try:
        await bot.slack_dm(UNKNOWN, user="U100")
        await bot.settle()

        def heading() -> str:
            ts = next(c.ts for c in bot.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS)
            calls = [c for c in bot.slack.to_channel(ADVISERS) if (c.method == "chat.update" and c.args.get("ts") == ts)
                     or (c.method == "chat.postMessage" and c.ts == ts)]
            return calls[-1].args["blocks"][0]["text"]["text"]

        assert heading() == "🟢 #1001 · Åpen · frist man. 07.12 kl. 15:59 (48 t arbeidstid igjen)"
        # Friday 4 December 15:59: 8 working hours left (1 min on Friday, 7 h 59 min on Monday), 72
        # real hours: the 8-hour reminder, and the card turns orange.
        await sweep_at(bot, clock, utc(2026, 12, 4, 14, 59))
        assert "fristen går ut om 8 arbeidstimer" in reminders(bot)[-1]
        assert heading() == "🟠 #1001 · Åpen · frist man. 07.12 kl. 15:59 (8 t arbeidstid igjen)"
        # Monday 13:59: 2 working hours left; the card is already orange and stays so.
        await sweep_at(bot, clock, utc(2026, 12, 7, 12, 59))
        assert heading().startswith("🟠 #1001 · Åpen · frist man. 07.12 kl. 15:59")
        await sweep_at(bot, clock, utc(2026, 12, 7, 14, 59, 5))
        assert heading().startswith("🔴 #1001 · Åpen · frist man. 07.12 kl. 15:59")
    finally:
        await bot.close()
