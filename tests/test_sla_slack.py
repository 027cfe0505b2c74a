"""The 48-hour promise in Slack, over signed HTTP with a fake Slack Web API: reminders to the
advisers' channel and to the assignee, the breach to the managers, the apology, the pause.
The fake clock moves; the sweep job is called directly (no sleeping)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.core.tables import SlaNotice, Ticket
from scheduler.sla_jobs import sla_sweep
from tests.fakes.slack_api import FakeSlackApi
from tests.harness import BotUnderTest, start_bot
from tests.slack_helpers import block_texts, buttons_of, option, select_of

ADVISERS = "CADV"
LEADERS = "CLEAD"
UNKNOWN = "Hvordan setter jeg opp skriveren på kontoret?"
UTC = timezone.utc
# The fake clock starts 2026-11-25 12:00 UTC (13:00 in Oslo): the deadline is Friday 27.11 13:00 in Oslo.
DEADLINE = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


@pytest_asyncio.fixture
async def desk(sqlite_url, slack_api: FakeSlackApi, connector, clock):
    slack_api.add_user("U100", "Kari Nordmann")
    slack_api.add_user("UOLA", "Ola Rådgiver", ADVISERS)
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}",
                          WORKSPACE_NAMES="T0001=Eksempel kommune", MANAGERS="slack:UBOSS",
                          MANAGERS_CHANNEL=f"slack:{LEADERS}", SLA_SWEEP_SECONDS=3600)
    yield bot
    await bot.close()


async def open_ticket(bot: BotUnderTest) -> None:
    await bot.slack_dm(UNKNOWN, user="U100")
    await bot.settle()


async def sweep_at(bot: BotUnderTest, clock, when: datetime) -> None:
    clock.set(when)
    await sla_sweep(bot.runtime)
    await bot.settle()


def texts_to(bot: BotUnderTest, channel: str) -> list[str]:
    """What was posted (not updated) in a conversation, top level, as readable text."""
    return [block_texts(c.args.get("blocks", [])) or c.args.get("text", "") for c in bot.slack.named("chat.postMessage")
            if c.args["channel"] == channel and "thread_ts" not in c.args]


def reminders_in_channel(bot: BotUnderTest) -> list[dict]:
    return [c.args for c in bot.slack.named("chat.postMessage")
            if c.args["channel"] == ADVISERS and "thread_ts" not in c.args and c.args["text"].startswith("⏰")]


def card_ts(bot: BotUnderTest) -> str:
    return next(c.ts for c in bot.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS)


def latest_card(bot: BotUnderTest) -> dict:
    ts = card_ts(bot)
    calls = [c for c in bot.slack.to_channel(ADVISERS)
             if (c.method == "chat.update" and c.args.get("ts") == ts) or (c.method == "chat.postMessage" and c.ts == ts)]
    return calls[-1].args


async def ticket_row(bot: BotUnderTest) -> Ticket:
    async with bot.runtime.services.db.session() as session:
        return (await session.execute(select(Ticket))).scalar_one()


async def notices(bot: BotUnderTest) -> list[tuple[str, str]]:
    async with bot.runtime.services.db.session() as session:
        rows = await session.execute(select(SlaNotice.kind, SlaNotice.status).order_by(SlaNotice.id))
        return [tuple(r) for r in rows]


async def click(bot: BotUnderTest, button: dict, user: str, channel: str = ADVISERS, ts: str | None = None) -> None:
    await bot.slack_click(button, user=user, channel=channel, message_ts=ts or card_ts(bot))
    await bot.settle()


@pytest.mark.asyncio
async def test_an_unclaimed_ticket_reminds_the_channel_then_escalates_the_breach(desk: BotUnderTest, clock) -> None:
    await open_ticket(desk)

    await sweep_at(desk, clock, datetime(2026, 11, 26, 11, 59, tzinfo=UTC))  # a minute before 24 h left
    assert reminders_in_channel(desk) == []

    await sweep_at(desk, clock, datetime(2026, 11, 26, 12, 0, 30, tzinfo=UTC))
    await sweep_at(desk, clock, datetime(2026, 11, 26, 12, 1, tzinfo=UTC))  # a second sweep sends nothing new
    [first] = reminders_in_channel(desk)
    assert block_texts(first["blocks"]).startswith(
        "⏰ Sak *#1001* har ikke fått svar, og fristen går ut om 24 timer (fre. 27.11 kl. 13:00).")
    assert f"«{UNKNOWN}»" in block_texts(first["blocks"])
    take = buttons_of(first["blocks"])["Ta saken"]
    assert (take["action_id"], take["value"]) == ("ticket_claim", "1")
    # the card's time left is brought up to date; still green
    assert latest_card(desk)["blocks"][0]["text"]["text"] == "🟢 #1001 · Åpen · frist fre. 27.11 kl. 13:00 (23 t igjen)"

    await sweep_at(desk, clock, datetime(2026, 11, 27, 4, 0, tzinfo=UTC))
    assert "fristen går ut om 8 timer (fre. 27.11 kl. 13:00)" in block_texts(reminders_in_channel(desk)[-1]["blocks"])
    assert latest_card(desk)["blocks"][0]["text"]["text"] == "🟠 #1001 · Åpen · frist fre. 27.11 kl. 13:00 (8 t igjen)"

    updates = len(desk.slack.named("chat.update"))
    await sweep_at(desk, clock, datetime(2026, 11, 27, 10, 15, tzinfo=UTC))
    assert "fristen går ut om 2 timer (fre. 27.11 kl. 13:00)" in block_texts(reminders_in_channel(desk)[-1]["blocks"])
    assert len(reminders_in_channel(desk)) == 3
    assert len(desk.slack.named("chat.update")) == updates + 1
    assert latest_card(desk)["blocks"][0]["text"]["text"] == "🟠 #1001 · Åpen · frist fre. 27.11 kl. 13:00 (1 t 45 min igjen)"

    # The deadline passes: the managers hear it (DM and their channel), the card says so, once.
    await sweep_at(desk, clock, datetime(2026, 11, 27, 12, 0, 20, tzinfo=UTC))
    await sweep_at(desk, clock, datetime(2026, 11, 27, 12, 5, tzinfo=UTC))
    escalation = ("🔴 Sak *#1001* (Eksempel kommune) passerte 48-timersfristen kl. 13:00 i dag. "
                  "Saksbehandler: ingen har tatt saken.")
    [to_boss] = texts_to(desk, "UBOSS")
    [to_leaders] = texts_to(desk, LEADERS)
    assert to_boss.startswith(escalation) and to_leaders.startswith(escalation)
    card = latest_card(desk)
    assert card["blocks"][0]["text"]["text"].startswith("🔴 #1001 · Åpen · frist fre. 27.11 kl. 13:00")
    assert "🔴 Fristen gikk ut fre. 27.11 kl. 13:00. Lederne er varslet." in block_texts(card["blocks"])
    in_thread = [c.args for c in desk.slack.to_channel(ADVISERS) if c.args.get("thread_ts") == card_ts(desk)]
    assert "Fristen for sak *#1001* gikk ut kl. 13:00 i dag. Lederne er varslet." in block_texts(in_thread[-1]["blocks"])
    ticket = await ticket_row(desk)
    assert ticket.breached_at == DEADLINE and ticket.sla_check_at is None
    assert await notices(desk) == [("remind:24h", "sent"), ("remind:8h", "sent"), ("remind:2h", "sent"), ("breach", "sent")]
    assert len(reminders_in_channel(desk)) == 3

    # Ola takes it from the reminder: Kari gets an apology with a new expectation (24 h), once.
    clock.set(datetime(2026, 11, 27, 12, 30, tzinfo=UTC))
    await click(desk, take, "UOLA", ts=desk.slack.named("chat.postMessage")[-1].ts)
    to_kari = texts_to(desk, "DU100")
    assert to_kari[-1] == ("Beklager at sak *#1001* har tatt lengre tid enn lovet. Ola Rådgiver har saken nå, "
                           "og du får svar her senest *lørdag 28. november kl. 13:30*.")
    await click(desk, buttons_of(latest_card(desk)["blocks"])["Slipp"], "UOLA")
    await click(desk, buttons_of(latest_card(desk)["blocks"])["Ta saken"], "UOLA")
    assert sum("Beklager" in text for text in texts_to(desk, "DU100")) == 1
    assert (await notices(desk))[-1] == ("apology", "sent")


@pytest.mark.asyncio
async def test_a_new_ticket_is_planned_as_it_opens_so_the_next_sweep_has_nothing_to_look_at(desk: BotUnderTest,
                                                                                          clock) -> None:
    await open_ticket(desk)
    ticket = await ticket_row(desk)
    assert ticket.deadline_at == DEADLINE
    assert ticket.sla_check_at == datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # the 24-hour reminder
    report = await sla_sweep(desk.runtime)
    assert report.looked_at == 0 and report.total_sent == 0


@pytest.mark.asyncio
async def test_a_claimed_ticket_reminds_its_adviser_by_dm(desk: BotUnderTest, clock) -> None:
    await open_ticket(desk)
    await click(desk, buttons_of(latest_card(desk)["blocks"])["Ta saken"], "UOLA")

    await sweep_at(desk, clock, datetime(2026, 11, 26, 12, 0, 5, tzinfo=UTC))
    await sweep_at(desk, clock, datetime(2026, 11, 27, 4, 0, 5, tzinfo=UTC))
    await sweep_at(desk, clock, datetime(2026, 11, 27, 10, 0, 5, tzinfo=UTC))
    assert texts_to(desk, "UOLA") == [
        f"⏰ Du har sak *#1001* – 24 timer igjen til fristen (fre. 27.11 kl. 13:00).\n«{UNKNOWN}»",
        f"⏰ Du har sak *#1001* – 8 timer igjen til fristen (fre. 27.11 kl. 13:00).\n«{UNKNOWN}»",
        f"⏰ Du har sak *#1001* – 2 timer igjen til fristen (fre. 27.11 kl. 13:00).\n«{UNKNOWN}»",
    ]
    assert reminders_in_channel(desk) == []

    await sweep_at(desk, clock, datetime(2026, 11, 27, 12, 1, tzinfo=UTC))
    [to_boss] = texts_to(desk, "UBOSS")
    assert to_boss.startswith("🔴 Sak *#1001* (Eksempel kommune) passerte 48-timersfristen kl. 13:00 i dag. "
                              "Saksbehandler: Ola Rådgiver.")

    # The late answer reaches Kari with an apology, once; the clock had stopped being a promise.
    clock.set(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))
    await click(desk, buttons_of(latest_card(desk)["blocks"])["Svar"], "UOLA")
    await desk.slack_submit_form(desk.slack.named("views.open")[-1].args["view"], "Skriveren settes opp av IT.", user="UOLA")
    await desk.settle()
    assert "Beklager at svaret på sak *#1001* kom senere enn lovet." in texts_to(desk, "DU100")
    assert (await ticket_row(desk)).first_answer_at == clock.now()


@pytest.mark.asyncio
async def test_after_downtime_only_the_most_urgent_reminder_goes_out(desk: BotUnderTest, clock) -> None:
    await open_ticket(desk)
    # The bot was down from Wednesday until Friday 11:00 UTC: 24 h and 8 h reminders are stale.
    await sweep_at(desk, clock, datetime(2026, 11, 27, 11, 0, tzinfo=UTC))
    [reminder] = reminders_in_channel(desk)
    assert "fristen går ut om 1 time (fre. 27.11 kl. 13:00)" in block_texts(reminder["blocks"])
    assert await notices(desk) == [("remind:24h", "skipped"), ("remind:8h", "skipped"), ("remind:2h", "sent")]

    # Down again past the deadline: the breach goes out, nothing else.
    await sweep_at(desk, clock, datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
    assert len(reminders_in_channel(desk)) == 1
    [to_boss] = texts_to(desk, "UBOSS")
    assert "passerte 48-timersfristen fre. 27.11 kl. 13:00." in to_boss


@pytest.mark.asyncio
async def test_an_answer_stops_the_clock(desk: BotUnderTest, clock) -> None:
    await open_ticket(desk)
    clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    await click(desk, buttons_of(latest_card(desk)["blocks"])["Svar"], "UOLA")
    await desk.slack_submit_form(desk.slack.named("views.open")[-1].args["view"], "Her er svaret.", user="UOLA")
    await desk.settle()
    for when in (datetime(2026, 11, 26, 13, 0, tzinfo=UTC), datetime(2026, 11, 28, 0, 0, tzinfo=UTC)):
        await sweep_at(desk, clock, when)
    assert reminders_in_channel(desk) == [] and texts_to(desk, "UOLA") == [] and texts_to(desk, "UBOSS") == []
    assert (await ticket_row(desk)).breached_at is None
    assert await notices(desk) == []


@pytest.mark.asyncio
async def test_asking_the_asker_pauses_the_clock_until_she_replies(desk: BotUnderTest, clock) -> None:
    await open_ticket(desk)
    clock.set(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))
    await click(desk, buttons_of(latest_card(desk)["blocks"])["Spør spørreren"], "UOLA")
    view = desk.slack.named("views.open")[-1].args["view"]
    assert view["title"]["text"] == "Spørsmål til spørreren"
    await desk.slack_submit_form(view, "Hvilken skriver gjelder det?", user="UOLA")
    await desk.settle()

    question = [c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == "DU100"][-1]
    assert question.args["blocks"][0]["text"]["text"] == "Spørsmål fra Ola Rådgiver (sak #1001)"
    assert "Hvilken skriver gjelder det?" in block_texts(question.args["blocks"])
    assert "Fristen for svaret står stille til du svarer." in block_texts(question.args["blocks"])
    card = latest_card(desk)
    assert card["blocks"][0]["text"]["text"] == "🟡 #1001 · Ola Rådgiver har saken · frist fre. 27.11 kl. 13:00 (fristen står stille)"
    assert "⏸ Fristen står stille: venter på svar fra spørreren (siden ons. 25.11 kl. 15:00)." in block_texts(card["blocks"])

    # Paused: the old 24-hour point passes without a reminder.
    await sweep_at(desk, clock, datetime(2026, 11, 26, 12, 30, tzinfo=UTC))
    assert texts_to(desk, "UOLA") == []

    # Kari answers 24 hours after the question: the deadline moves by 24 hours, to Saturday 13:00.
    clock.set(datetime(2026, 11, 26, 14, 0, tzinfo=UTC))
    await click(desk, buttons_of(question.args["blocks"])["Svar"], "U100", channel="DU100", ts=question.ts)
    await desk.slack_submit_form(desk.slack.named("views.open")[-1].args["view"], "Den i andre etasje.", user="U100")
    await desk.settle()
    ticket = await ticket_row(desk)
    assert ticket.paused_at is None and ticket.paused_seconds == 24 * 3600
    assert ticket.deadline_at == datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert latest_card(desk)["blocks"][0]["text"]["text"].startswith("🟡 #1001 · Ola Rådgiver har saken · frist lør. 28.11 kl. 13:00")
    follow_up = [c.args for c in desk.slack.to_channel(ADVISERS) if c.args.get("thread_ts") == card_ts(desk)][-1]
    assert "Den i andre etasje." in block_texts(follow_up["blocks"])

    await sweep_at(desk, clock, datetime(2026, 11, 27, 12, 0, 30, tzinfo=UTC))
    assert texts_to(desk, "UOLA") == [
        f"⏰ Du har sak *#1001* – 24 timer igjen til fristen (lør. 28.11 kl. 13:00).\n«{UNKNOWN}»"]


@pytest.mark.asyncio
async def test_business_hours_a_ticket_from_friday_1559(sqlite_url, slack_api: FakeSlackApi, connector, clock) -> None:
    slack_api.add_user("U100", "Kari Nordmann")
    clock.set(datetime(2026, 11, 27, 14, 59, tzinfo=UTC))  # Friday 15:59 in Oslo
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}",
                          SLA_CALENDAR="business", SLA_SWEEP_SECONDS=3600)
    try:
        await open_ticket(bot)
        receipt = texts_to(bot, "DU100")[0]
        # One minute on Friday, five full days (40 h), 7 h 59 min on Monday the week after.
        assert "Du får svar her senest *mandag 7. desember kl. 15:59*" in receipt

        await sweep_at(bot, clock, datetime(2026, 12, 2, 14, 58, tzinfo=UTC))  # Wed 15:58: 24 business hours + 1 min left
        assert reminders_in_channel(bot) == []
        await sweep_at(bot, clock, datetime(2026, 12, 2, 14, 59, tzinfo=UTC))
        assert "fristen går ut om 24 arbeidstimer (man. 07.12 kl. 15:59)" in block_texts(reminders_in_channel(bot)[-1]["blocks"])
        await sweep_at(bot, clock, datetime(2026, 12, 4, 14, 59, tzinfo=UTC))  # Friday 15:59: 8 business hours left
        assert "fristen går ut om 8 arbeidstimer (man. 07.12 kl. 15:59)" in block_texts(reminders_in_channel(bot)[-1]["blocks"])
        await sweep_at(bot, clock, datetime(2026, 12, 7, 12, 59, tzinfo=UTC))  # Monday 13:59 in Oslo
        assert "fristen går ut om 2 arbeidstimer (man. 07.12 kl. 15:59)" in block_texts(reminders_in_channel(bot)[-1]["blocks"])
        assert len(reminders_in_channel(bot)) == 3
    finally:
        await bot.close()


@pytest.mark.asyncio
async def test_many_reminders_at_once_come_as_one_message_with_a_claim_menu(desk: BotUnderTest, clock) -> None:
    for minute, printer in enumerate(["HP", "Canon", "Brother", "Epson"]):
        clock.set(datetime(2026, 11, 25, 12, minute, tzinfo=UTC))
        await desk.slack_dm(f"Hvordan setter jeg opp {printer}-skriveren på kontoret?", user="U100")
        await desk.settle()
    await sweep_at(desk, clock, datetime(2026, 11, 26, 12, 5, tzinfo=UTC))
    [grouped] = reminders_in_channel(desk)
    assert block_texts(grouped["blocks"]).startswith(
        "⏰ 4 saker har ikke fått svar, og fristen nærmer seg:\n"
        "• *#1001* – fristen går ut om 24 timer (fre. 27.11 kl. 13:00)\n"
        "• *#1002* – fristen går ut om 24 timer (fre. 27.11 kl. 13:01)\n"
        "• *#1003* – fristen går ut om 24 timer (fre. 27.11 kl. 13:02)\n"
        "• *#1004* – fristen går ut om 24 timer (fre. 27.11 kl. 13:03)")  # 23 h 58 min, rounded
    menu = select_of(grouped["blocks"], "ticket_claim")
    assert [o["text"]["text"] for o in menu["options"]] == ["#1001", "#1002", "#1003", "#1004"]
    await click(desk, option(menu, "#1003"), "UOLA", ts=desk.slack.named("chat.postMessage")[-1].ts)
    async with desk.runtime.services.db.session() as session:
        claimed = (await session.execute(select(Ticket.id).where(Ticket.status == "claimed"))).scalars().all()
    assert claimed == [3]
