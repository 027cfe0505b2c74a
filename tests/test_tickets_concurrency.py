"""Races that must change a ticket once, on SQLite and on PostgreSQL with real concurrency."""

from __future__ import annotations

import asyncio

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from bot.core.tables import Question, Ticket, TicketEvent
from tests.harness import start_bot
from tests.slack_helpers import buttons_of

ADVISERS = "CADV"
UNKNOWN = "Hvordan setter jeg opp skriveren på kontoret?"


@pytest_asyncio.fixture
async def desk(database_url, slack_api, connector, clock):
    slack_api.add_user("U100", "Kari Nordmann")
    for n in range(6):
        slack_api.add_user(f"UADV{n}", f"Rådgiver {n}", ADVISERS)
    bot = await start_bot(database_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    yield bot
    await bot.close()


async def count(bot, table) -> int:
    async with bot.runtime.services.db.session() as session:
        return (await session.execute(select(func.count()).select_from(table))).scalar_one()


@pytest.mark.asyncio
async def test_slack_retries_arriving_together_make_one_ticket(desk) -> None:
    responses = await asyncio.gather(*(desk.slack_dm(UNKNOWN, event_id="EvRACE") for _ in range(4)))
    assert {r.status for r in responses} == {200}
    await desk.settle()
    assert (await count(desk, Question), await count(desk, Ticket)) == (1, 1)
    assert len([c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS]) == 1


@pytest.mark.asyncio
async def test_six_advisers_claim_at_the_same_moment_and_one_gets_it(desk) -> None:
    await desk.slack_dm(UNKNOWN)
    await desk.settle()
    posted = next(c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS)
    claim = buttons_of(posted.args["blocks"])["Ta saken"]
    await asyncio.gather(*(desk.slack_click(claim, user=f"UADV{n}", channel=ADVISERS, message_ts=posted.ts)
                           for n in range(6)))
    await desk.settle()

    async with desk.runtime.services.db.session() as session:
        ticket = (await session.execute(select(Ticket))).scalar_one()
        claims = (await session.execute(select(TicketEvent).where(TicketEvent.kind == "claimed"))).scalars().all()
    assert ticket.status == "claimed"
    assert len(claims) == 1 and claims[0].actor_key == ticket.assignee_key
    told = await desk.slack.wait_for("chat.postEphemeral", 5)
    assert len(told) == 5
    assert {c.args["user"] for c in told} == {f"UADV{n}" for n in range(6)} - {ticket.assignee_key.rsplit(":", 1)[1]}
    assert all(f"allerede tatt av {ticket.assignee_name}" in c.args["text"] for c in told)
