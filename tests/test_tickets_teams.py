"""Tickets in Teams: Kari asks in her personal chat, the advisers work the card in their team
channel. Bot Framework activities over HTTP; replies land on a fake connector."""

from __future__ import annotations

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.core.tables import Ticket, TicketEvent
from tests.harness import start_bot

CHANNEL = "19:advisers@thread.tacv2"
UNKNOWN = "Hvordan setter jeg opp skriveren på kontoret?"


@pytest_asyncio.fixture
async def desk(sqlite_url, slack_api, connector, clock):
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=teams:{CHANNEL}",
                          WORKSPACE_NAMES="tenant-1=Eksempel kommune")
    # The bot is added to the advisers' team: from now on it can post in that channel.
    await bot.teams_post(bot.activity(activity_type="conversationUpdate", conversation=CHANNEL, kind="channel",
                                      membersAdded=[{"id": "28:kulturbot"}], user="29:ola", name="Ola Rådgiver"))
    await bot.settle()
    bot.connector.sent.clear()
    yield bot
    await bot.close()


def card_of(activity: dict) -> dict:
    return activity["attachments"][0]["content"]


def actions_by_title(card: dict) -> dict[str, dict]:
    return {a["title"]: a for a in card.get("actions", [])}


async def adviser_does(bot, title: str, user: str, name: str, text: str | None = None) -> None:
    latest = [s for s in bot.connector.sent if s.conversation == CHANNEL][-1]
    action = actions_by_title(card_of(latest.activity))[title]
    data = dict(action["card"]["actions"][0]["data"] if action["type"] == "Action.ShowCard" else action["data"])
    if text is not None:
        data["text"] = text
    await bot.teams_post(bot.activity(value=data, conversation=CHANNEL, kind="channel", user=user, name=name,
                                      replyToId=latest.activity_id))
    await bot.settle()


@pytest.mark.asyncio
async def test_ask_claim_answer_follow_up_in_teams(desk) -> None:
    await desk.teams_post(desk.activity(UNKNOWN))
    await desk.settle()
    [card_post] = [s for s in desk.connector.sends() if s.conversation == CHANNEL]
    [receipt] = [s for s in desk.connector.sends() if s.conversation == "conv-personal"]
    card = card_of(card_post.activity)
    assert card["body"][0]["text"] == "🟢 #1001 · Åpen · frist fre. 27.11 kl. 13:00 (48 t igjen)"
    facts = {f["title"]: f["value"] for f in card["body"][2]["facts"]}
    assert facts["Fra"] == "Kari Nordmann, Eksempel kommune"
    assert "Du får svar her senest **fredag 27. november kl. 13:00**" in card_of(receipt.activity)["body"][0]["text"]

    await adviser_does(desk, "Ta saken", "29:ola", "Ola Rådgiver")
    updated = [s for s in desk.connector.sent if s.verb == "update" and s.conversation == CHANNEL][-1]
    assert updated.activity_id == card_post.activity_id
    assert card_of(updated.activity)["body"][0]["text"].startswith("🟡 #1001 · Ola Rådgiver har saken")

    await adviser_does(desk, "Svar", "29:ola", "Ola Rådgiver", text="Skriveren settes opp av IT-avdelingen.")
    answer = [s for s in desk.connector.sends() if s.conversation == "conv-personal"][-1]
    answer_card = card_of(answer.activity)
    assert answer_card["body"][0]["text"] == "Svar fra Ola Rådgiver (sak #1001)"
    assert answer_card["body"][1]["text"] == "Skriveren settes opp av IT-avdelingen."

    follow_up = actions_by_title(answer_card)["Jeg har et oppfølgingsspørsmål"]
    data = dict(follow_up["card"]["actions"][0]["data"], text="Gjelder det også skannere?")
    await desk.teams_post(desk.activity(value=data, replyToId=answer.activity_id))
    await desk.settle()
    threaded = [s for s in desk.connector.sends() if s.conversation == f"{CHANNEL};messageid={card_post.activity_id}"]
    assert len(threaded) == 2  # the answer echoed under the card, then Kari's follow-up
    assert threaded[-1].activity["attachments"][0]["content"]["body"][1]["text"] == "Gjelder det også skannere?"

    async with desk.runtime.services.db.session() as session:
        ticket = (await session.execute(select(Ticket))).scalar_one()
        kinds = list((await session.execute(select(TicketEvent.kind).order_by(TicketEvent.id))).scalars())
    assert ticket.status == "claimed" and ticket.first_answer_at is not None
    assert kinds == ["opened", "claimed", "answered", "follow_up"]


@pytest.mark.asyncio
async def test_a_teams_user_outside_the_advisers_team_cannot_claim(desk) -> None:
    await desk.teams_post(desk.activity(UNKNOWN))
    await desk.settle()
    [card_post] = [s for s in desk.connector.sends() if s.conversation == CHANNEL]
    claim = actions_by_title(card_of(card_post.activity))["Ta saken"]["data"]
    # Kari replays the button's value from her own chat
    await desk.teams_post(desk.activity(value=claim, replyToId=card_post.activity_id))
    await desk.settle()
    refusal = [s for s in desk.connector.sends() if s.conversation == "conv-personal"][-1]
    assert "Bare rådgivere i Norsk kulturskoleråd" in refusal.activity["text"]
    async with desk.runtime.services.db.session() as session:
        assert (await session.execute(select(Ticket.status))).scalar_one() == "open"
