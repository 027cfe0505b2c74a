"""Retention: after RETENTION_DAYS questions and closed tickets keep their numbers but lose who
asked and what was written; `kulturbot privacy export|delete|purge` do the same on request.
Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import pytest
import pytest_asyncio
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.cli import app as cli
from bot.core.tables import (
    InboxEvent, OutboxMessage, PrivacyAudit, Question, Ticket, TicketEvent, TicketMessage, UserRecord,
)
from scheduler.privacy_jobs import retention
from tests.harness import SIGNING_SECRET, BotUnderTest, start_bot
from tests.slack_helpers import buttons_of

ADVISERS = "CADV"
UNKNOWN = "Moren til en elev med autisme spør hvor mye en ny kaffemaskin til lærerværelset koster"
ANSWER = "Snakk med PPT og foreldrene, og sett opp faste tider."
ANSWERED = "hva er breddeprogrammet"


@pytest_asyncio.fixture
async def desk(database_url, slack_api, connector, clock):
    slack_api.add_user("U100", "Kari Nordmann")
    slack_api.add_user("UOLA", "Ola Rådgiver", ADVISERS)
    bot = await start_bot(database_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    yield bot
    await bot.close()


async def a_resolved_ticket(bot: BotUnderTest) -> None:
    """Kari asks, Ola answers in the form, Kari says thanks: a resolved ticket with messages."""
    await bot.slack_dm(UNKNOWN)
    await bot.settle()
    card = next(c for c in bot.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS)
    await bot.slack_click(buttons_of(card.args["blocks"])["Svar"], user="UOLA", channel=ADVISERS, message_ts=card.ts)
    await bot.settle()
    await bot.slack_submit_form(bot.slack.named("views.open")[-1].args["view"], ANSWER, user="UOLA")
    await bot.settle()
    relayed = [c for c in bot.slack.named("chat.postMessage") if c.args["channel"] == "DU100"][-1]
    await bot.slack_click(buttons_of(relayed.args["blocks"])["Takk, det hjalp"], user="U100", message_ts=relayed.ts)
    await bot.settle()


async def all_of(bot: BotUnderTest, model) -> list:
    async with bot.runtime.services.db.session() as session:
        return list((await session.execute(select(model))).scalars())


async def count(bot: BotUnderTest, model) -> int:
    async with bot.runtime.services.db.session() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


@pytest.mark.asyncio
async def test_after_a_year_the_numbers_stay_and_the_people_and_words_go(desk: BotUnderTest, clock) -> None:
    await a_resolved_ticket(desk)
    [ticket] = await all_of(desk, Ticket)
    assert ticket.status == "resolved"
    resolved_at, first_answer_at = ticket.resolved_at, ticket.first_answer_at

    clock.advance(days=200)
    await desk.slack_dm(ANSWERED, user="U200")  # a newer question, from someone else
    await desk.slack_dm("Hvilken kantine på rådhuset har vegetarmat på fredager?", user="U300")
    await desk.settle()  # ...which opens a ticket that stays open

    clock.advance(days=166)  # Kari's ticket closed 366 days ago; the others are 166 days old
    counts = await retention(desk.runtime)
    assert counts["questions"] == 1 and counts["tickets"] == 1

    questions = {q.outcome: q for q in await all_of(desk, Question)}
    karis = [q for q in await all_of(desk, Question) if q.user_id is None]
    assert len(karis) == 1 and karis[0].text is None and karis[0].outcome == "escalate"
    assert questions["answer"].user_id == "U200" and questions["answer"].text == ANSWERED

    tickets = {t.status: t for t in await all_of(desk, Ticket)}
    old = tickets["resolved"]
    assert (old.asker_user_id, old.asker_name, old.asker_place, old.question_text) == (None, "", None, None)
    # the numbers the digests use are untouched
    assert (old.resolved_at, old.first_answer_at, old.route, old.platform, old.workspace) == (
        resolved_at, first_answer_at, "default", "slack", "T0001")
    assert tickets["open"].question_text is not None and tickets["open"].asker_user_id == "U300"

    messages = [m for m in await all_of(desk, TicketMessage) if m.ticket_id == old.id]
    assert [(m.role, m.text) for m in messages] == [("adviser", None)]
    assert messages[0].author_name == "Ola Rådgiver"  # the adviser's work record stays
    events = [(e.kind, e.actor_key) for e in sorted(await all_of(desk, TicketEvent), key=lambda e: e.id)
              if e.ticket_id == old.id]
    assert events == [("opened", None), ("answered", "slack:T0001:UOLA"), ("resolved", None)]

    # Delivered messages and handled events older than DELIVERY_RETENTION_DAYS (7) are gone
    for row in await all_of(desk, OutboxMessage):
        assert row.status == "pending" or row.created_at > clock.now() - timedelta(days=7)
    assert all(e.received_at > clock.now() - timedelta(days=7) for e in await all_of(desk, InboxEvent))
    # Kari was last seen a year ago: forgotten; the others are still known
    assert sorted(u.user_id for u in await all_of(desk, UserRecord)) == ["U200", "U300"]

    [audit] = await all_of(desk, PrivacyAudit)
    assert (audit.action, audit.actor, audit.subject) == ("purge", "scheduler", None)
    assert await retention(desk.runtime) == dict.fromkeys(counts, 0)  # idempotent, and not audited again
    assert await count(desk, PrivacyAudit) == 1


@pytest.mark.asyncio
async def test_one_day_short_of_the_limit_nothing_is_touched(desk: BotUnderTest, clock) -> None:
    await a_resolved_ticket(desk)
    clock.advance(days=364, hours=23)
    counts = await retention(desk.runtime)
    assert counts["questions"] == 0 and counts["tickets"] == 0
    [ticket] = await all_of(desk, Ticket)
    assert ticket.question_text == UNKNOWN and ticket.asker_user_id == "U100"


def run_cli(monkeypatch, database_url: str, *args: str):
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    return CliRunner().invoke(cli, ["privacy", *args])


@pytest.mark.asyncio
async def test_cli_export_then_delete(desk: BotUnderTest, database_url: str, monkeypatch, clock) -> None:
    await a_resolved_ticket(desk)
    await desk.slack_dm(ANSWERED)
    await desk.settle()

    result = await asyncio.to_thread(run_cli, monkeypatch, database_url, "export", "--user", "U100")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [person] = data["people"]
    assert (person["platform"], person["workspace"], person["name"]) == ("slack", "T0001", "Kari Nordmann")
    assert sorted(q["text"] for q in person["questions"]) == sorted([UNKNOWN, ANSWERED])
    [ticket] = person["tickets"]
    assert ticket["number"] == 1001 and ticket["question"] == UNKNOWN
    assert [m["text"] for m in ticket["messages"]] == [ANSWER]

    nobody = await asyncio.to_thread(run_cli, monkeypatch, database_url, "export", "--user", "U100", "--platform", "teams")
    assert json.loads(nobody.stdout)["people"] == []

    result = await asyncio.to_thread(run_cli, monkeypatch, database_url, "delete", "--user", "U100", "--yes")
    assert result.exit_code == 0, result.output
    assert "questions=2" in result.stdout and "tickets=1" in result.stdout
    assert [(q.user_id, q.text) for q in await all_of(desk, Question)] == [(None, None), (None, None)]
    [row] = await all_of(desk, Ticket)
    assert row.question_text is None and row.asker_user_id is None and row.status == "resolved"

    audits = sorted((a.action, a.subject) for a in await all_of(desk, PrivacyAudit))
    assert audits == [("delete", "*:*:U100"), ("export", "*:*:U100"), ("export", "teams:*:U100")]
    assert all(a.actor.startswith("cli") for a in await all_of(desk, PrivacyAudit))

    # The advisers' card update waits in the outbox for the running bot, which delivers it
    # (the CLI ran on the real clock; the bot under test runs on the fake one)
    clock.set(max(clock.now(), datetime.now(timezone.utc)) + timedelta(minutes=1))
    await desk.settle()
    card = [c.args for c in desk.slack.to_channel(ADVISERS) if c.method == "chat.update"][-1]
    assert UNKNOWN not in str(card) and "teksten er fjernet" in str(card)


@pytest.mark.asyncio
async def test_cli_purge_is_audited_even_when_nothing_is_due(desk: BotUnderTest, database_url: str, monkeypatch) -> None:
    result = await asyncio.to_thread(run_cli, monkeypatch, database_url, "purge")
    assert result.exit_code == 0, result.output
    assert "questions=0" in result.stdout
    [audit] = await all_of(desk, PrivacyAudit)
    assert audit.action == "purge" and audit.actor.startswith("cli")
