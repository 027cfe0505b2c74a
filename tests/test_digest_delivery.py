"""Digests as managers get them: the scheduled weekly digest through the fake Slack Web API
(blocks, then the chart through the files upload v2 flow) and the fake Teams connector (cards
with the chart as a data URI), once per period; the report command over signed Slack HTTP and
Teams activities, and the refusal for everyone else."""

from __future__ import annotations

import asyncio
import base64
import json
from datetime import timedelta

import pytest
import pytest_asyncio
from sqlalchemy import select

from bot.core.tables import DigestRun, OutboxMessage
from handlers.digest import chart
from scheduler import digest_jobs
from tests.digest_history import NOW, seed
from tests.harness import BotUnderTest, start_bot
from tests.pngcheck import read_png
from tests.slack_helpers import block_texts

KB = "tests/fixtures/kb_small"
NAMES = "T0001=Eksempel kommune,T0002=Annen kommune"
TEAMS_CHANNEL = "19:managers@thread.tacv2"
WEEK_48 = "Ukerapport uke 48"
PROMISE_48 = "*Svar innen 48 timer: 5 av 7 (71 %)* (↓ 9 poeng) · median svartid 39 t · 90 % innen 54 t · 2 brudd"


async def managed_bot(url: str, slack_api, connector, clock, **settings) -> BotUnderTest:
    clock.set(NOW)
    values = dict(KB_PATH=KB, WORKSPACE_NAMES=NAMES, MANAGERS="slack:UMGR", MANAGERS_CHANNEL="slack:CMGR",
                  SLA_SWEEP_SECONDS=3600)  # the seeded breaches are the digest's to report, not the sweep's
    values.update(settings)
    return await start_bot(url, slack_api, connector, clock, **values)


@pytest_asyncio.fixture
async def desk(sqlite_url, slack_api, connector, clock):
    bot = await managed_bot(sqlite_url, slack_api, connector, clock)
    await seed(bot.runtime.services.db)
    yield bot
    await bot.close()


def png_of_upload(slack_api, channel: str) -> bytes:
    [(args, data)] = slack_api.shared_files(channel)
    return data


def assert_chart(data: bytes) -> None:
    png = read_png(data)
    assert (png.width, png.height) == (chart.WIDTH, chart.HEIGHT)
    assert (png.pixels == chart.BLUE).any() and (png.pixels == chart.ORANGE).any()


@pytest.mark.asyncio
async def test_the_weekly_digest_in_slack_by_dm_and_in_the_managers_channel(desk: BotUnderTest, slack_api) -> None:
    assert await digest_jobs.run(desk.runtime, "weekly") == 2
    await desk.settle()
    await slack_api.wait_for("files.completeUploadExternal", 2)  # the background deliverer may still be at it

    for channel, dm in (("UMGR", "DMGR"), ("CMGR", "CMGR")):
        [post] = [c for c in slack_api.named("chat.postMessage") if c.args["channel"] == channel]
        blocks = post.args["blocks"]
        assert blocks[0] == {"type": "header", "text": {"type": "plain_text", "text": WEEK_48, "emoji": True}}
        text = block_texts(blocks)
        assert "*22* spørsmål (↑ 38 %) · *13* besvart av boten (59 %)" in text
        assert PROMISE_48 in text
        assert "#1003 · Eksempel kommune · Per Rådgiver · frist tir. 24.11 kl. 21:00" in text
        assert "1. «Organisering av kulturskolen i kommunen» (4)" in text
        assert "Ola Rådgiver: 4 besvart · 1 åpen" in text
        assert post.args["text"] == "Ukerapport uke 48: 22 spørsmål, 9 saker, svar innen fristen 71 %"

        # the chart: a file in the same conversation, after the message, its legend as the comment
        [(complete, data)] = slack_api.shared_files(dm)
        assert complete["initial_comment"] == "🟦 spørsmål · 🟧 saker · 🟩 andel besvart innen 48 t (høyre akse)"
        assert complete["files"][0]["title"].startswith("Diagram: spørsmål og saker per dag")
        assert_chart(data)
        assert slack_api.calls.index(post) < slack_api.calls.index(slack_api.named("files.completeUploadExternal")[0])
    assert [c.args["users"] for c in slack_api.named("conversations.open")] == ["UMGR"]


@pytest.mark.asyncio
async def test_each_period_goes_to_each_manager_once(desk: BotUnderTest, slack_api, sqlite_url, connector, clock) -> None:
    assert await digest_jobs.run(desk.runtime, "weekly") == 2
    await desk.settle()
    await slack_api.wait_for("files.completeUploadExternal", 2)
    # again, a catch-up run an hour later, and a restarted (second) instance on the same database
    assert await digest_jobs.run(desk.runtime, "weekly") == 0
    clock.advance(hours=1)
    await digest_jobs.catch_up(desk.runtime)
    other = await managed_bot(sqlite_url, slack_api, connector, clock)
    clock.set(NOW)
    try:
        assert await digest_jobs.run(other.runtime, "weekly") == 0
        await other.settle()
    finally:
        await other.close()
    await desk.settle()
    assert len(slack_api.named("chat.postMessage")) == 2
    assert len(slack_api.named("files.completeUploadExternal")) == 2
    async with desk.runtime.services.db.session() as session:
        keys = sorted((await session.execute(select(DigestRun.key))).scalars())
    assert keys == ["weekly:2026-11-23:channel:slack:CMGR", "weekly:2026-11-23:dm:slack:UMGR"]

    # later the same day: already sent; the next Monday is a new period
    clock.set(NOW.replace(hour=20))
    assert await digest_jobs.run(desk.runtime, "weekly") == 0
    clock.set(NOW + timedelta(days=7))
    assert await digest_jobs.run(desk.runtime, "weekly") == 2


@pytest.mark.asyncio
async def test_a_weekly_digest_missed_during_downtime_is_caught_up_until_wednesday(slack_api, sqlite_url, connector,
                                                                                  clock) -> None:
    # The service was down over Monday 08:00 and comes back on Tuesday at 10:00: the first
    # catch-up run sends last week's digest; a second run sends nothing more.
    bot = await managed_bot(sqlite_url, slack_api, connector, clock)
    try:
        await seed(bot.runtime.services.db)
        clock.set(NOW + timedelta(days=1, hours=2))
        await digest_jobs.catch_up(bot.runtime)
        await digest_jobs.catch_up(bot.runtime)
        await bot.settle()
        assert len(slack_api.named("chat.postMessage")) == 2  # the manager's DM and the managers' channel
        async with bot.runtime.services.db.session() as session:
            keys = sorted((await session.execute(select(DigestRun.key))).scalars())
        assert keys == ["weekly:2026-11-23:channel:slack:CMGR", "weekly:2026-11-23:dm:slack:UMGR"]
    finally:
        await bot.close()


@pytest.mark.asyncio
async def test_a_weekly_digest_older_than_three_days_is_not_sent_late(slack_api, sqlite_url, connector, clock) -> None:
    bot = await managed_bot(sqlite_url, slack_api, connector, clock)
    try:
        clock.set(NOW + timedelta(days=3, minutes=1))  # back on Thursday: last week's digest is stale
        assert await digest_jobs.run(bot.runtime, "weekly") == 0
        await digest_jobs.catch_up(bot.runtime)
        await bot.settle()
        assert slack_api.named("chat.postMessage") == []
    finally:
        await bot.close()


@pytest.mark.asyncio
@pytest.mark.postgres
async def test_two_instances_at_the_same_moment_send_once(pg_url, slack_api, connector, clock) -> None:
    first = await managed_bot(pg_url, slack_api, connector, clock)
    second = await managed_bot(pg_url, slack_api, connector, clock)
    try:
        await seed(first.runtime.services.db)
        sent = await asyncio.gather(*(digest_jobs.run(b.runtime, "weekly") for b in (first, second)))
        assert sorted(sent) == [0, 2]
        await first.settle()
        await second.settle()
        await slack_api.wait_for("files.completeUploadExternal", 2)
        assert sorted(c.args["channel"] for c in slack_api.named("chat.postMessage")) == ["CMGR", "UMGR"]
        async with first.runtime.services.db.session() as session:
            rows = (await session.execute(select(OutboxMessage.lane))).scalars().all()
        assert len(rows) == 4  # two messages (digest, chart) to each of the two recipients
    finally:
        await first.close()
        await second.close()


@pytest.mark.asyncio
async def test_the_report_command_in_slack(desk: BotUnderTest, slack_api) -> None:
    await desk.slack_command("rapport uke 47", user="UMGR")
    await desk.settle()
    await slack_api.wait_for("files.completeUploadExternal", 1)
    [ack] = slack_api.named("response_url")
    assert ack.args["text"] == "Rapporten kommer som direktemelding fra meg om et øyeblikk."
    [post] = slack_api.named("chat.postMessage")
    assert post.args["channel"] == "UMGR"
    text = block_texts(post.args["blocks"])
    assert post.args["blocks"][0]["text"]["text"] == "Ukerapport uke 47"
    # week 47: 16 questions, 8 tickets; deadlines: T1, T15, T17, T18 kept, T14 breached
    assert "*16* spørsmål · *10* besvart av boten (63 %) · *2* fikk forslag · *8* saker til rådgiver" in text
    assert "*Svar innen 48 timer: 4 av 5 (80 %)*" in text
    assert_chart(png_of_upload(slack_api, "DMGR"))

    # a bad period: the usage, nothing else
    await desk.slack_command("rapport 31.2.2026..1.3.2026", user="UMGR")
    await desk.settle()
    await slack_api.wait_for("response_url", 2)
    assert slack_api.named("response_url")[-1].args["text"].startswith("Den perioden forsto jeg ikke.")
    assert len(slack_api.named("chat.postMessage")) == 1


@pytest.mark.asyncio
async def test_only_managers_get_reports(desk: BotUnderTest, slack_api) -> None:
    await desk.slack_command("rapport", user="U100")
    await desk.slack_dm("rapport måned", user="U100")
    await desk.settle()
    await slack_api.wait_for("response_url", 1)
    await slack_api.wait_for("chat.postMessage", 1)
    refusal = "Rapporter er for ledere. Ta kontakt med Norsk kulturskoleråd hvis du trenger tilgang."
    assert [c.args["text"] for c in slack_api.named("response_url")] == [refusal]
    [dm] = slack_api.named("chat.postMessage")
    assert dm.args["channel"] == "DU100" and dm.args["text"] == refusal
    assert slack_api.named("files.completeUploadExternal") == []
    async with desk.runtime.services.db.session() as session:
        assert (await session.execute(select(DigestRun))).first() is None


@pytest_asyncio.fixture
async def teams_desk(sqlite_url, slack_api, connector, clock):
    bot = await managed_bot(sqlite_url, slack_api, connector, clock, MANAGERS="teams:29:boss",
                            MANAGERS_CHANNEL=f"teams:{TEAMS_CHANNEL}")
    await seed(bot.runtime.services.db)
    # the bot is added to the managers' team, and the manager has a personal chat with it
    await bot.teams_post(bot.activity(activity_type="conversationUpdate", conversation=TEAMS_CHANNEL, kind="channel",
                                      membersAdded=[{"id": "28:kulturbot"}], user="29:boss", name="Berit Leder"))
    await bot.teams_post(bot.activity(activity_type="conversationUpdate", conversation="conv-boss",
                                      membersAdded=[{"id": "28:kulturbot"}], user="29:boss", name="Berit Leder"))
    await bot.settle()
    connector.sent.clear()
    yield bot
    await bot.close()


def card_of(activity: dict) -> dict:
    return activity["attachments"][0]["content"]


def chart_in(card: dict) -> bytes:
    [picture] = [item for item in card["body"] if item["type"] == "Image"]
    prefix = "data:image/png;base64,"
    assert picture["url"].startswith(prefix) and picture["altText"].startswith("Diagram:")
    return base64.b64decode(picture["url"][len(prefix):])


@pytest.mark.asyncio
async def test_the_weekly_digest_in_teams(teams_desk: BotUnderTest, connector) -> None:
    assert await digest_jobs.run(teams_desk.runtime, "weekly") == 2
    await teams_desk.settle()
    await connector.wait_for(4)
    for conversation in ("conv-boss", TEAMS_CHANNEL):
        digest, picture = [s.activity for s in connector.sends() if s.conversation == conversation]
        body = card_of(digest)["body"]
        assert body[0]["text"] == WEEK_48
        assert "**Svar innen 48 timer: 5 av 7 (71 %)**" in body[4]["text"]
        assert digest["summary"] == "Ukerapport uke 48: 22 spørsmål, 9 saker, svar innen fristen 71 %"
        assert_chart(chart_in(card_of(picture)))
        assert len(json.dumps(picture)) < 28_000  # Teams refuses bot messages over ~28 KB
    assert await digest_jobs.run(teams_desk.runtime, "weekly") == 0


@pytest.mark.asyncio
async def test_the_report_command_in_teams(teams_desk: BotUnderTest, connector) -> None:
    await teams_desk.teams_post(teams_desk.activity("rapport uke 48", conversation="conv-boss", user="29:boss",
                                                    name="Berit Leder"))
    await teams_desk.settle()
    await connector.wait_for(2)
    digest, picture = [s.activity for s in connector.sends() if s.conversation == "conv-boss"]
    assert card_of(digest)["body"][0]["text"] == WEEK_48
    assert_chart(chart_in(card_of(picture)))

    connector.sent.clear()
    await teams_desk.teams_post(teams_desk.activity("rapport", user="29:kari", name="Kari Nordmann"))
    await teams_desk.settle()
    await connector.wait_for(1)
    [refusal] = connector.sends()
    assert refusal.conversation == "conv-personal"
    assert refusal.activity["text"] == "Rapporter er for ledere. Ta kontakt med Norsk kulturskoleråd hvis du trenger tilgang."

