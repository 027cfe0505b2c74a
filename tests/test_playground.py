"""End to end in a real Teams client: the Microsoft 365 Agents Playground talks to the real
`serve` app over HTTP, and the bot's replies go back through the Playground's connector.

Needs `npm ci --prefix tests/playground` (Node.js 20). Without it the tests skip, or fail in CI.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy import select

from tests.conftest import IN_CI
from bot.core.tables import Ticket, TicketEvent
from tests.harness import BotUnderTest, start_bot
from tests.playground_client import BotMessage, Playground, missing

pytestmark = [pytest.mark.playground, pytest.mark.asyncio]

WELCOME_MARK = "48 timer"


@pytest.fixture
def playground_installed() -> None:
    reason = missing()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"CI must run the Playground tests: {reason}")
    pytest.skip(reason)


@pytest_asyncio.fixture
async def playground(playground_installed: None, bot: BotUnderTest, tmp_path: Path) -> AsyncIterator[Playground]:
    """The Playground as the Teams client of the bot under test (which runs on SQLite, with fake
    Slack). The activities it sends name its own connector as serviceUrl, so every Teams reply
    must reach the Playground; the harness's fake connector must stay empty."""
    async with Playground(bot.url + "/api/messages", workdir=tmp_path / "playground") as pg:
        yield pg


def is_welcome(message: BotMessage) -> bool:
    return WELCOME_MARK in message.text


async def test_personal_chat_install_question_and_feedback(bot: BotUnderTest, playground: Playground) -> None:
    pg = playground
    chat = pg.personal_chat

    await pg.install(chat)
    welcome = await pg.wait_for_message(is_welcome)
    assert welcome.conversation == chat and welcome.sender == pg.bot_id
    assert "Kulturbot" in welcome.text and welcome.card is None

    await pg.say(chat, "Hva er breddeprogrammet?")
    answer = await pg.wait_for_message(lambda m: m.conversation == chat and m.card is not None)
    article = bot.runtime.services.knowledge.current.get("breddeprogram")
    assert article is not None
    card = answer.card
    assert card is not None
    assert card["body"][0]["text"] == article.title
    assert [a["title"] for a in card["actions"]] == ["👍 Nyttig", "👎 Ikke nyttig", "Spør en rådgiver"]
    assert all(a["type"] == "Action.Submit" for a in card["actions"])

    before_click = len(pg.messages)
    await pg.click(answer, "👍 Nyttig")
    thanks = await pg.wait_for_message(lambda m: m.conversation == chat and m.action == "createMessage" and m.text != "",
                                       since=before_click)
    assert thanks.text == "Takk for tilbakemeldingen!"

    # installationUpdate and conversationUpdate both arrived: still one welcome.
    await bot.settle()
    assert len([m for m in pg.from_bot(chat) if is_welcome(m)]) == 1
    assert bot.connector.sent == [], "a Teams reply went to the fake connector, not to the Playground"


async def test_mention_in_a_team_channel_is_answered_in_that_channel(bot: BotUnderTest, playground: Playground) -> None:
    pg = playground
    posted = await pg.say(pg.general_channel, "hva er breddeprogrammet", mention=True)
    assert posted.conversation.startswith(pg.general_channel)  # the post's thread in General

    answer = await pg.wait_for_message(lambda m: m.card is not None)
    assert answer.conversation == posted.conversation
    assert answer.sender == pg.bot_id
    article = bot.runtime.services.knowledge.current.get("breddeprogram")
    assert article is not None and answer.card is not None
    assert answer.card["body"][0]["text"] == article.title
    assert pg.from_bot(pg.personal_chat) == []
    assert bot.connector.sent == [], "a Teams reply went to the fake connector, not to the Playground"


# The Playground's default mock tenant (fixed by the package, checked below): its one team's General
# channel serves as the advisers' channel, and its one user ("Me") is both the asker and an adviser.
PLAYGROUND_TEAM = "team-id"
PLAYGROUND_ME = "user-id-0"
UNKNOWN = "Hvordan setter jeg opp skriveren på kontoret?"


@pytest_asyncio.fixture
async def desk_in_playground(playground_installed: None, sqlite_url, slack_api, connector, clock,
                             tmp_path: Path) -> AsyncIterator[tuple[BotUnderTest, Playground]]:
    bot = await start_bot(sqlite_url, slack_api, connector, clock,
                          ADVISER_CHANNELS=f"default=teams:{PLAYGROUND_TEAM}", ADVISERS=f"teams:{PLAYGROUND_ME}")
    try:
        async with Playground(bot.url + "/api/messages", workdir=tmp_path / "playground") as pg:
            yield bot, pg
    finally:
        await bot.close()


def card_title(message: BotMessage) -> str:
    card = message.card
    return str(card["body"][0].get("text", "")) if card and card.get("body") else ""


async def test_ticket_round_trip_with_the_playground_as_the_teams_client(desk_in_playground) -> None:
    bot, pg = desk_in_playground
    assert (pg.general_channel, pg.user_id) == (PLAYGROUND_TEAM, PLAYGROUND_ME), "the Playground's mock tenant changed"
    chat = pg.personal_chat

    # The app is installed in the advisers' team and in Me's personal chat.
    await pg.install(pg.general_channel)
    await pg.install(chat)
    await pg.wait_for_message(lambda m: m.conversation == chat and is_welcome(m))
    await bot.settle()

    # Me asks something the knowledge base cannot answer: a receipt with the deadline, a card for the advisers.
    await pg.say(chat, UNKNOWN)
    receipt = await pg.wait_for_message(lambda m: m.conversation == chat and "#1001" in json.dumps(m.message))
    assert "senest" in json.dumps(receipt.message, ensure_ascii=False)
    card = await pg.wait_for_message(lambda m: m.conversation.startswith(PLAYGROUND_TEAM) and "#1001" in card_title(m))
    assert "Åpen" in card_title(card)
    assert UNKNOWN in json.dumps(card.card, ensure_ascii=False)

    # Me, as an adviser, takes the case: the same card is updated in place.
    # A new post in a channel is the root of its own thread: buttons on it live in that thread.
    thread = f"{PLAYGROUND_TEAM};messageid={card.id}"
    seen = len(pg.messages)
    await pg.submit(thread, card.id, dict(card.button("Ta saken")["data"]))
    claimed = await pg.wait_for_message(lambda m: m.action == "updateMessage" and m.id == card.id, since=seen)
    assert "har saken" in card_title(claimed)

    # Me answers through the card's input; the answer reaches the personal chat, attributed.
    seen = len(pg.messages)
    answer_button = claimed.button("Svar")
    assert answer_button["type"] == "Action.ShowCard"
    data = dict(answer_button["card"]["actions"][0]["data"], text="Skriveren settes opp av IT-avdelingen.")
    await pg.submit(thread, claimed.id, data)
    answer = await pg.wait_for_message(lambda m: m.conversation == chat and m.card is not None
                                       and "Svar fra" in card_title(m), since=seen)
    assert "(sak #1001)" in card_title(answer)
    assert answer.card is not None and answer.card["body"][1]["text"] == "Skriveren settes opp av IT-avdelingen."

    async with bot.runtime.services.db.session() as session:
        ticket = (await session.execute(select(Ticket))).scalar_one()
        kinds = list((await session.execute(select(TicketEvent.kind).order_by(TicketEvent.id))).scalars())
    assert ticket.first_answer_at is not None
    assert kinds == ["opened", "claimed", "answered"]
    assert bot.connector.sent == [], "a Teams reply went to the fake connector, not to the Playground"
