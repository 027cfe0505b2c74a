"""No message text and no fødselsnummer in any log record, at any level, from any logger
(ours and the libraries'): the main flows run with every logger at DEBUG."""

from __future__ import annotations

import logging

import pytest
import pytest_asyncio

from tests.harness import BotUnderTest, start_bot
from tests.slack_helpers import buttons_of

ADVISERS = "CADV"
FNR = "13097248022"
# Words that occur in no code, no article and no log template: if one shows up, text leaked.
QUESTION = f"Zebraklarinett for eleven med fødselsnummer {FNR}: hvor mye koster en ny kaffemaskin til lærerværelset?"
ANSWERED = "hva er breddeprogrammet"
ANSWER = "Ostehøvelsvaret: ring parkeringskontoret"
FOLLOW_UP = "Kanelsnurroppfølging: gjelder det helg også?"
TEAMS_QUESTION = "Pepperkakeorkester i Teams, hvem betaler bussen?"
SECRETS = ("Zebraklarinett", "Ostehøvelsvaret", "Kanelsnurroppfølging", "Pepperkakeorkester", FNR,
           "breddeprogrammet", "Kari Nordmann")


@pytest_asyncio.fixture
async def desk(sqlite_url, slack_api, connector, clock, caplog):
    for name in list(logging.root.manager.loggerDict) + [""]:
        caplog.set_level(logging.DEBUG, logger=name or None)
    slack_api.add_user("U100", "Kari Nordmann")
    slack_api.add_user("UOLA", "Ola Rådgiver", ADVISERS)
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    for name in list(logging.root.manager.loggerDict):  # loggers the bot created while starting
        caplog.set_level(logging.DEBUG, logger=name)
    yield bot
    await bot.close()


def leaks(records: list[logging.LogRecord]) -> list[str]:
    formatter = logging.Formatter()
    found = []
    for record in records:
        text = record.getMessage()
        if record.exc_info:
            text += formatter.formatException(record.exc_info)
        if record.stack_info:
            text += record.stack_info
        for secret in SECRETS:
            if secret in text:
                found.append(f"{record.name} {record.levelname}: …{text[max(0, text.find(secret) - 80):][:200]}")
    return found


@pytest.mark.asyncio
async def test_the_main_flows_log_no_text(desk: BotUnderTest, caplog) -> None:
    await desk.slack_dm(ANSWERED)
    await desk.slack_dm(QUESTION)
    await desk.settle()
    card = next(c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS)
    await desk.slack_click(buttons_of(card.args["blocks"])["Ta saken"], user="UOLA", channel=ADVISERS, message_ts=card.ts)
    await desk.settle()
    # Ola answers in the card's thread
    await desk.slack_event({"type": "message", "channel": ADVISERS, "user": "UOLA", "text": ANSWER,
                            "ts": "1700005000.000001", "thread_ts": card.ts})
    await desk.settle()
    relayed = [c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == "DU100"][-1]
    await desk.slack_event({"type": "message", "channel_type": "im", "channel": "DU100", "user": "U100",
                            "text": FOLLOW_UP, "ts": "1700006000.000001", "thread_ts": relayed.ts})
    await desk.teams_post(desk.activity(TEAMS_QUESTION))
    await desk.slack_command(QUESTION)
    desk.slack.fail_next(500, times=2)  # delivery errors are logged too
    await desk.slack_dm("mine data")
    await desk.settle()

    sent = str([c.args for c in desk.slack.calls])
    assert ANSWER in sent and FOLLOW_UP in sent  # the flows really ran
    assert FNR not in sent
    assert len(caplog.records) > 20  # and really logged, at every level we set
    assert leaks(caplog.records) == []


@pytest.mark.asyncio
async def test_a_handler_crash_logs_no_text(desk: BotUnderTest, caplog, monkeypatch) -> None:
    """The one error path logs the exception; its message must not carry the SQL parameters."""
    async def broken(ctx, text, **kwargs):
        from sqlalchemy import text as sql

        await ctx.session.execute(sql("INSERT INTO no_such_table VALUES (:v)"), {"v": text})

    monkeypatch.setattr("handlers.ask.log_question", broken)
    await desk.slack_dm(QUESTION.replace(FNR, ""))
    await desk.settle()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors  # the failure was logged, with its traceback
    assert leaks(caplog.records) == []


@pytest.mark.asyncio
async def test_the_other_flows_log_no_text(desk: BotUnderTest, caplog, monkeypatch, clock) -> None:
    """An adviser's answer in the form, an erasure, a flood over the rate limit, a database
    away (the driver's error and its traceback are logged) and a Teams flood: still no text."""
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

    await desk.slack_dm(QUESTION)
    await desk.settle()
    card = next(c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS)
    await desk.slack_click(buttons_of(card.args["blocks"])["Svar"], user="UOLA", channel=ADVISERS, message_ts=card.ts)
    await desk.settle()
    await desk.slack_submit_form(desk.slack.named("views.open")[-1].args["view"], f"{ANSWER} {FNR}", user="UOLA")
    await desk.settle()
    for n in range(12):  # over the limit of ten a minute
        await desk.slack_dm(f"{FOLLOW_UP} {n}")
    await desk.settle()
    clock.advance(minutes=1)
    await desk.slack_dm("slett mine data")
    await desk.settle()
    confirm = [c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == "DU100"][-1]
    await desk.slack_click(buttons_of(confirm.args["blocks"])["Ja, slett dataene mine"], user="U100")
    await desk.settle()

    # The database goes away for real: every connection now goes to a port nobody listens on
    db = desk.runtime.services.db
    gone = create_async_engine("postgresql+asyncpg://root@127.0.0.1:1/gone", hide_parameters=True)
    monkeypatch.setattr(db, "engine", gone)
    monkeypatch.setattr(db, "sessions", async_sessionmaker(gone, expire_on_commit=False, class_=AsyncSession))
    assert (await desk.slack_dm(QUESTION)).status == 503
    await desk.slack_command(QUESTION)
    await desk.teams_post(desk.activity(TEAMS_QUESTION))
    await desk.slack_click({"action_id": "feedback_up", "value": "1"})
    monkeypatch.undo()
    await gone.dispose()
    await desk.settle()

    sent = str([c.args for c in desk.slack.calls])
    assert ANSWER in sent and "Ferdig. Jeg har slettet" in sent and "mange meldinger på kort tid" in sent
    assert any(r.levelno >= logging.ERROR and r.exc_info for r in caplog.records)  # the gap was logged, traceback too
    assert leaks(caplog.records) == []
