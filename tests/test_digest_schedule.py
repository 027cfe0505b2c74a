"""The daily digest and the report command's periods, through the fake Slack Web API, over the
known history of tests/digest_history.py. Every expected number is counted by hand from that
timeline (Oslo is UTC+1 in November 2026; the clock stands at Monday 30.11 08:00 in Oslo)."""

from __future__ import annotations

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.core.tables import DigestRun
from scheduler import digest_jobs
from tests.digest_history import NOW, seed
from tests.harness import BotUnderTest, start_bot
from tests.slack_helpers import block_texts

NAMES = "T0001=Eksempel kommune,T0002=Annen kommune"


@pytest_asyncio.fixture
async def desk(sqlite_url, slack_api, connector, clock):
    clock.set(NOW)
    slack_api.add_user("UCHIEF", "Kommunalsjef", "CMGR")  # a member of the managers' channel
    bot = await start_bot(sqlite_url, slack_api, connector, clock, KB_PATH="tests/fixtures/kb_small",
                          WORKSPACE_NAMES=NAMES, MANAGERS="slack:UMGR", MANAGERS_CHANNEL="slack:CMGR",
                          DIGEST_DAILY="08:00", SLA_SWEEP_SECONDS=3600)
    await seed(bot.runtime.services.db)
    yield bot
    await bot.close()


def posts_to(slack_api, channel: str) -> list[dict]:
    return [c.args for c in slack_api.named("chat.postMessage") if c.args["channel"] == channel]


@pytest.mark.asyncio
async def test_the_daily_digest_for_sunday(desk: BotUnderTest, slack_api) -> None:
    assert await digest_jobs.run(desk.runtime, "daily") == 2
    await desk.settle()
    await slack_api.wait_for("files.completeUploadExternal", 2)
    [post] = posts_to(slack_api, "UMGR")
    blocks = post["blocks"]
    assert blocks[0]["text"]["text"] == "Dagsrapport søndag 29. november"
    text = block_texts(blocks)
    # Sunday 29.11 in Oslo is [28.11 23:00, 29.11 23:00) UTC; Saturday 28.11 the day before.
    assert "29.11.2026–29.11.2026 · sammenlignet med 28.11.2026–28.11.2026" in text
    # one question (22:30 UTC, dks; the one at 23:10 UTC is Monday in Oslo), answered; T11 and
    # T12 opened (Saturday: T10 only)
    assert "*1* spørsmål · *1* besvart av boten (100 %) · *0* fikk forslag · *2* saker til rådgiver (↑ 100 %)" in text
    # T9 answered on Sunday; T7 was resolved on Saturday, nothing on Sunday
    assert "Saker: *1* besvart · *0* løst (↓ 100 %) · *0* trukket tilbake" in text
    # deadlines on Sunday: T9 (29.11 10:00 UTC, answered 09:00, after 47 h); on Saturday T8, kept
    assert "*Svar innen 48 timer: 1 av 1 (100 %)* (± 0 poeng) · median svartid 47 t · 90 % innen 47 t · 0 brudd" in text
    assert "Brudd på fristen" not in text
    # now, as in the weekly digest: T5, T10, T11, T12, T13 open; T10 due within 24 h; T5 overdue
    assert "Åpne saker nå: *5*, hvorav *1* med frist neste døgn og *1* over fristen" in text
    assert "Boten hadde svar på alle spørsmålene i perioden." in text
    assert "Ola Rådgiver: 1 besvart · 1 åpen" in text and "Per Rådgiver: 0 besvart · 1 åpen" in text
    assert "Per kommune" not in text  # only one municipality had anything on Sunday
    assert post["text"] == "Dagsrapport søndag 29. november: 1 spørsmål, 2 saker, svar innen fristen 100 %"

    # once per day and recipient; the weekly digest is a separate period
    assert await digest_jobs.run(desk.runtime, "daily") == 0
    async with desk.runtime.services.db.session() as session:
        keys = sorted((await session.execute(select(DigestRun.key))).scalars())
    assert keys == ["daily:2026-11-29:channel:slack:CMGR", "daily:2026-11-29:dm:slack:UMGR"]
    assert await digest_jobs.run(desk.runtime, "weekly") == 2


@pytest.mark.asyncio
async def test_report_from_to_and_month_for_a_manager(desk: BotUnderTest, slack_api) -> None:
    # "fra … til …" in a DM: Monday to Sunday of week 48, so the week's title and numbers
    await desk.slack_dm("rapport fra 23.11 til 29.11", user="UMGR")
    await desk.settle()
    await slack_api.wait_for("files.completeUploadExternal", 1)
    [week] = posts_to(slack_api, "DUMGR")
    assert week["blocks"][0]["text"]["text"] == "Ukerapport uke 48"
    assert "*22* spørsmål (↑ 38 %)" in block_texts(week["blocks"])
    assert "*Svar innen 48 timer: 5 av 7 (71 %)*" in block_texts(week["blocks"])

    # "måned" after /kulturskole: the last 30 days (from 31.10 07:00 UTC) hold the whole history:
    # 22 + 1 (Monday 00:10) + 16 questions, all 18 tickets; deadlines due by now: week 48's 7,
    # week 47's 5, and T10..T13 not yet due: 9 kept (5 + 4), 3 breached (T3, T5, T14)
    await desk.slack_command("rapport måned", user="UMGR")
    await desk.settle()
    await slack_api.wait_for("files.completeUploadExternal", 2)
    month = posts_to(slack_api, "UMGR")[-1]
    assert month["blocks"][0]["text"]["text"] == "Rapport for de siste 30 dagene"
    text = block_texts(month["blocks"])
    assert "*39* spørsmål" in text and "*18* saker til rådgiver" in text
    assert "*Svar innen 48 timer: 9 av 12 (75 %)*" in text and "3 brudd" in text


@pytest.mark.asyncio
async def test_a_member_of_the_managers_channel_may_ask_there(desk: BotUnderTest, slack_api) -> None:
    await desk.slack_mention("rapport uke 48", channel="CMGR", user="UCHIEF")
    await desk.settle()
    await slack_api.wait_for("files.completeUploadExternal", 1)
    [report] = posts_to(slack_api, "CMGR")
    assert report["blocks"][0]["text"]["text"] == "Ukerapport uke 48"

    # the same words from someone outside the managers' channel, in another channel: refused
    await desk.slack_mention("rapport uke 48", channel="C200", user="U100")
    await desk.settle()
    await slack_api.wait_for("chat.postEphemeral", 1)
    [refusal] = [c.args for c in slack_api.named("chat.postEphemeral")]
    assert refusal["text"] == "Rapporter er for ledere. Ta kontakt med Norsk kulturskoleråd hvis du trenger tilgang."
    assert posts_to(slack_api, "C200") == []
