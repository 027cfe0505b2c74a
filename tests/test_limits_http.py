"""Limits at the door: 413 for big bodies, 401 for bad signatures, stale timestamps and bad
Teams tokens, and the per-user rate limit (shared by every instance on one database)."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from sqlalchemy import func, select

from bot.core.tables import InboxEvent, Question, Ticket
from tests.harness import BotUnderTest, slack_signature, start_bot

ADVISERS = "CADV"
APP_ID = "11111111-2222-3333-4444-555555555555"


async def count(bot: BotUnderTest, model) -> int:
    async with bot.runtime.services.db.session() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


async def chunks(total: int, size: int = 64 * 1024):
    sent = 0
    while sent < total:
        yield b" " * min(size, total - sent)
        sent += size


@pytest.mark.asyncio
async def test_bodies_over_the_limit_get_413_and_are_not_stored(bot: BotUnderTest) -> None:
    limit = bot.runtime.settings.max_body_bytes
    assert limit == 1_000_000
    event = {"type": "message", "channel_type": "im", "channel": "DU100", "user": "U100", "text": "x" * limit, "ts": "1.1"}
    response = await bot.slack_event(event)  # correctly signed, still too big
    assert response.status == 413
    teams = json.dumps(bot.activity("x" * limit)).encode()
    async with bot.http.post(bot.url + "/api/messages", data=teams, headers={"Content-Type": "application/json"}) as r:
        assert r.status == 413
    for path in ("/slack/events", "/api/messages"):  # no Content-Length: chunked, cut off at the limit
        async with bot.http.post(bot.url + path, data=chunks(2 * limit), headers={"Content-Type": "application/json"}) as r:
            assert r.status == 413
    # just under the limit is read (and, for a question that long, answered politely)
    response = await bot.slack_dm("y" * 5000)
    assert response.status == 200
    await bot.settle()
    assert await count(bot, InboxEvent) == 1 and await count(bot, Question) == 0


@pytest.mark.asyncio
async def test_bad_signatures_and_stale_timestamps_get_401(bot: BotUnderTest) -> None:
    body = json.dumps({"type": "event_callback", "team_id": "T0001", "event_id": "Ev1",
                       "event": {"type": "message", "channel_type": "im", "channel": "DU100", "user": "U100",
                                 "text": "hei", "ts": "1.1"}})
    now = str(int(time.time()))
    assert (await bot.slack_post(body, "application/json", signature="v0=" + "0" * 64)).status == 401
    assert (await bot.slack_post(body, "application/json", signature=slack_signature(body, now, "wrong-secret"))).status == 401
    stale = str(int(time.time()) - 6 * 60)
    assert (await bot.slack_post(body, "application/json", timestamp=stale, signature=slack_signature(body, stale))).status == 401
    future = str(int(time.time()) + 6 * 60)
    assert (await bot.slack_post(body, "application/json", timestamp=future, signature=slack_signature(body, future))).status == 401
    tampered = body.replace("hei", "hallo")
    assert (await bot.slack_post(tampered, "application/json", timestamp=now, signature=slack_signature(body, now))).status == 401
    async with bot.http.post(bot.url + "/slack/events", data=body, headers={"Content-Type": "application/json"}) as r:
        assert r.status == 401  # no signature headers at all
    # a retry with a fresh, correct signature is accepted: nothing was stored before
    assert (await bot.slack_post(body, "application/json")).status == 200
    assert await count(bot, InboxEvent) == 1


@pytest.mark.asyncio
async def test_teams_with_an_app_id_refuses_bad_tokens_with_401(sqlite_url, slack_api, connector, clock) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock, MicrosoftAppId=APP_ID, MicrosoftAppPassword="pw")
    try:
        forged = jwt.encode({"iss": "https://api.botframework.com", "aud": APP_ID, "exp": int(time.time()) + 600},
                            "a-secret-key-that-is-long-enough-for-hs256", algorithm="HS256")
        expired = jwt.encode({"iss": "https://api.botframework.com", "aud": APP_ID, "exp": 1},
                             "a-secret-key-that-is-long-enough-for-hs256", algorithm="HS256", headers={"kid": "k1"})
        for header in (None, "Bearer", "Bearer abc", "Bearer a.b.c", "Basic Zm9vOmJhcg==", f"Bearer {forged}",
                       f"Bearer {expired}", "Bearer " + "x" * 5000):
            response = await bot.teams_post(bot.activity("hei"), headers={"Authorization": header} if header else None)
            assert response.status == 401, header
        assert await count(bot, InboxEvent) == 0
    finally:
        await bot.close()


async def unanswerable(bot: BotUnderTest, n: int, user: str = "U100") -> None:
    for i in range(n):
        await bot.slack_dm("Hvor mye koster en ny kaffemaskin til lærerværelset?", user=user)


@pytest.mark.asyncio
async def test_a_flood_is_stopped_at_ten_a_minute_and_told_once(sqlite_url, slack_api, connector, clock) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    try:
        await unanswerable(bot, 25)
        await bot.settle()
        assert await count(bot, Ticket) == 10 and await count(bot, Question) == 10
        cards = [c for c in bot.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS]
        assert len(cards) == 10
        told = [c for c in bot.slack.named("chat.postMessage") if "mange meldinger på kort tid" in c.args["text"]]
        assert len(told) == 1 and told[0].args["channel"] == "DU100"

        await unanswerable(bot, 1, user="U200")  # somebody else is not affected
        clock.advance(seconds=60)  # a minute later Kari is heard again
        await unanswerable(bot, 1)
        await bot.settle()
        assert await count(bot, Ticket) == 12
    finally:
        await bot.close()


@pytest.mark.asyncio
async def test_the_limit_holds_across_two_instances_on_one_postgresql(pg_url, slack_api, connector, clock) -> None:
    first = await start_bot(pg_url, slack_api, connector, clock, RATE_LIMIT_PER_MINUTE=4)
    second = await start_bot(pg_url, slack_api, connector, clock, RATE_LIMIT_PER_MINUTE=4)
    try:
        for i in range(8):
            await (first if i % 2 else second).slack_dm(f"hva er breddeprogrammet {i}")
        await first.settle()
        await second.settle()
        assert await count(first, Question) == 4
    finally:
        await first.close()
        await second.close()


@pytest.mark.asyncio
async def test_rate_limit_zero_turns_it_off(sqlite_url, slack_api, connector, clock) -> None:
    bot = await start_bot(sqlite_url, slack_api, connector, clock, RATE_LIMIT_PER_MINUTE=0)
    try:
        for i in range(12):
            await bot.slack_dm(f"hva er breddeprogrammet {i}")
        await bot.settle()
        assert await count(bot, Question) == 12
    finally:
        await bot.close()
