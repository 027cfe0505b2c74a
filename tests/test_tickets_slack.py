"""Tickets in Slack, as the asker and the advisers live them, over signed HTTP."""

from __future__ import annotations

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from bot.core.tables import Ticket, TicketEvent
from tests.fakes.slack_api import FakeSlackApi
from tests.harness import BotUnderTest, start_bot
from tests.slack_helpers import block_texts, buttons_of, option, select_of

ADVISERS = "CADV"
UNKNOWN = "Hvordan setter jeg opp skriveren på kontoret?"


@pytest_asyncio.fixture
async def desk(sqlite_url, slack_api: FakeSlackApi, connector, clock):
    slack_api.add_user("U100", "Kari Nordmann")
    slack_api.add_user("UOLA", "Ola Rådgiver", ADVISERS)
    slack_api.add_user("UPER", "Per Rådgiver", ADVISERS)
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}",
                          WORKSPACE_NAMES="T0001=Eksempel kommune")
    yield bot
    await bot.close()


async def open_ticket(bot: BotUnderTest, user: str = "U100") -> tuple[dict, dict]:
    """Kari asks something the knowledge base cannot answer. Returns (advisers' card, her receipt)."""
    await bot.slack_dm(UNKNOWN, user=user)
    await bot.settle()
    card = [c for c in bot.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS][-1]
    receipt = [c for c in bot.slack.named("chat.postMessage") if c.args["channel"] == f"D{user}"][-1]
    return card.args, receipt.args


def card_ts(bot: BotUnderTest) -> str:
    return next(c.ts for c in bot.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS)


def latest_card(bot: BotUnderTest) -> dict:
    calls = [c for c in bot.slack.to_channel(ADVISERS) if c.method in {"chat.postMessage", "chat.update"}
             and "thread_ts" not in c.args]
    return calls[-1].args


async def click(bot: BotUnderTest, label: str, user: str, card: dict | None = None) -> None:
    card = card or latest_card(bot)
    await bot.slack_click(buttons_of(card["blocks"])[label], user=user, channel=ADVISERS, message_ts=card_ts(bot))
    await bot.settle()


async def answer_with_form(bot: BotUnderTest, user: str, text: str) -> None:
    await click(bot, "Svar", user)
    view = bot.slack.named("views.open")[-1].args["view"]
    await bot.slack_submit_form(view, text, user=user)
    await bot.settle()


async def ticket_row(bot: BotUnderTest) -> Ticket:
    async with bot.runtime.services.db.session() as session:
        return (await session.execute(select(Ticket))).scalar_one()


@pytest.mark.asyncio
async def test_the_whole_round_trip(desk: BotUnderTest, clock) -> None:
    card, receipt = await open_ticket(desk)

    # Kari gets the number and the deadline in Europe/Oslo (clock: 2026-11-25 12:00 UTC = 13:00 in Oslo)
    assert "sak *#1001*" in block_texts(receipt["blocks"])
    assert "Du får svar her senest *fredag 27. november kl. 13:00*" in block_texts(receipt["blocks"])
    assert list(buttons_of(receipt["blocks"])) == ["Legg til detaljer", "Trekk tilbake"]

    # The advisers see the question, who asked, the deadline and time left
    text = block_texts(card["blocks"])
    assert card["blocks"][0]["text"]["text"] == "🟢 #1001 · Åpen · frist fre. 27.11 kl. 13:00 (48 t igjen)"
    assert f"«{UNKNOWN}»" in text
    assert "Fra: Kari Nordmann, Eksempel kommune" in text
    assert list(buttons_of(card["blocks"])) == ["Ta saken", "Svar", "Løs"]

    clock.advance(minutes=10)
    await click(desk, "Ta saken", "UOLA")
    card = latest_card(desk)
    assert card["blocks"][0]["text"]["text"].startswith("🟡 #1001 · Ola Rådgiver har saken")
    assert list(buttons_of(card["blocks"])) == ["Svar", "Slipp", "Løs"]

    clock.advance(hours=2)
    await answer_with_form(desk, "UOLA", "Flere kommuner har gjort dette. *Se* <https://evil.example|her>")

    relayed_call = [c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == "DU100"][-1]
    relayed = relayed_call.args
    assert relayed["blocks"][0]["text"]["text"] == "Svar fra Ola Rådgiver (sak #1001)"
    body = relayed["blocks"][1]["text"]
    assert body == {"type": "plain_text", "text": "Flere kommuner har gjort dette. *Se* <https://evil.example|her>", "emoji": False}
    assert list(buttons_of(relayed["blocks"])) == ["Takk, det hjalp", "Jeg har et oppfølgingsspørsmål"]
    ticket = await ticket_row(desk)
    assert ticket.status == "answered" and ticket.first_answer_at == clock.now()

    # Kari replies in the thread of the answer: it lands in the ticket's thread for the advisers
    await desk.slack_event({"type": "message", "channel_type": "im", "channel": "DU100", "user": "U100",
                            "text": "Takk! Gjelder det også for små kommuner?", "ts": "1700009000.000001",
                            "thread_ts": relayed_call.ts})
    await desk.settle()
    follow_up = [c for c in desk.slack.to_channel(ADVISERS) if c.args.get("thread_ts")][-1].args
    assert follow_up["thread_ts"] == card_ts(desk)
    assert "Gjelder det også for små kommuner?" in block_texts(follow_up["blocks"])
    assert (await ticket_row(desk)).status == "claimed"

    await click(desk, "Løs", "UOLA")
    assert (await ticket_row(desk)).status == "resolved"
    assert list(buttons_of(latest_card(desk)["blocks"])) == ["Gjenåpne"]
    kinds = await audit_kinds(desk)
    assert kinds == ["opened", "claimed", "answered", "follow_up", "resolved"]


async def audit_kinds(bot: BotUnderTest) -> list[str]:
    async with bot.runtime.services.db.session() as session:
        return list((await session.execute(select(TicketEvent.kind).order_by(TicketEvent.id))).scalars())
