"""Tickets in Slack, as the asker and the advisers live them, over signed HTTP."""

from __future__ import annotations

import pytest
import pytest_asyncio
from sqlalchemy import func, select

from bot.core.tables import Ticket, TicketEvent
from handlers.tickets.routing import choose_route
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
    assert list(buttons_of(card["blocks"])) == ["Ta saken", "Svar", "Løs", "Spør spørreren"]

    clock.advance(minutes=10)
    await click(desk, "Ta saken", "UOLA")
    card = latest_card(desk)
    assert card["blocks"][0]["text"]["text"].startswith("🟡 #1001 · Ola Rådgiver har saken")
    assert list(buttons_of(card["blocks"])) == ["Svar", "Slipp", "Løs", "Spør spørreren"]

    clock.advance(hours=2)
    await answer_with_form(desk, "UOLA", "Flere kommuner har gjort dette. *Se* <https://evil.example|her>")

    relayed_call = [c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == "DU100"][-1]
    relayed = relayed_call.args
    assert relayed["blocks"][0]["text"]["text"] == "Svar fra Ola Rådgiver (sak #1001)"
    body = relayed["blocks"][1]["text"]
    assert body == {"type": "plain_text", "text": "Flere kommuner har gjort dette. *Se* <\u200bhttps://evil.example|her>", "emoji": False}
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


@pytest.mark.asyncio
async def test_release_reassign_and_reopen(desk: BotUnderTest) -> None:
    await open_ticket(desk)
    await click(desk, "Ta saken", "UOLA")
    await click(desk, "Slipp", "UOLA")
    card = latest_card(desk)
    assert card["blocks"][0]["text"]["text"].startswith("🟢 #1001 · Åpen")

    await click(desk, "Ta saken", "UPER")  # Per has now worked a ticket: he can be assigned to
    await desk.slack_click(option(select_of(latest_card(desk)["blocks"], "ticket_assign"), "Ola Rådgiver"),
                           user="UPER", channel=ADVISERS, message_ts=card_ts(desk))
    await desk.settle()
    ticket = await ticket_row(desk)
    assert (ticket.status, ticket.assignee_name) == ("claimed", "Ola Rådgiver")
    dm = [c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == "UOLA"]
    assert len(dm) == 1 and "Per Rådgiver har gitt deg sak *#1001*" in dm[0].args["text"].replace("**", "*") + block_texts(dm[0].args["blocks"])

    await click(desk, "Løs", "UOLA")
    await click(desk, "Gjenåpne", "UPER")
    assert (await ticket_row(desk)).status == "claimed"
    assert await audit_kinds(desk) == ["opened", "claimed", "released", "claimed", "assigned", "resolved", "reopened"]


@pytest.mark.asyncio
async def test_topic_label_shows_on_the_card(desk: BotUnderTest) -> None:
    await open_ticket(desk)
    topics = select_of(latest_card(desk)["blocks"], "ticket_topic")
    await desk.slack_click(option(topics, "statistikk"), user="UOLA", channel=ADVISERS, message_ts=card_ts(desk))
    await desk.settle()
    assert "Emne: statistikk" in block_texts(latest_card(desk)["blocks"])
    assert (await ticket_row(desk)).topic == "statistikk"


@pytest.mark.asyncio
async def test_someone_who_is_not_an_adviser_is_refused_and_nothing_changes(desk: BotUnderTest) -> None:
    await open_ticket(desk)
    updates_before = len(desk.slack.named("chat.update"))
    await click(desk, "Ta saken", "U100")
    refusal = desk.slack.named("chat.postEphemeral")[-1].args
    assert refusal["user"] == "U100"
    assert "Bare rådgivere i Norsk kulturskoleråd kan behandle saker" in refusal["text"]
    assert (await ticket_row(desk)).status == "open"
    assert len(desk.slack.named("chat.update")) == updates_before
    assert await audit_kinds(desk) == ["opened"]


@pytest.mark.asyncio
async def test_a_double_click_on_claim_and_a_second_adviser_after_it(desk: BotUnderTest) -> None:
    await open_ticket(desk)
    card = latest_card(desk)
    await click(desk, "Ta saken", "UOLA", card)
    await click(desk, "Ta saken", "UOLA", card)
    await click(desk, "Ta saken", "UPER", card)
    told = desk.slack.named("chat.postEphemeral")
    assert [c.args["user"] for c in told] == ["UPER"]
    assert "allerede tatt av Ola Rådgiver" in told[0].args["text"]
    assert await audit_kinds(desk) == ["opened", "claimed"]


@pytest.mark.asyncio
async def test_asker_adds_details_and_withdraws(desk: BotUnderTest) -> None:
    _, receipt = await open_ticket(desk)
    receipt_ts = [c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == "DU100"][-1].ts
    await desk.slack_click(buttons_of(receipt["blocks"])["Legg til detaljer"], user="U100", channel="DU100",
                           message_ts=receipt_ts)
    await desk.settle()
    view = desk.slack.named("views.open")[-1].args["view"]
    assert view["title"]["text"] == "Legg til detaljer"
    await desk.slack_submit_form(view, "Det gjelder en HP-skriver i 2. etasje", user="U100")
    await desk.settle()
    in_thread = [c for c in desk.slack.to_channel(ADVISERS) if c.args.get("thread_ts") == card_ts(desk)]
    assert "Det gjelder en HP-skriver i 2. etasje" in block_texts(in_thread[-1].args["blocks"])

    await desk.slack_click(buttons_of(receipt["blocks"])["Trekk tilbake"], user="U100", channel="DU100", message_ts=receipt_ts)
    await desk.settle()
    assert (await ticket_row(desk)).status == "withdrawn"
    assert latest_card(desk)["blocks"][0]["text"]["text"] == "⚪ #1001 · Trukket tilbake"
    assert await audit_kinds(desk) == ["opened", "details", "withdrawn"]


@pytest.mark.asyncio
async def test_someone_else_cannot_withdraw_karis_ticket(desk: BotUnderTest) -> None:
    _, receipt = await open_ticket(desk)
    await desk.slack_click(buttons_of(receipt["blocks"])["Trekk tilbake"], user="U999", channel="DU999")
    await desk.settle()
    assert (await ticket_row(desk)).status == "open"
    last = desk.slack.named("chat.postMessage")[-1].args
    assert last["channel"] == "DU999" and "Bare den som stilte spørsmålet" in last["text"]


@pytest.mark.asyncio
async def test_ask_an_adviser_after_an_answer_that_did_not_help(desk: BotUnderTest) -> None:
    await desk.slack_dm("hva er breddeprogrammet")
    [answer] = await desk.slack.wait_for("chat.postMessage")
    ask = buttons_of(answer.args["blocks"])["Spør en rådgiver"]
    await desk.slack_click(ask, user="U100", channel="DU100", message_ts=answer.ts)
    await desk.slack_click(ask, user="U100", channel="DU100", message_ts=answer.ts)  # double click
    await desk.settle()
    async with desk.runtime.services.db.session() as session:
        assert (await session.execute(select(func.count()).select_from(Ticket))).scalar_one() == 1
    card_text = block_texts(latest_card(desk)["blocks"])
    assert "Svaret som ikke hjalp: Hva er breddeprogrammet?" in card_text
    to_kari = [c.args for c in desk.slack.named("chat.postMessage") if c.args["channel"] == "DU100"]
    assert "Jeg har sendt spørsmålet ditt til en rådgiver" in block_texts(to_kari[1]["blocks"])
    assert "allerede sendt til en rådgiver (sak *#1001*)" in block_texts(to_kari[2]["blocks"])


@pytest.mark.asyncio
async def test_mine_saker_lists_the_askers_tickets(desk: BotUnderTest) -> None:
    await open_ticket(desk)
    await desk.slack_command("mine saker")
    [listing] = await desk.slack.wait_for("response_url")
    text = block_texts(listing.args["blocks"])
    assert "*Dine saker*" in text
    assert "*#1001* · venter på en rådgiver · frist fre. 27.11 kl. 13:00" in text


@pytest.mark.asyncio
async def test_user_text_cannot_ping_or_format_in_the_advisers_channel(desk: BotUnderTest) -> None:
    await desk.slack_dm("<!channel> hjelp <@UOLA> *viktig* [klikk](https://evil.example) om skriveren")
    await desk.settle()
    card = [c.args for c in desk.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS][-1]
    quoted = card["blocks"][1]
    assert quoted["text"]["type"] == "plain_text"
    rendered = str(card)
    assert "<!channel>" not in rendered and "<@UOLA>" not in rendered


@pytest.mark.asyncio
async def test_a_failing_slack_api_delays_the_card_but_never_loses_it(desk: BotUnderTest, clock) -> None:
    desk.slack.fail_next(429, times=1, headers={"Retry-After": "30"}, method="chat.postMessage")
    desk.slack.fail_next(503, times=2, method="chat.postMessage")
    await desk.slack_dm(UNKNOWN)
    await desk.settle()
    async with desk.runtime.services.db.session() as session:
        assert (await session.execute(select(func.count()).select_from(Ticket))).scalar_one() == 1
    delivered = lambda: [c for c in desk.slack.named("chat.postMessage") if c.args["channel"] == ADVISERS]  # noqa: E731
    for _ in range(10):
        if delivered():
            break
        clock.advance(seconds=31)
        await desk.settle()
    assert len(delivered()) == 1
    failures = [c.method for c in desk.slack.calls if "!" in c.method]
    assert failures == ["chat.postMessage!429", "chat.postMessage!503", "chat.postMessage!503"]


@pytest.mark.asyncio
async def test_thumbs_down_offers_a_ticket_and_the_offer_opens_one(desk: BotUnderTest) -> None:
    await desk.slack_dm("hva er breddeprogrammet")
    [answer] = await desk.slack.wait_for("chat.postMessage")
    await desk.slack_click(buttons_of(answer.args["blocks"])["👎 Ikke nyttig"], user="U100", channel="DU100",
                           message_ts=answer.ts)
    await desk.settle()
    offer = [c.args for c in desk.slack.named("chat.postMessage") if c.args["channel"] == "DU100"][-1]
    async with desk.runtime.services.db.session() as session:
        assert (await session.execute(select(func.count()).select_from(Ticket))).scalar_one() == 0
    await desk.slack_click(buttons_of(offer["blocks"])["Spør en rådgiver"], user="U100", channel="DU100",
                           message_ts="1700009999.000001")
    await desk.settle()
    async with desk.runtime.services.db.session() as session:
        assert (await session.execute(select(func.count()).select_from(Ticket))).scalar_one() == 1
    assert "Svaret som ikke hjalp: Hva er breddeprogrammet?" in block_texts(latest_card(desk)["blocks"])


@pytest_asyncio.fixture
async def routed_desk(sqlite_url, slack_api: FakeSlackApi, connector, clock):
    """Two advisers' channels: privacy questions go to CPRIV (by keyword), the rest to CADV."""
    slack_api.add_user("U100", "Kari Nordmann")
    slack_api.add_user("UOLA", "Ola Rådgiver", ADVISERS)
    bot = await start_bot(sqlite_url, slack_api, connector, clock,
                          ADVISER_CHANNELS=f"default=slack:{ADVISERS},personvern=slack:CPRIV",
                          ROUTE_KEYWORDS="personvern=taushetsplikt|samtykke")
    yield bot
    await bot.close()


def cards_in(bot: BotUnderTest, channel: str) -> list[dict]:
    return [c.args for c in bot.slack.named("chat.postMessage") if c.args["channel"] == channel
            and "thread_ts" not in c.args]


@pytest.mark.asyncio
async def test_tickets_are_routed_by_keyword_and_the_rest_go_to_the_default_channel(routed_desk: BotUnderTest) -> None:
    await routed_desk.slack_dm("Har lærerne taushetsplikt overfor skriverleverandøren vår?")
    await routed_desk.settle()
    assert len(cards_in(routed_desk, "CPRIV")) == 1 and cards_in(routed_desk, ADVISERS) == []

    await routed_desk.slack_dm(UNKNOWN)
    await routed_desk.settle()
    assert len(cards_in(routed_desk, "CPRIV")) == 1 and len(cards_in(routed_desk, ADVISERS)) == 1
    async with routed_desk.runtime.services.db.session() as session:
        routes = list((await session.execute(select(Ticket.route).order_by(Ticket.id))).scalars())
    assert routes == ["personvern", "default"]


@pytest.mark.asyncio
async def test_the_nearest_articles_tag_routes_before_keywords(routed_desk: BotUnderTest) -> None:
    settings = routed_desk.runtime.settings
    photos = routed_desk.runtime.services.knowledge.current.get("bilder-av-elever")  # tagged personvern
    program = routed_desk.runtime.services.knowledge.current.get("breddeprogram")  # no routed tag
    assert photos is not None and program is not None
    assert choose_route(settings, "noe helt annet", [photos, program]) == "personvern"
    assert choose_route(settings, "noe helt annet", [program, photos]) == "default"  # only the nearest counts
    assert choose_route(settings, "gjelder samtykke her?", [program]) == "personvern"


@pytest.mark.asyncio
async def test_a_restart_before_the_answer_reached_kari_loses_nothing(sqlite_url, slack_api: FakeSlackApi, connector,
                                                                     clock) -> None:
    slack_api.add_user("U100", "Kari Nordmann")
    slack_api.add_user("UOLA", "Ola Rådgiver", ADVISERS)
    settings = {"ADVISER_CHANNELS": f"default=slack:{ADVISERS}"}
    first = await start_bot(sqlite_url, slack_api, connector, clock, **settings)
    await open_ticket(first)
    await click(first, "Ta saken", "UOLA")
    slack_api.fail_next(503, times=1000, method="chat.postMessage")  # Slack is down from here on
    await answer_with_form(first, "UOLA", "Skriveren settes opp av IT-avdelingen.")
    await first.close()  # the process stops with the answer stored but not yet relayed
    relayed = lambda: [c for c in slack_api.named("chat.postMessage")  # noqa: E731
                       if c.args["channel"] == "DU100" and "IT-avdelingen" in str(c.args)]
    assert relayed() == []

    slack_api.failures.clear()  # Slack is back, and so is the bot
    second = await start_bot(sqlite_url, slack_api, connector, clock, **settings)
    try:
        for _ in range(10):
            if relayed():
                break
            clock.advance(seconds=60)
            await second.settle()
        assert len(relayed()) == 1
        clock.advance(seconds=600)
        await second.settle()
        assert len(relayed()) == 1  # and never a second time
        async with second.runtime.services.db.session() as session:
            ticket = (await session.execute(select(Ticket))).scalar_one()
        assert ticket.first_answer_at is not None
    finally:
        await second.close()
