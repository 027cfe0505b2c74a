"""While the database is away (a PostgreSQL restart, a full disk), nothing gets a 500 and nobody is
left without a word: Slack events get 503 (Slack retries them, and the retry is handled once);
what Slack does not retry (slash commands, button clicks, form submissions) and Teams messages
get the polite "Prøv igjen om litt" at once. Nothing is stored half-way.

The gap is made where it bites: storing the event before the ack raises the driver's error."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest
import pytest_asyncio
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from bot.core.tables import InboxEvent, Question
from tests.harness import BotUnderTest, slack_signature, start_bot

POLITE = "Prøv igjen om litt."
ANSWERED = "hva er breddeprogrammet"


@pytest_asyncio.fixture
async def desk(sqlite_url, slack_api, connector, clock):
    bot = await start_bot(sqlite_url, slack_api, connector, clock)
    real_accept = bot.runtime.inbox.accept

    async def database_away(event):  # what asyncpg/aiosqlite raise when the server is gone
        raise OperationalError("INSERT INTO inbox_event …", {}, ConnectionRefusedError(111, "Connection refused"))

    bot.runtime.inbox.accept = database_away  # type: ignore[method-assign]
    bot.database_back = lambda: setattr(bot.runtime.inbox, "accept", real_accept)  # type: ignore[attr-defined]
    yield bot
    await bot.close()


async def stored(bot: BotUnderTest, table) -> int:
    async with bot.runtime.services.db.session() as session:
        return (await session.execute(select(func.count()).select_from(table))).scalar_one()


@pytest.mark.asyncio
async def test_an_event_gets_503_and_slacks_retry_is_answered_once(desk: BotUnderTest) -> None:
    assert (await desk.slack_dm(ANSWERED, event_id="EvGAP1")).status == 503
    assert await stored(desk, InboxEvent) == 0
    desk.database_back()  # type: ignore[attr-defined]
    for _ in range(2):  # Slack retries; a second retry is a duplicate
        assert (await desk.slack_dm(ANSWERED, event_id="EvGAP1", headers={"X-Slack-Retry-Num": "1"})).status == 200
    await desk.settle()
    assert await stored(desk, Question) == 1
    assert len([c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == "DU100"]) == 1


async def signed_form(bot: BotUnderTest, form: str) -> dict:
    """POST a signed form body and return the JSON Slack would show (the harness drops bodies)."""
    ts = str(int(time.time()))
    async with bot.http.post(bot.url + "/slack/events", data=form.encode(), headers={
            "Content-Type": "application/x-www-form-urlencoded", "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": slack_signature(form, ts)}) as response:
        assert response.status == 200
        return json.loads(await response.text())


@pytest.mark.asyncio
async def test_a_slash_command_is_told_to_try_again(desk: BotUnderTest) -> None:
    body = await signed_form(desk, urlencode({
        "team_id": "T0001", "channel_id": "C300", "user_id": "U100", "command": "/kulturskole", "text": ANSWERED,
        "response_url": desk.slack.response_url("rx"), "trigger_id": "trig.x"}))
    assert body["response_type"] == "ephemeral" and body["text"].endswith(POLITE)
    assert await stored(desk, InboxEvent) == 0


@pytest.mark.asyncio
async def test_a_button_click_is_told_to_try_again(desk: BotUnderTest) -> None:
    response = await desk.slack_click({"action_id": "feedback_up", "value": "1"})
    assert response.status == 200  # Slack does not retry a click: a 503 would only show a warning sign
    [told] = await desk.slack.wait_for("response_url")
    assert told.args["text"].endswith(POLITE) and told.args["response_type"] == "ephemeral"
    assert told.args.get("replace_original") is False  # the card with the button stays
    assert await stored(desk, InboxEvent) == 0


@pytest.mark.asyncio
async def test_a_form_stays_open_with_the_text_and_says_try_again(desk: BotUnderTest) -> None:
    view = {"id": "V1", "type": "modal", "callback_id": "kulturbot_form",
            "private_metadata": json.dumps({"a": "ticket_answer", "v": "1", "c": "CADV", "m": "1.1"})}
    payload = {"type": "view_submission", "team": {"id": "T0001"}, "user": {"id": "UOLA", "team_id": "T0001"},
               "api_app_id": "A1", "trigger_id": "sub.1",
               "view": {**view, "hash": "h1", "state": {"values": {"form": {"text": {
                   "type": "plain_text_input", "value": "Et langt svar som ikke må gå tapt"}}}}}}
    answer = await signed_form(desk, urlencode({"payload": json.dumps(payload)}))
    # response_action "errors" keeps the modal open, the typed answer in it, the message under the field
    assert answer["response_action"] == "errors" and answer["errors"]["form"].endswith(POLITE)


@pytest.mark.asyncio
async def test_a_teams_message_is_told_to_try_again(desk: BotUnderTest) -> None:
    response = await desk.teams_post(desk.activity(ANSWERED))
    assert response.status < 500
    [told] = await desk.connector.wait_for(1)
    assert told.activity["text"].endswith(POLITE) and told.conversation == "conv-personal"
    assert await stored(desk, InboxEvent) == 0
