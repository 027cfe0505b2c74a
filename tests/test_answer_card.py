"""The answer card says each thing once: the article's source, and (for an uncertain article)
the offer of an adviser, naming the button the way the bot actually shows it."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from bot.core.catalogue import t
from bot.core.config import BUNDLED_ARTICLES
from handlers.cards import offers_adviser, split_source
from knowledge.articles import load_articles
from tests.harness import BotUnderTest, start_bot
from tests.slack_helpers import block_texts, buttons_of

ARTICLES, _PROBLEMS = load_articles(Path(BUNDLED_ARTICLES))
NB_BUTTON, NN_BUTTON = (f"«{t(lang, 'button.ask_adviser')}»" for lang in ("nb", "nn"))


@pytest_asyncio.fixture
async def nn_bot(sqlite_url: str, slack_api, connector, clock) -> AsyncIterator[BotUnderTest]:  # type: ignore[no-untyped-def]
    """The bot of a municipality that chose nynorsk."""
    under_test = await start_bot(sqlite_url, slack_api, connector, clock, KULTURBOT_LANGUAGE="nn")
    yield under_test
    await under_test.close()


async def answer_blocks(bot: BotUnderTest, question: str) -> list[dict]:
    await bot.slack_dm(question)
    [call] = await bot.slack.wait_for("chat.postMessage")
    return call.args["blocks"]


@pytest.mark.asyncio
async def test_the_source_link_and_the_adviser_offer_appear_once_in_slack(bot: BotUnderTest) -> None:
    article = bot.runtime.services.knowledge.current.get("breddeprogram")
    assert article.uncertain and article.source
    blocks = await answer_blocks(bot, "hva er breddeprogrammet?")

    assert json.dumps(blocks, ensure_ascii=False).count(article.source) == 1
    text = block_texts(blocks)
    assert len(re.findall(r"\bKilde:", text)) == 1
    assert text.count(NB_BUTTON) == 1  # the article's own offer; no second, generic warning
    assert t("nb", "answer.uncertain") not in text
    # The source is the card's small print, in the advisers' own words (both links).
    [source] = [b for b in blocks if b["type"] == "context" and "Kilde:" in b["elements"][0]["text"]]
    assert "<https://www.tysver.kommune.no/" in source["elements"][0]["text"]


@pytest.mark.asyncio
async def test_the_source_link_appears_once_in_the_teams_card(bot: BotUnderTest) -> None:
    article = bot.runtime.services.knowledge.current.get("breddeprogram")
    await bot.teams_post(bot.activity("Hva er breddeprogrammet?"))
    [sent] = await bot.connector.wait_for(1)
    [attachment] = sent.activity["attachments"]
    card = attachment["content"]
    assert json.dumps(card, ensure_ascii=False).count(article.source) == 1
    [source] = [item for item in card["body"] if item.get("text", "").startswith("Kilde:")]
    assert source.get("isSubtle") is True  # the small print under the answer
    assert "\n".join(item.get("text", "") for item in card["body"]).count(NB_BUTTON) == 1


@pytest.mark.asyncio
async def test_a_nynorsk_bot_names_its_own_button(nn_bot: BotUnderTest) -> None:
    blocks = await answer_blocks(nn_bot, "Kor stor er søskenmoderasjonen i kulturskulen?")
    text = block_texts(blocks)
    assert t("nn", "button.ask_adviser") in buttons_of(blocks)
    assert text.count(NN_BUTTON) == 1
    assert NB_BUTTON not in text
    assert len(re.findall(r"\bKjelde:", text)) == 1


@pytest.mark.asyncio
async def test_a_nynorsk_article_in_a_bokmal_bot_names_the_bokmal_button(bot: BotUnderTest) -> None:
    blocks = await answer_blocks(bot, "Kor stor er søskenmoderasjonen i kulturskulen?")
    text = block_texts(blocks)
    assert "Spør en rådgiver" in buttons_of(blocks)
    assert text.count(NB_BUTTON) == 1
    assert NN_BUTTON not in text


def test_split_source_takes_only_a_closing_source_paragraph() -> None:
    assert split_source("Svar.\n\nKilde: [A](https://a.no)") == ("Svar.", "Kilde: [A](https://a.no)")
    assert split_source("Svar.\n\n**Kjelde:** b.no\n") == ("Svar.", "**Kjelde:** b.no")
    assert split_source("Kilde: bare kilde") == ("Kilde: bare kilde", None)
    assert split_source("Kildene våre er usikre.\n\nMer tekst.") == ("Kildene våre er usikre.\n\nMer tekst.", None)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_every_article_ends_with_its_source_and_offers_an_adviser_in_its_own_language(article) -> None:  # type: ignore[no-untyped-def]
    answer, source = split_source(article.body)
    assert source is not None, "the body should end with a 'Kilde:' (nn: 'Kjelde:') paragraph"
    assert source.startswith("Kjelde:" if article.lang == "nn" else "Kilde:")
    if article.source:
        assert article.source in source, "the source paragraph should link the front matter's source"
    if article.uncertain:
        assert offers_adviser(answer), "an uncertain article should offer an adviser by the button's name"
    own, other = (NN_BUTTON, NB_BUTTON) if article.lang == "nn" else (NB_BUTTON, NN_BUTTON)
    assert other not in article.body, f"a {article.lang} article should name the button {own}"
