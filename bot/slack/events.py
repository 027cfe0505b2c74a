"""Slack payloads → neutral events. Pure functions: easy to test, no I/O.

Slack payloads carry a user's legacy handle, not their display name; names are looked up
through the directory when a card needs one."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.core.model import Action, Event, Person, Place

from .render import action_id

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
IGNORED_SUBTYPES_ALLOWED = {None, "thread_broadcast", "file_share"}


def strip_mentions(text: str) -> str:
    return " ".join(_MENTION.sub(" ", text or "").split())


def _team(body: dict[str, Any]) -> str:
    return str(body.get("team_id") or (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id") or "")


def message_event(body: dict[str, Any], bot_user_id: str | None) -> Event | None:
    """A message.im in the DM with the bot, or a reply in a thread of a channel the bot is in."""
    ev = body.get("event") or {}
    if ev.get("subtype") not in IGNORED_SUBTYPES_ALLOWED or ev.get("bot_id") or not ev.get("user"):
        return None  # edits, deletions, joins, bots (the bot itself included)
    if bot_user_id and ev.get("user") == bot_user_id:
        return None
    team = _team(body)
    person = Person("slack", team, ev["user"])
    text = str(ev.get("text") or "")
    if ev.get("channel_type") == "im":
        place = Place("slack", team, ev["channel"], "dm", ev.get("thread_ts"))
        return Event("message", "slack", str(body.get("event_id") or ev.get("client_msg_id") or ev["ts"]), person, place, text)
    if ev.get("thread_ts") and ev.get("thread_ts") != ev.get("ts"):
        if bot_user_id and f"<@{bot_user_id}" in text:
            return None  # the app_mention event carries this one
        place = Place("slack", team, ev["channel"], "channel", ev["thread_ts"], {"user": ev["user"]})
        return Event("thread_reply", "slack", str(body.get("event_id") or ev["ts"]), person, place, strip_mentions(text))
    return None


def mention_event(body: dict[str, Any]) -> Event | None:
    ev = body.get("event") or {}
    if ev.get("bot_id") or not ev.get("user") or ev.get("subtype") not in IGNORED_SUBTYPES_ALLOWED:
        return None
    team = _team(body)
    thread = ev.get("thread_ts") or ev.get("ts")
    place = Place("slack", team, ev["channel"], "channel", thread, {"user": ev["user"]})
    return Event(
        "message", "slack", str(body.get("event_id") or ev["ts"]), Person("slack", team, ev["user"]),
        place, strip_mentions(str(ev.get("text") or "")),
    )


def command_event(body: dict[str, Any]) -> Event:
    team = str(body.get("team_id") or "")
    user = str(body.get("user_id") or "")
    place = Place(
        "slack", team, str(body.get("channel_id") or user), "slash", None,
        {"response_url": body.get("response_url") or "", "user": user},
    )
    key = str(body.get("trigger_id") or f"cmd:{user}:{body.get('response_url', '')}")
    return Event("message", "slack", f"cmd:{key}", Person("slack", team, user), place, str(body.get("text") or ""))


def action_event(body: dict[str, Any], action: dict[str, Any], inputs: dict[str, str] | None = None) -> Event:
    user = body.get("user") or {}
    team = _team(body)
    channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or user.get("id", ""))
    message = body.get("message") or {}
    thread = message.get("thread_ts")
    kind = "dm" if channel.startswith("D") else "channel"
    place = Place("slack", team, channel, kind, thread, {"user": user.get("id", "")})
    ref = {"platform": "slack", "channel": channel, "id": str(message.get("ts") or ""), "extra": {}}
    key = f"act:{action.get('action_ts') or body.get('trigger_id')}:{user.get('id', '')}"
    value = action.get("value")
    if value is None and isinstance(action.get("selected_option"), dict):
        value = action["selected_option"].get("value")
    return Event(
        "action", "slack", key, Person("slack", team, str(user.get("id", ""))), place,
        action=Action(action_id(str(action.get("action_id") or "")), str(value or ""), ref, inputs or {}),
    )


def form_metadata(body: dict[str, Any], action: dict[str, Any], form_value: str) -> dict[str, Any]:
    """What the modal must remember about the click that opened it."""
    message = body.get("message") or {}
    return {
        "a": action_id(str(action.get("action_id") or "")).removeprefix("form:"),
        "v": form_value,
        "c": str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or ""),
        "m": str(message.get("ts") or ""),
        "t": message.get("thread_ts"),
    }


def form_submission_event(body: dict[str, Any]) -> Event | None:
    """The modal was submitted: an action with the typed text in inputs["text"]."""
    view = body.get("view") or {}
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
        text = view["state"]["values"]["form"]["text"]["value"] or ""
    except (KeyError, TypeError, ValueError):
        return None
    if not isinstance(meta, dict) or not meta.get("a"):
        return None
    user = body.get("user") or {}
    team = _team(body)
    channel = str(meta.get("c") or user.get("id", ""))
    place = Place("slack", team, channel, "dm" if channel.startswith("D") else "channel", meta.get("t"),
                  {"user": user.get("id", "")})
    ref = {"platform": "slack", "channel": channel, "id": str(meta.get("m") or ""), "extra": {}}
    return Event(
        "action", "slack", f"view:{view.get('id')}:{view.get('hash', '')}",
        Person("slack", team, str(user.get("id", ""))), place,
        action=Action(str(meta["a"]), str(meta.get("v") or ""), ref, {"text": str(text)}),
    )


def home_opened_event(body: dict[str, Any]) -> Event | None:
    ev = body.get("event") or {}
    if ev.get("tab") != "messages" or not ev.get("user"):
        return None
    team = _team(body)
    place = Place("slack", team, str(ev.get("channel") or ev["user"]), "dm")
    # One welcome per person: the inbox key dedupes every later opening of the tab.
    return Event("install", "slack", f"welcome:{team}:{ev['user']}", Person("slack", team, ev["user"]), place)
