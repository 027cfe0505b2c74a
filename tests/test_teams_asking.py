"""An employee asks in Teams: personal chat, @mention in a channel, install. Over HTTP, with a
fake Bot Framework connector on loopback."""

from __future__ import annotations

import pytest

from tests.harness import BotUnderTest


def card_of(activity: dict) -> dict:
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    return attachment["content"]


def card_texts(card: dict) -> str:
    return "\n".join(item.get("text", "") for item in card["body"])


@pytest.mark.asyncio
async def test_personal_chat_question_gets_an_adaptive_card(bot_on: BotUnderTest) -> None:
    bot = bot_on  # on SQLite and on PostgreSQL
    response = await bot.teams_post(bot.activity("Hva er breddeprogrammet?"))
    assert response.status in (200, 201)

    [sent] = await bot.connector.wait_for(1)
    assert sent.conversation == "conv-personal"
    card = card_of(sent.activity)
    article = bot.runtime.services.knowledge.current.get("breddeprogram")
    assert card["body"][0]["text"] == article.title
    assert f"({article.source})" in card_texts(card)
    assert [a["title"] for a in card["actions"]] == ["👍 Nyttig", "👎 Ikke nyttig", "Spør en rådgiver"]
    assert card["actions"][0]["data"]["action_id"] == "feedback_up"


@pytest.mark.asyncio
async def test_mention_in_a_channel_is_answered_in_that_conversation(bot: BotUnderTest) -> None:
    activity = bot.activity("<at>Kulturbot</at> hva er breddeprogrammet", conversation="19:general@thread.tacv2",
                            kind="channel", entities=[{"type": "mention", "mentioned": {"id": "28:kulturbot"},
                                                       "text": "<at>Kulturbot</at>"}])
    await bot.teams_post(activity)
    [sent] = await bot.connector.wait_for(1)
    assert sent.conversation == "19:general@thread.tacv2"
    assert "breddeprogram" in card_texts(card_of(sent.activity)).lower()


@pytest.mark.asyncio
async def test_install_sends_one_welcome(bot: BotUnderTest) -> None:
    install = bot.activity(activity_type="installationUpdate", action="add")
    added = bot.activity(activity_type="conversationUpdate", membersAdded=[{"id": "28:kulturbot"}])
    await bot.teams_post(install)
    await bot.teams_post(added)
    await bot.settle()
    sends = bot.connector.sends()
    assert len(sends) == 1
    assert "Kulturbot" in sends[0].activity["text"] and "48 timer" in sends[0].activity["text"]


@pytest.mark.asyncio
async def test_feedback_button_is_recorded_once(bot_on: BotUnderTest) -> None:
    bot = bot_on  # on SQLite and on PostgreSQL
    await bot.teams_post(bot.activity("Hva er breddeprogrammet?"))
    [sent] = await bot.connector.wait_for(1)
    up = card_of(sent.activity)["actions"][0]["data"]
    await bot.teams_post(bot.activity(value=up, replyToId=sent.activity_id))
    await bot.teams_post(bot.activity(value=up, replyToId=sent.activity_id))
    replies = await bot.connector.wait_for(3)
    assert replies[1].activity["text"] == "Takk for tilbakemeldingen!"
    assert "allerede" in replies[2].activity["text"]


@pytest.mark.asyncio
async def test_a_button_from_someone_elses_card_changes_nothing(bot: BotUnderTest) -> None:
    await bot.teams_post(bot.activity("Hva er breddeprogrammet?"))
    [sent] = await bot.connector.wait_for(1)
    up = card_of(sent.activity)["actions"][0]["data"]
    await bot.teams_post(bot.activity(value=up, user="29:ola", name="Ola"))
    replies = await bot.connector.wait_for(2)
    assert "noen andres" in replies[1].activity["text"]


@pytest.mark.asyncio
async def test_anonymous_mode_accepts_no_token_but_app_id_mode_rejects_bad_tokens(
    sqlite_url, slack_api, connector, clock
) -> None:
    from tests.harness import start_bot

    secured = await start_bot(sqlite_url, slack_api, connector, clock, MicrosoftAppId="11111111-2222-3333-4444-555555555555",
                              MicrosoftAppPassword="secret")
    try:
        missing = await secured.teams_post(secured.activity("hei"))
        malformed = await secured.teams_post(secured.activity("hei"), headers={"Authorization": "Bearer not.a.jwt"})
        garbage = await secured.teams_post(secured.activity("hei"), headers={"Authorization": "Basic xyz"})
        assert (missing.status, malformed.status, garbage.status) == (401, 401, 401)
        await secured.settle()
        assert connector.sent == []
    finally:
        await secured.close()


@pytest.mark.asyncio
async def test_with_an_app_id_every_connector_call_carries_the_bots_token(sqlite_url, slack_api, connector, clock,
                                                                        monkeypatch) -> None:
    from botframework.connector.auth import MicrosoftAppCredentials

    from bot.core.model import Message, MessageRef, Place
    from tests.harness import start_bot

    monkeypatch.setattr(MicrosoftAppCredentials, "get_access_token", lambda self, force_refresh=False: "token-from-aad")
    secured = await start_bot(sqlite_url, slack_api, connector, clock, MicrosoftAppId="11111111-2222-3333-4444-555555555555",
                              MicrosoftAppPassword="secret")
    try:
        reference = {"serviceUrl": connector.url, "channelId": "msteams", "conversation": {"id": "a:conv;1"},
                     "bot": {"id": "28:kulturbot"}, "user": {"id": "29:kari"}}
        port = secured.runtime.ports["teams"]
        ref = await port.send(Place("teams", "tenant-1", "a:conv;1", "dm", None, {"conversation": reference}),
                              Message(text="Hei"))
        await port.update(MessageRef("teams", "a:conv;1", ref.id, {"conversation": reference}), Message(text="Hei igjen"))
        sent, updated = connector.sent
        assert (sent.verb, updated.verb) == ("send", "update") and updated.activity_id == ref.id
        assert sent.conversation == updated.conversation == "a:conv;1"
        assert sent.authorization == updated.authorization == "Bearer token-from-aad"
        assert sent.activity["from"] == {"id": "28:kulturbot"} and sent.activity["recipient"] == {"id": "29:kari"}
        assert updated.activity["text"] == "Hei igjen"
    finally:
        await secured.close()


@pytest.mark.asyncio
async def test_anonymous_connector_calls_carry_no_token(bot_on: BotUnderTest) -> None:
    bot = bot_on
    await bot.teams_post(bot.activity("Hva er breddeprogrammet?"))
    [sent] = await bot.connector.wait_for(1)
    assert sent.authorization == ""
