"""End to end in a real Teams client: the Microsoft 365 Agents Playground talks to the real
`serve` app over HTTP, and the bot's replies go back through the Playground's connector.

Needs `npm ci --prefix tests/playground` (Node.js 20). Without it the tests skip, or fail in CI.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.conftest import IN_CI
from tests.harness import BotUnderTest
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
