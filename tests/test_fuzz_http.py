"""Property-based fuzz of the two front doors, correctly signed so that every example gets past
the signature check: /slack/events (Events API JSON and form-encoded interactivity payloads)
and /api/messages (Bot Framework activities, anonymous mode).

Malformed JSON, wrong types, missing fields, huge values, unknown action ids and tampered
button values (another ticket's id, another user's id) must never give a 5xx, never crash a
handler, and never change state the sender may not change: only the asker changes their own
questions and tickets (withdraw, thanks, details, erasure), only advisers work tickets.
One database per test; examples run against the state earlier examples left.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.core.tables import InboxEvent, PendingInput, Question, Ticket, TicketEvent, TicketMessage
from tests.harness import BotUnderTest, start_bot

TEAM = "T0001"
ADVISERS = "CADV"
ADVISER = "UOLA"
UNKNOWN = "Hvor mye koster en ny kaffemaskin til lærerværelset?"
FUZZ = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))

ACTION_IDS = ["ticket_claim", "ticket_release", "ticket_assign", "ticket_topic", "ticket_resolve", "ticket_reopen",
              "ticket_answer", "ticket_withdraw", "ticket_details", "ticket_follow_up", "ticket_thanks", "ask_adviser",
              "feedback_up", "feedback_down", "pick_article", "privacy_delete", "privacy_cancel", "form:ticket_answer",
              "form:ticket_details", "self_destruct", "", "ticket_claim\x00", "a" * 300]
USERS = ["U100", "U100", "U200", "U999", ADVISER, ADVISER, "", "UBOT"]
TEAMS = [TEAM, TEAM, TEAM, TEAM, "T9999", ""]


class Desk:
    def __init__(self, bot: BotUnderTest, now: int) -> None:
        self.bot = bot
        self.now = now

    def __repr__(self) -> str:
        return "Desk()"


@pytest_asyncio.fixture
async def desk(sqlite_url, slack_api, connector, clock) -> Any:
    slack_api.add_user("U100", "Kari Nordmann")
    slack_api.add_user("U200", "Per Spørsmål")
    slack_api.add_user(ADVISER, "Ola Rådgiver", ADVISERS)
    bot = await start_bot(sqlite_url, slack_api, connector, clock, ADVISER_CHANNELS=f"default=slack:{ADVISERS}",
                          ADVISERS=f"slack:{ADVISER}", RATE_LIMIT_PER_MINUTE=0)
    # Kari (#1001) and Per (#1002) each have a ticket; Kari also has an answered question
    await bot.slack_dm(UNKNOWN, user="U100")
    await bot.settle()
    await bot.slack_dm(UNKNOWN, user="U200")
    await bot.settle()
    await bot.slack_dm("hva er breddeprogrammet", user="U100")
    await bot.settle()
    yield Desk(bot, int(clock.now().timestamp()))
    await bot.close()


# ------------------------------------------------------------------ strategies

def json_values(max_leaves: int = 6) -> st.SearchStrategy[Any]:
    scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30)
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                        max_leaves=max_leaves)


UNIQUE = st.uuids().map(str)  # event ids: the inbox dedupes repeats, as it should
JUNK = st.one_of(st.none(), st.integers(-2**70, 2**70), st.lists(st.text(max_size=3), max_size=2),
                st.just("x" * 100_000), st.text(max_size=40), st.just({"nested": {"deep": [1, 2]}}), st.floats())


def weird(valid: st.SearchStrategy[Any], odds: int = 12) -> st.SearchStrategy[Any]:
    """Mostly a plausible value; one time in `odds` a wrong type, nothing, or something huge."""
    return st.integers(0, odds - 1).flatmap(lambda n: JUNK if n == odds - 1 else valid)


def values(now: int) -> st.SearchStrategy[str]:
    """Button values: real ids of other people's tickets and questions, other users, junk."""
    plain_ids = st.sampled_from(["1", "2", "1", "2", "3", "1|slack:T0001:UOLA", "2|statistikk", f"U100|{now}", f"U200|{now}"])
    return st.integers(0, 9).flatmap(lambda n: plain_ids if n < 6 else tampered(now))


def tampered(now: int) -> st.SearchStrategy[str]:
    return st.sampled_from([
        "1", "2", "3", "4", "1001", "0", "-1", "9" * 30, "9" * 5000, "1|slack:T0001:UOLA", "2|slack:T0001:U100",
        "1|statistikk", "1|ikke-et-emne", "3:breddeprogrammet", "1:kommunens-plikt", f"U100|{now}", f"U200|{now}",
        f"U100|{now - 3600}", "U100|x", "1 OR 1=1", "'; DROP TABLE ticket; --", "", "\x00", "١٢",
    ]) | st.text(max_size=20)


ASKER_ACTIONS = ["ticket_withdraw", "ticket_details", "ticket_follow_up", "ticket_thanks", "ask_adviser"]
ADVISER_ACTIONS = ["ticket_claim", "ticket_release", "ticket_assign", "ticket_topic", "ticket_resolve", "ticket_reopen",
                   "ticket_answer"]


def action_ids() -> st.SearchStrategy[str]:
    return st.integers(0, 9).flatmap(
        lambda n: st.sampled_from(ASKER_ACTIONS) if n < 3 else st.sampled_from(ADVISER_ACTIONS) if n < 6
        else st.sampled_from(ACTION_IDS))


def slack_event(now: int) -> st.SearchStrategy[dict[str, Any]]:
    text = st.sampled_from([UNKNOWN, "hva er breddeprogrammet", "mine saker", "mine data", "slett mine data",
                            "<@UBOT> hei", "<!channel>", "13097248022", ""]) | st.text(max_size=50)
    event = st.fixed_dictionaries(
        {
            "type": weird(st.sampled_from(["message", "message", "message", "app_mention", "app_home_opened", "reaction_added"])),
            "user": weird(st.sampled_from(USERS)),
            "text": weird(text),
            "channel": weird(st.sampled_from(["DU100", "DU200", "DU999", ADVISERS, "C200"])),
            "ts": weird(st.sampled_from(["1700000000.000001", "1700000000.000002", "1700009000.000001"])),
            "channel_type": weird(st.sampled_from(["im", "im", "im", "channel", "group"])),
        },
        optional={
            "thread_ts": weird(st.sampled_from(["1700000000.000001", "1700000000.000002", "1700000000.000003"])),
            "subtype": weird(st.sampled_from(["message_changed", "message_deleted", "bot_message", "file_share",
                                              "thread_broadcast"])),
            "bot_id": weird(st.just("B1")),
            "tab": weird(st.sampled_from(["messages", "home"])),
        },
    )
    envelope = st.fixed_dictionaries(
        {"type": weird(st.sampled_from(["event_callback", "url_verification", "app_rate_limited"])),
         "team_id": weird(st.sampled_from(TEAMS)), "event": weird(event), "event_id": weird(UNIQUE)},
        optional={"api_app_id": st.just("A1"),
                  "challenge": st.text(max_size=10), "authorizations": weird(st.lists(json_values(), max_size=2))},
    )
    anything = st.dictionaries(st.text(max_size=10), json_values(), max_size=4)
    return st.integers(0, 9).flatmap(lambda n: anything if n == 9 else envelope)


def slack_interaction(now: int) -> st.SearchStrategy[dict[str, Any]]:
    user = st.fixed_dictionaries({"id": weird(st.sampled_from(USERS)), "team_id": weird(st.sampled_from(TEAMS))})
    action = st.fixed_dictionaries(
        {"action_id": weird(action_ids()), "value": weird(values(now)), "action_ts": weird(UNIQUE)},
        optional={"type": st.sampled_from(["button", "static_select"]),
                  "selected_option": weird(st.fixed_dictionaries({"value": values(now)}))},
    )
    channel = st.fixed_dictionaries({"id": weird(st.sampled_from(["DU100", "DU200", ADVISERS, "C200"]))})
    block_actions = st.fixed_dictionaries(
        {"type": st.just("block_actions"), "user": weird(user), "team": weird(st.fixed_dictionaries({"id": st.sampled_from(TEAMS)})),
         "actions": weird(st.lists(weird(action), min_size=1, max_size=3))},
        optional={"channel": weird(channel), "trigger_id": weird(st.text(max_size=10)),
                  "message": weird(st.fixed_dictionaries({"ts": st.sampled_from(["1700000000.000001", "1700000000.000002"])},
                                                         optional={"thread_ts": st.text(max_size=5)})),
                  "container": weird(json_values()), "response_url": st.just("http://127.0.0.1:9/response")},
    )
    meta = st.fixed_dictionaries({"a": weird(action_ids()), "v": weird(values(now)),
                                  "c": weird(st.sampled_from(["DU100", ADVISERS])), "m": weird(st.text(max_size=5))})
    view_submission = st.fixed_dictionaries(
        {"type": st.just("view_submission"), "user": weird(user), "team": weird(st.fixed_dictionaries({"id": st.sampled_from(TEAMS)})),
         "view": weird(st.fixed_dictionaries({
             "callback_id": weird(st.sampled_from(["kulturbot_form", "other"])),
             "private_metadata": weird(st.one_of(meta.map(json.dumps), st.text(max_size=20))),
             "id": UNIQUE, "hash": st.text(max_size=6),
             "state": weird(st.just({"values": {"form": {"text": {"type": "plain_text_input", "value": "Svar fra fuzz"}}}})),
         }))},
    )
    other = st.fixed_dictionaries({"type": weird(st.sampled_from(["shortcut", "message_action", "block_suggestion",
                                                                  "view_closed", "dialog_submission"])),
                                   "user": weird(user), "callback_id": st.text(max_size=5)},
                                  optional={"message": weird(st.fixed_dictionaries({"text": st.text(max_size=20)}))})
    return st.integers(0, 9).flatmap(lambda n: block_actions if n < 6 else view_submission if n < 8 else other)


def teams_activity(bot: BotUnderTest, now: int) -> st.SearchStrategy[dict[str, Any]]:
    value = st.fixed_dictionaries({"action_id": weird(action_ids()), "value": weird(values(now))},
                                  optional={"text": weird(st.text(max_size=20)), "choice_from": weird(st.text(max_size=5))})
    base = st.fixed_dictionaries(
        {
            "type": weird(st.sampled_from(["message", "invoke", "conversationUpdate", "installationUpdate", "typing"])),
            "id": weird(UNIQUE),
            "serviceUrl": st.just(bot.connector.url),
            "channelId": weird(st.just("msteams")),
            "from": weird(st.fixed_dictionaries({"id": weird(st.sampled_from(["29:kari", "29:per", "29:ola", "28:kulturbot"])),
                                                 "name": weird(st.text(max_size=10))})),
            "conversation": weird(st.fixed_dictionaries({
                "id": weird(st.sampled_from(["conv-personal", "19:advisers@thread.tacv2;messageid=1", "c2"])),
                "conversationType": weird(st.sampled_from(["personal", "channel", "groupChat"])),
                "tenantId": weird(st.sampled_from(["tenant-1", "tenant-2"]))})),
            "recipient": weird(st.just({"id": "28:kulturbot", "name": "Kulturbot"})),
        },
        optional={"text": weird(st.sampled_from([UNKNOWN, "hva er breddeprogrammet", "mine data", "slett mine data"])
                                | st.text(max_size=40)), "value": weird(value), "replyToId": weird(st.text(max_size=5)),
                  "membersAdded": weird(st.lists(st.fixed_dictionaries({"id": st.sampled_from(["28:kulturbot", "29:x"])}), max_size=2)),
                  "action": weird(st.sampled_from(["add", "remove"])), "channelData": weird(json_values()),
                  "locale": weird(st.sampled_from(["nb-NO", "nn-NO", "en"]))},
    )
    return base


# ------------------------------------------------------------------ the invariant

@dataclass(frozen=True)
class State:
    tickets: dict[int, tuple[Any, ...]]
    questions: dict[int, tuple[Any, ...]]


async def state(bot: BotUnderTest) -> State:
    async with bot.runtime.services.db.session() as session:
        tickets = {t.id: (t.status, t.assignee_key, t.platform, t.workspace, t.asker_user_id, t.question_text, t.topic,
                          t.first_answer_at, t.resolved_at, t.closed_at) for t in (await session.execute(select(Ticket))).scalars()}
        questions = {q.id: (q.platform, q.workspace, q.user_id, q.text, q.outcome, q.article_id, q.feedback)
                     for q in (await session.execute(select(Question))).scalars()}
        for ticket_id, written in (await session.execute(
                select(TicketMessage.ticket_id, func.count()).group_by(TicketMessage.ticket_id))).all():
            tickets[ticket_id] = (*tickets[ticket_id], written)  # details and answers count as changes
    return State(tickets, questions)


def sender_of_slack(payload: dict[str, Any], is_event: bool) -> tuple[str, str, str] | None:
    """Who Slack says sent this (our adapter reads the same fields)."""
    try:
        if is_event:
            user = payload["event"]["user"]
            team = payload.get("team_id") or ""
        else:
            user = payload["user"]["id"]
            team = (payload.get("team") or {}).get("id") or payload["user"].get("team_id") or ""
    except (KeyError, TypeError, AttributeError):
        return None
    return ("slack", str(team), str(user))


def check_allowed(before: State, after: State, sender: tuple[str, str, str] | None, adviser: bool) -> None:
    for ticket_id, old in before.tickets.items():
        new = after.tickets[ticket_id]
        if new == old or adviser:
            continue
        owner = (old[2], old[3], old[4])
        assert sender == owner, f"ticket {ticket_id} changed by {sender}, not its asker {owner}: {old} -> {new}"
        # the asker may withdraw, say thanks (resolve an answered ticket), add to it, or erase it
        assert new[1] == old[1] and new[6] == old[6], f"the asker changed assignee or topic of {ticket_id}"
    for ticket_id, new in after.tickets.items():
        if ticket_id not in before.tickets:
            assert sender == (new[2], new[3], new[4]), f"ticket {ticket_id} opened for somebody else by {sender}"
    for question_id, old in before.questions.items():
        new = after.questions[question_id]
        if new != old:
            assert sender == old[:3], f"question {question_id} changed by {sender}, not {old[:3]}"
    for question_id, new in after.questions.items():
        if question_id not in before.questions:
            assert sender == new[:3], f"question {question_id} logged for {new[:3]} from {sender}"


def no_handler_crashed(caplog: pytest.LogCaptureFixture) -> None:
    """No handler raised, except a lost race (two new events of one new user inserting the same
    row at once), which the worker retries at once and which must then succeed."""
    crashes = [r.getMessage() for r in caplog.records if r.name == "kulturbot.worker" and r.levelno >= logging.ERROR
               and not r.getMessage().endswith(("(attempt 1): IntegrityError", "(attempt 1): OperationalError"))]
    assert crashes == []
    caplog.clear()


async def all_events_done(bot: BotUnderTest) -> None:
    async with bot.runtime.services.db.session() as session:
        left = (await session.execute(select(InboxEvent.status, func.count()).where(InboxEvent.status != "done")
                                      .group_by(InboxEvent.status))).all()
    assert left == []


# ------------------------------------------------------------------ the tests

@pytest.mark.asyncio
@FUZZ
@given(data=st.data())
async def test_slack_events_api(desk: Desk, data: st.DataObject, caplog: pytest.LogCaptureFixture) -> None:
    bot = desk.bot
    payload = data.draw(slack_event(desk.now))
    before = await state(bot)
    response = await bot.slack_post(json.dumps(payload), "application/json")
    assert response.status < 500
    await bot.settle()
    sender = sender_of_slack(payload, is_event=True)
    check_allowed(before, await state(bot), sender, adviser=bool(sender and sender[2] == ADVISER))
    no_handler_crashed(caplog)
    await all_events_done(bot)


@pytest.mark.asyncio
@FUZZ
@given(data=st.data())
async def test_slack_interactivity(desk: Desk, data: st.DataObject, caplog: pytest.LogCaptureFixture) -> None:
    bot = desk.bot
    payload = data.draw(slack_interaction(desk.now))
    encoded = data.draw(st.integers(0, 9).map(lambda n: "garbage" if n == 9 else "empty" if n == 8 else "json"))
    form = {"json": json.dumps(payload), "garbage": "{not json", "empty": ""}[encoded]
    before = await state(bot)
    response = await bot.slack_post(urlencode({"payload": form}), "application/x-www-form-urlencoded")
    assert response.status < 500
    await bot.settle()
    sender = sender_of_slack(payload, is_event=False) if encoded == "json" else None
    check_allowed(before, await state(bot), sender, adviser=bool(sender and sender[2] == ADVISER))
    no_handler_crashed(caplog)
    await all_events_done(bot)


@pytest.mark.asyncio
@FUZZ
@given(data=st.data())
async def test_bot_framework_activities(desk: Desk, data: st.DataObject, caplog: pytest.LogCaptureFixture) -> None:
    bot = desk.bot
    activity = data.draw(teams_activity(bot, desk.now))
    raw = data.draw(st.integers(0, 9).map(lambda n: "broken" if n == 9 else "json"))
    body = json.dumps(activity) if raw == "json" else json.dumps(activity)[:-3]
    before = await state(bot)
    response = await bot.teams_post(body)
    assert response.status < 500
    await bot.settle()
    sender = None
    if isinstance(activity.get("from"), dict) and isinstance(activity.get("conversation"), dict):
        conv = activity["conversation"]
        sender = ("teams", str(conv.get("tenantId") or ""), str(activity["from"].get("id") or ""))
    # No Teams user is an adviser here, and the tickets are Slack's: nothing of theirs may change
    check_allowed(before, await state(bot), sender, adviser=False)
    no_handler_crashed(caplog)
    await all_events_done(bot)


# ------------------------------------------------------------------ the attacks, one by one

ATTACKERS = [("U999", TEAM), ("U200", TEAM), ("U100", "T9999")]  # a stranger, another asker, Kari's id elsewhere


def attacks(now: int) -> list[tuple[str, str, dict[str, str]]]:
    """(action, value, form inputs): every button a ticket or an answer carries, aimed at Kari's
    ticket (#1001, id 1) and her answered question (id 3), and at erasing her data."""
    article = "hva-er-breddeprogrammet"
    return (
        [(action, "1", {}) for action in ("ticket_withdraw", "ticket_thanks", "ticket_details", "ticket_follow_up")]
        + [(action, "1", {"text": "Tatt over"}) for action in ("ticket_details", "ticket_follow_up", "ticket_answer")]
        + [(action, "1", {}) for action in ("ticket_claim", "ticket_release", "ticket_resolve", "ticket_reopen")]
        + [("ticket_assign", "1|slack:T0001:U999", {}), ("ticket_assign", "1|slack:T0001:UOLA", {}),
           ("ticket_topic", "1|statistikk", {})]
        + [("feedback_up", "3", {}), ("feedback_down", "3", {}), ("ask_adviser", "3", {}),
           ("pick_article", f"3:{article}", {}), ("privacy_delete", f"U100|{now}", {}), ("privacy_delete", f"U999|{now}", {})]
    )


async def click_as(bot: BotUnderTest, user: str, team: str, action: str, value: str, inputs: dict[str, str]) -> int:
    n = uuid.uuid4().hex[:8]
    who = {"id": user, "team_id": team}
    if inputs:  # a form submission carries the button's action and value in the modal's metadata
        payload = {"type": "view_submission", "team": {"id": team}, "user": who, "trigger_id": f"t{n}",
                   "view": {"id": f"V{n}", "hash": n, "type": "modal", "callback_id": "kulturbot_form",
                            "private_metadata": json.dumps({"a": action, "v": value, "c": f"D{user}", "m": "1.1"}),
                            "state": {"values": {"form": {"text": {"type": "plain_text_input", "value": inputs["text"]}}}}}}
    else:
        payload = {"type": "block_actions", "team": {"id": team}, "user": who, "trigger_id": f"t{n}",
                   "channel": {"id": f"D{user}"}, "container": {"channel_id": f"D{user}"},
                   "message": {"ts": "1700000000.000002"},
                   "actions": [{"type": "button", "action_id": action, "value": value, "action_ts": f"17.{n}"}]}
    response = await bot.slack_post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    return response.status


@pytest.mark.asyncio
async def test_tampered_buttons_change_nothing(desk: Desk, caplog: pytest.LogCaptureFixture) -> None:
    bot = desk.bot
    before = await state(bot)
    for user, team in ATTACKERS:
        for action, value, inputs in attacks(desk.now):
            assert await click_as(bot, user, team, action, value, inputs) == 200
    await bot.settle()
    after = await state(bot)
    assert after == before
    check_allowed(before, after, None, adviser=False)
    no_handler_crashed(caplog)
    await all_events_done(bot)
    async with bot.runtime.services.db.session() as session:
        kinds = list((await session.execute(select(TicketEvent.kind))).scalars())
        assert kinds == ["opened", "opened"]
        assert (await session.execute(select(func.count()).select_from(PendingInput))).scalar_one() == 0


@pytest.mark.asyncio
async def test_the_same_buttons_work_for_the_people_they_belong_to(desk: Desk) -> None:
    """The control for the test above: Kari's own click and the adviser's click do act."""
    bot = desk.bot
    assert await click_as(bot, ADVISER, TEAM, "ticket_claim", "2", {}) == 200
    assert await click_as(bot, "U100", TEAM, "ticket_withdraw", "1", {}) == 200
    assert await click_as(bot, "U100", TEAM, "feedback_up", "3", {}) == 200
    await bot.settle()
    after = await state(bot)
    assert after.tickets[1][0] == "withdrawn" and after.tickets[2][:2] == ("claimed", "slack:T0001:UOLA")
    assert after.questions[3][-1] == "up"
