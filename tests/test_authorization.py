"""An asker sees only their own tickets: "mine saker" lists the tickets of the person who asks,
never somebody else's (another user, the same id on another platform), and never in a place
where others read along."""

from __future__ import annotations

import pytest
import pytest_asyncio

from tests.harness import BotUnderTest, start_bot
from tests.slack_helpers import block_texts

ADVISERS = "CADV"
UNKNOWN = "Hvor mye koster en ny kaffemaskin til lærerværelset?"


@pytest_asyncio.fixture
async def desk(sqlite_url, slack_api, connector, clock):
    slack_api.add_user("U100", "Kari Nordmann")
    slack_api.add_user("U200", "Per Spørsmål")
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}")
    await bot.slack_dm(UNKNOWN, user="U100")  # #1001
    await bot.settle()
    await bot.slack_dm(UNKNOWN, user="U200")  # #1002
    await bot.settle()
    await bot.slack_dm(UNKNOWN + " Og i Tromsø?", user="U100")  # #1003
    await bot.settle()
    yield bot
    await bot.close()


def last_to(bot: BotUnderTest, channel: str) -> str:
    args = [c.args for c in bot.slack.named("chat.postMessage") if c.args["channel"] == channel][-1]
    return block_texts(args["blocks"])


@pytest.mark.asyncio
async def test_each_asker_sees_only_their_own_tickets(desk: BotUnderTest) -> None:
    await desk.slack_dm("mine saker", user="U100")
    await desk.slack_dm("mine saker", user="U200")
    await desk.slack_dm("mine saker", user="U300")
    await desk.settle()
    karis, pers, nobodys = last_to(desk, "DU100"), last_to(desk, "DU200"), last_to(desk, "DU300")
    assert "*#1001*" in karis and "*#1003*" in karis and "#1002" not in karis
    assert "*#1002*" in pers and "#1001" not in pers and "#1003" not in pers
    assert "#100" not in nobodys


@pytest.mark.asyncio
async def test_the_same_user_id_on_teams_sees_nothing_of_slack(desk: BotUnderTest) -> None:
    await desk.teams_post(desk.activity("mine saker", user="U100", name="Kari Nordmann"))
    await desk.settle()
    [reply] = desk.connector.sends()
    assert "#100" not in str(reply.activity)


@pytest.mark.asyncio
async def test_in_a_channel_the_list_is_not_shown_to_the_channel(desk: BotUnderTest) -> None:
    await desk.slack_mention("mine saker", channel="C200", user="U100")
    await desk.settle()
    in_channel = [c.args for c in desk.slack.calls if c.args.get("channel") == "C200"]
    assert in_channel, "Kari got an answer"
    assert all(c.method == "chat.postEphemeral" for c in desk.slack.calls if c.args.get("channel") == "C200")
    assert all(a["user"] == "U100" for a in in_channel)
    assert "#1001" not in str(in_channel) and "#1003" not in str(in_channel)
    assert "bare i en direktemelding" in in_channel[-1]["text"]
