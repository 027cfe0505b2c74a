"""A person's own data in chat: "mine data" and "slett mine data" in Slack and Teams, and the
fødselsnummer that never gets stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
import pytest_asyncio
from sqlalchemy import select
from sqlmodel import SQLModel

from bot.core.tables import PrivacyAudit, Question, Ticket, TicketEvent, UserRecord
from tests.harness import BotUnderTest, start_bot
from tests.slack_helpers import block_texts, buttons_of

ADVISERS = "CADV"
UNKNOWN = "Hvor mye koster en ny kaffemaskin til lærerværelset? Eleven vår med cerebral parese lurer."
ANSWERED = "hva er breddeprogrammet"
# A valid fødselsnummer (check digits right) and a D-nummer: both must be masked.
FNR = "13097248022"


@pytest_asyncio.fixture
async def desk(sqlite_url, slack_api, connector, clock):
    slack_api.add_user("U100", "Kari Nordmann")
    slack_api.add_user("UOLA", "Ola Rådgiver", ADVISERS)
    under_test = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    yield under_test
    await under_test.close()


def to_kari(bot: BotUnderTest) -> list[dict]:
    return [c.args for c in bot.slack.named("chat.postMessage") if c.args["channel"] == "DU100"]


async def everything_stored(bot: BotUnderTest) -> str:
    """Every row of every table, as text: what a database dump would show."""
    dump = []
    async with bot.runtime.services.db.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                dump.append(f"{table.name}: {tuple(row)}")
    return "\n".join(dump)


async def traces(bot: BotUnderTest, needle: str) -> list[str]:
    """Where a name or id is still stored after an erasure. Two rows may keep it for at most
    DELIVERY_RETENTION_DAYS: the erasure click's own dedupe key, and the reply confirming the
    erasure (its delivery target names the conversation)."""
    found = []
    async with bot.runtime.services.db.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            for row in (await session.execute(select(table))).mappings():
                if needle in str(dict(row)):
                    label = (str(row["payload"]["text"]).split(".")[0] if table.name == "outbox_message"
                             else str(row.get("key", "")).split(":")[0])
                    found.append(f"{table.name}: {label}")
    return found


async def rows(bot: BotUnderTest, model) -> list:
    async with bot.runtime.services.db.session() as session:
        return list((await session.execute(select(model).order_by(model.id if hasattr(model, "id") else None))).scalars())


@pytest.mark.asyncio
async def test_kari_sees_what_is_stored_and_erases_it(desk: BotUnderTest, clock) -> None:
    await desk.slack_dm(ANSWERED)
    await desk.settle()
    await desk.slack_dm(UNKNOWN)
    await desk.settle()
    assert (await rows(desk, Ticket))[0].status == "open"

    await desk.slack_dm("mine data")
    await desk.settle()
    summary = block_texts(to_kari(desk)[-1]["blocks"])
    assert "*Dette har jeg lagret om deg*" in summary
    assert "2 spørsmål" in summary and "1 saker hos rådgiverne: #1001" in summary
    assert "anonymiseres etter 365 dager" in summary

    await desk.slack_dm("Slett mine data!")
    await desk.settle()
    confirm = to_kari(desk)[-1]
    assert "Det gjelder 2 spørsmål og 1 saker" in block_texts(confirm["blocks"])
    delete = buttons_of(confirm["blocks"])["Ja, slett dataene mine"]
    assert delete["style"] == "danger"

    # Somebody else pressing Kari's button (or a value naming Kari) erases nothing
    await desk.slack_click(delete, user="U999", channel="DU999")
    await desk.settle()
    assert "hører til noen andres" in desk.slack.named("chat.postMessage")[-1].args["text"]
    assert (await rows(desk, Question))[0].user_id == "U100"

    # An old confirmation does nothing either
    clock.advance(minutes=16)
    await desk.slack_click(delete, user="U100")
    await desk.settle()
    assert "for gammel" in to_kari(desk)[-1]["text"]
    assert (await rows(desk, Question))[0].text == ANSWERED

    await desk.slack_dm("slett mine data")
    await desk.settle()
    delete = buttons_of(to_kari(desk)[-1]["blocks"])["Ja, slett dataene mine"]
    await desk.slack_click(delete, user="U100")
    await desk.settle()
    assert "Ferdig. Jeg har slettet navnet ditt og det du skrev i 2 spørsmål og 1 saker" in to_kari(desk)[-1]["text"]

    # The statistics stay; who and what are gone
    questions = await rows(desk, Question)
    assert [(q.user_id, q.text, q.outcome) for q in questions] == [(None, None, "answer"), (None, None, "escalate")]
    [ticket] = await rows(desk, Ticket)
    assert (ticket.status, ticket.asker_user_id, ticket.asker_name, ticket.question_text) == ("withdrawn", None, "", None)
    assert ticket.asker_place is None
    assert await rows(desk, UserRecord) == [] or all(u.user_id != "U100" for u in await rows(desk, UserRecord))
    kinds = [(e.kind, e.actor_key) for e in await rows(desk, TicketEvent)]
    assert kinds == [("opened", None), ("withdrawn", "system::kulturbot")]

    # The advisers' card loses the text and says why; the advisers are told in its thread
    card = [c.args for c in desk.slack.to_channel(ADVISERS) if "thread_ts" not in c.args][-1]
    assert card["blocks"][0]["text"]["text"].startswith("⚪ #1001 · Trukket tilbake")
    assert UNKNOWN not in str(card) and "teksten er fjernet av personvernhensyn" in block_texts(card["blocks"])
    thread = [c.args for c in desk.slack.to_channel(ADVISERS) if c.args.get("thread_ts")][-1]
    assert "bedt om å få dataene sine slettet" in thread["text"]

    dump = await everything_stored(desk)
    assert UNKNOWN not in dump and ANSWERED not in dump and "Kari" not in dump

    [view, erase] = [(a.action, a.actor, a.subject, a.counts) for a in await rows(desk, PrivacyAudit)]
    assert view == ("view", "slack:T0001:U100", "slack:T0001:U100", {"questions": 2, "tickets": 1})
    assert erase[:3] == ("delete", "slack:T0001:U100", "slack:T0001:U100")
    assert erase[3]["questions"] == 2 and erase[3]["tickets"] == 1 and erase[3]["withdrawn"] == 1


@pytest.mark.asyncio
async def test_cancel_keeps_everything(desk: BotUnderTest) -> None:
    await desk.slack_dm(UNKNOWN)
    await desk.settle()
    await desk.slack_dm("slett mine data")
    await desk.settle()
    await desk.slack_click(buttons_of(to_kari(desk)[-1]["blocks"])["Avbryt"], user="U100")
    await desk.settle()
    assert to_kari(desk)[-1]["text"] == "Greit, jeg har ikke slettet noe."
    assert (await rows(desk, Ticket))[0].question_text == UNKNOWN


@pytest.mark.asyncio
async def test_in_a_channel_the_bot_asks_for_a_dm_and_shows_nothing(desk: BotUnderTest) -> None:
    await desk.slack_dm(UNKNOWN)
    await desk.settle()
    await desk.slack_mention("mine data", channel="C200")
    await desk.settle()
    reply = desk.slack.named("chat.postEphemeral")[-1].args
    assert reply["channel"] == "C200" and reply["user"] == "U100"
    assert "bare i en direktemelding" in reply["text"] and "#1001" not in str(reply)
    assert [a.action for a in await rows(desk, PrivacyAudit)] == []


@pytest.mark.asyncio
async def test_a_national_id_is_masked_before_it_is_stored_or_forwarded(desk: BotUnderTest) -> None:
    await desk.slack_dm(f"Eleven med fødselsnummer {FNR} ble henvist fra PPT, hva gjør vi med plassen?")
    await desk.settle()
    told = [block_texts(m["blocks"]) for m in to_kari(desk)]
    assert any("Jeg har fjernet et personnummer (fødselsnummer eller D-nummer) fra meldingen din" in text for text in told)
    assert FNR not in await everything_stored(desk)
    assert all(FNR not in str(c.args) for c in desk.slack.calls)


@pytest_asyncio.fixture
async def teams_desk(sqlite_url, slack_api, connector, clock):
    under_test = await start_bot(sqlite_url, slack_api, connector, clock, KULTURBOT_LANGUAGE="nn")
    yield under_test
    await under_test.close()


@pytest.mark.asyncio
async def test_slett_mine_data_in_teams_in_nynorsk(teams_desk: BotUnderTest) -> None:
    bot = teams_desk
    await bot.teams_post(bot.activity("kva er breiddeprogrammet"))
    await bot.settle()
    await bot.teams_post(bot.activity("slett mine data"))
    await bot.settle()
    card = next(s.activity["attachments"][0]["content"] for s in bot.connector.sends()
                if "Vil du at eg slettar" in str(s.activity))
    assert "Vil du at eg slettar det eg har lagra om deg? Det gjeld 1 spørsmål og 0 saker" in card["body"][0]["text"]
    action = {a["title"]: a for a in card["actions"]}["Ja, slett dataa mine"]
    assert action["style"] == "destructive"

    tampered = {**action["data"], "value": "29:someone-else|" + action["data"]["value"].split("|")[1]}
    await bot.teams_post(bot.activity(value=tampered))
    await bot.settle()
    assert (await rows(bot, Question))[0].user_id == "29:kari"

    await bot.teams_post(bot.activity(value=action["data"]))
    await bot.settle()
    assert bot.connector.sends()[-1].activity["text"].startswith("Ferdig. Eg har sletta namnet ditt")
    assert [(q.user_id, q.text) for q in await rows(bot, Question)] == [(None, None)]
    assert await traces(bot, "Kari Nordmann") == ["outbox_message: Ferdig"]


@pytest.mark.asyncio
async def test_after_erasure_only_the_audit_and_the_erasure_itself_name_kari(desk: BotUnderTest, clock) -> None:
    await desk.slack_dm(ANSWERED)
    await desk.settle()
    clock.advance(timedelta(seconds=1))
    await desk.slack_dm("slett mine data")
    await desk.settle()
    await desk.slack_click(buttons_of(to_kari(desk)[-1]["blocks"])["Ja, slett dataene mine"], user="U100")
    await desk.settle()
    # the audit keeps whose data was erased, when and how much (never what they wrote)
    assert sorted(await traces(desk, "U100")) == ["inbox_event: act", "outbox_message: Ferdig", "privacy_audit: "]
