"""An employee asks in Slack: DM, @mention in a channel, /kulturskole. Over signed HTTP."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from bot.core.tables import Question
from tests.harness import BotUnderTest, slack_signature
from tests.slack_helpers import block_texts, buttons_of


async def count_questions(bot: BotUnderTest) -> int:
    async with bot.runtime.services.db.session() as session:
        return (await session.execute(select(func.count()).select_from(Question))).scalar_one()


@pytest.mark.asyncio
async def test_url_verification_is_answered(bot: BotUnderTest) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    async with bot.http.post(bot.url + "/slack/events", data=body, headers={
        "Content-Type": "application/json", "X-Slack-Request-Timestamp": str(int(__import__("time").time())),
        "X-Slack-Signature": slack_signature(body, str(int(__import__("time").time())))}) as response:
        assert response.status == 200
        assert "abc123" in await response.text()


@pytest.mark.asyncio
async def test_dm_question_gets_the_article_as_block_kit(bot_on: BotUnderTest) -> None:
    bot = bot_on  # on SQLite and on PostgreSQL
    response = await bot.slack_dm("hva er breddeprogrammet?")
    assert response.status == 200

    [call] = await bot.slack.wait_for("chat.postMessage")
    assert call.args["channel"] == "DU100"
    article = bot.runtime.services.knowledge.current.get("breddeprogram")
    text = block_texts(call.args["blocks"])
    assert call.args["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": article.title, "emoji": True}}
    assert "Breddeprogrammet er" in text
    assert f"Kilde: <{article.source}|" in text
    labels = list(buttons_of(call.args["blocks"]))
    assert labels == ["👍 Nyttig", "👎 Ikke nyttig", "Spør en rådgiver"]
    assert await count_questions(bot) == 1


@pytest.mark.asyncio
async def test_mention_in_a_channel_is_answered_in_its_thread(bot: BotUnderTest) -> None:
    await bot.slack_mention("hva er breddeprogrammet", channel="C200")
    [call] = await bot.slack.wait_for("chat.postMessage")
    assert call.args["channel"] == "C200"
    assert call.args["thread_ts"].startswith("1700002000.")
    assert "Breddeprogram" in block_texts(call.args["blocks"])


@pytest.mark.asyncio
async def test_slash_command_answers_through_the_response_url(bot: BotUnderTest) -> None:
    response = await bot.slack_command("hva er breddeprogrammet")
    assert response.status == 200
    [call] = await bot.slack.wait_for("response_url")
    assert call.args["response_type"] == "ephemeral"
    assert "Breddeprogram" in block_texts(call.args["blocks"])


@pytest.mark.asyncio
async def test_bad_signature_and_stale_timestamp_get_401_and_no_call(bot: BotUnderTest) -> None:
    bad = await bot.slack_dm("hva er breddeprogrammet", signature="v0=" + "0" * 64)
    stale_ts = str(int(__import__("time").time()) - 6 * 60)
    stale = await bot.slack_dm("hva er breddeprogrammet", timestamp=stale_ts)
    assert (bad.status, stale.status) == (401, 401)
    await bot.settle()
    assert bot.slack.named("chat.postMessage") == []
    assert await count_questions(bot) == 0


@pytest.mark.asyncio
async def test_a_retried_event_is_answered_once(bot_on: BotUnderTest) -> None:
    bot = bot_on  # on SQLite and on PostgreSQL
    for retry in range(4):
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        response = await bot.slack_dm("hva er breddeprogrammet", event_id="EvSAME", headers=headers)
        assert response.status == 200
    await bot.settle()
    assert len(bot.slack.named("chat.postMessage")) == 1
    assert await count_questions(bot) == 1
