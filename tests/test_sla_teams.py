"""The 48-hour promise in Teams: Bot Framework activities over HTTP, replies on a fake connector.
The advisers' channel is known to the bot once it has seen an activity there; a DM needs the
person's personal chat with the bot."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.core.tables import SlaNotice, Ticket
from scheduler.sla_jobs import sla_sweep
from tests.harness import BotUnderTest, start_bot

CHANNEL = "19:advisers@thread.tacv2"
UNKNOWN = "Hvordan setter jeg opp skriveren på kontoret?"
UTC = timezone.utc


@pytest_asyncio.fixture
async def desk(sqlite_url, slack_api, connector, clock):
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=teams:{CHANNEL}",
                          WORKSPACE_NAMES="tenant-1=Eksempel kommune", MANAGERS="teams:29:boss",
                          SLA_SWEEP_SECONDS=3600)
    # The bot is added to the advisers' team; the manager has a personal chat with the bot.
    await bot.teams_post(bot.activity(activity_type="conversationUpdate", conversation=CHANNEL, kind="channel",
                                      membersAdded=[{"id": "28:kulturbot"}], user="29:ola", name="Ola Rådgiver"))
    await bot.teams_post(bot.activity("hei", conversation="conv-boss", user="29:boss", name="Berit Leder"))
    await bot.settle()
    bot.connector.sent.clear()
    yield bot
    await bot.close()


def card_of(activity: dict) -> dict:
    return activity["attachments"][0]["content"]


def body_text(activity: dict) -> str:
    if activity.get("attachments"):
        return "\n".join(item.get("text", "") for item in card_of(activity)["body"])
    return activity.get("text", "")


def sent_to(bot: BotUnderTest, conversation: str) -> list[dict]:
    return [s.activity for s in bot.connector.sends() if s.conversation == conversation]


def reminders(bot: BotUnderTest, conversation: str) -> list[str]:
    return [body_text(a) for a in sent_to(bot, conversation) if body_text(a).startswith("⏰")]


async def sweep_at(bot: BotUnderTest, clock, when: datetime) -> None:
    clock.set(when)
    await sla_sweep(bot.runtime)
    await bot.settle()


@pytest.mark.asyncio
async def test_reminders_and_breach_in_teams(desk: BotUnderTest, clock) -> None:
    await desk.teams_post(desk.activity(UNKNOWN))
    await desk.settle()

    # 24 h left, nobody has it: the advisers' channel, with "Ta saken".
    await sweep_at(desk, clock, datetime(2026, 11, 26, 12, 0, 10, tzinfo=UTC))
    [reminder] = [a for a in sent_to(desk, CHANNEL) if body_text(a).startswith("⏰")]
    assert body_text(reminder).startswith(
        "⏰ Sak **#1001** har ikke fått svar, og fristen går ut om 24 timer (fre. 27.11 kl. 13:00).")
    [take] = card_of(reminder)["actions"]
    assert take["title"] == "Ta saken" and take["data"] == {"action_id": "ticket_claim", "value": "1"}

    # Ola takes it from the reminder. He has no personal chat with the bot yet: his 8-hour
    # reminder comes in the channel, naming him.
    await desk.teams_post(desk.activity(value=take["data"], conversation=CHANNEL, kind="channel", user="29:ola",
                                        name="Ola Rådgiver", replyToId="bot-1"))
    await desk.settle()
    async with desk.runtime.services.db.session() as session:
        assert (await session.execute(select(Ticket.assignee_key))).scalar_one() == "teams:tenant-1:29:ola"
    await sweep_at(desk, clock, datetime(2026, 11, 27, 4, 0, 10, tzinfo=UTC))
    assert reminders(desk, CHANNEL)[-1].startswith(
        "⏰ Sak **#1001** (Ola Rådgiver har saken) har ikke fått svar, og fristen går ut om 8 timer (fre. 27.11 kl. 13:00).")

    # Once Ola has talked to the bot in a personal chat, the reminder is a DM.
    await desk.teams_post(desk.activity("hei", conversation="conv-ola", user="29:ola", name="Ola Rådgiver"))
    await desk.settle()
    await sweep_at(desk, clock, datetime(2026, 11, 27, 10, 0, 10, tzinfo=UTC))
    assert reminders(desk, "conv-ola") == [
        f"⏰ Du har sak **#1001** – 2 timer igjen til fristen (fre. 27.11 kl. 13:00).\n«{UNKNOWN}»"]
    assert len(reminders(desk, CHANNEL)) == 2

    # The deadline passes: the manager gets a DM in her personal chat, the card turns red, once.
    await sweep_at(desk, clock, datetime(2026, 11, 27, 12, 0, 10, tzinfo=UTC))
    await sweep_at(desk, clock, datetime(2026, 11, 27, 12, 1, 0, tzinfo=UTC))
    [escalation] = sent_to(desk, "conv-boss")
    assert body_text(escalation).startswith(
        "🔴 Sak **#1001** (Eksempel kommune) passerte 48-timersfristen kl. 13:00 i dag. Saksbehandler: Ola Rådgiver.")
    card = [s for s in desk.connector.sent if s.verb == "update" and s.conversation == CHANNEL][-1]
    assert card_of(card.activity)["body"][0]["text"].startswith("🔴 #1001 · Ola Rådgiver har saken")
    assert "🔴 Fristen gikk ut fre. 27.11 kl. 13:00. Lederne er varslet." in body_text(card.activity)
    async with desk.runtime.services.db.session() as session:
        kinds = list((await session.execute(select(SlaNotice.kind).order_by(SlaNotice.id))).scalars())
    assert kinds == ["remind:24h", "remind:8h", "remind:2h", "breach"]


MANAGERS_CHANNEL = "19:managers@thread.tacv2"


@pytest.mark.asyncio
async def test_breach_to_the_managers_channel_and_the_apology_in_teams(sqlite_url, slack_api, connector, clock) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=teams:{CHANNEL}",
                          WORKSPACE_NAMES="tenant-1=Eksempel kommune", MANAGERS_CHANNEL=f"teams:{MANAGERS_CHANNEL}",
                          SLA_SWEEP_SECONDS=3600)
    try:
        for team in (CHANNEL, MANAGERS_CHANNEL):  # the bot is added to the advisers' and the managers' team
            await bot.teams_post(bot.activity(activity_type="conversationUpdate", conversation=team, kind="channel",
                                              membersAdded=[{"id": "28:kulturbot"}], user="29:ola", name="Ola Rådgiver"))
        await bot.teams_post(bot.activity(UNKNOWN))
        await bot.settle()

        # Down from Wednesday until Saturday: only the breach goes out, to the managers' channel.
        await sweep_at(bot, clock, datetime(2026, 11, 28, 9, 0, tzinfo=UTC))
        [escalation] = [a for a in sent_to(bot, MANAGERS_CHANNEL) if body_text(a).startswith("🔴")]
        assert body_text(escalation).startswith("🔴 Sak **#1001** (Eksempel kommune) passerte 48-timersfristen "
                                                "fre. 27.11 kl. 13:00. Saksbehandler: ingen har tatt saken.")
        assert reminders(bot, CHANNEL) == []

        # Ola asks Kari a question back from the (red) card: Kari hears an apology first, once.
        card = [s for s in bot.connector.sent if s.conversation == CHANNEL][-1]
        ask = {a["title"]: a for a in card_of(card.activity)["actions"]}["Spør spørreren"]
        data = dict(ask["card"]["actions"][0]["data"], text="Hvilken skriver gjelder det?")
        await bot.teams_post(bot.activity(value=data, conversation=CHANNEL, kind="channel", user="29:ola",
                                          name="Ola Rådgiver", replyToId=card.activity_id))
        await bot.settle()
        to_kari = [body_text(a) for a in sent_to(bot, "conv-personal")]
        assert ("Beklager at sak **#1001** har tatt lengre tid enn lovet. Ola Rådgiver trenger litt mer "
                "informasjon fra deg.") in to_kari
        assert any("Hvilken skriver gjelder det?" in text for text in to_kari)

        card = [s for s in bot.connector.sent if s.conversation == CHANNEL][-1]
        answer = {a["title"]: a for a in card_of(card.activity)["actions"]}["Svar"]
        data = dict(answer["card"]["actions"][0]["data"], text="Skriveren settes opp av IT.")
        await bot.teams_post(bot.activity(value=data, conversation=CHANNEL, kind="channel", user="29:ola",
                                          name="Ola Rådgiver", replyToId=card.activity_id))
        await bot.settle()
        to_kari = [body_text(a) for a in sent_to(bot, "conv-personal")]
        assert sum("Beklager" in text for text in to_kari) == 1
        assert any("Skriveren settes opp av IT." in text for text in to_kari)
        async with bot.runtime.services.db.session() as session:
            kinds = list((await session.execute(select(SlaNotice.kind).order_by(SlaNotice.id))).scalars())
        assert kinds == ["remind:24h", "remind:8h", "remind:2h", "breach", "apology"]
    finally:
        await bot.close()
