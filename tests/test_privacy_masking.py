"""Fødselsnummer and D-nummer (11 digits, two mod-11 check digits) are masked before anything is
stored, logged or forwarded, whoever wrote them (an asker, an adviser) and wherever (Slack,
Teams, a form), and the writer is told kindly that the number was removed and why.

"Before anything is stored" includes the inbox: the event row written before the ack."""

from __future__ import annotations

import pytest
import pytest_asyncio
from sqlalchemy import select
from sqlmodel import SQLModel

from bot.core.privacy import MASK, is_national_id, mask_national_ids
from bot.core.tables import InboxEvent, TicketMessage
from tests.harness import BotUnderTest, start_bot
from tests.slack_helpers import block_texts, buttons_of

ADVISERS = "CADV"
UNKNOWN = "Hvor mye koster en ny kaffemaskin til lærerværelset?"
W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
TOLD = "Jeg har fjernet et personnummer (fødselsnummer eller D-nummer) fra meldingen din"


def with_check_digits(first_nine: str) -> str:
    """The two control digits of a Norwegian national id, written out from the rule (not the code under test)."""
    digits = [int(c) for c in first_nine]
    for weights in (W1, W2):
        rest = 11 - sum(d * w for d, w in zip(digits, weights)) % 11
        assert rest != 10, "no valid number has this start"
        digits.append(0 if rest == 11 else rest)
    return "".join(map(str, digits))


FNR = with_check_digits("130972480")   # born 13.09.72
DNR = with_check_digits("530972480")   # a D-nummer: 40 added to the day
DNR2 = with_check_digits("410190123")  # a D-nummer born 01.01.90


def test_the_rule_itself() -> None:
    assert (FNR, DNR, DNR2) == ("13097248022", "53097248016", "41019012393")


@pytest.mark.parametrize("number", [FNR, DNR, DNR2])
def test_valid_fodselsnummer_and_d_nummer_are_recognised(number: str) -> None:
    assert is_national_id(number)
    for written in (number, f"{number[:6]} {number[6:]}", f"{number[:6]}-{number[6:]}", f"{number[:6]}.{number[6:]}"):
        masked, count = mask_national_ids(f"Eleven ({written}) er henvist fra PPT.")
        assert (masked, count) == (f"Eleven ({MASK}) er henvist fra PPT.", 1)


@pytest.mark.parametrize("number", [
    FNR[:10] + str((int(FNR[10]) + 1) % 10),   # second check digit wrong
    FNR[:9] + str((int(FNR[9]) + 1) % 10) + FNR[10],  # first check digit wrong
    DNR[:10] + str((int(DNR[10]) + 1) % 10),
    "00000000000", "12345678901", "32129912345",
])
def test_other_eleven_digit_numbers_are_left_alone(number: str) -> None:
    assert not is_national_id(number)
    assert mask_national_ids(f"Konto {number}") == (f"Konto {number}", 0)


def test_longer_digit_runs_are_not_cut_into_an_id() -> None:
    text = f"Fakturanummer 9{FNR} og 9{DNR}9"
    assert mask_national_ids(text) == (text, 0)


def test_two_numbers_in_one_message() -> None:
    assert mask_national_ids(f"{FNR} og {DNR}") == (f"{MASK} og {MASK}", 2)


# ------------------------------------------------------------------ through the bot

@pytest_asyncio.fixture
async def desk(sqlite_url, slack_api, connector, clock):
    slack_api.add_user("U100", "Kari Nordmann")
    slack_api.add_user("UOLA", "Ola Rådgiver", ADVISERS)
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}",
                          ADVISERS="slack:UOLA")
    yield bot
    await bot.close()


async def everything_stored(bot: BotUnderTest) -> str:
    dump = []
    async with bot.runtime.services.db.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                dump.append(f"{table.name}: {tuple(row)}")
    return "\n".join(dump)


def everything_sent(bot: BotUnderTest) -> str:
    return str([c.args for c in bot.slack.calls]) + str([s.activity for s in bot.connector.sent])


@pytest.mark.asyncio
async def test_a_d_nummer_in_a_question_is_never_stored_or_forwarded_and_kari_is_told(desk: BotUnderTest) -> None:
    await desk.slack_dm(f"{UNKNOWN} Det gjelder eleven med D-nummer {DNR}.")
    await desk.settle()
    to_kari = [block_texts(c.args["blocks"]) for c in desk.slack.named("chat.postMessage") if c.args["channel"] == "DU100"]
    assert any(TOLD in text and "Du trenger ikke oppgi personnummer" in text for text in to_kari)
    cards = [c.args for c in desk.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS]
    assert cards and MASK in str(cards[0])  # the advisers got the question, without the number
    assert DNR not in await everything_stored(desk)
    assert DNR not in everything_sent(desk)


@pytest.mark.asyncio
async def test_the_inbox_row_written_before_the_ack_has_no_number(desk: BotUnderTest) -> None:
    desk.runtime.worker._enqueue = lambda event_id: None  # acknowledged and stored, not handled yet
    assert (await desk.slack_dm(f"Fødselsnummeret er {FNR}, {UNKNOWN}")).status == 200
    assert (await desk.slack_command(f"{DNR} {UNKNOWN}")).status == 200
    await desk.teams_post(desk.activity(f"Gjelder {FNR[:6]} {FNR[6:]}"))
    async with desk.runtime.services.db.session() as session:
        payloads = [str(p) for p in (await session.execute(select(InboxEvent.payload))).scalars()]
    assert len(payloads) == 3 and all(MASK in p for p in payloads)
    assert FNR not in await everything_stored(desk) and DNR not in await everything_stored(desk)
    assert f"{FNR[:6]} {FNR[6:]}" not in await everything_stored(desk)


@pytest.mark.asyncio
async def test_an_advisers_answer_with_a_number_is_masked_before_it_reaches_kari(desk: BotUnderTest) -> None:
    await desk.slack_dm(UNKNOWN)
    await desk.settle()
    card = next(c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS)
    await desk.slack_click(buttons_of(card.args["blocks"])["Svar"], user="UOLA", channel=ADVISERS, message_ts=card.ts)
    await desk.settle()
    await desk.slack_submit_form(desk.slack.named("views.open")[-1].args["view"],
                                 f"Ring oss om eleven {FNR}, så ordner vi det.", user="UOLA")
    await desk.settle()
    async with desk.runtime.services.db.session() as session:
        [answer] = (await session.execute(select(TicketMessage.text))).scalars()
    assert answer == f"Ring oss om eleven {MASK}, så ordner vi det."
    relayed = [c.args for c in desk.slack.named("chat.postMessage") if c.args["channel"] == "DU100"][-1]
    assert MASK in str(relayed)
    assert FNR not in everything_sent(desk) and FNR not in await everything_stored(desk)
    # Ola is told, privately, in the channel he wrote from
    told = [c.args for c in desk.slack.named("chat.postEphemeral") if TOLD in c.args["text"]]
    assert [(t["channel"], t["user"]) for t in told] == [(ADVISERS, "UOLA")]


@pytest.mark.asyncio
async def test_teams_questions_are_masked_and_the_asker_told(desk: BotUnderTest) -> None:
    await desk.teams_post(desk.activity(f"Hva gjør vi med eleven {DNR2}? Hva er breddeprogrammet?"))
    await desk.settle()
    texts = [str(s.activity) for s in desk.connector.sends()]
    assert any(TOLD in t for t in texts)
    assert DNR2 not in everything_sent(desk) and DNR2 not in await everything_stored(desk)
