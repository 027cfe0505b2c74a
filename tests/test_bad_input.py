"""Bad input gets a polite answer or silence, never a 500, and nothing is stored twice."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.core.tables import InboxEvent, Question
from tests.harness import BotUnderTest


async def stored(bot: BotUnderTest, table) -> int:
    async with bot.runtime.services.db.session() as session:
        return (await session.execute(select(func.count()).select_from(table))).scalar_one()


async def last_reply(bot: BotUnderTest) -> str:
    await bot.settle()
    return bot.slack.named("chat.postMessage")[-1].args["text"]


@pytest.mark.asyncio
@pytest.mark.parametrize("text", ["", "   \n\t ", "🙂🙂", "?!…"])
async def test_nothing_to_answer_gets_a_gentle_nudge(bot: BotUnderTest, text: str) -> None:
    response = await bot.slack_dm(text)
    assert response.status == 200
    assert (await last_reply(bot)).startswith("Jeg fikk ingen tekst.")
    assert await stored(bot, Question) == 0


@pytest.mark.asyncio
async def test_a_40000_character_message_is_answered_politely_and_not_stored(bot: BotUnderTest) -> None:
    response = await bot.slack_dm("kulturskole " * 3699 + "kulturskole")
    assert response.status == 200
    assert "Meldingen din er veldig lang (44399 tegn)" in await last_reply(bot)
    assert await stored(bot, Question) == 0


@pytest.mark.asyncio
async def test_edited_deleted_bot_and_unknown_events_are_ignored(bot: BotUnderTest) -> None:
    base = {"type": "message", "channel_type": "im", "channel": "DU100", "ts": "1.1"}
    events = [
        {**base, "subtype": "message_changed", "message": {"text": "hva er breddeprogrammet"}},
        {**base, "subtype": "message_deleted", "previous_message": {"text": "x"}},
        {**base, "bot_id": "BBOT", "user": "UBOT", "text": "Svar: noe"},
        {**base, "user": "UBOT", "text": "min egen melding"},
        {"type": "reaction_added", "user": "U100", "reaction": "tada"},
        {"type": "channel_created", "channel": {"id": "C9"}},
    ]
    for event in events:
        response = await bot.slack_event(event)
        assert response.status in (200, 404), event
    await bot.settle()
    assert bot.slack.named("chat.postMessage") == []
    assert await stored(bot, Question) == 0


@pytest.mark.asyncio
async def test_broken_bodies_get_4xx_not_500(bot: BotUnderTest) -> None:
    for body in ["{not json", json.dumps([1, 2, 3]), json.dumps({"type": "event_callback"}), "\udcff"]:
        response = await bot.slack_post(body.encode("utf-8", "surrogateescape").decode("latin-1"), "application/json")
        assert response.status < 500, body
    async with bot.http.post(bot.url + "/slack/events", data=b"\xff\xfe\x00invalid utf-8",
                             headers={"Content-Type": "application/json"}) as response:
        assert response.status in (400, 401)
    for body in [b"{not json", b"[]", b'{"type": 5}', b"\xff\xfe", json.dumps({"type": "message", "text": 5}).encode()]:
        async with bot.http.post(bot.url + "/api/messages", data=body, headers={"Content-Type": "application/json"}) as response:
            assert response.status < 500, body
    await bot.settle()
    assert await stored(bot, InboxEvent) == 0


@pytest.mark.asyncio
async def test_teams_empty_and_emoji_messages(bot: BotUnderTest) -> None:
    await bot.teams_post(bot.activity(""))
    await bot.teams_post(bot.activity("🎻"))
    sent = await bot.connector.wait_for(2)
    assert all(s.activity["text"].startswith("Jeg fikk ingen tekst.") for s in sent)


@pytest.mark.asyncio
async def test_an_unknown_button_is_answered_kindly(bot: BotUnderTest) -> None:
    await bot.slack_click({"action_id": "self_destruct", "value": "1"})
    assert "Den handlingen kjenner jeg ikke" in await last_reply(bot)
